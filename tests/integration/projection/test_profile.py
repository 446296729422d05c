"""One public profile per institution: every public fact about it, dated, with its log entry
where the log holds it; nothing that is not public (a proposal, a general hazard's log link);
an unknown institution is a 404; ?as_of= answers like every page."""

from __future__ import annotations

from tests.integration.projection.helpers import envelope
from tests.unit.projection import samples as s

CODE = s.uscc(120)


def _seed(db) -> None:
    from projection.features import active
    from projection.features.credit.projector import LISTINGS, PENALTIES
    from projection.features.credit.projector import PROJECTOR as CREDIT
    from projection.features.fire_safety.projector import PROJECTOR as FIRE
    from projection.features.fire_safety.projector import VIEWS
    from projection.features.inspection.projector import PROJECTOR as INSPECTION
    from projection.features.inspection.views import RESULTS

    active(db, INSPECTION, RESULTS).insert_many([
        {"_id": "2026-joint-1-" + CODE, "task_id": "2026-joint-1-" + CODE, "uscc": CODE,
         "plan_id": "2026-joint-1", "status": "published", "inspected_on": "2026-11-02",
         "problem_found": True, "findings": "疏散通道堆放杂物", "published_on": "2026-11-05"},
        {"_id": "2026-joint-2-" + CODE, "task_id": "2026-joint-2-" + CODE, "uscc": CODE,
         "plan_id": "2026-joint-2", "status": "assigned"}])  # not yet public
    active(db, FIRE, VIEWS).insert_one({
        "_id": "FI-9", "completed": True, "institution_uscc": CODE, "institution_name": "x",
        "inspection_date": "2026-10-20", "hazards": [
            {"hazard_id": "H-9", "level": "major", "item_title": "自动喷水灭火系统",
             "status": "verified", "deadline": "2026-11-10", "verified_on": "2026-11-09"},
            {"hazard_id": "H-10", "level": "general", "item_title": "灭火器过期",
             "status": "ordered", "deadline": "2026-11-01", "verified_on": ""}]})
    active(db, CREDIT, PENALTIES).insert_one({
        "_id": "P-9", "uscc": CODE, "decision_no": "渝中民罚〔2026〕9号",
        "sanctions_text": "罚款 1,000.00 元", "authority": "渝中区民政局",
        "decided_on": "2026-11-01", "published_on": "2026-11-02",
        "display_until": "2099-11-02", "status": "published"})
    active(db, CREDIT, LISTINGS).insert_one({"_id": CODE, "uscc": CODE, "status": "proposed",
                                             "listing_id": "L-9"})


def test_the_profile_shows_every_public_fact_dated_and_nothing_else(apply_directly, client,
                                                                    db) -> None:
    apply_directly(*[envelope(e) for e in s.lifecycle(CODE)])
    _seed(db)
    page = client.get(f"/institutions/{CODE}/profile")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for fact in ("2026-02-10", "疏散通道堆放杂物", "2026-11-05", "自动喷水灭火系统",
                 "挂牌督办", "2026-11-09 复查确认", "灭火器过期", "渝中民罚〔2026〕9号",
                 "未列入"):
        assert fact in html, fact
    assert "2026-joint-2" not in html  # an assigned task is not public
    assert html.count('class="profile-hazard') == 2
    assert 'id="profile-link"' in client.get(f"/institutions/{CODE}").get_data(as_text=True)
    assert client.get(f"/institutions/{s.uscc(121)}/profile").status_code == 404
    assert client.get(f"/institutions/{CODE}/profile?as_of=2026-13-01").status_code == 422
