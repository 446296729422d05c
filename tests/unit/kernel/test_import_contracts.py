"""Every service is under the import contracts `make lint` checks (a new one cannot escape)."""

from __future__ import annotations

import configparser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _contracts() -> configparser.ConfigParser:
    parser = configparser.ConfigParser()
    parser.read(ROOT / ".importlinter", encoding="utf-8")
    return parser


def _values(section: configparser.SectionProxy, key: str) -> set[str]:
    return {line.strip() for line in section[key].splitlines() if line.strip()}


SERVICES = sorted(p.name for p in (ROOT / "services").iterdir() if (p / p.name).is_dir())
LAYERED = [s for s in SERVICES if (ROOT / "services" / s / s / "app").is_dir()]


def test_every_service_and_devtools_are_root_packages_and_independent():
    c = _contracts()
    assert set(SERVICES) | {"shared", "devtools"} <= _values(c["importlinter"], "root_packages")
    assert _values(c["importlinter:contract:services-independent"], "modules") == set(SERVICES)
    assert set(SERVICES) <= _values(c["importlinter:contract:runtime-has-no-devtools"],
                                    "source_modules")


def test_every_service_with_use_cases_is_layered_and_uses_ports():
    c = _contracts()
    assert _values(c["importlinter:contract:service-layers"], "containers") == set(LAYERED)
    assert [ln for ln in c["importlinter:contract:service-layers"]["layers"].split() if ln] == [
        "api", "app", "domain"]
    inner = {f"{s}.{layer}" for s in LAYERED for layer in ("api", "app", "domain")}
    assert inner == _values(c["importlinter:contract:app-uses-ports"], "source_modules")
    assert inner == _values(c["importlinter:contract:inner-layers-know-no-wiring"],
                            "source_modules")
    assert {f"{s}.app" for s in LAYERED} == _values(
        c["importlinter:contract:app-knows-no-web"], "source_modules")
