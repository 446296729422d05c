"""Rebuild the public directory from the inbox: ``python -m projection.rebuild [--keep]``.

Builds generation N+1 while consumers keep writing generation N, switches the pointer, waits
until no consumer can still hold the old pointer, then catches up on events that arrived
meanwhile (apply_once makes that pass harmless for events already applied). Every event goes
through the live consumer's own write (apply_event), so the new generation is exactly what
live consumption stored, quirks of the database server included.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time

from pymongo.collection import Collection
from pymongo.database import Database
from tqdm import tqdm

from projection import features
from projection.adapters import generations
from projection.adapters.inbox import MongoInbox
from projection.consumers.public_directory import GROUP, apply_event, apply_in_order
from projection.features import guard
from shared import mongo
from shared.config import Settings

log = logging.getLogger(__name__)
SETTLE = generations.POINTER_TTL + 0.5
REBUILD_GROUP = f"{GROUP}.rebuild"  # metrics label


def rebuild(db: Database, progress: bool = True, keep: bool = False,
            settle: float = SETTLE) -> int:
    """Build, switch to and return the next generation."""
    inbox = MongoInbox(db)
    generation = max([generations.active_generation(db), *generations.existing(db)]) + 1
    coll = db[generations.collection_name(generation)]
    generations.ensure_indexes(coll)
    built = _build(inbox, coll, progress)
    generations.switch(db, generation)
    time.sleep(settle)  # every consumer has re-read the pointer after this
    caught_up = _catch_up(inbox, coll, built)
    dropped = [] if keep else generations.drop_except(db, generation)
    log.info("generation %d active: %d institutions, %d caught up, dropped %s",
             generation, len(built), caught_up, dropped)
    return generation


def _build(inbox: MongoInbox, coll: Collection, progress: bool) -> dict[str, int]:
    """Apply every event, each stream in version order; return the versions built."""
    built: dict[str, int] = {}
    events = tqdm(inbox.scan(), total=inbox.count(), disable=not progress, unit=" events",
                  desc="rebuild", file=sys.stderr)
    for event in events:
        apply_event(coll, event, REBUILD_GROUP)
        built[event.uscc] = max(built.get(event.uscc, 0), event.version)
    return built


def _catch_up(inbox: MongoInbox, coll: Collection, built: dict[str, int]) -> int:
    """Apply the events the build did not see; return how many changed the model."""
    fresh = (e for e in inbox.scan() if e.version > built.get(e.uscc, 0))
    return sum(apply_in_order(coll, inbox, e, REBUILD_GROUP) for e in fresh)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="重建公开名录读模型（从收件箱重放事件）")
    parser.add_argument("--keep", action="store_true", help="keep the old generations")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    db = mongo.database(Settings.from_env("projection"))
    generation = rebuild(db, progress=not args.quiet, keep=args.keep)
    print(f"active generation: {generations.collection_name(generation)}")
    for feature in features.discover():
        if feature.rebuild is not None:
            print(f"rebuilding {feature.name} ...")
            with guard.rebuilding(db, feature.name):
                feature.rebuild(db, not args.quiet)
    return 0


if __name__ == "__main__":
    sys.exit(main())
