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

# A matter's meetings (四议两公开) and its resolution carried out (ledger/spending/matters.py,
# meetings.py), as the matters desk says them beside the field concerned.
STEPS = {"deliberate": lazy_gettext("Deliberation by the joint meeting of the two committees"),
         "review": lazy_gettext("Review by the party members' meeting"),
         "decide": lazy_gettext("Decision by the villagers' (representatives') meeting")}
MATTER_STATUSES = {
    "proposed": lazy_gettext("Proposed"), "deliberated": lazy_gettext("Deliberated"),
    "reviewed": lazy_gettext("Reviewed by the party members"), "decided": lazy_gettext("Decided"),
    "stopped": lazy_gettext("Stopped"),
    "resolution_disclosed": lazy_gettext("Resolution disclosed"),
    "carried_out": lazy_gettext("Carried out"),
    "result_disclosed": lazy_gettext("Result disclosed")}


def _matter_status(status: str) -> str:
    return str(MATTER_STATUSES.get(status, status))


MATTERS: list[tuple[str, Words]] = [
    (r"the next step of matter (?P<matter>\S+) is (?P<step>\w+)",
     lambda c: gettext("Not in turn: the next step of matter %(matter)s is “%(step)s”.",
                       matter=c["matter"], step=str(STEPS.get(c["step"], c["step"])))),
    (r"matter (?P<matter>\S+) is (?P<status>\w+); no meeting is due",
     lambda c: gettext("Matter %(matter)s is “%(status)s”; no meeting is due.",
                       matter=c["matter"], status=_matter_status(c["status"]))),
    (r"more present than entitled to attend",
     lambda c: gettext("More present than are entitled to attend.")),
    (r"more votes than people present",
     lambda c: gettext("More votes for, against and abstaining than people present.")),
    (r"a meeting has members", lambda c: gettext("A meeting has at least one member.")),
    (r"a whole number, not negative", lambda c: gettext("A whole number, not below zero.")),
    (r"between (?P<earliest>\d{4}-\d\d-\d\d) and today",
     lambda c: gettext("A day from %(earliest)s to today.", **c)),
    (r"between the decision and today",
     lambda c: gettext("A day from the decision to today.")),
    (r"a proposal cannot be dated in the future",
     lambda c: gettext("A proposal cannot be dated in the future.")),
    (r"the Law reserves this matter to the members' meeting, one person one vote",
     lambda c: gettext("The Law reserves this matter to the members' meeting, one person one "
                       "vote.")),
    (r"disclose the resolution before recording it carried out",
     lambda c: gettext("Disclose the resolution before recording it carried out.")),
    (r"at most the (?P<granted>\d+) additional votes the charter grants .*",
     lambda c: gettext("At most the %(granted)s additional votes the charter grants.", **c)),
    (r"matter (?P<matter>M\S+) is (?P<status>\w+)",
     lambda c: gettext("Matter %(matter)s is “%(status)s”; this cannot be done now.",
                       matter=c["matter"], status=_matter_status(c["status"]))),
    (r"one of [a-z_]+(?:, [a-z_]+)+", lambda c: gettext("Choose one from the list.")),
    (r"the lines add up to (?P<lines>[\d,.]+), not the total (?P<total>[\d,.]+)",
     lambda c: gettext("The budget lines add up to %(lines)s, not the budget %(total)s.", **c)),
    (r"a whole number of fen above zero",
     lambda c: gettext("An amount above zero, with at most two decimals.")),
    (r"no account (?P<account>\S+) in these books",
     lambda c: gettext("There is no account %(account)s in these books.", **c)),
    (r"digits: 3, then 2 per level",
     lambda c: gettext("An account code: 3 digits, then 2 for each level below.")),
]
SPENDING += MATTERS
