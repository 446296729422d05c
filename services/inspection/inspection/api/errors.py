"""The draw's own refusal as problem+json (the kernel maps the other domain errors)."""

from __future__ import annotations

from flask import Flask, Response

from inspection.domain.errors import DrawInfeasible
from shared.http.problems import problem_response

INFEASIBLE = "https://eldercare.example.gov.cn/problems/draw-infeasible"


def install(app: Flask) -> None:
    """Register after the kernel's handlers; Flask picks the most specific class."""

    @app.errorhandler(DrawInfeasible)
    def _infeasible(exc: DrawInfeasible) -> Response:
        return problem_response(422, "Draw Infeasible", exc.detail, type_=INFEASIBLE,
                                uscc=exc.uscc or None, department=exc.department or None)
