"""How a member's ID-card and phone numbers leave the server: opened only for a caller whose
roles in the organization may see them (the accountant, the auditor), masked for everyone else,
and never in their sealed form. The JSON API, the exports and the desk's pages all answer so.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from api.auth import principal
from api.services import services
from ledger.kernel.personal import SealedDataError, may_see

SEALED = ("id_sealed", "id_masked", "phone_sealed", "phone_masked")


def personal(org: str, record: Mapping[str, Any]) -> dict[str, Any]:
    """The ID and phone numbers as this caller may see them; never the sealed form."""
    cipher = services().ledger.cipher
    if cipher is not None and may_see(principal().roles_in(org)):
        try:
            return {"id_number": cipher.unseal(record["id_sealed"]) if record["id_sealed"]
                    else "",
                    "phone": cipher.unseal(record["phone_sealed"]) if record["phone_sealed"]
                    else "",
                    "id_number_masked": False}
        except SealedDataError:
            pass  # sealed with a key no longer held: the masked form is all there is
    return {"id_number": record["id_masked"], "phone": record["phone_masked"],
            "id_number_masked": True}


def member_out(org: str, row: Mapping[str, Any]) -> dict[str, Any]:
    """A read-model row of a member, its four sealed and masked columns replaced."""
    return {**{k: v for k, v in row.items() if k not in SEALED}, **personal(org, row)}
