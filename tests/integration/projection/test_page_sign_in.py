"""Department pages sign in through the identity service: authorization code + PKCE.

The provider is stood in for at its two edges (discovery metadata and the token endpoint);
everything the pages do themselves is real: state, nonce, PKCE, the verified access token,
the server-side session behind an HttpOnly SameSite=Lax cookie, sign-out at the provider.
"""

from __future__ import annotations

import base64
import json
from urllib.parse import parse_qs, urlparse

import pytest
from authlib.integrations.requests_client import OAuth2Session
from projection.bootstrap import create_app

from shared.http import oidc_client
from tests.signer import mint

ISSUER = "https://id.example.test"
META = {"issuer": ISSUER, "authorization_endpoint": f"{ISSUER}/authorize",
        "token_endpoint": f"{ISSUER}/token"}
PAGE = "/regulator/unfiled-leads"


def id_token(nonce):
    body = base64.urlsafe_b64encode(json.dumps({"nonce": nonce}).encode()).decode().rstrip("=")
    return f"e30.{body}.sig"


@pytest.fixture()
def provider(monkeypatch):
    """What the token endpoint was asked, and what it answers."""
    seen = {"answer": None}

    def fetch_token(self, url, **kw):
        seen.update(url=url, kw=kw, auth=self.token_endpoint_auth_method,
                    secret=self.client_secret)
        return seen["answer"]

    monkeypatch.setattr(oidc_client.PageSignIn, "metadata", lambda self: META)
    monkeypatch.setattr(OAuth2Session, "fetch_token", fetch_token)
    return seen


@pytest.fixture()
def web(settings, db, provider):
    sign_in = oidc_client.ClientSettings(issuer=ISSUER, client_id="projection-pages",
                                         public_url="http://pages.test",
                                         client_secret="s3cret")
    app = create_app(settings, db=db, sign_in=sign_in)
    app.config["TESTING"] = True
    return app.test_client()


def start(web):
    resp = web.get(f"/login?next={PAGE}")
    assert resp.status_code == 302
    url = urlparse(resp.headers["Location"])
    q = {k: v[0] for k, v in parse_qs(url.query).items()}
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{ISSUER}/authorize"
    assert q["response_type"] == "code" and q["client_id"] == "projection-pages"
    assert q["code_challenge_method"] == "S256" and q["code_challenge"]
    assert q["redirect_uri"] == "http://pages.test/auth/callback"
    assert q["state"] and q["nonce"]
    return q


def test_sign_in_makes_a_server_side_session_and_the_pages_answer(web, provider):
    q = start(web)
    provider["answer"] = {"access_token": mint("clerk-1", "civil_affairs", "500103"),
                          "token_type": "Bearer", "id_token": id_token(q["nonce"])}
    resp = web.get(f"/auth/callback?code=abc&state={q['state']}")
    assert resp.status_code == 302 and resp.headers["Location"].endswith(PAGE)
    cookie = resp.headers["Set-Cookie"]
    assert cookie.startswith("eldercare_session=") and "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie and "Secure" not in cookie  # plain http in this test
    assert provider["kw"]["code_verifier"] and provider["auth"] == "client_secret_basic"
    assert provider["secret"] == "s3cret"
    shown = web.get(PAGE)
    assert shown.status_code == 200 and 'id="sign-out"' in shown.get_data(as_text=True)
    # the browser never holds the token
    assert provider["answer"]["access_token"] not in cookie

    out = web.post("/logout")
    assert out.status_code == 302
    assert out.headers["Location"].startswith(f"{ISSUER}/logout?")
    assert "post_logout_redirect_uri=http%3A%2F%2Fpages.test%2F" in out.headers["Location"]
    assert web.get(PAGE).status_code == 401


def test_a_state_is_used_once(web, provider):
    q = start(web)
    provider["answer"] = {"access_token": mint("clerk-1", "civil_affairs", "500103"),
                          "id_token": id_token(q["nonce"])}
    assert web.get(f"/auth/callback?code=abc&state={q['state']}").status_code == 302
    assert web.get(f"/auth/callback?code=abc&state={q['state']}").status_code == 400
    assert web.get("/auth/callback?code=abc&state=forged").status_code == 400


def test_a_wrong_nonce_or_an_invalid_access_token_makes_no_session(web, provider):
    q = start(web)
    provider["answer"] = {"access_token": mint("clerk-1", "civil_affairs", "500103"),
                          "id_token": id_token("other")}
    resp = web.get(f"/auth/callback?code=abc&state={q['state']}")
    assert resp.status_code == 401 and "Set-Cookie" not in resp.headers
    q = start(web)
    provider["answer"] = {"access_token": "not-a-jwt", "id_token": id_token(q["nonce"])}
    resp = web.get(f"/auth/callback?code=abc&state={q['state']}")
    assert resp.status_code == 401 and "Set-Cookie" not in resp.headers


def test_bearer_tokens_keep_working_and_the_401_page_links_to_sign_in(web):
    headers = {"Authorization": f"Bearer {mint('c', 'civil_affairs', '500103')}"}
    assert web.get(PAGE, headers=headers).status_code == 200
    page = web.get(PAGE)
    assert page.status_code == 401 and 'id="sign-in"' in page.get_data(as_text=True)


def test_a_client_id_without_its_secret_refuses_to_start():
    with pytest.raises(oidc_client.ConfigError, match="PROJECTION_OIDC_CLIENT_SECRET"):
        oidc_client.ClientSettings.from_env("projection", {
            "PROJECTION_OIDC_CLIENT_ID": "projection-pages", "OIDC_ISSUER": ISSUER,
            "ELDERCARE_PROJECTION_PUBLIC_URL": "http://pages.test"})


def test_the_client_secret_is_read_from_its_file_before_the_variable(tmp_path):
    (tmp_path / "secret").write_text("from-the-file\n", encoding="utf-8")
    got = oidc_client.ClientSettings.from_env("projection", {
        "PROJECTION_OIDC_CLIENT_ID": "projection-pages", "OIDC_ISSUER": ISSUER,
        "ELDERCARE_PROJECTION_PUBLIC_URL": "http://pages.test",
        "PROJECTION_OIDC_CLIENT_SECRET_FILE": str(tmp_path / "secret"),
        "PROJECTION_OIDC_CLIENT_SECRET": "from-the-variable"})
    assert got is not None and got.client_secret == "from-the-file"
