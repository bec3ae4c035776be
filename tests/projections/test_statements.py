"""The statements as pure functions of leaf sums, tested on small ledgers written by hand."""

from __future__ import annotations

from datetime import date

import pytest

from ledger.kernel.chart import get_chart
from projections.books.layouts import BALANCE_SHEET, INCOME_STATEMENT
from projections.books.queries import Sums
from projections.books.statements import balance_sheet, income_statement, trial_balance

FIRST_LEVEL = [a.code for a in get_chart("mof-2023-village").accounts if len(a.code) == 3]


def held(balances: dict[str, int]) -> dict[str, Sums]:
    """Each leaf's net debit reached within the period: {code: net debit}."""
    return {code: Sums(before=0, debit=max(n, 0), credit=max(-n, 0), closing_net=0)
            for code, n in balances.items()}


def sheet(balances: dict[str, Sums]) -> dict[str, int]:
    return {line["key"]: line["end"] for line in
            balance_sheet(balances, date(2025, 6, 30))["lines"]}


def test_every_first_level_account_is_on_exactly_one_balance_sheet_line():
    terms = [term.code for line in BALANCE_SHEET for term in line.terms]
    for code in FIRST_LEVEL:
        covering = [t for t in terms if code.startswith(t) or t.startswith(code)]
        # 113 appears twice on purpose: its debit leaves and its credit leaves.
        assert len(covering) == (2 if code == "113" else 1), code


@pytest.mark.parametrize("code", FIRST_LEVEL)
def test_a_balance_on_any_account_keeps_the_balance_sheet_balanced(code):
    # A debit on each account against a credit on another: whatever the sides, both totals move.
    counter = "301" if code != "301" else "101"
    report = balance_sheet(held({code: 12345, counter: -12345}), date(2025, 6, 30))
    assert report["balanced"], code


def test_internal_accounts_are_shown_by_sign_as_receivables_and_payables():
    lines = sheet(held({"11301": 50000, "11302": -20000, "112": 1000, "211": -3000,
                        "301": -28000}))
    assert lines["receivables"] == 51000  # 112 + the debit balance of 11301
    assert lines["payables"] == 23000  # 211 + the credit balance of 11302
    assert lines["assets_total"] == lines["liabilities_and_equity_total"] == 51000


def test_contra_accounts_are_deducted_from_what_they_depreciate():
    lines = sheet(held({"151": 2400000, "152": -600000, "161": 10000, "162": -4000,
                        "132": 5000, "133": -1000, "301": -1812000}))
    assert (lines["fixed_cost"], lines["fixed_dep"], lines["fixed_net"]) == (
        2400000, 600000, 1800000)
    assert (lines["intangible_net"], lines["productive_bio_net"]) == (6000, 4000)
    assert lines["assets_total"] == 1810000


def test_income_not_yet_closed_counts_as_undistributed():
    lines = sheet(held({"102": 150000, "501": -200000, "513": 50000}))
    assert lines["undistributed"] == 150000
    assert lines["assets_total"] == lines["liabilities_and_equity_total"]


def test_the_income_statement_follows_the_2023_formulas():
    activity = held({"501": -100000, "502": -5000, "503": -30000, "504": -2000, "511": 40000,
                     "512": 1000, "513": 20000, "514": 10000, "515": 3000, "521": 500,
                     "102": -50500})
    lines = {line["key"]: line["amount"] for line in
             income_statement(activity, activity, "2025-01", "2025-06")["lines"]}
    assert lines["operating_income"] == 100000 - 40000 - 1000 - 20000 + 5000
    assert lines["total_income"] == 44000 + 30000 + 2000 - 10000 - 3000
    assert lines["net_income"] == 63000 - 500
    assert [line.key for line in INCOME_STATEMENT][-1] == "undistributed_end"


def test_closing_vouchers_are_not_income_or_expense():
    # After the year-end close 501 is zero, but the year's revenue is still the year's revenue.
    year = {"501": Sums(before=0, debit=80000, credit=80000, closing_net=80000),
            "32201": Sums(before=0, debit=0, credit=80000, closing_net=-80000),
            "321": Sums(before=0, debit=80000, credit=80000, closing_net=0)}
    lines = {line["key"]: line["amount"] for line in
             income_statement(year, year, "2025-01", "2025-12")["lines"]}
    assert lines["operating_revenue"] == 80000
    assert lines["undistributed_end"] == 80000


def test_a_trial_balance_shows_each_balance_on_its_side_and_ties_out():
    accounts = [{"code": c, "name_zh": c, "name_en": "", "level": 1 + (len(c) - 3) // 2}
                for c in ("101", "113", "11301", "11302", "301")]
    month = {"101": Sums(before=1000, debit=500, credit=0, closing_net=0),
             "11301": Sums(before=300, debit=0, credit=0, closing_net=0),
             "11302": Sums(before=-100, debit=0, credit=0, closing_net=0),
             "301": Sums(before=-1200, debit=0, credit=500, closing_net=0)}
    report = trial_balance(accounts, month, month)
    rows = {row["code"]: row for row in report["rows"]}
    assert (rows["11302"]["opening_debit"], rows["11302"]["opening_credit"]) == (0, 100)
    assert rows["113"]["opening_debit"] == 200  # the parent shows its subtree, netted
    assert report["balanced"]
    assert report["totals"]["closing_debit"] == report["totals"]["closing_credit"] == 1700


def test_a_single_month_column_adds_the_undistributed_at_the_start_of_the_year():
    # Given 800.00 undistributed brought into the year, and January's 300.00 of income not
    # yet closed when March begins,
    year = {"32201": Sums(before=-80000, debit=0, credit=0, closing_net=0),
            "501": Sums(before=0, debit=0, credit=50000, closing_net=0),
            "102": Sums(before=80000, debit=50000, credit=0, closing_net=0)}
    march = {"32201": Sums(before=-80000, debit=0, credit=0, closing_net=0),
             "501": Sums(before=-30000, debit=0, credit=20000, closing_net=0),
             "102": Sums(before=110000, debit=20000, credit=0, closing_net=0)}
    # when March alone is shown beside the year to date,
    lines = {line["key"]: line for line in
             income_statement(march, year, "2026-03", "2026-03")["lines"]}
    # then both columns add what was undistributed on January 1, not on March 1.
    start = lines["undistributed_start"]
    assert (start["amount"], start["year_to_date"]) == (80000, 80000)
    assert lines["net_income"]["amount"] == 20000
    assert lines["undistributed_end"]["year_to_date"] == 80000 + 50000
