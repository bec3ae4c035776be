"""The public ask form: what was typed, the checks against robots, and the words shown beside a
refused field. Rule: a question reaches the ledger only after the hidden field stayed empty and
the asker added two small numbers shown in the form (the same two for a disclosure, so nothing is
kept between showing and sending); the ledger's own refusals, and those of the clean-text check
before any route, are in the reader's language beside the field.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from flask import request

from api.i18n import gettext
from api.services import services
from ledger.disclosure import MAX_NAME, MAX_TEXT, MIN_TEXT
from ledger.kernel.errors import LedgerError

_ = gettext

HONEYPOT = "website"  # a field people never see; form-filling robots fill it in


def challenge_for(ref: str) -> tuple[int, int]:
    """Two numbers from 1 to 9 for the disclosure `ref`: answerable at a glance, unlike counting
    a table's rows on a small screen."""
    digest = hashlib.sha256(ref.encode("utf-8")).digest()
    return digest[0] % 9 + 1, digest[1] % 9 + 1


@dataclass(frozen=True)
class AskForm:
    """The ask form as typed, kept to show again beside its errors."""

    line: str = "0"
    text: str = ""
    name: str = ""
    phone: str = ""
    challenge: str = ""
    honeypot: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def typed(cls) -> AskForm:
        form = request.form
        return cls(line=form.get("line", "0").strip(), text=form.get("text", ""),
                   name=form.get("name", ""), phone=form.get("phone", ""),
                   challenge=form.get("challenge", "").strip(),
                   honeypot=form.get(HONEYPOT, ""))

    def with_errors(self, **errors: str) -> AskForm:
        return replace(self, errors={**self.errors, **errors})

    def spam(self, ref: str) -> AskForm:
        """The checks against robots: the hidden field stays empty, and the asker added the two
        numbers the form shows for the disclosure `ref`."""
        if self.honeypot.strip():
            return self.with_errors(form=_("The form could not be accepted; reload the page "
                                           "and try again."))
        try:
            counted = int(self.challenge)
        except ValueError:
            counted = -1
        if counted != sum(challenge_for(ref)):
            wrong = self.with_errors(challenge=_("That is not the sum; add the two numbers "
                                                 "again."))
            # Said now with the sum, not after it: one send to put both right, not two.
            if not MIN_TEXT <= len(self.text.strip()) <= MAX_TEXT:
                wrong = wrong.with_errors(text=str(field_message("text")))
            return wrong
        return self

    def line_number(self) -> int | None:
        try:
            return int(self.line)
        except ValueError:
            return None


def field_message(name: str | None) -> str | None:
    """What to tell the asker about a field the ledger refused, in the reader's language."""
    if name == "phone" and services().ledger.cipher is None:
        return _("This server keeps no phone numbers; leave it empty.")
    return {
        "text": _("Write between %(min)s and %(max)s characters.", min=MIN_TEXT, max=MAX_TEXT),
        "line": _("Choose a line of the table, or the whole disclosure."),
        "name": _("At most %(max)s characters.", max=MAX_NAME),
        "phone": _("A phone number of digits, or leave it empty."),
    }.get(name or "")


def ledger_message(error: LedgerError) -> dict[str, str]:
    """A domain error as a message next to the form field it concerns; one that concerns no
    field we show goes above the form in the domain's own words."""
    message = field_message(error.field)
    return {error.field: message} if error.field and message else {"form": error.message}


SHOWN = ("line", "text", "name", "phone", "challenge")  # the fields the form shows back


def unclean_form(messages: Mapping[str, Mapping[str, list[str]]]) -> AskForm:
    """The form refused by api/clean_input.py (a NUL, another control character, a lone
    surrogate, a line break in a one-line field): as typed, but each refused field emptied, so
    its text is never drawn back into the page, and the reason beside it; a field the form does
    not show goes above the form."""
    errors: dict[str, str] = {}
    emptied: dict[str, str] = {}
    for fields in messages.values():
        for name, reasons in fields.items():
            shown = name in SHOWN
            errors.setdefault(name if shown else "form", reasons[0])
            if shown:
                emptied[name] = ""
    return replace(AskForm.typed(), **emptied).with_errors(**errors)
