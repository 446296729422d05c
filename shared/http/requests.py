"""What write views need from the request: who acts, a USCC from the path, the ETag."""

from __future__ import annotations

import uuid

from flask import g
from marshmallow import ValidationError

from shared.eventstore import CommitMeta
from shared.http.fields import uscc_value
from shared.http.problems import Problem


def commit_meta() -> CommitMeta:
    """Who acts (from the verified token) and a fresh command id."""
    return CommitMeta.of(g.principal, str(uuid.uuid4()))


def path_uscc(raw: str) -> str:
    """Canonical USCC from the URL, or 422 problem+json."""
    try:
        return uscc_value(raw)
    except ValidationError as exc:
        raise Problem(422, "Unprocessable Entity", "统一社会信用代码无效",
                      errors={"uscc": exc.messages}) from exc


def version_headers(version: int) -> dict[str, str]:
    """ETag carries the stream version; send it back in If-Match to change safely."""
    return {"ETag": f'"{version}"'}
