"""The escrow read model as a projection (shared.readside): one view per institution
(stream escrow-<USCC>) and one per jurisdiction's policy (stream policy-<jurisdiction>)."""

from __future__ import annotations

from projection.features.escrow.fold import (
    blank_institution,
    blank_policy,
    evolve_institution,
    evolve_policy,
)
from shared.config import topic_for
from shared.envelope import ce_type
from shared.readside import projector as rs

GROUP = "projection.escrow"
INBOX = "esc_inbox"
INSTITUTIONS = "esc_institutions"
POLICIES = "esc_policies"
# every escrow event: money events the fold does not name still carry the totals after them
EVENT_TYPES = frozenset(ce_type("escrow", name) for name in (
    "BankStatementImported", "ContractEnded", "DepositAccepted", "DepositRejected",
    "EscrowAccountClosed", "EscrowAccountOpened", "EscrowPolicyPublished",
    "EscrowShortfallDetected", "EscrowShortfallResolved", "PrepaymentDrawn", "RefundIssued",
    "RefundOverdue", "ResidentContractRegistered"))


def targets(e: rs.Event) -> list[rs.DocKey]:
    kind, _, key = e.stream.partition("-")
    return [(POLICIES if kind == "policy" else INSTITUTIONS, key)]


def fold(docs: rs.Docs, e: rs.Event) -> dict[rs.DocKey, rs.Doc]:
    (key,) = targets(e)
    old = docs[key] or {}
    if key[0] == POLICIES:
        blank, evolve = blank_policy(key[1]), evolve_policy
    else:
        blank, evolve = blank_institution(key[1]), evolve_institution
    view = evolve({**blank, **{k: old[k] for k in blank if k in old}}, e.name, e.data)
    return {key: {**old, **view}}


PROJECTOR = rs.Projection(
    name="escrow", group=GROUP, topics=(topic_for("escrow"),), event_types=EVENT_TYPES,
    inbox=INBOX, collections={INSTITUTIONS: ("jurisdiction",), POLICIES: ()},
    targets=targets, fold=fold, versioned=frozenset({INSTITUTIONS, POLICIES}))
