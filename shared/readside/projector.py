"""What a projection declares, and the event it folds (free of Kafka and MongoDB types)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from shared.envelope import Envelope, parse_ce_type

Doc = dict[str, Any]
DocKey = tuple[str, str]  # (logical collection, document _id)
Docs = Mapping[DocKey, "Doc | None"]
Increments = dict[DocKey, int]  # (counter collection, key) -> how much "n" moves


@dataclass(frozen=True)
class Event:
    """One event as the read side keeps it: its stream, version, contract type and data."""

    id: str
    stream: str
    version: int
    type: str
    data: dict[str, Any]
    time: datetime
    subject: str = ""
    source: str = ""
    position: int = 0

    @property
    def name(self) -> str:
        return parse_ce_type(self.type)[1]

    @property
    def schema_version(self) -> int:
        return parse_ce_type(self.type)[2]


class Projector(Protocol):
    """One read model: the port every projection fills in (see Projection)."""

    name: str  # names its pointer, cursors and metrics
    group: str  # Kafka consumer group
    topics: tuple[str, ...]
    event_types: frozenset[str]  # ce_types it folds; other events only advance the cursor
    inbox: str  # collection keeping every event received (rebuilds, time travel)
    collections: Mapping[str, tuple[str, ...]]  # logical collection -> single-field indexes
    versioned: frozenset[str]  # collections whose documents belong to one stream (`_v`)
    counters: frozenset[str]  # collections of {_id: key, n: int} moved by `derive`

    def stream_of(self, env: Envelope) -> str: ...
    def targets(self, event: Event) -> Iterable[DocKey]: ...
    def fold(self, docs: Docs, event: Event) -> dict[DocKey, Doc]: ...
    def derive(self, collection: str, old: Doc | None, new: Doc | None) -> Increments: ...
    def inbox_fields(self, event: Event) -> dict[str, Any]: ...


def _subject(env: Envelope) -> str:
    return env.subject


def _no_fields(event: Event) -> dict[str, Any]:
    return {}


def _no_counts(collection: str, old: Doc | None, new: Doc | None) -> Increments:
    return {}


@dataclass(frozen=True)
class Projection:
    """A Projector made of plain functions (the usual way to declare one).

    ``targets(event)`` names the documents an event reads and writes; ``fold(docs, event)``
    is pure: given those documents (None when absent) it returns the ones it changes, whole.
    A document of a ``versioned`` collection belongs to the event's stream: it carries `_v`,
    the last version folded into it, and a redelivered version leaves it alone. Documents of
    other collections are patched from several streams, so folding an event twice must
    give the same document (set fields, never add to them).
    """

    name: str
    group: str
    topics: tuple[str, ...]
    event_types: frozenset[str]
    inbox: str
    collections: Mapping[str, tuple[str, ...]]
    targets: Callable[[Event], Iterable[DocKey]]
    fold: Callable[[Docs, Event], dict[DocKey, Doc]]
    versioned: frozenset[str] = frozenset()
    counters: frozenset[str] = frozenset()
    derive: Callable[[str, Doc | None, Doc | None], Increments] = _no_counts
    inbox_fields: Callable[[Event], dict[str, Any]] = _no_fields
    stream_of: Callable[[Envelope], str] = _subject


def to_event(env: Envelope, stream: str) -> Event:
    """The read side's event of an envelope."""
    return Event(id=env.id, stream=stream, version=env.stream_version, type=env.type,
                 data=env.data, time=env.time, subject=env.subject, source=env.source,
                 position=env.position)


def now() -> datetime:
    """When the read side received something (inbox ``received``, rebuild marks)."""
    return datetime.now(UTC)


def aware(moment: datetime) -> datetime:
    """Stores without tz_aware give naive UTC times back."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
