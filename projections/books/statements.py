"""The trial balance (科目余额表), balance sheet (资产负债表) and income and income-distribution
statement (收益及收益分配表), computed from leaf-account sums only, so the same events always give
the same statement.

A trial balance ties out: opening, period and closing debits equal credits. A balance sheet
balances: assets equal liabilities plus owners' equity, with income and expenses not yet closed
counted in 未分配收益. The statement's year-to-date 年末未分配收益 equals the balance sheet's
未分配收益, and every column's 年初未分配收益 is the one brought into the year, whatever month the
column starts in. The layouts are the org's chart's (chart_layouts.py): a cooperative's
资产负债表 and 盈余及盈余分配表 follow the same rules with 未分配盈余.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any

from ledger.books import ancestors
from projections.books.chart_layouts import VILLAGE, StatementLayouts
from projections.books.layouts import LayoutLine, Term
from projections.books.queries import Sums


def _sides(net: int) -> tuple[int, int]:
    """A net debit balance shown in the debit or the credit column, as Chinese books do."""
    return (net, 0) if net >= 0 else (0, -net)


def _roll_up(accounts: Iterable[Mapping[str, Any]],
             leaf_values: Mapping[str, tuple[int, ...]]) -> dict[str, list[int]]:
    """Sum each leaf's figures into every ancestor, so a parent shows its whole subtree."""
    totals: dict[str, list[int]] = {a["code"]: [] for a in accounts}
    for code, values in leaf_values.items():
        for target in (code, *ancestors(code)):
            row = totals.setdefault(target, [])
            if not row:
                row.extend([0] * len(values))
            for i, value in enumerate(values):
                row[i] += value
    return totals


def trial_balance(accounts: list[Mapping[str, Any]], month: Mapping[str, Sums],
                  year: Mapping[str, Sums], *, include_zero: bool = False) -> dict[str, Any]:
    """Every account's opening balance, the month's debits and credits, the year's so far, and
    the closing balance. `month` and `year` are sums over the month and January-to-month."""
    leaf_values = {
        code: (s.before, s.debit, s.credit,
               year[code].debit if code in year else 0, year[code].credit if code in year else 0)
        for code, s in month.items()
    }
    rolled = _roll_up(accounts, leaf_values)
    rows = []
    totals = dict.fromkeys(("opening_debit", "opening_credit", "debit", "credit", "year_debit",
                            "year_credit", "closing_debit", "closing_credit"), 0)
    for account in accounts:
        before, debit, credit, year_debit, year_credit = rolled.get(account["code"]) or (0,) * 5
        closing = before + debit - credit
        if not include_zero and not any((before, debit, credit, year_debit, year_credit)):
            continue
        opening_debit, opening_credit = _sides(before)
        closing_debit, closing_credit = _sides(closing)
        row = {
            "code": account["code"], "name_zh": account["name_zh"],
            "name_en": account["name_en"], "level": account["level"],
            "opening_debit": opening_debit, "opening_credit": opening_credit,
            "debit": debit, "credit": credit, "year_debit": year_debit,
            "year_credit": year_credit, "closing_debit": closing_debit,
            "closing_credit": closing_credit,
        }
        rows.append(row)
        if account["level"] == 1:
            for key in totals:
                totals[key] += row[key]
    balanced = (totals["opening_debit"] == totals["opening_credit"]
                and totals["debit"] == totals["credit"]
                and totals["closing_debit"] == totals["closing_credit"])
    return {"rows": rows, "totals": totals, "balanced": balanced}


def balances(accounts: Iterable[Mapping[str, Any]], nets: Mapping[str, int]) -> dict[str, int]:
    """Each account's balance as a net debit (a credit balance below zero), a parent's that of
    its whole subtree: rolled up as the trial balance rolls up its closing balances, so both
    show the same figure for the same day."""
    rolled = _roll_up(accounts, {code: (net,) for code, net in nets.items()})
    return {code: values[0] if values else 0 for code, values in rolled.items()}


def _term_value(term: Term, nets: Mapping[str, int]) -> int:
    """A term's amount from leaf net debits: a subtree times a sign, or one side of it."""
    leaves = [net for code, net in nets.items() if code.startswith(term.code)]
    if term.side == "debit":
        return sum(net for net in leaves if net > 0)
    if term.side == "credit":
        return -sum(net for net in leaves if net < 0)
    return term.sign * sum(leaves)


def _layout_values(layout: Iterable[LayoutLine], nets: Mapping[str, int],
                   given: Mapping[str, int] | None = None) -> dict[str, int]:
    """Evaluate a statement layout top to bottom: terms read the books, formulas read lines
    above, and the few lines that come from another statement are given."""
    values: dict[str, int] = {}
    for line in layout:
        if line.terms:
            values[line.key] = sum(_term_value(term, nets) for term in line.terms)
        elif line.formula:
            values[line.key] = sum(sign * values[key] for key, sign in line.formula)
        else:
            values[line.key] = (given or {})[line.key]
    return values


PartyNets = Mapping[tuple[str, str], tuple[int, int]]


def _by_party(nets: dict[str, int], parties: PartyNets, which: int) -> dict[str, int]:
    """A leaf's balance split into what each named party owes or is owed, the rest left on the
    leaf, so that a side-read line (113 内部往来) shows one member's debt and another's credit
    instead of their difference. The keys stay under the leaf's code, so terms still find them."""
    split = dict(nets)
    for (code, party), values in parties.items():
        split[code] = split.get(code, 0) - values[which]
        split[f"{code}|{party}"] = values[which]
    return split


