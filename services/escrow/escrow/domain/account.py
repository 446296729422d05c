"""Opening and closing the supervised custody account (资金监管专户)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from escrow.domain.errors import Conflict, InvalidCommand, NotFound
from escrow.domain.events import EscrowAccountClosed, EscrowAccountOpened, EscrowEvent
from escrow.domain.policy import PolicyVersion
from escrow.domain.state import Escrow

ACCOUNT_NUMBER = re.compile(r"^[0-9]{8,32}$")


def mask_account(number: str) -> tuple[str, str]:
    """Masked form and last four digits; the full number is never stored."""
    digits = re.sub(r"[\s-]", "", number)
    if not ACCOUNT_NUMBER.match(digits):
        raise InvalidCommand({"account_number": ["须为 8–32 位数字的银行账号"]})
    return "*" * (len(digits) - 4) + digits[-4:], digits[-4:]


@dataclass(frozen=True)
class OpenAccount:
    uscc: str
    jurisdiction: str
    bank: str
    account_number: str
    custody_agreement_id: str
    today: date


def decide_open(state: Escrow, cmd: OpenAccount, policy: PolicyVersion) -> list[EscrowEvent]:
    """One open account per institution; an identical retry changes nothing."""
    masked, last4 = mask_account(cmd.account_number)
    acc = state.account
    if acc is not None and acc.is_open:
        same = (acc.account_masked, acc.bank, acc.custody_agreement_id, acc.jurisdiction) == (
            masked, cmd.bank, cmd.custody_agreement_id, cmd.jurisdiction)
        if same:
            return []
        raise Conflict(f"机构 {cmd.uscc} 已有开立中的监管专户（尾号 {acc.account_masked[-4:]}）")
    return [EscrowAccountOpened(
        institution_uscc=cmd.uscc, jurisdiction=cmd.jurisdiction, bank=cmd.bank,
        account_masked=masked, account_last4=last4,
        custody_agreement_id=cmd.custody_agreement_id, opened_on=cmd.today,
        policy=policy.ref(), terms=policy.terms)]


def decide_close(state: Escrow, uscc: str, reason: str, today: date) -> list[EscrowEvent]:
    """Close only when nothing is owed to residents; a second close changes nothing."""
    if not reason.strip():
        raise InvalidCommand({"reason": ["关闭理由不能为空"]})
    if state.account is None:
        raise NotFound(f"机构 {uscc} 没有监管专户")
    if not state.account.is_open:
        return []
    owed = state.liabilities_fen
    if owed > 0:
        raise Conflict(f"专户仍有应退老人款项 {owed} 分，不能关闭")
    return [EscrowAccountClosed(institution_uscc=uscc, reason=reason.strip(), closed_on=today)]


def open_account_or_fail(state: Escrow, uscc: str) -> None:
    """Money may only be taken into an open supervised account (seed: 专户管理)."""
    if state.account is None or not state.account.is_open:
        raise Conflict(f"机构 {uscc} 没有开立中的资金监管专户，不能登记合同或收取押金/预收费")
