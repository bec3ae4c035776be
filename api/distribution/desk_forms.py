"""The distribution desk's forms: the words its pages use, and what a submitted form asks of the
ledger. Rule: a form is read by a schema (api/forms.py), refused beside the field it names; the
rates, amounts and holders are the ledger's to judge, and its refusals are placed beside the
field of the form that typed them.
"""

from __future__ import annotations

import uuid
from typing import Any

from marshmallow import Schema, fields, validate
from werkzeug.datastructures import MultiDict

from api.books.schemas import ACCOUNT_CODE
from api.fields import DayIn, Flag, Text
from api.forms import REQUIRED, FormRefused, load_form
from api.i18n import lazy_gettext
from api.services import services
from ledger.distribution import CANCELLED, COLLECTIVE_SHARE, DRAFTED, PAID, POSTED

STATUS_LABELS = {
    DRAFTED: lazy_gettext("Drafted, not yet posted"),
    CANCELLED: lazy_gettext("Cancelled"),
    POSTED: lazy_gettext("Posted, being paid"),
    PAID: lazy_gettext("Every holder paid"),
}
MATTER_LABELS = {
    "proposed": lazy_gettext("Proposed"), "deliberated": lazy_gettext("Deliberated"),
    "reviewed": lazy_gettext("Reviewed"), "decided": lazy_gettext("Decided"),
    "stopped": lazy_gettext("Stopped"),
    "resolution_disclosed": lazy_gettext("Resolution disclosed"),
    "carried_out": lazy_gettext("Carried out"),
    "result_disclosed": lazy_gettext("Result disclosed"),
}
KIND_LABELS = {"household": lazy_gettext("Household"), "member": lazy_gettext("Member"),
               "outside": lazy_gettext("Outside holder"),
               "collective": lazy_gettext("Collective share")}
COLLECTIVE_LABELS = {"keep": lazy_gettext("Kept in undistributed income"),
                     "reserve": lazy_gettext("Sent to the reserve")}
# Named in the summary atop a refused form: the ledger's messages say what is expected.
FIELD_LABELS = {
    "year": lazy_gettext("Year"), "record_date": lazy_gettext("Record date"),
    "reserve_rate": lazy_gettext("Reserve rate"),
    "accumulation_rate": lazy_gettext("Accumulation fund rate"),
    "welfare_rate": lazy_gettext("Welfare fund rate"),
    "per_share": lazy_gettext("Per share (yuan)"), "total": lazy_gettext("Total (yuan)"),
    "collective_share": lazy_gettext("The collective share's part"),
    "matter": lazy_gettext("Matter"), "reason": lazy_gettext("Reason"),
    "trade_return_rate": lazy_gettext("Share returned by trade"),
    "holders": lazy_gettext("Holders"), "paid_from": lazy_gettext("Paid from"),
    "date": lazy_gettext("Date paid"),
}
NOTICES = {
    "drafted": lazy_gettext("The plan was drafted. Disclose it, then let the members' meeting "
                            "decide it."),
    "cancelled": lazy_gettext("The plan was cancelled."),
    "posted": lazy_gettext("Posted: the plan's voucher is in the books."),
    "paid": lazy_gettext("Paid: the payment voucher was posted."),
}
DRAFT_FIELDS = ("year", "record_date", "reserve_mode", "reserve_rate", "accumulation_rate",
                "welfare_rate", "to_mode", "per_share", "total", "collective_share", "matter",
                "trade_return_rate", "key")
RATE = validate.Regexp(r"^[0-9]{1,3}(\.[0-9]{1,6})?$", error="a decimal such as 0.30")


class DraftForm(Schema):
    """The new-plan form: one reserve rate or two, a sum per share or a total."""

    year = fields.Integer(required=True, strict=True, validate=validate.Range(1900, 2099))
    record_date = DayIn(load_default=None)
    reserve_mode = Text(load_default="one", validate=validate.OneOf(("one", "two")))
    reserve_rate = Text(load_default=None, validate=RATE)
    accumulation_rate = Text(load_default=None, validate=RATE)
    welfare_rate = Text(load_default=None, validate=RATE)
    to_mode = Text(load_default="per_share", validate=validate.OneOf(("per_share", "total")))
    per_share = Text(load_default=None)
    total = Text(load_default=None)
    collective_share = Text(load_default=None, validate=validate.OneOf(COLLECTIVE_SHARE))
    matter = Text(load_default=None, validate=validate.Length(max=40))
    trade_return_rate = Text(load_default=None, validate=RATE)


