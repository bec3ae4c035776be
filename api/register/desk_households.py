"""The page of a new member and the household registered for them: the bases this kind of
organization confirms on, and the households to pick from.
"""

from __future__ import annotations

import uuid
from typing import Any

from werkzeug.datastructures import MultiDict

from api.forms import load_form
from api.register.desk_common import today
from api.register.desk_members import WHOLE, roll_kind
from api.register.member_schemas import HouseholdIn
from api.services import services
from ledger.register import CONFIRM_BASES, NEEDS_RESOLUTION


def household_args(form: MultiDict[str, str]) -> dict[str, Any]:
    """The arguments of `register_household` (without actor and key)."""
    data = load_form(HouseholdIn(), form)
    return {"number": data["number"], "on": data["registered_on"], "address": data["address"]}


def new_view(org: str) -> dict[str, Any]:
    """What the form of a new member offers: the bases of this kind of organization, and the
    households to pick from."""
    households, _ = services().members.households(org, page=WHOLE)
    return {"bases": CONFIRM_BASES[roll_kind(org)], "needs_resolution": NEEDS_RESOLUTION,
            "households": households, "today": today().isoformat(),
            "household_key": uuid.uuid4().hex}
