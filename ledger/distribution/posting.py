"""The vouchers of a distribution: the plan posted, and holders paid.

The plan: Dr 3220201 提取公积公益金 / Cr 311 (公积金 and 公益金 apart when the charter's rates
are, on the sub-accounts the settings name, or on 311 itself with a memo when it keeps none), and
Dr 3220202 向成员分配 / Cr 211 应付款 on the distribution sub-account, one line per holder with the
holder as its party. A payment: Dr that sub-account per holder (party) / Cr cash or bank.

A cooperative's surplus (scheme "cooperative_surplus", 财会〔2021〕37号): Dr 3320201 / Cr 322
盈余公积; Dr 3320202 / Cr 221 应付盈余返还 a line per member (its return by trade); Dr 3320203 /
Cr 222 应付剩余盈余 a line per member (its remaining share). Paid Dr 221 and Dr 222 per member /
Cr cash or bank, in one voucher.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ledger.books import Books, Line, Organization, VoucherDraft
from ledger.distribution.distributions import Distribution
from ledger.distribution.errors import InvalidDistribution

TO_RESERVE, TO_MEMBERS = "3220201", "3220202"
RESERVE = "311"
COOPERATIVE = "cooperative_surplus"
# Each part of a cooperative's plan: the 332 sub-account debited, the account credited, the
# line's key and the memo.
COOPERATIVE_PARTS = (("reserve", "3320201", "322", "提取盈余公积"),
                     ("return", "3320202", "221", "盈余返还"),
                     ("remaining", "3320203", "222", "剩余盈余分配"))


def _leaf(books: Books, code: str) -> bool:
    state = books.accounts.get(code)
    return state is not None and state["leaf"] and not state["closed"]


def _payable(books: Books, organization: Organization) -> str:
    code = organization.text_setting("distribution_payable")
    if not _leaf(books, code) or not code.startswith("211"):
        raise InvalidDistribution(
            f"the setting distribution_payable names {code}, which is not an open account of "
            "these books under 211 应付款 without sub-accounts; open it, or change the setting",
            field="distribution_payable", account=code)
    return code


def _reserve(books: Books, organization: Organization, setting: str) -> str:
    code = organization.text_setting(setting)
    if _leaf(books, code) and code.startswith(RESERVE):
        return code
    if _leaf(books, RESERVE):
        return RESERVE
    raise InvalidDistribution(
        f"311 has sub-accounts and the setting {setting} names {code}, not one of them",
        field=setting, account=code)


def holder_memo(line: dict[str, Any]) -> str:
    return f"{line['shares']}股"


def distribution_draft(books: Books, organization: Organization, distribution: Distribution,
                       day: date) -> tuple[VoucherDraft, dict[str, str]]:
    """The plan's voucher, and the account each part was posted to."""
    if distribution.terms.get("scheme") == COOPERATIVE:
        return _cooperative_draft(distribution, day)
    figures = distribution.figures
    lines: list[Line] = []
    accounts: dict[str, str] = {}
    if figures["reserve"]:
        lines.append(Line(TO_RESERVE, debit=figures["reserve"], memo="提取公积公益金"))
        accumulation = _reserve(books, organization, "reserve_accumulation_account")
        accounts["accumulation"] = accumulation
        parts = [(accumulation, figures["accumulation"] + figures["collective_to_reserve"],
                  "公积金" if figures["welfare"] else "公积公益金")]
        if figures["welfare"]:
            welfare = _reserve(books, organization, "reserve_welfare_account")
            accounts["welfare"] = welfare
            parts.append((welfare, figures["welfare"], "公益金"))
        lines += [Line(code, credit=amount, memo=memo) for code, amount, memo in parts if amount]
    if figures["to_members"]:
        payable = _payable(books, organization)
        accounts["payable"] = payable
        lines.append(Line(TO_MEMBERS, debit=figures["to_members"], memo="向成员分配"))
        lines += [Line(payable, credit=int(line["amount"]), memo=holder_memo(line),
                       party=str(line["holder"]))
                  for line in distribution.lines if int(line["amount"]) > 0]
    if not lines:
        raise InvalidDistribution("the plan puts nothing into the reserve and gives nothing to "
                                  "the holders: there is nothing to post", field="number")
    summary = f"{distribution.year}年度收益分配（方案{distribution.number}）"
    return VoucherDraft(date=day, summary=summary, lines=tuple(lines), kind="regular"), accounts


def _cooperative_draft(distribution: Distribution,
                       day: date) -> tuple[VoucherDraft, dict[str, str]]:
    lines: list[Line] = []
    accounts: dict[str, str] = {}
    for key, debit, credit, memo in COOPERATIVE_PARTS:
        if key == "reserve":
            total = int(distribution.figures["reserve"])
            credits = [Line(credit, credit=total, memo=memo)] if total else []
        else:
            credits = [Line(credit, credit=int(line[key]), memo=memo, party=str(line["holder"]))
                       for line in distribution.lines if int(line[key]) > 0]
            total = sum(line.credit for line in credits)
        if total:
            lines += [Line(debit, debit=total, memo=memo), *credits]
            accounts[key] = credit
    if not lines:
        raise InvalidDistribution("the plan puts nothing into 盈余公积 and gives nothing to the "
                                  "members: there is nothing to post", field="number")
    summary = f"{distribution.year}年度盈余分配（方案{distribution.number}）"
    return VoucherDraft(date=day, summary=summary, lines=tuple(lines), kind="regular"), accounts


def payment_draft(distribution: Distribution, paid: list[dict[str, Any]], *, paid_from: str,
                  on: date) -> VoucherDraft:
    if distribution.terms.get("scheme") == COOPERATIVE:
        return _cooperative_payment(distribution, paid, paid_from=paid_from, on=on)
    payable = distribution.accounts["payable"]
    lines = [Line(payable, debit=int(p["amount"]), memo="收益分配款", party=str(p["holder"]))
             for p in paid]
    lines.append(Line(paid_from, credit=sum(int(p["amount"]) for p in paid), memo="收益分配款"))
    summary = (f"发放{distribution.year}年度收益分配款"
               f"（方案{distribution.number}，{len(paid)}位持有人）")
    return VoucherDraft(date=on, summary=summary, lines=tuple(lines), kind="regular")


def _cooperative_payment(distribution: Distribution, paid: list[dict[str, Any]], *,
                         paid_from: str, on: date) -> VoucherDraft:
    """Each member's return (221) and remaining share (222) paid off, in one voucher."""
    lines = []
    for p in paid:
        line = distribution.line_of(str(p["holder"])) or {}
        lines += [Line(distribution.accounts[key], debit=int(line[key]), memo=memo,
                       party=str(p["holder"]))
                  for key, _, _, memo in COOPERATIVE_PARTS[1:] if int(line.get(key, 0)) > 0]
    lines.append(Line(paid_from, credit=sum(int(p["amount"]) for p in paid), memo="盈余分配款"))
    summary = (f"发放{distribution.year}年度盈余分配款"
               f"（方案{distribution.number}，{len(paid)}位成员）")
    return VoucherDraft(date=on, summary=summary, lines=tuple(lines), kind="regular")
