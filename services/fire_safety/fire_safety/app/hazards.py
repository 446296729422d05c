"""Use cases on one hazard: expert panel, rectification order, extension, re-inspection,
sealing."""

from __future__ import annotations

from typing import TypeAlias

from fire_safety.app.common import Handled, inspection_scope, officials_directory, run
from fire_safety.app.inspections import Deps
from fire_safety.domain.events import InspectionEvent
from fire_safety.domain.hazards import (
    ConfirmSealing,
    ConvenePanel,
    ExpertDetermination,
    LiftSealing,
    OrderSealing,
    PanelVote,
    SealingVote,
    decide_confirm_sealing,
    decide_convene,
    decide_expert,
    decide_lift_sealing,
    decide_sealing,
    decide_sealing_vote,
    decide_vote,
)
from fire_safety.domain.rectification import (
    ExtendRectification,
    OrderRectification,
    RecordReinspection,
    decide_extend,
    decide_order,
    decide_reinspection,
)
from fire_safety.domain.state import Inspection
from shared.authority import BUSINESS_DUTIES, INSPECTOR, LEADER, WRITE_DUTIES
from shared.eventstore import CommitMeta

HazardCommand: TypeAlias = (ExpertDetermination | ConvenePanel | PanelVote | OrderSealing
                            | ConfirmSealing | SealingVote | LiftSealing | OrderRectification
                            | ExtendRectification | RecordReinspection)


FIRE_RESCUE = ("fire_rescue",)  # hazards are the brigade's decisions, whoever inspected
# Decisions the rules reserve to a leader: convening the expert panel, putting a sealing
# (ordering, confirming an emergency sealing) to its members, lifting it, and extensions;
# re-inspection is inspectors' work; votes are each named member's own, whatever their duty.
HAZARD_DUTIES: dict[type, tuple[str, ...]] = {
    ExpertDetermination: (LEADER,), ConvenePanel: (LEADER,),
    PanelVote: BUSINESS_DUTIES,  # each member from their own account, whatever their duty
    OrderSealing: (LEADER,), ConfirmSealing: (LEADER,), LiftSealing: (LEADER,),
    SealingVote: BUSINESS_DUTIES,  # each named member from their own account
    ExtendRectification: (LEADER,), OrderRectification: WRITE_DUTIES,
    RecordReinspection: (INSPECTOR,),
}


def inspection_of(hazard_id: str) -> str:
    """Hazard ids are <inspection id>.<item code>."""
    return hazard_id.rsplit(".", 1)[0]


def handle(cmd: HazardCommand, *, deps: Deps, meta: CommitMeta) -> Handled[Inspection]:
    """Run one hazard command on the stream of the inspection that found the hazard."""
    cal, rules = deps.calendar, deps.rules
    names_members = isinstance(cmd, ExpertDetermination | ConvenePanel | PanelVote
                               | OrderSealing | ConfirmSealing)
    directory = officials_directory(deps.store) if names_members else {}

    def decide(s: Inspection) -> list[InspectionEvent]:
        match cmd:
            case ExpertDetermination():
                return decide_expert(s, cmd, rules, directory)
            case ConvenePanel():
                return decide_convene(s, cmd, rules, directory)
            case PanelVote():
                return decide_vote(s, cmd, rules, directory)
            case OrderSealing():
                return decide_sealing(s, cmd, rules, directory)
            case ConfirmSealing():
                return decide_confirm_sealing(s, cmd, rules, directory)
            case SealingVote():
                return decide_sealing_vote(s, cmd)
            case LiftSealing():
                return decide_lift_sealing(s, cmd)
            case OrderRectification():
                return decide_order(s, cmd, cal, rules)
            case ExtendRectification():
                return decide_extend(s, cmd, cal, rules)
            case RecordReinspection():
                return decide_reinspection(s, cmd, cal, rules)
        raise TypeError(type(cmd))

    duties = HAZARD_DUTIES[type(cmd)]
    return run(deps.store, inspection_of(cmd.hazard_id), decide, meta,
               scope=lambda s: inspection_scope(s, duties, FIRE_RESCUE))
