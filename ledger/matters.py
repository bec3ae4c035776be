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

from ledger.aggregate import LedgerAggregate, stable_id
from ledger.errors import InvalidMatter, MatterStateError, OverBudget, checked_text
from ledger.money import MAX_FEN, format_fen
from ledger.organizations import MATTER_CATEGORIES, MATTER_STEPS, parse_fraction

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
MAX_LINES = 50
PASSED = {"deliberate": "deliberated", "review": "reviewed", "decide": DECIDED}


def meets(count: int, of: int, rule: str) -> bool:
    """Whether `count` of `of` satisfies ">=2/3" (at least) or ">1/2" (more than)."""
    inclusive, num, den = parse_fraction(rule)
    return count * den >= num * of if inclusive else count * den > num * of


def _zh(rule: str) -> str:
    """">=2/3" → 三分之二以上 (以上 includes the figure itself), ">1/2" → 过半数 and the like."""
    inclusive, num, den = parse_fraction(rule)
    digits = "零一二三四五六七八九十"
    fraction = f"{digits[den] if den <= 10 else den}分之{digits[num] if num <= 10 else num}"
    if (num, den) == (1, 2) and not inclusive:
        return "过半数"
    return f"{fraction}以上" if inclusive else f"超过{fraction}"


def _text(value: str, field: str, *, required: bool = True, limit: int = MAX_TEXT) -> str:
    return checked_text(value, field, InvalidMatter, required=required, limit=limit)


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
        if len(budget_lines) > MAX_LINES:
            raise InvalidMatter(f"at most {MAX_LINES} lines", field="budget_lines")
        lines = []
        for i, line in enumerate(budget_lines):
            amount = line.get("amount")
            if type(amount) is not int or not 0 < amount <= MAX_FEN:
                raise InvalidMatter("a whole number of fen above zero",
                                    field=f"budget_lines[{i}].amount")
            lines.append({"account": _text(line.get("account", ""), f"budget_lines[{i}].account",
                                           limit=20),
                          "item": _text(line.get("item", ""), f"budget_lines[{i}].item",
                                        limit=100),
                          "amount": amount})
        if lines and sum(line["amount"] for line in lines) != budget_total:
            # A budget's lines are the whole of it, so that line and total can never disagree.
            raise InvalidMatter(
                f"the lines add up to {format_fen(sum(line['amount'] for line in lines))}, "
                f"not the total {format_fen(budget_total)}", field="budget_lines")
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
                     minutes: str, resolution_no: str, actor: str) -> bool:
        """Record the meeting of the next step; True when it passed, False when it stopped."""
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
        for name, value in counts.items():
            if type(value) is not int or value < 0 or value > 100_000:
                raise InvalidMatter("a whole number, not negative", field=name)
        if entitled == 0:
            raise InvalidMatter("a meeting has members", field="entitled")
        if present > entitled:
            raise InvalidMatter("more present than entitled to attend", field="present")
        if votes_for + votes_against + abstain > present:
            raise InvalidMatter("more votes than people present", field="votes_for")
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
                   **counts, "minutes": _text(minutes, "minutes", required=False)}
        reason = self._failure(step, counts)
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

    def _failure(self, step: str, counts: dict[str, int]) -> str:
        """Why the meeting did not carry, in Chinese for the noticeboard and in English; or ""."""
        meeting = MEETINGS[step]
        quorum = self.rules[f"{meeting}_quorum"]
        entitled, present, votes_for = counts["entitled"], counts["present"], counts["votes_for"]
        if not meets(present, entitled, quorum):
            return (f"到会人数不足：应到{entitled}人，实到{present}人，须{_zh(quorum)} "
                    f"(quorum not met: {present} of {entitled} present, {quorum} needed)")
        if step == "decide" and self.reserved:
            rule = self.rules["reserved_majority"]
            if not meets(votes_for, entitled, rule):
                return (f"未获通过：全体{entitled}名成员中{votes_for}人赞成，法律保留事项须全体成员"
                        f"{_zh(rule)}同意 (not carried: {votes_for} of all {entitled} members "
                        f"for, {rule} of all members needed for a matter the Law reserves)")
            return ""
        majority = self.rules[f"{meeting}_majority"]
        if not meets(votes_for, present, majority):
            return (f"未获通过：到会{present}人中{votes_for}人赞成，须到会人员{_zh(majority)}同意 "
                    f"(not carried: {votes_for} of {present} present for, {majority} needed)")
        return ""

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
