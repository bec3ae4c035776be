"""A voucher sheet's problems as the desk says them. Rule: the JSON API keeps the sheet's and the
ledger's English reasons for programs; a page says every one of them in the reader's language —
a rule's refusal from its code and context (voucher_forms.message_of, the entry form's own
words), a cell that cannot be read from its sentence's pattern, and anything else through the
desk's refusal wording (api/refusals.py), never as English on a Chinese screen.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from api.books.voucher_forms import MESSAGES, message_of
from api.i18n import current_locale, gettext
from api.refusals import said_of
from api.render.charts import yuan
from ledger.kernel.errors import InvalidCommand
from ledger.kernel.money import parse_fen

Words = Callable[[dict[str, str]], str]
# "voucher B5 (rows 16–17): …" — a refusal about a whole voucher, named by its first row.
WHOLE = re.compile(r"voucher .+? \((?:rows (?P<first>\d+)–(?P<last>\d+)|one row)\): (?P<rest>.*)",
                   re.S)
SHOWN = re.compile(r'(?P<reason>.+), not "(?P<cell>.*)"', re.S)
# What reading the sheet says of a cell, a column or the file (api/books/voucher_cells.py,
# api/register/roll_cells.py), and the ledger's sentences that carry no context to word them by.
SENTENCES: list[tuple[re.Pattern[str], Words]] = [(re.compile(pattern, re.S), words) for
                                                   pattern, words in (
    (r"an amount (?:with at most two decimals, )?such as 1234\.50",
     lambda c: gettext("An amount of yuan with at most two decimals, such as 1234.50.")),
    (r"too large: at most [\d,.]+", lambda c: str(MESSAGES["too_large"])),
    (r"amount too large", lambda c: str(MESSAGES["too_large"])),
    (r"记账, 期初 or 冲销", lambda c: gettext("记账, 期初 or 冲销.")),
    (r"year-end closing vouchers are posted by closing the year .*",
     lambda c: gettext("Year-end closing vouchers are posted by closing the year on the "
                       "periods page, not imported.")),
    (r"a whole number of attachments",
     lambda c: gettext("A whole number of attachments.")),
    (r'unknown column "(?P<name>.*)"', lambda c: gettext("Unknown column “%(name)s”.", **c)),
    (r"repeats column (?P<column>[A-Z]+)",
     lambda c: gettext("Repeats column %(column)s.", **c)),
    (r"the column (?P<name>\S+) \(\w+\) is missing",
     lambda c: gettext("The column %(name)s is missing.", **c)),
    (r"at most (?P<most>\d+) lines at once",
     lambda c: gettext("At most %(most)s lines at once.", **c)),
    (r"at most (?P<most>\d+) vouchers at once",
     lambda c: gettext("At most %(most)s vouchers at once.", **c)),
    (r"the sheet has no vouchers", lambda c: gettext("The sheet has no vouchers.")),
    (r"voucher (?P<voucher>.+) has (?P<value>.+) on row (?P<row>\d+)",
     lambda c: gettext("Voucher %(voucher)s has %(value)s on row %(row)s.", **c)),
    (r"voucher (?P<voucher>.+)'s summary is on row (?P<row>\d+); put this line's words in 备注",
     lambda c: gettext("Voucher %(voucher)s's summary is on row %(row)s; put this line's "
                       "words in 备注.", **c)),
    (r"text, not a date", lambda c: gettext("A date, not text.")),
    (r"a date such as 2025-06-01 or 2025年6月1日",
     lambda c: gettext("A date such as 2025-06-01 or 2025年6月1日.")),
    (r"no such day", lambda c: gettext("There is no such day.")),
    (r"an old \.xls workbook: save it as \.xlsx or \.csv",
     lambda c: gettext("An old .xls workbook: save it as .xlsx or .csv.")),
    (r"a \.xlsx or \.csv file", lambda c: gettext("Choose an .xlsx or .csv file.")),
    (r"the file cannot be read as \.(?P<suffix>\w*)",
     lambda c: gettext("The file cannot be read as .%(suffix)s.", **c)),
    (r"text in UTF-8 or GB18030",
     lambda c: gettext("Save the text as UTF-8 or GB18030.")),
    (r"a voucher needs a summary.*", lambda c: str(MESSAGES["summary"])),
    (r"at most (?P<most>\d+) characters",
     lambda c: gettext("At most %(most)s characters.", **c)),
    (r"a voucher has at least two lines", lambda c: str(MESSAGES["two_lines"])),
    (r"the voucher moves no balance: each account is debited and credited alike",
     lambda c: gettext("This voucher changes no balance: each account is debited and credited "
                       "the same amount.")),
    (r"at most (?P<most>\d+) lines", lambda c: gettext("At most %(most)s lines.", **c)),
    (r"each line has either a debit or a credit amount",
     lambda c: gettext("Each line has one amount: a debit or a credit.")),
    (r"must be greater than zero", lambda c: gettext("An amount greater than zero.")),
    (r"a reversal line is negative",
     lambda c: gettext("A red-ink (冲销) line has a negative amount.")),
    (r"member:<成员编号>, household:<户号> or outside:<编号>",
     lambda c: gettext("A party such as member:0012, household:003 or outside:001.")),
    (r"a red-ink voucher repeats the lines of (?P<voucher>\S+) with every amount negated",
     lambda c: gettext("A red-ink voucher repeats the lines of %(voucher)s, every amount "
                       "negated.", **c)),
    (r"a red-ink voucher names the voucher it reverses",
     lambda c: gettext("A red-ink voucher names the voucher it reverses (冲销凭证号).")),
    (r"no voucher (?P<voucher>\S+) earlier in the sheet or in the books",
     lambda c: gettext("There is no voucher %(voucher)s earlier in the sheet or in the "
                       "books.", **c)),
    (r"opening balances are dated the day the books start, (?P<day>\S+)",
     lambda c: gettext("Opening balances are dated the day the books start, %(day)s.", **c)),
    (r"opening balances are already posted as (?P<voucher>\S+); .*",
     lambda c: gettext("Opening balances are posted already, as %(voucher)s; reverse them "
                       "to post new ones.", **c)),
)]


class _Refusal(InvalidCommand):
    """A refusal kept in the sheet's report as its code, message and context, made again so
    that the desk's wording of refusals applies to it."""


