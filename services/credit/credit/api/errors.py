"""Domain refusals as problem+json (version conflicts: the kernel's handler)."""

from __future__ import annotations

from flask import Flask, Response

from credit.domain.errors import Conflict, Forbidden, InvalidCommand, NotFound
from shared.http.problems import problem_response


def install(app: Flask) -> None:
    """Register after the kernel's handlers; Flask picks the most specific class."""

    @app.errorhandler(InvalidCommand)
    def _invalid(exc: InvalidCommand) -> Response:
        return problem_response(422, "Unprocessable Entity", exc.detail, exc.errors)

    @app.errorhandler(NotFound)
    def _not_found(exc: NotFound) -> Response:
        return problem_response(404, "Not Found", exc.detail)

    @app.errorhandler(Conflict)
    def _conflict(exc: Conflict) -> Response:
        return problem_response(409, "Conflict", exc.detail)

    @app.errorhandler(Forbidden)
    def _forbidden(exc: Forbidden) -> Response:
        return problem_response(403, "Forbidden", exc.detail)
