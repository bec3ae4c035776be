"""A cooperative member's account (成员账户, Farmers' Professional Cooperatives Law Art. 43): the
capital contributed (股金) in money or in kind at an agreed value, the public reserve quantified
to the member (公积金份额), and the member's notice of exit, which takes effect at a year end
at least the notice period (3 months by default) after it is given (Art. 25).
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from ledger.kernel.aggregate import LedgerAggregate, stable_id
from ledger.kernel.money import MAX_FEN
from ledger.kernel.topics import stored_as
from ledger.register.errors import InvalidMemberAccount, MemberAccountStateError

FORMS = ("money", "kind")


def exit_effective(notified: date, notice_months: int) -> date:
    """The year end the exit takes effect: this one if the notice came early enough, else the
    next. Art. 25 asks for notice three months before the year end."""
    month = 12 - notice_months
    deadline_year, deadline_month = (notified.year, month) if month >= 1 else (
        notified.year - 1, month + 12)
    # Notice on or before the last day of the deadline month is early enough: 30 September for
    # three months.
    if (notified.year, notified.month) <= (deadline_year, deadline_month):
        return date(notified.year, 12, 31)
    return date(notified.year + 1, 12, 31)


@stored_as("ledger.member_accounts")
class MemberAccount(LedgerAggregate):
    class Opened(LedgerAggregate.Created):
        org: str
        member: str

    class ContributionMade(LedgerAggregate.Event):
        # The second version keeps the part booked to 股金 apart from the agreed value (the rest
        # went to 资本公积, 2021 Art. 40), and the asset account the books debited.
        class_version = 2
        on: date
        form: str
        amount: int  # money, or the agreed value of what was brought in kind
        description: str  # what was brought in kind and how it was valued
        voucher: str  # the generated voucher's number ("" when the books are kept elsewhere)
        share_capital: int  # the part counted as the member's 出资额 (booked to 股金)
        account: str  # the asset debited; "" when no voucher was posted here

        @staticmethod
        def upcast_v1_v2(state: dict[str, object]) -> None:
            # Before, the whole agreed value was the member's capital and nothing was posted.
            state["share_capital"] = state["amount"]
            state["account"] = ""

        def apply(self, account: MemberAccount) -> None:
            account.contributed += self.share_capital
            account.contributions.append((self.on, self.share_capital))
            account.last_voucher = self.voucher

    class ReserveShareQuantified(LedgerAggregate.Event):
        year: int
        amount: int

        def apply(self, account: MemberAccount) -> None:
            account.reserve_share += self.amount
            account.reserve_years.add(self.year)
            account.reserve_by_year[self.year] = self.amount

    class ExitNotified(LedgerAggregate.Event):
        on: date
        effective: date
        document: str

        def apply(self, account: MemberAccount) -> None:
            account.exit_notified = self.on
            account.exit_effective = self.effective

    def __init__(self, org: str, member: str, actor: str) -> None:
        self.org = org
        self.member = member
        self.contributed = 0
        self.reserve_share = 0
        self.reserve_years: set[int] = set()
        self.contributions: list[tuple[date, int]] = []  # (day, fen), as contributed
        self.reserve_by_year: dict[int, int] = {}
        self.last_voucher = ""  # of the last contribution: what the command answers with
        self.exit_notified: date | None = None
        self.exit_effective: date | None = None

    @staticmethod
    def id_for(org: str, member: str) -> UUID:
        return stable_id("member-account", org, member)

    @classmethod
    def open(cls, *, org: str, member: str, actor: str) -> MemberAccount:
        return cls._create(cls.Opened, id=cls.id_for(org, member), org=org, member=member,
                           actor=actor)

    def contributed_by(self, day: date) -> int:
        """出资额 on `day`: the capital contributed on or before it (fen)."""
        return sum(amount for on, amount in self.contributions if on <= day)

    def reserve_share_before(self, year: int) -> int:
        """公积金份额 at the start of `year`: the reserve quantified for the years before it."""
        return sum(amount for y, amount in self.reserve_by_year.items() if y < year)

    def contribute(self, *, on: date, form: str, amount: int, description: str, voucher: str,
                   actor: str, share_capital: int | None = None, account: str = "") -> None:
        """`share_capital`, the part counted as 出资额, is the whole `amount` unless less was
        agreed; the rest is 资本公积 and no one's capital."""
        description, share_capital = self.check_contribution(
            on=on, form=form, amount=amount, description=description,
            share_capital=share_capital)
        self.trigger_event(self.ContributionMade, on=on, form=form, amount=amount,
                           description=description, voucher=voucher,
                           share_capital=share_capital, account=account, actor=actor)

    def check_contribution(self, *, on: date, form: str, amount: int, description: str,
                           share_capital: int | None) -> tuple[str, int]:
        """The contribution's rules, checked before its voucher is drafted: the description
        trimmed, and the part booked to 股金."""
        if form not in FORMS:
            raise InvalidMemberAccount("money or kind", field="form")
        if type(amount) is not int or not 0 < amount <= MAX_FEN:
            raise InvalidMemberAccount("a whole number of fen above zero", field="amount")
        share_capital = amount if share_capital is None else share_capital
        if type(share_capital) is not int or not 0 < share_capital <= amount:
            raise InvalidMemberAccount("above zero and at most the agreed value (amount)",
                                       field="share_capital")
        description = (description or "").strip()
        if form == "kind" and not description:
            raise InvalidMemberAccount("what was brought and how its value was agreed",
                                       field="description")
        if len(description) > 200:
            raise InvalidMemberAccount("at most 200 characters", field="description")
        self._check_not_leaving(on)
        return description, share_capital

    def quantify_reserve(self, *, year: int, amount: int, drawn: int | None, quantified: int,
                         actor: str) -> None:
        """`drawn`: the reserve there is to quantify (Art. 42: for a year kept here, the credit to
        322 盈余公积 by its posted plan), of which `quantified` is given to the members already;
        what is left bounds the member's share. None only where the books are kept elsewhere."""
        if type(year) is not int or not 1980 <= year <= 2200:
            raise InvalidMemberAccount("a year", field="year")
        if year in self.reserve_years:
            raise MemberAccountStateError(f"the reserve of {year} is quantified already",
                                          field="year")
        if type(amount) is not int or not 0 <= amount <= MAX_FEN:
            raise InvalidMemberAccount("a whole number of fen, zero or more", field="amount")
        left = None if drawn is None else max(drawn - quantified, 0)
        if left is not None and amount > left:
            raise InvalidMemberAccount(
                f"at most {left} fen: the reserve to quantify for {year} (322 盈余公积) is "
                f"{drawn} fen, of which {quantified} fen is quantified to members already",
                field="amount", left=left, drawn=drawn, quantified=quantified)
        self.trigger_event(self.ReserveShareQuantified, year=year, amount=amount, actor=actor)

    def notify_exit(self, *, on: date, notice_months: int, document: str, actor: str) -> date:
        if self.exit_notified is not None:
            raise MemberAccountStateError(
                f"notice was given on {self.exit_notified.isoformat()}", field="on")
        document = (document or "").strip()
        if not document or len(document) > 100:
            raise InvalidMemberAccount("the written notice (退社申请) it rests on",
                                       field="document")
        effective = exit_effective(on, notice_months)
        self.trigger_event(self.ExitNotified, on=on, effective=effective, document=document,
                           actor=actor)
        return effective

    def _check_not_leaving(self, on: date) -> None:
        if self.exit_notified is not None and on >= self.exit_notified:
            raise MemberAccountStateError("the member has given notice of exit", field="on")
