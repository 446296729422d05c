"""Outbox relay of the identity service: ``python -m identity.relay``."""

from __future__ import annotations

from shared import relay


def main() -> int:
    return relay.main("identity")


if __name__ == "__main__":
    raise SystemExit(main())
