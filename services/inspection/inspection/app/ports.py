"""Ports the plan use cases need; bootstrap wires the MongoDB adapters (inspection.adapters)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from inspection.domain.snapshot import DirectoryEntry


class ObjectDirectory(Protocol):
    """The 检查对象名录: filed institutions with their credit class (fed by consumed events)."""

    def entries(self) -> list[DirectoryEntry]: ...

    def get(self, uscc: str) -> dict[str, Any] | None: ...


class Vault(Protocol):
    """Secrets of a draw: seeds, snapshots and the sealed conflicts' openings."""

    def new_secret(self, plan_id: str) -> str:
        """A fresh secret, kept under its commitment (found again only through it)."""
        ...

    def secret(self, commitment: str) -> str | None: ...

    def seed(self, plan_id: str) -> str | None:
        """The seed of a plan published before draws had a beacon."""
        ...

    def save_snapshot(self, snapshot: dict[str, Any]) -> str: ...

    def snapshot(self, key: str) -> dict[str, Any] | None: ...

    def salts_for(self, plan_id: str) -> Callable[[str], str]: ...

    def save_openings(self, snapshot_hash: str, openings: dict[str, dict[str, Any]]) -> None: ...

    def openings(self, snapshot_hash: str) -> dict[str, dict[str, Any]]: ...


class Beacon(Protocol):
    """The public random value of a draw attempt, from the transparency log: for a logged
    record's key, {"key", "index", "checkpoint"} of the first signed checkpoint holding it,
    or None while there is none yet."""

    def value(self, key: str) -> dict[str, Any] | None: ...
