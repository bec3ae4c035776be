"""Which details a correction of a member changes: a form that shows every detail sends back the
unchanged ones too, and a detail sent as the roll already has it is no correction, so the
history names only what was mended. A blank detail keeps the roll's (the ID and phone inputs
always start blank: no form is ever filled in with one).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from ledger.register.members import Person

# Opens a sealed number; None when it cannot be opened (no key, or an old one).
Opener = Callable[[str], str | None]


def changed_details(person: Person, *, name: str = "", sex: str = "",
                    born: date | None = None, id_number: str = "", phone: str = "",
                    opened: Opener) -> dict[str, Any]:
    """The keyword arguments of `correct_member` for the details that differ from `person`.
    A sealed number that cannot be opened counts as different, so the ledger is asked and
    answers."""
    changes: dict[str, Any] = {}
    name, sex = (name or "").strip(), (sex or "").strip()
    if name and name != person.name:
        changes["name"] = name
    if sex and sex != person.sex:
        changes["sex"] = sex
    if born is not None and born != person.born:
        changes["born"] = born
    # The ledger keeps ID numbers in capitals; a lower-case x is the same number.
    id_number = (id_number or "").strip().upper()
    if id_number and not _holds(person.id_sealed, id_number, opened):
        changes["id_number"] = id_number
    phone = (phone or "").strip()
    if phone and not _holds(person.phone_sealed, phone, opened):
        changes["phone"] = phone
    return changes


def _holds(sealed: str, clear: str, opened: Opener) -> bool:
    return bool(sealed) and opened(sealed) == clear
