"""What the voucher pages show, as plain data read from the read models: the entry form's grid
and the accounts its picker offers, a month's vouchers as found, one voucher with what lies
behind it and what reverses it. Amounts are shown with thousands separators, moments in Beijing
time, people by their names.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import replace
from datetime import datetime
from typing import Any

from flask import request
from markupsafe import Markup

from api.books.account_picker import closed, find, initials, postable
from api.books.voucher_forms import VoucherForm
from api.disclosure.public_notes import party_label
from api.disclosure.public_views import display_names
from api.i18n import gettext, lazy_gettext
from api.render.charts import yuan
from api.services import services
from ledger.books import Period, VoucherNotFound
from ledger.kernel.clock import CHINA
from ledger.kernel.money import AmountError, capital_numerals, parse_fen
from projections.books.queries import Page
from projections.books.voucher_desk import Search, VoucherDeskQueries

PER_PAGE = 50
NUMBER = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{4,}")
MONTH = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])")
KIND_LABELS = {"regular": lazy_gettext("Ordinary voucher"),
               "opening": lazy_gettext("Opening balances"),
               "reversal": lazy_gettext("Red-ink reversal"),
               "closing": lazy_gettext("Year-end closing")}
# Notices after a redirect are chosen from this table, so a link cannot put words on the page.
NOTICES = {
    "posted": lambda number: gettext("Voucher %(number)s was posted.", number=number),
    "reversed": lambda number: gettext("The voucher was reversed by %(number)s.",
                                       number=number),
    "template_saved": lambda number: gettext("The template was saved."),
    "template_dropped": lambda number: gettext("The template was dropped."),
    "imported": lambda number: gettext("The sheet was imported: its vouchers are numbered by "
                                       "date, shown here from the first one's month."),
}
FIELD_LABELS = {
    "date": lazy_gettext("Date"), "summary": lazy_gettext("Voucher summary"),
    "attachments": lazy_gettext("Receipts attached"), "lines": lazy_gettext("Lines"),
    "reason": lazy_gettext("Reason"), "name": lazy_gettext("Template name"),
    "amount": lazy_gettext("Amount"), "kind": lazy_gettext("Voucher kind"),
}


def labels() -> dict[str, Any]:
    return {"kind_labels": KIND_LABELS, "field_labels": FIELD_LABELS, "yuan": yuan,
            "beijing": beijing}


def desk() -> VoucherDeskQueries:
    return VoucherDeskQueries(services().view)


def notice() -> str:
    message = NOTICES.get(request.args.get("done", ""))
    number = request.args.get("number", "")
    if message is None or (number and not NUMBER.fullmatch(number)):
        return ""
    return message(number)


def beijing(timestamp: str | None) -> str:
    """A UTC moment of the log as Beijing time, to the minute: 2026-11-22 09:05."""
    if not timestamp:
        return ""
    return datetime.fromisoformat(timestamp).astimezone(CHINA).strftime("%Y-%m-%d %H:%M")


# -- entry -----------------------------------------------------------------------------------

def accounts(org: str) -> list[dict[str, str]]:
    return postable(services().queries.all_accounts(org))


def closed_accounts(org: str) -> frozenset[str]:
    return closed(services().queries.all_accounts(org))


def entry_view(org: str, form: VoucherForm) -> dict[str, Any]:
    """The grid (typed rows and blank ones), its totals as typed, the picker's accounts (also as
    JSON for the script) and the saved templates."""
    offered = accounts(org)
    names = {a["code"]: a["name"] for a in offered}
    debit = sum(_fen(row["debit"]) for row in form.lines)
    credit = sum(_fen(row["credit"]) for row in form.lines)
    return {"form": form, "rows": form.padded(), "accounts": offered, "names": names,
            "accounts_json": Markup(json.dumps(offered, ensure_ascii=False)
                                    .replace("<", "\\u003c")),
            "totals": {"debit": yuan(debit), "credit": yuan(credit),
                       "diff": yuan(abs(debit - credit)), "balanced": debit == credit},
            "templates": desk().templates(org),
            "opening": {"offered": desk().standing_opening(org) is None,
                        "day": opening_day(org)}}


def opening_day(org: str) -> str:
    """The day the books start, the date of their opening balances (期初余额)."""
    return str((services().queries.organization(org) or {}).get("books_start", ""))[:10]


def _fen(text: str) -> int:
    try:
        return max(parse_fen(text.replace(",", "")), 0) if text else 0
    except AmountError:
        return 0


# -- the list --------------------------------------------------------------------------------

EVERYONE = Page(1, 10_000)  # the members a name finds: a village has hundreds at most


def search_of(args: Any, today_month: str) -> tuple[Search, dict[str, str]]:
    """The search as asked (?month=&q=&account=&amount=&party=); a part that makes no sense is
    ignored and shown back so, and a month of "all" searches every month."""
    typed = {name: args.get(name, "").strip()[:100]
             for name in ("month", "q", "account", "amount", "party")}
    month = typed["month"] or today_month
    try:
        amount = parse_fen(typed["amount"].replace(",", "")) if typed["amount"] else None
    except AmountError:
        amount, typed["amount_error"] = None, "1"
    typed["month"] = month if month == "all" or MONTH.fullmatch(month) else today_month
    return Search(period="" if typed["month"] == "all" else typed["month"], summary=typed["q"],
                  account=typed["account"], amount=amount, party=typed["party"]), typed


def account_searched(org: str, typed: str) -> str:
    """The code an account search means: its first word if a code, else the first account
    (parents included: 管理费用 finds 513 and its sub-accounts) whose name or initials fit,
    written back as "513 管理费用"; "" when nothing fits."""
    word = typed.split()[0] if typed.split() else ""
    if not word or word.isdigit():
        return word
    rows = [{"code": r["code"], "name": r["name_zh"], "initials": initials(r["name_zh"])}
            for r in services().queries.all_accounts(org)]
    found = find(rows, typed)
    return f"{found[0]['code']} {found[0]['name']}" if found else ""


def parties_named(org: str, typed: str) -> tuple[str, ...]:
    """Whom a name typed in the party search means: each member whose name holds it, and the
    household they belong to today (a line may name either); none for a code (member:0012, or
    digits), which the search matches as typed."""
    if typed.isascii():
        return ()
    with services().members.read() as reader:
        members, _ = reader.roll(org, page=EVERYONE, status="all", q=typed)
    return tuple(sorted({f"member:{m['number']}" for m in members}
                        | {f"household:{m['household']}" for m in members if m["household"]}))


def list_view(org: str) -> dict[str, Any]:
    today_month = str(Period.of(services().ledger.clock()))
    months = month_choices(org, today_month)
    # Asked for no month, the list opens on the newest month that has vouchers (this one, early
    # in a month before anything is posted, would open on nothing).
    opened = next((m["value"] for m in months if not m["empty"]), today_month)
    search, typed = search_of(request.args, opened)
    if typed["account"]:
        typed["account"] = account_searched(org, typed["account"]) or typed["account"]
        code = typed["account"].split()[0]
        # An account that fits nothing finds nothing: codes are digits, so "-" starts none.
        search = replace(search, account=code if code.isdigit() else "-")
    if typed["party"]:
        search = replace(search, parties=parties_named(org, typed["party"]))
    page = Page.asked(request.args.get("page", "1"), PER_PAGE)
    rows, total = desk().vouchers(org, search, page)
    names = display_names()
    for row in rows:
        row["poster"] = names.get(row["posted_by"], row["posted_by"])
    return {"vouchers": rows, "total": total, "page": page.number,
            "pages": max(page.count(total), 1), "typed": typed, "months": months,
            "sum": yuan(sum(row["debit_total"] for row in rows))}


def month_choices(org: str, today_month: str) -> list[dict[str, Any]]:
    """Every month from the books' start to this one, newest first, those without a voucher
    marked so: a quiet month is still a month of the books, looked at and closed like the rest.
    A month with vouchers outside that span (none should be) is offered too."""
    with_vouchers = set(desk().months(org))
    organization = services().queries.organization(org) or {}
    month = Period.parse(str(organization.get("books_start") or today_month)[:7])
    shown = set(with_vouchers) | {today_month}
    while str(month) < today_month:
        shown.add(str(month))
        month = month.next()
    return [{"value": m, "empty": m not in with_vouchers} for m in sorted(shown, reverse=True)]


# -- one voucher -----------------------------------------------------------------------------

def voucher_view(org: str, ref: str) -> dict[str, Any]:
    """The voucher with its lines' account names, who posted it, what it reverses or what
    reverses it, the spending request or receipt behind it, and the warnings its posting
    raised (cash over the limit or below zero, a white slip)."""
    with services().queries.read() as reader:
        row = reader.voucher(org, ref)
        if row is None:
            raise VoucherNotFound(f"no voucher {ref}", voucher=ref)
        names = {a["code"]: a["name_zh"] for a in reader.all_accounts(org)}
    for line in row["lines"]:
        line["name"] = _full_name(line["account"], names)
        if line.get("party"):  # who a payable line is owed to or paid: 户 003, 成员 0012
            line["party_shown"] = party_label(line["party"])
    people = display_names()
    row["poster"] = people.get(row["posted_by"], row["posted_by"])
    total = row["debit_total"]
    behind = desk().behind(org, row["number"])
    # A posting's warnings are keyed by the voucher; a payment's (白条, a split payment) by the
    # request it paid: both are this voucher's.
    warnings = [warning for key in (row["number"], *(r["number"] for r in behind["requests"]))
                for warning in services().spending.warnings(org, Page(1, 10), key=key)[0]]
    # A voucher that paid a request or posted or paid a distribution is not reversed alone
    # (the ledger refuses it: the record would still say paid); the page says so, no form.
    paid_record = [r["number"] for r in (*behind["requests"], *behind["distributions"])]
    return {"v": row, "behind": behind, "key": uuid.uuid4().hex,
            "warnings": warnings,
            "total": yuan(total), "capital": capital_numerals(total),
            "today": services().ledger.clock().isoformat(), "paid_record": paid_record,
            "reversible": row["kind"] in ("regular", "opening") and not row["reversed_by"]
            and not paid_record}


def _full_name(code: str, names: dict[str, str]) -> str:
    """管理费用—干部报酬: a sub-account's name after its parents', as the 记账凭证 writes it."""
    parts = [names[code[:n]] for n in range(3, len(code) + 1, 2) if code[:n] in names]
    return "—".join(parts) or code
