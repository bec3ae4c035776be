"""The desk's publish form offers a distribution plan's posting until the members' meeting may
decide it (fifteen days for a cooperative, 2017 Law Art. 40), as the ledger's default does."""

from __future__ import annotations

from contextlib import contextmanager

from ledger.application import Ledger
from projections.disclosure.drafting import Draft, draft_from_books
from projections.runner import catch_up_all
from tests.api.test_cooperative_distributions import coop, desk  # noqa: F401  (fixtures)
from tests.application.test_cooperative_surplus import COOP, drafted


def test_the_publish_form_offers_the_plans_posting_until_the_meeting(
        app, desk, coop: Ledger, project) -> None:  # noqa: F811
    services = app.extensions["sunlight"]

    @contextmanager
    def read():
        catch_up_all(services.ledger, services.views)
        with services.queries.read() as reader:
            yield reader

    _, distribution = drafted(coop)
    ref = str(draft_from_books(coop, read, COOP, Draft(
        kind="distribution", period="2025", title="2025年度盈余分配方案公示",
        inputs={"distribution": distribution, "stage": "plan"}), actor="kuaiji").value.id)
    coop.disclosure.submit_disclosure(COOP, ref, panel=["jiandu"], actor="kuaiji")
    coop.disclosure.sign_disclosure(COOP, ref, member="jiandu")
    project()
    page = desk.get(f"/desk/{COOP}/disclosures/{ref}")
    assert 'name="posting_from" value="2026-01-05"' in page
    assert 'name="posting_to" value="2026-01-19"' in page
