"""What the use cases need from storage besides the event store (adapters.py implements)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


class CredentialStore(Protocol):
    """Password hashes by login; nothing else ever reads them."""

    def put(self, login: str, hashed: str) -> None: ...

    def get(self, login: str) -> str | None: ...


class SessionRegistry(Protocol):
    def close_all(self, login: str) -> None: ...


@dataclass(frozen=True)
class Session:
    """A server-side sign-in session; ``sid`` is the cookie value (only its digest is kept)."""

    sid: str
    csrf: str
    login: str | None
    auth_time: datetime | None


class SessionStore(SessionRegistry, Protocol):
    def open(self, now: datetime, login: str | None = None) -> Session: ...

    def get(self, sid: str | None, now: datetime) -> Session | None: ...

    def close(self, sid: str) -> None: ...
