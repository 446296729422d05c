"""C2SP signed notes and transparency-log checkpoints, signed with Ed25519.

A checkpoint (c2sp.org/tlog-checkpoint) is the note text

    <origin>\\n<tree size>\\n<base64 root hash>\\n

and a signed note (c2sp.org/signed-note) is that text, an empty line, and one line per
signature: an em dash, a space, the key name, a space and base64(key id || signature). The key
id is the first 4 bytes of SHA-256(key name || "\\n" || 0x01 || public key) (0x01: Ed25519).
A verifier key is written "<name>+<key id hex>+<base64(0x01 || public key)>".
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

ED25519 = b"\x01"
DASH = "\u2014 "


class NoteError(ValueError):
    """A note or checkpoint that does not parse, or whose signature does not verify."""


def _key_id(name: str, public: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + ED25519 + public).digest()[:4]


def _check_name(name: str) -> None:
    if not name or any(c.isspace() or c == "+" for c in name):
        raise NoteError(f"key name {name!r} must be non-empty, without spaces or '+'")


@dataclass(frozen=True)
class Signer:
    name: str
    private: Ed25519PrivateKey

    @classmethod
    def generate(cls, name: str) -> Signer:
        _check_name(name)
        return cls(name, Ed25519PrivateKey.generate())

    @classmethod
    def from_private_bytes(cls, name: str, raw: bytes) -> Signer:
        _check_name(name)
        return cls(name, Ed25519PrivateKey.from_private_bytes(raw))

    def private_bytes(self) -> bytes:
        return self.private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())

    @property
    def public(self) -> bytes:
        return self.private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    @property
    def verifier_key(self) -> str:
        """What a verifier is given, out of band."""
        return (f"{self.name}+{_key_id(self.name, self.public).hex()}+"
                + base64.b64encode(ED25519 + self.public).decode())

    def sign(self, text: str) -> str:
        """The signed note of ``text`` (which must end with a newline)."""
        if not text.endswith("\n") or "\n\n" in text:
            raise NoteError("note text must end with a newline and have no empty line")
        sig = self.private.sign(text.encode())
        line = base64.b64encode(_key_id(self.name, self.public) + sig).decode()
        return f"{text}\n{DASH}{self.name} {line}\n"


@dataclass(frozen=True)
class Verifier:
    name: str
    key_id: bytes
    public: Ed25519PublicKey

    @classmethod
    def parse(cls, vkey: str) -> Verifier:
        try:
            name, key_hex, encoded = vkey.split("+", 2)  # base64 may hold "+"
            raw = base64.b64decode(encoded, validate=True)
        except ValueError as exc:
            raise NoteError(f"verifier key {vkey!r} is not <name>+<id>+<key>") from exc
        if raw[:1] != ED25519 or len(raw) != 33:
            raise NoteError("only Ed25519 verifier keys are known")
        if bytes.fromhex(key_hex) != _key_id(name, raw[1:]):
            raise NoteError("verifier key id does not match its name and key")
        return cls(name, bytes.fromhex(key_hex), Ed25519PublicKey.from_public_bytes(raw[1:]))

    def open(self, note: str) -> str:
        """The note's text when this key signed it; NoteError otherwise."""
        text, sep, sigs = note.rpartition("\n\n")  # the last blank line, as note.Open
        if not sep or not sigs.endswith("\n"):
            raise NoteError("not a signed note")
        text += "\n"
        for line in sigs[:-1].split("\n"):
            if not line.startswith(DASH):
                raise NoteError("malformed signature line")
            name, _, b64 = line[len(DASH):].partition(" ")
            if name != self.name:
                continue
            try:
                raw = base64.b64decode(b64, validate=True)
            except ValueError:
                continue
            if raw[:4] != self.key_id:
                continue
            try:
                self.public.verify(raw[4:], text.encode())
            except InvalidSignature:
                raise NoteError("signature does not verify") from None
            return text
        raise NoteError(f"no signature by {self.name}")


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes

    def text(self) -> str:
        return f"{self.origin}\n{self.size}\n{base64.b64encode(self.root).decode()}\n"

    @classmethod
    def parse(cls, text: str) -> Checkpoint:
        lines = text.split("\n")
        if len(lines) < 4 or lines[-1] != "":
            raise NoteError("a checkpoint has an origin, a size and a root hash")
        try:
            size = int(lines[1])
            root = base64.b64decode(lines[2], validate=True)
        except ValueError as exc:
            raise NoteError("bad checkpoint size or root") from exc
        if size < 0 or len(root) != 32 or str(size) != lines[1]:
            raise NoteError("bad checkpoint size or root")
        return cls(lines[0], size, root)
