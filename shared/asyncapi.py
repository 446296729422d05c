"""Generate contracts/asyncapi.yaml from contracts/asyncapi.in.yaml and the event schemas.

    python -m shared.asyncapi [--check]

One channel, one send operation (the service's relay) and one receive operation per service
folder in contracts/events/, and one message per schema file, so a new event can never be
missing from the AsyncAPI document.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from shared.contracts import contracts_dir


def _camel(service: str) -> str:
    head, *rest = service.split("_")
    return head + "".join(p.title() for p in rest)


def _schemas(service_dir: Path) -> list[tuple[str, str, str]]:
    """(message id, name, summary) per schema file, sorted."""
    out = []
    for f in sorted(service_dir.glob("*.json")):
        name, version = f.stem.rsplit(".", 1)
        summary = json.loads(f.read_text(encoding="utf-8")).get("description", name)
        out.append((f"{name}.{version}", name, summary.replace("\n", " ")))
    return out


def _channel(service: str, msgs: list[tuple[str, str, str]]) -> str:
    lines = [f"  {_camel(service)}Events:", f"    address: eldercare.{service}.events",
             f"    title: {service} service events",
             "    description: Domain events of the service; key = stream id.",
             "    servers:", "      - $ref: '#/servers/production'",
             "      - $ref: '#/servers/embedded'", "    messages:"]
    for mid, _, _ in msgs:
        lines += [f"      {mid}:", f"        $ref: '#/components/messages/{service}.{mid}'"]
    lines += ["    bindings:", "      kafka:", "        partitions: 3", "        replicas: 1",
              "        topicConfiguration:", "          retention.ms: -1",
              "        bindingVersion: 0.5.0"]
    return "\n".join(lines) + "\n"


def _operations(service: str, msgs: list[tuple[str, str, str]]) -> str:
    chan = f"{_camel(service)}Events"
    refs = [f"      - $ref: '#/channels/{chan}/messages/{mid}'" for mid, _, _ in msgs]
    send = [f"  publish{chan[0].upper()}{chan[1:]}:", "    action: send",
            f"    title: {service} relay publishes stored events",
            "    description: The outbox relay produces each stored commit in position order and"
            " marks it published only after the broker acknowledged it; a duplicate is possible"
            " only after a crash.", "    channel:", f"      $ref: '#/channels/{chan}'",
            "    messages:", *refs]
    receive = [f"  consume{chan[0].upper()}{chan[1:]}:", "    action: receive",
               f"    title: consumers (projection and other services) apply {service} events",
               "    channel:", f"      $ref: '#/channels/{chan}'", "    bindings:",
               "      kafka:", "        groupId:", "          type: string",
               "          description: one consumer group per read model or consuming service",
               "        bindingVersion: 0.5.0", "    messages:", *refs]
    return "\n".join(send + receive) + "\n"


def _messages(service: str, msgs: list[tuple[str, str, str]]) -> str:
    lines: list[str] = []
    for mid, name, summary in msgs:
        version = mid.rsplit(".", 1)[1]
        lines += [
            f"    {service}.{mid}:", f"      name: {name}", f"      title: {name} {version}",
            f"      summary: {json.dumps(summary, ensure_ascii=False)}",
            "      contentType: application/json", "      headers:", "        allOf:",
            "          - $ref: '#/components/schemas/CloudEventsKafkaHeaders'",
            "          - type: object", "            properties:", "              ce_type:",
            f"                const: eldercare.{service}.{name}.{version}",
            "              ce_source:", f"                const: /eldercare/{service}",
            "      payload:", f"        $ref: './events/{service}/{mid}.json'",
            "      bindings:", "        kafka:", "          key:",
            "            $ref: '#/components/schemas/StreamKey'",
            "          bindingVersion: 0.5.0"]
    return "\n".join(lines) + "\n"


def render(base: Path | None = None) -> str:
    base = base or contracts_dir()
    services = sorted(d for d in (base / "events").iterdir() if d.is_dir())
    parts = {"channels": "", "operations": "", "messages": ""}
    for d in services:
        msgs = _schemas(d)
        parts["channels"] += _channel(d.name, msgs)
        parts["operations"] += _operations(d.name, msgs)
        parts["messages"] += _messages(d.name, msgs)
    text = (base / "asyncapi.in.yaml").read_text(encoding="utf-8")
    for key, value in parts.items():
        text = text.replace("{{" + key + "}}", value)
    return text


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--check", action="store_true")
    a = p.parse_args(argv)
    target = contracts_dir() / "asyncapi.yaml"
    text = render()
    if a.check:
        return 0 if target.read_text(encoding="utf-8") == text else 1
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
