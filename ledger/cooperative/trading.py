"""Trade posted to the books: a sale by the cooperative (bought_from_cooperative) is Dr the
settlement / Cr 经营收入, a purchase (sold_to_cooperative) Dr 产品物资 or the account named /
Cr the settlement. Trade with members and with non-members goes to different sub-accounts —
50101/50102, 52101/52102 — because the surplus is returned by members' trade alone (2017 Law
Art. 41, 44). The settlement is cash, a bank account, or for a member 114 成员往来.
"""

from __future__ import annotations

from datetime import date

from ledger.books import Books, Line, VoucherDraft, check_money_account
from ledger.cooperative.contributions import member_party
from ledger.register import InvalidMemberAccount

MEMBER_ACCOUNT = "114"  # 成员往来
REVENUE, OTHER_INCOME, EXPENSE = "501", "502", "521"
# Member and non-member sub-accounts of 经营收入 and 经营支出 (Art. 41).
APART = {REVENUE: ("50101", "50102"), EXPENSE: ("52101", "52102")}
DEFAULT_PURCHASE = "121"  # 产品物资
PARTY_ACCOUNTS = (MEMBER_ACCOUNT, "50101", "52101")


def check_settlement(books: Books, settlement: str, member: str) -> None:
    if settlement.startswith(MEMBER_ACCOUNT):
        if not member:
            raise InvalidMemberAccount("114 成员往来 settles trade with members only; a "
                                       "non-member settles in cash or through the bank",
                                       field="settlement")
        books.check_account(settlement, "settlement")
        return
    check_money_account(books, settlement, "settlement", InvalidMemberAccount)


def _apart(books: Books, root: str, account: str, member: str) -> str:
    """501 or 521 itself means the member's or non-member's sub-account; a sub-account of the
    other side is refused, so member and non-member trade never mix."""
    ours, theirs = APART[root] if member else tuple(reversed(APART[root]))
    if account == root and root not in _leaves(books):
        return ours
    if account.startswith(theirs):
        who = "a member" if member else "a non-member"
        raise InvalidMemberAccount(f"trade with {who} goes to {ours}, not {theirs} (Art. 41)",
                                   field="account", account=account)
    return account


def _leaves(books: Books) -> set[str]:
    return {code for code, state in books.accounts.items() if state["leaf"]}


def trade_account(books: Books, direction: str, account: str, member: str) -> str:
    """The counter account of the trade, checked: what was sold is income of 501 or 502; what
    was bought is an asset, a cost or an expense."""
    if direction == "bought_from_cooperative":
        account = account or REVENUE
        if not (account.startswith(REVENUE) or account.startswith(OTHER_INCOME)):
            raise InvalidMemberAccount("a sale is income of 501 经营收入 or 502 其他收入",
                                       field="account", account=account)
        if account.startswith(REVENUE):
            account = _apart(books, REVENUE, account, member)
    else:
        account = account or DEFAULT_PURCHASE
        state = books.accounts.get(account)
        if state is not None and not (
                (state["category"] == "asset" and state["normal_balance"] == "debit"
                 and not any(account.startswith(m) for m in books.chart_spec.money))
                or state["category"] in ("cost", "expense")):
            raise InvalidMemberAccount("what was bought: an asset such as 121 产品物资, a cost "
                                       "(401) or an expense (521)", field="account",
                                       account=account)
        if account.startswith(EXPENSE):
            account = _apart(books, EXPENSE, account, member)
    books.check_account(account, "account")
    return account


def trade_draft(*, on: date, member: str, who: str, direction: str, product: str,
                quantity: str, unit: str, amount: int, settlement: str,
                account: str) -> VoucherDraft:
    """The trade's voucher; `settlement` and `account` are checked already. Lines on 114 and on
    the members' sub-accounts name the member."""
    def party(code: str) -> str:
        return member_party(member) if member and code.startswith(PARTY_ACCOUNTS) else ""

    memo = f"{product} {quantity}{unit}"
    if direction == "bought_from_cooperative":
        debit, credit = settlement, account
        summary = f"向{who}销售{product}"
    else:
        debit, credit = account, settlement
        summary = f"向{who}收购{product}"
    lines = (Line(debit, debit=amount, memo=memo, party=party(debit)),
             Line(credit, credit=amount, memo=memo, party=party(credit)))
    return VoucherDraft(date=on, summary=summary[:200], lines=lines)