class CancelForm(Schema):
    reason = Text(required=True, validate=validate.Length(min=1, max=500))


class PayForm(Schema):
    """Tick holders, or all still unpaid; from cash or a bank account; on a day."""

    holders = fields.List(Text(validate=validate.Length(max=80)), load_default=list)
    all = Flag(load_default=False)
    paid_from = Text(required=True, validate=ACCOUNT_CODE)
    date = DayIn(required=True)


def labels() -> dict[str, Any]:
    """What every distribution page's template may use."""
    return {"status_labels": STATUS_LABELS, "matter_labels": MATTER_LABELS,
            "kind_labels": KIND_LABELS, "collective_labels": COLLECTIVE_LABELS,
            "field_labels": FIELD_LABELS}


def draft_defaults(org: str) -> dict[str, str]:
    """A new plan: last year, on its 31 December, the collective share as the settings say; a
    cooperative's reserve and trade-return rates as its settings say."""
    year = services().ledger.clock().year - 1
    settings = services().ledger.books.organization(org).text_setting
    defaults = {**dict.fromkeys(DRAFT_FIELDS, ""), "year": str(year),
                "record_date": f"{year}-12-31", "reserve_mode": "one", "to_mode": "per_share",
                "collective_share": settings("collective_share"), "key": uuid.uuid4().hex}
    if services().ledger.surplus.is_cooperative(org):
        defaults |= {"reserve_rate": settings("surplus_reserve_rate"),
                     "trade_return_rate": settings("trade_return_rate"),
                     "collective_share": ""}
    return defaults


def draft_typed(form: MultiDict[str, str]) -> dict[str, str]:
    return {name: form.get(name, "").strip() for name in DRAFT_FIELDS}


def plan_args(form: MultiDict[str, str], *, drafting: bool,
              cooperative: bool = False) -> dict[str, Any]:
    """The arguments of `preview` (and of `draft`, with `matter`) the form asks for; a preview
    needs no matter yet, a draft does. A cooperative's form has the two rates only."""
    data = load_form(DraftForm(), form)
    if drafting and not data["matter"]:
        raise FormRefused(REQUIRED, field="matter")
    if cooperative:
        rates = {name: None if data[f"{name}_rate"] is None else {"rate": data[f"{name}_rate"]}
                 for name in ("reserve", "trade_return")}
        return {"year": data["year"], "record_date": data["record_date"], **rates,
                "matter": data["matter"] or ""}
    if data["reserve_mode"] == "two":
        reserve = {"accumulation_rate": data["accumulation_rate"],
                   "welfare_rate": data["welfare_rate"]}
    else:
        reserve = {"rate": data["reserve_rate"]}
    mode = data["to_mode"]
    return {"year": data["year"], "record_date": data["record_date"],
            "reserve": {k: v for k, v in reserve.items() if v is not None},
            "to_members": {mode: data[mode]} if data[mode] is not None else {},
            "collective_share": data["collective_share"], "matter": data["matter"] or ""}


def form_field(field: str, typed: dict[str, str]) -> str:
    """The form's field a ledger refusal names ("reserve.rate" is typed in reserve_rate)."""
    name = field.partition("[")[0]
    if name.startswith("trade_return"):
        return "trade_return_rate"
    if name.startswith("reserve"):
        part = name.partition(".")[2]
        if part in ("accumulation_rate", "welfare_rate"):
            return part
        if typed.get("reserve_mode") != "two":
            return "reserve_rate"
        # Two rates, one missing: beside the one left blank.
        return "welfare_rate" if typed.get("accumulation_rate") else "accumulation_rate"
    if name.startswith("to_members"):
        part = name.partition(".")[2]
        return part or ("total" if typed.get("to_mode") == "total" else "per_share")
    return name


def cancel_reason(form: MultiDict[str, str]) -> str:
    return str(load_form(CancelForm(), form)["reason"])


def pay_args(form: MultiDict[str, str]) -> dict[str, Any]:
    """The arguments of `pay` (without actor and key): the ticked holders, or "all"."""
    data = load_form(PayForm(), form)
    holders: list[str] | str = "all" if data["all"] else list(data["holders"])
    return {"holders": holders, "paid_from": data["paid_from"], "on": data["date"]}
