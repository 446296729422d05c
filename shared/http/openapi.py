"""Write a service's OpenAPI document into contracts/openapi/<service>.json.

    python -m shared.http.openapi registry [--check]
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The identity service's interface is OpenID Connect (its discovery document), not a REST API.
WITHOUT_OPENAPI = frozenset({"identity", "console"})  # pages only, no API of their own


def documented(services: list[str]) -> list[str]:
    return [s for s in services if s not in WITHOUT_OPENAPI]


def render(service: str) -> str:
    """The OpenAPI document the service's app generates, as stable JSON text."""
    module = importlib.import_module(f"{service}.bootstrap")
    app = module.create_app()
    spec = app.extensions["api"].spec.to_dict()
    return json.dumps(spec, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def path_for(service: str) -> Path:
    return ROOT / "contracts" / "openapi" / f"{service}.json"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("services", nargs="+")
    p.add_argument("--check", action="store_true", help="fail if the checked-in spec is stale")
    a = p.parse_args(argv)
    # rendering verifies no token: placeholder addresses only let the apps be built
    for name, value in (("OIDC_ISSUER", "https://issuer.invalid"),
                        ("OIDC_JWKS_URI", "https://issuer.invalid/jwks.json")):
        os.environ.setdefault(name, value)
    stale = []
    for s in documented(a.services):
        text, path = render(s), path_for(s)
        if a.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(s)
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
    if stale:
        print(f"stale OpenAPI for {stale}: run make openapi", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
