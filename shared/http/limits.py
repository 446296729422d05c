"""Limits every web process applies before its own code runs.

- ``BodyLimit``: a WSGI middleware around the Flask app; a body longer than the limit is
  refused 413 (problem+json) from its Content-Length alone, before any middleware, hook or
  view reads a byte; a chunked body is read up to the limit and no further.
- ``security_headers``: standard response headers on every answer (pages and APIs).
- ``install_rate_limit``: per-client request rates on a public site (Flask-Limiter), 429
  problem+json with Retry-After.
- ``reject_lone_surrogates``: JSON text may escape half of a UTF-16 surrogate pair
  (``"\\ud800"``), which Python parses into a string no UTF-8 encoder takes (not BSON, not
  Kafka); such a body is refused 422 field by field before any view runs.

The limit is ELDERCARE_MAX_BODY_BYTES (default 1 MiB, or what the service asks for: the
escrow service takes bank statements as files).
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, Response, request

from shared.http.problems import PROBLEM, problem_response

DEFAULT_MAX_BODY = 1024 * 1024
Environ = dict[str, Any]
StartResponse = Callable[..., Any]


class BodyLimit:
    def __init__(self, app: Callable[[Environ, StartResponse], Iterable[bytes]],
                 limit: int) -> None:
        self.app, self.limit = app, limit

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        if "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower():
            # no length declared (a Content-Length beside chunked is ignored, RFC 9112 6.3):
            # read up to one byte past the limit, then hand on a body of known length
            body = environ["wsgi.input"].read(self.limit + 1)
            if len(body) > self.limit:
                return self._too_large(environ, start_response)
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
            del environ["HTTP_TRANSFER_ENCODING"]
            return self.app(environ, start_response)
        length = environ.get("CONTENT_LENGTH") or ""
        if length:
            try:
                declared = int(length)
            except ValueError:
                return self._refuse(environ, start_response, 400, "Bad Request",
                                    "Content-Length 不是整数")
            if declared > self.limit:
                return self._too_large(environ, start_response)
        return self.app(environ, start_response)

    def _too_large(self, environ: Environ, start_response: StartResponse) -> list[bytes]:
        return self._refuse(environ, start_response, 413, "Content Too Large",
                            f"请求体超过 {self.limit} 字节的上限", limit=self.limit)

    @staticmethod
    def _refuse(environ: Environ, start_response: StartResponse, status: int, title: str,
                detail: str, **extra: Any) -> list[bytes]:
        body = json.dumps({"type": "about:blank", "title": title, "status": status,
                           "detail": detail, "instance": environ.get("PATH_INFO", ""),
                           **extra}, ensure_ascii=False).encode()
        # the unread body stays in the socket: the connection cannot be reused
        start_response(f"{status} {title}", [("Content-Type", PROBLEM),
                                             ("Content-Length", str(len(body))),
                                             ("Connection", "close"), *HEADERS])
        return [body]


HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "same-origin"),
    ("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; "
                                "style-src 'self' 'unsafe-inline'; object-src 'none'; "
                                "base-uri 'self'; frame-ancestors 'none'"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
)


def security_headers(app: Flask) -> None:
    """Every answer carries them (a view's own value wins); HSTS when served over TLS."""

    @app.after_request
    def _headers(resp: Response) -> Response:
        for name, value in HEADERS:
            resp.headers.setdefault(name, value)
        if request.is_secure:
            resp.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return resp


def install_rate_limit(app: Flask, limit: str, exempt: Iterable[str] = (),
                       only_under: str = "") -> None:
    """``limit`` (Flask-Limiter notation, e.g. "120 per minute") per client address on every
    route but ``exempt`` paths (and, with ``only_under``, only on paths below it). Counts
    are kept in the process (one gunicorn worker per
    container, deploy/gunicorn.conf.py): behind several replicas each allows the rate."""
    from flask_limiter import Limiter
    from flask_limiter.errors import RateLimitExceeded
    from flask_limiter.util import get_remote_address

    skip = frozenset(exempt)
    limiter = Limiter(get_remote_address, app=app, default_limits=[limit],
                      storage_uri="memory://", strategy="moving-window",
                      headers_enabled=True,
                      default_limits_exempt_when=lambda: (
                          request.path in skip or not request.path.startswith(only_under)))

    app.extensions["rate_limiter"] = limiter

    @app.errorhandler(RateLimitExceeded)
    def _too_many(exc: RateLimitExceeded) -> Response:
        # Flask-Limiter's own after-request hook adds Retry-After and the X-RateLimit headers
        return problem_response(429, "Too Many Requests",
                                f"请求过于频繁（上限 {exc.description}），请稍后再试")


SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def reject_lone_surrogates(app: Flask) -> None:
    """422 problem+json naming each field whose text holds an unpaired surrogate. A body
    without any surrogate escape (nearly all) costs one regular-expression scan."""

    @app.before_request
    def _check() -> Response | None:
        if not request.is_json:
            return None
        body = request.get_data(cache=True)
        if not SURROGATE_ESCAPE.search(body):
            return None
        try:
            doc = json.loads(body)
        except ValueError:
            return None  # the view's parser answers malformed JSON
        bad = lone_surrogate_paths(doc)
        if not bad:
            return None
        return problem_response(422, "Unprocessable Entity", "文本含有不成对的 Unicode 代理字符",
                                errors={p: ["含有无法编码的字符（不成对的 UTF-16 代理项）"]
                                        for p in bad})


def lone_surrogate_paths(doc: Any, path: str = "") -> list[str]:
    """Dotted paths (list items by index, ``<key>`` for a bad key) of every text in ``doc``
    that UTF-8 cannot encode."""
    if isinstance(doc, str):
        return [path or "_body"] if _unencodable(doc) else []
    out: list[str] = []
    if isinstance(doc, dict):
        for key, value in doc.items():
            sub = f"{path}.{key}" if path else str(key)
            if _unencodable(key):
                out.append(f"{path}.<key>" if path else "<key>")
            else:
                out.extend(lone_surrogate_paths(value, sub))
    elif isinstance(doc, list):
        for i, value in enumerate(doc):
            out.extend(lone_surrogate_paths(value, f"{path}.{i}" if path else str(i)))
    return out


def _unencodable(text: str) -> bool:
    try:
        text.encode()
    except UnicodeEncodeError:
        return True
    return False
