"""Every public list is paged: ``?page=`` (from 1) and ``?per_page=`` (at most MAX_PER_PAGE).

Out-of-range or unreadable values fall back to the nearest valid ones (a page past the end
shows the last page): a reader following an old link still gets a page, never an error.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from flask import request, url_for

PER_PAGE, MAX_PER_PAGE = 50, 100
T = TypeVar("T")


def _int(name: str, default: int) -> int:
    try:
        return int(request.args.get(name, default))
    except (TypeError, ValueError):
        return default


def page_of(rows: Sequence[T]) -> tuple[list[T], dict[str, Any]]:
    """The rows of the requested page and the pager (page, pages, per_page, total, and
    the links to the previous and next pages keeping the other query arguments)."""
    per_page = min(MAX_PER_PAGE, max(1, _int("per_page", PER_PAGE)))
    pages = max(1, -(-len(rows) // per_page))
    page = min(pages, max(1, _int("page", 1)))
    keep = {**(request.view_args or {}),
            **{k: v for k, v in request.args.items() if k != "page"}}

    def link(n: int) -> str | None:
        return url_for(str(request.endpoint), **{**keep, "page": n}) if 1 <= n <= pages \
            else None

    start = (page - 1) * per_page
    return list(rows[start:start + per_page]), {
        "page": page, "pages": pages, "per_page": per_page, "total": len(rows),
        "prev": link(page - 1), "next": link(page + 1)}
