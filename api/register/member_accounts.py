"""A farmers' cooperative's member accounts (成员账户, Art. 43): capital contributed in money or in
kind, the public reserve quantified to each member, and notice of exit effective at a year end;
its trade with members and with non-members, always apart (Art. 41); and every member's or
household's balance with the organization, from the voucher lines that name them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from api.auth import KEEP_BOOKS, READ_BOOKS, actor, rule
from api.common import page_from, paged, reading, require_org, written
from api.common_schemas import PageQuery, WriteQuery
from api.cooperative.reading import member_account
from api.cooperative.schemas import MemberStatementOut
from api.idempotency import request_key
from api.register.members import register_reading
from api.register.share_schemas import (
    AccountChangeOut,
    ContributionIn,
    ExitIn,
    MemberAccountPage,
    MemberAccountQuery,
    PartyBalanceList,
    PartyBalanceQuery,
    ReserveShareIn,
    TradeIn,
    TradeOut,
    TradePage,
    TradeQuery,
)
from api.services import services
from ledger.register import MemberAccount
from projections.books.queries import Page
from projections.register.queries import RegisterReader

blp = Blueprint("member_accounts", __name__, url_prefix="/api/v1/orgs/<org>",
                description="成员账户 and 交易记录 of a farmers' cooperative, and each member's or "
                            "household's balance with the organization.")
WHOLE_ROLL = Page(1, 1_000_000)


def _account_change(account: MemberAccount, document: str = "",
                    voucher: str = "") -> dict[str, Any]:
    notified = account.exit_notified is not None
    return {"number": account.member, "voucher": voucher, "contributed": account.contributed,
            "reserve_share": account.reserve_share,
            "exit": {"notified": account.exit_notified, "effective": account.exit_effective,
                     "document": document} if notified else None}


@blp.route("/member-accounts")
class MemberAccounts(MethodView):
    @rule(READ_BOOKS)
    @blp.arguments(PageQuery, location="query")
    @blp.response(200, MemberAccountPage)
    def get(self, query: dict[str, Any], org: str) -> dict[str, Any]:
        """Every member with an account or trade: capital, reserve share, trade, exit"""
        page = page_from(query)
        with register_reading(query["after"], org) as reader:
            rows, total = reader.member_accounts(org, page)
        return paged(rows, total, page)


@blp.route("/member-accounts/<number>")
class OneMemberAccount(MethodView):
    @rule(READ_BOOKS)
    @blp.arguments(MemberAccountQuery, location="query")
    @blp.response(200, MemberStatementOut)
    def get(self, query: dict[str, Any], org: str, number: str) -> dict[str, Any]:
        """A member's account: each contribution (股金 and 资本公积 parts, voucher), the reserve
        and the special fund shares by year, the trade volume by year and by product, each
        trade, and the member's distribution lines (of one year, or of every year)"""
        return member_account(org, number, year=query["year"], after=query["after"])


@blp.route("/member-accounts/<number>/contributions")
class Contributions(MethodView):
    @rule(KEEP_BOOKS)
    @blp.arguments(ContributionIn, example={"on": "2026-03-01", "form": "kind",
                                            "amount": "8000.00", "share_capital": "6000.00",
                                            "account": "142",
                                            "description": "耕牛一头，成员大会评估作价8000元"})
    @blp.arguments(WriteQuery, location="query", as_kwargs=True)
    @blp.response(201, AccountChangeOut, example={
        "number": "0003", "voucher": "2026-03-0004", "contributed": "6000.00",
        "reserve_share": "0.00", "exit": None})
    def post(self, data: dict[str, Any], wait: bool, org: str, number: str) -> Any:
        """Record capital contributed (出资), in money or in kind at its agreed value, and post
        it: Dr the asset / Cr 301 股金 with the member as party, any rest Cr 321 资本公积
        (2021 Art. 40); the answer names the generated voucher"""
        outcome = services().ledger.member_accounts.record_contribution(
            org, number, **data, actor=actor(), request=request_key())
        account = outcome.value
        return written(outcome, _account_change(account, voucher=account.last_voucher), 201,
                       wait)


@blp.route("/member-accounts/<number>/reserve-shares")
class ReserveShares(MethodView):
    @rule(KEEP_BOOKS)
    @blp.arguments(ReserveShareIn, example={"year": 2026, "amount": "320.00"})
    @blp.arguments(WriteQuery, location="query", as_kwargs=True)
    @blp.response(201, AccountChangeOut)
    def post(self, data: dict[str, Any], wait: bool, org: str, number: str) -> Any:
        """Quantify a year's public reserve to the member (公积金份额), once a year: all the
        members' shares of a year together at most the reserve drawn from its surplus by its
        posted plan (Cr 322 盈余公积); beyond it 422 on `amount`, saying how much is left"""
        outcome = services().ledger.member_accounts.quantify_reserve_share(
            org, number, **data, actor=actor(), request=request_key())
        return written(outcome, _account_change(outcome.value), 201, wait)


