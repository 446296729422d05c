"""The console files, changes and cancels institutions through the registry's own API, as the
signed-in official: the service's rules, scope and field errors reach the page; a double
submit acts once; nothing is sent without the session's CSRF token."""

from __future__ import annotations

import re

import pytest

from tests.integration.console.conftest import Official, console_over, hidden_fields
from tests.unit.registry.builders import make_uscc

YZ = ("500103",)
FORM = {"name": "渝中区康宁养老院", "district_code": "500103", "address": "重庆市渝中区解放碑路1号",
        "operator_type": "private_profit", "premises_ownership": "leased", "beds": "60",
        "nursing_beds": "30", "floor_area_m2": "2400", "first_admission_date": "2026-11-16",
        "legal_representative": "王建国", "contact_name": "李明", "contact_phone": "02363001234"}


def filed(store, uscc: str) -> list[str]:
    return [e.name for e in store.load(f"institution-{uscc}").events]


def clerk(console, regions=YZ, department="civil_affairs", duties=("clerk",)) -> Official:
    return Official(console, department, regions, duties)


def test_without_a_session_every_page_sends_the_browser_to_sign_in(console):
    for path in ("/", "/do/filing", "/institutions/91500103MA0000001X"):
        resp = console.test_client().get(path)
        assert resp.status_code == 302 and resp.headers["Location"].startswith("/login?next=")
    resp = console.test_client().post("/do/filing", data=FORM)
    assert resp.status_code == 401 and "重新登录" in resp.get_data(as_text=True)


def test_the_desk_lists_the_departments_own_work(console):
    page = clerk(console).get("/").get_data(as_text=True)
    assert "养老机构备案" in page and "录入行政处罚决定" in page
    assert "开立监管账户" in page  # civil affairs supervises escrow too
    fire = clerk(console, department="fire_rescue").get("/").get_data(as_text=True)
    assert "责令限期改正" in fire and "养老机构备案" not in fire


def test_the_filing_form_is_drawn_from_the_registrys_published_schema(console):
    page = clerk(console).get("/do/filing").get_data(as_text=True)
    for label in ("统一社会信用代码", "机构名称", "床位数", "运营方式", "民办营利", "联系电话"):
        assert label in page
    assert 'name="csrf"' in page and 'name="key"' in page


def test_a_filing_is_recorded_once_however_often_it_is_sent(console, registry):
    _, store = registry
    official = clerk(console)
    uscc = make_uscc(41)
    hidden = official.hidden("/do/filing")
    first = official.submit("filing", {**FORM, "uscc": uscc}, hidden=hidden)
    assert first.status_code == 200, first.get_data(as_text=True)
    assert "已提交并记录" in first.get_data(as_text=True)
    again = official.submit("filing", {**FORM, "uscc": uscc}, hidden=hidden)  # double click
    assert again.status_code == 200
    assert filed(store, uscc).count("InstitutionFiled") == 1
    page = official.get(f"/institutions/{uscc}").get_data(as_text=True)
    assert "渝中区康宁养老院" in page, page[page.find("备案</h2>"):][:600]
    assert "暂时无法访问" in page  # services that do not answer are said so, not hidden


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"beds": "六十"}, "beds", "请填写整数"),
    ({"name": ""}, "name", "必填"),
    ({"contact_phone": "call me"}, "contact_phone", ""),
    ({"nursing_beds": "90"}, "nursing_beds", ""),  # more nursing beds than beds: a rule
    ({"first_admission_date": "2026-13-40"}, "first_admission_date", "日期"),
])
def test_bad_input_shows_the_services_errors_at_the_fields_and_stores_nothing(
        console, registry, changes, field, message):
    _, store = registry
    uscc = make_uscc(42)
    resp = clerk(console).submit("filing", {**FORM, "uscc": uscc, **changes})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422, page
    marker = f'id="f-{field}-err">'
    shown = page.split(marker, 1)[1].split("</p>", 1)[0]
    assert shown and message in shown, shown
    assert f'id="f-{field}" ' in page and 'aria-invalid="true"' in page
    assert filed(store, uscc) == []
    assert 'value="60"' in page or changes.get("beds")  # what was typed is kept


