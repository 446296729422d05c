"""Use cases of the transparency log: record a disclosure event, sign a checkpoint, prove
inclusion and consistency, show an entry."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, Protocol

from shared import merkle
from shared.domain import InvalidCommand, NotFound
from shared.envelope import Envelope
from shared.signednote import Checkpoint, Signer
from translog.domain.leaves import DISCLOSURES, TAKEDOWNS, record_of


class LogStore(Protocol):
    def size(self) -> int: ...
    def append(self, event_id: str, key: str, record: dict[str, Any]) -> int: ...
    def append_many(self, items: Sequence[tuple[str, str, dict[str, Any]]]) -> list[int]: ...
    def take_down(self, key: str) -> int: ...
    def leaf_datas(self, size: int, start: int = 0) -> list[bytes]: ...
    def leaves_from(self, start: int) -> list[bytes]: ...
    def save_nodes(self, nodes: Sequence[tuple[int, int, bytes]]) -> None: ...
    def perfect(self, level: int, index: int) -> bytes: ...
    def entry(self, index: int) -> dict[str, Any] | None: ...
    def by_event(self, event_id: str) -> dict[str, Any] | None: ...
    def by_key(self, key: str) -> list[dict[str, Any]]: ...
    def save_checkpoint(self, size: int, note: str, at: str, previous: int = 0,
                        frontier: Sequence[bytes] = ()) -> bool: ...
    def latest_checkpoint(self) -> dict[str, Any] | None: ...
    def checkpoint(self, size: int) -> dict[str, Any] | None: ...
    def first_checkpoint_including(self, index: int) -> dict[str, Any] | None: ...


def on_event(log: LogStore, env: Envelope) -> int | None:
    """Append the event when it discloses something (its index), taking down what it
    withdraws; None for any other event."""
    found = DISCLOSURES.get((env.service, env.name))
    if found is None:
        return None
    index = log.append(env.id, found.key(env.data),
                       record_of(env.service, env.name, env.id, env.data))
    takedown = TAKEDOWNS.get((env.service, env.name))
    if takedown is not None:
        log.take_down(takedown(env.data))
    return index


def on_events(log: LogStore, envs: Sequence[Envelope]) -> list[int | None]:
    """``on_event`` for a consumer's batch, with the same result: disclosures are appended
    together, and before each take-down whatever came before it is in the log."""
    out: list[int | None] = []
    pending: list[tuple[int, tuple[str, str, dict[str, Any]]]] = []

    def flush() -> None:
        for (slot, _), index in zip(pending, log.append_many([i for _, i in pending]),
                                    strict=True):
            out[slot] = index
        pending.clear()

    for env in envs:
        out.append(None)
        found = DISCLOSURES.get((env.service, env.name))
        if found is None:
            continue
        pending.append((len(out) - 1, (env.id, found.key(env.data),
                                       record_of(env.service, env.name, env.id, env.data))))
        takedown = TAKEDOWNS.get((env.service, env.name))
        if takedown is not None:
            flush()
            log.take_down(takedown(env.data))
    flush()
    return out


def sign_checkpoint(log: LogStore, signer: Signer, origin: str) -> str:
    """Sign the tree head of everything appended so far (a new note only when it grew).

    It goes on from the last checkpoint's compact range and reads only the leaves added
    since (a checkpoint of an old log without one reads them all, once); the log is never
    counted."""
    latest = log.latest_checkpoint()
    start, frontier = 0, []
    if latest is not None and "frontier" not in latest and log.size() == int(latest["_id"]):
        return str(latest["note"])
    if latest is not None and "frontier" in latest:
        start, frontier = int(latest["_id"]), [bytes.fromhex(h) for h in latest["frontier"]]
    added = log.leaves_from(start)
    size = start + len(added)
    if latest is not None and int(latest["_id"]) == size:
        return str(latest["note"])
    nodes: list[tuple[int, int, bytes]] = []
    frontier = merkle.extend(frontier, start, (merkle.leaf_hash(x) for x in added),
                             lambda level, index, digest: nodes.append((level, index, digest)))
    log.save_nodes(nodes)  # before the checkpoint, which says they are kept
    head = Checkpoint(origin, size, merkle.frontier_root(frontier))
    note = signer.sign(head.text())
    log.save_checkpoint(size, note, datetime.now(UTC).isoformat(),
                        0 if latest is None else int(latest["_id"]), frontier)
    return note


def beacon(log: LogStore, key: str) -> dict[str, Any]:
    """The public random value a draw uses (docs/draw-algorithm.md): the first signed
    checkpoint whose tree holds the first leaf of ``key``, with the checkpoint signed just
    before it (which does not hold the leaf) and a consistency proof between the two."""
    found = log.by_key(key)
    if not found:
        raise NotFound(f"日志中没有 {key} 的记录")
    index = int(found[0]["_id"])
    first = log.first_checkpoint_including(index)
    if first is None:
        raise NotFound(f"日志还没有签发包含第 {index} 条（{key}）的检查点，请稍后再试")
    previous = int(first.get("previous") or 0)
    before = log.checkpoint(previous) if previous else None
    return {"key": key, "index": index, "checkpoint": first["note"],
            "previous": before["note"] if before else None,
            "consistency": consistency(log, previous, int(first["_id"])) if previous else []}


def _size(log: LogStore, size: int | None) -> int:
    current = log.size()
    if size is None:
        return current
    if not 0 < size <= current:
        raise InvalidCommand({"size": [f"须在 1 与当前日志大小 {current} 之间"]})
    return size


def inclusion(log: LogStore, index: int, size: int) -> list[str]:
    size = _size(log, size)
    if not 0 <= index < size:
        raise InvalidCommand({"index": [f"须小于 {size}"]})
    return [p.hex() for p in merkle.inclusion_path(index, size, _subtree(log))]


def consistency(log: LogStore, first: int, second: int) -> list[str]:
    second = _size(log, second)
    if not 0 < first <= second:
        raise InvalidCommand({"first": [f"须在 1 与 {second} 之间"]})
    return [p.hex() for p in merkle.consistency_path(first, second, _subtree(log))]


def _subtree(log: LogStore) -> Callable[[int, int], bytes]:
    """MTH of a proof's subtree from the kept perfect subtrees: a proof reads about
    log2(size) of them and at most a few hundred leaves, not the whole log."""
    return lambda start, end: merkle.range_root(start, end, log.perfect)


def entry(log: LogStore, index: int) -> dict[str, Any]:
    doc = log.entry(index)
    if doc is None:
        raise NotFound(f"日志中没有第 {index} 条")
    return {"index": int(doc["_id"]), "leaf": doc["leaf"], "public": bool(doc["public"]),
            "record": doc.get("record"), "salt": doc.get("salt"),
            "event_id": doc["event_id"]}


def lookup(log: LogStore, key: str) -> list[dict[str, Any]]:
    """Where a public thing is in the log: its leaves, oldest first."""
    return [{"index": int(d["_id"]), "public": bool(d["public"]), "event_id": d["event_id"],
             "kind": (d.get("record") or {}).get("kind")} for d in log.by_key(key)]


def entries(log: LogStore, start: int, end: int) -> list[dict[str, Any]]:
    """Entries start..end-1 that exist."""
    return [entry(log, i) for i in range(start, min(end, log.size()))]
