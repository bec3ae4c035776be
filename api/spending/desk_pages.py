"""The spending desk: a spending request (支出申请) typed on a phone, the approval ladder as the
request's page shows it, and the warnings (预警). Rules as in desk_forms and desk_views: a form
is read through the JSON route's schema (api/forms.py), refused beside the field it names; a
step is offered only to the roles the ledger would take it from; the ledger decides.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import request
from werkzeug.datastructures import MultiDict

from api.auth import principal
from api.forms import load_form
from api.i18n import lazy_gettext
from api.services import services
from api.spending.schemas import ApprovalIn, PaymentIn, ReasonIn, SpendingIn
from ledger.kernel.chart import get_chart
from ledger.kernel.money import format_fen
from ledger.spending import (
    APPROVED,
    FUND_SOURCES,
    PAID,
    PENDING,
    REJECTED,
    WITHDRAWN,
    SpendingNotFound,
)
from projections.books import reports
from projections.books.queries import Page

ASKERS = frozenset({"accountant", "committee", "finance_lead"})  # request, and withdraw
APPROVERS = frozenset({"finance_lead", "committee", "supervisor"})  # approve, and reject
ACKNOWLEDGERS = frozenset({"accountant", "committee", "supervisor"})
STATUSES = (PENDING, APPROVED, PAID, REJECTED, WITHDRAWN)
PER_PAGE = 20
MAX_WARNINGS = 500  # a village has a handful a year; an auditor's export has them all
REQUEST_FIELDS = ("date", "payee", "purpose", "amount", "account", "fund_source", "grant",
                  "matter", "receipt_count", "key")

STATUS_LABELS = {
    PENDING: lazy_gettext("Waiting for approval"),
    APPROVED: lazy_gettext("Approved"),
    PAID: lazy_gettext("Paid"),
    REJECTED: lazy_gettext("Rejected"),
    WITHDRAWN: lazy_gettext("Withdrawn"),
}
LEVEL_LABELS = {
    "finance_lead": lazy_gettext("The finance lead approves alone."),
    "committees": lazy_gettext("Two members of the two committees and one supervisor approve."),
    "resolution": lazy_gettext(
        "Two members of the two committees and one supervisor approve, within the budget of a "
        "matter the villagers' (representatives') meeting decided."),
}
ROLE_LABELS = {
    "finance_lead": lazy_gettext("Finance lead"),
    "committee": lazy_gettext("Committee member"),
    "supervisor": lazy_gettext("Supervisor"),
    "accountant": lazy_gettext("Accountant"),
    "auditor": lazy_gettext("Auditor"),
}
FUND_LABELS = {
    "collective": lazy_gettext("Collective income"),
    "grant": lazy_gettext("Earmarked grant"),
    "yishiyiyi": lazy_gettext("One-project-one-discussion funds"),
}
ACCOUNT_GROUPS = (lazy_gettext("Expenses and costs"),
                  lazy_gettext("Assets (works under construction, equipment, stock)"))
WARNING_LABELS = {
    "cash_over_limit": lazy_gettext("Cash on hand above the limit"),
    "cash_negative": lazy_gettext("Cash on hand below zero"),
    "no_receipt": lazy_gettext("Paid with no receipt"),
    "split_payment": lazy_gettext("Payments that look split"),
    "spent_before_decision": lazy_gettext("Spent before the matter was decided"),
}
# Named in the summary atop a refused form: the ledger's messages say what is expected.
FIELD_LABELS = {
    "date": lazy_gettext("Date"),
    "payee": lazy_gettext("Paid to"),
    "purpose": lazy_gettext("What for"),
    "amount": lazy_gettext("Amount (yuan)"),
    "account": lazy_gettext("Account"),
    "fund_source": lazy_gettext("Fund source"),
    "grant": lazy_gettext("Grant number"),
    "matter": lazy_gettext("Matter number"),
    "receipt_count": lazy_gettext("Number of receipts"),
    "note": lazy_gettext("Note (optional)"),
    "reason": lazy_gettext("Reason"),
    "paid_from": lazy_gettext("Paid from"),
}
TRIGGER_LABELS = {
    "request": lazy_gettext("Spending request"),
    "voucher": lazy_gettext("Voucher"),
    "payee": lazy_gettext("Paid to"),
    "amount": lazy_gettext("Amount"),
    "matter": lazy_gettext("Matter"),
    "status": lazy_gettext("Matter status"),
    "threshold": lazy_gettext("Approval limit"),
    "total": lazy_gettext("Total"),
    "window_days": lazy_gettext("Within days"),
    "before": lazy_gettext("Cash before"),
    "after": lazy_gettext("Cash after"),
    "limit": lazy_gettext("Cash limit"),
    "payments": lazy_gettext("Payments"),
    "accounts": lazy_gettext("Spending accounts"),
}
NOTICES = {
    "requested": lazy_gettext("The request was recorded. It now waits for its approvers."),
    "approved": lazy_gettext("Your approval was recorded."),
    "rejected": lazy_gettext("Your rejection was recorded; the request is closed."),
    "withdrawn": lazy_gettext("The request was withdrawn."),
    "paid": lazy_gettext("Paid: the payment voucher was posted."),
    "acknowledged": lazy_gettext("Your acknowledgement was recorded."),
}


def labels() -> dict[str, Any]:
    """What every spending page's template may use."""
    return {"status_labels": STATUS_LABELS, "level_labels": LEVEL_LABELS,
            "role_labels": ROLE_LABELS, "fund_labels": FUND_LABELS,
            "warning_labels": WARNING_LABELS, "field_labels": FIELD_LABELS,
            "trigger_labels": TRIGGER_LABELS, "yuan": format_fen}