def test_an_institution_of_another_district_is_refused_by_the_registry(console, registry):
    _, store = registry
    nanan = make_uscc(43, district="500108")
    resp = clerk(console).submit("filing", {**FORM, "uscc": nanan, "district_code": "500108"})
    assert resp.status_code == 403 and "无权办理" in resp.get_data(as_text=True)
    assert filed(store, nanan) == []


def test_without_the_forms_csrf_token_nothing_is_sent(console, registry):
    _, store = registry
    official = clerk(console)
    uscc = make_uscc(44)
    hidden = {**official.hidden("/do/filing"), "csrf": "forged"}
    resp = official.submit("filing", {**FORM, "uscc": uscc}, hidden=hidden)
    assert resp.status_code == 400
    assert filed(store, uscc) == []


def test_a_cancellation_asks_for_confirmation_before_anything_is_sent(console, registry):
    _, store = registry
    official = clerk(console)
    uscc = make_uscc(45)
    assert official.submit("filing", {**FORM, "uscc": uscc}).status_code == 200
    form = {"uscc": uscc, "reason": "停止经营"}
    asked = official.submit("filing-cancel", form)
    assert asked.status_code == 200 and "确认提交" in asked.get_data(as_text=True)
    assert "InstitutionCancelled" not in filed(store, uscc)
    hidden = hidden_fields(asked.get_data(as_text=True))
    done = official.submit("filing-cancel", {}, hidden=hidden)
    assert done.status_code == 200, done.get_data(as_text=True)
    assert filed(store, uscc)[-1] == "InstitutionCancelled"


def test_without_the_projection_the_desk_says_its_items_cannot_be_read(console):
    page = clerk(console).get("/").get_data(as_text=True)
    assert "待办事项暂时无法读取" in page and "养老机构备案" in page


@pytest.fixture()
def desk_console(infra, unique, mongo_client):
    """The console over the projection's desk, fed with the fire-safety service's real
    events for a 渝中区 institution."""
    from projection import features
    from projection.bootstrap import create_app as projection_app
    from projection.features.dashboard import FEATURE as DASH
    from projection.features.dashboard.projector import PROJECTOR as DASHBOARD
    from projection.features.desk import FEATURE
    from projection.features.desk.api import CLOCK
    from projection.features.desk.projector import PROJECTOR

    from shared.clock import FixedClock
    from tests.integration.projection_fire_safety.conftest import Service
    from tests.support import (
        Projected,
        projection_settings,
    )
    from tests.unit.fire_safety.builders import MONDAY, china_noon

    settings = projection_settings(infra, unique, "tcd")
    db = mongo_client[settings.database]
    projected, dash = Projected(db, PROJECTOR), Projected(db, DASHBOARD)
    fire = Service()
    fire.inspect()
    events = fire.take()
    for p in (projected, dash):
        p.prepare()
        p.feed(events)
    original = features.discover
    features.discover = lambda: [FEATURE, DASH]
    try:
        projection = projection_app(settings, db=db)
    finally:
        features.discover = original
    projection.extensions[CLOCK] = FixedClock(china_noon(MONDAY))
    from console.web import CLOCK as CONSOLE_CLOCK

    with console_over(infra, unique, projection=projection) as app:
        app.extensions[CONSOLE_CLOCK] = FixedClock(china_noon(MONDAY))
        yield app
    mongo_client.drop_database(settings.database)


def test_the_desk_shows_the_brigades_orders_to_serve_with_their_forms(desk_console):
    from tests.integration.projection_fire_safety.conftest import HAZARD

    fire = Official(desk_console, "fire_rescue", YZ, ("clerk",))
    page = fire.get("/").get_data(as_text=True)
    assert page.count('data-kind="order_to_serve"') == 2 and "送达整改通知书" in page
    assert f"/do/fire-order?hazard_id={HAZARD}" in page
    assert "2026-11-26" in page  # the legal deadline: 3 working days after the inspection
    form = fire.get(f"/do/fire-order?hazard_id={HAZARD}").get_data(as_text=True)
    assert f'value="{HAZARD}"' in form  # the form starts filled in
    for other in (Official(desk_console, "fire_rescue", ("500108",), ("clerk",)),
                  Official(desk_console, "civil_affairs", YZ, ("clerk",))):
        assert "data-kind=" not in other.get("/").get_data(as_text=True)
    found = fire.get(f"/?q={HAZARD}").get_data(as_text=True)  # the desk's own search
    assert found.count('data-kind="order_to_serve"') == 1 and f'data-ref="{HAZARD}"' in found
    assert 'data-kind=' not in fire.get("/?q=没有这样的机构").get_data(as_text=True)


