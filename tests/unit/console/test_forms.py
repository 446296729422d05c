"""The console's forms come from the services' published request schemas; typed text becomes
JSON of the schema's shape, and the services' field errors find their fields."""

from __future__ import annotations

import json

import pytest
from console import forms
from console.workflows import LABELS, WORKFLOWS
from hypothesis import given
from hypothesis import strategies as st

from tests.authz.matrix import write_operations

SERVICES = ("registry", "inspection", "fire_safety", "credit", "escrow", "complaints", "risk")
OPERATIONS = [(s, m, p) for s in SERVICES for m, p in write_operations(s)]


@pytest.mark.parametrize(("service", "method", "path"), OPERATIONS,
                         ids=[f"{s} {m} {p}" for s, m, p in OPERATIONS])
def test_every_write_operation_has_a_form_of_its_own_fields(service, method, path):
    fields = forms.fields_of(service, method, path, LABELS)
    names = [f.name for f in fields]
    assert len(names) == len(set(names))
    schema = forms.request_schema(service, method, path)
    for required in schema.get("required", []):
        assert any(n == required or n.startswith(required + ".") for n in names), required
    params = [f for f in fields if f.in_path]
    assert fields[:len(params)] == params and all(f.required for f in params)


def test_every_workflow_names_a_published_operation():
    published = set(OPERATIONS)
    for w in WORKFLOWS:
        assert (w.service, w.method, w.path) in published, w.id
        fields = {f.name for f in forms.fields_of(w.service, w.method, w.path, LABELS)}
        assert set(w.order) <= fields, (w.id, set(w.order) - fields)


def test_choices_carry_the_chinese_names_the_schema_gives():
    fields = {f.name: f for f in forms.fields_of(
        "registry", "POST", "/api/v1/institutions/{uscc}/filing", LABELS)}
    assert ("private_profit", "民办营利") in fields["operator_type"].choices
    assert fields["beds"].kind == "integer" and fields["first_admission_date"].kind == "date"


FIELDS = [forms.Field("n", "n", "integer"), forms.Field("x", "x", "number"),
          forms.Field("t", "t", "text"), forms.Field("party.name", "p", "text"),
          forms.Field("l", "l", "lines"), forms.Field("b", "b", "select",
                                                      choices=(("true", "是"), ("false", "否")))]


@given(n=st.integers(-10**9, 10**9), x=st.floats(-1e6, 1e6, allow_nan=False),
       t=st.text(min_size=1).filter(str.strip),
       name=st.text(min_size=1).filter(str.strip),
       lines=st.lists(st.text(alphabet="abc养老0123", min_size=1), min_size=1, max_size=4),
       b=st.booleans())
def test_typed_text_becomes_json_of_the_schemas_shape(n, x, t, name, lines, b):
    form = {"n": str(n), "x": repr(x), "t": t, "party.name": name, "l": "\n".join(lines),
            "b": "true" if b else "false"}
    body, params = forms.body_from(form, FIELDS)
    assert body == {"n": n, "x": x, "t": t.strip(), "party": {"name": name.strip()},
                    "l": lines, "b": b} and params == {}


@given(raw=st.text(alphabet="abcx六十 ", min_size=1).filter(str.strip))
def test_text_that_does_not_parse_goes_to_the_service_unchanged(raw):
    body, _ = forms.body_from({"n": raw}, [forms.Field("n", "n", "integer")])
    assert body == {"n": raw.strip()}  # the service says why, at the field


def test_empty_optional_fields_are_left_to_the_services_default():
    body, _ = forms.body_from({"t": "  ", "n": ""}, FIELDS)
    assert body == {}


messages = st.lists(st.text(alphabet="错误abc", min_size=1), min_size=1, max_size=3)
errors = st.recursive(
    st.dictionaries(st.sampled_from(["a", "b", "c"]), messages, min_size=1),
    lambda inner: st.dictionaries(st.sampled_from(["a", "b", "0", "1"]), inner, min_size=1),
    max_leaves=8)


def _leaves(tree) -> list[str]:
    if isinstance(tree, dict):
        return [m for v in tree.values() for m in _leaves(v)]
    return list(tree)


@given(tree=errors)
def test_every_message_of_a_nested_error_reaches_exactly_one_field(tree):
    flat = forms.field_errors(tree)
    shown = [m for msgs in flat.values() for m in msgs]
    assert len(shown) == len(_leaves(tree))
    for leaf in _leaves(tree):
        assert any(leaf in m for m in shown)


def test_marshmallows_english_is_said_in_chinese():
    flat = forms.field_errors({"beds": ["Not a valid integer."],
                               "party": {"uscc": ["Missing data for required field."]},
                               "items": {"0": {"level": ["Longer than maximum length 5."]}}})
    assert flat == {"beds": ["请填写整数"], "party.uscc": ["必填"],
                    "items.0.level": ["不能超过 5 个字"]}
    assert json.dumps(flat, ensure_ascii=False)


@given(tree=errors, names=st.sets(st.sampled_from(["a", "b", "a.0", "b.1.c", "a.a"])))
def test_every_message_is_placed_once_at_the_nearest_field_the_form_has(tree, names):
    flat = forms.field_errors(tree)
    placed = forms.attach(flat, names)
    assert set(placed) <= names | {""}
    assert sum(len(m) for m in placed.values()) == sum(len(m) for m in flat.values())
    for key in flat:
        if key in names:
            assert flat[key] == [m for m in placed[key] if "：" not in m][:len(flat[key])]


def test_an_item_of_a_list_without_its_own_cell_goes_to_the_list_saying_which():
    placed = forms.attach({"inspectors.1": ["重复"], "x.y": ["?"]}, {"inspectors"})
    assert placed == {"inspectors": ["第 2 项：重复"], "": ["x.y：?"]}


def test_lists_of_objects_become_rows_of_their_own_fields():
    fields = {f.name: f for f in forms.fields_of("credit", "POST", "/api/v1/penalties", LABELS)}
    sanctions = fields["sanctions"]
    assert sanctions.kind == "group" and {c.name for c in sanctions.columns} >= {"kind"}
    form = {"sanctions.0.kind": "fine", "sanctions.0.amount_fen": "300000",
            "sanctions.2.kind": "warning", "sanctions.1.kind": ""}
    body, _ = forms.body_from(form, [sanctions])
    assert body == {"sanctions": [{"kind": "fine", "amount_fen": 300000}, {"kind": "warning"}]}
    assert forms.rows_in(form, sanctions) == 3


def test_every_write_operation_an_official_does_has_a_workflow():
    from console.workflows import NOT_FORMS

    covered = {(w.service, w.method, w.path) for w in WORKFLOWS}
    missing = sorted(set(OPERATIONS) - covered - NOT_FORMS)
    assert missing == []
