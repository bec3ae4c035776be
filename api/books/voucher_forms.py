"""The voucher entry form (记账凭证) as typed: date, summary, attachments and a grid of lines
(`line-N-account`, `-debit`, `-credit`, `-memo`). Rule: the server checks everything the page's
script checks, and names every field that is wrong, in Chinese, beside that field; only a form
with no such mistake goes to the ledger, whose own refusal is put beside its field the same way.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from werkzeug.datastructures import MultiDict

from api.books.account_picker import find
from api.i18n import gettext, lazy_gettext
from api.refusals import said, with_grouped_amounts
from api.render.charts import yuan
from ledger.books import MAX_LINES, MAX_MEMO, MAX_SUMMARY, Line, VoucherDraft
from ledger.kernel.errors import LedgerError
from ledger.kernel.money import AmountError, format_fen, parse_fen

LINE_FIELDS = ("account", "debit", "credit", "memo")
KINDS = ("regular", "opening")  # what the form may post; reversals and closings have their own
MIN_ROWS = 4  # a fresh voucher shows four rows; most have two or three lines
DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_LINE_KEY = re.compile(r"line-([0-9]{1,3})-(account|debit|credit|memo)")
_LEDGER_FIELD = re.compile(r"lines\[([0-9]+)\](?:\.(\w+))?")

MESSAGES = {
    "date": lazy_gettext("A date such as 2026-11-22."),
    "summary": lazy_gettext("A voucher needs a summary."),
    "summary_long": lazy_gettext("At most 200 characters."),
    "memo_long": lazy_gettext("At most 200 characters."),
    "attachments": lazy_gettext("A whole number from 0 to 9999."),
    "account": lazy_gettext("Choose an account that takes postings (a leaf account)."),
    "account_missing": lazy_gettext("Choose the account of this line."),
    "ambiguous": lazy_gettext("More than one account fits; type its code."),
    "amount": lazy_gettext("An amount of yuan such as 1234.50, greater than zero."),
    "decimals": lazy_gettext("At most two decimals: amounts are kept to the fen."),
    "too_large": lazy_gettext("Too large: an amount is at most 9,999,999,999,999.99."),
    "one_side": lazy_gettext("A line has either a debit or a credit amount, not both."),
    "no_amount": lazy_gettext("Type the debit or the credit amount of this line."),
    "two_lines": lazy_gettext("A voucher has at least two lines."),
    "too_many": lazy_gettext("At most 200 lines."),
    "reason": lazy_gettext("Say why the voucher is reversed."),
    "name": lazy_gettext("Give the template a name of at most 40 characters."),
}
# The ledger's refusals a voucher form can meet, in the reader's language, filled in from the
# refusal's context; the rest show the ledger's own message.
Worded = Callable[[dict[str, str]], str]
LEDGER_MESSAGES: dict[str, Worded] = {
    "period_closed": lambda c: gettext(
        "%(period)s is closed; date the voucher in an open month.", **c),
    "account_not_leaf": lambda c: gettext(
        "%(account)s has sub-accounts; post to one of them.", **c),
    "account_closed": lambda c: gettext("Account %(account)s is closed to new postings.", **c),
    "unknown_account": lambda c: gettext("There is no account %(account)s in these books.", **c),
    "invalid_account": lambda c: gettext(
        "%(account)s 本年收益 takes only the year-end close's entries.", **c),
    "already_reversed": lambda c: gettext(
        "This voucher was already reversed by %(reversed_by)s.", **c),
    "not_reversible": lambda c: gettext(
        "A reversal or closing voucher cannot be reversed; post a new voucher instead."),
    "paid_by_another_record": lambda c: gettext(
        "Voucher %(voucher)s paid %(record)s; reversed alone, that record would still say "
        "paid. Correct the books with a new voucher instead.", voucher=c["voucher"],
        record=(gettext("spending request %(no)s", no=c["record"])
                if c["record_kind"] == "spending_request"
                else gettext("distribution %(no)s", no=c["record"]))),
    "opening_exists": lambda c: gettext(
        "Opening balances are already posted as %(number)s; reverse that voucher to post new "
        "ones.", **c),
}
DATE_MESSAGES: dict[str, Worded] = {
    "opening_day": lambda c: gettext(
        "Opening balances are dated the day the books start, %(day)s.", day=c["opening_day"]),
    "books_start": lambda c: gettext("The books start on %(books_start)s.", **c),
    "today": lambda c: gettext(
        "A voucher cannot be dated in the future (today is %(today)s).", **c),
    "voucher_date": lambda c: gettext(
        "A reversal cannot be dated before the voucher it reverses (%(voucher_date)s).", **c),
}


@dataclass
class VoucherForm:
    """What the form shows, as typed, and what was wrong with it, by form field."""

    date: str
    summary: str
    attachments: str = "0"
    key: str = field(default_factory=lambda: uuid.uuid4().hex)
    lines: list[dict[str, str]] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    # The large amounts the accountant is asked to confirm ("" when none): the value of the
    # "确认金额无误" box, so that a tick confirms these amounts and no others typed later.
    confirm: str = ""
    # A voucher already in the books with this day, summary and lines (""): posting the same
    # voucher twice is asked about, and the box that confirms it names that voucher.
    twin: str = ""
    # "opening" (期初余额): the balances the books start with, dated the books' first day.
    kind: str = "regular"

    def padded(self) -> list[dict[str, str]]:
        """The grid's rows: the typed lines and blank ones up to MIN_ROWS, one blank at least."""
        rows = max(len(self.lines) + 1, MIN_ROWS)
        return self.lines + [dict.fromkeys(LINE_FIELDS, "")] * (rows - len(self.lines))


