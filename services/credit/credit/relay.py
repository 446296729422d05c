"""Outbox relay of the credit service: ``python -m credit.relay``."""

from __future__ import annotations

from shared import relay


def main() -> int:
    return relay.main("credit")


if __name__ == "__main__":
    raise SystemExit(main())
