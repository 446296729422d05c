"""What every view needs: the wired dependencies, commit metadata, path parsing, problems."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from flask import current_app, g
from flask_smorest import Blueprint
from marshmallow import ValidationError

from escrow.api.fields import uscc_value
from escrow.app.common import Policies
from shared.clock import Clock
from shared.eventstore import CommitMeta, EventStore
from shared.http.problems import PROBLEM, Problem

EXTENSION = "escrow"
IDEMPOTENCY_KEY = {
    "in": "header", "name": "Idempotency-Key", "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": 200},
    "description": "重试安全：相同的键与请求体返回第一次的结果",
}


@dataclass(frozen=True)
class Deps:
    """The service's dependencies, built once by bootstrap.create_app."""

    store: EventStore
    clock: Clock
    policies: Policies


def deps() -> Deps:
    return current_app.extensions[EXTENSION]


def commit_meta() -> CommitMeta:
    """Who acts (from the verified token) and a fresh command id."""
    principal = g.principal
    return CommitMeta(command_id=str(uuid.uuid4()), actor_dept=principal.role,
                      actor=principal.sub)


def path_uscc(raw: str) -> str:
    """Canonical USCC from the URL, or 422 problem+json."""
    try:
        return uscc_value(raw)
    except ValidationError as exc:
        raise Problem(422, "Unprocessable Entity", "统一社会信用代码无效",
                      errors={"uscc": exc.messages}) from exc


def problem_doc(blp: Blueprint, status: int, description: str) -> Any:
    from escrow.api.schemas import ProblemSchema

    return blp.alt_response(status, schema=ProblemSchema, content_type=PROBLEM,
                            description=description)


def version_headers(version: int) -> dict[str, str]:
    return {"ETag": f'"{version}"'}
