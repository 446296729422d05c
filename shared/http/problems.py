"""RFC 7807 problem+json responses; never a stack trace in a response."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, json, request
from werkzeug.exceptions import HTTPException

from shared.domain import DomainError
from shared.eventstore import ConcurrencyConflict

log = logging.getLogger(__name__)
PROBLEM = "application/problem+json"


class Problem(Exception):
    """Raise from a view or handler to answer with a problem document."""

    def __init__(self, status: int, title: str, detail: str = "",
                 errors: dict[str, Any] | None = None, type_: str = "about:blank",
                 **extra: Any) -> None:
        super().__init__(detail or title)
        self.status, self.title, self.detail = status, title, detail
        self.errors, self.type, self.extra = errors, type_, extra


def problem_response(status: int, title: str, detail: str = "",
                     errors: dict[str, Any] | None = None, type_: str = "about:blank",
                     **extra: Any) -> Response:
    body: dict[str, Any] = {"type": type_, "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body["instance"] = request.path if request else ""
    if errors:
        body["errors"] = errors
    body.update(extra)
    resp = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM)
    if status == 401:
        resp.headers["WWW-Authenticate"] = "Bearer"
    return resp


def _validation_errors(exc: HTTPException) -> dict[str, Any] | None:
    messages = (getattr(exc, "data", None) or {}).get("messages")
    if not messages:
        return None
    if len(messages) == 1:  # one location (json, query...): report the fields directly
        return next(iter(messages.values()))
    return messages


def install(app: Flask) -> None:
    """Register the handlers (after flask-smorest's own, so these win)."""

    @app.errorhandler(Problem)
    def _problem(exc: Problem) -> Response:
        return problem_response(exc.status, exc.title, exc.detail, exc.errors, exc.type,
                                **exc.extra)

    @app.errorhandler(DomainError)
    def _domain(exc: DomainError) -> Response:
        titles = {422: "Unprocessable Entity", 404: "Not Found", 409: "Conflict",
                  403: "Forbidden", 413: "Content Too Large"}
        return problem_response(exc.status, titles.get(exc.status, "Bad Request"), exc.detail,
                                getattr(exc, "errors", None))

    @app.errorhandler(ConcurrencyConflict)
    def _conflict(exc: ConcurrencyConflict) -> Response:
        return problem_response(409, "Conflict", "数据已被他人修改，请重新读取后再提交",
                                expected_version=exc.expected, current_version=exc.actual)

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> Response:
        status = exc.code or 500
        errors = _validation_errors(exc)
        detail = "请求数据未通过校验" if errors else (exc.description or "")
        if status == 422 and not errors:
            detail = exc.description or "请求数据未通过校验"
        return problem_response(status, exc.name, detail, errors)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.path)
        return problem_response(500, "Internal Server Error", "服务器内部错误，请稍后重试")