def test_the_status_page_shows_each_consumer_stalled_until_it_reports(desk_console):
    """运行状态 over the projection's /ops/status: no consumer has reported in this test, so
    every row says 已停止 and the summary counts them; the relays' table is there too."""
    page = Official(desk_console, "fire_rescue", YZ, ("clerk",)).get("/status")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "运行状态" in text
    stalled = text.count('data-state="stalled"')
    assert stalled >= 1 and f"有 {stalled} 项更新滞后或停止" in text
    assert 'id="relays"' in text and 'data-service="registry"' in text


def test_the_dashboard_draws_each_count_with_its_table_for_leaders_only(desk_console):
    leader = Official(desk_console, "civil_affairs", ("50",), ("leader",))
    page = leader.get("/dashboard").get_data(as_text=True)
    assert "发现火灾隐患" in page and page.count("<svg") >= 7
    found = page.split("发现火灾隐患", 1)[1].split("</section>", 1)[0]
    assert '<th scope="row">渝中区</th>' in found and "<td>2</td>" in found
    assert 'role="img"' in page and "<desc" in page  # readable without the picture
    elsewhere = Official(desk_console, "civil_affairs", ("500108",), ("leader",))
    assert "<td>2</td>" not in elsewhere.get("/dashboard").get_data(as_text=True)
    clerk_page = Official(desk_console, "civil_affairs", ("50",), ("clerk",)).get("/dashboard")
    assert clerk_page.status_code == 403


@pytest.fixture()
def credit_console(infra, unique):
    """The console over the credit service's real app (its own database)."""
    from datetime import date

    from credit.bootstrap import build_context
    from credit.bootstrap import create_app as credit_app

    from shared.clock import FixedClock
    from tests.support import scratch_store, service_settings
    from tests.unit.registry.builders import china_noon

    settings = service_settings("credit", infra, unique)
    clock = FixedClock(china_noon(date(2026, 11, 23)))
    for store in scratch_store(settings, clock):
        credit = credit_app(settings=settings, context=build_context(settings, store, clock))
        with console_over(infra, unique, credit=credit) as console:
            yield console, store


PENALTY = {"decision_no": "渝中消罚〔2026〕8号", "party.kind": "organisation",
           "party.uscc": make_uscc(46), "party.name": "重庆幸福养老服务有限公司",
           "violation_type": "fire_safety", "legal_basis": "《消防法》第六十条",
           "authority": "重庆市渝中区消防救援支队", "district_code": "500103",
           "decided_on": "2026-11-20", "summary": "疏散通道堵塞"}


def test_a_penalty_with_its_sanctions_as_rows_is_recorded_and_a_bad_row_is_shown_in_place(
        credit_console):
    console, store = credit_console
    fire = Official(console, "fire_rescue", YZ, ("clerk",))
    page = fire.get("/do/penalty").get_data(as_text=True)
    assert 'name="sanctions.0.kind"' in page and "增加一行" in page
    more = fire.submit("penalty", {**PENALTY, "sanctions.0.kind": "fine", "more": "sanctions"})
    assert 'name="sanctions.1.kind"' in more.get_data(as_text=True)  # a row more, nothing sent
    assert [e.name for e in store.read_all()] == []
    bad = fire.submit("penalty", {**PENALTY, "sanctions.0.kind": "fine",
                                  "sanctions.0.amount_fen": "三千元"})
    text = bad.get_data(as_text=True)
    assert bad.status_code == 422 and 'id="f-sanctions-0-amount_fen"' in text
    cell = text.split('id="f-sanctions-0-amount_fen"', 1)[1].split("</td>", 1)[0]
    assert "整数" in cell, cell
    assert [e.name for e in store.read_all()] == []
    done = fire.submit("penalty", {**PENALTY, "sanctions.0.kind": "fine",
                                   "sanctions.0.amount_fen": "3000000",
                                   "sanctions.1.kind": "warning"})
    assert done.status_code == 200, done.get_data(as_text=True)[:2000]
    decided = [e for e in store.read_all() if e.name == "PenaltyDecided"]
    assert len(decided) == 1
    assert [s["kind"] for s in decided[0].data["sanctions"]] == ["fine", "warning"]


