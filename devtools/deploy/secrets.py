"""Make the secrets folder of a compose deployment (ELDERCARE_SECRETS_DIR), once.

    python -m devtools.deploy.secrets init --dir /srv/eldercare-secrets \
        --identity-url https://idp.example.gov.cn --console-url https://console.example.gov.cn \
        --public-url https://ylfw.example.gov.cn

Every file is made only if absent (a second run keeps keys and passwords, and adds what a newer
version of the platform needs). Folders, each mounted only where it is needed:

- ``services/<svc>/`` and ``services/<svc>-relay/``: ``mongo-password``, ``kafka-password``,
  ``ca.pem`` (the Kafka CA); the console's and the public site's OIDC client secrets. Owned by
  the image's user (uid 10001), mode 0600.
- ``kafka/``: the CA, ``broker.pem`` (key + certificate for the names kafka and localhost,
  PKCS#8 PEM), ``users/<principal>`` passwords (admin and every service); uid 1000.
- ``mongo/``: ``root-password``, ``keyfile`` (replica set members), ``users/<svc>``; uid 999.
- ``identity/`` (signing-keys.json, clients.json), ``complaints/secrets.json``,
  ``translog/signing-key.json``: made by the services' own key tools; uid 10001.

Nothing here is printed except the paths; back the folder up apart from the databases (the
complaints master key and the log's signing key cannot be made again).
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import json
import os
import secrets
import sys
from pathlib import Path

from devtools.deploy import topology as t
from devtools.devstack.identity_files import clients, write_private

APP_UID, KAFKA_UID, MONGO_UID = 10001, 1000, 999


def _put(path: Path, make: object) -> None:
    if not path.exists():
        write_private(path, make() if callable(make) else str(make))


def _password() -> str:
    return secrets.token_urlsafe(32)


def _tls(folder: Path) -> None:
    """A CA and the broker's certificate (names kafka, localhost), ten years."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    if (folder / "ca.pem").exists() and (folder / "broker.pem").exists():
        return
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "eldercare kafka CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now).not_valid_after(now + dt.timedelta(days=3650))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "kafka")]))
            .issuer_name(ca_name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now).not_valid_after(now + dt.timedelta(days=3650))
            .add_extension(x509.SubjectAlternativeName(
                [x509.DNSName("kafka"), x509.DNSName("localhost")]), critical=False)
            .sign(ca_key, hashes.SHA256()))
    pem = serialization.Encoding.PEM
    write_private(folder / "ca.pem", ca.public_bytes(pem).decode())
    write_private(folder / "broker.pem", key.private_bytes(
        pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
        + cert.public_bytes(pem).decode())


def _chown(folder: Path, uid: int) -> None:
    if os.geteuid() != 0:
        for p in [folder, *folder.rglob("*")]:
            if p.is_dir():
                os.chmod(p, 0o700)
        return  # not root: the files stay the caller's (fine for one user's test machine)
    for p in [folder, *folder.rglob("*")]:
        os.chown(p, uid, uid)
        if p.is_dir():
            os.chmod(p, 0o700)


def init(root: Path, identity_url: str, console_url: str, public_url: str,
         devtools_client: bool = False) -> None:
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(root, 0o711)  # containers reach their own sub-folder, list nothing
    kafka, mongo = root / "kafka", root / "mongo"
    _tls(kafka)
    ca = (kafka / "ca.pem").read_text(encoding="utf-8")
    for user in ("admin", *t.kafka_users()):
        _put(kafka / "users" / user, _password)
    _put(mongo / "root-password", _password)
    _put(mongo / "keyfile", lambda: base64.b64encode(secrets.token_bytes(756)).decode())
    for s in t.SERVICES:
        _put(mongo / "users" / s.name, _password)

    ident = root / "identity"
    if not (ident / "clients.json").exists():
        found = [c for c in clients({"console": console_url, "projection": public_url})
                 if devtools_client or c["client_id"] != "devtools"]
        write_private(ident / "clients.json", json.dumps(found, indent=2, ensure_ascii=False))
    found = json.loads((ident / "clients.json").read_text(encoding="utf-8"))
    secret = {c["client_id"]: c.get("client_secret", "") for c in found}
    from identity import keys as identity_keys
    identity_keys.init(ident / "signing-keys.json")
    from complaints import secrets as complaint_secrets
    if not (root / "complaints" / "secrets.json").exists():
        (root / "complaints").mkdir(mode=0o700, exist_ok=True)
        complaint_secrets.main(["init", "--file", str(root / "complaints" / "secrets.json")])
    from translog import keys as log_keys
    (root / "translog").mkdir(mode=0o700, exist_ok=True)
    log_keys.write_new(root / "translog" / "signing-key.json")

    for s in t.SERVICES:
        for principal in (s.name, f"{s.name}-relay") if s.relay else (s.name,):
            d = root / "services" / principal
            _put(d / "mongo-password", (mongo / "users" / s.name).read_text(encoding="utf-8"))
            _put(d / "kafka-password", (kafka / "users" / principal).read_text(encoding="utf-8"))
            _put(d / "ca.pem", ca)
            if s.name == "console":
                _put(d / "console-client-secret", secret.get("console", ""))
            if s.name == "projection":
                _put(d / "projection-client-secret", secret.get("projection-pages", ""))
            _chown(d, APP_UID)
    for name in ("identity", "complaints", "translog"):
        _chown(root / name, APP_UID)
    _chown(kafka, KAFKA_UID)
    _chown(mongo, MONGO_UID)
    if os.geteuid() == 0:
        os.chown(root, 0, 0)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    i = sub.add_parser("init")
    i.add_argument("--dir", required=True, type=Path)
    i.add_argument("--identity-url", required=True, help="the identity service's issuer URL")
    i.add_argument("--console-url", required=True, help="the console's external URL")
    i.add_argument("--public-url", required=True, help="the public site's external URL")
    i.add_argument("--devtools-client", action="store_true",
                   help="also register the scripted sign-in client (test deployments only)")
    args = p.parse_args(argv)
    init(args.dir, args.identity_url, args.console_url, args.public_url, args.devtools_client)
    print(f"secrets in {args.dir} (set ELDERCARE_SECRETS_DIR={args.dir} in .env)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
