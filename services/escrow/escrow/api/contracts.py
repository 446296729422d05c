"""Residents' contracts (pseudonymous), declared deposits/prepayments, draws, end, refunds."""

from __future__ import annotations

from typing import Any

from flask import g
from flask_smorest import Blueprint

from escrow.api.common import deps
from escrow.api.present import contract_of, result
from escrow.api.schemas import (
    CommandResultSchema,
    ContractRequestSchema,
    ContractStateSchema,
    DeclarationSchema,
    DrawSchema,
    EndSchema,
    RefundSchema,
)
from escrow.app.common import load_escrow
from escrow.app.contracts import declare_deposit, draw_prepayment, register_contract
from escrow.app.refunds import end_contract, issue_refund
from escrow.domain.contracts import RegisterContract, contract_or_fail
from shared.authority import WRITE_DUTIES
from shared.clock import china_today
from shared.http.auth import ROLES, roles_required
from shared.http.idempotency import IDEMPOTENCY_KEY
from shared.http.requests import commit_meta, path_uscc
from shared.http.schemas import problem_doc

blp = Blueprint("contracts", __name__, url_prefix="/api/v1/institutions",
                description="入住合同（仅假名化老人编号）、押金/预收费申报（按上限审核）、扣费与退款")
WRITE_ROLES = ("civil_affairs",)


@blp.route("/<uscc>/contracts", methods=["POST"])
@roles_required(*WRITE_ROLES, duties=WRITE_DUTIES)
@blp.arguments(ContractRequestSchema)
@blp.response(201, CommandResultSchema, description="已登记，记录合同开始时生效的规则版本")
@blp.alt_response(200, schema=CommandResultSchema, description="相同合同已登记")
@problem_doc(blp, 409, "没有开立中的专户，或合同编号已以不同内容登记")
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def register(body: dict[str, Any], uscc: str) -> tuple[dict[str, Any], int]:
    """Register a resident's contract."""
    uscc, d = path_uscc(uscc), deps()
    cmd = RegisterContract(uscc=uscc, today=china_today(d.clock), **body)
    handled = register_contract(cmd, store=d.store, policies=d.policies, meta=commit_meta())
    return result(d, uscc, handled, cmd.contract_id), 201 if handled.events else 200


@blp.route("/<uscc>/contracts/<contract_id>", methods=["GET"])
@roles_required(*ROLES)
@blp.response(200, ContractStateSchema)
@problem_doc(blp, 404, "没有该合同")
def get_contract(uscc: str, contract_id: str) -> dict[str, Any]:
    """One contract with its caps and amounts (regulators only, never public)."""
    uscc, d = path_uscc(uscc), deps()
    state, _ = load_escrow(d.store, uscc, reader=g.principal)
    return contract_of(contract_or_fail(state, contract_id), d)


@blp.route("/<uscc>/contracts/<contract_id>/deposits", methods=["POST"])
@roles_required(*WRITE_ROLES, duties=WRITE_DUTIES)
@blp.arguments(DeclarationSchema)
@blp.response(201, CommandResultSchema, description="在上限内：DepositAccepted")
@blp.alt_response(200, schema=CommandResultSchema, description="同一收据已受理")
@problem_doc(blp, 422, "超过上限：返回上限、金额与规则，且拒绝已记录为 DepositRejected")
@problem_doc(blp, 409, "合同已终止、没有专户，或收据号已以不同金额申报")
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def declare(body: dict[str, Any], uscc: str, contract_id: str) -> tuple[dict[str, Any], int]:
    """Declare a deposit, prepayment or membership fee taken from a resident."""
    uscc, d = path_uscc(uscc), deps()
    handled = declare_deposit(uscc, contract_id, body["kind"], body["receipt_no"],
                              body["amount_fen"], store=d.store, clock=d.clock,
                              policies=d.policies, meta=commit_meta())
    return result(d, uscc, handled, contract_id), 201 if handled.events else 200


@blp.route("/<uscc>/contracts/<contract_id>/draws", methods=["POST"])
@roles_required(*WRITE_ROLES, duties=WRITE_DUTIES)
@blp.arguments(DrawSchema)
@blp.response(200, CommandResultSchema)
@problem_doc(blp, 409, "该月已以不同金额扣费，或合同已终止")
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def draw(body: dict[str, Any], uscc: str, contract_id: str) -> dict[str, Any]:
    """Take one month's fee out of the prepayment."""
    uscc, d = path_uscc(uscc), deps()
    handled = draw_prepayment(uscc, contract_id, body["period"], body["amount_fen"],
                              store=d.store, clock=d.clock, policies=d.policies,
                              meta=commit_meta())
    return result(d, uscc, handled, contract_id)


@blp.route("/<uscc>/contracts/<contract_id>/end", methods=["POST"])
@roles_required(*WRITE_ROLES, duties=WRITE_DUTIES)
@blp.arguments(EndSchema)
@blp.response(200, CommandResultSchema, description="应退金额与退款期限见 contract")
@problem_doc(blp, 409, "已以不同日期终止")
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def end(body: dict[str, Any], uscc: str, contract_id: str) -> dict[str, Any]:
    """End a contract: deposit and unused prepayment become due."""
    uscc, d = path_uscc(uscc), deps()
    handled = end_contract(uscc, contract_id, body["ended_on"], store=d.store, clock=d.clock,
                           meta=commit_meta())
    return result(d, uscc, handled, contract_id)


@blp.route("/<uscc>/contracts/<contract_id>/refunds", methods=["POST"])
@roles_required(*WRITE_ROLES, duties=WRITE_DUTIES)
@blp.arguments(RefundSchema)
@blp.response(200, CommandResultSchema)
@problem_doc(blp, 409, "合同未终止，或凭证号已以不同金额登记")
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def refund(body: dict[str, Any], uscc: str, contract_id: str) -> dict[str, Any]:
    """Record a refund paid to the resident (late if after the deadline)."""
    uscc, d = path_uscc(uscc), deps()
    handled = issue_refund(uscc, contract_id, body["reference"], body["amount_fen"],
                           body["paid_on"], store=d.store, clock=d.clock, policies=d.policies,
                           meta=commit_meta())
    return result(d, uscc, handled, contract_id)
