"""Signed checkpoints: what a key signed opens with its verifier key and nothing else; any
change to the text, the signature or the key is refused."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.merkle import EMPTY_ROOT
from shared.signednote import Checkpoint, NoteError, Signer, Verifier

SIGNER = Signer.generate("eldercare.example.gov.cn/log")


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 2**40), st.binary(min_size=32, max_size=32))
def test_a_signed_checkpoint_opens_with_its_key_and_round_trips(size, root) -> None:
    cp = Checkpoint("eldercare.example.gov.cn/log", size, root)
    note = SIGNER.sign(cp.text())
    assert Checkpoint.parse(Verifier.parse(SIGNER.verifier_key).open(note)) == cp


def test_a_changed_size_root_or_signature_is_refused() -> None:
    cp = Checkpoint("eldercare.example.gov.cn/log", 7, EMPTY_ROOT)
    note = SIGNER.sign(cp.text())
    v = Verifier.parse(SIGNER.verifier_key)
    with pytest.raises(NoteError):
        v.open(note.replace("\n7\n", "\n8\n", 1))
    body, sig = note.split("\n\n")
    # a character in the middle of the base64 signature: every bit of it is data (the last
    # character before the "=" padding carries padding bits a decoder may ignore)
    mid = len(sig) // 2
    flipped = sig[:mid] + ("A" if sig[mid] != "A" else "B") + sig[mid + 1:]
    with pytest.raises(NoteError):
        v.open(body + "\n\n" + flipped)
    with pytest.raises(NoteError):  # another key of the same name
        Verifier.parse(Signer.generate("eldercare.example.gov.cn/log").verifier_key).open(note)


def test_verifier_keys_are_checked() -> None:
    key = SIGNER.verifier_key
    name, kid, b64 = key.split("+", 2)
    with pytest.raises(NoteError):
        Verifier.parse(f"other+{kid}+{b64}")
    with pytest.raises(NoteError):
        Verifier.parse("no-plus-signs")
    with pytest.raises(NoteError):
        Signer.generate("has space")


def test_every_verifier_key_parses_back_whatever_its_base64_holds() -> None:
    for n in range(64):  # about half of random keys' base64 holds a "+"
        s = Signer.generate(f"log{n}")
        v = Verifier.parse(s.verifier_key)
        assert v.open(s.sign("x\n")) == "x\n"
