"""An organization (集体经济组织 or 农民专业合作社) is registered once under a code that names it
in every address; the code is unique, URL-safe and never changes.
"""

from __future__ import annotations

import re
from datetime import date
from uuid import UUID

from ledger.aggregate import LedgerAggregate, stable_id
from ledger.chart import CHART_IDS, get_chart
from ledger.errors import InvalidOrganization

KINDS = ("village_collective", "farmers_cooperative")
CODE = re.compile(r"[a-z0-9][a-z0-9-]{0,38}[a-z0-9]")
# Codes that would shadow the product's own addresses once villages have public pages.
RESERVED = frozenset({"api", "static", "docs", "admin", "login", "logout", "health", "healthz"})
MAX_NAME = 100
EARLIEST_START = date(1980, 1, 1)


class Organization(LedgerAggregate):
    class Registered(LedgerAggregate.Created):
        code: str
        name_zh: str
        name_en: str
        kind: str
        chart: str
        books_start: date

    def __init__(
        self, code: str, name_zh: str, name_en: str, kind: str, chart: str, books_start: date,
        actor: str,
    ) -> None:
        self.code = code
        self.name_zh = name_zh
        self.name_en = name_en
        self.kind = kind
        self.chart = chart
        self.books_start = books_start
        self.registered_by = actor

    @staticmethod
    def id_for(code: str) -> UUID:
        return stable_id("organization", code)

    @classmethod
    def register(
        cls,
        *,
        code: str,
        name_zh: str,
        name_en: str,
        kind: str,
        chart: str,
        books_start: date,
        actor: str,
    ) -> Organization:
        if not CODE.fullmatch(code or ""):
            raise InvalidOrganization(
                "2–40 lowercase letters, digits or hyphens, not starting or ending with a hyphen",
                field="code",
            )
        if code in RESERVED:
            raise InvalidOrganization(f"{code} is reserved", field="code")
        name = (name_zh or "").strip()
        if not name or len(name) > MAX_NAME:
            raise InvalidOrganization(f"1–{MAX_NAME} characters", field="name_zh")
        if len(name_en) > MAX_NAME:
            raise InvalidOrganization(f"at most {MAX_NAME} characters", field="name_en")
        if kind not in KINDS:
            raise InvalidOrganization(f"one of {', '.join(KINDS)}", field="kind")
        if chart not in CHART_IDS:
            raise InvalidOrganization(f"one of {', '.join(CHART_IDS)}", field="chart")
        if kind not in get_chart(chart).kinds:
            # A cooperative's chart gives 321 and 322 other meanings; keeping its books on the
            # village chart would make every statement and year-end close wrong.
            raise InvalidOrganization(
                f"{chart} is the chart of {', '.join(get_chart(chart).kinds)}; "
                f"no chart for {kind} is available yet", field="chart")
        if books_start < EARLIEST_START:
            raise InvalidOrganization("books cannot start before 1980", field="books_start")
        return cls._create(
            cls.Registered,
            id=cls.id_for(code),
            code=code,
            name_zh=name,
            name_en=name_en.strip(),
            kind=kind,
            chart=chart,
            books_start=books_start,
            actor=actor,
        )