def test_an_escrow_supervisor_uploads_a_statement_file_and_sees_the_shortfall(infra, unique):
    """Account, contract and deposit through the console's forms, then the bank's CSV
    uploaded as a file: the escrow service finds the shortfall (issue 12's escrow scenario)."""
    import io
    from datetime import date

    from escrow.bootstrap import create_app as escrow_app

    from shared.clock import FixedClock
    from tests.support import scratch_store, service_settings
    from tests.unit.escrow.builders import USCC
    from tests.unit.registry.builders import china_noon

    settings = service_settings("escrow", infra, unique)
    clock = FixedClock(china_noon(date(2025, 6, 2)))
    for store in scratch_store(settings, clock):
        escrow = escrow_app(settings=settings, store=store, clock=clock)
        with console_over(infra, unique, escrow=escrow) as console:
            ca = Official(console, "civil_affairs", (USCC[2:4],), ("clerk",))
            steps = [
                ("escrow-account", {"uscc": USCC, "jurisdiction": "chongqing",
                                    "bank": "重庆银行", "account_number": "6222000012345678",
                                    "custody_agreement_id": "CQ-AG-1"}),
                ("escrow-contract", {"uscc": USCC, "contract_id": "C1",
                                     "resident_ref": "R-7f3a9c",
                                     "monthly_service_fee_fen": "300000",
                                     "monthly_bed_fee_fen": "100000",
                                     "starts_on": "2025-03-01"}),
                ("escrow-deposit", {"uscc": USCC, "contract_id": "C1", "kind": "deposit",
                                    "receipt_no": "S1", "amount_fen": "1000000"}),
            ]
            for workflow, form in steps:
                resp = ca.submit(workflow, form)
                text = resp.get_data(as_text=True)
                assert resp.status_code == 200, (workflow, text[text.find("summary"):][:800])
            hidden = ca.hidden("/do/escrow-statement")
            csv = b"bank_txn_id,booked_on,amount_fen\nT1,2025-03-02,800000\n"
            resp = ca.client.post("/do/escrow-statement", content_type="multipart/form-data",
                                  data={**hidden, "uscc": USCC,
                                        "upload": (io.BytesIO(csv), "statement.csv")})
            page = resp.get_data(as_text=True)
            assert resp.status_code == 200, page[-1500:]
            assert "EscrowShortfallDetected" in page
            names = [e.name for e in store.load(f"escrow-{USCC}").events]
            assert names.count("BankStatementImported") == 1


def test_a_fire_inspection_form_starts_from_the_current_checklist(infra, unique):
    from fire_safety.bootstrap import create_app as fire_app

    from shared.clock import FixedClock
    from tests.support import Caller, scratch_store, service_settings
    from tests.unit.fire_safety.builders import MONDAY, china_noon, make_uscc

    settings = service_settings("fire_safety", infra, unique)
    clock = FixedClock(china_noon(MONDAY))
    for store in scratch_store(settings, clock):
        fire = fire_app(settings=settings, store=store, clock=clock)
        items = [{"code": "exits_routes", "title": "疏散通道、安全出口", "severity_hint": "major"},
                 {"code": "control_room", "title": "消防控制室值班", "severity_hint": "general"}]
        assert Caller(fire.test_client())(
            "POST", "/api/v1/checklist-templates/fire-default/versions", "fire_rescue",
            json={"title": "养老机构消防检查表", "items": items}).status_code in (200, 201)
        with console_over(infra, unique, fire_safety=fire) as console:
            officer = Official(console, "fire_rescue", YZ, ("inspector",), sub="fr-001")
            page = officer.get("/do/fire-inspection").get_data(as_text=True)
            assert "疏散通道、安全出口" in page and "消防控制室值班" in page
            assert 'name="items.1.item_code" id="f-items-1-item_code" value="control_room"' in page
            form = {"inspection_id": "FI-C1", "institution_uscc": make_uscc(5),
                    "institution_name": "康乐养老院", "kind": "fire_supervision",
                    "inspection_date": MONDAY.isoformat(),
                    "inspectors.0.user_id": "fr-001", "inspectors.0.department": "fire_rescue",
                    "inspectors.1.user_id": "fr-002", "inspectors.1.department": "fire_rescue",
                    "items.0.item_code": "exits_routes", "items.0.outcome": "pass",
                    "items.1.item_code": "control_room", "items.1.outcome": "pass",
                    "complete": "true"}
            done = officer.submit("fire-inspection", form)
            assert done.status_code == 200, done.get_data(as_text=True)[-1500:]
            names = [e.name for e in store.load("fireinspection-FI-C1").events]
            assert names.count("FireInspectionItemRecorded") == 2
            assert "FireInspectionCompleted" in names


