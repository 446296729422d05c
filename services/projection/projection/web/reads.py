"""What the views need from the read side, shaped for output."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import current_app

from projection.adapters.directory import PublicDirectory
from projection.domain.directory import page_count
from projection.domain.institution import LEAD_EVENTS
from projection.domain.labels import EVENT_TITLES
from projection.web.params import directory_query

EXTENSION = "projection.directory"


def directory() -> PublicDirectory:
    return current_app.extensions[EXTENSION]  # type: ignore[no-any-return]


def find_page(args: dict[str, Any]) -> dict[str, Any]:
    """One page of matches with the paging facts (total, pages)."""
    page, per_page = args["page"], args["per_page"]
    total, items = directory().page(directory_query(args), page, per_page)
    return {"total": total, "page": page, "per_page": per_page,
            "pages": page_count(total, per_page), "items": items}


def institution_tag(uscc: str) -> str | None:
    """The current document's entity tag (None if unknown), without reading its history."""
    return directory().tag(uscc)


def find_institution(uscc: str, as_of: date | None = None) -> dict[str, Any] | None:
    """The current document, or the one at the end of ``as_of``; None if unknown."""
    doc = directory().as_of(uscc, as_of) if as_of else directory().get(uscc)
    if doc is None:
        return None
    # documents stored before leads left the public view may still hold lead entries
    history = [{**h, "title": EVENT_TITLES.get(h["type"], h["type"])}
               for h in doc.get("history", []) if h["type"] not in LEAD_EVENTS]
    return {**doc, "history": history, "as_of": as_of}
