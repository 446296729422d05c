"""Rebuild read models from their inboxes: ``python -m projection.rebuild [--keep] [name...]``.

Each projection gets a new generation built beside the live one, then the pointer moves
(shared.readside.rebuild); consumers keep running and catch up on their own.
"""

from __future__ import annotations

import argparse
import logging
import sys

from pymongo.database import Database

from projection.adapters import generations
from projection.projections import PROJECTORS, by_name
from shared import mongo
from shared.config import Settings
from shared.readside import rebuild as kernel
from shared.readside.mongo import MongoReadStore


def rebuild(db: Database, progress: bool = True, keep: bool = False,
            settle: float = kernel.SETTLE, name: str = "directory") -> int:
    """Build, switch to and return the next generation of one projection."""
    return kernel.rebuild(MongoReadStore(db), by_name(name), progress, keep, settle)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="重建读模型（从收件箱重放事件）")
    parser.add_argument("--keep", action="store_true", help="keep the old generations")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument("names", nargs="*", help="projections to rebuild (default: all)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    db = mongo.database(Settings.from_env("projection"))
    for p in PROJECTORS:
        if args.names and p.name not in args.names:
            continue
        generation = rebuild(db, progress=not args.quiet, keep=args.keep, name=p.name)
        print(f"{p.name}: active generation {generation}")
    active = generations.active_generation(db, fresh=True)
    print(f"active generation: {generations.collection_name(active)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