def reason_of(problem: Mapping[str, Any]) -> str:
    """One problem of the report ({reason, code, context, voucher}) in the reader's language."""
    reason = str(problem.get("reason") or "")
    if current_locale() == "en":
        return reason
    prefix = ""
    if problem.get("voucher") and (whole := WHOLE.fullmatch(reason)):
        reason = whole["rest"]
        prefix = gettext("Voucher %(voucher)s (rows %(first)s–%(last)s): ",
                         voucher=problem["voucher"], first=whole["first"],
                         last=whole["last"]) if whole["first"] else gettext(
            "Voucher %(voucher)s: ", voucher=problem["voucher"])
    return prefix + _worded(reason, str(problem.get("code") or ""),
                            dict(problem.get("context") or {}))


def _worded(reason: str, code: str, context: dict[str, Any]) -> str:
    if code == "unbalanced_voucher" and {"debit_total", "credit_total"} <= set(context):
        debit, credit = (parse_fen(context[k]) for k in ("debit_total", "credit_total"))
        return gettext("Debits %(debit)s and credits %(credit)s differ by %(diff)s.",
                       debit=yuan(debit), credit=yuan(credit), diff=yuan(abs(debit - credit)))
    if shown := SHOWN.fullmatch(reason):
        return gettext("%(reason)s (the cell holds “%(cell)s”)",
                       reason=_worded(shown["reason"], code, context).rstrip("。."),
                       cell=shown["cell"])
    for pattern, words in SENTENCES:
        if found := pattern.fullmatch(reason):
            return words({k: v or "" for k, v in found.groupdict().items()})
    if code:
        refusal = _Refusal(reason, **context)
        refusal.code = code
        return message_of(refusal)
    return said_of("", reason, 422)
