"""The ledger's refusals as a desk page says them. Rule: the ledger words its refusals in English
for programs (the JSON API keeps them); a page shows them in the reader's language — a blank
field as "required", a missing record by its kind, a known sentence by its pattern, and any other
English sentence as what kind of refusal it was, never as English on a Chinese screen.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from api.errors import status_of
from api.i18n import current_locale, gettext, lazy_gettext
from api.refusal_distribution import DISTRIBUTION, STALE, grouped
from api.refusal_spending import SPENDING
from ledger.kernel.errors import LedgerError

CJK = re.compile(r"[\u3400-\u9fff]")
# "校验码不对 (the check digit is wrong)": a message in both languages keeps its Chinese.
# Two words at least: a code in brackets, such as （S2026-0006）, is part of the sentence.
ENGLISH_ASIDE = re.compile(
    r"\s*[(（](?=[^()（）]*[A-Za-z]+\s+[A-Za-z]+)[^()（）\u3400-\u9fff]*[)）]")
REQUIRED = "required"  # api/forms.py's word for a blank field, as the ledger's own
# What a missing record is called, by the refusal's code (<kind>_not_found).
KINDS = {
    "member": lazy_gettext("member"), "household": lazy_gettext("household"),
    "matter": lazy_gettext("matter"), "spending": lazy_gettext("spending request"),
    "receipt": lazy_gettext("receipt"), "grant": lazy_gettext("grant"),
    "disclosure": lazy_gettext("disclosure"), "question": lazy_gettext("question"),
    "voucher": lazy_gettext("voucher"), "red_flag": lazy_gettext("warning"),
    "spending_request": lazy_gettext("spending request"),
    "voucher_template": lazy_gettext("saved voucher"), "token": lazy_gettext("token"),
}
# A part of the address named in a refusal ("period: …"), as the desk's pages call it.
FIELDS = {"account": lazy_gettext("Account"), "period": lazy_gettext("Month"),
          "date": lazy_gettext("Date"), "from": lazy_gettext("From"), "to": lazy_gettext("To"),
          "page": lazy_gettext("Page"), "format": lazy_gettext("File format")}
NAMED = re.compile(r"(?P<field>[a-z_]+): (?P<rest>.*)", re.S)
# An amount the ledger names in a refusal ("10000.00", for programs): shown as the desk shows
# money, 10,000.00. An example of how to type one is shown as it is typed.
AMOUNT = re.compile(r"-?\d{4,}\.\d{2}")
TYPED_AS_IS = {"example"}


def _balance(net: str) -> str:
    """A leaf's balance as the ledger words it (a net debit, "-5.00" a credit) on its side."""
    amount = grouped(net.lstrip("-"))
    return (gettext("a credit balance of %(amount)s", amount=amount) if net.startswith("-")
            else gettext("a debit balance of %(amount)s", amount=amount))


# Closing an account (ledger/books/books.py close_account), on the chart's close forms.
ACCOUNTS = [
    (r"account (?P<account>\S+) has a balance of (?P<balance>-?[\d.]+); transfer it first",
     lambda c: gettext("Account %(account)s still has %(balance)s; transfer it to another "
                       "account first, then close it.", account=c["account"],
                       balance=_balance(c["balance"]))),
    (r"the year-end close needs account (?P<account>\S+)",
     lambda c: gettext("The year-end close posts to account %(account)s; it cannot be closed.",
                       **c)),
    (r"account (?P<account>\S+) is already closed",
     lambda c: gettext("Account %(account)s is closed already.", **c)),
    (r"closing an account needs a reason", lambda c: gettext("Say why the account is closed.")),
    (r"no account (?P<account>\S+) in these books",
     lambda c: gettext("There is no account %(account)s in these books.", **c)),
]


