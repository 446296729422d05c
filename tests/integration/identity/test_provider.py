"""The identity provider end to end through its HTTP interface, on a real MongoDB."""

from __future__ import annotations

import json
import time
import uuid

import jwt
import pytest
from identity import keys as keyfile

from shared.authority import NATIONAL
from shared.eventstore import COMMITS
from shared.mongo import database
from shared.oidc import InvalidToken
from tests.integration.identity.conftest import ISSUER, PUSH_SECRET, make_official
from tests.integration.identity.flow import (
    authorize_url,
    code_from,
    csrf_of,
    exchange,
    pkce,
    sign_in,
    tokens_for,
    verifier_for,
)


def test_discovery_names_the_endpoints_and_jwks_has_public_keys_only(idp):
    conf = idp.client.get("/.well-known/openid-configuration").json
    assert conf["issuer"] == ISSUER
    assert conf["jwks_uri"] == f"{ISSUER}/jwks.json"
    assert conf["end_session_endpoint"] == f"{ISSUER}/logout"
    assert conf["code_challenge_methods_supported"] == ["S256"]
    keys = idp.client.get("/jwks.json").json["keys"]
    assert keys and all("d" not in k and k["alg"] == "EdDSA" for k in keys)


def test_code_flow_with_pkce_gives_a_token_every_resource_server_accepts(idp, tmp_path):
    pw = make_official(idp, "yz.clerk", regions=("500103",), duties=("clerk",))
    got = tokens_for(idp.client, "yz.clerk", pw)
    assert got["token_type"].lower() == "bearer" and 0 < got["expires_in"] <= 900
    header = jwt.get_unverified_header(got["access_token"])
    assert header["alg"] == "EdDSA" and header["typ"] == "at+jwt" and header["kid"]
    authority = verifier_for(idp.client, ISSUER, tmp_path).authority(got["access_token"])
    assert (authority.sub, authority.department) == ("yz.clerk", "civil_affairs")
    assert authority.regions == ("500103",) and authority.duties == ("clerk",)
    claims = jwt.decode(got["access_token"], options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] <= 900 and claims["jti"] and claims["scope"] == "openid"
    id_token = jwt.decode(got["id_token"], options={"verify_signature": False})
    assert id_token["nonce"] == "n-1" and id_token["aud"] == ["devtools"]


def test_without_pkce_no_code_is_issued(idp):
    pw = make_official(idp, "a.clerk")
    sign_in(idp.client, "a.clerk", pw)
    resp = idp.client.get(authorize_url(challenge=None))
    assert resp.status_code in (302, 400)
    assert "code=" not in resp.headers.get("Location", "")
    plain = idp.client.get(authorize_url(challenge=None, code_challenge="x" * 43,
                                         code_challenge_method="plain"))
    assert "code=" not in plain.headers.get("Location", "")


def test_a_wrong_or_missing_verifier_and_a_reused_code_are_refused(idp):
    pw = make_official(idp, "b.clerk")
    sign_in(idp.client, "b.clerk", pw)
    _, challenge = pkce()
    code = code_from(idp.client.get(authorize_url(challenge=challenge)))
    assert exchange(idp.client, code, pkce()[0]).status_code == 400
    assert exchange(idp.client, code, None).status_code == 400  # consumed by the first try
    verifier, challenge = pkce()
    code = code_from(idp.client.get(authorize_url(challenge=challenge)))
    assert exchange(idp.client, code, verifier).status_code == 200
    assert exchange(idp.client, code, verifier).status_code == 400


def test_an_unregistered_redirect_uri_is_never_redirected_to(idp):
    pw = make_official(idp, "c.clerk")
    sign_in(idp.client, "c.clerk", pw)
    _, challenge = pkce()
    resp = idp.client.get(authorize_url(challenge=challenge,
                                        redirect_uri="https://evil.example/cb"))
    assert resp.status_code == 400 and "evil" not in resp.headers.get("Location", "")


