"""Resource-server token checks (shared/oidc.py): only the configured issuer's asymmetric
signatures over the platform's claims count; everything else is refused with a reason."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from devtools.devstack.dev_oidc import DevSigner
from shared.authority import NATIONAL
from shared.config import Settings
from shared.http.app import create_app
from shared.oidc import (
    MAX_LIFETIME,
    ConfigError,
    InvalidToken,
    KeySet,
    OidcSettings,
    Verifier,
)


@pytest.fixture()
def signer(tmp_path):
    return DevSigner(tmp_path / "keys", issuer="https://idp.test")


@pytest.fixture()
def verifier(signer):
    return Verifier(OidcSettings(**{"issuer": signer.issuer, "jwks_uri": signer.jwks_uri}),
                    KeySet(signer.jwks_uri, refresh_interval=0))


def test_a_token_of_the_issuer_gives_the_authority_it_names(signer, verifier):
    token = signer.token("u-1", "civil_affairs", ("500103",), ("clerk",))
    a = verifier.authority(token)
    assert (a.sub, a.department, a.regions, a.duties) == ("u-1", "civil_affairs", ("500103",),
                                                          ("clerk",))


def _hs256(claims: dict, secret: str, kid: str = "any") -> str:
    """Signed by hand: PyJWT itself refuses short or PEM-looking HMAC keys."""
    def b64(raw: bytes) -> str:
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    head = b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": kid}).encode())
    body = b64(json.dumps(claims).encode())
    mac = hmac.new(secret.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{b64(mac)}"


@settings(max_examples=60, deadline=None)
@given(secret=st.text(min_size=0, max_size=80))
def test_an_hs256_token_signed_with_any_string_is_refused(secret, tmp_path_factory):
    signer = DevSigner(tmp_path_factory.mktemp("k"), issuer="https://idp.test")
    verifier = Verifier(OidcSettings(signer.issuer, signer.jwks_uri))
    claims = signer.claims("u", "civil_affairs")
    with pytest.raises(InvalidToken):
        verifier.authority(_hs256(claims, secret))


def test_hs256_keyed_with_the_published_public_key_is_refused(signer, verifier):
    public = json.loads(signer.public_file.read_text())["keys"][-1]
    claims = signer.claims("u", "civil_affairs")
    for secret in (json.dumps(public), public["x"],
                   base64.urlsafe_b64decode(public["x"] + "==").decode("latin-1")):
        token = _hs256(claims, secret, public["kid"])
        with pytest.raises(InvalidToken, match="算法"):
            verifier.authority(token)


def test_an_unsigned_token_is_refused(signer, verifier):
    header = base64.urlsafe_b64encode(json.dumps(
        {"alg": "none", "kid": signer.keys[-1]["kid"]}).encode()).rstrip(b"=")
    body = base64.urlsafe_b64encode(json.dumps(signer.claims("u", "finance")).encode()
                                    ).rstrip(b"=")
    with pytest.raises(InvalidToken):
        verifier.authority(f"{header.decode()}.{body.decode()}.")


@pytest.mark.parametrize("change,reason", [
    ({"aud": "another-platform"}, "(?i)audience"),
    ({"iss": "https://evil.test"}, "(?i)issuer"),
    ({"exp": int(time.time()) - 120, "iat": int(time.time()) - 600}, "(?i)expired"),
    ({"iat": int(time.time()), "exp": int(time.time()) + MAX_LIFETIME + 1}, "有效期"),
])
def test_wrong_audience_issuer_expiry_or_lifetime_is_refused(signer, verifier, change, reason):
    token = signer.sign({**signer.claims("u", "fire_rescue"), **change})
    with pytest.raises(InvalidToken, match=reason):
        verifier.authority(token)


def test_the_longest_allowed_lifetime_is_accepted(signer, verifier):
    now = int(time.time())
    token = signer.sign({**signer.claims("u", "fire_rescue"), "iat": now,
                         "exp": now + MAX_LIFETIME})
    assert verifier.authority(token).department == "fire_rescue"


@pytest.mark.parametrize("missing", ["exp", "iat", "iss", "aud", "sub", "jti", "department"])
def test_a_required_claim_missing_is_refused(signer, verifier, missing):
    claims = signer.claims("u", "health")
    del claims[missing]
    with pytest.raises(InvalidToken):
        verifier.authority(signer.sign(claims))


@pytest.mark.parametrize("change", [{"department": "admin"}, {"department": "mayor"},
                                    {"regions": ["5001x"]}, {"regions": "500103"},
                                    {"regions": ["5001034"]}, {"duties": ["superuser"]},
                                    {"scope": ["openid"]}])
def test_malformed_platform_claims_are_refused(signer, verifier, change):
    with pytest.raises(InvalidToken):
        verifier.authority(signer.sign({**signer.claims("u", "health"), **change}))


def test_rotation_a_new_key_verifies_after_refetch_and_the_old_one_still_does(signer, verifier):
    old = signer.token("u", "finance")
    assert verifier.authority(old).department == "finance"  # caches the first key set
    signer.rotate()
    new = signer.token("u", "finance")
    assert verifier.authority(new).department == "finance"  # unknown kid: refetched
    assert verifier.authority(old).department == "finance"  # both live during the overlap
    signer.rotate()  # the first key retires
    fresh = Verifier(OidcSettings(signer.issuer, signer.jwks_uri))
    with pytest.raises(InvalidToken, match="密钥"):
        fresh.authority(old)


def test_unknown_kids_do_not_refetch_more_than_once_per_interval(signer):
    keys = KeySet(signer.jwks_uri, refresh_interval=3600)
    verifier = Verifier(OidcSettings(signer.issuer, signer.jwks_uri), keys)
    verifier.authority(signer.token("u", "finance"))
    signer.rotate()
    with pytest.raises(InvalidToken, match="密钥"):  # within the interval: no refetch
        verifier.authority(signer.token("u", "finance"))


def test_private_or_symmetric_keys_in_the_key_set_are_not_used(tmp_path):
    signer = DevSigner(tmp_path / "k", issuer="https://idp.test")
    signer.public_file.write_text(signer.private_file.read_text())  # published the private
    verifier = Verifier(OidcSettings(signer.issuer, signer.jwks_uri))
    with pytest.raises(InvalidToken, match="密钥"):
        verifier.authority(signer.token("u", "finance"))


@pytest.mark.parametrize("bad", [
    {"issuer": ""}, {"jwks_uri": ""}, {"audience": ""}, {"algorithms": ("HS256",)},
    {"algorithms": ("EdDSA", "HS512")}, {"algorithms": ()}, {"algorithms": ("none",)},
    {"jwks_uri": "ftp://x/jwks"}])
def test_unsafe_or_missing_settings_refuse_to_start(bad):
    base = {"issuer": "https://idp.test", "jwks_uri": "https://idp.test/jwks"}
    with pytest.raises(ConfigError):
        OidcSettings(**{**base, **bad}).validate()


def test_a_service_without_an_issuer_refuses_to_start():
    with pytest.raises(ConfigError, match="OIDC_ISSUER"):
        create_app(Settings("registry", oidc=OidcSettings.from_env({})), [], title="t")


def test_settings_read_the_provider_from_the_environment():
    s = Settings.from_env("registry", {"OIDC_ISSUER": "https://kc.test/realms/gov",
                                       "OIDC_JWKS_URI": "https://kc.test/certs",
                                       "OIDC_ALGORITHMS": "RS256, ES256"})
    assert s.oidc.algorithms == ("RS256", "ES256") and s.oidc.audience == "eldercare-platform"
    assert s.oidc.validate() is s.oidc


def test_national_scope_is_a_region_of_its_own(signer, verifier):
    a = verifier.authority(signer.token("u", "civil_affairs", (NATIONAL,)))
    assert a.covers("500103") and a.covers("110101")


# -- revocation: a disabled account's (or changed authority's) tokens stop before expiry ----


class Ticks:
    """A monotonic clock the test moves."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _revocation_list(path, **cuts: int) -> None:
    from shared.oidc import subject_digest

    path.write_text(json.dumps({"revoked": [{"sub_sha256": subject_digest(sub),
                                             "not_before": at} for sub, at in cuts.items()]}),
                    encoding="utf-8")


