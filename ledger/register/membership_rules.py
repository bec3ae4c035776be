"""The law's rules of membership that need no roll: the bases on which membership begins and
ends for each kind of organization (a village by the 2024 Law, Art. 11–18; a cooperative by its
articles), the reasons that never end it, and how a text, a day and a resolution are written.
"""

from __future__ import annotations

from datetime import date

from ledger.kernel.errors import checked_text
from ledger.register.errors import InvalidMember

# Bases of confirmation and ending, by kind of organization. A village confirms by the members'
# meeting (Art. 11–12) and ends membership only as Art. 16–17 say; a cooperative admits and lets
# go by its own articles.
CONFIRM_BASES = {
    "village_collective": ("birth", "marriage_in", "adoption", "policy_migration", "original"),
    "farmers_cooperative": ("admitted",),
}
END_BASES = {
    "village_collective": ("death", "lost_nationality", "joined_other_collective",
                           "civil_servant", "voluntary_exit"),
    "farmers_cooperative": ("death", "exit", "expelled"),
}
# Everything but a birth is confirmed by a members' meeting resolution (Art. 12).
NEEDS_RESOLUTION = frozenset({"marriage_in", "adoption", "policy_migration", "original"})
# A written application is the basis of a voluntary exit (Art. 16).
NEEDS_DOCUMENT = frozenset({"voluntary_exit", "exit"})
NOT_ENDING = {
    "study": "外出求学", "military_service": "服兵役", "migrant_work": "外出务工经商",
    "divorce": "离婚", "imprisonment": "服刑",
}
SEXES = ("female", "male")
MAX_TEXT = 100
EARLIEST = date(1900, 1, 1)


def text(value: str | None, field_name: str, *, required: bool = True,
         limit: int = MAX_TEXT) -> str:
    return checked_text(value, field_name, InvalidMember, required=required, limit=limit)


def check_day(day: date, field_name: str) -> None:
    if not isinstance(day, date) or day < EARLIEST:
        raise InvalidMember("a date from 1900 on", field=field_name)


def checked_resolution(required: bool, resolution: str, resolution_date: date | None) -> str:
    number = text(resolution, "resolution", required=required, limit=50)
    if required and resolution_date is None:
        raise InvalidMember("the date of the members' meeting resolution",
                            field="resolution_date")
    if resolution_date is not None:
        check_day(resolution_date, "resolution_date")
    return number
