"""Friendly Chinese error pages for browsers; problem+json stays for API clients."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, render_template, request
from werkzeug.exceptions import NotFound

from shared.http.problems import problem_response

FIELD_LABELS = {"q": "名称关键词", "district": "区县", "operator_type": "经营性质",
                "status": "备案状态", "page": "页码", "per_page": "每页条数", "as_of": "日期"}
MACHINE_PREFIXES = ("/api/", "/open-data/", "/healthz", "/readyz", "/metrics")


def error_page(status: int, title: str, messages: list[str]) -> tuple[str, int]:
    """A rendered error page with its status."""
    return render_template("error.html", status=status, title=title, messages=messages), status


def invalid_params(errors: dict[str, Any]) -> tuple[str, int]:
    """422 page listing each invalid query parameter in Chinese."""
    messages = [f"{FIELD_LABELS.get(field, field)}：{'；'.join(_texts(texts))}"
                for field, texts in errors.items()]
    return error_page(422, "查询条件有误", messages)


def _texts(texts: Any) -> list[str]:
    return [str(t) for t in texts] if isinstance(texts, list) else [str(texts)]


def wants_html() -> bool:
    """Browsers on page paths get HTML; API and open-data clients get problem+json."""
    if request.path.startswith(MACHINE_PREFIXES):
        return False
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "text/html"


def install(app: Flask) -> None:
    """Register the HTML 404 (a code handler wins over the kernel's class handler)."""

    @app.errorhandler(404)
    def _not_found(exc: NotFound) -> Response | tuple[str, int]:
        if wants_html():
            return error_page(404, "页面不存在", ["您访问的页面不存在，请返回公开名录查询。"])
        return problem_response(404, "Not Found", exc.description or "")
