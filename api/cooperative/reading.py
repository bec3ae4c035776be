"""A member's account read from the three read models it draws on — the register, the books and
the distributions — once the organization is known to exist; the JSON route, the desk page and
the export all read it here, so the three show the same figures."""

from __future__ import annotations

from typing import Any

from api.register.members import register_reading
from api.services import services
from ledger.register import MemberNotFound
from projections.register.member_statement import member_statement


def member_account(org: str, number: str, *, year: int | None,
                   after: int | None = None) -> dict[str, Any]:
    with register_reading(after, org) as register, services().queries.read() as books, \
            services().distributions.read() as distributions:
        found = member_statement(register, books, distributions, org, number, year=year,
                                 today=services().ledger.clock())
    if found is None:
        raise MemberNotFound(f"no member {number}", member=number)
    return found