# Sentences of the ledger (and of marshmallow) a desk form meets, by their English pattern.
Words = Callable[[dict[str, str]], str]
SENTENCES: list[tuple[re.Pattern[str], Words]] = [(re.compile(pattern, re.S), words) for
                                                   pattern, words in (
    (r"the books start on (?P<books_start>\S+); a statement is of (?P<first>\S+) or later",
     lambda c: gettext("The books start on %(books_start)s: choose %(first)s or later.", **c)),
    (r'must be a decimal string such as "1234\.50"',
     lambda c: gettext("An amount in yuan, such as 1234.50: digits and a point, no commas.")),
    (r"(?P<period>[0-9]{4}-[0-9]{2}) is closed; post the correction in an open month",
     lambda c: gettext("%(period)s is closed; date it in an open month.", **c)),
    (r"(?P<account>\d+) holds (?P<available>-?[0-9.]+); paying (?P<amount>[0-9.]+) would take "
     r"it below zero",
     lambda c: gettext("Account %(account)s holds only %(available)s, not enough to pay "
                       "%(amount)s. Pay from another account, or record the money received "
                       "first.", **c)),
    (r"the voucher moves no balance: each account is debited and credited alike",
     lambda c: gettext("This voucher changes no balance: each account is debited and credited "
                       "the same amount.")),
    (r"size is one of (?P<sizes>.+)",
     lambda c: gettext("The sheet prints on %(sizes)s paper: choose one of them.",
                       sizes=c["sizes"].replace(", ", "、"))),
    (r"(?P<period>\S+) has not ended yet",
     lambda c: gettext("%(period)s has not ended yet.", **c)),
    (r"say why", lambda c: gettext("Say why.")),
    (r"say why the question is hidden", lambda c: gettext("Say why the question is hidden.")),
    (r"say what the correction corrects and why",
     lambda c: gettext("Say what the correction corrects, and why.")),
    (r"a reason of 1–(?P<most>\d+) characters",
     lambda c: gettext("Give a reason of at most %(most)s characters.", **c)),
    (r"the posting stays up at least (?P<days>\d+) days",
     lambda c: gettext("A disclosure stays posted for at least %(days)s days.", **c)),
    (r"a month \(2026-10\), a quarter \(2026-Q3\) or a year \(2026\).*",
     lambda c: gettext("A month (2026-10), a quarter (2026-Q3) or a year (2026).")),
    (r"(?:Length must be between (?P<least>\d+) and (?P<most>\d+)\.|"
     r"(?P<least_>\d+)–(?P<most_>\d+) characters)",
     lambda c: gettext("From %(least)s to %(most)s characters.",
                       least=c["least"] or c["least_"], most=c["most"] or c["most_"])),
    (r"must be a day written YYYY-MM-DD.*",
     lambda c: gettext("A date written as 2026-11-03.")),
    (r"this ID number is already on the roll, as member (?P<member>\S+)",
     lambda c: gettext("This ID number is on the roll already, as member %(member)s.", **c)),
    (r"no member (?P<ref>\S+) on the roll",
     lambda c: gettext("There is no member %(ref)s on the roll.", **c)),
    (r"no household (?P<ref>\S+) on the roll",
     lambda c: gettext("There is no household %(ref)s on the roll.", **c)),
    (r"no outside holder (?P<ref>\S+) in the share register",
     lambda c: gettext("There is no outside holder %(ref)s in the share register.", **c)),
    (r"choose a \.xlsx or \.csv file", lambda c: gettext("Choose an .xlsx or .csv file.")),
    (r"(?P<amount>[\d,.]+) is more than the (?P<approved>[\d,.]+) approved",
     lambda c: gettext("%(amount)s is more than the %(approved)s approved.", **c)),
    (r"the person who asked cannot approve their own request",
     lambda c: gettext("The person who asked cannot approve their own request.")),
    (r"at most two decimals.*", lambda c: gettext("An amount with at most two decimals.")),
    (r"say why, in 1 to (?P<most>\d+) characters",
     lambda c: gettext("Say why, in at most %(most)s characters.", **c)),
    (r"(?P<login>\S+) is not on this disclosure's review panel",
     lambda c: gettext("%(login)s is not on this disclosure's review panel.", **c)),
    (r"the question is already (?P<how>visible|hidden)", lambda c: gettext(
        "The question is shown already.") if c["how"] == "visible" else gettext(
        "The question is hidden already.")),
    (r"line (?P<line>\d+) is not a line of this disclosure \(lines 1–(?P<last>\d+)\)",
     lambda c: gettext("There is no line %(line)s here: the lines are 1 to %(last)s.", **c)),
    (r"line \d+: this disclosure has no numbered lines", lambda c: gettext(
        "This disclosure has no numbered lines; write the note in the opinion.")),
    (r"household (?P<household>\S+) is already registered",
     lambda c: gettext("Household %(household)s is registered already.", **c)),
    (r".*already used for a different request",
     lambda c: gettext("This form was sent already with other contents; open the page again "
                       "and fill it in anew.")),
    (r"above (?P<amount>[\d,.]+) spending needs a matter decided by .*",
     lambda c: gettext("Spending above %(amount)s needs a matter decided by the villagers' "
                       "(representatives') meeting.", **c)),
    *SPENDING,
    *DISTRIBUTION,
    *STALE,
    *ACCOUNTS,
)]