def test_the_push_client_gets_only_the_push_scope(idp, tmp_path):
    resp = idp.client.post("/token", data={"grant_type": "client_credentials",
                                           "scope": "registrations:push openid"},
                           auth=("market-push", PUSH_SECRET))
    assert resp.status_code == 200, resp.get_data(as_text=True)
    a = verifier_for(idp.client, ISSUER, tmp_path).authority(resp.json["access_token"])
    assert a.scopes == frozenset({"registrations:push"})
    assert (a.sub, a.department, a.regions, a.duties) == ("market-push", "market_supervision",
                                                          (), ())
    wrong = idp.client.post("/token", data={"grant_type": "client_credentials"},
                            auth=("market-push", "not-the-secret"))
    assert wrong.status_code == 401
    public = idp.client.post("/token", data={"grant_type": "client_credentials",
                                             "client_id": "devtools"})
    assert public.status_code in (400, 401)


def _fail(idp, login, times):
    for _ in range(times):
        assert sign_in(idp.client, login, "Wrong-Passw0rd-xx").status_code == 401


def test_lockout_after_five_failures_even_with_the_right_password_then_back_off(idp):
    pw = make_official(idp, "d.clerk")
    _fail(idp, "d.clerk", 4)
    assert sign_in(idp.client, "d.clerk", pw).status_code == 303  # 4 failures: not locked
    _fail(idp, "d.clerk", 5)
    locked = sign_in(idp.client, "d.clerk", pw)
    assert locked.status_code == 401 and "锁定" in locked.get_data(as_text=True)
    idp.clock.advance(seconds=59)
    assert sign_in(idp.client, "d.clerk", pw).status_code == 401
    idp.clock.advance(seconds=2)
    _fail(idp, "d.clerk", 1)  # the 6th failure in a row locks for twice as long
    idp.clock.advance(seconds=119)
    assert sign_in(idp.client, "d.clerk", pw).status_code == 401
    idp.clock.advance(seconds=2)
    assert sign_in(idp.client, "d.clerk", pw).status_code == 303


def test_unknown_login_and_wrong_password_read_the_same(idp):
    make_official(idp, "e.clerk")
    a = sign_in(idp.client, "nobody.here", "Wrong-Passw0rd-xx").get_data(as_text=True)
    b = sign_in(idp.client, "e.clerk", "Wrong-Passw0rd-xx").get_data(as_text=True)
    assert "登录名或口令错误" in a and "登录名或口令错误" in b


def test_forms_without_the_csrf_token_are_refused(idp):
    pw = make_official(idp, "f.clerk")
    idp.client.get("/login")
    for token in (None, "forged"):
        data = {"login": "f.clerk", "password": pw, "next": "/"}
        if token:
            data["csrf_token"] = token
        assert idp.client.post("/login", data=data).status_code == 403
    sign_in(idp.client, "f.clerk", pw)
    assert idp.client.post("/logout", data={}).status_code == 403
    assert idp.client.get("/").status_code == 200  # still signed in
    assert idp.client.post("/password", data={"current": pw, "new": "Another-Passw0rd-1",
                                              "again": "Another-Passw0rd-1"}).status_code == 403


def test_the_session_id_changes_at_sign_in(idp):
    pw = make_official(idp, "g.clerk")
    idp.client.get("/login")
    before = idp.client.get_cookie("idp_session").value
    sign_in(idp.client, "g.clerk", pw)
    after = idp.client.get_cookie("idp_session")
    assert after.value != before and after.http_only and after.same_site == "Lax"


def test_sign_out_ends_the_session_on_the_server(idp):
    pw = make_official(idp, "h.clerk")
    sign_in(idp.client, "h.clerk", pw)
    sid = idp.client.get_cookie("idp_session").value
    page = idp.client.get("/").get_data(as_text=True)
    assert idp.client.post("/logout", data={"csrf_token": csrf_of(page)}).status_code == 200
    idp.client.set_cookie("idp_session", sid)  # the old cookie replayed
    assert idp.client.get("/").status_code == 302
    _, challenge = pkce()
    assert "/login" in idp.client.get(authorize_url(challenge=challenge)).headers["Location"]


def test_rp_initiated_logout_with_an_id_token_hint_ends_the_session(idp):
    pw = make_official(idp, "h2.clerk")
    got = tokens_for(idp.client, "h2.clerk", pw)
    resp = idp.client.get("/logout?" + "&".join([
        f"id_token_hint={got['id_token']}", "client_id=projection-pages",
        "post_logout_redirect_uri=http://127.0.0.1:8000/"]))
    assert resp.status_code == 303 and resp.headers["Location"] == "http://127.0.0.1:8000/"
    assert idp.client.get("/").status_code == 302
    evil = idp.client.get("/logout?post_logout_redirect_uri=https://evil.example/")
    assert "evil" not in evil.headers.get("Location", "")


