"""Saved voucher templates (常用凭证) of one organization: the frequent vouchers (rent received,
salaries, electricity) kept by name, so the accountant starts one from its summary and lines.
A template is a fact like any other: saved, saved again under the same name, or dropped, each
an event; it posts nothing. Its amounts may be left at zero, to be typed each time.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from ledger.books.errors import InvalidVoucherLine
from ledger.books.vouchers import MAX_LINES, MAX_MEMO, MAX_SUMMARY
from ledger.kernel.aggregate import LedgerAggregate, stable_id
from ledger.kernel.errors import NotFound
from ledger.kernel.money import MAX_FEN
from ledger.kernel.topics import stored_as

MAX_NAME = 40
MAX_TEMPLATES = 200  # a village keeps a handful; the list must stay a list


class VoucherTemplateNotFound(NotFound):
    code = "voucher_template_not_found"


def check_template(name: str, summary: str, lines: list[dict[str, Any]]) -> None:
    """A template is named, has a summary and one to MAX_LINES lines, each naming an account and
    at most one side; amounts are whole fen, zero meaning "typed when used"."""
    if not name.strip():
        raise InvalidVoucherLine("a template needs a name", field="name")
    if len(name) > MAX_NAME:
        raise InvalidVoucherLine(f"at most {MAX_NAME} characters", field="name")
    if not summary.strip():
        raise InvalidVoucherLine("a voucher needs a summary (摘要)", field="summary")
    if len(summary) > MAX_SUMMARY:
        raise InvalidVoucherLine(f"at most {MAX_SUMMARY} characters", field="summary")
    if not lines:
        raise InvalidVoucherLine("a template has at least one line", field="lines")
    if len(lines) > MAX_LINES:
        raise InvalidVoucherLine(f"at most {MAX_LINES} lines", field="lines")
    for i, line in enumerate(lines):
        if not line["account"]:
            raise InvalidVoucherLine("required", field=f"lines[{i}].account")
        for side in ("debit", "credit"):
            if type(line[side]) is not int or not 0 <= line[side] <= MAX_FEN:
                raise InvalidVoucherLine("must be zero or greater", field=f"lines[{i}].{side}")
        if line["debit"] and line["credit"]:
            raise InvalidVoucherLine("each line has either a debit or a credit amount",
                                     field=f"lines[{i}]")
        if len(line["memo"]) > MAX_MEMO:
            raise InvalidVoucherLine(f"at most {MAX_MEMO} characters", field=f"lines[{i}].memo")


@stored_as("ledger.voucher_templates")
class VoucherTemplates(LedgerAggregate):
    class Opened(LedgerAggregate.Created):
        org: str

    class Saved(LedgerAggregate.Event):
        name: str
        summary: str
        lines: list[dict[str, Any]]

        def apply(self, book: VoucherTemplates) -> None:
            book.templates[self.name] = {"summary": self.summary, "lines": self.lines}

    class Dropped(LedgerAggregate.Event):
        name: str

        def apply(self, book: VoucherTemplates) -> None:
            book.templates.pop(self.name, None)

    def __init__(self, org: str, actor: str) -> None:
        self.org = org
        self.templates: dict[str, dict[str, Any]] = {}

    @staticmethod
    def id_for(org: str) -> UUID:
        return stable_id("voucher-templates", org)

    @classmethod
    def open(cls, *, org: str, actor: str) -> VoucherTemplates:
        return cls._create(cls.Opened, id=cls.id_for(org), org=org, actor=actor)

    def save(self, *, name: str, summary: str, lines: list[dict[str, Any]], actor: str) -> None:
        """Keep the template under `name`, replacing one saved before under that name."""
        name, summary = name.strip(), summary.strip()
        lines = [{"account": str(line.get("account", "")).strip(),
                  "debit": line.get("debit", 0), "credit": line.get("credit", 0),
                  "memo": str(line.get("memo", "")).strip()} for line in lines]
        check_template(name, summary, lines)
        if name not in self.templates and len(self.templates) >= MAX_TEMPLATES:
            raise InvalidVoucherLine(f"at most {MAX_TEMPLATES} templates; drop one first",
                                     field="name")
        self.trigger_event(self.Saved, name=name, summary=summary, lines=lines, actor=actor)

    def drop(self, name: str, *, actor: str) -> None:
        if name not in self.templates:
            raise VoucherTemplateNotFound(f"no template named {name}", name=name)
        self.trigger_event(self.Dropped, name=name, actor=actor)
