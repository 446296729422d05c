"""Revocation through the provider's own list: a resource server that reads
``/revocations`` refuses tokens of an account issued before it was disabled or before its
duties, regions or password changed, and keeps accepting everyone else's and the tokens
issued afterwards."""

from __future__ import annotations

import json
import time

import jwt
import pytest

from shared.oidc import InvalidToken, KeySet, OidcSettings, Revocations, Verifier, subject_digest
from tests.integration.identity.conftest import ISSUER, make_official
from tests.integration.identity.flow import tokens_for


def _resource_server(idp, folder):
    """A verifier reading the provider's JWKS and revocation list as served (re-read on
    every token: refresh interval 0)."""
    jwks, listed = folder / "jwks.json", folder / "revocations.json"
    jwks.write_text(json.dumps(idp.client.get("/jwks.json").json), encoding="utf-8")

    def refresh() -> None:
        resp = idp.client.get("/revocations")
        assert resp.status_code == 200 and resp.headers["Cache-Control"] == "no-store"
        listed.write_text(resp.get_data(as_text=True), encoding="utf-8")

    refresh()
    settings = OidcSettings(issuer=ISSUER, jwks_uri=jwks.as_uri(),
                            revocations_uri=listed.as_uri())
    return Verifier(settings, KeySet(jwks.as_uri()),
                    Revocations(listed.as_uri(), refresh_interval=0)), refresh


def _issued_before_now(idp, login, password):
    """A token of ``login``, then a wait into the next second: a change from now on is
    strictly after the token's iat (tokens count from the second of a change on)."""
    token = tokens_for(idp.client, login, password)["access_token"]
    iat = jwt.decode(token, options={"verify_signature": False})["iat"]
    while int(time.time()) <= iat:
        time.sleep(0.05)
    return token


def test_a_disabled_accounts_earlier_tokens_are_refused_and_no_one_elses(idp, tmp_path):
    pw, other_pw = make_official(idp, "r.clerk"), make_official(idp, "r.other")
    token = _issued_before_now(idp, "r.clerk", pw)
    other = tokens_for(idp.client, "r.other", other_pw)["access_token"]
    rs, refresh = _resource_server(idp, tmp_path)
    assert rs.authority(token).sub == "r.clerk"
    idp.accounts.disable(None, "r.clerk")
    refresh()
    with pytest.raises(InvalidToken, match="撤销"):
        rs.authority(token)
    assert rs.authority(other).sub == "r.other"
    listed = idp.client.get("/revocations").get_data(as_text=True)
    assert "r.clerk" not in listed and subject_digest("r.clerk") in listed  # no login in clear


@pytest.mark.parametrize("change", ["duties", "regions", "password"])
def test_tokens_issued_before_a_change_of_authority_stop_and_new_ones_count(idp, tmp_path,
                                                                            change):
    pw = make_official(idp, "s.clerk", duties=("clerk",))
    old = _issued_before_now(idp, "s.clerk", pw)
    rs, refresh = _resource_server(idp, tmp_path)
    assert rs.authority(old).duties == ("clerk",)
    if change == "duties":
        idp.accounts.set_duties(None, "s.clerk", ["clerk", "leader"])
    elif change == "regions":
        idp.accounts.set_regions(None, "s.clerk", ["500108"])
    else:
        pw = idp.accounts.reset_password(None, "s.clerk")
        idp.accounts.set_password(None, "s.clerk", pw := "Changed-Passw0rd-42")
    refresh()
    with pytest.raises(InvalidToken, match="撤销"):
        rs.authority(old)
    new = tokens_for(idp.client, "s.clerk", pw)["access_token"]
    assert rs.authority(new).sub == "s.clerk"


def test_the_list_names_only_recent_changes_and_is_advertised(idp):
    assert idp.client.get("/.well-known/openid-configuration").json[
        "eldercare_revocations_uri"] == f"{ISSUER}/revocations"
    body = idp.client.get("/revocations").json
    assert body["revoked"] == [] and body["window_seconds"] >= 900


def test_simultaneous_sign_ins_of_one_account_all_succeed(idp):
    """Eight at once (tabs, a tool's threads): each records its success on the account's
    stream; one overtaken by another is decided again, never refused."""
    from concurrent.futures import ThreadPoolExecutor

    pw = make_official(idp, "t.clerk")
    with ThreadPoolExecutor(8) as pool:
        done = list(pool.map(lambda _: idp.accounts.sign_in("t.clerk", pw), range(8)))
    assert all(a.login == "t.clerk" and a.active for a in done)
    names = [e.name for e in idp.accounts.store.load("account-t.clerk").events]
    assert names.count("SignInSucceeded") == 8
