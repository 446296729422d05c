"""The identity service's events (contracts/events/identity): accounts and sign-ins.

No event carries a password or a hash: those stay in the service's credentials collection.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from shared.domain import Event, EventCatalog


@dataclass(frozen=True)
class AccountCreated(Event):
    """An official's account; ``must_change_password`` when it got an initial password."""

    login: str
    name: str
    department: str
    regions: tuple[str, ...]
    duties: tuple[str, ...]
    must_change_password: bool
    created_at: datetime


@dataclass(frozen=True)
class AccountDisabled(Event):
    login: str
    reason: str
    at: datetime


@dataclass(frozen=True)
class AccountEnabled(Event):
    login: str
    at: datetime


@dataclass(frozen=True)
class DutiesChanged(Event):
    login: str
    duties: tuple[str, ...]
    previous: tuple[str, ...]
    at: datetime


@dataclass(frozen=True)
class RegionsChanged(Event):
    login: str
    regions: tuple[str, ...]
    previous: tuple[str, ...]
    at: datetime


@dataclass(frozen=True)
class PasswordChanged(Event):
    """A new password was set; ``initial`` when an administrator set it (change forced)."""

    login: str
    initial: bool
    at: datetime


@dataclass(frozen=True)
class SignInSucceeded(Event):
    login: str
    at: datetime


@dataclass(frozen=True)
class SignInFailed(Event):
    """A wrong password; ``failures`` in a row so far, ``locked_until`` when this locks."""

    login: str
    failures: int
    locked_until: datetime | None
    at: datetime


IdentityEvent = (AccountCreated | AccountDisabled | AccountEnabled | DutiesChanged
                 | RegionsChanged | PasswordChanged | SignInSucceeded | SignInFailed)

EVENTS = EventCatalog(AccountCreated, AccountDisabled, AccountEnabled, DutiesChanged,
                      RegionsChanged, PasswordChanged, SignInSucceeded, SignInFailed)
