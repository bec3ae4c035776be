"""The spending ladder's refusals (ledger/spending) as a Chinese desk page says them. Rule: each
English sentence the ladder, a matter's budget or a grant refuses with is matched whole and said
with its request, role, status or account; api/refusals.py tries these before falling back to
the kind of refusal, which for a 409 read "the record has changed" — untrue of all of these."""

from __future__ import annotations

from collections.abc import Callable

from api.i18n import gettext, lazy_gettext

ROLES = {"finance_lead": lazy_gettext("Finance lead"),
         "committee": lazy_gettext("Committee member"),
         "supervisor": lazy_gettext("Supervisor")}
STATUSES = {"pending": lazy_gettext("Waiting for approval"), "approved": lazy_gettext("Approved"),
            "paid": lazy_gettext("Paid"), "rejected": lazy_gettext("Rejected"),
            "withdrawn": lazy_gettext("Withdrawn")}


def _roles(listed: str) -> str:
    return "、".join(str(ROLES.get(role, role)) for role in listed.split(" and "))


def _status(status: str) -> str:
    return str(STATUSES.get(status, status))


Words = Callable[[dict[str, str]], str]
SPENDING: list[tuple[str, Words]] = [
    (r"(?P<number>\S+) still needs approval by (?P<roles>[a-z_ ]+); \S+ holds none of these "
     r"roles here",
     lambda c: gettext("%(number)s still needs approval by %(roles)s; you hold none of these "
                       "roles here.", number=c["number"], roles=_roles(c["roles"]))),
    (r"(?P<login>\S+) has already approved (?P<number>\S+)",
     lambda c: gettext("%(login)s has approved %(number)s already.", **c)),
    (r"(?P<number>\S+) is (?P<status>\w+); it takes no more approvals",
     lambda c: gettext("%(number)s is %(status)s; it needs no more approvals.",
                       number=c["number"], status=_status(c["status"]))),
    (r"(?P<number>\S+) is (?P<status>\w+), not approved",
     lambda c: gettext("%(number)s is not approved yet (%(status)s); only an approved request "
                       "is paid.", number=c["number"], status=_status(c["status"]))),
    (r"(?P<number>\S+) was already paid by voucher (?P<voucher>\S+)",
     lambda c: gettext("%(number)s was paid already (voucher %(voucher)s).", **c)),
    (r"(?P<number>S\S+) is (?P<status>\w+)",
     lambda c: gettext("%(number)s is %(status)s already.", number=c["number"],
                       status=_status(c["status"]))),
    (r"the person who asked withdraws a request, not rejects it",
     lambda c: gettext("The person who asked withdraws the request instead of rejecting it.")),
    (r"(?P<login>\S+) is not among this request's approvers",
     lambda c: gettext("%(login)s is not among this request's approvers.", **c)),
    (r"only the person who asked, or the accountant, withdraws a request",
     lambda c: gettext("Only the person who asked, or the accountant, may withdraw a "
                       "request.")),
    (r"no matter (?P<ref>\S+)", lambda c: gettext("There is no matter %(ref)s.", **c)),
    (r"no grant (?P<ref>\S+)", lambda c: gettext("There is no grant %(ref)s.", **c)),
    (r"matter (?P<matter>\S+) is \w+; spending above the committees' limit needs its "
     r"resolution decided",
     lambda c: gettext("Matter %(matter)s is not decided yet; spending above the committees' "
                       "limit needs its resolution decided.", **c)),
    (r"matter (?P<matter>\S+) is \w+; nothing more can be charged to it",
     lambda c: gettext("Nothing more can be charged to matter %(matter)s.", **c)),
    (r"account (?P<account>\S+) is not in the budget of matter (?P<matter>\S+) "
     r"\((?P<accounts>.*)\)",
     lambda c: gettext("Account %(account)s is not in the budget of matter %(matter)s "
                       "(budget accounts: %(accounts)s).", **c)),
    (r"(?P<amount>[\d,.]+) is more than the (?P<left>[\d,.]+) left of matter (?P<matter>\S+)'s "
     r"budget",
     lambda c: gettext("%(amount)s is more than the %(left)s left of matter %(matter)s's "
                       "budget.", **c)),
    (r"(?P<amount>[\d,.]+) is more than the (?P<left>[\d,.]+) left of budget line (?P<item>.+)",
     lambda c: gettext("%(amount)s is more than the %(left)s left of budget line %(item)s.",
                       **c)),
    (r"earmarked money names its grant; collective income none",
     lambda c: gettext("Earmarked money names its grant; collective income names none.")),
    (r"grant (?P<grant>\S+) is \w+ money",
     lambda c: gettext("Grant %(grant)s is not money of this fund source.", **c)),
    (r"spending is charged to a cost, expense, asset or liability account, not to income or "
     r"money",
     lambda c: gettext("Spending is charged to a cost, expense, asset or liability account, "
                       "not to income or money.")),
    (r"a request cannot be dated in the future",
     lambda c: gettext("A request cannot be dated in the future.")),
]
