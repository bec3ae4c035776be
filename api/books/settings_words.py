"""The words of the organization's local rules page (本机构规则设置): how the rules are grouped
as an accountant names them, each rule's Chinese label and one-line explanation (the schema's
descriptions, said for a village official), its value as a person reads it, and every refusal
said beside its field. Rule: SettingsIn and the ledger decide; this module only says it.
"""

from __future__ import annotations

from typing import Any

from marshmallow import fields, validate

from api.books.settings_values import AMOUNTS, CHOICES, CODES, FRACTIONS
from api.disclosure.desk_forms import Problem
from api.disclosure.settings_schemas import SettingsIn
from api.forms import REQUIRED, FormRefused
from api.i18n import gettext as _
from api.i18n import lazy_gettext as lazy
from api.refusals import said
from ledger.kernel.errors import LedgerError

FORM = "settings"
# The groups as an accountant names them; "village" rules show only for a village, the
# cooperative's group only for a cooperative.
GROUPS: tuple[tuple[str, Any, tuple[str, ...]], ...] = (
    ("disclosure", lazy("Disclosure"), (
        "disclosure_cadence", "disclosure_deadline_day", "disclosure_owed_from",
        "review_quorum", "posting_days", "objection_days", "answer_days")),
    ("approval", lazy("Approval and cash"), (
        "approval_finance_lead_max", "approval_committees_max", "cash_limit",
        "voucher_confirm_from", "split_window_days")),
    ("matters", lazy("Four deliberations, two disclosures"), (
        "matter_steps", "joint_meeting_quorum", "joint_meeting_majority",
        "party_meeting_quorum", "party_meeting_majority", "decision_meeting_quorum",
        "decision_meeting_majority", "reserved_majority", "reserved_matters")),
    ("shares", lazy("Shares and distribution"), (
        "share_holding", "share_transfer", "share_outside_heirs", "share_holder_cap_percent",
        "reserve_minimum", "collective_share", "distribution_payable",
        "reserve_accumulation_account", "reserve_welfare_account")),
    ("cooperative", lazy("Cooperative"), (
        "exit_notice_months", "surplus_reserve_rate", "trade_return_rate",
        "additional_votes")),
)
# A cooperative's surplus plan posts to its own 332/322/221/222 by the 2021 system and draws its
# reserve by surplus_reserve_rate: the village distribution's accounts and floor are not its rules.
VILLAGE_ONLY = ("share_holding", "share_transfer", "share_outside_heirs",
                "share_holder_cap_percent", "collective_share", "reserve_minimum",
                "distribution_payable", "reserve_accumulation_account", "reserve_welfare_account")

LABELS = {
    "disclosure_cadence": lazy("Disclosure cadence"),
    "disclosure_deadline_day": lazy("Disclosure deadline day"),
    "disclosure_owed_from": lazy("Disclosures owed from"),
    "review_quorum": lazy("Supervisors' signatures needed"),
    "posting_days": lazy("Days posted"),
    "objection_days": lazy("Days for objections"),
    "answer_days": lazy("Days to answer a question"),
    "approval_finance_lead_max": lazy("Finance lead approves up to"),
    "approval_committees_max": lazy("Two committees approve up to"),
    "cash_limit": lazy("Cash limit"),
    "voucher_confirm_from": lazy("Confirm voucher amounts from"),
    "split_window_days": lazy("Split spending window (days)"),
    "matter_steps": lazy("Steps of a matter"),
    "joint_meeting_quorum": lazy("Joint meeting quorum"),
    "joint_meeting_majority": lazy("Joint meeting majority"),
    "party_meeting_quorum": lazy("Party members' meeting quorum"),
    "party_meeting_majority": lazy("Party members' meeting majority"),
    "decision_meeting_quorum": lazy("Deciding meeting quorum"),
    "decision_meeting_majority": lazy("Deciding meeting majority"),
    "reserved_majority": lazy("Majority on reserved matters"),
    "reserved_matters": lazy("Matters reserved to the members' meeting"),
    "share_holding": lazy("Shares held by"),
    "share_transfer": lazy("Share transfers"),
    "share_outside_heirs": lazy("Heirs from outside"),
    "share_holder_cap_percent": lazy("Most one holder may hold, in percent"),
    "reserve_minimum": lazy("Least reserve rate"),
    "collective_share": lazy("Collective share's part"),
    "distribution_payable": lazy("Distribution payable account"),
    "reserve_accumulation_account": lazy("Accumulation fund account"),
    "reserve_welfare_account": lazy("Welfare fund account"),
    "exit_notice_months": lazy("Exit notice (months)"),
    "surplus_reserve_rate": lazy("Surplus reserve rate"),
    "trade_return_rate": lazy("Least return by trade"),
    "additional_votes": lazy("Additional votes"),
    "reason": lazy("Reason"),
}
EXPLAIN = {
    "disclosure_cadence": lazy("How often the finances are disclosed: monthly, quarterly or "
                               "yearly."),
    "disclosure_deadline_day": lazy("A period's disclosure is due by this day of the next "
                                    "month; later, it is flagged as not disclosed when due."),
    "disclosure_owed_from": lazy("The first period owed on this system; earlier ones were "
                                 "disclosed on paper. Empty: from the books' start."),
    "review_quorum": lazy("Supervisors' signatures a disclosure needs; 0: a majority of the "
                          "supervision committee."),
    "posting_days": lazy("Days a disclosure stays posted on the board."),
    "objection_days": lazy("Days villagers have to object to a posted result."),
    "answer_days": lazy("Days within which a villager's question is answered."),
    "approval_finance_lead_max": lazy("Spending up to this amount is approved by the finance "
                                      "lead alone."),
    "approval_committees_max": lazy("Up to this, two committee members and a supervisor "
                                    "approve; above it a meeting's resolution is also needed."),
    "cash_limit": lazy("Cash on hand above this raises a warning."),
    "voucher_confirm_from": lazy("The voucher form asks to confirm an amount at or above this "
                                 "(a likely typo); 0.00: never asks."),
    "split_window_days": lazy("Payments to one payee within these days are added up to find "
                              "spending split to stay under a limit."),
    "matter_steps": lazy("The meetings a matter goes through, always ending with the "
                         "decision."),
    "joint_meeting_quorum": lazy("Share present needed at the two committees' joint "
                                 "meeting."),
    "joint_meeting_majority": lazy("Share of those present who must agree at the joint "
                                   "meeting."),
    "party_meeting_quorum": lazy("Share present needed at the party members' meeting."),
    "party_meeting_majority": lazy("Share of those present who must agree at the party "
                                   "members' meeting."),
    "decision_meeting_quorum": lazy("Share present needed at the villagers' "
                                    "(representatives') meeting."),
    "decision_meeting_majority": lazy("Share of those present who must agree at the deciding "
                                      "meeting."),
    "reserved_majority": lazy("Share of all members who must agree on a matter the Law "
                              "reserves."),
    "reserved_matters": lazy("Matter categories the Law reserves to the members' meeting."),
    "share_holding": lazy("Per household: frozen (no more shares for new members, none taken "
                          "from leavers); per person: each member holds their own."),
    "share_transfer": lazy("Whether shares pass only inside the organization, or also to "
                           "outsiders."),
    "share_outside_heirs": lazy("An heir from outside inherits the income without a vote, or "
                                "the organization buys the shares back."),
    "share_holder_cap_percent": lazy("The most of all shares one holder may hold; 0: no "
                                     "cap."),
    "reserve_minimum": lazy("The charter's least reserve rate a distribution plan may take; "
                            "empty: none."),
    "collective_share": lazy("Where the collective share's part of a distribution goes: kept "
                             "undistributed, or sent to the reserve."),
    "distribution_payable": lazy("The account holders' distribution is payable on."),
    "reserve_accumulation_account": lazy("The accumulation fund's account, when the reserve "
                                         "is split."),
    "reserve_welfare_account": lazy("The welfare fund's account, when the reserve is split."),
    "exit_notice_months": lazy("Months before the year end a member gives notice of exit."),
    "surplus_reserve_rate": lazy("The share of the year's surplus set aside as surplus "
                                 "reserve."),
    "trade_return_rate": lazy("The least part of the distributable surplus returned by trade; "
                              "at least 0.60."),
    "additional_votes": lazy("Additional votes the charter grants in all; at most a fifth of the "
                             "members' basic votes."),
}