@pytest.fixture()
def revoking(signer, tmp_path):
    from shared.oidc import Revocations

    listed, ticks = tmp_path / "revocations.json", Ticks()
    _revocation_list(listed)
    revocations = Revocations(listed.as_uri(), refresh_interval=10, clock=ticks)
    v = Verifier(OidcSettings(issuer=signer.issuer, jwks_uri=signer.jwks_uri,
                              revocations_uri=listed.as_uri()),
                 KeySet(signer.jwks_uri, refresh_interval=0), revocations)
    return v, listed, ticks


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(offset=st.integers(-5, 5))
def test_a_token_counts_exactly_when_issued_at_or_after_its_accounts_cut(signer, tmp_path,
                                                                         offset):
    """At the limit (issued in the second of the change) it counts; one second earlier it
    does not; another account is not touched."""
    from shared.oidc import Revocations

    listed = tmp_path / f"rev-{offset + 5}.json"
    now = int(time.time())
    _revocation_list(listed, **{"u-1": now + offset})
    v = Verifier(OidcSettings(issuer=signer.issuer, jwks_uri=signer.jwks_uri),
                 KeySet(signer.jwks_uri, refresh_interval=0),
                 Revocations(listed.as_uri(), refresh_interval=0))
    token = signer.sign(signer.claims("u-1", "civil_affairs", ("500103",), ("clerk",)))
    other = signer.sign(signer.claims("u-2", "civil_affairs", ("500103",), ("clerk",)))
    iat = jwt_iat(token)
    if iat >= now + offset:
        assert v.authority(token).sub == "u-1"
    else:
        with pytest.raises(InvalidToken, match="撤销"):
            v.authority(token)
    assert v.authority(other).sub == "u-2"


