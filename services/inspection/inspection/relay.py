"""Outbox relay of the inspection service: ``python -m inspection.relay``."""

from __future__ import annotations

from shared import relay


def main() -> None:
    relay.main("inspection")


if __name__ == "__main__":
    main()
