"""Use case: civil affairs files an institution (备案) and issues the receipt."""

from __future__ import annotations

from registry.app.common import Handled, filing_scope, run
from registry.domain.filing import FileInstitution, decide_file
from registry.domain.model import FilingDetails
from registry.domain.ports import WorkCalendar
from registry.domain.rules import Rules
from registry.domain.state import Institution
from shared.authority import Scope, check
from shared.clock import Clock, china_today
from shared.eventstore import CommitMeta, EventStore


def file_institution(uscc: str, details: FilingDetails, *, store: EventStore, clock: Clock,
                     calendar: WorkCalendar, rules: Rules, meta: CommitMeta) -> Handled:
    """File (or re-file after cancellation); identical details again store nothing."""
    cmd = FileInstitution(uscc, details, china_today(clock))

    def scope(state: Institution) -> Scope:
        # the district filed must be the caller's, and so must the stored one (run checks
        # the one returned: the stored district, or the command's on a first filing)
        if (meta.authority is not None and state.district_code
                and state.district_code != details.district_code):
            check(meta.authority, filing_scope(Institution(), details.district_code))
        return filing_scope(state, details.district_code)

    return run(store, uscc, lambda state: decide_file(state, cmd, calendar, rules), meta,
               scope=scope)