def notice() -> str:
    return str(NOTICES.get(request.args.get("done", ""), ""))


def roles_here(org: str) -> frozenset[str]:
    return principal().roles_in(org)


# -- typed text → a command's arguments ----------------------------------------------------------

def request_defaults() -> dict[str, str]:
    """A new request: dated today, paid from collective income, with a fresh idempotency key."""
    return {**dict.fromkeys(REQUEST_FIELDS, ""), "date": services().ledger.clock().isoformat(),
            "fund_source": "collective", "receipt_count": "0", "key": uuid.uuid4().hex}


def request_typed(form: MultiDict[str, str]) -> dict[str, str]:
    return {name: form.get(name, "").strip() for name in REQUEST_FIELDS}


def request_args(form: MultiDict[str, str]) -> dict[str, Any]:
    """The arguments of `request_spending` (without actor and key), read by the JSON route's
    schema."""
    data = load_form(SpendingIn(), form)
    return {"on": data["date"], "payee": data["payee"], "purpose": data["purpose"],
            "amount": data["amount"], "account": data["account"],
            "fund_source": data["fund_source"], "grant": data["grant"],
            "matter": data["matter"], "receipt_count": data["receipt_count"]}


def pay_args(form: MultiDict[str, str]) -> dict[str, Any]:
    """The arguments of `pay_spending` (without actor and key) from the pay form."""
    data = load_form(PaymentIn(), form)
    return {"on": data["date"], "paid_from": data["paid_from"], "amount": data["amount"]}


def note_of(form: MultiDict[str, str]) -> str:
    """An approval's note (optional)."""
    return str(load_form(ApprovalIn(), form)["note"])


def reason_of(form: MultiDict[str, str]) -> str:
    """A rejection's or withdrawal's reason."""
    return str(load_form(ReasonIn(), form)["reason"])


# -- what the pages show -------------------------------------------------------------------------

def list_view(org: str) -> dict[str, Any]:
    """The spending page: my to-do, the recent requests (by status, a page at a time), and what
    the new-request form offers."""
    who, roles = principal(), roles_here(org)
    queries = services().spending
    status = request.args.get("status", "")
    status = status if status in STATUSES else ""
    number = request.args.get("page", "1")
    page = Page.asked(number, PER_PAGE)
    rows, total = queries.spending_requests(org, page, status=status or None)
    to_do = queries.pending_for(org, roles, who.login or "") if roles & APPROVERS else None
    matters, _total = queries.matters(org, Page(1, 100))
    settings = services().queries.settings(org)
    accounts = spending_accounts(org)
    return {"to_do": to_do, "requests": rows, "total": total, "page": page.number,
            "pages": max(page.count(total), 1), "status": status,
            "statuses": STATUSES, "may_request": bool(roles & ASKERS), "fund_sources":
            FUND_SOURCES, "accounts": accounts, "matters": matters,
            "account_codes": {row["code"] for _group, rows in accounts for row in rows},
            "finance_lead_max": settings["approval_finance_lead_max"],
            "committees_max": settings["approval_committees_max"]}


def spending_accounts(org: str) -> list[tuple[Any, list[dict[str, Any]]]]:
    """What spending is usually charged to, grouped for the select: leaf, open expense and cost
    accounts, then asset accounts (contra accounts such as 累计折旧, cash and bank excepted).
    The ledger also takes liabilities; a code typed otherwise is kept as typed."""
    money = _money_prefixes(org)
    rows = [row for row in services().queries.all_accounts(org)
            if row["leaf"] and not row["closed"] and not row["code"].startswith(money)]
    return [(ACCOUNT_GROUPS[0], [r for r in rows if r["category"] in ("expense", "cost")]),
            (ACCOUNT_GROUPS[1], [r for r in rows if r["category"] == "asset"
                                 and r["normal_balance"] == "debit"])]


