"""A distribution plan published with the default posting period stays up until the members'
meeting may decide it: fifteen days for a cooperative (2017 Law Art. 40), ten for a village
(Art. 46) — not the five days other disclosures are posted — so the plan is still on the
noticeboard the day before the meeting; a posting period given is kept."""

from __future__ import annotations

import json
from datetime import date, timedelta

from ledger.application import Ledger
from ledger.disclosure import Disclosure
from tests.application import test_cooperative_surplus as cooperative_plan
from tests.application import test_distribution as village_plan
from tests.application.test_distribution import village  # noqa: F401  (the fixture)
from tests.conftest import Clock


def published(app: Ledger, org: str, distribution: str, **posting: date) -> Disclosure:
    ref = str(app.disclosure.draft_disclosure(
        org, kind="distribution", period="2025", title="2025年度分配方案",
        inputs={"distribution": distribution, "stage": "plan"},
        content=json.dumps({"lines": []}), position=app.log_head(), actor="kuaiji").value.id)
    app.disclosure.submit_disclosure(org, ref, panel=["jiandu"], actor="kuaiji")
    app.disclosure.sign_disclosure(org, ref, member="jiandu")
    return app.disclosure.publish_disclosure(org, ref, actor="kuaiji", **posting).value


def test_a_cooperatives_plan_is_posted_until_the_meeting_may_decide_it(
        ledger: Ledger, clock: Clock) -> None:
    coop = cooperative_plan.cooperative(ledger, clock)
    number, distribution = cooperative_plan.drafted(coop)
    posting = published(coop, cooperative_plan.COOP, distribution).posting
    assert posting == (date(2026, 1, 5), date(2026, 1, 19))
    # The first day the meeting may decide is the day after the posting ends.
    clock.today = posting[1] + timedelta(days=1)
    assert cooperative_plan.decide(coop, number, clock.today)


def test_a_villages_plan_is_posted_ten_days(village: Ledger, clock: Clock) -> None:  # noqa: F811
    _, distribution = village_plan.drafted(village)
    posting = published(village, village_plan.ORG, distribution).posting
    assert posting == (date(2026, 1, 5), date(2026, 1, 14))


def test_a_posting_period_given_is_kept(ledger: Ledger, clock: Clock) -> None:
    coop = cooperative_plan.cooperative(ledger, clock)
    _, distribution = cooperative_plan.drafted(coop)
    given = {"posting_from": date(2026, 1, 5), "posting_to": date(2026, 1, 31)}
    assert published(coop, cooperative_plan.COOP, distribution, **given).posting == (
        date(2026, 1, 5), date(2026, 1, 31))
