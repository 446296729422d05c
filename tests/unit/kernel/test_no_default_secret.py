"""No secret has a default: a service, the token CLI and compose refuse to start without a
configured JWT_SECRET of at least 32 characters; `make run` generates its own."""

from __future__ import annotations

import re
import secrets
from pathlib import Path

import pytest

from devtools.devstack.secret import dev_secret
from shared.config import MIN_SECRET_LENGTH, MissingSecret, Settings, configured_secret
from shared.http.app import create_app
from shared.http.auth import main as mint_main

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize("env", [{}, {"JWT_SECRET": ""},
                                 {"JWT_SECRET": "x" * (MIN_SECRET_LENGTH - 1)}])
def test_settings_refuse_a_missing_or_short_secret(env):
    with pytest.raises(MissingSecret):
        Settings.from_env("registry", env)


def test_a_secret_at_the_minimum_length_is_accepted():
    value = "x" * MIN_SECRET_LENGTH
    assert Settings.from_env("registry", {"JWT_SECRET": value}).jwt_secret == value
    assert configured_secret({"JWT_SECRET": value}) == value


def test_no_app_without_a_secret():
    with pytest.raises(MissingSecret):
        create_app(Settings("registry", jwt_secret=""), [], title="t")


def test_the_token_cli_refuses_without_a_secret(monkeypatch, tmp_path):
    monkeypatch.delenv("JWT_SECRET", raising=False)
    monkeypatch.chdir(tmp_path)  # no data/dev-jwt-secret here
    with pytest.raises(SystemExit) as exc:
        mint_main(["--role", "civil_affairs"])
    assert "JWT_SECRET" in str(exc.value)


def test_the_dev_stack_generates_a_private_secret_once(monkeypatch, tmp_path):
    monkeypatch.delenv("JWT_SECRET", raising=False)
    first = dev_secret(tmp_path)
    assert len(first) >= MIN_SECRET_LENGTH and dev_secret(tmp_path) == first
    assert (tmp_path / "dev-jwt-secret").stat().st_mode & 0o077 == 0
    assert dev_secret(tmp_path / "other") != first


def test_no_secret_literal_in_code_or_compose():
    compose = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    assert re.search(r"JWT_SECRET:\s*\$\{JWT_SECRET:\?", compose)
    assert "dev-only-secret" not in compose
    for path in [*ROOT.glob("shared/**/*.py"), *ROOT.glob("services/**/*.py"),
                 *ROOT.glob("devtools/**/*.py")]:
        assert "dev-only-secret" not in path.read_text(encoding="utf-8"), path
    assert secrets.token_urlsafe(48)  # what the docs tell operators to use
