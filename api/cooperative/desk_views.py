"""What the cooperative's desk pages show and read: the member accounts list (every member on the
roll, with 出资额, 公积金份额 and trade), one member's account, the trade book, and the forms of a
contribution and a trade read through the JSON routes' schemas. A refusal of these forms is said
in Chinese beside its field: the ledger words its refusals in English for programs.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from flask import request
from werkzeug.datastructures import MultiDict

from api.common import require_org
from api.cooperative.reading import member_account
from api.forms import load_form
from api.i18n import lazy_gettext
from api.refusals import said
from api.register.share_schemas import ContributionIn, TradeIn
from api.services import services
from ledger.kernel.errors import LedgerError
from projections.books.queries import Page

WHOLE = Page(1, 1_000_000)
DIRECTION_LABELS = {"sold_to_cooperative": lazy_gettext("Sold to the cooperative by the member"),
                    "bought_from_cooperative": lazy_gettext("Sold to the member by the "
                                                            "cooperative")}
FORM_LABELS = {"money": lazy_gettext("Money"), "kind": lazy_gettext("In kind")}
SETTLEMENTS = (("101", lazy_gettext("Cash (101)")), ("102", lazy_gettext("Bank (102)")),
               ("114", lazy_gettext("Member current account (114)")),
               ("", lazy_gettext("Not posted (recorded only)")))
# The fields these forms refuse, in the words a Chinese page shows beside them.
REFUSALS = {
    "account": lazy_gettext("This account cannot take it: money into cash or a bank account, "
                            "in kind into an asset account such as 151 or 121; a sale into "
                            "501/502 on the trader's own side (member or non-member)."),
    "settlement": lazy_gettext("Settle in cash (101) or through the bank (102); 114 only for a "
                               "member, and only when the trade is posted."),
    "share_capital": lazy_gettext("Above zero and at most the agreed value."),
    "description": lazy_gettext("Say what was brought and how its value was agreed."),
    "counterparty": lazy_gettext("Choose a member, or type a non-member's name, not both."),
    "quantity": lazy_gettext("A number above zero, such as 1250.5."),
    "amount": lazy_gettext("An amount above zero, such as 1234.50."),
    "on": lazy_gettext("A day of the trade's year, before the member's notice of exit."),
}
FIELD_LABELS = {
    "on": lazy_gettext("Date"), "form": lazy_gettext("Form"), "amount": lazy_gettext("Amount"),
    "share_capital": lazy_gettext("Share capital part"),
    "account": lazy_gettext("Account"), "description": lazy_gettext("Description"),
    "member": lazy_gettext("Member"), "counterparty": lazy_gettext("Non-member's name"),
    "direction": lazy_gettext("Direction"), "product": lazy_gettext("Product"),
    "quantity": lazy_gettext("Quantity"), "unit": lazy_gettext("Unit"),
    "settlement": lazy_gettext("Settlement"), "date": lazy_gettext("Date"),
}


def labels() -> dict[str, Any]:
    return {"direction_labels": DIRECTION_LABELS, "form_labels": FORM_LABELS,
            "settlements": SETTLEMENTS, "field_labels": FIELD_LABELS}


def said_here(error: LedgerError) -> str:
    """The refusal as the page says it: this form's own words for a field it knows."""
    if error.code in ("invalid_member_account", "invalid_request") and error.field in REFUSALS \
            and not error.message.startswith("required"):
        return str(REFUSALS[error.field])
    return said(error)


def today() -> date:
    return services().ledger.clock()


def org_kind(org: str) -> str:
    with services().queries.read() as reader:
        return str(require_org(reader, org)["kind"])


def org_name(org: str) -> str:
    with services().queries.read() as reader:
        return str(require_org(reader, org)["name_zh"])


def accounts_view(org: str) -> dict[str, Any]:
    """Every member on the roll, joined to their account's figures."""
    with services().queries.read() as books:
        organization = require_org(books, org)
    with services().members.read() as reader:
        roll, _ = reader.roll(org, page=WHOLE, status="all")
        rows, _ = reader.member_accounts(org, WHOLE)
    figures = {row["number"]: row for row in rows}
    members = [{"number": m["number"], "name": m["name"], "active": m["active"],
                "contributed": figures.get(m["number"], {}).get("contributed", 0),
                "reserve_share": figures.get(m["number"], {}).get("reserve_share", 0),
                "trade_amount": figures.get(m["number"], {}).get("trade_amount", 0),
                "exit_effective": figures.get(m["number"], {}).get("exit_effective")}
               for m in roll]
    return {"org_name": organization["name_zh"], "members": members,
            "keeps_books": bool(organization["chart"])}


def account_view(org: str, number: str) -> dict[str, Any]:
    year_text = request.args.get("year", "").strip()
    year = int(year_text) if year_text.isdigit() and 1980 <= int(year_text) <= 2200 else None
    account = member_account(org, number, year=year)
    reserve = {r["year"]: r["amount"] for r in account["reserve_share_by_year"]}
    fund = {f["year"]: f["amount"] for f in account["special_fund_share_by_year"]}
    shares = [{"year": y, "reserve": reserve.get(y, 0), "fund": fund.get(y, 0)}
              for y in sorted(set(reserve) | set(fund))]
    return {"a": account, "year": year, "org_name": org_name(org), "shares_by_year": shares}


def contribution_defaults() -> dict[str, str]:
    return {"on": today().isoformat(), "form": "money", "amount": "", "share_capital": "",
            "account": "", "description": "", "key": uuid.uuid4().hex}


def contribution_args(form: MultiDict[str, str]) -> dict[str, Any]:
    data = load_form(ContributionIn(), form)
    data.pop("voucher", None)  # generated, never typed at the desk
    return data


def trade_defaults() -> dict[str, str]:
    return {"on": today().isoformat(), "member": request.args.get("member", "")[:20],
            "counterparty": "", "direction": "sold_to_cooperative", "product": "",
            "quantity": "", "unit": "公斤", "amount": "", "settlement": "101", "account": "",
            "key": uuid.uuid4().hex}


def trade_args(form: MultiDict[str, str]) -> dict[str, Any]:
    data = load_form(TradeIn(), form)
    data.pop("voucher", None)
    return data


def members_for_picker(org: str) -> list[dict[str, Any]]:
    with services().members.read() as reader:
        roll, _ = reader.roll(org, page=WHOLE, status="active")
    return [{"number": m["number"], "name": m["name"]} for m in roll]


def trades_view(org: str) -> dict[str, Any]:
    year_text = request.args.get("year", "").strip()
    year = int(year_text) if year_text.isdigit() and 1980 <= int(year_text) <= 2200 \
        else today().year
    with services().members.read() as reader:
        members, _ = reader.trades(org, page=WHOLE, year=year, party="member")
        others, _ = reader.trades(org, page=WHOLE, year=year, party="non_member")
    return {"year": year, "member_trades": members, "other_trades": others,
            "org_name": org_name(org)}
