"""A cooperative's surplus plan, previewed and drafted (2017 Law Art. 44), as the same
`Distribution` a village drafts: numbered "YYYY-n", one standing plan a year, cancelled, decided,
posted and paid by the distribution's own commands.

The figures come from the books (本年盈余, 年初未分配盈余, 311 专项基金 on the record date), each
member's trade from the year's trade book, and each member's weight from the member account:
出资额 on the record date + 公积金份额 quantified for the years before + an equal part of 311.
Every member on the roll at any time during the year shares, those who left during it too
(Art. 28).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from ledger.books import BooksCommands, Period
from ledger.cooperative.surplus import Sharer, SurplusPlan, draft_surplus_plan, equal_shares
from ledger.distribution import (
    Distribution,
    DistributionCommands,
    InvalidDistribution,
    draw_codes,
    refuse_standing,
    year_figures,
)
from ledger.kernel.idempotency import RequestKey
from ledger.kernel.money import format_fen
from ledger.kernel.writing import Decision, Outcome, Store
from ledger.register import RegisterCommands

SCHEME = "cooperative_surplus"
FUND = "311"  # 专项基金: shared among the members as 专项基金份额 (Art. 44)
COOPERATIVE = "farmers_cooperative"


def _rate(given: dict[str, str] | None, field: str, default: str) -> str:
    if given is None:
        return default
    if not isinstance(given, dict):
        raise InvalidDistribution("an object with rate", field=field)
    unknown = sorted(set(given) - {"rate"})
    if unknown:
        raise InvalidDistribution("rate only", field=f"{field}.{unknown[0]}")
    return given.get("rate", default)


class SurplusCommands:
    def __init__(self, store: Store, *, books: BooksCommands, register: RegisterCommands,
                 distribution: DistributionCommands, clock: Callable[[], date]) -> None:
        self.store = store
        self.books = books
        self.register = register
        self.distribution = distribution
        self.clock = clock

    def fund_on(self, org: str, day: date) -> int:
        """311 专项基金's credit balance at the end of `day`: today's balance less what vouchers
        dated after `day` moved (voucher numbers run by month, so only those months are read)."""
        books = self.books.of(org)
        balance = -books.balance_within(FUND)
        first = str(Period.of(day))
        for period, count in books.counters.items():
            if period < first:
                continue
            for n in range(1, count + 1):
                voucher = self.books.voucher(org, f"{period}-{n:04d}")
                if voucher.date > day:
                    balance += sum(line.net_debit for line in voucher.line_items
                                   if line.account.startswith(FUND))
        return max(balance, 0)

    def sharers(self, org: str, year: int, on: date) -> list[Sharer]:
        """Each member on the roll at any time in `year`, with trade vᵢ and weight wᵢ."""
        roll = self.register.member_roll(org)
        start, end = date(year, 1, 1), date(year, 12, 31)
        numbers = [p.number for p in roll.members.values()
                   if p.confirmed_on <= end and (p.ended_on is None or p.ended_on >= start)]
        trades = self.register.trade_book(org, year, "").volumes
        funds = equal_shares([f"member:{n}" for n in numbers], self.fund_on(org, on))
        found = []
        for number in numbers:
            account = self.register.member_account(org, number, "")
            weight = (account.contributed_by(on) + account.reserve_share_before(year)
                      + funds[f"member:{number}"])
            found.append(Sharer(f"member:{number}", trades.get(number, 0), weight))
        return found

    def preview(self, org: str, *, year: int, record_date: date | None,
                reserve: dict[str, str] | None = None,
                trade_return: dict[str, str] | None = None) -> SurplusPlan:
        """The plan as it would be drafted now, every member's line in it; nothing written."""
        books = self.books.of(org)
        organization = self.books.organization(org)
        if organization.kind != COOPERATIVE:
            raise InvalidDistribution("a village shares its income by shares: send to_members",
                                      field="trade_return")
        if type(year) is not int or year < books.books_start.year:
            raise InvalidDistribution(f"a year from {books.books_start.year}", field="year")
        if self.clock() <= date(year, 12, 31):
            raise InvalidDistribution(f"{year} has not ended; its surplus is shared after "
                                      "12-31", field="year")
        on = record_date or date(year, 12, 31)
        if on.year != year:
            raise InvalidDistribution(f"a day of {year}", field="record_date")
        reserve_rate = _rate(reserve, "reserve", organization.text_setting("surplus_reserve_rate"))
        trade_rate = _rate(trade_return, "trade_return",
                           organization.text_setting("trade_return_rate"))
        figures = year_figures(books, year, lambda number: self.books.voucher(org, number))
        if figures.already_distributed:
            raise InvalidDistribution(
                f"{year} already has {format_fen(figures.already_distributed)} posted to 332 "
                "各项分配 outside a plan; reverse it before drafting the plan", field="year",
                already_distributed=format_fen(figures.already_distributed))
        return draft_surplus_plan(
            year=year, net_income=figures.net_income,
            undistributed_at_start=figures.undistributed_at_start, reserve_rate=reserve_rate,
            trade_return_rate=trade_rate, sharers=self.sharers(org, year, on))

    def draft(self, org: str, *, year: int, record_date: date | None, matter: str,
              reserve: dict[str, str] | None = None, trade_return: dict[str, str] | None = None,
              actor: str, request: RequestKey | None = None) -> Outcome[Distribution]:
        def decide() -> Decision[Distribution]:
            plan = self.preview(org, year=year, record_date=record_date, reserve=reserve,
                                trade_return=trade_return)
            self.distribution.check_matter(org, matter)
            plans = list(self.distribution.of_year(org, year))
            refuse_standing(plans)
            roll = self.register.member_roll(org)
            lines = [surplus_line(line, roll.members[line.holder.partition(":")[2]].name, code)
                     for line, code in zip(plan.lines, draw_codes(len(plan.lines)), strict=True)]
            distribution = Distribution.draft(
                org=org, number=f"{year}-{len(plans) + 1}", year=year,
                record_date=record_date or date(year, 12, 31), matter=matter,
                terms=surplus_terms(plan), figures=surplus_figures(plan), lines=lines,
                collective=None, actor=actor)
            return distribution, [distribution]

        return self.store.write(f"{org}/distributions/{year}", request, actor, decide)

    def now(self, distribution: Distribution) -> tuple[dict[str, int], list[dict[str, Any]]]:
        """A cooperative plan's figures and lines computed now with its own terms, for the
        distribution to compare before the plan is decided or posted."""
        plan = self.preview(distribution.org, year=distribution.year,
                            record_date=distribution.record_date,
                            reserve={"rate": distribution.terms["reserve.rate"]},
                            trade_return={"rate": distribution.terms["trade_return.rate"]})
        return surplus_figures(plan), [surplus_line(line, "", "") for line in plan.lines]

    # -- one door for either kind: the API sends any plan here ----------------------------------

    def is_cooperative(self, org: str) -> bool:
        return self.books.organization(org).kind == COOPERATIVE

    def _route(self, org: str, terms: dict[str, Any]) -> dict[str, Any]:
        """The terms the organization's kind takes; a term of the other kind refused by name."""
        foreign = ("to_members", "collective_share") if self.is_cooperative(org) else (
            "trade_return",)
        for name in foreign:
            if terms.get(name) is not None:
                kind = "a cooperative" if self.is_cooperative(org) else "a village collective"
                raise InvalidDistribution(f"not for {kind}'s plan", field=name)
        return {k: v for k, v in terms.items() if k not in foreign}

    def preview_plan(self, org: str, **terms: Any) -> Any:
        """A village's Plan or a cooperative's SurplusPlan, as the organization's kind has it."""
        given = self._route(org, terms)
        if type(given.get("year")) is int:
            refuse_standing(list(self.distribution.of_year(org, given["year"])))
        if self.is_cooperative(org):
            return self.preview(org, **given)
        return self.distribution.preview(org, **given)

    def draft_plan(self, org: str, *, matter: str, actor: str,
                   request: RequestKey | None = None, **terms: Any) -> Outcome[Distribution]:
        given = self._route(org, terms)
        if self.is_cooperative(org):
            return self.draft(org, matter=matter, actor=actor, request=request, **given)
        return self.distribution.draft(org, matter=matter, actor=actor, request=request, **given)


