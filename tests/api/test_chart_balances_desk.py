"""The chart of accounts on the desk shows each account's balance at the end of a day (?date=,
today by default), on the side it stands (借/贷), a parent's that of its subtree, each opening
the account's detail ledger: at a month's end the very closing balances of that month's trial
balance, and never a voucher dated after the day."""

from __future__ import annotations

import re

import pytest

from ledger.kernel.money import parse_fen
from tests.api.desk_browser import browser

ORG = "v1"
CHART = f"/desk/{ORG}/accounts"
SIDE_OF = {"借": "debit", "贷": "credit", "平": ""}
# Books from 2025-01-01: opening balances, a receivable in January 2025, October 2026's
# income and pay, a debtor who overpaid (11202 stands on the credit side, against its
# direction) and November's income, after October's end.
VOUCHERS = [
    {"date": "2025-01-01", "kind": "opening", "summary": "期初余额",
     "lines": [{"account": "101", "debit": "800.00"}, {"account": "102", "debit": "20000.00"},
               {"account": "301", "credit": "20800.00"}]},
    {"date": "2025-01-10", "summary": "借给张三",
     "lines": [{"account": "11201", "debit": "300.00"}, {"account": "102", "credit": "300.00"}]},
    {"date": "2026-10-05", "summary": "收取一组发包款",
     "lines": [{"account": "102", "debit": "5000.00"}, {"account": "50101", "credit": "5000.00"}]},
    {"date": "2026-10-09", "summary": "支付干部报酬",
     "lines": [{"account": "51301", "debit": "1200.00"}, {"account": "102", "credit": "1200.00"}]},
    {"date": "2026-10-15", "summary": "李四多还",
     "lines": [{"account": "102", "debit": "150.00"}, {"account": "11202", "credit": "150.00"}]},
    {"date": "2026-11-10", "summary": "收取二组发包款",
     "lines": [{"account": "102", "debit": "700.00"}, {"account": "50101", "credit": "700.00"}]},
]


@pytest.fixture
def books(client, org):
    for code, name in (("11201", "张三"), ("11202", "李四")):
        assert client.post(f"/api/v1/orgs/{ORG}/accounts", json={
            "parent": "112", "code": code, "name_zh": name}).status_code == 201
    for body in VOUCHERS:
        response = client.post(f"/api/v1/orgs/{ORG}/vouchers", json=body)
        assert response.status_code == 201, response.get_json()
    return client


def balances(page: str) -> dict[str, tuple[int, str]]:
    """Each account's balance on the page: (fen, side), side "" for a zero balance."""
    found = {}
    for code, cell in re.findall(r'<tr id="account-(\d+)"[^>]*>.*?<td class="num balance[^"]*"'
                                 r'[^>]*>(.*?)</td>', page, re.S):
        amount, side = re.search(r'<a [^>]*>([\d,.]+)</a>\s*<span class="side[^"]*">(\S)</span>',
                                 cell).groups()
        found[code] = (parse_fen(amount.replace(",", "")), SIDE_OF[side])
    return found


def closing(client, period: str) -> dict[str, tuple[int, str]]:
    """The trial balance's closing balance of each account, as (fen, side)."""
    report = client.get(f"/api/v1/orgs/{ORG}/reports/trial-balance?period={period}&all=true")
    assert report.status_code == 200, report.get_json()
    rows = {}
    for row in report.get_json()["rows"]:
        debit, credit = parse_fen(row["closing_debit"]), parse_fen(row["closing_credit"])
        assert not (debit and credit)
        rows[row["code"]] = (debit, "debit") if debit else (credit, "credit") if credit else (0, "")
    return rows


@pytest.mark.parametrize("day", ["2025-01-31", "2025-12-31", "2026-10-31", "2026-11-30"])
def test_the_balances_at_a_months_end_are_the_trial_balances_closing_balances(
        app, books, project, day):
    project()
    shown = balances(browser(app, project, "wang").get(f"{CHART}?date={day}"))
    expected = closing(books, day[:7])
    assert shown == expected
    assert any(amount for amount, _side in shown.values())  # not a page of zeros


def test_a_days_balance_ignores_the_vouchers_dated_after_it(app, books, project):
    wang = browser(app, project, "wang")
    october = balances(wang.get(f"{CHART}?date=2026-10-31"))
    assert october["50101"] == (500000, "credit")  # November's 700.00 is not in it
    assert october["501"] == (500000, "credit")  # the parent: its subtree's balance
    assert october["102"] == (2365000, "debit")
    early = balances(wang.get(f"{CHART}?date=2026-10-08"))
    assert early["102"] == (2470000, "debit") and early["51301"] == (0, "")
    today = balances(wang.get(CHART))  # today, 2026-11-22 by the tests' clock
    assert today["50101"] == (570000, "credit")
    assert 'value="2026-11-22"' in wang.last


def test_a_balance_against_the_accounts_direction_shows_its_own_side(app, books, project):
    page = browser(app, project, "wang").get(f"{CHART}?date=2026-10-31")
    shown = balances(page)
    assert shown["11202"] == (15000, "credit")  # a receivable overpaid: 贷, against 借
    assert shown["11201"] == (30000, "debit")
    assert shown["112"] == (15000, "debit")  # 300.00 owed less 150.00 overpaid
    row = re.search(r'<tr id="account-11202".*?</tr>', page, re.S).group(0)
    assert "与方向相反" in row
    assert "与方向相反" not in re.search(r'<tr id="account-11201".*?</tr>', page, re.S).group(0)


def test_each_balance_opens_the_accounts_detail_ledger_to_that_day(app, books, project):
    wang = browser(app, project, "wang")
    page = wang.get(f"{CHART}?date=2026-10-31")
    cell = re.search(r'<tr id="account-112".*?<td class="num balance[^"]*"[^>]*>\s*'
                     r'<a href="([^"]+)"', page, re.S).group(1).replace("&amp;", "&")
    assert cell.startswith(f"/desk/{ORG}/reports/ledger?")
    assert "account=112" in cell and "from=2026-10-01" in cell and "to=2026-10-31" in cell
    ledger = wang.get(cell)
    assert "150.00" in ledger and "明细账" in ledger


def test_a_day_before_the_books_or_unreadable_is_refused(app, books, project):
    wang = browser(app, project, "wang")
    assert "2025-01-01" in wang.get(f"{CHART}?date=2024-12-30", status=422)
    wang.get(f"{CHART}?date=2026-13-01", status=422)
