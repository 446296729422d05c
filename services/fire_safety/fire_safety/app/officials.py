"""Use cases: register and deactivate named officials; read the register."""

from __future__ import annotations

from fire_safety.app.common import Handled, officials_directory, run_officials
from fire_safety.domain.officials import (
    DeactivateOfficial,
    Official,
    RegisterOfficial,
    decide_deactivate,
    decide_register,
)
from shared.eventstore import CommitMeta, EventStore


def register_official(cmd: RegisterOfficial, *, store: EventStore,
                      meta: CommitMeta) -> Handled[dict[str, Official]]:
    """OfficialRegistered unless the same details are registered already."""
    return run_officials(store, lambda s: decide_register(s, cmd), meta)


def deactivate_official(cmd: DeactivateOfficial, *, store: EventStore,
                        meta: CommitMeta) -> Handled[dict[str, Official]]:
    """OfficialDeactivated unless inactive already."""
    return run_officials(store, lambda s: decide_deactivate(s, cmd), meta)


def officials_of(department: str, *, store: EventStore) -> list[Official]:
    """The department's officials (active and inactive), by login."""
    return sorted((o for o in officials_directory(store).values()
                   if o.department == department), key=lambda o: o.login)
