"""A matter (事项) is decided by 四议两公开: the party branch or the village committee proposes, the
two committees' joint meeting deliberates, the party members' meeting reviews, the villagers'
(representatives') meeting decides; the resolution (决议) is disclosed, carried out, and its result
disclosed. A meeting that misses its quorum or its vote stops the matter, with the reason.

The resolution's budget (total, and optional lines by account) bounds what may be paid for it;
each payment charges it in the same atomic write, so it can never be overspent.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from ledger.books import MATTER_CATEGORIES, MATTER_STEPS
from ledger.kernel.aggregate import LedgerAggregate, stable_id
from ledger.kernel.errors import checked_text
from ledger.kernel.money import MAX_FEN, format_fen
from ledger.kernel.topics import stored_as
from ledger.spending.errors import InvalidMatter, MatterStateError, MeetingWouldStop, OverBudget
from ledger.spending.meetings import (
    check_additional_votes,
    check_counts,
    checked_budget,
    failure,
)

PROPOSERS = ("party_branch", "village_committee", "board", "members")
# The meeting each step is, and the settings that hold its quorum and its majority.
MEETINGS = {"deliberate": "joint_meeting", "review": "party_meeting",
            "decide": "decision_meeting"}
DECIDING_BODIES = ("villagers_meeting", "representatives_meeting", "members_meeting",
                   "member_representatives_meeting")
PROPOSED, STOPPED, DECIDED = "proposed", "stopped", "decided"
RESOLUTION_DISCLOSED, CARRIED_OUT, RESULT_DISCLOSED = (
    "resolution_disclosed", "carried_out", "result_disclosed")
CHARGEABLE = (PROPOSED, "deliberated", "reviewed", DECIDED, RESOLUTION_DISCLOSED)
MAX_TEXT = 2000
PASSED = {"deliberate": "deliberated", "review": "reviewed", "decide": DECIDED}


def _text(value: str, field: str, *, required: bool = True, limit: int = MAX_TEXT) -> str:
    return checked_text(value, field, InvalidMatter, required=required, limit=limit)


@stored_as("ledger.matters")
class Matter(LedgerAggregate):
    class Proposed(LedgerAggregate.Created):
        org: str
        number: str
        date: date
        title: str
        category: str
        description: str
        proposed_by: str
        budget_total: int
        budget_lines: list[dict[str, Any]]  # {account, item, amount}
        steps: list[str]
        rules: dict[str, str]  # quorum and majority of each meeting, as set when proposed
        reserved: bool  # a matter the 2024 Law reserves to two thirds of all members

    class _Meeting(LedgerAggregate.Event):
        meeting: dict[str, Any]  # date, body, entitled, present, votes_for/against/abstain

        def apply(self, matter: Matter) -> None:
            matter.meetings.append(dict(self.meeting))
            matter.status = PASSED[self.meeting["step"]]

    class Deliberated(_Meeting):
        pass

    class Reviewed(_Meeting):
        pass

    class Decided(_Meeting):
        resolution_no: str

        def apply(self, matter: Matter) -> None:
            super().apply(matter)
            matter.resolution_no = self.resolution_no

    class Stopped(LedgerAggregate.Event):
        meeting: dict[str, Any]
        reason: str

        def apply(self, matter: Matter) -> None:
            matter.meetings.append(dict(self.meeting))
            matter.status = STOPPED
            matter.stop_reason = self.reason

    class Charged(LedgerAggregate.Event):
        request: str
        voucher: str
        account: str
        line: int | None  # index of the budget line charged, None when the budget has no lines
        amount: int

        def apply(self, matter: Matter) -> None:
            matter.spent += self.amount
            if self.line is not None:
                matter.spent_by_line[self.line] += self.amount

    class ResolutionDisclosed(LedgerAggregate.Event):
        disclosure: str

        def apply(self, matter: Matter) -> None:
            matter.status = RESOLUTION_DISCLOSED
            matter.resolution_disclosure = self.disclosure

    class CarriedOut(LedgerAggregate.Event):
        date: date
        summary: str

        def apply(self, matter: Matter) -> None:
            matter.status = CARRIED_OUT

    class ResultDisclosed(LedgerAggregate.Event):
        disclosure: str

        def apply(self, matter: Matter) -> None:
            matter.status = RESULT_DISCLOSED

    def __init__(self, org: str, number: str, date: date, title: str, category: str,
                 description: str, proposed_by: str, budget_total: int,
                 budget_lines: list[dict[str, Any]], steps: list[str], rules: dict[str, str],
                 reserved: bool, actor: str) -> None:
        self.org = org
        self.number = number
        self.date = date
        self.title = title
        self.category = category
        self.description = description
        self.proposed_by = proposed_by
        self.budget_total = budget_total
        self.budget_lines = budget_lines
        self.steps = steps
        self.rules = rules
        self.reserved = reserved
        self.status = PROPOSED
        self.meetings: list[dict[str, Any]] = []
        self.resolution_no = ""
        self.stop_reason = ""
        self.resolution_disclosure = ""
        self.spent = 0
        self.spent_by_line = [0] * len(budget_lines)

    @staticmethod
    def id_for(org: str, number: str) -> UUID:
        return stable_id("matter", org, number)

    @classmethod
    def propose(cls, *, org: str, number: str, on: date, today: date, title: str, category: str,
                description: str, proposed_by: str, budget_total: int,
                budget_lines: list[dict[str, Any]], settings: dict[str, Any],
                actor: str) -> Matter:
        if on > today:
            raise InvalidMatter("a proposal cannot be dated in the future", field="date")
        if category not in MATTER_CATEGORIES:
            raise InvalidMatter(f"one of {', '.join(MATTER_CATEGORIES)}", field="category")
        if proposed_by not in PROPOSERS:
            raise InvalidMatter(f"one of {', '.join(PROPOSERS)}", field="proposed_by")
        if type(budget_total) is not int or not 0 <= budget_total <= MAX_FEN:
            raise InvalidMatter("a whole number of fen, not negative", field="budget_total")
        lines = checked_budget(budget_lines, budget_total, _text)
        steps = str(settings["matter_steps"]).split(",")
        rules = {name: str(settings[name]) for name in settings
                 if name.endswith(("_quorum", "_majority")) and name != "review_quorum"}
        reserved = category in str(settings["reserved_matters"]).split(",")
        return cls._create(
            cls.Proposed, id=cls.id_for(org, number), org=org,
            number=number, date=on,
            title=_text(title, "title", limit=100), category=category,
            description=_text(description, "description", required=False),
            proposed_by=proposed_by, budget_total=budget_total, budget_lines=lines,
            steps=steps, rules=rules, reserved=reserved, actor=actor)

    # -- the meetings -----------------------------------------------------------------------

    @property
    def next_step(self) -> str | None:
        done = len(self.meetings)
        if self.status == STOPPED or done >= len(self.steps):
            return None
        return self.steps[done]

    def hold_meeting(self, *, step: str, on: date, today: date, body: str, entitled: int,
                     present: int, votes_for: int, votes_against: int, abstain: int,
                     minutes: str, resolution_no: str, actor: str,
                     additional: tuple[int, int, int] = (0, 0, 0),
                     stop_allowed: bool = True) -> bool:
        """Record the meeting of the next step; True when it passed, False when it stopped.
        `additional`: a cooperative's additional votes cast for and against, and all its charter
        grants (Art. 22); recorded in the meeting only when some were cast. Without
        `stop_allowed`, a meeting that would stop the matter is refused instead, nothing
        written: a miscount typed at a desk must not end a matter for good."""
        if step not in MATTER_STEPS:
            raise InvalidMatter(f"one of {', '.join(MATTER_STEPS)}", field="step")
        expected = self.next_step
        if expected is None:
            raise MatterStateError(f"matter {self.number} is {self.status}; no meeting is due",
                                   status=self.status)
        if step != expected:
            raise MatterStateError(f"the next step of matter {self.number} is {expected}",
                                   field="step", expected=expected)
        counts = {"entitled": entitled, "present": present, "votes_for": votes_for,
                  "votes_against": votes_against, "abstain": abstain}
        check_counts(counts)
        extra_for, extra_against, granted = additional
        # Additional votes are cast in the members' meeting only (成员大会), never a committee's.
        granted = granted if body == "members_meeting" else 0
        extra = check_additional_votes({**counts, "additional_votes_for": extra_for,
                                        "additional_votes_against": extra_against}, granted)
        latest = self.meetings[-1]["date"] if self.meetings else self.date.isoformat()
        if on.isoformat() < latest or on > today:
            raise InvalidMatter(f"between {latest} and today", field="date")
        if step == "decide":
            if body not in DECIDING_BODIES:
                raise InvalidMatter(f"one of {', '.join(DECIDING_BODIES)}", field="body")
            if self.reserved and body != "members_meeting":
                raise InvalidMatter(
                    "the Law reserves this matter to the members' meeting, one person one vote",
                    field="body", category=self.category)
        meeting = {"step": step, "date": on.isoformat(), "body": body or MEETINGS[step],
                   **counts, **extra, "minutes": _text(minutes, "minutes", required=False)}
        reason = failure(MEETINGS[step], counts | extra, self.rules,
                         reserved=step == "decide" and self.reserved, granted=granted)
        if reason and not stop_allowed:
            chinese, _, english = reason.partition(" (")
            raise MeetingWouldStop(
                f"{chinese}；记录这次会议将终止本事项 (recording this meeting stops the matter: "
                f"{english}", field="present" if reason.startswith("到会人数不足") else "votes_for",
                reason=reason)
        if reason:
            self.trigger_event(self.Stopped, meeting=meeting, reason=reason, actor=actor)
            return False
        if step == "decide":
            self.trigger_event(self.Decided, meeting=meeting, actor=actor,
                               resolution_no=_text(resolution_no, "resolution_no", limit=50))
        else:
            event = self.Deliberated if step == "deliberate" else self.Reviewed
            self.trigger_event(event, meeting=meeting, actor=actor)
        return True

    # -- after the decision -----------------------------------------------------------------

    @property
    def decided(self) -> bool:
        return self.status in (DECIDED, RESOLUTION_DISCLOSED, CARRIED_OUT, RESULT_DISCLOSED)

    @property
    def remaining(self) -> int:
        return self.budget_total - self.spent

    def budget_line_of(self, account: str) -> int | None:
        """The budget line an account's spending is charged to: the longest matching code."""
        if not self.budget_lines:
            return None
        matching = [(len(line["account"]), i) for i, line in enumerate(self.budget_lines)
                    if account.startswith(line["account"])]
        if not matching:
            accounts = ", ".join(line["account"] for line in self.budget_lines)
            raise OverBudget(f"account {account} is not in the budget of matter {self.number} "
                             f"({accounts})", field="account", matter=self.number)
        return max(matching)[1]

    def check_charge(self, account: str, amount: int) -> int | None:
        if self.status not in CHARGEABLE:
            raise MatterStateError(f"matter {self.number} is {self.status}; nothing more can be "
                                   "charged to it", field="matter", status=self.status)
        line = self.budget_line_of(account)
        if amount > self.remaining:
            raise OverBudget(
                f"{format_fen(amount)} is more than the {format_fen(self.remaining)} left of "
                f"matter {self.number}'s budget", field="amount", matter=self.number,
                remaining=format_fen(self.remaining))
        if line is not None:
            left = self.budget_lines[line]["amount"] - self.spent_by_line[line]
            if amount > left:
                raise OverBudget(
                    f"{format_fen(amount)} is more than the {format_fen(left)} left of budget "
                    f"line {self.budget_lines[line]['item']}", field="amount",
                    matter=self.number, remaining=format_fen(left))
        return line

    def charge(self, *, request: str, voucher: str, account: str, amount: int,
               actor: str) -> None:
        line = self.check_charge(account, amount)
        self.trigger_event(self.Charged, request=request, voucher=voucher, account=account,
                           line=line, amount=amount, actor=actor)

    def disclose_resolution(self, disclosure: str, actor: str) -> None:
        if self.status != DECIDED:
            raise MatterStateError(f"matter {self.number} is {self.status}; only a decided "
                                   "matter's resolution is disclosed", status=self.status)
        self.trigger_event(self.ResolutionDisclosed, disclosure=disclosure, actor=actor)

    def carry_out(self, *, on: date, today: date, summary: str, actor: str) -> None:
        if self.status not in (DECIDED, RESOLUTION_DISCLOSED):
            raise MatterStateError(f"matter {self.number} is {self.status}", status=self.status)
        if self.status != RESOLUTION_DISCLOSED:
            raise MatterStateError("disclose the resolution before recording it carried out",
                                   status=self.status)
        if on > today or on.isoformat() < self.meetings[-1]["date"]:
            raise InvalidMatter("between the decision and today", field="date")
        self.trigger_event(self.CarriedOut, date=on, summary=_text(summary, "summary"),
                           actor=actor)

    def disclose_result(self, disclosure: str, actor: str) -> None:
        if self.status != CARRIED_OUT:
            raise MatterStateError(f"matter {self.number} is {self.status}; its result is "
                                   "disclosed once it is carried out", status=self.status)
        self.trigger_event(self.ResultDisclosed, disclosure=disclosure, actor=actor)
