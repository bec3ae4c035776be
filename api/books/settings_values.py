"""A local rule's value as the settings page shows it and as its form sends it. Rule: an amount is
kept in fen and typed in yuan; a choice is shown by its Chinese name and sent by its code (a
listed rule by a box per code, joined here as the rule keeps it); what
the form sends is compared with the organization's rules so only the rules changed are sent.
"""

from __future__ import annotations

from typing import Any

from api.desk_format import money
from api.i18n import gettext as _
from api.i18n import lazy_gettext as lazy
from ledger.kernel.money import format_fen

AMOUNTS = ("approval_finance_lead_max", "approval_committees_max", "cash_limit",
           "voucher_confirm_from")
FRACTIONS = ("joint_meeting_quorum", "joint_meeting_majority", "party_meeting_quorum",
             "party_meeting_majority", "decision_meeting_quorum", "decision_meeting_majority",
             "reserved_majority")
CHOICES: dict[str, dict[str, Any]] = {
    "disclosure_cadence": {"month": lazy("Monthly"), "quarter": lazy("Quarterly"),
                           "year": lazy("Yearly")},
    "share_holding": {"household": lazy("Per household (frozen)"),
                      "person": lazy("Per person")},
    "share_transfer": {"inside": lazy("Only inside the organization"),
                       "outside": lazy("Also to outsiders")},
    "share_outside_heirs": {"income_only": lazy("Income only, no vote"),
                            "refuse": lazy("Bought back by the organization")},
    "collective_share": {"keep": lazy("Kept undistributed"),
                         "reserve": lazy("Sent to the reserve")},
}
STEPS = {"deliberate": lazy("Proposal and deliberation"), "review": lazy("Review"),
         "decide": lazy("Decision")}
# The matter categories (ledger/books MATTER_CATEGORIES) a reserved-matters rule lists.
CATEGORIES = {"spending": lazy("Matter: spending"), "project": lazy("Matter: project"),
              "contracting": lazy("Matter: contracting out"),
              "land_compensation": lazy("Matter: land compensation"),
              "lending": lazy("Matter: lending"), "asset_disposal": lazy("Matter: asset disposal"),
              "allowance": lazy("Matter: allowance"), "articles": lazy("Matter: articles"),
              "membership": lazy("Matter: membership"),
              "land_contracting": lazy("Matter: land contracting"),
              "distribution": lazy("Matter: distribution"), "merger": lazy("Matter: merger"),
              "dissolution": lazy("Matter: dissolution"), "other": lazy("Matter: other")}
CODES = {"matter_steps": STEPS, "reserved_matters": CATEGORIES}
# Rules whose empty value means something ("from the books' start", "none"): a field cleared
# on the form sends "", where any other blank field is left as it was.
EMPTY_ALLOWED = ("disclosure_owed_from", "reserve_minimum")


def shown(name: str, value: Any) -> str:
    """The value as a person reads it."""
    if name in AMOUNTS:
        return money(value)
    if name in CHOICES:
        return str(CHOICES[name].get(value, value))
    if name in FRACTIONS and isinstance(value, str) and value[:1] == ">":
        at_least = value.startswith(">=")
        share = value.lstrip(">=")
        return (_("at least %(share)s", share=share) if at_least
                else _("more than %(share)s", share=share))
    if name in CODES and not value:
        return _("None set")
    if name in CODES:
        return "、".join(str(CODES[name].get(code, code)) for code in str(value).split(",")
                        if code)
    if name == "disclosure_owed_from" and not value:
        return _("From the books' start")
    if name == "reserve_minimum" and not value:
        return _("None set")
    return str(value)


def typed(name: str, value: Any) -> str:
    """The value as its form field holds it: an amount in yuan without separators."""
    if name in AMOUNTS and isinstance(value, int):
        return format_fen(value)
    return str(value)


def listed(form: Any, names: list[str]) -> dict[str, str]:
    """A listed rule (matter steps, reserved matters) is a box per code on the form, each ticked
    one sent under the rule's name; `listed` names the rules the form showed, so that none
    ticked means "none" and not "unchanged". The codes go in their own order (the steps' order
    is the rule's)."""
    shown = set(form.getlist("listed"))
    return {name: ",".join(code for code in CODES[name] if code in form.getlist(name))
            for name in CODES if name in names and name in shown}


def cleared(form: Any, names: list[str], settings: dict[str, Any]) -> dict[str, str]:
    """The rules whose empty value means something, cleared on the form."""
    return {name: "" for name in EMPTY_ALLOWED
            if name in names and name in form and not form[name].strip() and settings[name]}


def changes(loaded: dict[str, Any], settings: dict[str, Any]) -> dict[str, Any]:
    """Only the rules whose value the form changed, as the ledger's command takes them."""
    return {name: value for name, value in loaded.items()
            if name != "reason" and name in settings and value != settings[name]}


def change_words(labels: dict[str, Any], was: dict[str, Any], now: dict[str, Any]) -> str:
    """"现金限额 5,000.00 → 8,000.00；…": what a change did, named rule by rule."""
    return "；".join(f"{labels[name]} {shown(name, was[name])} → {shown(name, now[name])}"
                    for name in was if name in now and name in labels)
