"""Outbox relay of the registry: ``python -m registry.relay``."""

from __future__ import annotations

from shared import relay


def main() -> int:
    return relay.main("registry")


if __name__ == "__main__":
    raise SystemExit(main())
