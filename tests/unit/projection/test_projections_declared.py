"""Every projection declares what it consumes, and the declarations match the contracts."""

from __future__ import annotations

from projection.projections import PROJECTORS

from shared.contracts import known_event_types, schema_path
from shared.envelope import ce_type, parse_ce_type


def test_each_declared_event_type_has_a_published_contract():
    for p in PROJECTORS:
        for declared in p.event_types:
            assert schema_path(declared).exists(), (p.name, declared)


def test_every_version_of_a_declared_event_is_declared():
    """A new schema version of an event a projection folds must be declared too (else it
    would only advance the cursor)."""
    for p in PROJECTORS:
        names = {parse_ce_type(t)[:2] for t in p.event_types}
        for service in {s for s, _ in names}:
            for stem in known_event_types(service):
                name, version = stem.rsplit(".v", 1)
                if (service, name) in names:
                    assert ce_type(service, name, int(version)) in p.event_types, (p.name, stem)


def test_projections_have_distinct_names_groups_inboxes_and_collections():
    for attr in ("name", "group", "inbox"):
        values = [getattr(p, attr) for p in PROJECTORS]
        assert len(values) == len(set(values)), attr
    collections = [c for p in PROJECTORS for c in p.collections]
    assert len(collections) == len(set(collections))
