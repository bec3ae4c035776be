"""The periods page's forms read through their schemas (api/books/period_forms.py), as small
ledgers: given a month or a year typed wrong, then the page answers 422 naming the field, in
Chinese, beside it and atop the page, and nothing is closed; given one typed right, it closes."""

from __future__ import annotations

import re

import pytest
from werkzeug.datastructures import MultiDict

from api.books.period_forms import CloseMonthIn, CloseYearIn
from api.forms import FormRefused, load_form
from ledger.books import Period
from tests.api.desk_browser import browser, field
from tests.api.test_periods_desk import INCOME, ORG, PERIODS, SALARIES, closed_through, post


def test_a_month_form_loads_its_month_and_the_ticked_confirmation() -> None:
    typed = MultiDict({"period": " 2025-03 ", "confirm": "yes", "key": "k", "csrf_token": "t"})
    assert load_form(CloseMonthIn(), typed) == {"period": Period(2025, 3), "confirm": True}
    assert load_form(CloseMonthIn(), MultiDict({"period": "2025-03"}))["confirm"] is False


@pytest.mark.parametrize(("schema", "typed", "named"), [
    (CloseMonthIn(), {"period": "2025-13"}, "period"),
    (CloseMonthIn(), {"period": "2025-3"}, "period"),
    (CloseMonthIn(), {}, "period"),
    (CloseYearIn(), {"year": "二〇二五"}, "year"),
    (CloseYearIn(), {"year": "1800"}, "year"),
    (CloseYearIn(), {"year": " "}, "year"),
])
def test_a_month_or_year_that_is_none_is_refused_by_name(schema, typed, named) -> None:
    with pytest.raises(FormRefused) as refused:
        load_form(schema, MultiDict(typed))
    assert refused.value.field == named


@pytest.mark.parametrize("typed", ["2025-13", "", "一月"])
def test_the_close_form_names_a_bad_month_beside_it_and_closes_nothing(
        app, client, org, project, typed):
    post(client, INCOME, SALARIES)
    wang = browser(app, project, "wang")
    page = wang.get(PERIODS)
    refused = wang.post(f"{PERIODS}/close", {"period": typed, "confirm": "yes",
                                             "key": field(page, "key")}, status=422)
    beside = re.search(r'<span class="error" id="close-period-error">([^<]*)</span>', refused)
    assert beside and beside.group(1) == "请选择要结账的月份。"
    assert "月份：请选择要结账的月份。" in refused  # atop the page, the field named
    assert closed_through(client, project) is None

    wang.post(f"{PERIODS}/close", {"period": "2025-01", "key": field(refused, "key")})
    assert closed_through(client, project) == "2025-01"


def test_the_year_end_form_names_a_bad_year_beside_it_and_closes_nothing(
        app, client, org, project):
    post(client, INCOME, SALARIES)
    for month in range(1, 12):
        done = client.post(f"/api/v1/orgs/{ORG}/periods/2025-{month:02d}/close")
        assert done.status_code == 200, done.get_json()
    wang = browser(app, project, "wang")
    page = wang.get(PERIODS)
    refused = wang.post(f"{PERIODS}/close-year", {"year": "25", "key": field(page, "key")},
                        status=422)
    beside = re.search(r'<span class="error" id="year-year-error">([^<]*)</span>', refused)
    assert beside and beside.group(1) == "请选择要年终结账的年度。"
    assert "年度：请选择要年终结账的年度。" in refused
    assert closed_through(client, project) == "2025-11"

    wang.post(f"{PERIODS}/close-year", {"year": "2025", "key": field(refused, "key")})
    assert closed_through(client, project) == "2025-12"
