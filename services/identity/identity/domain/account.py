"""The Account aggregate (stream account-<login>): state, evolve, and the decisions.

Pure: the caller passes the time and the outcome of the password check; hashing and
storage are the application layer's.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from identity.domain import events as ev
from identity.domain.rules import Rules, lockout_seconds
from shared.authority import ACCOUNT_ADMIN, DEPARTMENTS, DUTIES, valid_region
from shared.domain import Conflict, Event, InvalidCommand, NotFound

LOGIN_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789._-"


class AccountMissing(NotFound):
    pass


class AccountExists(Conflict):
    pass


@dataclass(frozen=True)
class Account:
    login: str = ""
    name: str = ""
    department: str = ""
    regions: tuple[str, ...] = ()
    duties: tuple[str, ...] = ()
    active: bool = False
    must_change_password: bool = False
    failures: int = 0
    locked_until: datetime | None = None
    exists: bool = False

    def locked_at(self, now: datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until

    def get_user_id(self) -> str:
        """The subject of the account's tokens (OAuth libraries ask for it by this name)."""
        return self.login

    @property
    def is_account_admin(self) -> bool:
        return ACCOUNT_ADMIN in self.duties


def initial() -> Account:
    return Account()


def evolve(state: Account, event: Event) -> Account:  # noqa: PLR0911
    match event:
        case ev.AccountCreated():
            return Account(login=event.login, name=event.name, department=event.department,
                           regions=event.regions, duties=event.duties, active=True,
                           must_change_password=event.must_change_password, exists=True)
        case ev.AccountDisabled():
            return replace(state, active=False)
        case ev.AccountEnabled():
            return replace(state, active=True, failures=0, locked_until=None)
        case ev.DutiesChanged():
            return replace(state, duties=event.duties)
        case ev.RegionsChanged():
            return replace(state, regions=event.regions)
        case ev.PasswordChanged():
            return replace(state, must_change_password=event.initial, failures=0,
                           locked_until=None)
        case ev.SignInSucceeded():
            return replace(state, failures=0, locked_until=None)
        case ev.SignInFailed():
            return replace(state, failures=event.failures, locked_until=event.locked_until)
    return state


def check_login(login: str) -> list[str]:
    problems = []
    if not 3 <= len(login) <= 64:
        problems.append("登录名须为 3 至 64 个字符")
    if any(c not in LOGIN_CHARS for c in login):
        problems.append("登录名只能使用小写字母、数字和 . _ -")
    return problems


def check_profile(department: str, regions: tuple[str, ...], duties: tuple[str, ...]
                  ) -> dict[str, list[str]]:
    """Field errors of an account's department, regions and duties."""
    errors: dict[str, list[str]] = {}
    if department not in DEPARTMENTS:
        errors["department"] = [f"部门须为 {', '.join(DEPARTMENTS)} 之一"]
    bad = [r for r in regions if not valid_region(r)]
    if bad:
        errors["regions"] = [f"行政区划代码无效：{', '.join(bad)}（2、4 或 6 位数字）"]
    elif not regions:
        errors["regions"] = ["至少一个辖区"]
    unknown = [d for d in duties if d not in DUTIES]
    if unknown:
        errors["duties"] = [f"职责只能取 {', '.join(DUTIES)}"]
    elif not duties:
        errors["duties"] = ["至少一项职责"]
    elif ACCOUNT_ADMIN in duties and len(set(duties)) > 1:
        errors["duties"] = ["账号管理员只管理账号，不能同时承担业务职责"]
    return errors


def create(state: Account, login: str, name: str, department: str, regions: tuple[str, ...],
           duties: tuple[str, ...], must_change_password: bool, now: datetime) -> list[Event]:
    errors = check_profile(department, regions, duties)
    if login_problems := check_login(login):
        errors["login"] = login_problems
    if not name.strip() or len(name) > 64:
        errors["name"] = ["姓名须为 1 至 64 个字符"]
    if errors:
        raise InvalidCommand(errors)
    if state.exists:
        same = (state.name, state.department, state.regions, state.duties) == (
            name, department, regions, duties)
        if same:
            return []  # a retried create
        raise AccountExists(f"登录名 {login} 已被使用")
    return [ev.AccountCreated(login=login, name=name, department=department,
                              regions=tuple(dict.fromkeys(regions)),
                              duties=tuple(dict.fromkeys(duties)),
                              must_change_password=must_change_password, created_at=now)]


def _existing(state: Account) -> Account:
    if not state.exists:
        raise AccountMissing("账号不存在")
    return state


def disable(state: Account, reason: str, now: datetime) -> list[Event]:
    _existing(state)
    return [ev.AccountDisabled(login=state.login, reason=reason or "停用", at=now)] \
        if state.active else []


def enable(state: Account, now: datetime) -> list[Event]:
    _existing(state)
    return [] if state.active else [ev.AccountEnabled(login=state.login, at=now)]


def change_duties(state: Account, duties: tuple[str, ...], now: datetime) -> list[Event]:
    _existing(state)
    duties = tuple(dict.fromkeys(duties))
    if errors := {k: v for k, v in check_profile(state.department, state.regions or ("50",),
                                                 duties).items() if k == "duties"}:
        raise InvalidCommand(errors)
    if duties == state.duties:
        return []
    return [ev.DutiesChanged(login=state.login, duties=duties, previous=state.duties, at=now)]


def change_regions(state: Account, regions: tuple[str, ...], now: datetime) -> list[Event]:
    _existing(state)
    regions = tuple(dict.fromkeys(regions))
    if errors := {k: v for k, v in check_profile(state.department, regions,
                                                 state.duties or ("clerk",)).items()
                  if k == "regions"}:
        raise InvalidCommand(errors)
    if regions == state.regions:
        return []
    return [ev.RegionsChanged(login=state.login, regions=regions, previous=state.regions,
                              at=now)]


def password_set(state: Account, initial: bool, now: datetime) -> list[Event]:
    _existing(state)
    return [ev.PasswordChanged(login=state.login, initial=initial, at=now)]


def signed_in(state: Account, password_ok: bool, now: datetime, rules: Rules) -> list[Event]:
    """The outcome of a checked password (never called while locked or disabled)."""
    _existing(state)
    if password_ok:
        return [ev.SignInSucceeded(login=state.login, at=now)]
    failures = state.failures + 1
    seconds = lockout_seconds(failures, rules)
    until = now + timedelta(seconds=seconds) if seconds else None
    return [ev.SignInFailed(login=state.login, failures=failures, locked_until=until, at=now)]
