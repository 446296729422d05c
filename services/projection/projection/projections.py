"""Every projection the service runs, in one explicit list: what each consumes is declared in
its projector (topics, event types); the consumer process and the rebuild command use this."""

from __future__ import annotations

from projection import projector as directory
from projection.features.complaints import projector as complaints
from projection.features.credit import projector as credit
from projection.features.dashboard import projector as dashboard
from projection.features.desk import projector as desk
from projection.features.escrow import projector as escrow
from projection.features.fire_safety import projector as fire_safety
from projection.features.inspection import projector as inspection
from shared.readside.projector import Projector

PROJECTORS: tuple[Projector, ...] = (
    directory.PROJECTOR, complaints.PROJECTOR, credit.PROJECTOR, dashboard.PROJECTOR,
    desk.PROJECTOR, escrow.PROJECTOR, fire_safety.PROJECTOR, inspection.PROJECTOR)


def by_name(name: str) -> Projector:
    return next(p for p in PROJECTORS if p.name == name)
