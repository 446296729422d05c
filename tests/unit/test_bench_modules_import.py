"""The benches are not run by `make test`, so a moved module would break them unseen: every
module of tests/bench at least imports."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

MODULES = sorted(p.stem for p in (Path(__file__).parents[1] / "bench").glob("*.py")
                 if p.stem != "__init__")


@pytest.mark.parametrize("name", MODULES)
def test_bench_module_imports(name):
    importlib.import_module(f"tests.bench.{name}")


def test_there_are_benches():
    assert {"run", "scale", "library", "relay", "consume", "reads"} <= set(MODULES)


def test_the_command_bench_files_on_both_sides():
    """The in-process work of the command bench runs (it broke unseen once, when commands
    began to require a verified official)."""
    from tests.bench.library import _file_library, _file_ours, _uscc

    usccs = [_uscc(9_000_000 + i) for i in range(3)]
    _file_ours(usccs)  # raises unless each institution was filed
    _file_library(usccs)