@blp.route("/member-accounts/<number>/exit")
class Exit(MethodView):
    @rule(KEEP_BOOKS)
    @blp.arguments(ExitIn, example={"on": "2026-09-10", "document": "退社申请书"})
    @blp.arguments(WriteQuery, location="query", as_kwargs=True)
    @blp.response(201, AccountChangeOut)
    def post(self, data: dict[str, Any], wait: bool, org: str, number: str) -> Any:
        """Record a member's notice of exit; it takes effect at the year end the notice period
        reaches (Art. 25), and the answer says which day that is"""
        outcome = services().ledger.register.notify_exit(org, number, on=data["on"],
                                                         document=data["document"], actor=actor(),
                                                         request=request_key())
        return written(outcome, _account_change(outcome.value, data["document"]), 201, wait)


@blp.route("/trades")
class Trades(MethodView):
    @rule(READ_BOOKS)
    @blp.arguments(TradeQuery, location="query")
    @blp.response(200, TradePage)
    def get(self, query: dict[str, Any], org: str) -> dict[str, Any]:
        """Trade with members, or with non-members, never mixed; oldest first"""
        page = page_from(query)
        with register_reading(query["after"], org) as reader:
            rows, total = reader.trades(org, page=page, year=query["year"],
                                        party=query["party"])
        return paged(rows, total, page)

    @rule(KEEP_BOOKS)
    @blp.arguments(TradeIn, example={"on": "2026-10-08", "member": "0003",
                                     "direction": "sold_to_cooperative", "product": "稻谷",
                                     "quantity": "1250.5", "unit": "公斤",
                                     "amount": "3501.40", "settlement": "114"})
    @blp.arguments(WriteQuery, location="query", as_kwargs=True)
    @blp.response(201, TradeOut, example={
        "on": "2026-10-08", "member": "0003", "counterparty": "",
        "direction": "sold_to_cooperative", "product": "稻谷", "quantity": "1250.5",
        "unit": "公斤", "amount": "3501.40", "voucher": "2026-10-0012"})
    def post(self, data: dict[str, Any], wait: bool, org: str) -> Any:
        """Record a purchase from or a sale to a member (by number) or a non-member (by
        name); with a settlement, post it in the same write, member and non-member trade to
        their own sub-accounts (Art. 41). The answer names the generated voucher"""
        outcome = services().ledger.member_accounts.record_trade(org, **data, actor=actor(),
                                                                 request=request_key())
        # The book keeps the quantity as the decimal it parsed, so the answer does too.
        return written(outcome, {**data, "quantity": str(Decimal(data["quantity"])),
                                 "voucher": outcome.value.last_voucher}, 201, wait)


@blp.route("/party-balances")
class PartyBalances(MethodView):
    @rule(READ_BOOKS)
    @blp.arguments(PartyBalanceQuery, location="query")
    @blp.response(200, PartyBalanceList)
    def get(self, query: dict[str, Any], org: str) -> dict[str, Any]:
        """Each member's or household's balance with the organization on a day, by account,
        from the voucher lines that name them, with the member's or the head's name"""
        with reading(query["after"]) as books:
            require_org(books, org)
            rows = books.party_balances(org, party=query["party"], on=query["on"])
            position = books.position()
        with services().members.read() as reader:
            names = _names(reader, org, {row["party"] for row in rows}, query["on"])
        return {"on": query["on"], "items": _by_party(rows, names), "position": position}


def _names(reader: RegisterReader, org: str, parties: Iterable[str],
           on: date | None) -> dict[str, str]:
    """The member's name, or the name of the household's head on the day."""
    refs = [party.split(":", 1) for party in parties]
    names: dict[str, str] = {}
    if any(kind == "member" for kind, _ in refs):
        members, _ = reader.roll(org, page=WHOLE_ROLL, status="all")
        names = {f"member:{m['number']}": m["name"] for m in members}
    for kind, ref in refs:
        if kind == "household":
            found = reader.household(org, ref, on=on)
            names[f"household:{ref}"] = found["head_name"] if found else ""
    return names


def _by_party(rows: list[dict[str, Any]], names: dict[str, str]) -> list[dict[str, Any]]:
    grouped: dict[str, dict[str, Any]] = {}
    for row in rows:
        party = row["party"]
        kind, _, ref = party.partition(":")
        entry = grouped.setdefault(party, {"party": party, "kind": kind, "ref": ref,
                                           "name": names.get(party, ""), "balance": 0,
                                           "accounts": []})
        entry["balance"] += row["balance"]
        entry["accounts"].append({k: row[k] for k in ("account", "account_name", "debit",
                                                      "credit", "balance")})
    return list(grouped.values())
