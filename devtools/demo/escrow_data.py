"""The escrow demo data set: five supervised accounts under the Chongqing default policy.

Chongqing (version 0): deposit <= 6 x monthly service fee and never above the national ceiling
of 12 x monthly bed fee (the lower applies), prepaid <= 12 months, refunds due
30 days after a contract ends, risk reserve 5 % of what is owed. Residents appear only as
pseudonymous ``R-`` references. Amounts are integer fen.

* 康乐 (registry demo #0): one deposit over the cap is refused (DepositRejected), and its
  statement lacks an accepted deposit and the reserve: the import reveals a shortfall.
* 怡园 (#14): a contract ended 25 days ago, refunded in full 12 days ago (on time).
* the others: deposits and prepayments within the caps, monthly draws, a statement that
  covers liabilities plus reserve (compliant).

Dates count back from today. Institutions are recomputed from devtools.demo.registry_data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from devtools.demo.registry_data import build

JURISDICTION = "chongqing"


@dataclass(frozen=True)
class Declaration:
    kind: str  # deposit / prepayment
    receipt_no: str
    amount_fen: int
    over_cap: bool = False  # expected to be refused (422, recorded as DepositRejected)
    booked: bool = True  # the money reached the custody account (a bank statement line)


@dataclass(frozen=True)
class DemoContract:
    contract_id: str
    resident_ref: str
    service_fen: int
    bed_fen: int
    started_days_ago: int
    declarations: tuple[Declaration, ...]
    draws: int = 0  # months drawn from the prepayment: the last complete months
    ended_days_ago: int | None = None
    refunded_days_ago: int | None = None  # the whole refund, paid then

    def starts_on(self, today: date) -> date:
        return today - timedelta(days=self.started_days_ago)

    def body(self, today: date) -> dict[str, object]:
        return {"contract_id": self.contract_id, "resident_ref": self.resident_ref,
                "monthly_service_fee_fen": self.service_fen, "monthly_bed_fee_fen": self.bed_fen,
                "starts_on": self.starts_on(today).isoformat()}

    def periods(self, today: date) -> list[str]:
        """The months drawn: the last ``draws`` complete months before today's."""
        out, y, m = [], today.year, today.month
        for _ in range(self.draws):
            y, m = (y - 1, 12) if m == 1 else (y, m - 1)
            out.append(f"{y:04d}-{m:02d}")
        return sorted(out)

    @property
    def accepted(self) -> list[Declaration]:
        return [d for d in self.declarations if not d.over_cap]

    def refund_fen(self) -> int:
        return sum(d.amount_fen for d in self.accepted) - self.draws * self.service_fen


@dataclass(frozen=True)
class DemoAccount:
    institution: int  # registry demo index
    bank: str
    account_number: str
    agreement: str
    contracts: tuple[DemoContract, ...]
    reserve_booked: bool = True

    def uscc(self, today: date) -> str:
        return build(self.institution, today).uscc

    def account_body(self) -> dict[str, str]:
        return {"jurisdiction": JURISDICTION, "bank": self.bank,
                "account_number": self.account_number, "custody_agreement_id": self.agreement}


def _d(receipt: str, amount: int, **kw: bool) -> Declaration:
    return Declaration("deposit", receipt, amount, **kw)


def _p(receipt: str, amount: int) -> Declaration:
    return Declaration("prepayment", receipt, amount)


ACCOUNTS = (
    DemoAccount(0, "重庆银行渝中支行", "3101 0120 0000 8801", "YZMZ-JG-2026-001", (
        DemoContract("HT-2026-001", "R-K7M2Q9", 480_000, 150_000, 200,
                     (_d("YJ-0001", 1_440_000), _p("YS-0001", 1_440_000)), draws=2),
        DemoContract("HT-2026-002", "R-P3X8N1", 520_000, 160_000, 45,
                     (_d("YJ-0002", 1_600_000, booked=False),  # cap: 12 x 1,600 元 bed
                      _d("YJ-0003", 400_000, over_cap=True))),
    ), reserve_booked=False),
    DemoAccount(7, "中国农业银行重庆渝中支行", "3101 0120 0000 8802", "YZMZ-JG-2026-002", (
        DemoContract("HT-2026-001", "R-7F3A9C", 360_000, 120_000, 300,
                     (_d("YJ-0001", 1_080_000),)),
        DemoContract("HT-2026-002", "R-2B8E4D", 390_000, 120_000, 90,
                     (_d("YJ-0002", 1_170_000), _p("YS-0001", 780_000)), draws=1),
    )),
    DemoAccount(14, "重庆农村商业银行渝中支行", "3101 0120 0000 8803", "YZMZ-JG-2026-003", (
        DemoContract("HT-2025-017", "R-9Q4W7E", 650_000, 200_000, 400,
                     (_d("YJ-0001", 1_950_000),), ended_days_ago=25, refunded_days_ago=12),
        DemoContract("HT-2026-002", "R-5T6Y8U", 680_000, 200_000, 150,
                     (_d("YJ-0002", 2_040_000), _p("YS-0001", 2_040_000)), draws=3),
        DemoContract("HT-2026-003", "R-3H5J7K", 620_000, 180_000, 20,
                     (_d("YJ-0003", 1_860_000),)),
    )),
    DemoAccount(21, "中国工商银行重庆解放碑支行", "3101 0120 0000 8804", "YZMZ-JG-2026-004", (
        DemoContract("HT-2026-001", "R-6M1N3P", 450_000, 140_000, 60,
                     (_d("YJ-0001", 1_350_000),)),
        DemoContract("HT-2026-002", "R-8R2S4T", 450_000, 140_000, 30,
                     (_d("YJ-0002", 900_000), _p("YS-0001", 1_350_000))),
    )),
    DemoAccount(28, "重庆三峡银行渝中支行", "3101 0120 0000 8805", "YZMZ-JG-2026-005", (
        DemoContract("HT-2026-001", "R-4V9X2Z", 300_000, 100_000, 180,
                     (_d("YJ-0001", 900_000),)),
    )),
)


def statement_csv(account: DemoAccount, today: date, reserve_fen: int) -> str:
    """The custody bank's statement: money in per booked receipt, draws and refunds out."""
    rows: list[tuple[date, str, int]] = []
    for c in account.contracts:
        ref, start = f"{account.agreement}-{c.contract_id}", c.starts_on(today)
        rows += [(start, f"{ref}-{d.receipt_no}", d.amount_fen) for d in c.accepted if d.booked]
        for period in c.periods(today):
            y, m = int(period[:4]), int(period[5:])
            paid = date(y + m // 12, m % 12 + 1, 1)  # fees leave on the 1st of the next month
            rows.append((min(paid, today), f"{ref}-KF-{period}", -c.service_fen))
        if c.refunded_days_ago is not None:
            rows.append((today - timedelta(days=c.refunded_days_ago),
                         refund_reference(account, c), -c.refund_fen()))
    if account.reserve_booked and reserve_fen > 0:
        reserve = -(-reserve_fen // 10_000) * 10_000  # rounded up to whole 100 元
        rows.append((today, f"{account.agreement}-FXBZJ", reserve))
    lines = ["bank_txn_id,booked_on,amount_fen"]
    lines += [f"{ref},{day.isoformat()},{amount}" for day, ref, amount in sorted(rows)]
    return "\n".join(lines) + "\n"


def refund_reference(account: DemoAccount, contract: DemoContract) -> str:
    return f"{account.agreement}-{contract.contract_id}-TK"
