"""Importing vouchers from a spreadsheet (how an accountant moves in from paper or another
package): every voucher is checked by the same rules as one posted alone, every problem is named
by the sheet's row and column, and the import is all or nothing — one atomic write of the books
and every voucher, so the books are never half-imported and their numbers stay gap-free. A sheet
given with its digest is imported once: the same sheet again is refused unless `again` is said,
and the fact of each import is written in that same write (ledger/books/sheet_imports.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ledger.books.books import Books
from ledger.books.errors import DateOutOfRange, InvalidVoucherLine
from ledger.books.organizations import Organization
from ledger.books.posting import Posted, post
from ledger.books.sheet_imports import VoucherSheet
from ledger.books.vouchers import Voucher, VoucherDraft, check_lines, check_summary
from ledger.kernel.errors import InvalidCommand, LedgerError
from ledger.kernel.idempotency import RequestKey
from ledger.kernel.writing import Decision, Outcome, Store

MAX_VOUCHERS = 50_000  # a busy village's year is a few thousand; a centre's merge fits too
_LINE_FIELD = re.compile(r"lines\[(\d+)\](?:\.(\w+))?")


class VouchersRejected(InvalidCommand):
    """A sheet with any bad voucher imports nothing; `context["rows"]` names every problem."""

    code = "import_rejected"


@dataclass(frozen=True)
class SheetVoucher:
    """One voucher as the sheet gives it: its number there (a key that groups its lines; the
    books give their own), the sheet row of each line, and the voucher itself. A red-ink voucher
    (kind "reversal") may name, in `reverses`, the voucher it reverses: its number earlier in the
    same sheet, or a number already in the books."""

    number: str
    rows: tuple[int, ...]
    draft: VoucherDraft
    reverses: str = ""


@dataclass(frozen=True)
class RowProblem:
    row: int  # 0: the import as a whole
    column: str
    reason: str
    # A rule's refusal keeps its code and context, so that a page can word it for its reader;
    # `voucher` is the sheet's number when the reason concerns a whole voucher.
    code: str = ""
    context: dict[str, Any] = field(default_factory=dict)
    voucher: str = ""


class VoucherImport:
    def __init__(self, store: Store, *, books: Callable[[str], Books],
                 organization: Callable[[str], Organization],
                 voucher: Callable[[str, str], Voucher], clock: Callable[[], date],
                 check_parties: Callable[..., None]) -> None:
        self.store, self.books, self.organization = store, books, organization
        self.voucher, self.clock, self.check_parties = voucher, clock, check_parties

    def run(self, org: str, vouchers: list[SheetVoucher], *, problems: list[RowProblem],
            check_only: bool, actor: str, request: RequestKey | None, digest: str = "",
            again: bool = False) -> Outcome[Books] | Books:
        """`problems` found while reading the sheet are reported with the rules' own. With
        `check_only` every rule is applied and every problem reported, but nothing is written.
        With a `digest` (of `canonical(vouchers)`), a sheet already imported is refused first,
        check or not, unless `again`."""
        if not vouchers and not problems:
            raise VouchersRejected("the sheet has no vouchers", rows=[])
        if len(vouchers) > MAX_VOUCHERS:
            raise VouchersRejected(f"at most {MAX_VOUCHERS} vouchers at once", rows=[])
        # Numbers follow the days, as on paper; vouchers of one day keep the sheet's order.
        ordered = sorted(vouchers, key=lambda v: v.draft.date)

        def decide() -> Decision[Books]:
            sheet_record = self._sheet_record(org, digest, again, actor)
            books, found = self.books(org), list(problems)
            organization, today = self.organization(org), self.clock()
            changed: dict[str, Voucher] = {}
            numbers: dict[str, str] = {}
            warnings = []
            for sheet in ordered:
                try:
                    posted = self._enter(org, organization, books, sheet, numbers, changed,
                                         today, actor)
                except LedgerError as error:
                    found.append(_located(error, sheet))
                    continue
                numbers[sheet.number] = posted.voucher.number
                changed[posted.voucher.number] = posted.voucher
                warnings += posted.warnings
            if found:
                raise _rejected(found)
            if sheet_record is not None:
                sheet_record.imported(list(numbers.values()), actor=actor)
                return books, [books, *changed.values(), *warnings, sheet_record]
            return books, [books, *changed.values(), *warnings]

        if check_only:
            return decide()[0]
        return self.store.write(org, request, actor, decide)

    def _sheet_record(self, org: str, digest: str, again: bool,
                      actor: str) -> VoucherSheet | None:
        if not digest:
            return None
        found = self.store.find(VoucherSheet, VoucherSheet.id_for(org, digest))
        if found is not None:
            found.check_new(again)
            return found
        return VoucherSheet.open(org=org, digest=digest, actor=actor)

    def _enter(self, org: str, organization: Organization, books: Books, sheet: SheetVoucher,
               numbers: dict[str, str], changed: dict[str, Voucher], today: date,
               actor: str) -> Posted:
        draft = sheet.draft
        if draft.kind == "reversal":
            check_summary(draft.summary)
            check_lines(draft.lines, red_ink=True)  # before the books number it
        else:
            draft.check()
        parties = [(i, line.party) for i, line in enumerate(draft.lines) if line.party]
        if parties:
            self.check_parties(org, parties)
        if draft.kind != "reversal":
            return post(organization, books, draft, today=today, actor=actor)
        original = self._original(org, sheet, numbers, changed)
        if tuple(line.negated() for line in original.line_items) != draft.lines:
            raise InvalidVoucherLine(f"a red-ink voucher repeats the lines of {sheet.reverses} "
                                     "with every amount negated", field="lines",
                                     reverses=sheet.reverses)
        original.check_reversible()
        if draft.date < original.date:
            raise DateOutOfRange(f"a reversal cannot be dated before the voucher it reverses "
                                 f"({original.date.isoformat()})", field="date",
                                 voucher_date=original.date.isoformat())
        posted = post(organization, books, draft, today=today, actor=actor,
                      reverses=original.number, reason=draft.summary)
        original.mark_reversed(posted.voucher, draft.summary, actor)
        changed[original.number] = original
        return posted

    def _original(self, org: str, sheet: SheetVoucher, numbers: dict[str, str],
                  changed: dict[str, Voucher]) -> Voucher:
        if not sheet.reverses:
            raise InvalidVoucherLine("a red-ink voucher names the voucher it reverses",
                                     field="reverses")
        if sheet.reverses in numbers:  # earlier in this sheet, posted in this very write
            return changed[numbers[sheet.reverses]]
        try:
            found = self.voucher(org, sheet.reverses)
            return changed.get(found.number, found)  # as this write has already changed it
        except LedgerError:
            raise InvalidVoucherLine(f"no voucher {sheet.reverses} earlier in the sheet or in "
                                     "the books", field="reverses",
                                     reverses=sheet.reverses) from None


def _located(error: LedgerError, sheet: SheetVoucher) -> RowProblem:
    """The problem on the row and column of the sheet that holds what the rule refused."""
    where = _LINE_FIELD.fullmatch(error.field or "")
    if where is not None and int(where[1]) < len(sheet.rows):
        line = sheet.draft.lines[int(where[1])]
        column = where[2] or ("debit" if line.debit else "credit")
        return RowProblem(sheet.rows[int(where[1])], column, error.message, error.code,
                          error.context)
    column = {"lines": "debit", None: "", "": ""}.get(error.field, error.field or "")
    span = f"rows {sheet.rows[0]}–{sheet.rows[-1]}" if len(sheet.rows) > 1 else "one row"
    whole = error.field == "lines"
    reason = f"voucher {sheet.number} ({span}): {error.message}" if whole else error.message
    return RowProblem(sheet.rows[0], column, reason, error.code, error.context,
                      sheet.number if whole else "")


def _rejected(found: list[RowProblem]) -> VouchersRejected:
    bad = len({p.row for p in found})
    return VouchersRejected(
        f"nothing was imported: {len(found)} problem(s) in {bad} row(s)",
        rows=[{"row": p.row, "column": p.column, "reason": p.reason, "code": p.code,
               "context": p.context, "voucher": p.voucher}
              for p in sorted(found, key=lambda p: (p.row, p.column))])