def test_a_joint_plan_goes_from_creation_to_a_published_result_in_the_console(infra, unique):
    """Civil affairs and fire rescue: plan → publish → draw (each confirmed) → the drawn
    inspector records the visit and the result from their own account → publication."""
    from datetime import date

    from inspection.adapters.directory import MongoObjectDirectory
    from inspection.bootstrap import create_app as inspection_app

    from shared import mongo
    from shared.clock import FixedClock
    from shared.eventstore import MongoEventStore
    from tests.integration.inspection.conftest import add_inspectors, add_institutions, add_item
    from tests.support import Caller, LocalBeacon, drop_database, service_settings
    from tests.unit.inspection.builders import china_noon

    settings = service_settings("inspection", infra, unique)
    db = mongo.database(settings)
    clock = FixedClock(china_noon(date(2026, 11, 23)))
    directory = MongoObjectDirectory(db)
    directory.ensure_indexes()
    inspection = inspection_app(settings=settings, store=MongoEventStore(db, "inspection", clock),
                                clock=clock, db=db, beacon=LocalBeacon())
    try:
        with console_over(infra, unique, inspection=inspection) as console:
            call = Caller(inspection.test_client())
            add_institutions(directory, range(1, 5))
            add_inspectors(call, "civil_affairs", 3)
            add_inspectors(call, "fire_rescue", 3)
            items = [add_item(call, "civil_affairs"), add_item(call, "fire_rescue")]
            ca = Official(console, "civil_affairs", YZ, ("clerk",), sub="ca-clerk")
            made = ca.submit("plan", {"year": "2026", "series": "console", "batch": "1",
                                      "title": "2026 年工作台联合抽查", "districts": "500103",
                                      "departments": "civil_affairs\nfire_rescue",
                                      "items": "\n".join(items), "ratios.A": "100",
                                      "ratios.B": "100", "ratios.C": "100", "ratios.D": "100"})
            text = made.get_data(as_text=True)
            assert made.status_code == 200, text[text.find("summary"):][:800]
            plan = next(r["plan_id"] for r in call("GET", "/api/v1/plans", "civil_affairs").json)
            for step in ("plan-publish", "plan-draw"):
                asked = ca.submit(step, {"plan_id": plan})
                assert "确认提交" in asked.get_data(as_text=True)
                hidden = hidden_fields(asked.get_data(as_text=True))
                assert ca.submit(step, {}, hidden=hidden).status_code == 200, step
            task = call("GET", f"/api/v1/plans/{plan}/tasks", "civil_affairs").json[0]
            login = next(k.split("/", 1)[1] for k in task["inspectors"]
                         if k.startswith("civil_affairs/"))
            drawn = Official(console, "civil_affairs", YZ, ("inspector",), sub=login)
            tid = task["task_id"]
            assert drawn.submit("task-visit", {"task_id": tid,
                                               "inspected_on": "2026-11-23"}).status_code == 200
            result = drawn.submit("task-result", {
                "task_id": tid, "follow_up": "none",
                "item_outcomes.0.item": items[0], "item_outcomes.0.outcome": "compliant",
                "item_outcomes.1.item": items[1], "item_outcomes.1.outcome": "compliant"})
            text = result.get_data(as_text=True)
            assert result.status_code == 200, text[text.find("summary"):][:800]
            asked = ca.submit("task-publish", {"task_id": tid})
            hidden = hidden_fields(asked.get_data(as_text=True))
            assert ca.submit("task-publish", {}, hidden=hidden).status_code == 200
            status = call("GET", f"/api/v1/tasks/{tid}", "civil_affairs").json["status"]
            assert status == "published"
    finally:
        drop_database(settings)


