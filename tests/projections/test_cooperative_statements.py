"""A cooperative's three statements (资产负债表, 盈余及盈余分配表, 成员权益变动表) from a small
ledger written by hand: a loss in 2024 brought forward, then a year of contributions, a grant
turned into 专项基金, trade with members and non-members, expenses, the surplus distribution and
the year-end close. Every figure below is worked out by hand in the comments beside it."""

from __future__ import annotations

import json
from datetime import date

import pytest

from ledger.application import Ledger
from ledger.books import Line, Period, VoucherDraft
from ledger.kernel.chart import get_chart
from ledger.kernel.errors import InvalidCommand
from projections.books import reports
from projections.books.chart_layouts import COOPERATIVE
from projections.books.equity_changes import equity_changes
from projections.books.layouts_cooperative import BALANCE_SHEET, INCOME_STATEMENT
from projections.books.queries import BooksQueries, Sums
from projections.books.statements import balance_sheet
from projections.books.view import BooksView
from projections.disclosure.content import build
from projections.runner import catch_up, rebuild
from tests.registers import ORG as VILLAGE
from tests.registers import village_with_shares

COOP = "coop"
CHART = "mof-2021-cooperative"
FIRST_LEVEL = [a.code for a in get_chart(CHART).accounts if len(a.code) == 3]
A, B = "member:0001", "member:0002"


def post(app: Ledger, on: date, summary: str, *lines: Line) -> None:
    app.books.post_voucher(COOP, VoucherDraft(date=on, summary=summary, lines=lines),
                           actor="kuaiji")


def close(app: Ledger, year: int) -> None:
    for month in range(1, 12):
        app.books.close_period(COOP, Period(year, month), actor="kuaiji")
    app.books.close_year(COOP, year, actor="kuaiji")


def cooperative_year(app: Ledger) -> None:
    app.books.register_organization(code=COOP, name_zh="东村水稻专业合作社",
                                    kind="farmers_cooperative",
                                    books_start=date(2024, 1, 1), actor="admin")
    for name, sex, born in (("周农", "male", date(1970, 4, 2)),
                            ("吴果", "female", date(1976, 9, 15))):
        app.register.confirm_member(COOP, name=name, sex=sex, born=born, household="",
                                    on=date(2024, 1, 2), basis="admitted", actor="kuaiji")
    post(app, date(2024, 3, 1), "成员入股", Line("101", debit=300_000),
         Line("301", credit=300_000))
    post(app, date(2024, 6, 1), "办公费", Line("522", debit=50_000), Line("101", credit=50_000))
    close(app, 2024)  # a loss of 500.00 brought into 2025
    post(app, date(2025, 2, 1), "成员入股", Line("101", debit=200_000),
         Line("301", credit=200_000))
    post(app, date(2025, 3, 1), "财政补助", Line("102", debit=100_000),
         Line("235", credit=100_000))
    post(app, date(2025, 4, 1), "补助转专项基金", Line("235", debit=100_000),
         Line("311", credit=100_000))
    post(app, date(2025, 5, 1), "销售大米", Line("101", debit=400_000),
         Line("50101", credit=300_000, party=A), Line("50102", credit=100_000))
    post(app, date(2025, 5, 2), "收购稻谷", Line("52101", debit=150_000, party=A),
         Line("101", credit=150_000))
    post(app, date(2025, 6, 1), "管理费用", Line("522", debit=30_000),
         Line("101", credit=30_000))
    post(app, date(2025, 6, 15), "借给成员", Line("114", debit=20_000, party=A),
         Line("101", credit=20_000))
    post(app, date(2025, 6, 16), "成员预交", Line("101", debit=15_000),
         Line("114", credit=15_000, party=B))
    post(app, date(2025, 7, 1), "其他收入", Line("101", debit=5_000), Line("502", credit=5_000))
    post(app, date(2025, 7, 2), "其他支出", Line("529", debit=2_000), Line("101", credit=2_000))
    post(app, date(2025, 8, 1), "购置设备", Line("151", debit=80_000),
         Line("102", credit=80_000))
    post(app, date(2025, 12, 1), "计提折旧", Line("522", debit=4_000),
         Line("152", credit=4_000))
    # 本年盈余 = 400000 − 150000 − 34000 + 5000 − 2000 = 219000; with the −50000 brought in,
    # 可分配盈余 = 169000, of which 16900 to the reserve, 100000 returned, 50000 shared.
    post(app, date(2025, 12, 31), "盈余分配", Line("3320201", debit=16_900),
         Line("322", credit=16_900), Line("3320202", debit=100_000),
         Line("221", credit=60_000, party=A), Line("221", credit=40_000, party=B),
         Line("3320203", debit=50_000), Line("222", credit=30_000, party=A),
         Line("222", credit=20_000, party=B))
    close(app, 2025)


