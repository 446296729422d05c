"""Path parameters of public pages: a malformed one is a plain 404, never a 500."""

from __future__ import annotations

from flask import abort

from shared.uscc import InvalidUscc, canonical


def uscc_or_404(raw: str) -> str:
    """The canonical USCC named by a page path, or abort with 404."""
    try:
        return canonical(raw)
    except InvalidUscc:
        abort(404)
