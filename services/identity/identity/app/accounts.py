"""Use cases on accounts: administration, passwords and sign-in.

Every change is an event on account-<login> through the kernel's command runner; the hash
of a password goes to the credentials collection only. Administration needs the account
administrator duty, and an administrator only creates or changes accounts inside its own
regions (least privilege: a 渝中区 administrator cannot make a city-wide account).
"""

from __future__ import annotations

import secrets
import string
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from identity.domain import account
from identity.domain.account import Account
from identity.domain.events import EVENTS
from identity.domain.ports import CredentialStore, SessionRegistry
from identity.domain.rules import Rules, password_problems
from shared import commands
from shared.authority import ACCOUNT_ADMIN, Authority, Forbidden
from shared.clock import Clock
from shared.commands import Aggregate
from shared.domain import DomainError, Event, InvalidCommand
from shared.eventstore import CommitMeta, EventStore
from shared.oidc import subject_digest

SERVICE = "identity"
AGGREGATE: Aggregate[Account] = Aggregate(account.initial, account.evolve, EVENTS)
PREFIX = "account-"
WRONG = "登录名或口令错误"


class SignInRefused(DomainError):
    status = 401


class Locked(SignInRefused):
    def __init__(self, until: datetime) -> None:
        super().__init__(f"连续登录失败次数过多，账号已临时锁定，请于 "
                         f"{until.astimezone().strftime('%H:%M:%S')} 之后再试")
        self.until = until


def stream_id(login: str) -> str:
    return f"{PREFIX}{login}"


def generate_password(length: int = 16) -> str:
    """A random initial password that satisfies the policy (all four character classes)."""
    alphabet = string.ascii_letters + string.digits + "-_.!@#%"
    while True:
        pw = "".join(secrets.choice(alphabet) for _ in range(length))
        if (any(c.islower() for c in pw) and any(c.isupper() for c in pw)
                and any(c.isdigit() for c in pw) and any(c in "-_.!@#%" for c in pw)):
            return pw


SIGN_IN_RETRIES = 20
REVOKING = ("AccountDisabled", "DutiesChanged", "RegionsChanged", "PasswordChanged")


