"""Per-complaint data keys, kept apart from the events (crypto-shredding).

Each complaint gets its own random 256-bit data key. The key is stored wrapped by the
master key (AES-256-GCM, the complaint id as associated data) in its own database, never in
the event store or on Kafka. Personal data in events is ``Sealed`` under that data key with
the complaint id as associated data, so a ciphertext cannot be moved to another complaint.
Erasing the key makes every copy of the ciphertext (events, topics, backups) unreadable.
"""

from __future__ import annotations

import base64
import json
import os
from typing import Any, Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from complaints.domain.events import Sealed


class KeyTable(Protocol):
    def insert_if_absent(self, complaint_id: str, wrapped: bytes) -> bytes: ...

    def get(self, complaint_id: str) -> bytes | None: ...

    def delete(self, complaint_id: str) -> None: ...


class MemoryKeys:
    """The same in a dict (unit tests)."""

    def __init__(self) -> None:
        self.rows: dict[str, bytes] = {}

    def insert_if_absent(self, complaint_id: str, wrapped: bytes) -> bytes:
        return self.rows.setdefault(complaint_id, wrapped)

    def get(self, complaint_id: str) -> bytes | None:
        return self.rows.get(complaint_id)

    def delete(self, complaint_id: str) -> None:
        self.rows.pop(complaint_id, None)


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


class Vault:
    def __init__(self, keys: KeyTable, master_key: bytes) -> None:
        self.keys, self.master = keys, AESGCM(master_key)

    def _data_key(self, complaint_id: str, create: bool) -> bytes | None:
        wrapped = self.keys.get(complaint_id)
        if wrapped is None:
            if not create:
                return None
            nonce = os.urandom(12)
            fresh = nonce + self.master.encrypt(nonce, AESGCM.generate_key(256),
                                                complaint_id.encode())
            wrapped = self.keys.insert_if_absent(complaint_id, fresh)
        return self.master.decrypt(wrapped[:12], wrapped[12:], complaint_id.encode())

    def seal(self, complaint_id: str, value: dict[str, Any]) -> Sealed:
        key = self._data_key(complaint_id, create=True)
        assert key is not None
        nonce = os.urandom(12)
        plain = json.dumps(value, ensure_ascii=False, sort_keys=True).encode()
        return Sealed(_b64(nonce), _b64(AESGCM(key).encrypt(nonce, plain,
                                                            complaint_id.encode())))

    def open(self, complaint_id: str, sealed: Sealed | None) -> dict[str, Any] | None:
        """The sealed object, or None once the complaint's key is erased."""
        if sealed is None:
            return None
        key = self._data_key(complaint_id, create=False)
        if key is None:
            return None
        try:
            plain = AESGCM(key).decrypt(base64.b64decode(sealed.nonce),
                                        base64.b64decode(sealed.ciphertext),
                                        complaint_id.encode())
        except (InvalidTag, ValueError):
            return None
        value = json.loads(plain)
        return value if isinstance(value, dict) else None

    def erase(self, complaint_id: str) -> None:
        self.keys.delete(complaint_id)

    def has_key(self, complaint_id: str) -> bool:
        return self.keys.get(complaint_id) is not None
