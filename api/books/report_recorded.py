"""A report as the books had been recorded at a moment (?recorded_at), for the JSON API and the
desk alike: the reader that leaves out the vouchers posted later, what the answer says of the
moment (in China's time) and of those vouchers, and the title a downloaded sheet carries so that
it is never taken for the books as they are.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ledger.kernel.clock import CHINA
from projections.books.queries import BooksReader
from projections.books.recorded import RecordedReader


def as_recorded(reader: BooksReader, org: str, moment: datetime | None,
                end: date) -> tuple[BooksReader, dict[str, Any]]:
    """The reader for the report, and what its answer adds (nothing without a moment): the
    moment, and the vouchers posted since with a line counted by `end`."""
    if moment is None:
        return reader, {}
    recorded = RecordedReader(reader, moment)
    return recorded, {"recorded_at": moment.astimezone(CHINA).isoformat(timespec="seconds"),
                      "recorded_later": recorded.recorded_later(org, end)}


def titled(name: str, recorded: dict[str, Any]) -> str:
    """The organization's name as a sheet of the report is titled: with the moment, if any."""
    at = recorded.get("recorded_at")
    return f"{name}（按 {at[:16].replace('T', ' ')} 的记录）" if at else name


def file_suffix(recorded: dict[str, Any]) -> str:
    at = recorded.get("recorded_at")
    return f"-recorded-{at[:16].replace(':', '')}" if at else ""
