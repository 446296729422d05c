"""What every view needs: the Context, commit metadata, path parsing, problem docs."""

from __future__ import annotations

import uuid
from typing import Any

from flask import current_app, g
from flask_smorest import Blueprint
from marshmallow import ValidationError

from credit.api.fields import uscc_value
from credit.app.common import Context
from shared.eventstore import CommitMeta
from shared.http.problems import PROBLEM, Problem

EXTENSION = "credit"
DEPARTMENTS = ("civil_affairs", "market_supervision", "fire_rescue", "health", "emergency",
               "public_security", "finance")
IDEMPOTENCY_KEY = {
    "in": "header", "name": "Idempotency-Key", "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": 200},
    "description": "重试安全：相同的键与请求体返回第一次的结果",
}


def ctx() -> Context:
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


def problem(blp: Blueprint, status: int, description: str) -> Any:
    from credit.api.schemas import ProblemSchema

    return blp.alt_response(status, schema=ProblemSchema, content_type=PROBLEM,
                            description=description)
