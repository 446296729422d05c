from projection.domain import history, listing, search
from projection.domain.institution import FIELDS, blank, evolve, step

from tests.unit.projection import samples as s

CODE = s.uscc(1)


def apply(*events):
    view = blank(CODE)
    for e in events:
        view = evolve(view, e)
    return view


def test_filing_makes_the_institution_public_with_labels_and_masked_contacts():
    view = apply(s.event("InstitutionFiled", s.filed(CODE), 1, s.at("2026-02-10")))
    assert view["filing_status"] == "filed" and view["filing_status_label"] == "已备案"
    assert view["name"] == "重庆市渝中区幸福养老院"
    assert (view["district_code"], view["district_name"]) == ("500103", "渝中区")
    assert view["operator_type_label"] == "民办非营利"
    assert view["premises_ownership_label"] == "租赁"
    assert view["legal_representative"] == "王建国"  # public in the enterprise register
    assert view["contact_phone"] == "138****5678"
    assert view["contact_name"] == "李**"
    assert view["receipt_no"] == "渝民养备 2026-0001" and view["filed_on"] == "2026-02-10"
    assert view["updated_at"] == "2026-02-10T02:00:00.000+00:00"  # the event's time, in UTC


def test_raw_contact_data_never_reaches_the_view():
    view = apply(s.event("InstitutionFiled", s.filed(CODE), 1, s.at("2026-02-10")))
    assert "13812345678" not in str(view) and "李小红" not in str(view)


def test_every_view_has_every_field():
    assert set(blank(CODE)) == set(FIELDS)
    assert set(apply(*s.lifecycle(CODE))) == set(FIELDS)


def test_registration_names_an_unfiled_enterprise_until_it_files():
    view = apply(s.event("EnterpriseRegistrationReceived", s.registration_received(CODE), 1,
                         s.at("2026-01-06")))
    assert view["filing_status"] == "unfiled" and view["name"] == "重庆幸福养老服务有限公司"
    assert view["enterprise_status_label"] == "存续" and view["elderly_care_scope"] is True
    filed = evolve(view, s.event("InstitutionFiled", s.filed(CODE), 2, s.at("2026-02-10")))
    assert filed["name"] == "重庆市渝中区幸福养老院"
    assert filed["enterprise_name"] == "重庆幸福养老服务有限公司"


def test_registration_change_after_filing_keeps_the_filed_name():
    view = apply(s.event("InstitutionFiled", s.filed(CODE), 1, s.at("2026-02-10")),
                 s.event("EnterpriseRegistrationChanged",
                         s.registration_changed(CODE, ["record.name"], name="新名称有限公司"),
                         2, s.at("2026-05-01")))
    assert view["name"] == "重庆市渝中区幸福养老院"
    assert view["enterprise_name"] == "新名称有限公司"


def test_filing_change_updates_details_and_cancellation_keeps_the_receipt():
    view = apply(*s.lifecycle(CODE))
    assert view["beds"] == 150
    assert view["filing_status"] == "cancelled" and view["filing_status_label"] == "已注销备案"
    assert view["cancelled_on"] == "2026-06-30" and view["cancel_reason"] == "机构停止养老服务"
    assert view["receipt_no"] == "渝民养备 2026-0001"


def test_late_filing_is_flagged():
    view = apply(s.event("InstitutionFiled", s.filed(CODE, late=True), 1, s.at("2026-02-10")))
    assert view["late"] is True and view["late_by_workdays"] == 3


def test_suspected_unfiled_operation_is_not_public():
    """A lead for civil affairs changes nothing public: no flag, no time, no history entry."""
    received = s.event("EnterpriseRegistrationReceived", s.registration_received(CODE), 1,
                       s.at("2026-01-06"))
    before = apply(received)
    view, entry = step(before, s.event("UnfiledOperationSuspected", s.suspected(CODE), 2,
                                       s.at("2026-02-04")))
    assert view == before and entry is None
    assert not any("unfiled_suspected" in k or "unfiled_detected" in k for k in FIELDS)


def test_unknown_event_only_moves_the_update_time_and_public_version():
    before = apply(s.event("InstitutionFiled", s.filed(CODE), 1, s.at("2026-02-10")))
    after = evolve(before, s.event("SomethingNew", {"uscc": CODE}, 2, s.at("2026-03-01")))
    moved = ("updated_at", "public_version")
    assert {k: v for k, v in after.items() if k not in moved} == {
        k: v for k, v in before.items() if k not in moved}
    assert after["updated_at"] == "2026-03-01T02:00:00.000+00:00"
    assert (before["public_version"], after["public_version"]) == (1, 2)


def test_history_entries_summarise_each_event_in_chinese():
    summaries = [history.entry(e, e.version)["summary"] for e in s.lifecycle(CODE)]
    assert summaries == [
        "收到市场监管部门推送的企业登记信息（经营范围含养老服务）",
        "完成备案，备案回执号 渝民养备 2026-0001",
        "备案事项变更：床位数",
        "注销备案，原因：机构停止养老服务",
    ]
    first = history.entry(s.lifecycle(CODE)[0], 1)
    assert (first["type"], first["version"], first["time"]) == (
        "EnterpriseRegistrationReceived", 1, "2026-01-06T02:00:00.000+00:00")


def test_late_filing_summary_says_by_how_much():
    entry = history.entry(s.event("InstitutionFiled", s.filed(CODE, late=True), 1,
                                  s.at("2026-02-10")), 1)
    assert entry["summary"].endswith("（逾期 3 个工作日备案）")


def test_times_keep_milliseconds_like_bson_so_live_and_replayed_views_agree():
    moment = s.at("2026-02-10").replace(microsecond=123987)
    view = apply(s.event("InstitutionFiled", s.filed(CODE), 1, moment))
    assert view["updated_at"] == "2026-02-10T02:00:00.123+00:00"
    assert view == apply(s.event("InstitutionFiled", s.filed(CODE), 1,
                                 moment.replace(microsecond=123000)))


def test_view_holds_only_json_types():
    allowed = (str, int, float, bool, type(None))
    view = apply(*s.lifecycle(CODE))
    assert all(isinstance(v, allowed) for k, v in view.items() if k != "search_keys")
    assert all(isinstance(t, str) for t in view["search_keys"])


def test_index_fields_follow_the_name_and_facets_at_every_step():
    events = s.lifecycle(CODE)
    view = blank(CODE)
    for event in events:
        view = evolve(view, event)
        assert view["search_keys"] == search.name_tokens(view["name"])
        assert {k: view[k] for k in listing.FIELDS} == listing.order_fields(view)
    lead = s.event("UnfiledOperationSuspected", {}, len(events) + 1, s.at("2026-06-01"))
    stale = {**view, "search_keys": [], "list_any": "x"}  # stored before the fields existed
    assert evolve(stale, lead) == view
