"""The commands of matters decided by 四议两公开 (事项): propose, hold each meeting in turn,
record the resolution carried out. Disclosing a resolution or its result is publishing a
disclosure of that kind, which records itself on the matter in the same write.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ledger.kernel.errors import LedgerError
from ledger.kernel.idempotency import RequestKey
from ledger.kernel.writing import Decision, Outcome
from ledger.spending.base import SpendingBase
from ledger.spending.errors import InvalidMatter
from ledger.spending.matters import Matter


class MatterCommands(SpendingBase):
    def propose_matter(
        self, org: str, *, on: date, title: str, category: str,
        description: str, proposed_by: str, budget_total: int,
        budget_lines: list[dict[str, Any]], actor: str, request: RequestKey | None = None,
    ) -> Outcome[Matter]:
        def decide() -> Decision[Matter]:
            organization = self.books.organization(org)
            books = self.books.of(org)
            for i, line in enumerate(budget_lines):
                try:
                    books.account(str(line.get("account", "")))
                except LedgerError:
                    raise InvalidMatter(f"no account {line.get('account')} in these books",
                                        field=f"budget_lines[{i}].account") from None
            numbers = self.books.number_book(org, "matter", on.year, actor)
            matter = Matter.propose(
                org=org, number=numbers.take(actor), on=on, today=self.clock(), title=title,
                category=category, description=description, proposed_by=proposed_by,
                budget_total=budget_total, budget_lines=budget_lines,
                settings=organization.settings, actor=actor)
            return matter, [numbers, matter]

        return self.store.write(f"{org}/matters", request, actor, decide)

    def hold_meeting(
        self, org: str, number: str, *, step: str, on: date, body: str = "",
        entitled: int, present: int, votes_for: int, votes_against: int = 0, abstain: int = 0,
        minutes: str = "", resolution_no: str = "", actor: str,
        request: RequestKey | None = None, additional_votes_for: int = 0,
        additional_votes_against: int = 0, stop_allowed: bool = True,
    ) -> Outcome[Matter]:
        """Record one step's meeting; a meeting that fails its quorum or vote stops the matter,
        or without `stop_allowed` is refused (MeetingWouldStop), nothing written."""
        def decide() -> Decision[Matter]:
            matter = self.matter(org, number)
            if step == "decide" and self.decision_gate is not None \
                    and matter.next_step == "decide":
                self.decision_gate(matter, on)
            matter.hold_meeting(step=step, on=on, today=self.clock(), body=body,
                                entitled=entitled, present=present, votes_for=votes_for,
                                votes_against=votes_against, abstain=abstain, minutes=minutes,
                                resolution_no=resolution_no, actor=actor,
                                additional=(additional_votes_for, additional_votes_against,
                                            self.books.organization(org).setting(
                                                "additional_votes")),
                                stop_allowed=stop_allowed)
            return matter, [matter]

        return self.store.write(f"{org}/matter/{number}", request, actor, decide)

    def carry_out_matter(self, org: str, number: str, *, on: date, summary: str,
                         actor: str, request: RequestKey | None = None) -> Outcome[Matter]:
        def decide() -> Decision[Matter]:
            matter = self.matter(org, number)
            matter.carry_out(on=on, today=self.clock(), summary=summary, actor=actor)
            return matter, [matter]

        return self.store.write(f"{org}/matter/{number}", request, actor, decide)
