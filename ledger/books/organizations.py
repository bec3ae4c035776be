"""An organization (集体经济组织 or 农民专业合作社) is registered once under a code that names it
in every address; the code is unique, URL-safe and never changes.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from uuid import UUID

from ledger.books.errors import InvalidOrganization, InvalidSetting
from ledger.kernel.aggregate import LedgerAggregate, stable_id
from ledger.kernel.chart import CHART_IDS, get_chart
from ledger.kernel.money import MAX_FEN
from ledger.kernel.topics import stored_as

KINDS = ("village_collective", "farmers_cooperative")
CODE = re.compile(r"[a-z0-9][a-z0-9-]{0,38}[a-z0-9]")
# Codes that would shadow the product's own addresses once villages have public pages.
RESERVED = frozenset({"api", "static", "docs", "admin", "login", "logout", "health", "healthz"})
MAX_NAME = 100
# A cooperative may keep only its members, member accounts and trade here, its books elsewhere.
NO_BOOKS = ""
EARLIEST_START = date(1980, 1, 1)

# Local rules, with the defaults of ../shared/domain §6: finances disclosed monthly; the
# committee's majority signs (0 = majority); posted ≥ 5 days; objections and answers 5 days.
# §5: the approval ladder (≤ 1,000.00 the finance lead, ≤ 10,000.00 the two committees, above
# that a meeting's resolution), 四议两公开 with the Village Committee Organization Law's quorums,
# a cash-on-hand limit of 5,000.00; amounts in fen.
DEFAULT_SETTINGS: dict[str, int | str] = {
    "disclosure_cadence": "month",
    # §11 (Chongqing 2013): a period's disclosure is out by this day of the month after it ends.
    "disclosure_deadline_day": 15,
    # The first period the village owes on this product ("2026-08"); "" for the books' start. A
    # village that brought earlier years' books in disclosed those years on paper.
    "disclosure_owed_from": "",
    "review_quorum": 0,
    "posting_days": 5,
    "objection_days": 5,
    "answer_days": 5,
    "approval_finance_lead_max": 100_000,
    "approval_committees_max": 1_000_000,
    "cash_limit": 500_000,
    # The desk asks the accountant to confirm a voucher amount at or above this (fen; 0: never):
    # 100,000,000.00 yuan is beyond any village's single entry, so such an amount is almost
    # surely a slip of the keys (a digit typed twice). The JSON API does not ask.
    "voucher_confirm_from": 10_000_000_000,
    "split_window_days": 30,
    "matter_steps": "deliberate,review,decide",
    "joint_meeting_quorum": ">1/2",
    "joint_meeting_majority": ">1/2",
    "party_meeting_quorum": ">=2/3",
    "party_meeting_majority": ">1/2",
    "decision_meeting_quorum": ">=2/3",
    "decision_meeting_majority": ">1/2",
    "reserved_majority": ">=2/3",
    "reserved_matters": "articles,membership,land_contracting,distribution,merger,dissolution",
    # §3–4: shares held and frozen per household (增人不增股、减人不减股) or per person;
    # transferred only inside; outside heirs get income without vote; no holder cap unless set
    # (Zhejiang: 3); a cooperative's exit notice 3 months before the year end.
    "share_holding": "household",
    "share_transfer": "inside",
    "share_outside_heirs": "income_only",
    "share_holder_cap_percent": 0,
    "exit_notice_months": 3,
    # §9: the year-end distribution. No minimum reserve unless the charter sets one ("0.30");
    # the collective share's part kept in 未分配收益 ("keep") or sent to the reserve; the
    # accounts its parts are posted to (311's sub-accounts only where the books keep them).
    "reserve_minimum": "",
    "collective_share": "keep",
    "distribution_payable": "21102",
    "reserve_accumulation_account": "31101",
    "reserve_welfare_account": "31102",
    # A cooperative's surplus (2017 Law Art. 44): 盈余公积 at this rate, at least this much of
    # the rest returned by trade (never below 0.60), and the additional votes its charter grants
    # (Art. 22: at most 20 % of the members' basic votes; checked against the roll when used).
    "surplus_reserve_rate": "0.10",
    "trade_return_rate": "0.60",
    "additional_votes": 0,
}
# A farmers' cooperative has no party branch, two committees or party members' meeting: the
# 理事会 proposes and the members' meeting (成员大会) decides (2017 Law Art. 29), so its matters
# go straight to the decision unless its charter adds steps.
COOPERATIVE_SETTINGS: dict[str, int | str] = {"matter_steps": "decide"}


def default_settings(kind: str) -> dict[str, int | str]:
    """The local rules an organization of `kind` starts with, before any settings event."""
    return DEFAULT_SETTINGS | (COOPERATIVE_SETTINGS if kind == "farmers_cooperative" else {})


_SETTING_RANGES = {"review_quorum": (0, 15), "disclosure_deadline_day": (1, 28),
                   "posting_days": (5, 90),
                   "objection_days": (1, 90), "answer_days": (1, 60),
                   "approval_finance_lead_max": (0, MAX_FEN),
                   "approval_committees_max": (0, MAX_FEN), "cash_limit": (0, MAX_FEN),
                   "voucher_confirm_from": (0, MAX_FEN),
                   "split_window_days": (1, 366), "share_holder_cap_percent": (0, 100),
                   "exit_notice_months": (0, 11), "additional_votes": (0, 100_000)}
_SETTING_CHOICES = {"share_holding": ("household", "person"),
                    "share_transfer": ("inside", "outside"),
                    "share_outside_heirs": ("income_only", "refuse"),
                    "collective_share": ("keep", "reserve")}
_ACCOUNT_SETTINGS = ("distribution_payable", "reserve_accumulation_account",
                     "reserve_welfare_account")
_RATE = re.compile(r"(0(\.[0-9]{1,4})?|1(\.0{1,4})?)")
MATTER_STEPS = ("deliberate", "review", "decide")
MATTER_CATEGORIES = ("spending", "project", "contracting", "land_compensation", "lending",
                     "asset_disposal", "allowance", "articles", "membership",
                     "land_contracting", "distribution", "merger", "dissolution", "other")
_FRACTION = re.compile(r"(>=|>)([1-9][0-9]?)/([1-9][0-9]?)")


def parse_fraction(rule: str) -> tuple[bool, int, int]:
    """">=2/3" → (inclusive, 2, 3): at least two thirds; ">1/2": more than half."""
    match = _FRACTION.fullmatch(rule)
    if match is None or int(match[2]) > int(match[3]):
        raise InvalidSetting('">=2/3" (at least two thirds) or ">1/2" (more than half)')
    return match[1] == ">=", int(match[2]), int(match[3])


def check_settings(changes: dict[str, int | str]) -> None:
    for name, value in changes.items():
        if name not in DEFAULT_SETTINGS:
            raise InvalidSetting(f"one of {', '.join(DEFAULT_SETTINGS)}", field=name)
        if name in _SETTING_RANGES:
            low, high = _SETTING_RANGES[name]
            if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
                raise InvalidSetting(f"a whole number from {low} to {high}", field=name)
            continue
        if not isinstance(value, str):
            raise InvalidSetting("text", field=name)
        if name == "disclosure_cadence" and value not in ("month", "quarter", "year"):
            raise InvalidSetting("month, quarter or year", field=name)
        if name in _SETTING_CHOICES and value not in _SETTING_CHOICES[name]:
            raise InvalidSetting(" or ".join(_SETTING_CHOICES[name]), field=name)
        if name == "disclosure_owed_from" and value and not re.fullmatch(
                r"[0-9]{4}(-(0[1-9]|1[0-2])|-Q[1-4])?", value):
            raise InvalidSetting('a period such as "2026-08", or "" for the books\' start',
                                 field=name)
        if name in _ACCOUNT_SETTINGS and not re.fullmatch(r"[0-9]{3,12}", value):
            raise InvalidSetting("an account code of digits", field=name)
        if name == "reserve_minimum" and value and not _RATE.fullmatch(value):
            raise InvalidSetting('a fraction from 0 to 1 such as "0.30", or "" for none',
                                 field=name)
        if name in ("surplus_reserve_rate", "trade_return_rate") and not _RATE.fullmatch(value):
            raise InvalidSetting('a fraction from 0 to 1 such as "0.10"', field=name)
        if name == "trade_return_rate" and Decimal(value) < Decimal("0.60"):
            raise InvalidSetting("at least 0.60: at least 60 % of the distributable surplus is "
                                 "returned by trade (2017 Law Art. 44, 第四十四条)", field=name)
        if name.endswith(("_quorum", "_majority")):
            try:
                parse_fraction(value)
            except InvalidSetting as error:
                raise InvalidSetting(error.message, field=name) from None
        if name == "matter_steps":
            steps = value.split(",")
            if "decide" not in steps or steps != [s for s in MATTER_STEPS if s in steps]:
                raise InvalidSetting(f"some of {','.join(MATTER_STEPS)} in this order, "
                                     "always with decide", field=name)
        if name == "reserved_matters" and value and not set(value.split(",")) <= set(
                MATTER_CATEGORIES):
            raise InvalidSetting(f"some of {', '.join(MATTER_CATEGORIES)}", field=name)


@stored_as("ledger.organizations")
class Organization(LedgerAggregate):
    class Registered(LedgerAggregate.Created):
        code: str
        name_zh: str
        name_en: str
        kind: str
        chart: str
        books_start: date

    class SettingsChanged(LedgerAggregate.Event):
        changes: dict[str, int | str]
        reason: str

        def apply(self, org: Organization) -> None:
            org.settings.update(self.changes)

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
        self.settings: dict[str, int | str] = default_settings(kind)

    def setting(self, name: str) -> int:
        value = self.settings.get(name, default_settings(self.kind)[name])
        assert isinstance(value, int)
        return value

    def text_setting(self, name: str) -> str:
        value = self.settings.get(name, default_settings(self.kind)[name])
        assert isinstance(value, str)
        return value

    def change_settings(self, changes: dict[str, int | str], *, reason: str,
                        actor: str) -> None:
        if not changes:
            raise InvalidSetting("name at least one setting", field="settings")
        check_settings(changes)
        merged = {**self.settings, **changes}
        if merged["approval_finance_lead_max"] > merged["approval_committees_max"]:  # type: ignore[operator]
            raise InvalidSetting("the ladder's steps rise: the finance lead's limit is at most "
                                 "the two committees'", field="approval_finance_lead_max")
        if not (reason or "").strip():
            raise InvalidSetting("say why the rule changes", field="reason")
        self.trigger_event(self.SettingsChanged, changes=dict(changes), reason=reason.strip(),
                           actor=actor)

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
        if kind == "farmers_cooperative" and chart == NO_BOOKS:
            pass  # a cooperative keeping only its member register and member accounts here
        elif chart not in CHART_IDS:
            raise InvalidOrganization(f"one of {', '.join(CHART_IDS)}", field="chart")
        elif kind not in get_chart(chart).kinds:
            # A cooperative's chart gives 321 and 322 other meanings; keeping its books on the
            # village chart would make every statement and year-end close wrong.
            kept = [c for c in CHART_IDS if kind in get_chart(c).kinds]
            raise InvalidOrganization(
                f"{chart} is the chart of {', '.join(get_chart(chart).kinds)}; {kind} keeps "
                f"{', '.join(kept)}", field="chart")
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
