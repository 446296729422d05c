"""Checkpoint signer: ``python -m translog.scheduler [--once]``. Every
ELDERCARE_TRANSLOG_CHECKPOINT_SECONDS (default 10) it signs the tree head of the log when it
has grown (C2SP checkpoint, Ed25519 key from TRANSLOG_KEY_FILE); one signer at a time (lease)."""

from __future__ import annotations

import logging
import os

from shared import lease as leases
from shared import mongo, scheduler
from shared.config import Settings
from translog import keys
from translog.adapters import MongoLog
from translog.app.log import sign_checkpoint

log = logging.getLogger("translog.scheduler")


def main(argv: list[str] | None = None) -> int:
    once = scheduler.parse_once("Sign the transparency log's checkpoint.", argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s translog-scheduler %(message)s")
    settings = Settings.from_env("translog")
    signer = keys.load()
    db = mongo.database(settings)
    store = MongoLog(db)
    store.ensure_indexes()
    interval = float(os.environ.get("ELDERCARE_TRANSLOG_CHECKPOINT_SECONDS", "10"))

    def turn() -> None:
        note = sign_checkpoint(store, signer, signer.name)
        log.info("checkpoint: %s", note.split("\n")[1])

    return scheduler.run_periodically(
        turn, interval, once,
        lease=leases.for_service(db[leases.COLLECTION], "translog", "scheduler"))


if __name__ == "__main__":
    raise SystemExit(main())
