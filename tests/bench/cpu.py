"""Where a load's CPU goes: the machine's busy cores and each process's share over an
interval, read from /proc (Linux). The scale bench meters its filings with it, so the note can
say whether the machine, not the code, is the ceiling."""

from __future__ import annotations

import os
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def machine_jiffies() -> tuple[int, int]:
    """(busy, total) jiffies of every CPU since boot (idle and iowait are not busy)."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    return sum(values) - idle, sum(values)


def cpu_seconds(pid: int | str) -> float:
    """CPU seconds (user + system) a process has used so far (OSError once it is gone)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def role(argv: list[str]) -> str:
    """A process's part in the stack, from its command line: the module it runs (a web
    service's package and "web"), or its program's name."""
    if "-m" in argv[:-1]:
        module = argv[argv.index("-m") + 1]
        if module == "gunicorn":
            app = next((a for a in argv if ":create_app" in a), "")
            return f"{app.split('.')[0]} web" if app else "gunicorn"
        return module
    names = [Path(a).name for a in argv[:2]]
    if len(names) > 1 and names[0].startswith("python"):
        return names[1]
    return names[0].split("-v")[0] if names else "?"


def processes() -> dict[int, tuple[str, float]]:
    """Per live process its role and CPU seconds (user + system) so far."""
    found: dict[int, tuple[str, float]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            used = cpu_seconds(entry.name)
            argv = (entry / "cmdline").read_bytes().decode(errors="replace").split("\0")
        except OSError:  # gone meanwhile
            continue
        argv = [a for a in argv if a]
        if argv:
            found[int(entry.name)] = (role(argv), used)
    return found


@dataclass
class CpuMeter:
    """``start()``, then ``stop()``: busy cores machine-wide and per role over that time."""

    _at: float = 0.0
    _machine: tuple[int, int] = (0, 0)
    _procs: dict[int, tuple[str, float]] = field(default_factory=dict)

    def start(self) -> None:
        self._at, self._machine, self._procs = time.monotonic(), machine_jiffies(), processes()

    def stop(self) -> tuple[float, dict[str, float]]:
        seconds = max(time.monotonic() - self._at, 1e-9)
        busy, total = machine_jiffies()
        span = max(total - self._machine[1], 1)
        cores = (busy - self._machine[0]) / span * (os.cpu_count() or 1)
        by_role: Counter[str] = Counter()
        for pid, (name, cpu) in processes().items():
            spent = cpu - self._procs.get(pid, (name, 0.0))[1]
            if spent > 0:
                by_role[name] += spent / seconds
        return cores, dict(by_role.most_common())
