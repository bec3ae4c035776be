"""The periods on the desk: the next month's checklist (the month has ended, warnings acknowledged,
cash within the limit, the trial balance ties out), its close through the form (a failing check
needs the accountant's confirmation, and nothing is written without it), and the year-end close,
whose closing vouchers are shown before they are posted and are then posted exactly so."""

from __future__ import annotations

import re
from decimal import Decimal

from tests.api.conftest import make_user
from tests.api.desk_browser import browser, field

ORG = "v1"
PERIODS = f"/desk/{ORG}/periods"
INCOME = {"date": "2025-01-05", "summary": "收取一组发包款",
          "lines": [{"account": "102", "debit": "12345.60"},
                    {"account": "50101", "credit": "12345.60"}]}
SALARIES = {"date": "2025-01-09", "summary": "支付干部报酬", "attachments": 1,
            "lines": [{"account": "51301", "debit": "1200.00"},
                      {"account": "102", "credit": "1200.00"}]}
CASH_IN = {"date": "2025-01-20", "summary": "收取现金发包款",  # above the 5,000.00 cash limit
           "lines": [{"account": "101", "debit": "6000.00"},
                     {"account": "50101", "credit": "6000.00"}]}


def post(client, *vouchers):
    for body in vouchers:
        response = client.post(f"/api/v1/orgs/{ORG}/vouchers", json=body)
        assert response.status_code == 201, response.get_json()


def checks(page: str) -> dict[str, str]:
    return dict(re.findall(r'<li id="check-(\w+)" class="(pass|fail)">', page))


def closed_through(client, project) -> str | None:
    project()  # the projection process would have caught up by now
    return client.get(f"/api/v1/orgs/{ORG}/periods").get_json()["closed_through"]


def test_a_clean_month_passes_every_check_and_closes(app, client, org, project):
    post(client, INCOME, SALARIES)
    wang = browser(app, project, "wang")
    page = wang.get(PERIODS)
    assert re.search(r'id="next-open">2025-01<', page)
    assert checks(page) == {"ended": "pass", "warnings": "pass", "cash": "pass",
                            "balanced": "pass"}
    assert 'name="confirm"' not in page  # nothing to confirm
    location = wang.post(f"{PERIODS}/close", {"period": "2025-01", "key": field(page, "key")})
    page = wang.get(location)
    assert "2025-01 已结账" in page and re.search(r'id="next-open">2025-02<', page)
    closed_row = re.search(r'<td data-label="月份" translate="no">2025-01</td>\s*'
                           r'<td[^>]*>([^<]+)</td>\s*<td[^>]*>wang</td>', page)
    assert closed_row, "the closed month is listed with when and by whom"
    assert closed_through(client, project) == "2025-01"


def test_a_failed_check_needs_confirmation_and_without_it_nothing_is_closed(
        app, client, org, project):
    post(client, INCOME, CASH_IN)  # cash on hand 6,000.00 raises a warning nobody acknowledged
    wang = browser(app, project, "wang")
    page = wang.get(PERIODS)
    assert checks(page) == {"ended": "pass", "warnings": "fail", "cash": "fail",
                            "balanced": "pass"}
    assert "库存现金 6,000.00 元，限额 5,000.00 元" in page

    refused = wang.post(f"{PERIODS}/close", {"period": "2025-01", "key": field(page, "key")},
                        status=422)
    assert "仍然结账" in refused and 'aria-invalid="true"' in refused
    assert closed_through(client, project) is None

    wang.post(f"{PERIODS}/close", {"period": "2025-01", "confirm": "yes",
                                   "key": field(refused, "key")})
    assert closed_through(client, project) == "2025-01"


def test_a_month_not_yet_ended_cannot_be_closed(app, client, org, project, clock):
    clock.today = clock.today.replace(year=2025, month=1, day=20)
    wang = browser(app, project, "wang")
    page = wang.get(PERIODS)
    assert checks(page)["ended"] == "fail"
    assert re.search(r'<button type="submit" disabled>结账 2025-01</button>', page)
    refused = wang.post(f"{PERIODS}/close", {"period": "2025-01", "confirm": "yes",
                                             "key": field(page, "key")}, status=409)
    assert "现在还不能结账" in refused
    assert closed_through(client, project) is None


def test_the_year_end_close_shows_its_vouchers_then_posts_them(app, client, org, project):
    post(client, INCOME, SALARIES)
    for month in range(1, 12):
        done = client.post(f"/api/v1/orgs/{ORG}/periods/2025-{month:02d}/close")
        assert done.status_code == 200, done.get_json()
    wang = browser(app, project, "wang")
    page = wang.get(PERIODS)
    assert "2025 年度年终结账" in page and 'action="/desk/v1/periods/close"' not in page
    shown = preview_of(page)
    assert [summary for summary, _ in shown] == ["结转2025年度各项收入和费用",
                                                 "结转2025年度本年收益"]
    assert shown[0][1] == [("50101", "12,345.60", ""), ("51301", "", "1,200.00"),
                           ("321", "", "11,145.60")]

    api = client.get(f"/api/v1/orgs/{ORG}/years/2025/closing-preview").get_json()["vouchers"]
    assert closed_through(client, project) == "2025-11"  # neither preview wrote anything
    wang.post(f"{PERIODS}/close-year", {"year": "2025", "key": field(page, "key")})
    assert closed_through(client, project) == "2025-12"
    posted = client.get(f"/api/v1/orgs/{ORG}/vouchers?period=2025-12").get_json()["items"]
    assert [(v["summary"], [(line["account"], _shown(line["debit"]), _shown(line["credit"]))
                            for line in v["lines"]]) for v in posted] == shown
    assert [(v["summary"], [(line["account"], line["debit"], line["credit"])
                            for line in v["lines"]]) for v in posted] == [
        (v["summary"], [(line["account"], line["debit"], line["credit"])
                        for line in v["lines"]]) for v in api]


