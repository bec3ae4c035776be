"""The commands of a cooperative that keeps its books here: a member's contribution and a trade,
each posted in the same write as the member account or the trade book, so that the books and
the member's account never disagree (财会〔2021〕37号, 2017 Law Art. 40, 41, 43); and a member's
share of a year's reserve, which with the other members' shares of that year stays within the
reserve the year's posted surplus plan drew (Art. 42). A cooperative
registered with chart "" keeps only its register, and these fall back to the register's commands
that post nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from ledger.books import NO_BOOKS, BooksCommands, BooksNotKept, post
from ledger.cooperative.contributions import check_contribution_account, contribution_draft
from ledger.cooperative.surplus_commands import SCHEME
from ledger.cooperative.trading import check_settlement, trade_account, trade_draft
from ledger.distribution import PAID, POSTED, DistributionCommands
from ledger.kernel.idempotency import RequestKey
from ledger.kernel.writing import Decision, Outcome, Store
from ledger.register import InvalidMemberAccount, MemberAccount, RegisterCommands, TradeBook

RESERVE = "322"  # 盈余公积


class MemberAccountCommands:
    def __init__(self, store: Store, *, books: BooksCommands, register: RegisterCommands,
                 distribution: DistributionCommands, clock: Callable[[], date]) -> None:
        self.store = store
        self.books = books
        self.register = register
        self.distribution = distribution
        self.clock = clock

    def _keeps_books(self, org: str) -> bool:
        return self.books.organization(org).chart != NO_BOOKS

    def record_contribution(self, org: str, member: str, *, on: date, form: str, amount: int,
                            share_capital: int | None = None, account: str = "",
                            description: str = "", voucher: str = "", actor: str,
                            request: RequestKey | None = None) -> Outcome[MemberAccount]:
        """Dr the asset / Cr 301 股金 (the member as party) [/ Cr 321 资本公积], and the member's
        account, in one write; the voucher's number is generated, never typed."""
        if not self._keeps_books(org):
            if share_capital not in (None, amount) or account:
                raise BooksNotKept("this cooperative keeps only its register here: nothing is "
                                   "posted, so no account or share capital part is taken",
                                   code=org)
            return self.register.record_contribution(
                org, member, on=on, form=form, amount=amount, description=description,
                voucher=voucher, actor=actor, request=request)
        if voucher:
            raise InvalidMemberAccount("the voucher is generated when the contribution is "
                                       "posted; leave it out", field="voucher")

        def decide() -> Decision[MemberAccount]:
            self.register.check_cooperative_member(org, member)
            account_ = self.register.member_account(org, member, actor)
            description_, capital = account_.check_contribution(
                on=on, form=form, amount=amount, description=description,
                share_capital=share_capital)
            books = self.books.of(org)
            debited = check_contribution_account(books, form, account)
            name = self.register.member_roll(org).member(member).name
            draft = contribution_draft(books, member=member, name=name, on=on, form=form,
                                       amount=amount, share_capital=capital, account=debited,
                                       description=description_)
            posted = post(self.books.organization(org), books, draft, today=self.clock(),
                          actor=actor, generated=True)
            account_.contribute(on=on, form=form, amount=amount, description=description_,
                                voucher=posted.voucher.number, share_capital=capital,
                                account=debited, actor=actor)
            return account_, [account_, books, *posted.changed]

        return self.store.write(org, request, actor, decide)

    def reserve_to_quantify(self, org: str, year: int) -> tuple[int, int]:
        """(The reserve there is to quantify for `year`, what of it the members have already).
        A year kept here: what its posted surplus plan credited to 322 盈余公积 (Dr 332 / Cr 322,
        Art. 44), nothing before the plan is posted, against that year's shares. A year before
        the books start here: the reserve is in 322's balance, against every year's shares."""
        start = self.books.of(org).books_start.year
        if year < start:
            balance = -self.books.of(org).balance_within(RESERVE)
            return max(balance, 0), self.register.reserve_quantified(org, lambda _: True)
        quantified = self.register.reserve_quantified(org, lambda y: y == year)
        plan = self.distribution.standing(org, year)
        if plan is None or plan.status not in (POSTED, PAID) or (
                plan.terms.get("scheme") != SCHEME):
            return 0, quantified
        return int(plan.figures["reserve"]), quantified

    def quantify_reserve_share(self, org: str, member: str, *, year: int, amount: int,
                               actor: str,
                               request: RequestKey | None = None) -> Outcome[MemberAccount]:
        """公积金份额 (Art. 42–43): the members' shares at most the reserve there is to
        quantify; a cooperative keeping only its register here has that reserve in books kept
        elsewhere, and the share is recorded as given."""
        if not self._keeps_books(org):
            return self.register.quantify_reserve_share(org, member, year=year, amount=amount,
                                                        actor=actor, request=request)
        return self.register.quantify_reserve_share(
            org, member, year=year, amount=amount, actor=actor, request=request,
            reserve=lambda: self.reserve_to_quantify(org, year))

    def record_trade(self, org: str, *, on: date, direction: str, product: str,
                     quantity: str, unit: str, amount: int, member: str = "",
                     counterparty: str = "", settlement: str = "", account: str = "",
                     voucher: str = "", actor: str,
                     request: RequestKey | None = None) -> Outcome[TradeBook]:
        """The trade in the trade book, and when it is settled (cash, bank, or 114 成员往来 for
        a member) its voucher, in one write; without a settlement it is recorded only."""
        if not self._keeps_books(org):
            if settlement or account:
                raise BooksNotKept("this cooperative keeps only its register here: a trade is "
                                   "recorded, not posted", code=org)
            return self.register.record_trade(
                org, on=on, direction=direction, product=product, quantity=quantity, unit=unit,
                amount=amount, member=member, counterparty=counterparty, voucher=voucher,
                actor=actor, request=request)
        if voucher:
            raise InvalidMemberAccount("the voucher is generated when the trade is posted; "
                                       "leave it out", field="voucher")
        if account and not settlement:
            raise InvalidMemberAccount("a trade recorded without a settlement posts nothing; "
                                       "give the settlement, or leave the account out",
                                       field="settlement")

        def decide() -> Decision[TradeBook]:
            self.register.check_trading(org, member)
            book = self.register.trade_book(org, on.year, actor)
            trade = book.check_trade(on=on, member=member, counterparty=counterparty,
                                     direction=direction, product=product, quantity=quantity,
                                     unit=unit, amount=amount)
            if not settlement:
                book.record(**trade, voucher="", actor=actor)
                return book, [book]
            books = self.books.of(org)
            check_settlement(books, settlement, member)
            counter = trade_account(books, direction, account, member)
            who = (f"成员{member}{self.register.member_roll(org).member(member).name}"
                   if member else trade["counterparty"])
            draft = trade_draft(**{k: trade[k] for k in ("on", "member", "direction", "product",
                                                           "quantity", "unit", "amount")},
                                who=who, settlement=settlement, account=counter)
            posted = post(self.books.organization(org), books, draft, today=self.clock(),
                          actor=actor, generated=True)
            book.record(**trade, voucher=posted.voucher.number, actor=actor)
            return book, [book, books, *posted.changed]

        return self.store.write(org, request, actor, decide)
