"""What every page of the roll and the share register shares: the labels of its values and
fields (the summary atop a refused form names the field, in the page's language), the notices
after a redirect, and typed days. Rule: turn typed text into values, refusing only what could not
be asked at all; the register decides the rest.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import request
from werkzeug.datastructures import MultiDict

from api.i18n import lazy_gettext
from api.services import services
from ledger.register import InvalidMember

SEX_LABELS = {"male": lazy_gettext("Male"), "female": lazy_gettext("Female")}
BASIS_LABELS = {
    "birth": lazy_gettext("Birth"),
    "marriage_in": lazy_gettext("Marriage into the collective"),
    "adoption": lazy_gettext("Adoption"),
    "policy_migration": lazy_gettext("Moved in by policy"),
    "original": lazy_gettext("Original confirmation"),
    "admitted": lazy_gettext("Admitted"),
}
END_LABELS = {
    "death": lazy_gettext("Death"),
    "lost_nationality": lazy_gettext("Lost Chinese nationality"),
    "joined_other_collective": lazy_gettext("Became a member of another collective"),
    "civil_servant": lazy_gettext("Became a civil servant (not one on contract)"),
    "voluntary_exit": lazy_gettext("Left of their own will, by written application"),
    "exit": lazy_gettext("Left the cooperative"),
    "expelled": lazy_gettext("Expelled"),
}
STATUS_LABELS = {"active": lazy_gettext("Members"),
                 "ended": lazy_gettext("No longer members"), "all": lazy_gettext("Everyone")}
CHANGE_LABELS = {
    "confirmed": lazy_gettext("Confirmed as a member"),
    "moved": lazy_gettext("Moved household"),
    "head": lazy_gettext("Became head of household"),
    "ended": lazy_gettext("Membership ended"),
    "corrected": lazy_gettext("Details corrected"),
}
HOLDER_LABELS = {"household": lazy_gettext("Household"), "member": lazy_gettext("Member"),
                 "outside": lazy_gettext("Outside holder"),
                 "org": lazy_gettext("Collective")}
HOLDING_LABELS = {"household": lazy_gettext("Held by households"),
                  "person": lazy_gettext("Held by members")}
MOVEMENT_LABELS = {
    "transfer": lazy_gettext("Transfer"),
    "inheritance": lazy_gettext("Inheritance"),
    "buy_back": lazy_gettext("Bought back"),
    "allocation": lazy_gettext("Allocated"),
    "return": lazy_gettext("Returned to the collective"),
}
# Named in the summary atop a refused form, and in the list of corrected fields.
FIELD_LABELS = {
    "household": lazy_gettext("Household no."),
    "head": lazy_gettext("Head of household"),
    "name": lazy_gettext("Name"),
    "sex": lazy_gettext("Sex"),
    "born": lazy_gettext("Date of birth"),
    "basis": lazy_gettext("Basis"),
    "confirmed_on": lazy_gettext("Date confirmed"),
    "registered_on": lazy_gettext("Date registered"),
    "address": lazy_gettext("Address"),
    "number": lazy_gettext("Member no."),
    "id_number": lazy_gettext("ID card no."),
    "id_sealed": lazy_gettext("ID card no."),
    "phone": lazy_gettext("Phone"),
    "phone_sealed": lazy_gettext("Phone"),
    "resolution": lazy_gettext("Resolution no."),
    "resolution_date": lazy_gettext("Date of the resolution"),
    "ended_on": lazy_gettext("Date membership ended"),
    "document": lazy_gettext("Supporting document"),
    "on": lazy_gettext("Date of the move"),
    "reason": lazy_gettext("Why"),
    "file": lazy_gettext("Spreadsheet file"),
    "quantified_on": lazy_gettext("Date the shares were quantified"),
    "date": lazy_gettext("Date"),
    "changes": lazy_gettext("Details to correct"),
}
NOTICES = {
    "confirmed": lazy_gettext("The member was confirmed."),
    "ended": lazy_gettext("The end of membership was recorded."),
    "moved": lazy_gettext("The move to the other household was recorded."),
    "household": lazy_gettext("The household was registered. Now confirm its members."),
    "imported": lazy_gettext("The roll was imported."),
    "corrected": lazy_gettext("The correction was recorded."),
    "head": lazy_gettext("The member was recorded as head of the household."),
}


def labels() -> dict[str, Any]:
    """What every page of the roll and the register may use."""
    return {"sex_labels": SEX_LABELS, "basis_labels": BASIS_LABELS, "end_labels": END_LABELS,
            "status_labels": STATUS_LABELS, "change_labels": CHANGE_LABELS,
            "holder_labels": HOLDER_LABELS, "holding_labels": HOLDING_LABELS,
            "movement_labels": MOVEMENT_LABELS, "field_labels": FIELD_LABELS}


def notice() -> str:
    return str(NOTICES.get(request.args.get("done", ""), ""))


def today() -> date:
    return services().ledger.clock()


def day(text: str, field_name: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidMember("a date such as 2026-11-22", field=field_name) from None


def asked_day() -> date:
    """The `date` of the address: the day the page shows; today when not given."""
    text = request.args.get("date", "").strip()
    return day(text, "date") if text else today()


def typed(form: MultiDict[str, str], names: tuple[str, ...]) -> dict[str, str]:
    return {name: form.get(name, "").strip() for name in names}
