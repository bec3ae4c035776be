"""What a year's distribution disclosure (收益分配公开) shows the village, as plain data: the
plan's figures and terms first, then one short line per holder (户号 姓名 股数 金额 已发/未发),
and for the plan the year's statements. Rule: only what the published content holds — masked
names, never a slip code — so the page, the sheet and a household's own lookup agree.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from api.i18n import current_locale, gettext, lazy_gettext
from api.render.charts import yuan
from ledger.kernel.money import AmountError, capital_numerals, parse_fen

STAGES = {"plan": lazy_gettext("Plan of the distribution"),
          "result": lazy_gettext("Result of the distribution")}
# A cooperative shares its surplus (盈余), not a village's income (收益): its own words.
SURPLUS_STAGES = {"plan": lazy_gettext("Plan of the surplus distribution"),
                  "result": lazy_gettext("Result of the surplus distribution")}
SURPLUS_RATES = {"reserve.rate": lazy_gettext(
    "To the surplus reserve (盈余公积), of the year's surplus")}
NO_HEAD = lazy_gettext("(head not recorded)")
OUTSIDE = lazy_gettext("Outside heir")
COLLECTIVE = {"keep": lazy_gettext("kept as undistributed income"),
              "reserve": lazy_gettext("sent to the reserve")}
RATES = {"reserve.rate": lazy_gettext("To the reserve (公积公益金), of the year's income"),
         "reserve.accumulation_rate": lazy_gettext("To the accumulation fund (公积金)"),
         "reserve.welfare_rate": lazy_gettext("To the welfare fund (公益金)"),
         "reserve.minimum": lazy_gettext("The charter's minimum reserve"),
         "trade_return.rate": lazy_gettext("Returned by trade, of the distributable surplus")}
STATEMENTS = (("income_statement", lazy_gettext("Income statement"),
               lazy_gettext("This period"), lazy_gettext("Year to date"), "year_to_date"),
              ("balance_sheet", lazy_gettext("Balance sheet"),
               lazy_gettext("End of period"), lazy_gettext("Start of year"), "start_of_year"))
# A cooperative's is the 盈余及盈余分配表 (会农社02表), as its reports are headed.
SURPLUS_STATEMENT = lazy_gettext("Surplus and surplus distribution statement")


def shown(text: str) -> str:
    try:
        return yuan(parse_fen(text))
    except AmountError:
        return text


def percent(rate: str) -> str:
    try:
        return f"{(Decimal(rate) * 100).normalize():f}%"
    except InvalidOperation:
        return rate


def terms(terms: dict[str, str], *, cooperative: bool = False) -> list[tuple[str, str]]:
    """The plan's rates and choices in words: the reserve's rates, what a share gets (or the
    total), and where the collective share's part goes."""
    labels = RATES | SURPLUS_RATES if cooperative else RATES
    said = [(str(label), percent(terms[key])) for key, label in labels.items() if key in terms]
    if "to_members.per_share" in terms:
        said.append((gettext("Per share"),
                     gettext("%(amount)s yuan", amount=shown(terms["to_members.per_share"]))))
    if "to_members.total" in terms:  # the collective share's part is in it (F4)
        said.append((gettext("In all, to the shares (the collective share's part included)")
                     if terms.get("collective_share") in COLLECTIVE
                     else gettext("In all, to the shares"),
                     gettext("%(amount)s yuan", amount=shown(terms["to_members.total"]))))
    if terms.get("collective_share") in COLLECTIVE:
        said.append((gettext("The collective share's part"),
                     str(COLLECTIVE[terms["collective_share"]])))
    return said


def no_head(first_member: str, members: int) -> str:
    """A household with no head recorded, read by its first member in the register's order and
    how many it has (（户主未登记）李**等2人), as the desk's macros.no_head says it and why; a
    line without them (a plan drafted before they were kept) reads （户主未登记） alone."""
    if first_member and members > 1:
        return gettext("(head not recorded) %(name)s and others, %(count)s in all",
                       name=first_member, count=members)
    if first_member:
        return gettext("(head not recorded) %(name)s", name=first_member)
    return str(NO_HEAD)


def holder_line(line: dict[str, Any]) -> dict[str, Any]:
    """One holder's line as the public list and a household's lookup show it; a cooperative
    member's trade, return and remaining share too (Art. 44)."""
    member = {f"{key}_shown": shown(line[key]) for key in ("trade", "return", "remaining")
              if key in line}
    named = {"name": line.get("name") or (no_head(str(line.get("first_member") or ""), int(
        line.get("members") or 0)) if line.get("household") else "")}
    if line.get("holder_kind") == "outside":  # not household 1: the heir outside the village
        named["household"] = ""
        named["name"] = f"{OUTSIDE} {line.get('name', '')}".strip()
    return {**line, **member, **named, "shown": shown(line["amount"]),
            "capital": line.get("amount_capital") or capital_numerals(parse_fen(line["amount"]))}


def _statement(lines: list[dict[str, Any]], second: str) -> list[dict[str, Any]]:
    english = current_locale() == "en"
    return [{**line, "item": line.get("item_en") if english and line.get("item_en")
             else line["item"], "shown": shown(line["amount"]), "second": shown(line[second])}
            for line in lines]


def _dated(header: Any, day: str) -> str:
    """年初数, dated as the desk dates it when the plan's balance sheet names a day that is not
    December 31 (format 6: a plan in the year the books start after January 1)."""
    if day and not day.endswith("-12-31"):
        return gettext("At the start of the year (%(day)s)", day=day)
    return str(header)


def distribution_view(content: dict[str, Any], *, cooperative: bool = False) -> dict[str, Any]:
    """The distribution's own part of a disclosure's page and sheet, in a cooperative's own
    words when it is one's."""
    facts = content["distribution"]
    english = current_locale() == "en"
    statements = [{"key": key, "first": str(first),
                   "second": _dated(second, content["statements"][key].get("start_of_year", "")),
                   "title": str(SURPLUS_STATEMENT if cooperative and key == "income_statement"
                                else title),
                   "lines": _statement(content["statements"][key]["lines"], column)}
                  for key, title, first, second, column in STATEMENTS
                  if key in content.get("statements", {})]
    return {"distribution": facts, "stage": facts["stage"],
            "stage_label": str((SURPLUS_STAGES if cooperative else STAGES).get(
                facts["stage"], facts["stage"])),
            "figures": [{**f, "item": f["item_en"] if english else f["item"],
                         "shown": shown(f["amount"])} for f in content.get("figures", [])],
            "terms": terms(facts.get("terms", {}), cooperative=cooperative),
            "holders": [holder_line(line) for line in content.get("lines", [])],
            "statements": statements}
