"""What runs in the production deployment and what each process may touch: one table.

docker-compose.yml, the stand-in override, the Kafka users and ACLs and the MongoDB users are
all rendered from it (``python -m devtools.deploy.render``; a unit test fails when a committed
file differs from what this table renders). The topics a consumer reads are taken from the
consumers' own code, so a consumer that starts reading a new topic gets its ACL with it.

Principals, least privilege:
- Kafka user ``<svc>-relay``: the only one that may write eldercare.<svc>.events (and only it);
  it may also create that topic and its marker topic (after a broker lost them).
- Kafka user ``<svc>``: the service's web, scheduler and consumer processes: read the topics its
  consumers read (and their groups, named ``<svc>`` or ``<svc>.*``), write the dead-letter
  topic; nothing else.
- MongoDB user ``<svc>``: readWrite on eldercare_<svc> (and the service's own extra databases:
  the complaints key vault, the projection's as-of folds); the projection also reads the relay
  state of the services whose topics it shows (its /ops/status page), nothing else there.
"""

from __future__ import annotations

from dataclasses import dataclass, field

DEAD_LETTER = "eldercare.deadletter"
DB_PREFIX = "eldercare_"


def topic(svc: str) -> str:
    return f"eldercare.{svc}.events"


@dataclass(frozen=True)
class Service:
    name: str  # the Python package and the service name in Settings
    port: int
    relay: bool = False
    scheduler: bool = False
    consumer: bool = False
    env: dict[str, str] = field(default_factory=dict)  # service URLs etc. (compose names)
    secrets: tuple[str, ...] = ()  # folders of the secrets dir mounted at /run/secrets/<name>
    scheduler_secrets: bool = False  # the scheduler mounts them too
    extra_dbs: tuple[str, ...] = ()  # suffixes of its own further databases

    @property
    def host(self) -> str:
        """The name inside compose (no underscores in host names)."""
        return self.name.replace("_", "-")

    @property
    def database(self) -> str:
        return f"{DB_PREFIX}{self.name}"


TRANSLOG = {"ELDERCARE_TRANSLOG_URL": "http://translog:8010"}
SERVICES: tuple[Service, ...] = (
    Service("identity", 8006, relay=True, secrets=("identity",), env={
        "IDENTITY_ISSUER": "${IDENTITY_ISSUER:?set IDENTITY_ISSUER in .env to the provider's "
                           "external https URL}",
        "IDENTITY_KEYS_FILE": "/run/secrets/identity/signing-keys.json",
        "IDENTITY_CLIENTS_FILE": "/run/secrets/identity/clients.json"}),
    Service("registry", 8001, relay=True, scheduler=True),
    Service("inspection", 8002, relay=True, scheduler=True, consumer=True, env=TRANSLOG),
    Service("fire_safety", 8003, relay=True, scheduler=True),
    Service("credit", 8004, relay=True, scheduler=True, consumer=True),
    Service("escrow", 8005, relay=True, scheduler=True),
    Service("complaints", 8008, relay=True, scheduler=True, secrets=("complaints",),
            scheduler_secrets=True, extra_dbs=("_vault",),
            env={"COMPLAINTS_SECRETS_FILE": "/run/secrets/complaints/secrets.json"}),
    Service("risk", 8009, relay=True, scheduler=True, consumer=True),
    Service("translog", 8010, scheduler=True, consumer=True, secrets=("translog",),
            scheduler_secrets=True,
            env={"TRANSLOG_KEY_FILE": "/run/secrets/translog/signing-key.json"}),
    Service("projection", 8000, consumer=True, extra_dbs=("_asof",), env={
        **TRANSLOG, "ELDERCARE_COMPLAINTS_URL": "http://complaints:8008"}),
    Service("console", 8007, env={
        "CONSOLE_OIDC_CLIENT_ID": "${CONSOLE_OIDC_CLIENT_ID:-console}",
        "CONSOLE_OIDC_CLIENT_SECRET_FILE": "/run/secrets/eldercare/console-client-secret",
        "ELDERCARE_CONSOLE_PUBLIC_URL": "${CONSOLE_PUBLIC_URL:?set CONSOLE_PUBLIC_URL in .env "
                                        "to the console's external https URL}",
        **{f"ELDERCARE_{s.upper()}_URL": f"http://{s.replace('_', '-')}:{p}" for s, p in (
            ("registry", 8001), ("inspection", 8002), ("fire_safety", 8003), ("credit", 8004),
            ("escrow", 8005), ("complaints", 8008), ("risk", 8009), ("projection", 8000))}}),
)
BY_NAME = {s.name: s for s in SERVICES}
WEB_REPLICAS = 2
RELAY_REPLICAS = 2  # one active (the lease), one standing by
SCHEDULER_REPLICAS = 2
CONSUMER_REPLICAS = 2  # members of the same groups; up to the partition count help


