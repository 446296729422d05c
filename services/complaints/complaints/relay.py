"""Outbox relay of the complaints service: ``python -m complaints.relay``."""

from __future__ import annotations

from shared import relay


def main() -> int:
    return relay.main("complaints")


if __name__ == "__main__":
    raise SystemExit(main())
