"""Query parameters: what pages and open data accept and the Chinese errors they give."""

from datetime import date

from projection.domain.csvline import cell
from projection.web.open_data import to_csv
from projection.web.params import AsOfArgs, PageArgs, directory_query, load_or_errors


def test_defaults_show_filed_institutions_on_page_one():
    args, errors = load_or_errors(PageArgs(), {})
    assert errors == {}
    assert (args["page"], args["per_page"], args["status"]) == (1, 20, "filed")
    assert directory_query(args).filing_status() == "filed"


def test_blank_form_fields_mean_any():
    args, errors = load_or_errors(PageArgs(), {"q": "  ", "district": "", "operator_type": ""})
    assert errors == {} and args["q"] is None and args["district"] is None


def test_invalid_values_give_field_errors_in_chinese():
    _, errors = load_or_errors(PageArgs(), {"page": "abc", "operator_type": "x",
                                            "district": "50", "status": "gone"})
    assert set(errors) == {"page", "operator_type", "district", "status"}
    assert errors["page"] == ["须为整数"]
    assert "经营性质须为" in errors["operator_type"][0]


def test_page_must_be_positive():
    assert "page" in load_or_errors(PageArgs(), {"page": "0"})[1]


def test_as_of_is_a_calendar_date():
    assert load_or_errors(AsOfArgs(), {"as_of": "2026-03-01"})[0]["as_of"] == date(2026, 3, 1)
    assert load_or_errors(AsOfArgs(), {"as_of": "yesterday"})[1] == {
        "as_of": ["日期格式须为 YYYY-MM-DD"]}
    assert load_or_errors(AsOfArgs(), {"as_of": ""})[0]["as_of"] is None


def test_status_all_matches_every_filing_status():
    assert directory_query({"status": "all"}).filing_status() is None


def test_csv_has_bom_chinese_headers_and_no_formula_cells():
    body = to_csv([{"uscc": "X", "name": "=HYPERLINK(1)", "beds": 10}]).decode("utf-8")
    assert body.startswith("\ufeff统一社会信用代码,机构名称")
    assert "'=HYPERLINK(1)" in body
    assert cell(None) == "" and cell(0) == "0"
