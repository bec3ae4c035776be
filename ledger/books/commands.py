"""The commands of the books: register an organization and change its settings, open and close
accounts, post and reverse vouchers, close months and years, acknowledge warnings. Each loads
what it concerns, lets the aggregates decide, and writes through the kernel's store; every voucher
is posted by the posting service, so the cash limit is watched whatever posts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any
from uuid import UUID

from ledger.books.books import Books
from ledger.books.errors import (
    BooksNotKept,
    DateOutOfRange,
    OrganizationExists,
    OrganizationNotFound,
    PaidByAnotherRecord,
    RedFlagNotFound,
    VoucherNotFound,
)
from ledger.books.importing import RowProblem, SheetVoucher, VoucherImport
from ledger.books.numbering import NumberBook
from ledger.books.organizations import NO_BOOKS, Organization
from ledger.books.periods import Period
from ledger.books.posting import post, receipt_warnings
from ledger.books.red_flags import RedFlag, red_flag_id
from ledger.books.voucher_templates import VoucherTemplates
from ledger.books.vouchers import Voucher, VoucherDraft, voucher_id
from ledger.kernel.chart import CHART_IDS, get_chart
from ledger.kernel.idempotency import RequestKey
from ledger.kernel.writing import Decision, Outcome, Store

NUMBER = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{4,}")
# Checks that each named party (member:0012, household:003) is on the roll: the register's rule,
# handed in by the application so that the books need not know the register.
PartyCheck = Callable[[str, Sequence[tuple[int, str]]], None]
# Checks settings against what the books cannot see (the roll): a cooperative's additional
# votes within 20 % of its members' basic votes (2017 Law Art. 22). Handed in likewise.
SettingsCheck = Callable[[Organization, dict[str, int | str]], None]
# The record a voucher paid, as (kind, number): ("spending_request", "S2026-0008") or
# ("distribution", "2025-1"); None for any other voucher. Such a voucher is not reversed alone.
# Handed in likewise, so that the books need not know spending or distribution.
PaidBy = Callable[[str, Voucher], tuple[str, str] | None]


class BooksCommands:
    def __init__(self, store: Store, *, clock: Callable[[], date],
                 check_parties: PartyCheck, check_settings: SettingsCheck | None = None,
                 paid_by: PaidBy | None = None) -> None:
        self.store = store
        self.clock = clock
        self.check_parties = check_parties
        self.check_settings = check_settings
        self.paid_by = paid_by

    # -- what commands load ---------------------------------------------------------------------

    def organization(self, code: str) -> Organization:
        return self.store.load(Organization, Organization.id_for(code), lambda: (
            OrganizationNotFound(f"no organization {code}", code=code)))

    def of(self, org: str) -> Books:
        """The organization's books (账簿)."""
        found = self.store.find(Books, Books.id_for(org))
        if found is not None:
            return found
        if self.organization(org).chart == NO_BOOKS:
            raise BooksNotKept(
                "this cooperative was registered to keep only its members and member accounts "
                "here (chart \"\"); its books are kept elsewhere",
                code=org)
        raise OrganizationNotFound(f"no organization {org}", code=org)

    def voucher(self, org: str, ref: str) -> Voucher:
        """A voucher by its number (2025-03-0007) or id, within one organization only."""
        try:
            vid = voucher_id(org, ref) if NUMBER.fullmatch(ref) else UUID(ref)
        except ValueError:
            raise VoucherNotFound(f"no voucher {ref}", voucher=ref) from None
        found = self.store.find(Voucher, vid)
        if found is None or found.org != org:
            raise VoucherNotFound(f"no voucher {ref}", voucher=ref)
        return found

    def number_book(self, org: str, series: str, year: int, actor: str) -> NumberBook:
        """The series' book for the year, opened by the first number taken from it."""
        return self.store.load_or_open(NumberBook, NumberBook.id_for(org, series, year),
                                       lambda: NumberBook.open(org=org, series=series,
                                                               year=year, actor=actor))

    def red_flag(self, org: str, ref: str) -> RedFlag:
        try:
            found = self.store.find(RedFlag, UUID(ref))
        except ValueError:
            found = None
        if found is None or found.org != org:
            raise RedFlagNotFound(f"no warning {ref}", warning=ref)
        return found

    # -- commands -------------------------------------------------------------------------------

    def register_organization(
        self, *, code: str, name_zh: str, kind: str, books_start: date, actor: str,
        name_en: str = "", chart: str | None = None, request: RequestKey | None = None,
    ) -> Outcome[Organization]:
        """Register an organization and open its books on `chart`, by default its kind's."""
        if chart is None:
            chart = next((c for c in CHART_IDS if kind in get_chart(c).kinds), NO_BOOKS)

        def decide() -> Decision[Organization]:
            org = Organization.register(code=code, name_zh=name_zh, name_en=name_en, kind=kind,
                                        chart=chart, books_start=books_start, actor=actor)
            if self.store.exists(org.id):
                raise OrganizationExists(f"an organization with code {code} exists",
                                         field="code", code=code)
            if chart == NO_BOOKS:
                return org, [org]
            return org, [org, Books.open(org=code, chart=get_chart(chart),
                                         books_start=books_start, actor=actor)]

        return self.store.write(code, request, actor, decide)

    def change_settings(self, org: str, changes: dict[str, int | str], *, reason: str,
                        actor: str, request: RequestKey | None = None) -> Outcome[Organization]:
        def decide() -> Decision[Organization]:
            organization = self.organization(org)
            if self.check_settings is not None:
                self.check_settings(organization, changes)
            organization.change_settings(changes, reason=reason, actor=actor)
            return organization, [organization]

        return self.store.write(org, request, actor, decide)

    def open_account(self, org: str, *, parent: str, code: str, name_zh: str, actor: str,
                     name_en: str = "", request: RequestKey | None = None) -> Outcome[Books]:
        def decide() -> Decision[Books]:
            books = self.of(org)
            books.open_sub_account(parent=parent, code=code, name_zh=name_zh, name_en=name_en,
                                   actor=actor)
            return books, [books]

        return self.store.write(org, request, actor, decide)

    def close_account(self, org: str, code: str, *, reason: str, actor: str,
                      request: RequestKey | None = None) -> Outcome[Books]:
        def decide() -> Decision[Books]:
            books = self.of(org)
            books.close_account(code, reason=reason, actor=actor)
            return books, [books]

        return self.store.write(org, request, actor, decide)

    def post_voucher(self, org: str, draft: VoucherDraft, *, actor: str,
                     request: RequestKey | None = None) -> Outcome[Voucher]:
        draft.check()

        def decide() -> Decision[Voucher]:
            # The books and their organization brought up to date in one query.
            books, organization = self.store.find_many(
                [(Books, Books.id_for(org)), (Organization, Organization.id_for(org))])
            books = books or self.of(org)  # the right refusal when there are none
            self.check_parties(org, [(i, line.party) for i, line in enumerate(draft.lines)
                                     if line.party])
            posted = post(organization or self.organization(org), books, draft,
                          today=self.clock(), actor=actor)
            return posted.voucher, [books, *posted.changed,
                                    *receipt_warnings(books, posted.voucher, actor)]

        return self.store.write(org, request, actor, decide)

    def import_vouchers(self, org: str, vouchers: list[SheetVoucher], *, actor: str,
                        problems: list[RowProblem] | None = None, check_only: bool = False,
                        request: RequestKey | None = None, digest: str = "",
                        again: bool = False) -> Outcome[Books] | Books:
        """A sheet's vouchers, all or nothing in one write (ledger/books/importing.py); a sheet
        of that `digest` imported before is refused unless `again` (sheet_imports.py)."""
        return VoucherImport(self.store, books=self.of, organization=self.organization,
                             voucher=self.voucher, clock=self.clock,
                             check_parties=self.check_parties).run(
            org, vouchers, problems=list(problems or ()), check_only=check_only, actor=actor,
            request=request, digest=digest, again=again)

    def reverse_voucher(self, org: str, ref: str, *, on: date, reason: str, actor: str,
                        request: RequestKey | None = None) -> Outcome[Voucher]:
        def decide() -> Decision[Voucher]:
            books = self.of(org)
            original = self.voucher(org, ref)
            draft = original.reversal_draft(on, reason)
            paid = self.paid_by(org, original) if self.paid_by is not None else None
            if paid is not None:
                kind, record = paid
                raise PaidByAnotherRecord(
                    f"voucher {original.number} paid {kind.replace('_', ' ')} {record}; "
                    "reversed alone, that record would still say paid: correct the books with a "
                    "new voucher", voucher=original.number, record_kind=kind, record=record)
            if on < original.date:
                raise DateOutOfRange(
                    f"a reversal cannot be dated before the voucher it reverses "
                    f"({original.date.isoformat()})", field="date",
                    voucher_date=original.date.isoformat())
            posted = post(self.organization(org), books, draft, today=self.clock(), actor=actor,
                          reverses=original.number, reason=reason.strip())
            original.mark_reversed(posted.voucher, reason.strip(), actor)
            settled = self._settle_white_slip(org, original.number, posted.voucher.number, actor)
            return posted.voucher, [books, posted.voucher, original, *posted.warnings, *settled]

        return self.store.write(org, request, actor, decide)

    def _settle_white_slip(self, org: str, number: str, reversal: str,
                           actor: str) -> list[RedFlag]:
        """A white slip's voucher reversed pays for nothing any more: its open warning is
        acknowledged by the reversal, in the reverser's name (kept, as every warning is)."""
        flag = self.store.find(RedFlag, red_flag_id(org, "no_receipt", number))
        if flag is None or flag.acknowledgements:
            return []
        flag.acknowledge(reason=f"凭证已冲销（冲销凭证 {reversal}）", actor=actor)
        return [flag]

    def close_period(self, org: str, period: Period, *, actor: str,
                     request: RequestKey | None = None) -> Outcome[Books]:
        def decide() -> Decision[Books]:
            books = self.of(org)
            books.close_period(period, today=self.clock(), actor=actor)
            return books, [books]

        return self.store.write(org, request, actor, decide)

    def close_year(self, org: str, year: int, *, actor: str,
                   request: RequestKey | None = None) -> Outcome[Books]:
        def decide() -> Decision[Books]:
            books = self.of(org)
            entered = books.close_year(year, today=self.clock(), actor=actor)
            return books, [books, *(Voucher.post(org=org, number=number, draft=draft,
                                                 actor=actor) for draft, number in entered)]

        return self.store.write(org, request, actor, decide)

    def acknowledge_red_flag(self, org: str, ref: str, *, reason: str, actor: str,
                             request: RequestKey | None = None) -> Outcome[RedFlag]:
        def decide() -> Decision[RedFlag]:
            flag = self.red_flag(org, ref)
            flag.acknowledge(reason=reason, actor=actor)
            return flag, [flag]

        return self.store.write(f"{org}/warning/{ref}", request, actor, decide)

    def save_voucher_template(self, org: str, *, name: str, summary: str,
                              lines: list[dict[str, Any]], actor: str,
                              request: RequestKey | None = None) -> Outcome[VoucherTemplates]:
        """Keep a frequent voucher (常用凭证) by name; its accounts must take postings now."""
        def decide() -> Decision[VoucherTemplates]:
            books = self.of(org)
            for i, line in enumerate(lines):
                books.check_account(str(line.get("account", "")), f"lines[{i}].account")
            kept = self.store.load_or_open(VoucherTemplates, VoucherTemplates.id_for(org),
                                           lambda: VoucherTemplates.open(org=org, actor=actor))
            kept.save(name=name, summary=summary, lines=lines, actor=actor)
            return kept, [kept]

        return self.store.write(f"{org}/voucher-templates", request, actor, decide)

    def drop_voucher_template(self, org: str, name: str, *, actor: str,
                              request: RequestKey | None = None) -> Outcome[VoucherTemplates]:
        def decide() -> Decision[VoucherTemplates]:
            self.of(org)
            kept = self.store.load_or_open(VoucherTemplates, VoucherTemplates.id_for(org),
                                           lambda: VoucherTemplates.open(org=org, actor=actor))
            kept.drop(name, actor=actor)
            return kept, [kept]

        return self.store.write(f"{org}/voucher-templates", request, actor, decide)
