"""A cooperative's voting rule (2017 Law Art. 22): one member, one vote; the charter may grant
additional votes (附加表决权) to members who contributed more or traded more, at most 20 % of the
members' basic votes in all. The setting `additional_votes` is checked against the roll here;
each meeting checks the votes cast against it (ledger.spending's meetings).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from ledger.books import Organization
from ledger.kernel.errors import InvalidCommand
from ledger.register import MemberRoll

ART_22 = "2017 Law Art. 22, 第二十二条"


class AdditionalVotesOverLimit(InvalidCommand):
    """More additional votes than 20 % of the members' basic votes."""

    code = "invalid_setting"


def check_additional_votes(organization: Organization, changes: dict[str, int | str],
                           roll: Callable[[], MemberRoll], today: date) -> None:
    """A cooperative's `additional_votes` setting within 20 % of its members on the roll today."""
    votes = changes.get("additional_votes")
    if organization.kind != "farmers_cooperative" or not isinstance(votes, int) or not votes:
        return
    members = sum(1 for person in roll().members.values() if person.active_on(today))
    if votes * 5 > members:
        raise AdditionalVotesOverLimit(
            f"{votes} additional votes exceed 20 % of the {members} members' basic votes "
            f"({ART_22})", field="additional_votes", members=members)