def money_accounts(org: str) -> list[dict[str, Any]]:
    """Cash and bank accounts a payment may come from (101 库存现金, 102 银行存款 or theirs)."""
    money = _money_prefixes(org)
    return [row for row in services().queries.all_accounts(org)
            if row["leaf"] and not row["closed"] and row["code"].startswith(money)]


def paying_from(org: str, accounts: list[dict[str, Any]], amount: int) -> str:
    """The account the pay form starts on: the first of `accounts` that holds `amount` today,
    else the one holding the most, so that Enter through the form does not meet "not enough"
    on a till of a few hundred yuan when the bank holds the money."""
    if not accounts:
        return ""
    with services().queries.read() as reader:
        held = reports.chart_balances(reader, org, services().ledger.clock())
    codes = [a["code"] for a in accounts]
    enough = [code for code in codes if held.get(code, 0) >= amount]
    return enough[0] if enough else max(codes, key=lambda code: held.get(code, 0))


def _account_name(org: str, code: str) -> str:
    """10201 农商银行基本户: the account a request was paid from, as the accountant reads it."""
    if not code:
        return ""
    with services().queries.read() as reader:
        account = reader.account(org, code)
    return f"{code} {account['name_zh']}" if account else code


def _money_prefixes(org: str) -> tuple[str, ...]:
    organization = services().queries.organization(org) or {}
    return get_chart(organization["chart"]).money if organization else ("101", "102")


def request_view(org: str, number: str) -> dict[str, Any]:
    """One request: the ladder's needs against its approvals, and the steps this user may take."""
    row = services().spending.spending_request(org, number)
    if row is None:
        raise SpendingNotFound(f"no spending request {number}", request=number)
    login, roles = principal().login, roles_here(org)
    counted = {role: sum(1 for a in row["approvals"] if a["role"] == role)
               for role in row["needs"]}
    needs = [{"role": role, "needed": n, "given": counted[role]}
             for role, n in row["needs"].items()]
    missing = {need["role"] for need in needs if need["given"] < need["needed"]}
    approved_by = {a["by"] for a in row["approvals"]}
    open_, own = row["status"] == PENDING, login == row["requested_by"]
    if open_:
        for need in needs:
            need["able"] = _able(org, need["role"], {row["requested_by"], *approved_by})
    decider = open_ and not own and login not in approved_by
    may = {"approve": decider and bool(roles & missing),
           "reject": decider and bool(roles & set(row["needs"])),
           # The asker withdraws their own request; the accountant also someone else's.
           "withdraw": row["status"] in (PENDING, APPROVED) and bool(roles & ASKERS)
           and (own or "accountant" in roles),
           "pay": row["status"] == APPROVED and "accountant" in roles}
    today = services().ledger.clock().isoformat()
    # A finance lead's own request within their rung went a rung up (ledger/spending).
    raised = (row["level"] == "committees"
              and row["requested_by"] in services().identity.holders(org, "finance_lead"))
    return {"r": row, "needs": needs, "may": may, "own": own and open_, "raised": raised,
            "approver": bool(roles & APPROVERS), "today": today,
            "pay_amount": format_fen(row["amount"]),
            "money_accounts": (paying := money_accounts(org) if may["pay"] else []),
            "paying_from": paying_from(org, paying, row["amount"]),
            "paid_from_name": _account_name(org, row.get("paid_from") or ""),
            "keys": {form: uuid.uuid4().hex for form in may}}


def _able(org: str, role: str, excluded: set[str]) -> int:
    """How many holders of `role` here could still approve: not the asker, nor anyone who has
    approved; a ladder the village cannot fill (two committee members, one of them asking)
    would otherwise wait for ever with nothing said."""
    return len(set(services().identity.holders(org, role)) - excluded)


def warnings_view(org: str) -> dict[str, Any]:
    """The warnings, the open ones first (each part newest first), and who may acknowledge."""
    queries, login = services().spending, principal().login
    rows, total = queries.warnings(org, Page(1, MAX_WARNINGS))
    _open, still_open = queries.warnings(org, Page(1, 1), open_only=True)
    rows.sort(key=lambda w: bool(w["acknowledged"]))  # stable: newest first within each part
    for warning in rows:
        warning["mine"] = any(a["by"] == login for a in warning["acknowledgements"])
        warning["form_key"] = uuid.uuid4().hex
    return {"warnings": rows, "total": total, "open": still_open,
            "may_acknowledge": bool(roles_here(org) & ACKNOWLEDGERS)}
