"""Domain refusals as problem+json (version conflicts: the kernel's handler)."""

from __future__ import annotations

from flask import Flask, Response

from inspection.domain.errors import Conflict, DrawInfeasible, InvalidCommand, NotFound
from shared.http.problems import problem_response

INFEASIBLE = "https://eldercare.example.gov.cn/problems/draw-infeasible"


def install(app: Flask) -> None:
    """Register after the kernel's handlers; Flask picks the most specific class."""

    @app.errorhandler(InvalidCommand)
    def _invalid(exc: InvalidCommand) -> Response:
        return problem_response(422, "Unprocessable Entity", exc.detail, exc.errors)

    @app.errorhandler(DrawInfeasible)
    def _infeasible(exc: DrawInfeasible) -> Response:
        return problem_response(422, "Draw Infeasible", exc.detail, type_=INFEASIBLE,
                                uscc=exc.uscc or None, department=exc.department or None)

    @app.errorhandler(NotFound)
    def _not_found(exc: NotFound) -> Response:
        return problem_response(404, "Not Found", exc.detail)

    @app.errorhandler(Conflict)
    def _conflict(exc: Conflict) -> Response:
        return problem_response(409, "Conflict", exc.detail)
