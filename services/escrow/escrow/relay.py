"""Outbox relay of the escrow service: ``python -m escrow.relay``."""

from __future__ import annotations

from shared import relay


def main() -> int:
    return relay.main("escrow")


if __name__ == "__main__":
    raise SystemExit(main())