def balance_sheet(sums: Mapping[str, Sums], on: date, parties: PartyNets | None = None, *,
                  layouts: StatementLayouts = VILLAGE,
                  brought_in: date | None = None) -> dict[str, Any]:
    """Balances at `on` beside those at the start of its year. `sums` covers Jan 1 to `on`
    (or, in the year the books start after Jan 1, their first day to `on`: then `brought_in`
    is the day before it, whose balances are the opening ones); `parties`, when given, holds
    the per-party nets of the two-sided account (113 内部往来, 114 成员往来:
    BooksReader.party_nets); `layouts` are the org's chart's."""
    sheet_layout = layouts.balance_sheet
    start = _by_party({code: s.before for code, s in sums.items()}, parties or {}, 0)
    end = _by_party({code: s.after for code, s in sums.items()}, parties or {}, 1)
    start_values = _layout_values(sheet_layout, start)
    end_values = _layout_values(sheet_layout, end)
    lines = [
        {"key": line.key, "row": line.row, "label_zh": line.label_zh,
         "label_en": line.label_en, "section": line.section, "indent": line.indent,
         "total": bool(line.formula),
         "start_of_year": start_values[line.key], "end": end_values[line.key]}
        for line in sheet_layout
    ]
    return {
        "date": on,
        "start_of_year": brought_in or date(on.year, 1, 1) - timedelta(days=1),
        "lines": lines,
        "balanced": (end_values["assets_total"] == end_values["liabilities_and_equity_total"]
                     and start_values["assets_total"]
                     == start_values["liabilities_and_equity_total"]),
    }


def _undistributed_at_start(sums: Mapping[str, Sums],
                            layouts: StatementLayouts = VILLAGE) -> int:
    """What the balance sheet shows as 未分配收益 where `sums`' range starts."""
    brought_forward = {c: s.before for c, s in sums.items()}
    return _layout_values(layouts.balance_sheet, brought_forward)["undistributed"]


def _income_values(sums: Mapping[str, Sums], undistributed_start: int,
                   layouts: StatementLayouts) -> dict[str, int]:
    # Closing vouchers move the year's result between accounts; they are not income or expense.
    activity = {c: s.debit - s.credit - s.closing_net for c, s in sums.items()}
    return _layout_values(layouts.income_statement, activity,
                          {"undistributed_start": undistributed_start})


def income_statement(period_sums: Mapping[str, Sums], year_sums: Mapping[str, Sums],
                     start: str, end: str, *, range_brought_in: bool = False,
                     starts_year: bool = True,
                     layouts: StatementLayouts = VILLAGE) -> dict[str, Any]:
    """The statement for a range of months beside the year to date. `year_sums` starts on
    January 1 (in the year the books start after it, on their first day, the opening balances
    brought forward), so its brought-forward balances give 年初未分配收益 for both columns: a
    month's own start would count the year's earlier, unclosed income as brought in from last
    year.
    `range_brought_in` keeps the old rule (the range's own start) only so that disclosures
    published under it can still be rebuilt byte for byte.
    `starts_year` false (the range starts after the year does): the 本期 column of the
    distribution rows is None, shown blank. 可分配收益 and 年末未分配收益 are figures of a whole
    year; the year's opening balance plus a part of its income is no balance the books hold."""
    undistributed_start = _undistributed_at_start(year_sums, layouts)
    period = _income_values(period_sums, _undistributed_at_start(period_sums, layouts)
                            if range_brought_in else undistributed_start, layouts)
    year = _income_values(year_sums, undistributed_start, layouts)
    return {
        "start": start,
        "end": end,
        "lines": [
            {"key": line.key, "row": line.row, "label_zh": line.label_zh,
             "label_en": line.label_en, "section": line.section, "indent": line.indent,
             "total": bool(line.formula),
             "amount": period[line.key] if starts_year or line.section != "distribution"
             else None,
             "year_to_date": year[line.key]}
            for line in layouts.income_statement
        ],
    }


def _direction(net: int) -> str:
    return "借" if net > 0 else "贷" if net < 0 else "平"


def detail_ledger(account: Mapping[str, Any], sums: Mapping[str, Sums],
                  lines: list[dict[str, Any]]) -> dict[str, Any]:
    """A detail ledger (明细账): balance brought forward, then each line with the balance after it
    shown as an amount and its side (借/贷/平), as the paper books do."""
    opening = sum(s.before for s in sums.values())
    debit = sum(s.debit for s in sums.values())
    credit = sum(s.credit for s in sums.values())
    closing = opening + debit - credit
    return {
        "account": {key: account[key] for key in ("code", "name_zh", "name_en",
                                                   "normal_balance")},
        "opening_balance": abs(opening), "opening_direction": _direction(opening),
        "debit_total": debit, "credit_total": credit,
        "closing_balance": abs(closing), "closing_direction": _direction(closing),
        "lines": [
            {**line, "balance": abs(opening + line["accumulated"]),
             "direction": _direction(opening + line["accumulated"])}
            for line in lines
        ],
    }


def month_totals(period: str, month: Mapping[str, Sums],
                 year: Mapping[str, Sums]) -> dict[str, Any]:
    """A detail ledger's 本月合计 and 本年累计 (an account's subtree: its leaves' sums), and the
    balance at the month's end, as the paper ledger closes each month."""
    closing = sum(s.after for s in month.values())
    return {"period": period,
            "debit": sum(s.debit for s in month.values()),
            "credit": sum(s.credit for s in month.values()),
            "year_debit": sum(s.debit for s in year.values()),
            "year_credit": sum(s.credit for s in year.values()),
            "balance": abs(closing), "direction": _direction(closing)}