# What a disclosure at the wrong stage was asked to do (the refusal's context names both).
ACTIONS = {"submit": lazy_gettext("submitted for review"), "sign": lazy_gettext("signed off"),
           "refuse": lazy_gettext("returned"), "publish": lazy_gettext("published"),
           "archive": lazy_gettext("archived"), "supersede": lazy_gettext("redrafted"),
           "correct": lazy_gettext("corrected")}


def with_grouped_amounts(context: Mapping[str, Any]) -> dict[str, Any]:
    """The refusal's values, each amount grouped by thousands as the desk shows money."""
    return {key: f"{Decimal(value):,.2f}" if (
        isinstance(value, str) and key not in TYPED_AS_IS and AMOUNT.fullmatch(value))
        else value for key, value in context.items()}


def said(error: LedgerError) -> str:
    """The refusal in the reader's language."""
    return said_of(error.code, error.message, status_of(error), error.context)


def said_of(code: str, message: str, status: int,
            context: Mapping[str, Any] | None = None) -> str:
    """A refusal's words from its code, message, HTTP status and context (the error page has
    the JSON's). English readers get the ledger's own sentence."""
    if current_locale() == "en":
        return message
    if code == "disclosure_state" and (words := _disclosure_stage(context or {})):
        return words
    for pattern, words in SENTENCES:
        if found := pattern.fullmatch(message):
            return words(with_grouped_amounts(found.groupdict()))
    if CJK.search(message):
        if (named := NAMED.fullmatch(message)) and CJK.search(named["rest"]):
            field = FIELDS.get(named["field"])
            message = f"{field}：{named['rest']}" if field else named["rest"]
        return ENGLISH_ASIDE.sub("", message)
    if message == REQUIRED:
        return gettext("This is required.")
    if code.endswith("_not_found") and (kind := KINDS.get(code.removesuffix("_not_found"))):
        return gettext("There is no such %(kind)s.", kind=str(kind))
    if status == 404:
        return gettext("There is no such record.")
    if status >= 500:  # the server's fault, never the reader's typing
        return gettext("Something went wrong on the server, not in what was typed. Try again "
                       "later; if it happens again, tell the township centre.")
    if status == 409:
        return gettext("This cannot be done now: the record has changed or is in another "
                       "state. Reload the page and look again.")
    return gettext("This was not accepted; check what was typed.")


def _disclosure_stage(context: Mapping[str, Any]) -> str:
    # Imported here: the disclosure desk's forms word their own refusals through this module.
    from api.disclosure.desk_forms import STAGE_LABELS

    stage, action = STAGE_LABELS.get(context.get("status", "")), ACTIONS.get(
        context.get("action", ""))
    if stage is None or action is None:
        return ""
    return gettext("This disclosure is at the stage “%(stage)s”; it cannot be %(action)s now.",
                   stage=str(stage), action=str(action))
