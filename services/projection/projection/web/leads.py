"""Department page: unfiled-operation leads for civil affairs (/regulator/unfiled-leads).

Suspected unfiled operation is a lead civil affairs must verify (老年人权益保障法 art. 45:
civil affairs orders correction), not a public finding: only a civil-affairs token (or
admin) sees this page, and no public page, open data or public API carries these leads.
"""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

from projection.adapters.inbox import MongoInbox
from projection.domain import leads
from projection.domain.institution import LEAD_EVENTS
from projection.web.regulator_auth import department_required, in_regions
from shared.envelope import ce_type

bp = Blueprint("regulator_leads", __name__, url_prefix="/regulator",
               template_folder="templates")
LEAD_TYPES = [ce_type("registry", name, 1) for name in sorted(LEAD_EVENTS)]


def all_leads() -> list[leads.Lead]:
    """Every lead of every institution, folded from the inbox."""
    inbox = MongoInbox(current_app.extensions["projection.db"]())
    events = inbox.events_of_many(inbox.usccs_with(LEAD_TYPES))
    return [lead for uscc in sorted(events) for lead in leads.fold_leads(events[uscc])]


@bp.get("/unfiled-leads")
@department_required("civil_affairs")
def unfiled_leads() -> str:
    """疑似未备案经营线索: open leads first (longest unfiled first), then closed ones."""
    open_, closed = leads.split(in_regions(all_leads(), lambda lead: lead["district_code"]))
    return render_template("regulator_unfiled_leads.html", open_leads=open_,
                           closed_leads=closed)
