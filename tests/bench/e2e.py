"""(d) End-to-end latency: a filing accepted by registry until the projection's JSON shows it.

Needs the whole platform (devtools.devstack.stack.Stack: embedded Kafka and MongoDB, both
services under gunicorn, the relay and the consumer); run.py skips it if that cannot start.
"""

from __future__ import annotations

import math
import secrets
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import requests
from stdnum.cn import uscc as uscc_code

from tests.bench.common import progress

API = "/api/v1"
DISTRICT = "500103"  # 重庆市渝中区
VISIBLE_TIMEOUT = 60.0
POLL_INTERVAL = 0.005


def bench_end_to_end(n: int) -> dict[str, Any]:
    """Push and file ``n`` institutions one by one; latency percentiles in milliseconds."""
    from devtools.devstack.stack import Stack

    with tempfile.TemporaryDirectory(prefix="bench-e2e-") as tmp, \
            Stack(data_dir=Path(tmp), demo=False) as st:
        watch = _BrokerWatch(st.env["KAFKA_BOOTSTRAP_SERVERS"])
        client = _Client(st.urls["registry"], st.urls["projection"],
                         st.tokens("market_supervision", scope="registrations:push"),
                         st.token("civil_affairs"), watch)
        progress("end-to-end: stack up; warming up (consumer group join)")
        try:
            client.file_and_wait(new_uscc())
            latencies, to_broker = [], []
            for i in range(n):
                total, broker = client.file_and_wait(new_uscc())
                latencies.append(total)
                if broker is not None:
                    to_broker.append(broker)
                if (i + 1) % 10 == 0 or i + 1 == n:
                    progress(f"end-to-end: {i + 1}/{n}")
        finally:
            watch.stop()
    out = {"n": n, "p50_ms": percentile(latencies, 50) * 1000,
           "p99_ms": percentile(latencies, 99) * 1000, "max_ms": max(latencies) * 1000}
    if to_broker:  # where the time goes: before the broker (relay) and after (consumer, page)
        out["to_broker_p50_ms"] = percentile(to_broker, 50) * 1000
        out["after_broker_p50_ms"] = percentile(
            [t - b for t, b in zip(latencies, to_broker, strict=False)], 50) * 1000
    return out


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p99 of fewer than 100 values is the maximum)."""
    ranked = sorted(values)
    return ranked[max(0, math.ceil(p / 100 * len(ranked)) - 1)]


def new_uscc() -> str:
    """A random 统一社会信用代码 of an enterprise in 渝中区 with a valid check digit."""
    body = "91" + DISTRICT + "".join(secrets.choice("0123456789ABCDEFGHJKLMNPQRTUWXY")
                                     for _ in range(9))
    return body + uscc_code.calc_check_digit(body)


class _Client:
    """The two HTTP calls of a filing, and the public page polled until it shows it."""

    def __init__(self, registry: str, projection: str, market: str, civil: str,
                 watch: _BrokerWatch) -> None:
        self.registry, self.projection, self.watch = registry, projection, watch
        self.market = {"Authorization": f"Bearer {market}"}
        self.civil = {"Authorization": f"Bearer {civil}"}
        self.http = requests.Session()

    def file_and_wait(self, uscc: str) -> tuple[float, float | None]:
        """Seconds from the filing's response to the filing on the public JSON, and to its
        event read from the broker (None if the watcher missed it)."""
        self._post(f"{self.registry}{API}/enterprise-registrations/batch",
                   {"records": [enterprise(uscc)]}, self.market)
        self._post(f"{self.registry}{API}/institutions/{uscc}/filing", filing(), self.civil)
        accepted = time.perf_counter()
        deadline = accepted + VISIBLE_TIMEOUT
        while time.perf_counter() < deadline:
            resp = self.http.get(f"{self.projection}{API}/institutions/{uscc}", timeout=5)
            if resp.ok and is_filed(resp.json()):
                seen = time.perf_counter()
                on_broker = self.watch.seen(uscc, accepted)
                return seen - accepted, None if on_broker is None else on_broker - accepted
            if resp.status_code >= 500:  # a bug, not a delay: waiting longer will not help
                raise RuntimeError(f"projection answered {resp.status_code} for {uscc}")
            time.sleep(POLL_INTERVAL)
        raise TimeoutError(f"{uscc} not visible as filed after {VISIBLE_TIMEOUT}s")

    def _post(self, url: str, body: dict[str, Any], headers: dict[str, str]) -> None:
        resp = self.http.post(url, json=body, headers=headers, timeout=30)
        if not resp.ok:
            raise RuntimeError(f"POST {url}: {resp.status_code} {resp.text[:300]}")


class _BrokerWatch:
    """Reads registry's topic as it is written, one message at a time, and notes when each
    stream's last event arrived (perf_counter): the split between the relay's share of the
    latency and the consumer's and page's."""

    def __init__(self, bootstrap: str) -> None:
        from confluent_kafka import OFFSET_END, Consumer, TopicPartition

        from shared.config import topic_for

        topic = topic_for("registry")
        self._consumer = Consumer({"bootstrap.servers": bootstrap,
                                   "group.id": f"bench-e2e-watch-{secrets.token_hex(4)}",
                                   "enable.auto.commit": False, "fetch.wait.max.ms": 5})
        parts = self._consumer.list_topics(topic, timeout=10).topics[topic].partitions
        # assigned, not subscribed: no group to join (the join is slow and is not measured)
        self._consumer.assign([TopicPartition(topic, p, OFFSET_END) for p in parts])
        self._arrived: dict[str, float] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            msg = self._consumer.poll(0.01)
            key = None if msg is None or msg.error() is not None else msg.key()
            if key is None:
                continue
            with self._lock:
                self._arrived[key.decode()] = time.perf_counter()

    def seen(self, uscc: str, after: float) -> float | None:
        with self._lock:
            times = [t for key, t in self._arrived.items() if uscc in key and t >= after - 1]
        return max(times) if times else None

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self._consumer.close()


def is_filed(doc: dict[str, Any]) -> bool:
    return doc.get("filing_status") == "filed"


def enterprise(uscc: str) -> dict[str, Any]:
    return {"uscc": uscc, "name": f"重庆测试养老服务有限公司{uscc[-6:]}",
            "entity_type": "有限责任公司", "legal_representative": "张伟",
            "address": "重庆市渝中区解放碑街道民族路100号", "district_code": DISTRICT,
            "business_scope": "养老服务", "established_date": "2020-01-15", "status": "active"}


def filing() -> dict[str, Any]:
    return {"name": "渝中区测试颐养院", "address": "重庆市渝中区解放碑街道民族路100号",
            "district_code": DISTRICT, "legal_representative": "张伟",
            "operator_type": "private_profit", "premises_ownership": "leased", "beds": 30,
            "nursing_beds": 10, "floor_area_m2": 1200.5, "contact_name": "李娜",
            "contact_phone": "023-63801234", "first_admission_date": "2024-03-01"}