def surplus_terms(plan: SurplusPlan) -> dict[str, str]:
    return {"scheme": SCHEME, "reserve.rate": str(plan.reserve_rate),
            "trade_return.rate": str(plan.trade_return_rate)}


def surplus_figures(plan: SurplusPlan) -> dict[str, int]:
    """The figures in fen, under the names a village plan uses where they mean the same."""
    return {"net_income": plan.net_income,
            "undistributed_at_start": plan.undistributed_at_start,
            "loss_covered": plan.loss_covered,
            "reserve_base": max(plan.net_income - plan.loss_covered, 0),
            "reserve": plan.reserve, "accumulation": plan.reserve,
            "distributable": plan.distributable, "trade_return": plan.trade_return,
            "remaining": plan.remaining, "to_members": plan.distributable,
            "already_distributed": 0,
            "undistributed_at_end": (plan.undistributed_at_start + plan.net_income
                                     - plan.reserve - plan.distributable)}


def surplus_line(line: Any, name: str, code: str) -> dict[str, Any]:
    """A member's line; `shares` carries the weight so the village's readers still read it,
    and the slip code (no two of a plan alike) finds the line on a phone as a household's does."""
    return {"holder": line.holder, "kind": "member", "name": name, "shares": line.weight,
            "amount": line.amount, "code": code,
            "trade": line.trade, "weight": line.weight, "return": line.trade_return,
            "remaining": line.remaining}