def test_initial_password_must_be_changed_before_any_token(idp):
    made = idp.accounts.create(None, "i.clerk", "测试", "civil_affairs", ("500103",), ("clerk",))
    resp = sign_in(idp.client, "i.clerk", made.initial_password)
    assert resp.status_code == 303 and resp.headers["Location"].startswith("/password")
    verifier, challenge = pkce()
    assert idp.client.get(authorize_url(challenge=challenge)).headers["Location"].startswith(
        "/password")
    form = idp.client.get("/password").get_data(as_text=True)
    weak = idp.client.post("/password", data={"csrf_token": csrf_of(form),
                                              "current": made.initial_password,
                                              "new": "short", "again": "short"})
    assert weak.status_code == 422
    new = "Changed-Passw0rd-99"
    ok = idp.client.post("/password", data={"csrf_token": csrf_of(form),
                                            "current": made.initial_password, "new": new,
                                            "again": new})
    assert ok.status_code == 303
    code = code_from(idp.client.get(authorize_url(challenge=challenge)))
    assert exchange(idp.client, code, verifier).status_code == 200


def test_a_disabled_account_cannot_sign_in_and_its_sessions_end(idp):
    pw = make_official(idp, "j.clerk")
    sign_in(idp.client, "j.clerk", pw)
    idp.accounts.disable(None, "j.clerk")
    assert idp.client.get("/").status_code == 302
    assert sign_in(idp.client, "j.clerk", pw).status_code == 401


def test_rotation_keeps_old_tokens_valid_until_the_old_key_retires(idp, tmp_path):
    pw = make_official(idp, "k.clerk")
    old = tokens_for(idp.client, "k.clerk", pw)["access_token"]
    old_kid = jwt.get_unverified_header(old)["kid"]
    keyfile.rotate(idp.keys_file)
    idp.rebuild()
    assert len(idp.client.get("/jwks.json").json["keys"]) == 2
    new = tokens_for(idp.client, "k.clerk", pw)["access_token"]
    assert jwt.get_unverified_header(new)["kid"] != old_kid
    both = verifier_for(idp.client, ISSUER, tmp_path)
    assert both.authority(old).sub == both.authority(new).sub == "k.clerk"
    keyfile.retire(idp.keys_file, old_kid)
    idp.rebuild()
    after = verifier_for(idp.client, ISSUER, tmp_path)
    assert after.authority(new).sub == "k.clerk"
    with pytest.raises(InvalidToken):
        after.authority(old)


def _claims(**over):
    now = int(time.time())
    return {"iss": ISSUER, "aud": "eldercare-platform", "sub": "forger", "jti": str(uuid.uuid4()),
            "department": "civil_affairs", "regions": [NATIONAL], "duties": ["leader"],
            "scope": "openid", "iat": now, "exp": now + 300, **over}


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
@pytest.mark.parametrize("secret", ["secret", "x", "eldercare-dev-secret", "PUBLIC_KEY"])
def test_forged_hs256_tokens_are_refused(idp, tmp_path, secret):
    published = idp.client.get("/jwks.json").json["keys"][0]
    key = published["x"] if secret == "PUBLIC_KEY" else secret  # the public key as the secret
    forged = jwt.encode(_claims(), key, algorithm="HS256", headers={"kid": published["kid"]})
    with pytest.raises(InvalidToken):
        verifier_for(idp.client, ISSUER, tmp_path).authority(forged)


def test_expired_and_wrong_audience_tokens_are_refused(idp, tmp_path):
    signing = keyfile.load(idp.keys_file)[-1]
    private = jwt.PyJWK(signing).key
    verify = verifier_for(idp.client, ISSUER, tmp_path)
    now = int(time.time())
    for bad in (_claims(iat=now - 1200, exp=now - 600), _claims(aud="another-platform"),
                _claims(iss="http://127.0.0.1:9999"), _claims(exp=now + 3600)):
        token = jwt.encode(bad, private, algorithm="EdDSA", headers={"kid": signing["kid"]})
        with pytest.raises(InvalidToken):
            verify.authority(token)
    good = jwt.encode(_claims(), private, algorithm="EdDSA", headers={"kid": signing["kid"]})
    assert verify.authority(good).sub == "forger"  # the same path accepts a correct one


