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
