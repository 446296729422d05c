"""The read side in one shape: projectors, one inbox, one batched apply loop, one rebuild.

- projector.py: what a projection declares (event types, documents an event touches, a pure
  fold, collections and indexes, derived counters) and the event it folds.
- store.py: the storage port (inbox, cursors, generation collections, pointer) and its
  in-memory adapter; mongo.py: the MongoDB adapter.
- apply.py: fold a batch per stream in memory, then write in bulk (idempotent).
- consumer.py: the Kafka entrypoint (consume a batch, validate, apply, store offsets).
- rebuild.py: blue/green rebuild of a projection's generation from its inbox.
"""
