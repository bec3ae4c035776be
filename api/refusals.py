"""The ledger's refusals as a desk page says them. Rule: the ledger words its refusals in English
for programs (the JSON API keeps them); a page shows them in the reader's language — a blank
field as "required", a missing record by its kind, a known sentence by its pattern, and any other
English sentence as what kind of refusal it was, never as English on a Chinese screen.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from api.errors import status_of
from api.i18n import current_locale, gettext, lazy_gettext
from ledger.kernel.errors import LedgerError

CJK = re.compile(r"[\u3400-\u9fff]")
# "校验码不对 (the check digit is wrong)": a message in both languages keeps its Chinese.
ENGLISH_ASIDE = re.compile(r"\s*[(（][^()（）\u3400-\u9fff]*[A-Za-z][^()（）\u3400-\u9fff]*[)）]")
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
# Sentences of the ledger a desk form meets, by their English pattern.
SENTENCES: list[tuple[re.Pattern[str], Callable[[dict[str, str]], str]]] = [
    (re.compile(r"(?P<period>\S+) has not ended yet"),
     lambda c: gettext("%(period)s has not ended yet.", **c)),
]


def said(error: LedgerError) -> str:
    """The refusal in the reader's language."""
    return said_of(error.code, error.message, status_of(error))


def said_of(code: str, message: str, status: int) -> str:
    """A refusal's words from its code, message and HTTP status (the error page has only
    those). English readers get the ledger's own sentence."""
    if current_locale() == "en":
        return message
    if CJK.search(message):
        if (named := NAMED.fullmatch(message)) and CJK.search(named["rest"]):
            field = FIELDS.get(named["field"])
            message = f"{field}：{named['rest']}" if field else named["rest"]
        return ENGLISH_ASIDE.sub("", message)
    if message == REQUIRED:
        return gettext("This is required.")
    for pattern, words in SENTENCES:
        if found := pattern.fullmatch(message):
            return words(found.groupdict())
    if code.endswith("_not_found") and (kind := KINDS.get(code.removesuffix("_not_found"))):
        return gettext("There is no such %(kind)s.", kind=str(kind))
    if status == 404:
        return gettext("There is no such record.")
    if status == 409:
        return gettext("This cannot be done now: the record has changed or is in another "
                       "state. Reload the page and look again.")
    return gettext("This was not accepted; check what was typed.")