def statements_of(ledger: Ledger, view: BooksView) -> dict:
    catch_up(ledger, view)
    with BooksQueries(view).read() as reader:
        return {
            "sheet": reports.balance_sheet(reader, COOP, date(2025, 12, 31)),
            "income": reports.income_statement(reader, COOP, Period(2025, 1), Period(2025, 12)),
            "equity": reports.equity_changes(reader, COOP, 2025),
            "equity_2024": reports.equity_changes(reader, COOP, 2024),
        }


def by_key(lines: list[dict], column: str) -> dict[str, int]:
    return {line["key"]: line[column] for line in lines}


def test_every_first_level_account_is_on_exactly_one_balance_sheet_line():
    terms = [term.code for line in BALANCE_SHEET for term in line.terms]
    for code in FIRST_LEVEL:
        covering = [t for t in terms if code.startswith(t) or t.startswith(code)]
        # 114 appears twice on purpose: its debit leaves and its credit leaves.
        assert len(covering) == (2 if code == "114" else 1), code


@pytest.mark.parametrize("code", FIRST_LEVEL)
def test_a_balance_on_any_account_keeps_the_balance_sheet_balanced(code):
    counter = "301" if code != "301" else "101"
    sums = {c: Sums(0, max(n, 0), max(-n, 0), 0) for c, n in ((code, 12345), (counter, -12345))}
    assert balance_sheet(sums, date(2025, 6, 30), layouts=COOPERATIVE)["balanced"], code


def test_the_balance_sheet_reads_the_cooperative_chart(ledger: Ledger, view: BooksView):
    cooperative_year(ledger)
    sheet = statements_of(ledger, view)["sheet"]
    end, start = by_key(sheet["lines"], "end"), by_key(sheet["lines"], "start_of_year")
    assert sheet["balanced"]
    # 101: 300000 − 50000 + 200000 + 400000 − 150000 − 30000 − 20000 + 15000 + 5000 − 2000
    assert end["cash"] == 668_000 + 20_000  # and 102: 100000 − 80000
    assert (end["receivables"], end["payables"]) == (20_000, 15_000)  # 114 by member
    assert (end["fixed_cost"], end["fixed_dep"], end["fixed_net"]) == (80_000, 4_000, 76_000)
    assert end["assets_total"] == 688_000 + 20_000 + 76_000
    assert (end["surplus_returns"], end["remaining_surplus"], end["earmarked"]) == (
        100_000, 50_000, 0)
    assert (end["share_capital"], end["special_fund"], end["capital_reserve"],
            end["surplus_reserve"]) == (500_000, 100_000, 0, 16_900)
    assert end["undistributed"] == -50_000 + 219_000 - 166_900
    assert end["liabilities_and_equity_total"] == end["assets_total"]
    assert (start["cash"], start["share_capital"], start["undistributed"]) == (
        250_000, 300_000, -50_000)
    assert [line["label_zh"] for line in sheet["lines"]][-2:] == ["所有者权益合计",
                                                                "负债和所有者权益总计"]
    assert [line["row"] for line in sheet["lines"]] == list(range(1, len(BALANCE_SHEET) + 1))


def test_the_surplus_statement_ends_on_the_balance_sheets_undistributed_surplus(
        ledger: Ledger, view: BooksView):
    cooperative_year(ledger)
    found = statements_of(ledger, view)
    year = by_key(found["income"]["lines"], "year_to_date")
    assert (year["operating_revenue"], year["investment_income"], year["operating_expenses"],
            year["administrative"]) == (400_000, 0, 150_000, 34_000)
    assert year["operating_income"] == 216_000
    assert (year["other_income"], year["other_expenses"]) == (5_000, 2_000)
    assert year["net_income"] == 219_000
    assert (year["undistributed_start"], year["other_transfers"]) == (-50_000, 0)
    assert year["distributable"] == 169_000
    assert (year["to_reserve"], year["trade_return"], year["remaining_distribution"],
            year["other_distributions"]) == (16_900, 100_000, 50_000, 0)
    assert year["undistributed_end"] == 2_100
    assert year["undistributed_end"] == by_key(found["sheet"]["lines"], "end")["undistributed"]
    assert [line["row"] for line in found["income"]["lines"]] == list(
        range(1, len(INCOME_STATEMENT) + 1))


