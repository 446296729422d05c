"""Backup and restore of one service's event store as checksummed JSON Lines (issue 13).

    python -m shared.backup export registry registry.jsonl     # while the service runs
    python -m shared.backup verify registry.jsonl
    python -m shared.backup import registry registry.jsonl     # into an empty store only

The file: a header line (format, service, time of export), one line per commit in position
order (the stored document: stream, versions, position, events), and a trailer with the
number of commits and events and the SHA-256 of every line before it. ``import`` checks the
trailer before it writes anything, refuses a store that is not empty, and marks every commit
unpublished, so the relay publishes the history again and every read model rebuilds from it
(docs/deploy.md, "Backup and restore"). The event store is the only state that must be kept:
read models, idempotency records and leases are derived or short-lived.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from pymongo.database import Database

from shared.eventstore import COMMITS

FORMAT = "eldercare-eventstore/1"
BATCH = 500


class BackupInvalid(ValueError):
    """The file is not a complete, unaltered export."""


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        return {"$date": moment.astimezone(UTC).isoformat()}
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_encode(v) for v in value]
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"$date"}:
            return datetime.fromisoformat(value["$date"])
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def _line(obj: dict[str, Any]) -> bytes:
    return (json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
            + "\n").encode()


def _commits(db: Database) -> Iterator[dict[str, Any]]:
    last = -1
    while True:
        docs = list(db[COMMITS].find({"position": {"$gt": last}}).sort("position", 1)
                    .limit(BATCH))
        if not docs:
            return
        yield from docs
        last = docs[-1]["position"]


def export(db: Database, service: str, out: IO[bytes], progress: bool = True) -> dict[str, int]:
    """Write the store to ``out``; the counts written. Commits appended during the export
    are included if their position comes later (the file is a consistent prefix)."""
    digest = hashlib.sha256()
    total = db[COMMITS].estimated_document_count()
    bar = _bar(total, f"export {service}", progress)

    def put(obj: dict[str, Any]) -> None:
        data = _line(obj)
        digest.update(data)
        out.write(data)

    put({"format": FORMAT, "service": service,
         "exported_at": datetime.now(UTC).isoformat(timespec="seconds")})
    commits = events = 0
    for doc in _commits(db):
        doc = {k: v for k, v in doc.items() if k != "published"}
        put({"commit": _encode(doc)})
        commits += 1
        events += len(doc["events"])
        bar.update(1)
    bar.close()
    out.write(_line({"commits": commits, "events": events, "sha256": digest.hexdigest()}))
    return {"commits": commits, "events": events}


def read(path: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """(header, commit documents) of a verified file; BackupInvalid otherwise."""
    lines = path.read_bytes().splitlines(keepends=True)
    if len(lines) < 2:
        raise BackupInvalid("文件不完整：缺少头或尾")
    digest = hashlib.sha256()
    for raw in lines[:-1]:
        digest.update(raw)
    try:
        header, trailer = json.loads(lines[0]), json.loads(lines[-1])
        docs = [_decode(json.loads(raw)["commit"]) for raw in lines[1:-1]]
    except (ValueError, KeyError) as exc:
        raise BackupInvalid(f"文件无法解析：{exc}") from exc
    if header.get("format") != FORMAT:
        raise BackupInvalid(f"不是 {FORMAT} 格式")
    if trailer.get("sha256") != digest.hexdigest():
        raise BackupInvalid("校验和不符：文件被截断或改动")
    if trailer.get("commits") != len(docs) or trailer.get("events") != sum(
            len(d["events"]) for d in docs):
        raise BackupInvalid("提交数或事件数与文件尾不符")
    return header, docs


def restore(db: Database, service: str, path: Path, progress: bool = True) -> dict[str, int]:
    """Import a verified file into an empty store; every commit unpublished (the relay
    publishes the history again)."""
    header, docs = read(path)
    if header.get("service") != service:
        raise BackupInvalid(f"文件属于 {header.get('service')}，不是 {service}")
    if db[COMMITS].find_one({}, {"_id": 1}) is not None:
        raise BackupInvalid(f"{service} 的事件库不是空的：只能导入到空库（先另建数据库）")
    bar = _bar(len(docs), f"import {service}", progress)
    for start in range(0, len(docs), BATCH):
        part = [{**d, "published": False} for d in docs[start:start + BATCH]]
        db[COMMITS].insert_many(part, ordered=True)
        bar.update(len(part))
    bar.close()
    return {"commits": len(docs), "events": sum(len(d["events"]) for d in docs)}


def _bar(total: int, what: str, enabled: bool) -> Any:
    from tqdm import tqdm

    return tqdm(total=total, desc=what, unit="commit", disable=not enabled, file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    from shared import mongo
    from shared.config import Settings
    from shared.eventstore import MongoEventStore

    cli = argparse.ArgumentParser(prog="python -m shared.backup", description=__doc__,
                                  formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = cli.add_subparsers(dest="command", required=True)
    for name in ("export", "import"):
        c = sub.add_parser(name)
        c.add_argument("service")
        c.add_argument("file", type=Path)
    sub.add_parser("verify").add_argument("file", type=Path)
    args = cli.parse_args(argv)
    try:
        if args.command == "verify":
            header, docs = read(args.file)
            print(f"ok: {header['service']}, {len(docs)} commits, exported "
                  f"{header['exported_at']}")
            return 0
        settings = Settings.from_env(args.service)
        db = mongo.database(settings)
        if args.command == "export":
            with args.file.open("wb") as out:
                counts = export(db, args.service, out)
        else:
            counts = restore(db, args.service, args.file)
            MongoEventStore(db, args.service).ensure_indexes()
    except BackupInvalid as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return 1
    print(f"{args.command}: {args.service}, {counts['commits']} commits, "
          f"{counts['events']} events ({args.file})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