def test_a_department_reports_its_own_joint_measure_executed(credit_console):
    """After civil affairs lists an institution, market supervision's own measure is
    reported done through the console; another department's measure is refused by the
    service. (Public security has no measure in the default catalogue; the catalogue is
    ELDERCARE_CREDIT_MEASURES.)"""
    from tests.authz.test_credit_matrix import PROPOSAL
    from tests.support import Caller

    console, store = credit_console
    credit = console.extensions["console.gateway"].send.clients["credit"]
    call = Caller(credit)
    uscc = make_uscc(47)
    assert call("POST", f"/api/v1/dishonesty/{uscc}/proposal", "fire_rescue",
                json=PROPOSAL).status_code == 201
    listed = call("POST", f"/api/v1/dishonesty/{uscc}/decision", "civil_affairs",
                  json={"approve": True, "decision_no": "渝民信〔2026〕9号"}).json
    measures = {m["department"]: m["measure_id"] for m in listed["listing"]["measures"]}
    officer = Official(console, "market_supervision", YZ, ("clerk",), sub="ms-clerk")
    other = officer.submit("measure-execute", {"uscc": uscc,
                                               "measure_id": measures["finance"]})
    assert other.status_code == 403
    done = officer.submit("measure-execute", {"uscc": uscc,
                                              "measure_id": measures["market_supervision"],
                                              "note": "已限制其法定代表人担任相关职务"})
    assert done.status_code == 200, done.get_data(as_text=True)[-1500:]
    executed = [e for e in store.read_all() if e.name == "JointMeasureExecuted"]
    assert [e.data["department"] for e in executed] == ["market_supervision"]


def test_a_form_sent_after_the_session_expired_is_kept_for_the_same_official_once(
        console, registry):
    """Nothing is forwarded after expiry; after signing in again the same official gets the
    form back filled in (once); another official, or a forged form, gets nothing."""
    _, store = registry
    official = clerk(console)
    hidden = official.hidden("/do/filing")
    db = __import__("shared.mongo", fromlist=["database"]).database(
        console.extensions["settings"])
    db["page_sessions"].update_many({}, {"$set": {"expires": 0}})  # the session runs out
    uscc = make_uscc(48)
    sent = official.submit("filing", {**FORM, "uscc": uscc}, hidden=hidden)
    page = sent.get_data(as_text=True)
    assert sent.status_code == 401 and "恢复您填写的内容" in page
    assert filed(store, uscc) == []
    resume = re.search(r"resume%3D([\w-]+)|resume=([\w-]+)", page)
    ref = next(g for g in resume.groups() if g)
    back = clerk(console).get(f"/do/filing?resume={ref}").get_data(as_text=True)
    assert "已恢复" in back and 'value="渝中区康宁养老院"' in back
    again = clerk(console).get(f"/do/filing?resume={ref}").get_data(as_text=True)
    assert "已恢复" not in again  # once
    kept = official.submit("filing", {**FORM, "uscc": uscc}, hidden=hidden)
    m = re.search(r"resume%3D([\w-]+)|resume=([\w-]+)", kept.get_data(as_text=True))
    other = Official(console, "civil_affairs", YZ, ("clerk",), sub="someone.else")
    page = other.get(f"/do/filing?resume={next(g for g in m.groups() if g)}")
    assert "已恢复" not in page.get_data(as_text=True)  # not another official's
    forged = official.submit("filing", {**FORM, "uscc": uscc}, hidden={**hidden, "csrf": "x"})
    assert "恢复您填写的内容" not in forged.get_data(as_text=True)
