"""Read the current state of one institution from its stream."""

from __future__ import annotations

from registry.app.common import AGGREGATE, stream_id
from registry.domain.errors import NotFound
from registry.domain.state import Institution
from shared.authority import Authority, Scope, check
from shared.commands import load_state
from shared.eventstore import EventStore


def get_institution(uscc: str, *, store: EventStore,
                    reader: Authority | None = None) -> tuple[Institution, int]:
    """The folded state and its version; NotFound when nothing was ever stored; Forbidden
    when ``reader`` (a regulator) has no region covering the institution's district."""
    state, version, _ = load_state(store, AGGREGATE, stream_id(uscc))
    if version == 0:
        raise NotFound(f"登记系统中没有统一社会信用代码为 {uscc} 的机构")
    if reader is not None and state.district_code is not None:
        check(reader, Scope(district=state.district_code))
    return state, version
