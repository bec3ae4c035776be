"""The commands of the year-end distribution: draft a plan from the books and the share register
on its record date, cancel it, post it in one write (a line per holder), and pay holders.
A plan is decided as a matter reserved to the members' meeting (四议两公开); the meeting may be
recorded only when the plan was disclosed ten days before it (`check_decision`, which the spending
commands call), and the plan is posted only once its matter is decided. Paid from cash, no more
than the till holds."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

from ledger.books import BooksCommands, Voucher, VoucherNotFound, check_money_account, post
from ledger.distribution.allocation import Holding, by_total
from ledger.distribution.distributions import Distribution, refuse_standing
from ledger.distribution.errors import (
    DistributionNotFound,
    DistributionStateError,
    InvalidDistribution,
    MatterUndecided,
    NotDisclosedInTime,
)
from ledger.distribution.figures import year_figures
from ledger.distribution.holdings import (
    holdings_on,
    household_members,
    moved_since,
    name_of,
    payee_of,
)
from ledger.distribution.plan import Plan, ReserveRates, ToHolders, draft_plan
from ledger.distribution.posting import distribution_draft, payment_draft
from ledger.distribution.restating import (
    check_current,
    collective_line,
    plan_figures,
    village_terms,
)
from ledger.distribution.slips import draw_codes
from ledger.kernel.idempotency import RequestKey
from ledger.kernel.writing import Decision, Outcome, Store
from ledger.register import RegisterCommands
from ledger.spending import Matter, SpendingCommands

NOTICE_DAYS = 10  # 2024 Law Art. 46: the plan and the statements open to members 10 days before
# A cooperative's reports are open to its members 15 days before the meeting (2017 Law Art. 40).
COOPERATIVE_NOTICE = (15, "2017 Law Art. 40")
VILLAGE_NOTICE = (NOTICE_DAYS, "2024 Law Art. 46")
COOPERATIVE_SCHEME = "cooperative_surplus"
MAX_REVISIONS = 99
SurplusNow = Callable[[Distribution], tuple[dict[str, int], list[dict[str, Any]]]]


class DistributionCommands:
    def __init__(self, store: Store, *, books: BooksCommands, register: RegisterCommands,
                 spending: SpendingCommands, clock: Callable[[], date],
                 surplus_now: SurplusNow | None = None) -> None:
        self.store = store
        # A cooperative's plan computed now with its own terms (the cooperative's part, above
        # this one, computes it): its figures and its lines.
        self.surplus_now = surplus_now
        self.books = books
        self.register = register
        self.spending = spending
        self.clock = clock

    # -- what commands load -------------------------------------------------------------------

    def distribution(self, org: str, number: str) -> Distribution:
        found = self.store.find(Distribution, Distribution.id_for(org, number))
        if found is None or found.org != org:
            raise DistributionNotFound(f"no distribution {number}", distribution=number)
        return found

    def of_year(self, org: str, year: int) -> Iterator[Distribution]:
        """The year's plans in the order they were drafted, cancelled ones included."""
        for revision in range(1, MAX_REVISIONS + 1):
            found = self.store.find(Distribution, Distribution.id_for(org, f"{year}-{revision}"))
            if found is None:
                return
            yield found

    def standing(self, org: str, year: int) -> Distribution | None:
        return next((d for d in self.of_year(org, year) if d.standing), None)

    # -- the plan -----------------------------------------------------------------------------

    def preview(self, org: str, *, year: int, record_date: date | None,
                reserve: dict[str, str], to_members: dict[str, str],
                collective_share: str | None = None) -> Plan:
        """The plan as it would be drafted now, every holder's amount in it; nothing written."""
        books = self.books.of(org)
        organization = self.books.organization(org)
        if type(year) is not int or year < books.books_start.year:
            raise InvalidDistribution(f"a year from {books.books_start.year}", field="year")
        if self.clock() <= date(year, 12, 31):
            raise InvalidDistribution(f"{year} has not ended; its income is shared after "
                                      "12-31", field="year")
        on = record_date or date(year, 12, 31)
        if on.year != year:
            raise InvalidDistribution(f"a day of {year}", field="record_date")
        minimum = organization.text_setting("reserve_minimum") or None
        figures = year_figures(books, year, lambda number: self.books.voucher(org, number))
        register = self.register.share_register(org)
        if register.quantified_on is None or register.quantified_on > on:
            raise InvalidDistribution("the shares were not quantified by that day",
                                      field="record_date")
        return draft_plan(
            year=year, net_income=figures.net_income,
            undistributed_at_start=figures.undistributed_at_start,
            reserve=ReserveRates.parse(**_only(reserve, "reserve", ("rate", "accumulation_rate",
                                                                    "welfare_rate")),
                                       minimum=minimum),
            to_holders=ToHolders.parse(**_only(to_members, "to_members", ("per_share", "total"))),
            holdings=holdings_on(register, on),
            collective_share=collective_share or organization.text_setting("collective_share"),
            already_distributed=figures.already_distributed)

    def draft(self, org: str, *, year: int, record_date: date | None, reserve: dict[str, str],
              to_members: dict[str, str], collective_share: str | None = None, matter: str,
              actor: str, request: RequestKey | None = None) -> Outcome[Distribution]:
        def decide() -> Decision[Distribution]:
            plan = self.preview(org, year=year, record_date=record_date, reserve=reserve,
                                to_members=to_members, collective_share=collective_share)
            self._check_matter(org, matter)
            plans = list(self.of_year(org, year))
            refuse_standing(plans)
            roll = self.register.member_roll(org)
            register = self.register.share_register(org)
            names = {a.holder: name_of(a.holder, roll, register) for a in plan.lines}
            terms = {**{f"reserve.{k}": v for k, v in reserve.items()},
                     **{f"to_members.{k}": v for k, v in to_members.items()},
                     "collective_share": collective_share
                     or self.books.organization(org).text_setting("collective_share")}
            distribution = Distribution.draft(
                org=org, number=f"{year}-{len(plans) + 1}", year=year,
                record_date=record_date or date(year, 12, 31), matter=matter, terms=terms,
                figures=plan_figures(plan),
                lines=[_line(a, names[a.holder], code) | ({} if names[a.holder] else
                       household_members(a.holder, roll))
                       for a, code in zip(plan.lines, draw_codes(len(plan.lines)), strict=True)],
                collective=None if plan.collective is None else collective_line(plan.collective),
                actor=actor)
            return distribution, [distribution]

        return self.store.write(f"{org}/distributions/{year}", request, actor, decide)

    def cancel(self, org: str, number: str, *, reason: str, actor: str,
               request: RequestKey | None = None) -> Outcome[Distribution]:
        def decide() -> Decision[Distribution]:
            distribution = self.distribution(org, number)
            distribution.cancel(reason=reason, actor=actor)
            return distribution, [distribution]

        return self.store.write(f"{org}/distributions/{number[:4]}", request, actor, decide)

    def check_matter(self, org: str, number: str) -> Matter:
        """The matter a plan names: a distribution matter of this organization."""
        return self._check_matter(org, number)

    def _check_matter(self, org: str, number: str) -> Matter:
        matter = self.spending.matter(org, number)
        if matter.category != "distribution":
            raise InvalidDistribution(f"matter {number} is a {matter.category} matter; a plan is "
                                      "decided as a distribution matter", field="matter")
        return matter

    # -- the decision -------------------------------------------------------------------------

    def check_decision(self, matter: Matter, on: date) -> None:
        """The members' meeting deciding a distribution matter is recorded only when its plan,
        with the year's statements, was disclosed at least ten days before (Art. 46); a
        cooperative's, fifteen days (2017 Law Art. 40)."""
        if matter.category != "distribution":
            return
        plans = [d for year in range(matter.date.year - 2, matter.date.year + 1)
                 for d in self.of_year(matter.org, year)
                 if d.standing and d.matter == matter.number]
        if not plans:
            days, law = self._notice(matter.org)
            raise NotDisclosedInTime(
                f"no distribution plan names matter {matter.number}: draft the plan, and "
                f"disclose it with the year's statements {days} days before the members' "
                f"meeting ({law})", field="date", matter=matter.number)
        self._check_notice(plans[-1], on)
        if plans[-1].status == "drafted":
            self.check_current(plans[-1])

    def notice_days(self, org: str) -> int:
        """Days a plan is disclosed before the members' meeting may decide it."""
        return self._notice(org)[0]

    def _notice(self, org: str) -> tuple[int, str]:
        kind = self.books.organization(org).kind
        return COOPERATIVE_NOTICE if kind == "farmers_cooperative" else VILLAGE_NOTICE

    def _check_notice(self, plan: Distribution, on: date) -> None:
        disclosed = plan.disclosed_on("plan")
        days, law = self._notice(plan.org)
        latest = on - timedelta(days=days)
        if disclosed is None or disclosed > latest:
            when = "was not disclosed" if disclosed is None else \
                f"was disclosed on {disclosed.isoformat()}, {(on - disclosed).days} days before"
            earliest = None if disclosed is None else (disclosed + timedelta(days)).isoformat()
            raise NotDisclosedInTime(
                f"plan {plan.number} with the year's statements {when}; the members' meeting "
                f"may decide it from {days} days after disclosure ({law})",
                field="date", distribution=plan.number, earliest=earliest)

    # -- the posting and the payments ---------------------------------------------------------

    def post(self, org: str, number: str, *, on: date | None = None, actor: str,
             request: RequestKey | None = None) -> Outcome[Distribution]:
        """The plan into the books in one voucher: the reserve, and each holder's amount payable
        to that holder. Dated 12-31 of its year while the year is open, else `on` (today)."""
        def decide() -> Decision[Distribution]:
            distribution = self.distribution(org, number)
            distribution.check_postable()
            matter = self._check_matter(org, distribution.matter)
            if not matter.decided:
                raise MatterUndecided(f"matter {matter.number} is {matter.status}; the "
                                      "members' meeting decides the plan before it is posted",
                                      field="matter", matter=matter.number)
            # A plan drafted again after the meeting was not the plan the meeting decided.
            self._check_notice(distribution, date.fromisoformat(matter.meetings[-1]["date"]))
            if distribution.terms.get("scheme") != COOPERATIVE_SCHEME:
                self._check_register(distribution)
            self.check_current(distribution)
            books = self.books.of(org)
            organization = self.books.organization(org)
            closed = books.closed_year is not None and distribution.year <= books.closed_year
            day = (on or self.clock()) if closed else date(distribution.year, 12, 31)
            draft, accounts = distribution_draft(books, organization, distribution, day)
            posted = post(organization, books, draft, today=self.clock(), actor=actor,
                          generated=True)
            distribution.mark_posted(voucher=posted.voucher.number, on=day, accounts=accounts,
                                     actor=actor)
            if distribution.terms.get("scheme") == COOPERATIVE_SCHEME:
                # A cooperative keeps no share register: its plan fixes no record date there.
                changed = self._quantify_reserve(distribution, actor)
            else:
                register = self.register.share_register(org, actor)
                register.fix_record_date(distribution=number, on=distribution.record_date,
                                         actor=actor)
                changed = [register]
            return distribution, [distribution, books, *changed, *posted.changed]

        return self.store.write(org, request, actor, decide)

    def _check_register(self, distribution: Distribution) -> None:
        """The shares decided are the register's on the record date: a movement recorded since
        the plan was drafted, dated on or before that day, makes the disclosed and decided plan
        wrong for those holders, so it is redrafted rather than posted."""
        moved = moved_since(self.register.share_register(distribution.org), distribution)
        if moved:
            raise DistributionStateError(
                f"the share register on {distribution.record_date.isoformat()} changed after "
                f"plan {distribution.number} was drafted ({', '.join(moved)}); cancel it and "
                "draft the plan again", field="record_date", distribution=distribution.number,
                holders=moved)

    def check_current(self, distribution: Distribution) -> None:
        """The plan is still what its terms give now: a voucher of its year, a holder's shares
        or a member's trade recorded since it was drafted makes it refused (409), redrafted."""
        if distribution.terms.get("scheme") == COOPERATIVE_SCHEME:
            if self.surplus_now is None:
                return
            figures, lines = self.surplus_now(distribution)
            check_current(distribution, figures, lines)
            return
        plan = self.preview(distribution.org, **village_terms(distribution))
        check_current(distribution, plan_figures(plan), [
            {"holder": a.holder, "shares": a.shares, "amount": a.amount} for a in plan.lines],
            None if plan.collective is None else collective_line(plan.collective))

    def pay(self, org: str, number: str, *, holders: list[str] | str, paid_from: str,
            on: date, actor: str, request: RequestKey | None = None) -> Outcome[Distribution]:
        """Pay the holders named (or all still unpaid) from cash or a bank account, in one
        voucher; a holder already paid is refused by name, so nobody is paid twice."""
        def decide() -> Decision[Distribution]:
            distribution = self.distribution(org, number)
            chosen = distribution.to_pay(holders)
            books = self.books.of(org)
            check_money_account(books, paid_from, "paid_from", InvalidDistribution)
            if distribution.posted_on is not None and on < distribution.posted_on:
                raise InvalidDistribution(f"on or after {distribution.posted_on.isoformat()}, "
                                          "the day the plan was posted", field="date")
            roll = self.register.member_roll(org)
            paid = [{"holder": h, "amount": a, "payee": payee_of(h, roll, distribution)}
                    for h, a in chosen.items()]
            draft = payment_draft(distribution, paid, paid_from=paid_from, on=on)
            posted = post(self.books.organization(org), books, draft, today=self.clock(),
                          actor=actor, generated=True, pays_from=paid_from)
            distribution.record_payment(voucher=posted.voucher.number, on=on,
                                        paid_from=paid_from, holders=paid, actor=actor)
            return distribution, [distribution, books, *posted.changed]

        return self.store.write(org, request, actor, decide)

    def _quantify_reserve(self, distribution: Distribution, actor: str) -> list[Any]:
        """This year's 盈余公积 quantified to the members' accounts in the posting's write, by
        each member's trade that year (largest remainder; equally when nobody traded) — Art. 42,
        as the model charter (示范章程) rules it."""
        lines = [line for line in distribution.lines if line["kind"] == "member"]
        traded = sum(int(line["trade"]) for line in lines)
        shares = {a.holder: a.amount for a in by_total(
            [Holding(line["holder"], int(line["trade"]) if traded else 1, "member")
             for line in lines], int(distribution.figures["reserve"]))} if lines else {}
        accounts, quantified = [], 0
        for line in lines:
            member = str(line["holder"]).partition(":")[2]
            account = self.register.member_account(distribution.org, member, actor)
            account.quantify_reserve(year=distribution.year, amount=shares[line["holder"]],
                                     drawn=int(distribution.figures["reserve"]),
                                     quantified=quantified, actor=actor)
            quantified += shares[line["holder"]]
            accounts.append(account)
        return accounts

    def voucher(self, org: str, number: str) -> Voucher | None:
        try:
            return self.books.voucher(org, number)
        except VoucherNotFound:
            return None


def _only(given: dict[str, str], field: str, names: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(given, dict):
        raise InvalidDistribution(f"an object with {' or '.join(names)}", field=field)
    unknown = sorted(set(given) - set(names))
    if unknown:
        raise InvalidDistribution(f"one of {', '.join(names)}", field=f"{field}.{unknown[0]}")
    return dict(given)


def _line(allocated: Any, name: str, code: str) -> dict[str, Any]:
    """A holder's line as of the record date: who it was (a household's head), and the short
    code printed on its payment slip, which with the household number finds the household's
    line on a phone; never an ID number. No two lines of a plan share a code (slips.py)."""
    return {"holder": allocated.holder, "kind": allocated.kind, "name": name,
            "shares": allocated.shares, "amount": allocated.amount,
            "code": code}
