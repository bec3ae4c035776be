"""The commands of a farmers' cooperative's member accounts (成员账户) and trade: contributions,
each year's quantified reserve share, a member's notice of exit (effective at the first year end
far enough away, when the roll ends the membership), and trade with members and non-members.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from ledger.books import NO_BOOKS
from ledger.kernel.idempotency import RequestKey
from ledger.kernel.writing import Decision, Outcome
from ledger.register.base import RegisterBase
from ledger.register.errors import InvalidMember, InvalidMemberAccount
from ledger.register.member_accounts import MemberAccount
from ledger.register.trades import TradeBook


class CooperativeCommands(RegisterBase):
    def check_cooperative_member(self, org: str, member: str) -> None:
        """That `org` is a cooperative and `member` on its roll."""
        if self.organization(org).kind != "farmers_cooperative":
            raise InvalidMember("member accounts are kept by farmers' cooperatives",
                                field="org")
        self.member_roll(org).member(member)

    def check_trading(self, org: str, member: str) -> None:
        """That `org` is a cooperative, and a member trading with it is on its roll."""
        if member:
            self.check_cooperative_member(org, member)
        elif self.organization(org).kind != "farmers_cooperative":
            raise InvalidMember("trade is recorded by farmers' cooperatives", field="org")

    def record_contribution(self, org: str, member: str, *, on: date,
                            form: str, amount: int, description: str = "", voucher: str = "",
                            actor: str,
                            request: RequestKey | None = None) -> Outcome[MemberAccount]:
        def decide() -> Decision[MemberAccount]:
            self.check_cooperative_member(org, member)
            account = self.member_account(org, member, actor)
            account.contribute(on=on, form=form, amount=amount, description=description,
                               voucher=voucher, actor=actor)
            return account, [account]

        return self.store.write(f"{org}/member-account/{member}", request, actor, decide)

    def reserve_quantified(self, org: str, years: Callable[[int], bool]) -> int:
        """What the reserve shares of those years give all the members on the roll, leavers
        included."""
        return sum(amount for number in self.member_roll(org).members
                   for year, amount in self.member_account(org, number, "").reserve_by_year.items()
                   if years(year))

    def quantify_reserve_share(self, org: str, member: str, *, year: int,
                               amount: int, actor: str, request: RequestKey | None = None,
                               reserve: Callable[[], tuple[int, int]] | None = None,
                               ) -> Outcome[MemberAccount]:
        """The member's share of `year`'s reserve (Art. 42–43), at most what `reserve()` leaves:
        (the reserve there is to quantify, what of it the members have already), read in the
        write's turn — the cooperative's commands read it from the books. Without `reserve`
        only for a cooperative keeping its books elsewhere (chart ""), whose reserve is not
        here to read."""
        def decide() -> Decision[MemberAccount]:
            self.check_cooperative_member(org, member)
            if reserve is None and self.organization(org).chart != NO_BOOKS:
                raise InvalidMemberAccount("this cooperative keeps its books here: its reserve "
                                           "is quantified against what its books drew",
                                           field="org")
            account = self.member_account(org, member, actor)
            drawn, quantified = (None, 0) if reserve is None else reserve()
            account.quantify_reserve(year=year, amount=amount, drawn=drawn,
                                     quantified=quantified, actor=actor)
            return account, [account]

        return self.store.write(f"{org}/member-account/{member}", request, actor, decide)

    def notify_exit(self, org: str, member: str, *, on: date, document: str,
                    actor: str, request: RequestKey | None = None) -> Outcome[MemberAccount]:
        def decide() -> Decision[MemberAccount]:
            self.check_cooperative_member(org, member)
            roll = self.member_roll(org, actor)
            account = self.member_account(org, member, actor)
            effective = account.notify_exit(
                on=on, document=document, actor=actor,
                notice_months=self.organization(org).setting("exit_notice_months"))
            # The roll shows the member until the year end the exit takes effect.
            roll.end(member, on=effective, basis="exit", document=document, resolution="",
                     resolution_date=None, actor=actor)
            return account, [account, roll]

        return self.store.write(f"{org}/members", request, actor, decide)

    def record_trade(self, org: str, *, on: date, direction: str, product: str,
                     quantity: str, unit: str, amount: int, member: str = "",
                     counterparty: str = "", voucher: str = "", actor: str,
                     request: RequestKey | None = None) -> Outcome[TradeBook]:
        def decide() -> Decision[TradeBook]:
            self.check_trading(org, member)
            book = self.trade_book(org, on.year, actor)
            book.record(on=on, member=member, counterparty=counterparty, direction=direction,
                        product=product, quantity=quantity, unit=unit, amount=amount,
                        voucher=voucher, actor=actor)
            return book, [book]

        return self.store.write(f"{org}/trades/{on.year}", request, actor, decide)
