"""What a year's distribution disclosure (收益分配公开) shows, from the books read model alone.

The plan (stage "plan", before the members' meeting) shows the plan's figures and terms, the
year's income statement and balance sheet (2024 Law Art. 46: open to members ten days before the
meeting) and a line per holder; the result (stage "result", once posted) shows each holder's line
with whether and when it was paid. A holder is named by household number and masked name; the
slip codes that find a household's line are never in the content, nor any ID number.

A cooperative's plan (2017 Law Art. 44) shows its surplus figures instead, and each member's
line adds the member's trade, return by trade and remaining share beside the total.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from ledger.disclosure import InvalidDisclosure, mask_name, span_of
from ledger.distribution import STAGES
from ledger.kernel.money import format_fen
from projections.books.queries import BooksReader
from projections.disclosure.statements import (
    amount,
    balance_sheet,
    equity_changes,
    income_statement,
    is_cooperative,
)
from projections.distribution.queries import DistributionReader

# The plan's figures in the order a 收益分配方案 reads them: (key, Chinese, English). A figure
# that is zero and only sometimes applies (a loss covered, the 公益金 apart) is left out.
FIGURES = (
    ("net_income", "本年收益", "Income of the year"),
    ("undistributed_at_start", "年初未分配收益", "Undistributed income at the start of the year"),
    ("loss_covered", "弥补以前年度亏损", "Loss of earlier years covered"),
    ("distributable", "可分配收益", "Distributable income"),
    ("accumulation", "提取公积公益金", "To the reserve (公积公益金)"),
    ("welfare", "提取公益金", "To the welfare fund (公益金)"),
    ("collective_to_reserve", "集体股应分（转入公积公益金）",
     "The collective share's part, to the reserve"),
    ("collective_kept", "集体股应分（留作未分配收益）",
     "The collective share's part, kept undistributed"),
    ("already_distributed", "年内已分配", "Distributed earlier in the year"),
    ("to_members", "向成员分配", "To members"),
    ("undistributed_at_end", "年末未分配收益", "Undistributed income at the end of the year"),
)
# A cooperative's surplus plan: 盈余分配 in the order 盈余及盈余分配表 reads it.
SURPLUS_FIGURES = (
    ("net_income", "本年盈余", "Surplus of the year"),
    ("undistributed_at_start", "年初未分配盈余", "Undistributed surplus at the start of the year"),
    ("loss_covered", "弥补亏损", "Loss covered"),
    ("reserve", "提取盈余公积", "To the surplus reserve (盈余公积)"),
    ("distributable", "可分配盈余", "Distributable surplus"),
    ("trade_return", "按交易量（额）返还", "Returned by trade"),
    ("remaining", "剩余盈余分配", "Remaining surplus, by contributions and shares"),
    ("undistributed_at_end", "年末未分配盈余", "Undistributed surplus at the end of the year"),
)
SURPLUS_SCHEME = "cooperative_surplus"
SOMETIMES = ("loss_covered", "welfare", "collective_to_reserve", "collective_kept",
             "already_distributed")


def distribution(reader: BooksReader, org: str, period: str, inputs: Mapping[str, Any], *,
                 from_books_start: bool = False, members_numbered: bool = False,
                 ) -> dict[str, Any]:
    """The content's distribution part; `period` is the plan's year ("2025").
    `from_books_start` (format 6): the plan's statements read as the desk does in the year the
    books start after January 1 (projections/disclosure/statements.py); `members_numbered`
    (format 9): a cooperative member's line carries the member number."""
    stage = inputs.get("stage")
    if stage not in STAGES:
        raise InvalidDisclosure("plan or result", field="inputs.stage")
    number = inputs.get("distribution")
    plan = DistributionReader(reader.sql, reader._view).distribution(org, str(number)) \
        if isinstance(number, str) else None
    if plan is None or plan["status"] == "cancelled":
        raise InvalidDisclosure(f"no standing distribution {number}",
                                field="inputs.distribution")
    start, end = span_of(period) if period else (date.min, date.min)
    if (start, end) != (date(plan["year"], 1, 1), date(plan["year"], 12, 31)):
        raise InvalidDisclosure(f"the plan's year, {plan['year']}", field="period")
    content: dict[str, Any] = {
        "distribution": {
            "number": plan["number"], "year": plan["year"], "stage": stage,
            "record_date": plan["record_date"], "matter": plan["matter"],
            "terms": plan["terms"],
            "collective": None if plan["collective"] is None else {
                "shares": plan["collective"]["shares"],
                **amount(int(plan["collective"]["amount"]))}},
        "figures": surplus_figures(plan["figures"])
        if plan["terms"].get("scheme") == SURPLUS_SCHEME else
        figures(plan["figures"], separate_welfare="reserve.welfare_rate" in plan["terms"]),
        "lines": [_line(no, line, result=stage == "result", numbered=members_numbered)
                  for no, line in enumerate(plan["lines"], start=1)],
        "totals": {"to_members": amount(plan["paid_total"] + plan["unpaid_total"])},
    }
    if stage == "plan":
        content["statements"] = {
            "income_statement": income_statement(reader, org, start, end,
                                                 range_brought_in=False,
                                                 from_books_start=from_books_start),
            "balance_sheet": balance_sheet(reader, org, end,
                                           from_books_start=from_books_start)}
        if is_cooperative(reader, org):
            content["statements"]["equity_changes"] = equity_changes(
                reader, org, end, from_books_start=from_books_start)
    else:
        content["distribution"] |= {"voucher": plan["voucher"], "posted_on": plan["posted_on"]}
        content["totals"] |= {"paid": amount(plan["paid_total"]),
                              "unpaid": amount(plan["unpaid_total"])}
    return content


