"""How long a message waits at the broker before a consumer gets it, and what that costs the
broker, against the consumers' ``fetch.wait.max.ms``.

Real Kafka answers a waiting fetch as soon as data arrives, so there the setting only bounds
how long an idle consumer's request stays open. The stand-in (Tansu) was seen to hold the
fetch instead: a message waits for part of that time, on every hop. This probe measures it on
its own broker (started here, on a free port) with the platform's consumer settings
(``shared.kafka.consumer``) and loop (``shared.consumer.take``): GROUPS consumer groups
read one topic while a producer sends RATE messages a second for SECONDS; per setting it
reports the delivery latency (producer's send to consumer's receipt) and the broker's CPU ms
per message. Run: ``python -m tests.bench.fetchwait [wait_ms ...]``.

``FETCHWAIT_PREFILL=N`` first stores N messages in the topic, ``FETCHWAIT_BATCH=k`` makes
the producer send at most k records per batch (1: every record its own batch, as a relay's
commits are at low load), to show how the broker's cost grows with what it stores.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from devtools.devstack import infra
from shared import kafka
from shared.consumer import take
from tests.bench.cpu import cpu_seconds

GROUPS, RATE, SECONDS, TOPIC = 8, 200, 10.0, "fetchwait"
PREFILL = int(os.environ.get("FETCHWAIT_PREFILL", "0"))
BATCH = int(os.environ.get("FETCHWAIT_BATCH", "10000"))  # librdkafka's batch.num.messages
WAITS = (10, 100, 500, 2000)


def measure(bootstrap: str, broker_pid: int, wait_ms: int) -> dict[str, float]:
    """One setting: latency percentiles in ms and the broker's CPU ms per message."""
    topic = f"{TOPIC}.{wait_ms}"
    kafka.ensure_topics(bootstrap, [topic], 4)
    p = kafka.producer(bootstrap, **{"batch.num.messages": BATCH})
    for i in range(PREFILL):
        p.produce(topic, b"0", key=str(i).encode())
        if i % 1000 == 999:
            p.flush(60)
    p.flush(60)
    stop, lats = threading.Event(), [[] for _ in range(GROUPS)]
    ready = [threading.Event() for _ in range(GROUPS)]

    def read(i: int) -> None:
        c = kafka.consumer(bootstrap, f"fw-{wait_ms}-{i}", **{"fetch.wait.max.ms": wait_ms})
        c.subscribe([topic])
        while not stop.is_set():
            for m in take(c, 500, 0.2):
                ready[i].set()
                sent = float(m.value())
                if sent > 0:
                    lats[i].append(time.time() - sent)
        c.close()

    threads = [threading.Thread(target=read, args=(i,), daemon=True) for i in range(GROUPS)]
    for t in threads:
        t.start()
    while not all(r.is_set() for r in ready):  # every group joined and reading
        p.produce(topic, b"0", key=b"warm-up")
        p.flush(5)
        time.sleep(0.2)
    before, started, sent = cpu_seconds(broker_pid), time.time(), 0
    while time.time() - started < SECONDS:
        p.produce(topic, repr(time.time()).encode(), key=str(sent).encode())
        sent += 1
        p.poll(0)
        time.sleep(1 / RATE)
    p.flush(10)
    time.sleep(wait_ms / 1000 + 1.0)
    cpu = cpu_seconds(broker_pid) - before
    stop.set()
    for t in threads:
        t.join(5)
    got = sorted(x * 1000 for per in lats for x in per)
    if len(got) < GROUPS * sent:
        raise RuntimeError(f"only {len(got)} of {GROUPS * sent} deliveries arrived")
    return {"wait_ms": wait_ms, "p50_ms": statistics.median(got),
            "p99_ms": got[int(len(got) * 0.99)], "broker_cpu_ms_per_msg": cpu / sent * 1000}


def main(argv: list[str]) -> None:
    waits = [int(a) for a in argv] or list(WAITS)
    port = infra.free_port()
    with tempfile.TemporaryDirectory() as logs:
        proc = infra.start_kafka(port, Path(logs))
        try:
            print(f"{GROUPS} groups, {RATE} msg/s for {SECONDS:.0f} s per setting, "
                  f"{PREFILL:,} messages stored before, at most {BATCH} per batch; "
                  "one broker (Tansu) started for this probe", flush=True)
            print("fetch.wait.max.ms  latency p50  p99      broker CPU per message")
            for w in waits:
                r = measure(f"127.0.0.1:{port}", proc.pid, w)
                print(f"{w:>17}  {r['p50_ms']:>8.0f} ms  {r['p99_ms']:>5.0f} ms"
                      f"  {r['broker_cpu_ms_per_msg']:>6.2f} ms", flush=True)
        finally:
            infra.stop_process(proc)


if __name__ == "__main__":
    main(sys.argv[1:])
