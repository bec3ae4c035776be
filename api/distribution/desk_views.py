"""What the distribution desk's pages show: the plans, a plan previewed before it is drafted, a
plan with its holders and the step its stage allows, and the payment slips. Rule: a step is
offered only when the ledger would take it, and a step not yet allowed says why in words the
accountant can act on; the ledger still decides.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from flask import request

from api.auth import principal
from api.public_address import configured, printable
from api.services import services
from api.spending.desk_pages import money_accounts, paying_from
from ledger.cooperative import SCHEME, SurplusPlan, surplus_figures
from ledger.distribution import (
    DRAFTED,
    NOTICE_DAYS,
    PAID,
    POSTED,
    DistributionNotFound,
    Plan,
    household_members,
)
from ledger.kernel.money import capital_numerals
from projections.books.queries import Page

MATTERS_SHOWN = 100
COOPERATIVE_NOTICE_DAYS = 15  # 2017 Law Art. 40
DECIDED = ("decided", "resolution_disclosed", "carried_out", "result_disclosed")
# The figures of a plan as the statement reads them, in order; loss lines only when there is one.
STATEMENT = ("net_income", "undistributed_at_start", "loss_covered", "distributable",
             "accumulation", "welfare", "collective_to_reserve", "to_members",
             "collective_kept", "already_distributed", "undistributed_at_end")


def holder_ref(holder: str) -> str:
    """户号 or 编号 as the register prints it: "household:001" is 001."""
    return holder.partition(":")[2] or holder


def headless(lines: list[dict[str, Any]]) -> list[str]:
    """The households whose line has no name: no head recorded in the register on the day."""
    return [holder_ref(line["holder"]) for line in lines
            if line.get("kind", "household") == "household"
            and str(line["holder"]).startswith("household:") and not line.get("name")]


def distribution_matters(org: str) -> list[dict[str, Any]]:
    """The org's matters a plan may be decided as: of category distribution, not stopped."""
    rows, _total = services().spending.matters(org, Page(1, MATTERS_SHOWN))
    return [m for m in rows if m["category"] == "distribution" and m["status"] != "stopped"]


def list_view(org: str) -> dict[str, Any]:
    plans = services().distributions.distributions(org)
    for plan in plans:
        found = services().distributions.distribution(org, plan["number"]) or {}
        plan["paid_total"] = found.get("paid_total", 0)
        plan["unpaid_total"] = found.get("unpaid_total", 0)
    return {"plans": plans, "may_draft": "accountant" in principal().roles_in(org),
            "cooperative": services().ledger.surplus.is_cooperative(org)}


def new_view(org: str) -> dict[str, Any]:
    return {"matters": distribution_matters(org),
            "cooperative": services().ledger.surplus.is_cooperative(org)}


def _surplus_preview(org: str, plan: SurplusPlan, on: date) -> dict[str, Any]:
    """A cooperative's plan as `preview` made it: each member's trade, return and share."""
    roll = services().ledger.register.member_roll(org)
    names = {f"member:{n}": p.name for n, p in roll.members.items()}
    lines = [{"holder": a.holder, "kind": "member", "name": names.get(a.holder, ""),
              "shares": a.weight, "trade": a.trade, "weight": a.weight,
              "trade_return": a.trade_return, "remaining": a.remaining, "amount": a.amount}
             for a in plan.lines]
    figures = surplus_figures(plan) | {"trade_return_percent": plan.trade_return_percent}
    return {"figures": figures, "lines": lines, "collective": None, "record_date": on,
            "holders_paid": sum(1 for line in lines if line["amount"]), "cooperative": True}