def figures(fen: Mapping[str, int], *, separate_welfare: bool) -> list[dict[str, Any]]:
    """The plan's figures as numbered rows; one reserve row unless the charter splits it."""
    rows = []
    for key, zh, en in FIGURES:
        if key in SOMETIMES and not fen.get(key, 0) and not (key == "welfare"
                                                            and separate_welfare):
            continue
        if key == "accumulation" and separate_welfare:
            zh, en = "提取公积金", "To the accumulation fund (公积金)"
        rows.append({"no": len(rows) + 1, "key": key, "item": zh, "item_en": en,
                     **amount(int(fen.get(key, 0)))})
    return rows


def surplus_figures(fen: Mapping[str, int]) -> list[dict[str, Any]]:
    """A cooperative's figures as numbered rows, the loss covered only when there was one."""
    return [{"no": no, "key": key, "item": zh, "item_en": en, **amount(int(fen.get(key, 0)))}
            for no, (key, zh, en) in enumerate(
                (row for row in SURPLUS_FIGURES
                 if row[0] != "loss_covered" or fen.get("loss_covered")), start=1)]


def _line(no: int, line: Mapping[str, Any], *, result: bool, numbered: bool) -> dict[str, Any]:
    """One holder: a household by its number and its head's masked name, a cooperative's member
    (when `numbered`) by the member number and masked name, anyone else by the masked name
    alone; the result adds whether and when it was paid."""
    kind, _, ref = str(line["holder"]).partition(":")
    name = mask_name(line["name"])
    shown: dict[str, Any] = {
        "no": no, "holder_kind": kind, "household": ref if kind == "household" else "",
        "name": name, "item": f"{ref}户 {name}" if kind == "household" else name,
        "shares": int(line["shares"]), **amount(int(line["amount"]))}
    if numbered and kind == "member":
        shown |= {"member": ref, "item": f"成员{ref} {name}"}
    if line.get("first_member"):  # a household with no head recorded: its first member, masked
        shown |= {"first_member": mask_name(line["first_member"]),
                  "members": int(line["members"])}
        many = f"等{shown['members']}人" if shown["members"] > 1 else ""
        shown["item"] = f"{ref}户 （户主未登记）{shown['first_member']}{many}"
    if line.get("trade") is not None:  # a cooperative's member (Art. 44)
        shown |= {"trade": format_fen(int(line["trade"])),
                  "return": format_fen(int(line["trade_return"])),
                  "remaining": format_fen(int(line["remaining"]))}
    if result:
        shown |= {"paid": bool(line["paid"]), "paid_on": line["paid_on"] or ""}
    return shown


def year_of(number: str) -> str:
    """The year a plan is disclosed under: "2025-1" → "2025"; nothing for what is no plan."""
    year = number.partition("-")[0]
    return year if len(year) == 4 and year.isdigit() else ""
