"""OpenAPI documentation of the kernel's answers: the RFC 7807 problem document."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint
from marshmallow import INCLUDE, Schema, fields

from shared.http.problems import PROBLEM


class ProblemSchema(Schema):
    """RFC 7807 problem document (application/problem+json).

    Problem types may add extension members (RFC 7807 §3.2), e.g. the escrow refusal's
    ``cap_fen`` and ``rule``: the document allows them (additionalProperties true).
    """

    class Meta:
        unknown = INCLUDE

    type = fields.String()
    title = fields.String()
    status = fields.Integer()
    detail = fields.String()
    instance = fields.String()
    errors = fields.Dict(metadata={"description": "field -> messages (422)"})


def problem_doc(blp: Blueprint, status: int, description: str) -> Any:
    """Document a problem+json answer of a view (a decorator)."""
    return blp.alt_response(status, schema=ProblemSchema, content_type=PROBLEM,
                            description=description)