def blank(today: date) -> VoucherForm:
    return VoucherForm(date=today.isoformat(), summary="")


def from_template(today: date, template: dict[str, Any]) -> VoucherForm:
    """A fresh voucher started from a saved template: its summary and lines, amounts left
    blank where the template keeps none."""
    lines = [{"account": line["account"],
              "debit": format_fen(line["debit"]) if line["debit"] else "",
              "credit": format_fen(line["credit"]) if line["credit"] else "",
              "memo": line.get("memo", "")} for line in template["lines"]]
    return VoucherForm(date=today.isoformat(), summary=template["summary"], lines=lines)


def typed(form: MultiDict[str, str]) -> VoucherForm:
    """The form as typed, blank rows left out, in the grid's order."""
    rows: dict[int, dict[str, str]] = {}
    for name, value in form.items():
        if found := _LINE_KEY.fullmatch(name):
            row = rows.setdefault(int(found.group(1)), dict.fromkeys(LINE_FIELDS, ""))
            row[found.group(2)] = value.strip()
    lines = [rows[n] for n in sorted(rows) if any(rows[n].values())]
    key = form.get("key", "")
    return VoucherForm(date=form.get("date", "").strip(), summary=form.get("summary", "").strip(),
                       attachments=form.get("attachments", "").strip() or "0",
                       key=key if re.fullmatch(r"[0-9a-f]{32}", key) else uuid.uuid4().hex,
                       lines=lines, kind=form.get("kind", "") if form.get("kind") in KINDS
                       else "regular")


def draft_of(form: VoucherForm, accounts: list[dict[str, str]],
             closed: Collection[str] = ()) -> VoucherDraft | None:
    """The voucher the form asks for, or None with every mistake named in `form.errors`. An
    account typed as a name or initials that fits one account only is taken as its code; a
    `closed` one (停用) is refused as closed."""
    errors = form.errors
    day = day_of(form.date, "date", errors)
    if not form.summary:
        errors["summary"] = str(MESSAGES["summary"])
    elif len(form.summary) > MAX_SUMMARY:
        errors["summary"] = str(MESSAGES["summary_long"])
    attachments = int(form.attachments) if form.attachments.isdigit() else -1
    if not 0 <= attachments <= 9999:
        errors["attachments"] = str(MESSAGES["attachments"])
    lines = [_line(i + 1, row, accounts, errors, closed) for i, row in enumerate(form.lines)]
    if len(lines) > MAX_LINES:
        errors["lines"] = str(MESSAGES["too_many"])
    elif len(lines) < 2:
        errors["lines"] = str(MESSAGES["two_lines"])
    if errors or day is None or any(line is None for line in lines):
        return None
    kept = tuple(line for line in lines if line is not None)
    debit, credit = sum(x.debit for x in kept), sum(x.credit for x in kept)
    if debit != credit:
        errors["lines"] = gettext(
            "Debits %(debit)s and credits %(credit)s differ by %(diff)s.",
            debit=yuan(debit), credit=yuan(credit), diff=yuan(abs(debit - credit)))
        return None
    return VoucherDraft(date=day, summary=form.summary, lines=kept, attachments=attachments,
                        kind=form.kind)


def unconfirmed_large(form: VoucherForm, draft: VoucherDraft, threshold: int,
                      confirmed: str) -> bool:
    """Whether the voucher has an amount at or above `threshold` (fen; 0: none is asked about)
    that the accountant has not confirmed: then each such amount is warned of beside its cell,
    and `form.confirm` is what the confirming box sends. A 13-digit amount is within the
    books' limit but almost surely a digit typed twice."""
    large = [(n, side, fen) for n, line in enumerate(draft.lines, start=1)
             for side, fen in (("debit", line.debit), ("credit", line.credit))
             if threshold and fen >= threshold]
    if not large:
        return False
    form.confirm = ",".join(f"{n}{side[0]}{fen}" for n, side, fen in large)
    if confirmed == form.confirm:
        return False
    # The whole sentence atop the page, its link going to the box; beside each amount only a
    # few words, which fit the narrow amount column.
    first = large[0][2]
    form.errors = {"confirm_amounts": gettext(
        "%(amount)s is %(limit)s or more: check that no digit was typed twice; if it is "
        "right, tick \"The amounts are right\" and post again.",
        amount=yuan(first), limit=yuan(threshold)), **form.errors}
    for n, side, _fen in large:
        form.errors[f"line-{n}-{side}"] = gettext("A large amount: check it")
    return True


