"""Each service connects to MongoDB as its own user when one is configured: the password comes
from a file, is URL-quoted into the URI and never has a default; half a credential is refused."""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.config import MongoCredentialsError, Settings, with_credentials

URI = "mongodb://mongo:27017/?replicaSet=rs0"


def test_without_a_user_the_uri_is_used_as_given() -> None:
    assert with_credentials(URI, {}) == URI
    assert Settings.from_env("registry", {"MONGODB_URI": URI}).mongodb_uri == URI


def test_a_services_own_user_from_a_password_file(tmp_path) -> None:
    secret = tmp_path / "mongo-registry"
    secret.write_text("p@ss:w/rd\n", encoding="utf-8")
    uri = Settings.from_env("registry", {"MONGODB_URI": URI, "MONGODB_USERNAME": "registry",
                                         "MONGODB_PASSWORD_FILE": str(secret)}).mongodb_uri
    parts = urlsplit(uri)
    assert unquote(parts.username or "") == "registry"
    assert unquote(parts.password or "") == "p@ss:w/rd"
    assert parse_qs(parts.query) == {"replicaSet": ["rs0"], "authSource": ["admin"]}


@given(st.text(min_size=1, max_size=20), st.text(min_size=1, max_size=20).filter(
    lambda p: p.strip() == p))
def test_any_user_and_password_survive_the_uri(user, password) -> None:
    parts = urlsplit(with_credentials(URI, {"MONGODB_USERNAME": user,
                                            "MONGODB_PASSWORD": password}))
    assert unquote(parts.username or "") == user and unquote(parts.password or "") == password
    assert parts.hostname == "mongo" and parts.port == 27017


@pytest.mark.parametrize("env", [{"MONGODB_USERNAME": "registry"},
                                 {"MONGODB_PASSWORD": "secret"}])
def test_half_a_credential_is_refused(env) -> None:
    with pytest.raises(MongoCredentialsError, match="MONGODB_USERNAME"):
        with_credentials(URI, env)


def test_credentials_are_given_once() -> None:
    with pytest.raises(MongoCredentialsError):
        with_credentials("mongodb://u:p@mongo:27017/", {"MONGODB_USERNAME": "registry",
                                                        "MONGODB_PASSWORD": "x"})
