"""One active process of a kind per service: a lease in the service's MongoDB with a fencing
token.

A lease document ``{_id: name, holder, token, expires}`` names who may act (the relay of the
registry, its scheduler ...). Whoever finds it free or expired takes it and the token goes up
by one; the holder renews it well before it expires; a standby keeps trying. Every process
checks its token right before each effect (the relay before marking a batch published): a
process that paused past its lease (a long GC, a stopped VM) finds a higher token and stops,
so at most a batch in flight is sent twice (consumers drop duplicates) and never is a stream
reordered or a check run twice in a row by two schedulers.

Times are epoch seconds of the processes' clocks (kept in sync by NTP on servers): a lease
of ``ttl`` seconds tolerates skew well below it. Stored as numbers, not dates: the
MongoDB stand-in turns dates set by an update into text (../shared/infra.md).
"""

from __future__ import annotations

import logging
import os
import socket
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from pymongo.collection import Collection
from pymongo.errors import DuplicateKeyError

log = logging.getLogger(__name__)
COLLECTION = "leases"
DEFAULT_TTL = 6.0  # a standby takes over within ttl + its retry interval of a crash


class LeaseLost(RuntimeError):
    """Another process holds the lease now (a higher fencing token)."""


def holder_id() -> str:
    """host:pid:random (readable in the lease document, unique across restarts)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


@dataclass
class Lease:
    coll: Collection
    name: str
    ttl: float = DEFAULT_TTL
    holder: str = field(default_factory=holder_id)
    clock: Callable[[], float] = time.time
    token: int | None = None  # ours while we hold it
    _renewed: float = 0.0

    def hold(self) -> int | None:
        """Our token if we hold the lease (renewed when a third of it has passed, or taken
        if it is free or expired), else None."""
        now = self.clock()
        if self.token is not None:
            if now - self._renewed < self.ttl / 3:
                return self.token
            if self._renew(now):
                return self.token
            log.warning("lease %s lost (token %s)", self.name, self.token)
            self.token = None
        return self._take(now)

    def check(self, token: int) -> None:
        """Raise LeaseLost unless ``token`` is still the current one and not expired (the
        fencing check before an effect)."""
        doc = self.coll.find_one({"_id": self.name}) or {}
        if doc.get("token") != token or doc.get("holder") != self.holder \
                or float(doc.get("expires", 0)) < self.clock():
            self.token = None
            raise LeaseLost(f"{self.name}: token {token} superseded by {doc.get('token')} "
                            f"({doc.get('holder')})")

    def release(self) -> None:
        """Give the lease up at once (a clean stop), so a standby need not wait for expiry."""
        if self.token is not None:
            self.coll.update_one({"_id": self.name, "holder": self.holder,
                                  "token": self.token}, {"$set": {"expires": 0.0}})
            self.token = None

    def _renew(self, now: float) -> bool:
        done = self.coll.update_one(
            {"_id": self.name, "holder": self.holder, "token": self.token,
             "expires": {"$gte": now}}, {"$set": {"expires": now + self.ttl}})
        if done.modified_count == 1:
            self._renewed = now
            return True
        return False

    def _take(self, now: float) -> int | None:
        try:
            self.coll.insert_one({"_id": self.name, "holder": self.holder, "token": 1,
                                  "expires": now + self.ttl})
            return self._taken(1, now, None)
        except DuplicateKeyError:
            pass
        doc = self.coll.find_one({"_id": self.name})
        if doc is None or float(doc.get("expires", 0)) >= now:
            return None  # someone else holds it
        token = int(doc.get("token", 0)) + 1
        # compare-and-set on the token read: of two standbys only one moves it
        done = self.coll.update_one(
            {"_id": self.name, "token": doc.get("token"), "expires": {"$lt": now}},
            {"$set": {"holder": self.holder, "token": token, "expires": now + self.ttl}})
        return self._taken(token, now, doc.get("holder")) if done.modified_count == 1 else None

    def _taken(self, token: int, now: float, before: str | None) -> int:
        self.token, self._renewed = token, now
        log.info("lease %s taken (token %d)%s", self.name, token,
                 f", after {before}" if before else "")
        return token


def for_service(db_coll: Collection, service: str, role: str,
                ttl: float | None = None) -> Lease:
    """The lease of one role (relay, scheduler) of one service; ELDERCARE_LEASE_SECONDS sets
    the lifetime."""
    seconds = ttl if ttl is not None else float(
        os.environ.get("ELDERCARE_LEASE_SECONDS", DEFAULT_TTL))
    return Lease(db_coll, f"{service}.{role}", seconds)
