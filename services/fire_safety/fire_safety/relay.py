"""Outbox relay of the fire-safety service: ``python -m fire_safety.relay``."""

from __future__ import annotations

from shared import relay


def main() -> int:
    return relay.main("fire_safety")


if __name__ == "__main__":
    raise SystemExit(main())