def revocations(store: EventStore, now: float, window: int) -> list[dict[str, Any]]:
    """The accounts whose tokens issued before some second of the last ``window`` seconds no
    longer count (disabled, duties, regions or password changed): per account the digest
    of its login and that second, the wall-clock time the change was stored (its position).
    Read from the event store itself, so a change and its revocation are one write."""
    cut: dict[str, int] = {}
    for env in store.read_all(after=int((now - window) * 1e9)):
        if env.name in REVOKING:
            login = str(env.data["login"])
            cut[login] = max(cut.get(login, 0), env.position // 10**9)
    return [{"sub_sha256": subject_digest(login), "not_before": at}
            for login, at in sorted(cut.items(), key=lambda la: subject_digest(la[0]))]


@dataclass(frozen=True)
class Created:
    account: Account
    initial_password: str | None  # shown once to the administrator, never stored in clear


class Accounts:
    def __init__(self, store: EventStore, credentials: CredentialStore,
                 sessions: SessionRegistry,
                 clock: Clock, rules: Rules, hasher: PasswordHasher | None = None) -> None:
        self.store, self.credentials, self.sessions = store, credentials, sessions
        self.clock, self.rules = clock, rules
        self.hasher = hasher or PasswordHasher()
        self._dummy = self.hasher.hash(secrets.token_urlsafe(16))

    # -- reading -----------------------------------------------------------------------
    def get(self, login: str) -> Account:
        state, _, _ = commands.load_state(self.store, AGGREGATE, stream_id(login))
        return state

    def all(self) -> list[Account]:
        found = [self.get(s.removeprefix(PREFIX))
                 for s in self.store.streams_with("AccountCreated") if s.startswith(PREFIX)]
        return sorted(found, key=lambda a: a.login)

    # -- administration ----------------------------------------------------------------
    def _run(self, login: str, decide: Callable[[Account], Sequence[Event]],
             meta: CommitMeta, retries: int = 2) -> Account:
        return commands.run(self.store, AGGREGATE, stream_id(login), decide, meta, SERVICE,
                            retries=retries).state

    @staticmethod
    def _admin_meta(admin: Authority | None, command_id: str) -> CommitMeta:
        if admin is None:  # the CLI on the server: the operator of the installation
            return CommitMeta.system(command_id, actor="identity-cli")
        if ACCOUNT_ADMIN not in admin.duties:
            raise Forbidden("只有账号管理员可以管理账号")
        return CommitMeta.of(admin, command_id)

    @staticmethod
    def _within(admin: Authority | None, regions: Sequence[str]) -> None:
        if admin is None:
            return
        outside = [r for r in regions if not admin.covers(r)]
        if outside:
            raise Forbidden(f"辖区 {'、'.join(outside)} 超出本管理员的辖区"
                            f"（{'、'.join(admin.regions) or '无'}）")

    def create(self, admin: Authority | None, login: str, name: str, department: str,
               regions: Sequence[str], duties: Sequence[str], password: str | None = None,
               command_id: str = "") -> Created:
        """``password`` None: a random initial password that must be changed at first
        sign-in (returned once); given: it must meet the policy and needs no change."""
        login = login.strip().lower()
        self._within(admin, regions)
        meta = self._admin_meta(admin, command_id or f"create-{login}-{uuid.uuid4()}")
        if password is not None and (problems := password_problems(password, login,
                                                                   self.rules)):
            raise InvalidCommand({"password": problems})
        before = self.get(login)
        now = self.clock.now()
        state = self._run(login, lambda s: account.create(
            s, login, name.strip(), department, tuple(regions), tuple(duties),
            password is None, now), meta)
        if before.exists and self.credentials.get(login) is not None:
            return Created(state, None)  # a retried create: the password was shown already
        # a new account, or the retry of a create interrupted between its event and its hash
        # (the event is written first so that a refused create never touches a hash)
        secret = password if password is not None else generate_password()
        self.credentials.put(login, self.hasher.hash(secret))
        return Created(state, None if password is not None else secret)

    def _admin_change(self, admin: Authority | None, login: str,
                      decide: Callable[[Account], Sequence[Event]], command_id: str) -> Account:
        target = self.get(login)
        if not target.exists:
            raise account.AccountMissing("账号不存在")
        self._within(admin, target.regions)
        if admin is not None and admin.sub == login:
            raise Forbidden("不能修改自己的账号，请由另一位账号管理员办理")
        return self._run(login, decide, self._admin_meta(admin, command_id or str(uuid.uuid4())))

    def disable(self, admin: Authority | None, login: str, reason: str = "",
                command_id: str = "") -> Account:
        now = self.clock.now()
        state = self._admin_change(admin, login, lambda s: account.disable(s, reason, now),
                                   command_id)
        self.sessions.close_all(login)  # a disabled account's sessions end at once
        return state

    def enable(self, admin: Authority | None, login: str, command_id: str = "") -> Account:
        now = self.clock.now()
        return self._admin_change(admin, login, lambda s: account.enable(s, now), command_id)

    def set_duties(self, admin: Authority | None, login: str, duties: Sequence[str],
                   command_id: str = "") -> Account:
        now = self.clock.now()
        state = self._admin_change(admin, login,
                                   lambda s: account.change_duties(s, tuple(duties), now),
                                   command_id)
        self.sessions.close_all(login)  # tokens issued later carry the new duties
        return state

    def set_regions(self, admin: Authority | None, login: str, regions: Sequence[str],
                    command_id: str = "") -> Account:
        self._within(admin, regions)
        now = self.clock.now()
        state = self._admin_change(admin, login,
                                   lambda s: account.change_regions(s, tuple(regions), now),
                                   command_id)
        self.sessions.close_all(login)
        return state

    def reset_password(self, admin: Authority | None, login: str) -> str:
        """A new initial password (shown once); the account must change it at sign-in."""
        secret = generate_password()
        now = self.clock.now()
        self._admin_change(admin, login, lambda s: account.password_set(s, True, now),
                           str(uuid.uuid4()))
        self.credentials.put(login, self.hasher.hash(secret))
        self.sessions.close_all(login)
        return secret

    def set_password(self, admin: Authority | None, login: str, password: str) -> Account:
        """A password meeting the policy, with no forced change (the server's CLI and the
        development tooling; administrators on the page use reset_password)."""
        if problems := password_problems(password, login, self.rules):
            raise InvalidCommand({"password": problems})
        now = self.clock.now()
        state = self._admin_change(admin, login, lambda s: account.password_set(s, False, now),
                                   str(uuid.uuid4()))
        self.credentials.put(login, self.hasher.hash(password))
        return state

    # -- the official's own actions ----------------------------------------------------
    def _verify(self, login: str, password: str) -> bool:
        stored = self.credentials.get(login)
        try:
            return self.hasher.verify(stored or self._dummy, password) and stored is not None
        except (VerificationError, InvalidHashError):
            return False

    def sign_in(self, login: str, password: str) -> Account:
        """The account when the password is right and the account may sign in; otherwise
        SignInRefused (the same words for an unknown login and a wrong password)."""
        login = login.strip().lower()
        state = self.get(login)
        now = self.clock.now()
        if not state.exists:
            self._verify(login, password)  # as slow as a real check: no timing oracle
            raise SignInRefused(WRONG)
        if state.locked_at(now):
            assert state.locked_until is not None
            raise Locked(state.locked_until)
        ok = self._verify(login, password)
        meta = CommitMeta(command_id=str(uuid.uuid4()), actor_dept=state.department,
                          actor=login)
        # simultaneous sign-ins of one account (tabs, a client's threads) each record theirs:
        # an overtaken one is decided again on the account as re-read, not refused
        after = self._run(login, lambda s: account.signed_in(s, ok, now, self.rules), meta,
                          retries=SIGN_IN_RETRIES)
        if not ok:
            if after.locked_at(now):
                assert after.locked_until is not None
                raise Locked(after.locked_until)
            raise SignInRefused(WRONG)
        if not after.active:
            raise SignInRefused("账号已停用，请联系账号管理员")
        return after

    def change_password(self, login: str, current: str, new: str) -> Account:
        state = self.get(login)
        if not state.exists or not state.active:
            raise SignInRefused("账号不可用")
        if not self._verify(login, current):
            raise InvalidCommand({"current": ["当前口令不正确"]})
        problems = password_problems(new, login, self.rules)
        if new == current:
            problems.append("新口令不能与当前口令相同")
        if problems:
            raise InvalidCommand({"new": problems})
        now = self.clock.now()
        meta = CommitMeta(command_id=str(uuid.uuid4()), actor_dept=state.department,
                          actor=login)
        self.credentials.put(login, self.hasher.hash(new))
        return self._run(login, lambda s: account.password_set(s, False, now), meta)
