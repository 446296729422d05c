"""Escrow's own refusals as problem+json (the kernel maps the other domain errors)."""

from __future__ import annotations

from flask import Flask, Response

from escrow.domain.errors import CapExceeded, StatementInvalid
from shared.http.problems import problem_response

CAP_PROBLEM = "https://eldercare.example.gov.cn/problems/escrow/deposit-cap-exceeded"
STATEMENT_PROBLEM = "https://eldercare.example.gov.cn/problems/escrow/statement-invalid"


def install(app: Flask) -> None:
    """Register after the kernel's handlers; Flask picks the most specific class."""

    @app.errorhandler(CapExceeded)
    def _cap(exc: CapExceeded) -> Response:
        # the refusal was stored as DepositRejected: 422 tells the client, the event the rest
        return problem_response(422, "Deposit Cap Exceeded", exc.detail,
                                {"amount_fen": [exc.detail]}, CAP_PROBLEM, **exc.facts)

    @app.errorhandler(StatementInvalid)
    def _statement(exc: StatementInvalid) -> Response:
        return problem_response(422, "Statement Invalid", exc.detail, exc.line_errors,
                                STATEMENT_PROBLEM, applied=False)
