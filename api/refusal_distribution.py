"""The year-end distribution's refusals (ledger/distribution) as a Chinese desk page says them,
each holder by its number and each figure by the plan page's name for it. Rule: each English
sentence is matched whole; api/refusals.py tries these before its own fallbacks."""

from __future__ import annotations

import re
from collections.abc import Callable

from api.i18n import gettext, lazy_gettext

# The year-end distribution's refusals (ledger/distribution); a holder is named by its number.
DISTRIBUTION: list[tuple[str, Callable[[dict[str, str]], str]]] = [
    (r"a year from (?P<year>\d{4})", lambda c: gettext("A year from %(year)s on.", **c)),
    (r"(?P<year>\d{4}) has not ended; its income is shared after 12-31",
     lambda c: gettext("%(year)s has not ended; its income is shared after 31 December.", **c)),
    (r"a day of (?P<year>\d{4})", lambda c: gettext("A day of %(year)s.", **c)),
    (r"the shares were not quantified by that day",
     lambda c: gettext("The shares were not yet quantified on that day.")),
    (r"either rate, or accumulation_rate and welfare_rate",
     lambda c: gettext("Give one reserve rate, or both the accumulation and the welfare fund "
                       "rates.")),
    (r"either per_share or total",
     lambda c: gettext("Give either an amount per share or a total.")),
    (r'a decimal (?:string )?such as "?(?P<example>[\d.]+)"?',
     lambda c: gettext("A decimal number such as %(example)s.", **c)),
    (r"not negative(?: and at most (?P<most>[\d.]+))?",
     lambda c: gettext("Not below zero, and at most %(most)s.", **c) if c["most"]
     else gettext("Not below zero.")),
    (r"the reserve's rates add up to (?P<total>[\d.]+), under the charter's minimum "
     r"(?P<minimum>[\d.]+)",
     lambda c: gettext("The reserve rates add up to %(total)s, below the charter's minimum "
                       "%(minimum)s.", **c)),
    (r"the reserve's rates add up to more than 1",
     lambda c: gettext("The reserve rates add up to more than 1.")),
    (r"the holders would get (?P<amount>[\d,.]+), more than the (?P<left>[\d,.]+) left of "
     r"\S+ after the reserve",
     lambda c: gettext("The holders would get %(amount)s, more than the %(left)s of "
                       "distributable income left after the reserve.", **c)),
    (r"keep or reserve", lambda c: gettext("Keep it, or send it to the reserve.")),
    (r"matter (?P<matter>\S+) is a \w+ matter; a plan is decided as a distribution matter",
     lambda c: gettext("Matter %(matter)s is not a year-end distribution matter.", **c)),
    (r"(?P<year>\d{4}) already has (?P<amount>[\d.]+) posted to 332 各项分配 outside a plan; "
     r"reverse it before drafting the plan",
     lambda c: gettext("%(year)s already has %(amount)s posted to 332 各项分配 by vouchers "
                       "outside a plan; reverse those vouchers before drafting the plan.", **c)),
    (r"(?P<year>\d{4}) has plan (?P<plan>\S+) \(\w+\); cancel it before drafting another",
     lambda c: gettext("%(year)s has plan %(plan)s already; cancel it before drafting another.",
                       **c)),
    (r"distribution (?P<plan>\S+) is \w+; only a plan not yet posted is cancelled",
     lambda c: gettext("Plan %(plan)s is posted or cancelled; only a plan not yet posted is "
                       "cancelled.", **c)),
    (r"why the plan is cancelled", lambda c: gettext("Say why the plan is cancelled.")),
    (r"distribution (?P<plan>\S+) is \w+; a plan is posted once",
     lambda c: gettext("Plan %(plan)s is posted already, or cancelled.", **c)),
    (r"matter (?P<matter>\S+) is \w+; the members' meeting decides the plan before it is "
     r"posted",
     lambda c: gettext("The members' meeting has not decided matter %(matter)s yet; the plan "
                       "is posted once it has.", **c)),
    (r"distribution (?P<plan>\S+) is \w+; holders are paid once it is posted",
     lambda c: gettext("Holders are paid once plan %(plan)s is posted.", **c)),
    (r"every holder of (?P<plan>\S+) is paid",
     lambda c: gettext("Every holder of plan %(plan)s is paid already.", **c)),
    (r'a list of holders, or "all"',
     lambda c: gettext("Tick the holders paid, or everyone not yet paid.")),
    (r"\w+:(?P<holder>\S+) was paid (?P<amount>[\d,.]+) on (?P<day>\S+) by voucher "
     r"(?P<voucher>\S+)",
     lambda c: gettext("%(holder)s was paid %(amount)s on %(day)s already (voucher "
                       "%(voucher)s).", **c)),
    (r"\w+:(?P<holder>\S+) is owed nothing",
     lambda c: gettext("%(holder)s is owed nothing.", **c)),
    (r"\w+:(?P<holder>\S+) is not a holder of (?P<plan>\S+)",
     lambda c: gettext("%(holder)s is not a holder of plan %(plan)s.", **c)),
    (r"on or after (?P<day>\S+), the day the plan was posted",
     lambda c: gettext("On or after %(day)s, the day the plan was posted.", **c)),
    (r"cash or a bank account", lambda c: gettext("Cash or a bank account.")),
    (r"the share register on (?P<day>\S+) changed after plan (?P<plan>\S+) was drafted "
     r"\((?P<moved>.*)\); cancel it and draft the plan again",
     lambda c: gettext("The share register on %(day)s has changed since plan %(plan)s was "
                       "drafted (%(moved)s); cancel the plan and draft it again.",
                       day=c["day"], plan=c["plan"],
                       moved=re.sub(r"household:(\S+)", r"\1户", c["moved"]))),
]
# What a plan's figure or line is called on the plan's own page, for a plan that went stale.
FIGURES = {
    "net_income": lazy_gettext("This year's income"),
    "undistributed_at_start": lazy_gettext("Undistributed income at the start of the year"),
    "loss_covered": lazy_gettext("Loss covered"),
    "distributable": lazy_gettext("Distributable income"),
    "reserve_base": lazy_gettext("Reserve base"),
    "accumulation": lazy_gettext("Accumulation fund"),
    "welfare": lazy_gettext("Welfare fund"),
    "reserve": lazy_gettext("Reserve (accumulation and welfare fund)"),
    "collective_to_reserve": lazy_gettext("The collective share's part, to the reserve"),
    "collective_kept": lazy_gettext("The collective share's part, kept"),
    "to_members": lazy_gettext("To the holders"),
    "already_distributed": lazy_gettext("Already distributed by hand this year"),
    "undistributed_at_end": lazy_gettext("Undistributed income at the end of the year"),
    "shares": lazy_gettext("Shares"), "amount": lazy_gettext("Amount"),
}
SURPLUS_FIGURES = FIGURES | {
    "net_income": lazy_gettext("This year's surplus"),
    "undistributed_at_start": lazy_gettext("Undistributed surplus at the start of the year"),
    "distributable": lazy_gettext("Distributable surplus"),
    "reserve": lazy_gettext("Surplus reserve taken"),
    "accumulation": lazy_gettext("Surplus reserve taken"),
    "to_members": lazy_gettext("Distributable surplus"),
    "undistributed_at_end": lazy_gettext("Undistributed surplus at the end of the year"),
    "trade_return": lazy_gettext("Returned by trade"), "return": lazy_gettext("Returned by trade"),
    "remaining": lazy_gettext("Remaining share"), "trade": lazy_gettext("Trade (yuan)"),
    "weight": lazy_gettext("Weight (contribution, reserve shares of years before, fund share)"),
}
CHANGE = re.compile(r"(?:(?P<holder>\S+:\S+|org) )?(?P<name>[a-z_]+) (?P<was>\S+)→(?P<now>\S+)")


