"""Outbox relay of the risk service: ``python -m risk.relay``."""

from __future__ import annotations

from shared import relay


def main() -> int:
    return relay.main("risk")


if __name__ == "__main__":
    raise SystemExit(main())
