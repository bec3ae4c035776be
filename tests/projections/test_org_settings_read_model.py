"""An organization's local rules in the books read model, so that pages read them there and not
from the organization's aggregate: given an organization whose settings were changed twice, then
the read model holds exactly what the aggregate holds, and a rebuild from event one the same."""

from __future__ import annotations

from datetime import date

from ledger.application import Ledger
from ledger.books import DEFAULT_SETTINGS
from projections.books.queries import BooksQueries
from projections.books.view import BooksView
from projections.runner import catch_up, rebuild

ORG = "v1"


def test_settings_follow_their_events_and_rebuild_alike(ledger: Ledger,
                                                        view: BooksView) -> None:
    ledger.books.register_organization(code=ORG, name_zh="阳光村股份经济合作社",
                                       kind="village_collective", books_start=date(2026, 1, 1),
                                       actor="admin")
    ledger.books.register_organization(code="v2", name_zh="丰收村", kind="village_collective",
                                       books_start=date(2026, 1, 1), actor="admin")
    ledger.books.change_settings(ORG, {"disclosure_cadence": "quarter", "posting_days": 7},
                                 reason="村民代表会议决定", actor="admin")
    ledger.books.change_settings(ORG, {"posting_days": 10}, reason="延长公示", actor="admin")
    catch_up(ledger, view)
    queries = BooksQueries(view)

    expected = ledger.books.organization(ORG).settings
    assert queries.settings(ORG) == expected
    assert (expected["disclosure_cadence"], expected["posting_days"]) == ("quarter", 10)
    assert queries.settings("v2") == DEFAULT_SETTINGS

    rebuild(ledger, view)
    assert queries.settings(ORG) == expected