def _holder(holder: str) -> str:
    kind, _, ref = holder.partition(":")
    if holder == "org":
        return str(lazy_gettext("Collective share"))
    if kind == "household":
        return f"{ref}户"
    return gettext("Member %(number)s", number=ref) if kind == "member" else holder


def grouped(amount: str) -> str:
    """ "63581.00" as the plan's page shows it, "63,581.00"; a count of shares as it is."""
    whole, dot, fen = amount.partition(".")
    return f"{int(whole):,}.{fen}" if dot and whole.lstrip("-").isdigit() else amount


def _changes(listed: str, cooperative: bool) -> str:
    """ "net_income 1.00→2.00, member:0002 trade 0.00→1.00, and 3 more" as the plan's page
    names each figure and holder."""
    names = SURPLUS_FIGURES if cooperative else FIGURES
    said = []
    for item in listed.split(", "):
        if more := re.fullmatch(r"and (\d+) more", item):
            said.append(gettext("and %(count)s more", count=more[1]))
        elif change := CHANGE.fullmatch(item):
            name = str(names.get(change["name"], change["name"]))
            who = f"{_holder(change['holder'])} " if change["holder"] else ""
            text = f"{who}{name} {grouped(change['was'])}→{grouped(change['now'])}"
            if text not in said:  # a cooperative's 盈余公积 is both its reserve and its fund
                said.append(text)
        else:
            said.append(item)
    return "；".join(said)


STALE = [
    (r"the books changed after plan (?P<plan>\S+) was drafted \((?P<changed>.*)\); cancel it "
     r"and draft the plan again",
     lambda c: gettext("The books have changed since plan %(plan)s was drafted (%(changed)s); "
                       "cancel the plan and draft it again.", plan=c["plan"],
                       changed=_changes(c["changed"], cooperative=False))),
    (r"the books or the trade changed after plan (?P<plan>\S+) was drafted "
     r"\((?P<changed>.*)\); cancel it and draft the plan again",
     lambda c: gettext("The books or the members' trade have changed since plan %(plan)s was "
                       "drafted (%(changed)s); cancel the plan and draft it again.",
                       plan=c["plan"], changed=_changes(c["changed"], cooperative=True))),
]
