"""The public change history is replayed from the inbox, not kept in the directory document.

Invariants, over random registry histories with leads anywhere: (1) the document the live
projection folds holds no history and otherwise equals the replayed fold's view; (2) the
history replayed at a version is exactly the one a fold of the events up to that version
gives, whatever later events the inbox already holds; (3) it only ever grows: the history at
one version is a prefix of the history at the next, numbered 1, 2, ... by public version.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from projection.domain.fold import fold, history
from projection.projector import INSTITUTIONS, domain_event
from projection.projector import fold as live_fold

from shared.envelope import ce_type
from shared.readside.projector import Event as KeptEvent
from tests.unit.projection.test_unfiled_leads import CODE, PUBLIC, build


def kept(e) -> KeptEvent:
    """The read side's form of a domain event, as the inbox gives it back."""
    return KeptEvent(id=f"e{e.version}", stream=CODE, version=e.version,
                     type=ce_type("registry", e.name, e.schema_version), data=e.data,
                     time=e.time)


@settings(max_examples=150, deadline=None)
@given(kinds=st.lists(st.integers(0, len(PUBLIC) - 1), min_size=1, max_size=12),
       leads_before=st.lists(st.booleans(), min_size=1, max_size=12))
def test_history_is_replayed_up_to_the_documents_version(kinds, leads_before):
    events = build(kinds, leads_before)[0]
    doc = None
    previous: list = []
    for n, e in enumerate(events, start=1):
        key = (INSTITUTIONS, CODE)
        doc = live_fold({key: doc}, kept(e))[key]
        assert "history" not in doc
        expected = fold(CODE, events[:n])
        assert doc == {k: v for k, v in expected.items() if k not in ("_v", "history")}
        replayed = history(CODE, [domain_event(kept(x)) for x in events], n)
        assert replayed == expected["history"]
        assert replayed[:len(previous)] == previous
        assert [h["version"] for h in replayed] == list(range(1, len(replayed) + 1))
        previous = replayed
    assert history(CODE, events, 0) == []
