"""A farmers' cooperative has no party branch, two committees or party members' meeting: a new
cooperative's matter goes from the 理事会's proposal straight to the members' meeting, while a
village keeps 四议两公开 (deliberate, review, decide); the settings read model says the same, and
a charter may still add steps."""

from __future__ import annotations

from datetime import date

from ledger.application import Ledger
from projections.books.queries import BooksQueries
from projections.books.view import BooksView
from projections.runner import catch_up


def _register(ledger: Ledger, code: str, kind: str) -> None:
    ledger.books.register_organization(code=code, name_zh=code, kind=kind,
                                       books_start=date(2025, 1, 1), actor="admin")


def _steps(ledger: Ledger, code: str) -> list[str]:
    return ledger.spending.propose_matter(
        code, on=date(2025, 1, 6), title="2024年度盈余分配", category="distribution",
        description="", proposed_by="board", budget_total=0, budget_lines=[],
        actor="kuaiji").value.steps


def test_a_new_cooperatives_members_meeting_decides_without_a_villages_steps(
        ledger: Ledger, view: BooksView) -> None:
    # Given a cooperative and a village registered with their kind's defaults, and a
    # cooperative whose charter asks the 理事会 to deliberate first
    _register(ledger, "coop", "farmers_cooperative")
    _register(ledger, "village", "village_collective")
    _register(ledger, "charter", "farmers_cooperative")
    ledger.books.change_settings("charter", {"matter_steps": "deliberate,decide"},
                                 reason="章程", actor="admin")
    catch_up(ledger, view)
    queries = BooksQueries(view)
    # When each proposes a matter, the cooperative's goes straight to the members' meeting,
    # the village's through 四议两公开, the charter's through its own steps
    assert _steps(ledger, "coop") == ["decide"]
    assert _steps(ledger, "village") == ["deliberate", "review", "decide"]
    assert _steps(ledger, "charter") == ["deliberate", "decide"]
    # And the settings the pages and the API read say the same
    assert queries.settings("coop")["matter_steps"] == "decide"
    assert queries.settings("village")["matter_steps"] == "deliberate,review,decide"
    assert queries.settings("coop") == ledger.books.organization("coop").settings