def test_no_password_or_hash_is_ever_stored_in_an_event(idp):
    pw = make_official(idp, "l.clerk")
    made = idp.accounts.create(None, "m.clerk", "测试", "health", ("5001",), ("leader",))
    sign_in(idp.client, "l.clerk", pw)
    sign_in(idp.client, "l.clerk", "Wrong-Passw0rd-xx")
    idp.accounts.change_password("l.clerk", pw, "Brand-New-Passw0rd-7")
    events = list(database(idp.settings)[COMMITS].find({}))
    assert events, "the account events are in the store"
    text = json.dumps(events, default=str)
    for secret in (pw, made.initial_password, "Brand-New-Passw0rd-7", "$argon2"):
        assert secret not in text
    stored = database(idp.settings)["credentials"].find_one({"_id": "l.clerk"})
    assert stored["hash"].startswith("$argon2id$")


def test_admin_pages_are_for_account_administrators_only(idp):
    pw = make_official(idp, "n.leader", duties=("leader",))
    sign_in(idp.client, "n.leader", pw)
    assert idp.client.get("/admin/accounts").status_code == 403


def test_an_administrator_creates_accounts_within_its_own_regions_only(idp):
    admin_pw = "Admin-Passw0rd-Test"
    idp.accounts.create(None, "cq.admin", "管理员", "civil_affairs", ("5001",),
                        ("account_admin",), admin_pw)
    sign_in(idp.client, "cq.admin", admin_pw)
    page = idp.client.get("/admin/accounts")
    assert page.status_code == 200
    form = {"csrf_token": csrf_of(page.get_data(as_text=True)), "login": "yz.new",
            "name": "渝中经办人", "department": "civil_affairs", "regions": "500103",
            "duties": "clerk"}
    made = idp.client.post("/admin/accounts", data=form)
    assert made.status_code == 200 and "初始口令" in made.get_data(as_text=True)
    assert idp.accounts.get("yz.new").must_change_password
    wide = idp.client.post("/admin/accounts", data={**form, "login": "sc.new",
                                                    "regions": "51"})
    assert wide.status_code == 403 and not idp.accounts.get("sc.new").exists
    mixed = idp.client.post("/admin/accounts", data={**form, "login": "mix.new",
                                                     "duties": ["clerk", "account_admin"]})
    assert mixed.status_code == 422
    no_csrf = idp.client.post("/admin/accounts", data={**form, "csrf_token": "x",
                                                       "login": "x.new"})
    assert no_csrf.status_code == 403 and not idp.accounts.get("x.new").exists


def test_behind_a_trusted_tls_proxy_the_session_cookie_is_secure(idp):
    import dataclasses

    from identity.bootstrap import create_app

    from tests.integration.identity.conftest import FAST

    plain = idp.client.get("/login", headers={"X-Forwarded-Proto": "https"})
    assert "Secure" not in plain.headers["Set-Cookie"]  # the header alone is never trusted
    proxied = create_app(idp.settings, dataclasses.replace(idp.identity, trust_proxy=True),
                         idp.clock, hasher=FAST).test_client()
    resp = proxied.get("/login", headers={"X-Forwarded-Proto": "https"})
    cookie = resp.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_a_create_interrupted_between_event_and_hash_is_finished_by_its_retry(idp, monkeypatch):
    """A crash after the AccountCreated event but before the hash is stored: the retried
    create stores a password and shows it (once); nothing else changes."""
    accounts = idp.accounts
    real_put = accounts.credentials.put

    def crash(login, hashed):
        raise ConnectionError("the database went away")

    monkeypatch.setattr(accounts.credentials, "put", crash)
    with pytest.raises(ConnectionError):
        accounts.create(None, "yz.crash", "测试", "civil_affairs", ("500103",), ("clerk",))
    assert accounts.get("yz.crash").exists and accounts.credentials.get("yz.crash") is None
    monkeypatch.setattr(accounts.credentials, "put", real_put)
    retried = accounts.create(None, "yz.crash", "测试", "civil_affairs", ("500103",), ("clerk",))
    assert retried.initial_password  # shown now, since it never was
    assert accounts.sign_in("yz.crash", retried.initial_password).must_change_password
    again = accounts.create(None, "yz.crash", "测试", "civil_affairs", ("500103",), ("clerk",))
    assert again.initial_password is None  # the password was shown: a retry never shows another
    events = [e.name for e in accounts.store.load("account-yz.crash").events]
    assert events.count("AccountCreated") == 1
