"""A cooperative member's account as the member reads it (成员账户, 2017 Law Art. 43), from three
read models: the register (contributions, reserve shares, trade), the books (the 311 专项基金
balance) and the distributions (the member's lines). 专项基金份额 of a year is the 311 balance at
that year's end — today for the open year — shared equally among the members on the roll at any
time in the year, exact to the fen by largest remainder (ties to the lower member number): the
rule the surplus distribution weighs by.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ledger.distribution import Holding, by_total
from projections.books.queries import BooksReader
from projections.distribution.queries import DistributionReader
from projections.register.queries import RegisterReader

SPECIAL_FUND = "311"


def fund_balance(books: BooksReader, org: str, on: date) -> int:
    """The credit balance of 311 with its sub-accounts on `on`."""
    sums = books.sums(org, date(on.year, 1, 1), on)
    return -sum(s.after for code, s in sums.items() if code.startswith(SPECIAL_FUND))


def share_of(balance: int, members: list[str], member: str) -> int:
    """`member`'s equal share of `balance` among `members`, by largest remainder."""
    if member not in members or balance <= 0:
        return 0
    shares = by_total([Holding(m, 1, "member") for m in members], balance)
    return next(a.amount for a in shares if a.holder == member)


def special_fund_by_year(register: RegisterReader, books: BooksReader, org: str, member: str,
                         years: range, today: date) -> list[dict[str, Any]]:
    rows = []
    for year in years:
        members = register.sharing_members(org, year)
        if member not in members:
            continue
        balance = fund_balance(books, org, min(date(year, 12, 31), today))
        rows.append({"year": year, "balance": balance, "members": len(members),
                     "amount": share_of(balance, members, member)})
    return rows


def distribution_lines(distributions: DistributionReader, org: str,
                       member: str) -> list[dict[str, Any]]:
    """The member's lines of every plan not cancelled, newest first; a plan may name the member
    as member:0003 or as 0003."""
    found = [*distributions.holder_history(org, f"member:{member}"),
             *distributions.holder_history(org, member)]
    return sorted(found, key=lambda line: (line["year"], line["number"]), reverse=True)


def member_statement(register: RegisterReader, books: BooksReader,
                     distributions: DistributionReader, org: str, number: str, *,
                     year: int | None, today: date) -> dict[str, Any] | None:
    """The member's account with 专项基金份额 and trade by year, and the member's distribution
    lines; None when there is no such member."""
    account = register.member_account(org, number, year=year)
    if account is None:
        return None
    organization = books.organization(org)
    fund: list[dict[str, Any]] = []
    # A village's 311 is another fund: the special fund is a cooperative's (财会〔2021〕37号).
    if organization is not None and organization["kind"] == "farmers_cooperative" \
            and organization["chart"]:
        # A year the member was not on the roll has no row: sharing_members leaves it out.
        first = date.fromisoformat(organization["books_start"]).year
        years = range(first, today.year + 1) if year is None else range(year, year + 1)
        fund = special_fund_by_year(register, books, org, number, years, today)
    trade = register.trade_by_year(org, number)
    return account | {
        "special_fund_share_by_year": fund,
        "special_fund_share": fund[-1]["amount"] if fund else 0,
        "trade_by_year": [t for t in trade if year is None or t["year"] == year],
        "trade_list": register.member_trades(org, number, year),
        "distributions": distribution_lines(distributions, org, number),
    }