def jwt_iat(token: str) -> int:
    import jwt as pyjwt

    return int(pyjwt.decode(token, options={"verify_signature": False})["iat"])


def test_the_list_is_read_again_after_its_interval_and_a_failed_read_keeps_the_last(
        signer, revoking):
    v, listed, ticks = revoking
    token = signer.sign(signer.claims("u-1", "civil_affairs", ("500103",), ("clerk",),
                                      iat=int(time.time()) - 60))
    assert v.authority(token).sub == "u-1"
    _revocation_list(listed, **{"u-1": int(time.time())})
    ticks.now = 9.9  # within the interval: the list read before still holds
    assert v.authority(token).sub == "u-1"
    ticks.now = 10.0
    with pytest.raises(InvalidToken):
        v.authority(token)
    listed.write_text("not json", encoding="utf-8")  # the provider answers nonsense
    ticks.now = 20.0
    with pytest.raises(InvalidToken):  # the last list stays in force
        v.authority(token)
    listed.unlink()
    ticks.now = 30.0
    with pytest.raises(InvalidToken):
        v.authority(token)


def test_a_revocations_uri_that_is_not_http_or_file_is_refused_at_start(signer):
    with pytest.raises(ConfigError, match="OIDC_REVOCATIONS_URI"):
        OidcSettings(issuer=signer.issuer, jwks_uri=signer.jwks_uri,
                     revocations_uri="ftp://idp.test/revocations").validate()
    env = {"OIDC_ISSUER": signer.issuer, "OIDC_JWKS_URI": signer.jwks_uri,
           "OIDC_REVOCATIONS_URI": "https://idp.test/revocations"}
    assert OidcSettings.from_env(env).revocations_uri == "https://idp.test/revocations"
