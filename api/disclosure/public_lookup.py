"""A household looks up its own distribution line on a phone (查我家的分红), without signing in:
the household number and the six-digit code printed on its payment slip, never an ID number. An
outside heir (外部继承人) does the same with the number on their slip; a cooperative's member with
the member number (查我的盈余分配), in its own words.

Rule: the answer is that one line (the name masked) or one plain message that does not say
whether the number or the code was wrong; failed look-ups are counted per address and number, so
a code cannot be guessed by trying them all, and a clerk helping many households at the village
office, or villagers behind one village Wi-Fi, do not lock each other out.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from flask import Response, g, render_template, request, url_for

from api.auth import PUBLIC, csrf_token, principal, rule
from api.disclosure.public import not_found, pages
from api.disclosure.public_distribution import holder_line
from api.disclosure.public_views import organization, published
from api.i18n import gettext
from api.rate_limits import RateLimit, limited, minutes
from api.services import services
from ledger.disclosure import mask_name
from ledger.distribution import lookup_key
from ledger.kernel.money import capital_numerals, format_fen

_ = gettext
LOOKUP_WINDOW = 3600.0
FAILED_LOOKUPS_PER_WINDOW = 10
MAX_HOUSEHOLD = 20
CODE_DIGITS = 6


def typed(name: str) -> str:
    """What the villager typed, with full-width digits (a Chinese keyboard's) made plain."""
    return unicodedata.normalize("NFKC", request.form.get(name, "")).replace(" ", "").strip()


def lookup_page(org: str, number: str, *, line: dict[str, Any] | None = None, failed: str = "",
                household: str = "", status: int = 200,
                ask: dict[str, str] | None = None) -> Response:
    found = organization(org)
    csrf = csrf_token() if principal().via == "session" else ""
    html = render_template("public/lookup.html", org=org, org_name=found["name_zh"]
                           if found else org, number=number, line=line, failed=failed,
                           household=household, csrf=csrf, cooperative=is_cooperative(found),
                           ask=ask)
    return Response(html, status)


def is_cooperative(found: dict[str, Any] | None) -> bool:
    """A cooperative's member looks up by member number and asks its accountant (F5)."""
    return bool(found) and found.get("kind") == "farmers_cooperative"


def _plan_exists(org: str, number: str) -> bool:
    plan = services().distributions.distribution(org, number)
    return plan is not None and plan["status"] != "cancelled"


@pages.get("/<org>/distributions/<number>/lookup")
@rule(PUBLIC)
def distribution_lookup(org: str, number: str) -> Response | tuple[str, int]:
    if organization(org) is None or not _plan_exists(org, number):
        return not_found()
    return lookup_page(org, number)


def _too_many_lookups(wait: int) -> Response:
    args = request.view_args or {}
    org = args.get("org", "")
    return lookup_page(org, args.get("number", ""), household=typed("household"), status=429,
                       failed=_(
        "This member number's code was typed wrong too many times; try again in %(minutes)s "
        "minutes, or ask the cooperative's accountant to check the slip.", minutes=minutes(wait))
        if is_cooperative(organization(org)) else _(
        "This household number's code was typed wrong too many times; try again in "
        "%(minutes)s minutes, or ask the village accountant to check the slip.",
        minutes=minutes(wait)))


def _tried() -> str:
    """Who is counted: this address trying this number of this plan ("001" and "1" alike)."""
    args = request.view_args or {}
    return "|".join((request.remote_addr or "", args.get("org", ""), args.get("number", ""),
                     lookup_key(typed("household"))))


# Only a failed look-up counts: a household finding its own line as often as it likes is fine.
FAILED_LOOKUPS = RateLimit(
    FAILED_LOOKUPS_PER_WINDOW, LOOKUP_WINDOW, key=_tried,
    counts=lambda response: bool(g.get("lookup_failed")), refuse=_too_many_lookups)


@pages.post("/<org>/distributions/<number>/lookup")
@rule(PUBLIC)
@limited(FAILED_LOOKUPS)
def look_up(org: str, number: str) -> Response | tuple[str, int]:
    if organization(org) is None or not _plan_exists(org, number):
        return not_found()
    household, code = typed("household"), typed("code")
    found = None
    if 0 < len(household) <= MAX_HOUSEHOLD and len(code) == CODE_DIGITS and code.isdigit():
        found = services().distributions.lookup(org, number, household, code)
    if found is None:
        g.lookup_failed = True
        return lookup_page(org, number, household=household, status=422, failed=_(
            "No line matches this member number and code. Check both against your "
            "payment slip, or ask the cooperative's accountant.")
            if is_cooperative(organization(org)) else _(
            "No line matches this household number and code. Check both against your "
            "payment slip, or ask the village accountant."))
    kind = str(found["holder"]).partition(":")[0]
    # The number as the slip prints it (001), however it was typed (1, ００１).
    line = holder_line({"household": str(found["holder"]).partition(":")[2], "holder_kind": kind,
                        "name": mask_name(found["name"]),
                        "first_member": mask_name(found.get("first_member") or ""),
                        "members": found.get("members") or 0,
                        "shares": found["shares"], "amount": format_fen(found["amount"]),
                        "amount_capital": capital_numerals(found["amount"]),
                        "paid": found["paid"], "paid_on": found["paid_on"] or "",
                        **({} if found.get("trade") is None else {
                            "trade": format_fen(found["trade"]),
                            "return": format_fen(found["trade_return"]),
                            "remaining": format_fen(found["remaining"])})})
    return lookup_page(org, number, line=line, ask=_ask_about(org, number, str(found["holder"])))


def _ask_about(org: str, number: str, holder: str) -> dict[str, str] | None:
    """Where the household asks about its line: the published result (or else plan) of the
    distribution, with the ask form on the line's number there; None before either is out."""
    plan = services().distributions.distribution(org, number) or {}
    for ref in (plan.get("result_disclosure"), plan.get("plan_disclosure")):
        if ref and published(org, str(ref)):
            nos = [n for n, line in enumerate(plan.get("lines", []), 1) if line["holder"] == holder]
            page = url_for("public.disclosure", org=org, ref=ref)
            return {"page": page, "line": f"{page}?line={nos[0]}#ask" if nos else f"{page}#ask"}
    return None
