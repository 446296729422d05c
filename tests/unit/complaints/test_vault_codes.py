"""Sealing under per-complaint keys, crypto-shredding, tracking numbers and check codes,
and the proof-of-work challenge."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest
from complaints.app import challenge, codes
from complaints.app.secrets import Secrets
from complaints.app.vault import MemoryKeys, Vault
from cryptography.exceptions import InvalidTag
from hypothesis import given, settings
from hypothesis import strategies as st

SECRETS = Secrets.generate()


def vault() -> tuple[Vault, MemoryKeys]:
    keys = MemoryKeys()
    return Vault(keys, SECRETS.master_key), keys


@settings(max_examples=50)
@given(st.text(max_size=200), st.text(alphabet="0123456789", min_size=5, max_size=20))
def test_sealed_values_open_only_for_their_complaint(text: str, phone: str) -> None:
    v, keys = vault()
    sealed = v.seal("TS23456789AB", {"description": text, "phone": phone})
    assert v.open("TS23456789AB", sealed) == {"description": text, "phone": phone}
    assert phone not in sealed.ciphertext + sealed.nonce
    assert phone.encode() not in keys.rows["TS23456789AB"]
    # moved to another complaint it does not open (the id is associated data)
    v.seal("TS3456789ABC", {"x": 1})
    assert v.open("TS3456789ABC", sealed) is None


def test_erasing_the_key_makes_every_copy_unreadable_for_good() -> None:
    v, _ = vault()
    sealed = v.seal("TS23456789AB", {"phone": "13800000000"})
    v.erase("TS23456789AB")
    assert v.open("TS23456789AB", sealed) is None
    v.seal("TS23456789AB", {"x": 1})  # a new key for the same id does not bring it back
    assert v.open("TS23456789AB", sealed) is None


def test_another_master_key_cannot_unwrap_the_data_keys() -> None:
    v, keys = vault()
    sealed = v.seal("TS23456789AB", {"phone": "13800000000"})
    stranger = Vault(keys, Secrets.generate().master_key)
    with pytest.raises(InvalidTag):  # a configuration error: loud, not "erased"
        stranger.open("TS23456789AB", sealed)


@settings(max_examples=200)
@given(st.text(min_size=1, max_size=80), st.text(min_size=1, max_size=80))
def test_tracking_numbers_are_well_formed_and_stable(a: str, b: str) -> None:
    ta, tb = codes.tracking_number(SECRETS.code_key, a), codes.tracking_number(SECRETS.code_key, b)
    assert codes.TRACKING.match(ta) and codes.TRACKING.match(tb)
    assert ta == codes.tracking_number(SECRETS.code_key, a)
    assert (ta == tb) == (a == b) or len({a, b}) == 2  # collisions are 2^-50
    code = codes.check_code(SECRETS.code_key, ta)
    assert codes.CHECK.match(code)
    assert codes.check_matches(SECRETS.code_key, ta, code.lower())
    assert codes.check_matches(SECRETS.code_key, ta, f" {code[:4]}-{code[4:]} ")
    assert not codes.check_matches(Secrets.generate().code_key, ta, code)


def test_a_solved_challenge_passes_and_a_forged_or_expired_one_does_not() -> None:
    now = datetime.now(UTC)
    c = challenge.issue(SECRETS.challenge_key, now, max_number=2000)
    answer = challenge.solve(c)
    assert challenge.verify(SECRETS.challenge_key, answer) == c["signature"]
    assert challenge.verify(Secrets.generate().challenge_key, answer) is None
    forged = json.loads(base64.b64decode(answer))
    forged["number"] += 1
    assert challenge.verify(SECRETS.challenge_key,
                            base64.b64encode(json.dumps(forged).encode()).decode()) is None
    old = challenge.issue(SECRETS.challenge_key, now - timedelta(hours=1), ttl=60,
                          max_number=2000)
    assert challenge.verify(SECRETS.challenge_key, challenge.solve(old)) is None
    for junk in ("", "not base64!", base64.b64encode(b"[1]").decode()):
        assert challenge.verify(SECRETS.challenge_key, junk) is None


def test_secrets_file_round_trips_and_missing_file_refuses(tmp_path) -> None:
    from complaints.app.secrets import SecretsMissing, write_new

    path = tmp_path / "s.json"
    assert write_new(path) and not write_new(path)
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert Secrets.from_env({"COMPLAINTS_SECRETS_FILE": str(path)}).master_key
    with pytest.raises(SecretsMissing, match="COMPLAINTS_SECRETS_FILE"):
        Secrets.from_env({})
    (tmp_path / "bad.json").write_text('{"master_key": "c2hvcnQ="}')
    with pytest.raises(SecretsMissing):
        Secrets.from_env({"COMPLAINTS_SECRETS_FILE": str(tmp_path / "bad.json")})
