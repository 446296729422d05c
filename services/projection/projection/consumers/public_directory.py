"""Consumer of registry events into the public directory read model.

Each event is first kept in the inbox (for rebuilds and time travel), then applied with
shared.readmodel.apply_once, so a redelivered event changes nothing.
"""

from __future__ import annotations

from pymongo.collection import Collection

from projection.adapters.generations import ActivePointer
from projection.adapters.inbox import MongoInbox, to_event
from projection.domain.events import Event
from projection.domain.institution import FIELDS, View, blank, step
from shared.envelope import Envelope
from shared.readmodel import apply_once

GROUP = "projection.public-directory"


def current_view(coll: Collection, uscc: str) -> View:
    """The stored view of an institution, or the blank one."""
    doc = coll.find_one({"_id": uscc}) or {}
    return {**blank(uscc), **{k: doc[k] for k in FIELDS if k in doc}}


def apply_event(coll: Collection, event: Event, group: str = GROUP) -> bool:
    """Apply one event to the read model unless its version was already applied."""
    view, entry = step(current_view(coll, event.uscc), event)
    update: dict = {"$set": view}
    if entry is not None:  # a lead only advances _v: nothing public changes
        # $addToSet, not $push: nx-27017 turns pushed sub-documents into JSON strings once
        # the array exists. Entries carry a unique version, so adding always appends.
        update["$addToSet"] = {"history": entry}
    return apply_once(coll, event.uscc, event.version, update, group)


def apply_in_order(coll: Collection, inbox: MongoInbox, event: Event,
                   group: str = GROUP) -> bool:
    """apply_event, first filling any versions the document missed from the inbox.

    A document can miss versions when a rebuild switches generations while the consumer is
    mid-stream (its earlier events went to the old generation); the inbox has them, so apply
    them in order instead of skipping ahead.
    """
    doc = coll.find_one({"_id": event.uscc}, {"_v": 1})
    seen = int(doc.get("_v", 0)) if doc else 0
    if event.version > seen + 1:
        for missed in inbox.events_of(event.uscc):
            if seen < missed.version < event.version:
                apply_event(coll, missed, group)
    return apply_event(coll, event, group)


class PublicDirectoryHandler:
    """EventConsumer handler: inbox first, then the active generation."""

    def __init__(self, inbox: MongoInbox, pointer: ActivePointer, group: str = GROUP) -> None:
        self.inbox, self.pointer, self.group = inbox, pointer, group

    def __call__(self, env: Envelope) -> None:
        self.inbox.store(env)  # already stored on a redelivery: apply anyway, it is idempotent
        # the pointer is read after the inbox write: rebuild's catch-up relies on that order
        apply_in_order(self.pointer.collection(), self.inbox, to_event(env), self.group)