def kind(name: str) -> str:
    """int, amount, choice, boxes or text: which input the form shows for the rule."""
    if name in CODES:
        return "boxes"
    if name in AMOUNTS:
        return "amount"
    if name in CHOICES:
        return "choice"
    return "int" if isinstance(SettingsIn().fields[name], fields.Integer) else "text"


def rule_words(name: str) -> str:
    """What the rule's field wants, said beside it when a value is refused."""
    field = SettingsIn().fields.get(name)
    ranges = [v for v in getattr(field, "validators", []) if isinstance(v, validate.Range)]
    if name in ("trade_return_rate",):
        return _("A fraction from 0.60 to 1, such as 0.60.")
    if name in ("surplus_reserve_rate",):
        return _("A fraction from 0 to 1, such as 0.10.")
    if name == "reserve_minimum":
        return _("A fraction from 0 to 1, such as 0.30, or empty for none.")
    if name == "disclosure_owed_from":
        return _("A period such as 2026-08, 2026-Q3 or 2026, or empty for the books' start.")
    if name in FRACTIONS:
        return _("Such as >=2/3 (at least two thirds) or >1/2 (more than half).")
    if name.endswith(("_payable", "_account")):
        return _("An account code of 3 to 12 digits, such as 21102.")
    if name == "matter_steps":
        return _("Tick the meetings a matter goes through; the decision is always one of them.")
    if name == "reserved_matters":
        return _("Tick the matter categories the members' meeting decides, or none.")
    if name in AMOUNTS:
        return _("An amount in yuan, such as 5000.00.")
    if name in CHOICES:
        return _("Choose one from the list.")
    if ranges:
        return _("A whole number from %(low)s to %(high)s.", low=ranges[0].min,
                 high=ranges[0].max)
    return ""


def refused(refusal: FormRefused) -> Problem:
    """A field SettingsIn refused, in Chinese beside it."""
    field = refusal.field or ""
    if field == "reason":
        text = _("Say why the rules change (at most 500 characters): it is kept with the "
                 "change.")
    elif refusal.message == REQUIRED:
        text = _("Fill this in.")
    else:
        text = rule_words(field) or said(refusal)
    return Problem(FORM, field, text, f"{field}-field" if field else FORM)


def problem(error: LedgerError) -> Problem:
    """The ledger's refusal, beside the field it names, in Chinese."""
    field = error.field or ""
    if field == "approval_finance_lead_max" and "ladder" in error.message:
        text = _("The ladder rises: the finance lead's limit is at most the two committees'.")
    elif field == "reason":
        text = _("Say why the rules change (at most 500 characters): it is kept with the "
                 "change.")
    elif field in LABELS:
        text = rule_words(field) or said(error)
    else:
        field, text = "", said(error)
    return Problem(FORM, field, text, f"{field}-field" if field else FORM)


def nothing_changed() -> Problem:
    return Problem(FORM, "", _("Nothing was changed: every rule is as it was."), FORM)