def consumed_topics(svc: str) -> tuple[str, ...]:
    """The topics the service's consumer process reads, from its own code."""
    if svc == "inspection":
        from inspection.consumer import TOPICS
        return tuple(sorted(set(TOPICS)))
    if svc == "credit":
        from credit import consumers
        return tuple(sorted({topic(m.SOURCE) for m in consumers.sources()}))
    if svc == "risk":
        from risk.consumer import TOPICS as RISK
        return tuple(sorted(RISK))
    if svc == "translog":
        from translog.consumer import TOPICS as LOG
        return tuple(sorted(LOG))
    if svc == "projection":
        from projection.pipeline import sources_of
        return tuple(sorted({topic(s) for ss in sources_of().values() for s in ss}))
    if BY_NAME[svc].consumer:
        raise KeyError(f"say which topics the {svc} consumer reads")
    return ()


def marker(svc: str) -> str:
    """The relay's marker topic (shared.relay.marker_topic): made by the relay alone, its
    absence tells the relay the broker lost its topics. kafka-init never creates it."""
    from shared.relay import marker_topic
    return marker_topic(svc)


def topics() -> tuple[str, ...]:
    return tuple(topic(s.name) for s in SERVICES if s.relay) + (DEAD_LETTER,)


@dataclass(frozen=True)
class Acl:
    principal: str
    operation: str  # Kafka's names: Read, Write, Describe
    resource: str  # topic or group
    name: str
    prefixed: bool = False


def kafka_users() -> tuple[str, ...]:
    out = []
    for s in SERVICES:
        out.append(s.name)
        if s.relay:
            out.append(f"{s.name}-relay")
    return tuple(out)


def kafka_acls() -> tuple[Acl, ...]:
    acls: list[Acl] = []
    for s in SERVICES:
        if s.relay:
            # its topic: write; create it again only if the broker lost it (shared.relay
            # resync_if_broker_forgot); its marker topic, which only the relay creates
            for op in ("Write", "Describe", "Create"):
                acls.append(Acl(f"{s.name}-relay", op, "topic", topic(s.name)))
            for op in ("Describe", "Create"):
                acls.append(Acl(f"{s.name}-relay", op, "topic", marker(s.name)))
        reads = consumed_topics(s.name)
        for t in reads:
            for op in ("Read", "Describe"):
                acls.append(Acl(s.name, op, "topic", t))
        if reads:
            acls.append(Acl(s.name, "Read", "group", s.name, prefixed=True))
            for op in ("Write", "Describe"):
                acls.append(Acl(s.name, op, "topic", DEAD_LETTER))
    return tuple(acls)


def mongo_roles(svc: str) -> list[dict[str, str]]:
    s = BY_NAME[svc]
    roles = [{"role": "readWrite", "db": s.database}]
    roles += [{"role": "readWrite", "db": s.database + x} for x in s.extra_dbs]
    if svc == "projection":
        roles.append({"role": "opsStatusReader", "db": "admin"})
    return roles


# What /ops/status reads in each source service's database (shared.ops.relay_status).
OPS_COLLECTIONS = ("ops_status", "es_commits", "es_parked", "leases")


def ops_sources() -> tuple[str, ...]:
    """The services whose relay state the projection shows."""
    from projection.pipeline import sources_of
    return tuple(sorted({s for ss in sources_of().values() for s in ss}))
