"""What the register refuses: members and households, shares, member accounts and imports of
the roll."""

from __future__ import annotations

from ledger.kernel.errors import Conflict, InvalidCommand, NotFound


class InvalidMember(InvalidCommand):
    code = "invalid_member"


class MembershipNotEnded(InvalidCommand):
    """The law says this reason does not end membership (Rural Collective Economic Organization
    Law Art. 18): study, military service, migrant work, divorce, imprisonment."""

    code = "membership_not_ended"


class MemberStateError(Conflict):
    """Already a member, no longer a member, or the household does not allow it."""

    code = "member_state"


class MemberNotFound(NotFound):
    code = "member_not_found"


class HouseholdNotFound(NotFound):
    code = "household_not_found"


class InvalidShares(InvalidCommand):
    code = "invalid_shares"


class SharesStateError(Conflict):
    """Not yet quantified, already quantified, or the holder does not have the shares."""

    code = "shares_state"


class ShareCapExceeded(Conflict):
    """A holder's cap (e.g. 3 %) or the collective share's cap (e.g. 30 %) would be passed."""

    code = "share_cap_exceeded"


class InvalidMemberAccount(InvalidCommand):
    code = "invalid_member_account"


class MemberAccountStateError(Conflict):
    code = "member_account_state"


class ImportRejected(InvalidCommand):
    """A spreadsheet with any bad row imports nothing; `context["rows"]` names every problem."""

    code = "import_rejected"
