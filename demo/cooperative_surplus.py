"""The fruit cooperative's 2025 surplus, shared as the law has it: the 理事会 proposes the
distribution in January 2026, the plan (10 % to 盈余公积, 60 % of the rest returned by trade, the
remainder by contribution, reserve and 专项基金 shares: Art. 44) is disclosed with the year's
statements, the members' meeting decides it sixteen days later (Art. 40 asks fifteen), the plan
is posted on 2025-12-31 before 2025 is closed, paid to all but the member who left and has not
come back for it yet, and its result disclosed.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from demo.cooperative import ACCOUNTANT, COOP_ORG, LEAVER, MEMBERS, Step
from demo.distribution import on_day
from ledger.application import Ledger
from projections.books.queries import BooksReader
from projections.books.view import BooksView
from projections.disclosure.drafting import Draft, draft_from_books

NUMBER = "2025-1"
PROPOSED = date(2026, 1, 6)
DECIDED = date(2026, 1, 22)  # sixteen days after the plan was posted up
PAID = date(2026, 1, 23)
RESULT = date(2026, 1, 26)
SUPERVISORS = ("jianshi", "jianshi2")
# (login, display name, organization, role): the cooperative's accountant and its supervisors
# (监事会). The village's accountant keeps to the village, so her desk opens on it alone.
COOP_USERS = (
    (ACCOUNTANT, "刘会计（果品合作社）", COOP_ORG, "accountant"),
    ("jianshi", "何监事长（果品合作社监事会）", COOP_ORG, "supervisor"),
    ("jianshi2", "高监事（果品合作社监事会）", COOP_ORG, "supervisor"),
)


def create_cooperative_users(app: Ledger, *, actor: str = "演示（系统生成）",
                             ) -> list[tuple[str, str, str, str, str]]:
    """The cooperative's accountant and its two supervisors, users of their own with a fresh
    password and token each, shown once."""
    created = []
    for login, name, org, role in COOP_USERS:
        password = secrets.token_urlsafe(12)
        app.identity.create_user(login=login, display_name=name, password=password, actor=actor)
        app.identity.grant_role(login, org=org, role=role, reason="演示用户", actor=actor)
        _, token = app.identity.issue_token(login, label="demo", expires_at=None, actor=actor)
        created.append((login, name, role, password, token or ""))
    return created


def publish(app: Ledger, books: BooksView, kind: str, period: str, title: str,
            inputs: dict[str, Any], until: date | None = None) -> str:
    """Drafted from the books as they stand, checked and signed by both supervisors, posted
    up today (until `until`, or for the cooperative's posting days)."""
    @contextmanager
    def read() -> Iterator[BooksReader]:
        with books.sql() as sql:
            yield BooksReader(sql, books)

    asked = Draft(kind=kind, period=period, title=title, inputs=inputs)
    ref = str(draft_from_books(app, read, COOP_ORG, asked, actor=ACCOUNTANT).value.id)
    app.disclosure.submit_disclosure(COOP_ORG, ref, panel=list(SUPERVISORS), actor=ACCOUNTANT)
    app.disclosure.sign_disclosure(COOP_ORG, ref, member=SUPERVISORS[0],
                                   opinion="经核对，与账簿及成员账户相符。")
    app.disclosure.sign_disclosure(COOP_ORG, ref, member=SUPERVISORS[1], opinion="同意公示。")
    app.disclosure.publish_disclosure(COOP_ORG, ref, actor=ACCOUNTANT, posting_to=until)
    return ref


def surplus_steps(books: Callable[[], BooksView]) -> list[Step]:
    """The distribution's steps for `post_cooperative_books` to run among the vouchers; `books`
    gives the books read model, caught up, from which each disclosure is built."""
    matter: dict[str, str] = {}

    def propose(app: Ledger) -> None:
        with on_day(app, PROPOSED):
            matter["number"] = app.spending.propose_matter(
                COOP_ORG, on=PROPOSED, title="2025年度盈余分配方案", category="distribution",
                description="弥补2025年以前亏损后提取10%盈余公积，可分配盈余的60%按成员与本社"
                            "交易量返还，其余按出资额、公积金份额和专项基金份额分配。",
                proposed_by="board", budget_total=0, budget_lines=[],
                actor=ACCOUNTANT).value.number
            app.surplus.draft(COOP_ORG, year=2025, record_date=None, matter=matter["number"],
                              actor=ACCOUNTANT)
            # Open to the members until the meeting decides it (Art. 40: 15 days at least).
            publish(app, books(), "distribution", "2025", "2025年度盈余分配方案公示",
                    {"distribution": NUMBER, "stage": "plan"}, until=DECIDED)

    def decide_post_and_pay(app: Ledger) -> None:
        with on_day(app, DECIDED):
            present = len(MEMBERS) - 3
            app.spending.hold_meeting(
                COOP_ORG, matter["number"], step="decide", on=DECIDED, body="members_meeting",
                entitled=len(MEMBERS), present=present, votes_for=present - 1,
                votes_against=0, abstain=1, resolution_no="阳光果社决〔2026〕1号",
                minutes="2026年度第一次成员大会记录", actor=ACCOUNTANT)
            app.distribution.post(COOP_ORG, NUMBER, actor=ACCOUNTANT)
            app.books.close_year(COOP_ORG, 2025, actor=ACCOUNTANT)
        with on_day(app, PAID):
            holders = [line["holder"] for line in
                       app.distribution.distribution(COOP_ORG, NUMBER).lines
                       if line["holder"] != f"member:{LEAVER}"]
            app.distribution.pay(COOP_ORG, NUMBER, holders=holders, paid_from="102", on=PAID,
                                 actor=ACCOUNTANT)

    def disclose_result(app: Ledger) -> None:
        with on_day(app, RESULT):
            publish(app, books(), "distribution", "2025", "2025年度盈余分配结果公示",
                    {"distribution": NUMBER, "stage": "result"})

    return [Step(PROPOSED, propose), Step(DECIDED, decide_post_and_pay),
            Step(RESULT, disclose_result)]
