"""Count every process's MongoDB commands while a benchmark runs (measurement only).

Put this folder first on PYTHONPATH and name an output folder in CMDCOUNT_DIR; every Python
process of the stack (services, relays, consumers, the bench itself) then registers a pymongo
command listener and writes ``<pid>.json`` (its command line, and per ``command:collection``
the number of commands and their summed client-side latency in µs) at most every 2 s.
``python -m tests.bench.cmdcount DIR`` sums them. Not imported by anything else.
"""

from __future__ import annotations

import collections
import json
import os
import sys
import time

_DIR = os.environ.get("CMDCOUNT_DIR")

if _DIR:
    from pymongo import monitoring

    class _Counting(monitoring.CommandListener):
        def __init__(self) -> None:
            self.count: collections.Counter[str] = collections.Counter()
            self.micros: collections.Counter[str] = collections.Counter()
            self.pending: dict[int, str] = {}
            self.written = time.monotonic()

        def started(self, event: monitoring.CommandStartedEvent) -> None:
            target = event.command.get(event.command_name)
            self.pending[event.request_id] = (
                f"{event.command_name}:{target if isinstance(target, str) else ''}")

        def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
            key = self.pending.pop(event.request_id, event.command_name)
            self.count[key] += 1
            self.micros[key] += event.duration_micros
            if time.monotonic() - self.written > 2:
                self.written = time.monotonic()
                path = os.path.join(str(_DIR), f"{os.getpid()}.json")
                with open(path, "w", encoding="utf-8") as f:
                    json.dump({"argv": sys.argv, "count": self.count, "us": self.micros}, f)

        def failed(self, event: monitoring.CommandFailedEvent) -> None:
            self.pending.pop(event.request_id, None)

    monitoring.register(_Counting())


def _shape(value: object) -> object:
    """A filter's shape: its keys and operators, no values."""
    if isinstance(value, dict):
        return {k: _shape(v) for k, v in value.items()} if any(
            k.startswith("$") for k in value) or len(value) else {}
    if isinstance(value, list):
        return [_shape(v) for v in value[:1]]
    return "?"


def _server_key(msg: dict) -> str:
    body, payload = {}, []
    for kind, doc in msg.get("sections", ()):
        if kind == "body":
            body = doc
        elif isinstance(doc, dict):
            payload.extend(doc.get("updates", ()) or doc.get("deletes", ()) or ())
    if not isinstance(body, dict) or not body:
        return "?"
    name = next(iter(body))
    target = body.get(name)
    where = (body.get("filter") or body.get("query") or (payload[0].get("q") if payload else None)
             or (body.get("updates") or body.get("deletes") or [{}])[0].get("q"))
    extra = ""
    if body.get("sort"):
        extra += f" sort={list(body['sort'])}"
    if name == "aggregate":
        extra += " " + ",".join(next(iter(s)) for s in body.get("pipeline", ()))
    return (f"{body.get('$db', '?')}.{target if isinstance(target, str) else ''} {name}"
            f" {json.dumps(_shape(where), ensure_ascii=False) if where else ''}{extra}")


if _DIR and sys.argv and sys.argv[0].endswith("nx-27017"):
    # the server's own time per command shape, measured inside its lock (no queueing)
    import nx_27017.handler as _handler

    _count: collections.Counter[str] = collections.Counter()
    _micros: collections.Counter[str] = collections.Counter()
    _written = [time.monotonic()]

    def _timed(inner):  # type: ignore[no-untyped-def]
        def run(self, msg, *args, **kwargs):  # type: ignore[no-untyped-def]
            started = time.perf_counter()
            try:
                return inner(self, msg, *args, **kwargs)
            finally:
                try:
                    key = _server_key(msg)
                except Exception:  # noqa: BLE001 - measurement only
                    key = "?"
                _count[key] += 1
                _micros[key] += int((time.perf_counter() - started) * 1e6)
                if time.monotonic() - _written[0] > 2:
                    _written[0] = time.monotonic()
                    with open(os.path.join(str(_DIR), "server.json.tmp"), "w",
                              encoding="utf-8") as f:
                        json.dump({"count": _count, "us": _micros}, f)
                    os.replace(os.path.join(str(_DIR), "server.json.tmp"),
                               os.path.join(str(_DIR), "server.json"))
        return run

    for _name in ("handle_command", "handle_insert"):
        _inner = getattr(_handler.NeoSQLiteHandler, _name).__wrapped__
        setattr(_handler.NeoSQLiteHandler, _name, _handler._serialize(_timed(_inner)))
