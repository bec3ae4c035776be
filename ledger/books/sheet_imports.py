"""A sheet of vouchers is imported into one organization's books once, unless the accountant says
it is meant again. Rule: the fact "this sheet was imported, as these vouchers, at this time, by
this person" is an event written in the same atomic write as the vouchers themselves, so the books
never hold the vouchers without the fact, nor the fact without the vouchers.

Design (the smallest sound one): an aggregate per (organization, sheet digest), whose id is derived
from both, so finding it is one load and two concurrent first imports of one sheet cannot both
create it (the loser is decided again and refused). The digest is of the sheet's vouchers as read
(`canonical`), not of the file's bytes: the same vouchers saved again by Excel, or sent as .csv
instead of .xlsx, are the same sheet; the edge keys it with the server's secret, since a sheet
holds names. An Idempotency-Key is a different thing: it makes a retry answer as the first try,
and a sheet may be sent again under a new key; this refuses it whatever the key.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any
from uuid import UUID

from ledger.kernel.aggregate import LedgerAggregate, stable_id
from ledger.kernel.errors import Conflict
from ledger.kernel.topics import stored_as

if TYPE_CHECKING:
    from ledger.books.importing import SheetVoucher


class SheetAlreadyImported(Conflict):
    """The same sheet was already imported into these books; say `again` to import it again.
    Its context names when (`imported_at`, UTC), by whom and as which vouchers."""

    code = "sheet_already_imported"


def canonical(vouchers: Sequence[SheetVoucher]) -> bytes:
    """What makes two sheets the same sheet: their vouchers as read, in the sheet's order."""
    return json.dumps([
        [v.number, v.draft.date.isoformat(), v.draft.summary, v.draft.kind,
         v.draft.attachments, v.reverses,
         [[line.account, line.debit, line.credit, line.memo, line.party]
          for line in v.draft.lines]]
        for v in vouchers], ensure_ascii=False, separators=(",", ":")).encode()


def number_ranges(numbers: Iterable[str]) -> list[str]:
    """Voucher numbers as runs: "2026-11-0001–2026-11-0003". One import holds the books' turn,
    so its vouchers of one month are consecutive and an import of a year is a dozen runs."""
    runs: list[list[str]] = []
    for number in sorted(numbers):
        last = runs[-1][-1] if runs else ""
        if last and last[:7] == number[:7] and int(number[8:]) == int(last[8:]) + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return [run[0] if len(run) == 1 else f"{run[0]}–{run[-1]}" for run in runs]


@stored_as("ledger.voucher_sheets")
class VoucherSheet(LedgerAggregate):
    class Opened(LedgerAggregate.Created):
        org: str
        digest: str

    class Imported(LedgerAggregate.Event):
        vouchers: list[str]  # runs of numbers (number_ranges)
        count: int
        again: bool

        def apply(self, sheet: VoucherSheet) -> None:
            sheet.imports.append({"at": self.timestamp.isoformat(timespec="seconds"),
                                  "by": self.actor, "vouchers": self.vouchers,
                                  "count": self.count})

    def __init__(self, org: str, digest: str) -> None:
        self.org = org
        self.digest = digest
        self.imports: list[dict[str, Any]] = []

    @staticmethod
    def id_for(org: str, digest: str) -> UUID:
        return stable_id("voucher-sheet", json.dumps([org, digest]))

    @classmethod
    def open(cls, *, org: str, digest: str, actor: str) -> VoucherSheet:
        return cls._create(cls.Opened, id=cls.id_for(org, digest), org=org, digest=digest,
                           actor=actor)

    def check_new(self, again: bool) -> None:
        """Refused when imported before, unless `again`: naming the last time and its vouchers."""
        if self.imports and not again:
            last = self.imports[-1]
            raise SheetAlreadyImported(
                f"this sheet was already imported on {last['at']} as "
                f"{', '.join(last['vouchers'])}; send again=true to import it once more",
                field="file", imported_at=last["at"], imported_by=last["by"],
                vouchers=last["vouchers"], count=last["count"], times=len(self.imports))

    def imported(self, numbers: Sequence[str], *, actor: str) -> None:
        self.trigger_event(self.Imported, vouchers=number_ranges(numbers), count=len(numbers),
                           again=bool(self.imports), actor=actor)
