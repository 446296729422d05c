"""Session fixtures: one Kafka and one MongoDB for the run (Docker, external or embedded)."""

from __future__ import annotations

import os
import tempfile
import uuid
from pathlib import Path

import pytest

from devtools.devstack import infra as infra_mod
from tests.signer import export_env

ROOT = Path(__file__).resolve().parents[1]
# services verify tokens of the session's own issuer (tests/signer.py): keys made per session
export_env(os.environ)  # type: ignore[arg-type]
os.environ.setdefault("ELDERCARE_EXTRA_CONTRACTS", str(ROOT / "tests" / "fixtures" / "contracts"))
if not os.environ.get("COMPLAINTS_SECRETS_FILE"):  # apps built by tests (openapi, authz)
    from complaints.app.secrets import write_new

    _secrets = Path(tempfile.mkdtemp(prefix="complaints-secrets-")) / "secrets.json"
    write_new(_secrets)
    os.environ["COMPLAINTS_SECRETS_FILE"] = str(_secrets)

_chosen: list[str] = []


@pytest.fixture(scope="session")
def infra(tmp_path_factory: pytest.TempPathFactory):
    """Real protocol servers for integration and e2e tests."""
    inf = infra_mod.select_for_tests(tmp_path_factory.mktemp("infra"))
    _chosen.append(inf.kind)
    yield inf
    inf.stop()


@pytest.fixture()
def unique() -> str:
    """A short unique suffix for databases, topics and groups of one test."""
    return uuid.uuid4().hex[:10]


def pytest_terminal_summary(terminalreporter, exitstatus, config):  # type: ignore[no-untyped-def]
    if _chosen:
        terminalreporter.write_line(f"Kafka/MongoDB used by this run: {', '.join(_chosen)}")
    usable, why = infra_mod.container_images()
    if not usable:
        terminalreporter.write_line(
            f"testcontainers not used: {why}; "
            "the same tests ran against the embedded stand-ins instead.")