def template_lines(form: VoucherForm,
                   accounts: list[dict[str, str]]) -> list[dict[str, Any]] | None:
    """The form's lines as a template keeps them (amounts may be blank), or None with the
    mistakes in `form.errors`; accounts are read as on a voucher, and the ledger checks them
    and the template's name."""
    errors = form.errors
    if not form.summary:
        errors["summary"] = str(MESSAGES["summary"])
    lines = []
    for n, row in enumerate(form.lines, start=1):
        prefix = f"line-{n}-"
        account = _account(row["account"], accounts, prefix + "account", errors)
        if account is not None:
            row["account"] = account
        sides = {side: _amount(row[side], prefix + side, errors) for side in ("debit", "credit")}
        if sides["debit"] and sides["credit"]:
            errors[prefix + "credit"] = str(MESSAGES["one_side"])
        lines.append({"account": account or "", "debit": sides["debit"] or 0,
                      "credit": sides["credit"] or 0, "memo": row["memo"]})
    if not lines:
        errors["lines"] = str(MESSAGES["account_missing"])
    return None if errors else lines


def day_of(text: str, name: str, errors: dict[str, str]) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors[name] = str(MESSAGES["date"])
        return None


def _line(n: int, row: dict[str, str], accounts: list[dict[str, str]],
          errors: dict[str, str], closed: Collection[str] = ()) -> Line | None:
    prefix = f"line-{n}-"
    account = _account(row["account"], accounts, prefix + "account", errors, closed)
    if account is not None:
        row["account"] = account  # shown back as the code it was taken for, with its name
    amounts = {side: _amount(row[side], prefix + side, errors) for side in ("debit", "credit")}
    if len(row["memo"]) > MAX_MEMO:
        errors[prefix + "memo"] = str(MESSAGES["memo_long"])
    debit, credit = amounts["debit"], amounts["credit"]
    if debit is None or credit is None or account is None or prefix + "memo" in errors:
        return None
    if debit and credit:
        errors[prefix + "credit"] = str(MESSAGES["one_side"])
        return None
    if not debit and not credit:
        errors[prefix + "debit"] = str(MESSAGES["no_amount"])
        return None
    return Line(account, debit, credit, row["memo"])


def _account(text: str, accounts: list[dict[str, str]], name: str,
             errors: dict[str, str], closed: Collection[str] = ()) -> str | None:
    if not text:
        errors[name] = str(MESSAGES["account_missing"])
        return None
    code = text.split()[0]  # "51301 干部报酬", as the picker fills it, is the code
    if any(a["code"] == code for a in accounts):
        return code
    if code in closed:  # the ledger's own words for it, not "choose a leaf account"
        errors[name] = LEDGER_MESSAGES["account_closed"]({"account": code})
        return None
    if code.isdigit():  # a code is taken as typed, never as another account that starts so
        errors[name] = str(MESSAGES["account"])
        return None
    found = find(accounts, text)
    if len(found) == 1:
        return found[0]["code"]
    errors[name] = str(MESSAGES["ambiguous"] if found else MESSAGES["account"])
    return None


# A Chinese input method left on after the summary types 860。50 or full-width １２００．００;
# the accountant meant 860.50 and 1200.00, and voucher_entry.js reads them so too.
_IME_AMOUNT = str.maketrans("０１２３４５６７８９．。，", "0123456789..,")


def _amount(text: str, name: str, errors: dict[str, str]) -> int | None:
    text = text.translate(_IME_AMOUNT)
    if not text:
        return 0
    try:
        fen = parse_fen(text.replace(",", ""))
    except AmountError:
        fen = -1
    if fen <= 0:
        errors[name] = str(MESSAGES[_wrong_amount(text.replace(",", "").strip())])
        return None
    return fen


def _wrong_amount(text: str) -> str:
    """Which mistake an unreadable amount shows: a third decimal, too many digits, or else
    not a positive amount of yuan at all."""
    if re.fullmatch(r"[0-9]+\.[0-9]{3,}", text):
        return "decimals"
    if re.fullmatch(r"[0-9]{14,}(?:\.[0-9]*)?", text):
        return "too_large"
    return "amount"


def ledger_errors(error: LedgerError, *, form_field: str = "") -> dict[str, str]:
    """A refusal of the ledger, by the form field it concerns (`lines[2].debit` is the third
    row's `line-3-debit`), worded for the reader where the desk knows the rule."""
    name = form_field or error.field or "form"
    if found := _LEDGER_FIELD.fullmatch(error.field or ""):
        side = found.group(2) or "debit"
        name = f"line-{int(found.group(1)) + 1}-{side}"
    return {name: message_of(error)}


def message_of(error: LedgerError) -> str:
    context = with_grouped_amounts({key: str(value) for key, value in error.context.items()})
    worded = LEDGER_MESSAGES.get(error.code)
    if error.code == "date_out_of_range":
        worded = next((w for key, w in DATE_MESSAGES.items() if key in context), None)
    if worded is not None:
        try:
            return worded(context)
        except KeyError:  # a refusal of this kind without the usual context
            pass
    return said(error)