def test_the_year_end_close_with_a_failing_december_check_needs_the_confirmation(
        app, client, org, project):
    post(client, INCOME, CASH_IN)  # cash on hand 6,000.00 at December's end too
    for month in range(1, 12):
        done = client.post(f"/api/v1/orgs/{ORG}/periods/2025-{month:02d}/close")
        assert done.status_code == 200, done.get_json()
    wang = browser(app, project, "wang")
    page = wang.get(PERIODS)
    assert checks(page)["cash"] == "fail" and 'id="confirm-year"' in page
    refused = wang.post(f"{PERIODS}/close-year", {"year": "2025", "key": field(page, "key")},
                        status=422)
    assert "仍然年终结账" in refused and 'aria-invalid="true"' in refused
    assert closed_through(client, project) == "2025-11"  # December is not closed behind her
    wang.post(f"{PERIODS}/close-year", {"year": "2025", "confirm": "yes",
                                        "key": field(refused, "key")})
    assert closed_through(client, project) == "2025-12"


def test_the_api_refuses_a_year_no_day_is_written_in(client, org):
    response = client.get(f"/api/v1/orgs/{ORG}/years/0/closing-preview")
    assert response.status_code == 422


def _shown(amount: str | None) -> str:
    return f"{Decimal(amount):,.2f}" if amount and Decimal(amount) else ""


def preview_of(page: str) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """Each previewed voucher's summary and its lines as (account, debit, credit)."""
    found = []
    for article in re.findall(r'<article class="closing-voucher">(.*?)</article>', page, re.S):
        summary = re.search(r'<h3 translate="no">\S+ (\S+)</h3>', article).group(1)
        lines = re.findall(r'<td data-label="会计科目" translate="no">(\d+) [^<]*</td>\s*'
                           r'<td[^>]*>([^<]*)</td>\s*<td[^>]*>([^<]*)</td>', article)
        found.append((summary, [tuple(line) for line in lines]))
    return found


def test_an_auditor_sees_the_periods_but_cannot_close(app, client, org, project):
    make_user(app, "shen", (ORG, "auditor"))
    reader = browser(app, project, "shen")
    page = reader.get(PERIODS)
    assert checks(page) and "只有会计" in page and 'action="/desk/v1/periods/close"' not in page
    reader.post(f"{PERIODS}/close", {"period": "2025-01", "confirm": "yes"}, status=403)
    assert closed_through(client, project) is None


def test_every_month_since_the_books_start_is_offered_and_a_quiet_one_closes(
        app, client, org, project):
    post(client, INCOME, {**SALARIES, "date": "2025-03-09"})  # nothing in February
    wang = browser(app, project, "wang")
    page = wang.get(f"/desk/{ORG}/vouchers")
    offered = re.findall(r'<option value="(\d{4}-\d{2})"[^>]*>([^<]*)</option>', page)
    assert [month for month, _ in offered][:2] == ["2026-11", "2026-10"]  # newest first
    assert len(offered) == 23 and offered[-1] == ("2025-01", "2025-01")  # 2025-01 … 2026-11
    assert ("2025-02", "2025-02（无凭证）") in offered and ("2025-03", "2025-03") in offered
    wang.post(f"{PERIODS}/close", {"period": "2025-01", "key": field(wang.get(PERIODS), "key")})
    page = wang.get(PERIODS)
    assert re.search(r'id="next-open">2025-02<', page) and set(checks(page).values()) == {"pass"}
    wang.post(f"{PERIODS}/close", {"period": "2025-02", "key": field(page, "key")})
    assert closed_through(client, project) == "2025-02"


def test_a_warning_of_a_month_closed_before_does_not_fail_the_next_months(
        app, client, org, project):
    # Given January closed anyway over its cash warning, left open,
    post(client, INCOME, CASH_IN)
    wang = browser(app, project, "wang")
    page = wang.get(PERIODS)
    wang.post(f"{PERIODS}/close", {"period": "2025-01", "confirm": "yes",
                                   "key": field(page, "key")})
    # when February's checklist is read, then its own warnings pass, and January's is named.
    page = wang.get(PERIODS)
    assert re.search(r'id="next-open">2025-02<', page)
    assert checks(page)["warnings"] == "pass"
    assert "以前月份另有 1 条未确认。" in page
