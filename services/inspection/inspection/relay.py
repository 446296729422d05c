"""Outbox relay of the inspection service: ``python -m inspection.relay``."""

from __future__ import annotations

from shared import relay


def main() -> int:
    return relay.main("inspection")


if __name__ == "__main__":
    raise SystemExit(main())
