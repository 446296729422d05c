"""Domain refusals as problem+json (version conflicts: the kernel's handler)."""

from __future__ import annotations

from flask import Flask, Response

from escrow.domain.errors import (
    CapExceeded,
    Conflict,
    InvalidCommand,
    NotFound,
    StatementInvalid,
)
from shared.http.problems import problem_response

CAP_PROBLEM = "https://eldercare.example.gov.cn/problems/escrow/deposit-cap-exceeded"
STATEMENT_PROBLEM = "https://eldercare.example.gov.cn/problems/escrow/statement-invalid"


def install(app: Flask) -> None:
    """Register after the kernel's handlers; Flask picks the most specific class."""

    @app.errorhandler(InvalidCommand)
    def _invalid(exc: InvalidCommand) -> Response:
        return problem_response(422, "Unprocessable Entity", exc.detail, exc.errors)

    @app.errorhandler(CapExceeded)
    def _cap(exc: CapExceeded) -> Response:
        # the refusal was stored as DepositRejected: 422 tells the client, the event the rest
        return problem_response(422, "Deposit Cap Exceeded", exc.detail,
                                {"amount_fen": [exc.detail]}, CAP_PROBLEM, **exc.facts)

    @app.errorhandler(StatementInvalid)
    def _statement(exc: StatementInvalid) -> Response:
        return problem_response(422, "Statement Invalid", exc.detail, exc.line_errors,
                                STATEMENT_PROBLEM, applied=False)

    @app.errorhandler(NotFound)
    def _not_found(exc: NotFound) -> Response:
        return problem_response(404, "Not Found", exc.detail)

    @app.errorhandler(Conflict)
    def _conflict(exc: Conflict) -> Response:
        return problem_response(409, "Conflict", exc.detail)