def preview_view(org: str, plan: Plan | SurplusPlan, record_date: date | None) -> dict[str, Any]:
    """The plan as `preview` made it, with each holder's name on the record date; a household
    with no head recorded named by its first member and count in the register as it stands now,
    as drafting would keep them (（户主未登记）李秀英等2人)."""
    on = record_date or date(plan.year, 12, 31)
    if isinstance(plan, SurplusPlan):
        return _surplus_preview(org, plan, on)
    register = services().members.register(org, on=on)
    names = {row["holder"]: row["name"] for row in register["holders"]}
    figures = {name: getattr(plan, name) for name in STATEMENT} | {"reserve": plan.reserve}
    roll = services().ledger.register.member_roll(org)
    lines = [{"holder": a.holder, "kind": a.kind, "name": names.get(a.holder, ""),
              "shares": a.shares, "amount": a.amount} for a in plan.lines]
    for line in lines:
        if not line["name"]:
            line |= household_members(line["holder"], roll)
    collective = None if plan.collective is None else {
        "shares": plan.collective.shares, "amount": plan.collective.amount}
    return {"figures": figures, "lines": lines, "collective": collective, "record_date": on,
            "holders_paid": sum(1 for line in lines if line["amount"]),
            "headless": headless(lines)}


def plan_view(org: str, number: str) -> dict[str, Any]:
    """One plan: its statement, holders, matter, disclosures and the steps allowed now."""
    plan = services().distributions.distribution(org, number)
    if plan is None:
        raise DistributionNotFound(f"no distribution {number}", distribution=number)
    roles = principal().roles_in(org)
    matter = services().spending.matter(org, plan["matter"])
    decided = bool(matter) and matter["status"] in DECIDED
    accountant = "accountant" in roles
    may = {"cancel": accountant and plan["status"] == DRAFTED,
           "post": accountant and plan["status"] == DRAFTED and decided,
           "pay": accountant and plan["status"] == POSTED,
           "slips": accountant and plan["status"] != "cancelled"}
    cooperative = plan["terms"].get("scheme") == SCHEME
    if cooperative:
        d, t = plan["figures"].get("distributable", 0), plan["figures"].get("trade_return", 0)
        plan["figures"]["trade_return_percent"] = f"{t * 100 / d:.2f}" if d else "0.00"
    return {"p": plan, "matter": matter, "may": may, "accountant": accountant,
            "cooperative": cooperative,
            "why_not_post": "" if decided else why_not_post(plan),
            "today": services().ledger.clock().isoformat(),
            "money_accounts": (paying := money_accounts(org) if may["pay"] else []),
            "paying_from": paying_from(org, paying, sum(
                int(line["amount"]) for line in plan["lines"] if not line["paid"])),
            "unpaid": [line for line in plan["lines"] if not line["paid"] and line["amount"]],
            "headless": headless(plan["lines"]) if plan["status"] == DRAFTED else [],
            "done_paying": plan["status"] == PAID,
            "keys": {form: uuid.uuid4().hex for form in may}}


def why_not_post(plan: dict[str, Any]) -> dict[str, Any]:
    """The step the plan waits for before it may be posted: its disclosure, or the meeting
    (from ten days after the disclosure; a cooperative's fifteen, 2017 Law Art. 40)."""
    days = COOPERATIVE_NOTICE_DAYS if plan["terms"].get("scheme") == SCHEME else NOTICE_DAYS
    disclosed = plan["plan_disclosed_on"]
    if not disclosed:
        return {"step": "disclose", "days": days}
    earliest = date.fromisoformat(str(disclosed)[:10]) + timedelta(days=days)
    return {"step": "decide", "days": days, "disclosed": str(disclosed)[:10],
            "earliest": earliest.isoformat()}


def slips_view(org: str, number: str) -> dict[str, Any]:
    """A payment slip for each holder owed something, with its code for the phone page."""
    plan = services().distributions.distribution(org, number, with_codes=True)
    if plan is None:
        raise DistributionNotFound(f"no distribution {number}", distribution=number)
    organization = services().queries.organization(org) or {}
    slips = [line | {"ref": holder_ref(line["holder"]),
                     "capital": capital_numerals(line["amount"])}
             for line in plan["lines"] if line["amount"]]
    # A printed address must reach a phone: the public address, else the path alone.
    base = (configured() or request.host_url).rstrip("/")
    lookup = f"/{org}/distributions/{number}/lookup"
    return {"p": plan, "slips": slips, "org_name": organization.get("name_zh", org),
            "lookup": f"{base}{lookup}" if printable(base) else lookup,
            "cooperative": plan["terms"].get("scheme") == SCHEME}
