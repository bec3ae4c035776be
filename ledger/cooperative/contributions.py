"""A member's contribution (出资) posted to the books (财会〔2021〕37号): Dr the asset received —
cash or a bank account for money, the asset brought for kind — / Cr 301 股金 for the part agreed
as the member's capital, with the member as the line's party, and Cr 321 资本公积 for the rest of
the agreed value (2017 Law Art. 40). The member's account counts the 股金 part alone.
"""

from __future__ import annotations

from datetime import date

from ledger.books import Books, Line, VoucherDraft, check_money_account
from ledger.register import InvalidMemberAccount

SHARE_CAPITAL, CAPITAL_RESERVE = "301", "321"
DEFAULT_MONEY_ACCOUNT = "101"


def member_party(member: str) -> str:
    """A voucher line's party for a member, as the books name one (member:0003)."""
    return f"member:{member}"


def check_contribution_account(books: Books, form: str, account: str) -> str:
    """The asset the contribution is debited to: a money account for money (101 by default),
    any other asset account for kind, which has no default."""
    spec = books.chart_spec
    if form == "money":
        account = account or DEFAULT_MONEY_ACCOUNT
        check_money_account(books, account, "account", InvalidMemberAccount)
        return account
    if not account:
        raise InvalidMemberAccount("the asset account what was brought is booked to, e.g. 151 "
                                   "固定资产, 121 产品物资, 142 生产性生物资产", field="account")
    if any(account.startswith(m) for m in spec.money):
        raise InvalidMemberAccount("money is contributed with form money; in kind is an asset "
                                   "other than cash or a bank account", field="account")
    state = books.accounts.get(account)
    if state is not None and (state["category"] != "asset"
                              or state["normal_balance"] != "debit"):
        raise InvalidMemberAccount("an asset account (1xx), e.g. 151 固定资产", field="account",
                                   account=account)
    books.check_account(account, "account")
    return account


def contribution_draft(books: Books, *, member: str, name: str, on: date, form: str,
                       amount: int, share_capital: int, account: str,
                       description: str) -> VoucherDraft:
    """The contribution's voucher; `account` is checked already."""
    books.check_account(SHARE_CAPITAL, "share_capital")
    party = member_party(member)
    what = "货币出资" if form == "money" else "实物出资"
    lines = [Line(account, debit=amount, memo=(description or what)[:200]),
             Line(SHARE_CAPITAL, credit=share_capital, memo="股金", party=party)]
    if amount > share_capital:
        books.check_account(CAPITAL_RESERVE, "share_capital")
        lines.append(Line(CAPITAL_RESERVE, credit=amount - share_capital,
                          memo="出资超过股金部分", party=party))
    summary = f"成员{member}{name}{what}"
    return VoucherDraft(date=on, summary=summary, lines=tuple(lines))
