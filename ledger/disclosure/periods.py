"""What a disclosure period is: a month ("2026-10"), a quarter ("2026-Q3") or a year ("2026"),
each written in exactly that form; its first and last day; the last one of a cadence that ended
before a day; and how the village's titles name it (2026年10月). One parser for the ledger, the
read models, the API's schema and the desk's forms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from ledger.disclosure.errors import InvalidDisclosure

CADENCES = ("month", "quarter", "year")
# One example per cadence, for the forms' hints and the API's documentation.
PERIOD_EXAMPLES = {"month": "2026-10", "quarter": "2026-Q3", "year": "2026"}
PERIOD_FORMS = "a month (2026-10), a quarter (2026-Q3) or a year (2026)"
FIRST_YEAR, LAST_YEAR = 1980, 2999
# The same, as the API's document states it: a month, a quarter or a year of 1980–2999.
PERIOD_PATTERN = r"(19[89][0-9]|2[0-9]{3})(-(0[1-9]|1[0-2])|-Q[1-4])?"
_MONTH = re.compile(r"([0-9]{4})-(0[1-9]|1[0-2])")
_QUARTER = re.compile(r"([0-9]{4})-Q([1-4])")
_YEAR = re.compile(r"([0-9]{4})")


@dataclass(frozen=True)
class DisclosurePeriod:
    """A period as written (`label`), its cadence, and its first and last day."""

    label: str
    cadence: str
    start: date
    end: date

    @property
    def words(self) -> str:
        """How a title names it: 2026年10月, 2026年第3季度, 2026年度."""
        if self.cadence == "month":
            return f"{self.start.year}年{self.start.month}月"
        if self.cadence == "quarter":
            return f"{self.start.year}年第{(self.start.month + 2) // 3}季度"
        return f"{self.start.year}年度"


def parse_period(label: str) -> DisclosurePeriod:
    """The period `label` names, or InvalidDisclosure on the field "period"."""
    if (match := _MONTH.fullmatch(label)) and FIRST_YEAR <= int(match[1]) <= LAST_YEAR:
        year, month = int(match[1]), int(match[2])
        end = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
        return DisclosurePeriod(label, "month", date(year, month, 1), end)
    if (match := _QUARTER.fullmatch(label)) and FIRST_YEAR <= int(match[1]) <= LAST_YEAR:
        year, quarter = int(match[1]), int(match[2])
        after = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
        return DisclosurePeriod(label, "quarter", date(year, 3 * quarter - 2, 1),
                                after - timedelta(days=1))
    if _YEAR.fullmatch(label) and FIRST_YEAR <= int(label) <= LAST_YEAR:
        year = int(label)
        return DisclosurePeriod(label, "year", date(year, 1, 1), date(year, 12, 31))
    raise InvalidDisclosure(PERIOD_FORMS, field="period")


def span_of(period: str) -> tuple[date, date]:
    """The first and last day of "2026-10", "2026-Q3" or "2026"."""
    parsed = parse_period(period)
    return parsed.start, parsed.end


def last_ended(cadence: str, today: date) -> str:
    """The last month, quarter or year that ended before `today`, as a period label."""
    if cadence == "year":
        return str(today.year - 1)
    if cadence == "quarter":
        quarter = (today.month - 1) // 3
        return f"{today.year - 1}-Q4" if quarter == 0 else f"{today.year}-Q{quarter}"
    last = today.replace(day=1) - timedelta(days=1)
    return f"{last.year}-{last.month:02d}"


def ended_since(cadence: str, start: date, today: date) -> list[str]:
    """The periods of `cadence` that began in or after the month of `start` (the books' first
    day) and ended before `today`, oldest first: the disclosures a village owes."""
    labels: list[str] = []
    year, month = start.year, start.month
    while date(year, month, 1) < today:
        label = {"month": f"{year}-{month:02d}", "quarter": f"{year}-Q{(month + 2) // 3}",
                 "year": str(year)}[cadence]
        period = parse_period(label)
        if label not in labels and period.start >= start.replace(day=1) and period.end < today:
            labels.append(label)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return labels


def period_words(label: str) -> str:
    """How a title names the period `label`; empty when it names none."""
    try:
        return parse_period(label).words
    except InvalidDisclosure:
        return ""
