"""A demonstration village, 阳光村股份经济合作社, with a realistic year and ten months of books,
posted through the ledger's public commands so that every run writes the same events.
"""

from __future__ import annotations

import random
import secrets
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from demo.village_entries import (
    BOOKS_START,
    CORRECTIONS,
    ONE_OFFS,
    OPENING,
    QUARTERS,
    RECURRING,
    SUB_ACCOUNTS,
    Entry,
    Reversal,
)
from ledger.application import Ledger
from ledger.books import Line, Period, VoucherDraft

DEMO_ORG = "sunlight-village"
SEED = 20250101
CLOSED_THROUGH = Period(2026, 9)  # the year 2025 is closed; 2026 runs closed to September
LAST_PERIOD = Period(2026, 10)  # vouchers are posted up to October 2026, which stays open
ACTOR = "演示会计（系统生成）"


@dataclass(frozen=True)
class Call:
    """A step of the demo that is not a voucher (a plan drafted, a meeting held), run in date
    order among the vouchers; `closes_year` when it closes that year itself."""

    day: date
    run: Callable[[], object]
    closes_year: int | None = None


Step = Entry | Reversal | Call


def _months() -> list[Period]:
    months, period = [], Period.of(BOOKS_START)
    while period <= LAST_PERIOD:
        months.append(period)
        period = period.next()
    return months


def _recurring(rng: random.Random) -> list[Entry]:
    entries = []
    for period in _months():
        for item in RECURRING:
            if period.year not in item.years or period.month not in item.months:
                continue
            fen = item.yuan * 100
            if item.spread:
                fen += rng.randint(-item.spread * 100, item.spread * 100)
            summary = item.summary.format(m=period.month, q=QUARTERS[(period.month - 1) // 3])
            entries.append(Entry(date(period.year, period.month, item.day), summary,
                                 ((item.debit, fen), (item.credit, -fen)), item.attachments))
    return entries


def _corrections() -> list[Entry | Reversal]:
    steps: list[Entry | Reversal] = []
    for i, fix in enumerate(CORRECTIONS):
        key = f"correction-{i}"
        steps += [replace(fix.wrong, key=key),
                  Reversal(date.fromisoformat(fix.reversed_on), key, fix.reason)]
        if fix.right is not None:
            steps.append(fix.right)
    return steps


def _schedule(rng: random.Random, calls: Sequence[Call]) -> dict[Period, list[Step]]:
    """Every step by month, in date order; steps of one day keep the order they are listed in,
    the calls after that day's vouchers."""
    steps: list[Step] = [*_recurring(rng), *ONE_OFFS, *_corrections(), *calls]
    by_month: dict[Period, list[Step]] = defaultdict(list)
    for step in sorted(steps, key=lambda s: s.day):
        by_month[Period.of(step.day)].append(step)
    return by_month


def _draft(entry: Entry, kind: str = "regular") -> VoucherDraft:
    lines = tuple(Line(account, debit=fen) if fen > 0 else Line(account, credit=-fen)
                  for account, fen in entry.lines)
    return VoucherDraft(date=entry.day, summary=entry.summary, lines=lines,
                        attachments=entry.attachments, kind=kind)


def _opening() -> Entry:
    lines = tuple((account, yuan * 100) for account, yuan in OPENING)
    balancing = -sum(fen for _, fen in lines)
    return Entry(BOOKS_START, "上年结转", (*lines, ("32201", balancing)), attachments=1)


def register_demo(app: Ledger, *, actor: str = ACTOR) -> None:
    """The demo village, its sub-accounts, and the balances it brought into 2025."""
    app.books.register_organization(
        code=DEMO_ORG, name_zh="阳光村股份经济合作社",
        name_en="Sunlight Village Shareholding Economic Cooperative",
        kind="village_collective", books_start=BOOKS_START, actor=actor,
    )
    # The village came onto the product in August 2026 with its books since 2025: the earlier
    # months were disclosed on paper, so only those from August are owed here.
    app.books.change_settings(DEMO_ORG, {"disclosure_owed_from": "2026-08"},
                              reason="2026年8月起在本系统公开，此前为纸质公开", actor=actor)
    for parent, code, name_zh, name_en in SUB_ACCOUNTS:
        app.books.open_account(DEMO_ORG, parent=parent, code=code, name_zh=name_zh, name_en=name_en,
                               actor=actor)
    app.books.post_voucher(DEMO_ORG, _draft(_opening(), kind="opening"), actor=actor)


def post_demo_books(app: Ledger, calls: Sequence[Call] = (), *, actor: str = ACTOR) -> None:
    """Post the books month by month to October 2026, running `calls` on their days. A year is
    closed after its December, unless a call closes it (the year-end distribution is posted
    in January, before its year is closed)."""
    schedule = _schedule(random.Random(SEED), calls)
    closed_by_call = {call.closes_year for call in calls}
    numbers: dict[str, str] = {}
    for period in _months():
        for step in schedule[period]:
            if isinstance(step, Call):
                step.run()
            elif isinstance(step, Reversal):
                app.books.reverse_voucher(DEMO_ORG, numbers[step.key], on=step.day,
                                          reason=step.reason, actor=actor)
            else:
                posted = app.books.post_voucher(DEMO_ORG, _draft(step), actor=actor)
                if step.key:
                    numbers[step.key] = posted.value.number
        if period.month == 12 and period.year not in closed_by_call:
            app.books.close_year(DEMO_ORG, period.year, actor=actor)
        elif period <= CLOSED_THROUGH and period.month != 12:
            app.books.close_period(DEMO_ORG, period, actor=actor)


DEMO_USERS = (
    # (login, display name, organization, role)
    ("admin", "乡镇农经站管理员", "*", "admin"),
    ("kuaiji", "王会计", DEMO_ORG, "accountant"),
    ("cunwei", "李主任（村委会）", DEMO_ORG, "committee"),
    ("shuji", "周书记（党支部）", DEMO_ORG, "committee"),
    # A third member of the two committees: with two, one asking left a single approver for
    # the two a request above the finance lead's limit needs, and it could never be approved.
    ("weiyuan", "赵委员（村委会）", DEMO_ORG, "committee"),
    ("caiwu", "孙委员（财务负责人）", DEMO_ORG, "finance_lead"),
    ("jiandu", "张委员（村务监督委员会）", DEMO_ORG, "supervisor"),
    ("jiandu2", "刘委员（村务监督委员会）", DEMO_ORG, "supervisor"),
    ("jiandu3", "陈委员（村务监督委员会）", DEMO_ORG, "supervisor"),
    ("shenji", "赵审计（县农业农村局）", DEMO_ORG, "auditor"),
)


def create_demo_users(app: Ledger, *, actor: str = "演示（系统生成）",
                      ) -> list[tuple[str, str, str, str, str]]:
    """One user per role, each with a fresh random password and API token: (login, name, role,
    password, token). The secrets exist only in the return value, to be shown once."""
    created = []
    for login, name, org, role in DEMO_USERS:
        password = secrets.token_urlsafe(12)
        app.identity.create_user(login=login, display_name=name, password=password, actor=actor)
        app.identity.grant_role(login, org=org, role=role, reason="演示用户", actor=actor)
        _, token = app.identity.issue_token(login, label="demo", expires_at=None, actor=actor)
        created.append((login, name, role, password, token or ""))
    return created
