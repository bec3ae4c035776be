"""The demo village's 2025 distribution, done as the law has it: proposed as a distribution
matter in January 2026, the plan drafted from the books and the share register (30 % reserve,
50.00 a share, the collective share's part kept), disclosed with the year's figures, decided by
the members' meeting eleven days later, posted on 2025-12-31 before 2025 is closed, paid to eight
of the eleven households, and its result disclosed.

Each step runs on its own day, so the loader moves the application's clock to that day: a
disclosure is published from the day it is published, and a meeting is held on or before today.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date

from demo.disclosures import publish
from demo.village import ACTOR, DEMO_ORG, Call
from demo.village_entries import BANK
from ledger.application import Ledger
from ledger.kernel.clock import china_today
from projections.books.view import BooksView

ACCOUNTANT = "kuaiji"
NUMBER = "2025-1"
PROPOSED = date(2026, 1, 5)
REVIEWED = date(2026, 1, 6)
DECIDED = date(2026, 1, 16)  # eleven days after the plan was disclosed
RESULT = date(2026, 1, 20)
RESERVE = {"rate": "0.30"}
PER_SHARE = {"per_share": "50.00"}
UNPAID = ("household:005", "household:010", "household:011")  # away working, or not yet come
# (step, day, body, entitled, present, for, against, abstain)
MEETINGS = (
    ("deliberate", PROPOSED, "joint_meeting", 9, 9, 9, 0, 0),
    ("review", REVIEWED, "party_meeting", 42, 38, 38, 0, 0),
    ("decide", DECIDED, "members_meeting", 31, 27, 25, 1, 1),
)


class DemoClock:
    """Today in China, unless the demo loader has set the day it is loading."""

    def __init__(self) -> None:
        self.today: date | None = None

    def __call__(self) -> date:
        return self.today or china_today()


@contextmanager
def on_day(app: Ledger, day: date) -> Iterator[None]:
    clock = app.clock
    if not hasattr(clock, "today"):
        raise TypeError("the demo runs its steps on their own days: open the ledger with "
                        "clock=DemoClock()")
    before = clock.today
    clock.today = day
    try:
        yield
    finally:
        clock.today = before


def distribution_calls(app: Ledger, books: Callable[[], BooksView]) -> list[Call]:
    """The distribution's steps, for `post_demo_books` to run among the vouchers; `books` gives
    the books read model, caught up, from which each disclosure's content is built."""
    matter: dict[str, str] = {}

    def propose() -> None:
        with on_day(app, PROPOSED):
            matter["number"] = app.spending.propose_matter(
                DEMO_ORG, on=PROPOSED, title="2025年度收益分配方案", category="distribution",
                description="按章程提取30%公积公益金，每股分配50元，集体股应分部分留作未分配收益。",
                proposed_by="party_branch", budget_total=0, budget_lines=[],
                actor=ACCOUNTANT).value.number
            _meeting(app, matter["number"], MEETINGS[0])
            app.distribution.draft(DEMO_ORG, year=2025, record_date=None, reserve=RESERVE,
                                   to_members=PER_SHARE, matter=matter["number"],
                                   actor=ACCOUNTANT)
            publish(app, books(), "distribution", "2025", "2025年度收益分配方案公示",
                    {"distribution": NUMBER, "stage": "plan"})

    def review() -> None:
        with on_day(app, REVIEWED):
            _meeting(app, matter["number"], MEETINGS[1])

    def decide_post_and_pay() -> None:
        with on_day(app, DECIDED):
            _meeting(app, matter["number"], MEETINGS[2])
            app.distribution.post(DEMO_ORG, NUMBER, actor=ACCOUNTANT)
            app.books.close_year(DEMO_ORG, 2025, actor=ACTOR)
            paid = [line["holder"] for line in app.distribution.distribution(DEMO_ORG,
                                                                             NUMBER).lines
                    if line["holder"] not in UNPAID]
            app.distribution.pay(DEMO_ORG, NUMBER, holders=paid, paid_from=BANK, on=DECIDED,
                                 actor=ACCOUNTANT)

    def disclose_result() -> None:
        with on_day(app, RESULT):
            publish(app, books(), "distribution", "2025", "2025年度收益分配结果公示",
                    {"distribution": NUMBER, "stage": "result"})

    return [Call(PROPOSED, propose), Call(REVIEWED, review),
            Call(DECIDED, decide_post_and_pay, closes_year=2025), Call(RESULT, disclose_result)]


def _meeting(app: Ledger, number: str, meeting: tuple[str, date, str, int, int, int, int, int],
             ) -> None:
    step, day, body, entitled, present, yes, no, abstain = meeting
    app.spending.hold_meeting(DEMO_ORG, number, step=step, on=day, body=body, entitled=entitled,
                              present=present, votes_for=yes, votes_against=no, abstain=abstain,
                              resolution_no="阳光村决〔2026〕1号", minutes=f"会议记录{day:%m%d}",
                              actor=ACCOUNTANT)