def test_the_equity_changes_tie_to_the_balance_sheet(ledger: Ledger, view: BooksView):
    cooperative_year(ledger)
    found = statements_of(ledger, view)
    rows = {row["key"]: row for row in found["equity"]["rows"]}
    expected = {  # start, increase, decrease, end
        "share_capital": (300_000, 200_000, 0, 500_000),
        "special_fund": (0, 100_000, 0, 100_000),
        "capital_reserve": (0, 0, 0, 0),
        "surplus_reserve": (0, 16_900, 0, 16_900),
        "undistributed": (-50_000, 219_000, 166_900, 2_100),
    }
    for column, figures in expected.items():
        assert tuple(rows[key][column] for key in ("start", "increase", "decrease",
                                                   "end")) == figures, column
    for column in (*expected, "total"):
        assert (rows["start"][column] + rows["increase"][column] - rows["decrease"][column]
                == rows["end"][column]), column
    end = by_key(found["sheet"]["lines"], "end")
    start = by_key(found["sheet"]["lines"], "start_of_year")
    for column in expected:
        assert (rows["start"][column], rows["end"][column]) == (start[column], end[column])
    assert rows["end"]["total"] == end["equity_total"] == 619_000
    assert rows["start"]["total"] == start["equity_total"] == 250_000
    loss_year = {row["key"]: row["undistributed"] for row in found["equity_2024"]["rows"]}
    assert loss_year == {"start": 0, "increase": 0, "decrease": 50_000, "end": -50_000}
    labels = [(row["label_zh"], row["label_en"]) for row in found["equity"]["rows"]]
    assert labels[0] == ("年初余额", "Balance at start of year")
    assert [c["label_zh"] for c in found["equity"]["columns"]] == [
        "股金", "专项基金", "资本公积", "盈余公积", "未分配盈余", "合计"]


def test_rebuilding_the_read_model_gives_the_same_statements(ledger: Ledger, view: BooksView):
    cooperative_year(ledger)
    before = json.dumps(statements_of(ledger, view), default=str, ensure_ascii=False)
    rebuild(ledger, view)
    assert json.dumps(statements_of(ledger, view), default=str, ensure_ascii=False) == before


def test_a_village_has_no_equity_changes_statement(ledger: Ledger, view: BooksView):
    village_with_shares(ledger)
    catch_up(ledger, view)
    with BooksQueries(view).read() as reader, pytest.raises(InvalidCommand) as refused:
        reports.equity_changes(reader, VILLAGE, 2025)
    assert refused.value.field == "org"


def test_a_cooperatives_year_end_disclosure_carries_its_own_statements(
        ledger: Ledger, view: BooksView):
    cooperative_year(ledger)
    catch_up(ledger, view)
    with BooksQueries(view).read() as reader:
        sheet = build(reader, COOP, "balance_sheet", "2025-12", "2025年资产负债表", {})
        income = build(reader, COOP, "income_statement", "2025-11", "11月", {})
    lines = {line["key"]: line["amount"] for line in sheet["lines"]}
    assert (lines["share_capital"], lines["undistributed"]) == ("5000.00", "21.00")
    rows = {row["key"]: row for row in sheet["equity_changes"]["rows"]}
    assert (rows["end"]["total"], rows["decrease"]["undistributed"]) == ("6190.00", "1669.00")
    assert "本表按《农民专业合作社会计制度》" in sheet["notes_to_statements"]["policies"]
    # 114 by member in the notes as on the sheet: 0001 owes 200.00, 0002 is owed 150.00.
    notes = sheet["notes_to_statements"]
    assert (notes["receivables"]["amount"], notes["payables"]["amount"]) == (
        lines["receivables"], lines["payables"]) == ("200.00", "150.00")
    assert "equity_changes" not in income  # November is not the year's end


def test_a_villages_disclosure_has_no_equity_changes(ledger: Ledger, view: BooksView):
    village_with_shares(ledger)
    catch_up(ledger, view)
    with BooksQueries(view).read() as reader:
        sheet = build(reader, VILLAGE, "balance_sheet", "2025-12", "t", {})
    assert "equity_changes" not in sheet
    assert "农村集体经济组织" in sheet["notes_to_statements"]["policies"]


def test_a_loss_covered_from_the_reserve_moves_between_columns():
    # Dr 322 / Cr 33201 3000.00: 盈余公积 decreases, 未分配盈余 increases by an other transfer.
    sums = {"322": Sums(before=-10_000, debit=3_000, credit=0, closing_net=0),
            "33201": Sums(before=8_000, debit=0, credit=3_000, closing_net=0),
            "101": Sums(before=2_000, debit=0, credit=0, closing_net=0)}
    rows = {row["key"]: row for row in equity_changes(sums, 2025, date(2025, 12, 31))["rows"]}
    assert (rows["decrease"]["surplus_reserve"], rows["increase"]["undistributed"]) == (
        3_000, 3_000)
    assert (rows["end"]["surplus_reserve"], rows["end"]["undistributed"]) == (7_000, -5_000)
    assert rows["increase"]["total"] - rows["decrease"]["total"] == 0
