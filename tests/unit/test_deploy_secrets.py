"""The secrets folder of a compose deployment (devtools/deploy/secrets.py): every principal the
compose file mounts has its folder, passwords are unique, private and kept by a second run,
the Kafka certificate is signed by the CA and names the broker, the scripted sign-in client is
registered only when asked."""

from __future__ import annotations

import json
import stat

import pytest
from cryptography import x509

from devtools.deploy import secrets
from devtools.deploy import topology as t

URLS = ("http://127.0.0.1:8006", "http://127.0.0.1:8007", "http://127.0.0.1:8000")


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("s") / "secrets"
    secrets.init(root, *URLS)
    return root


def _principals() -> list[str]:
    return [p for s in t.SERVICES for p in ((s.name, f"{s.name}-relay") if s.relay
                                            else (s.name,))]


def test_every_principal_has_its_folder_with_private_files(folder) -> None:
    for p in _principals():
        d = folder / "services" / p
        assert stat.S_IMODE(d.stat().st_mode) == 0o700, p
        for name in ("mongo-password", "kafka-password", "ca.pem"):
            f = d / name
            assert f.read_text(encoding="utf-8").strip(), (p, name)
            assert stat.S_IMODE(f.stat().st_mode) == 0o600, (p, name)


def test_passwords_are_unique_and_match_the_broker_and_database_sides(folder) -> None:
    kafka = {p: (folder / "services" / p / "kafka-password").read_text() for p in _principals()}
    assert len(set(kafka.values())) == len(kafka)  # no two principals share a password
    for p, pw in kafka.items():
        assert (folder / "kafka" / "users" / p).read_text() == pw
        svc = p.removesuffix("-relay")
        assert (folder / "services" / p / "mongo-password").read_text() == \
            (folder / "mongo" / "users" / svc).read_text()
    assert (folder / "kafka" / "users" / "admin").read_text() not in kafka.values()


def test_a_second_run_keeps_every_key_and_password(folder) -> None:
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    secrets.init(folder, *URLS)
    after = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    assert after == before


def test_the_broker_certificate_is_signed_by_the_ca_and_names_kafka(folder) -> None:
    ca = x509.load_pem_x509_certificate((folder / "kafka" / "ca.pem").read_bytes())
    pem = (folder / "kafka" / "broker.pem").read_bytes()
    assert b"PRIVATE KEY" in pem
    cert = x509.load_pem_x509_certificate(pem[pem.index(b"-----BEGIN CERTIFICATE"):])
    cert.verify_directly_issued_by(ca)
    names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert set(names.get_values_for_type(x509.DNSName)) == {"kafka", "localhost"}


def test_only_test_deployments_register_the_scripted_sign_in_client(folder, tmp_path) -> None:
    ids = {c["client_id"] for c in json.loads((folder / "identity/clients.json").read_text())}
    assert "devtools" not in ids and {"console", "projection-pages", "market-push"} <= ids
    secrets.init(tmp_path / "test", *URLS, devtools_client=True)
    ids = {c["client_id"] for c in
           json.loads((tmp_path / "test/identity/clients.json").read_text())}
    assert "devtools" in ids
    console = (folder / "services/console/console-client-secret").read_text()
    assert console == next(c["client_secret"] for c in json.loads(
        (folder / "identity/clients.json").read_text()) if c["client_id"] == "console")
