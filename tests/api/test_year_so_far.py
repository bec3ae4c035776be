"""The village page's year so far is the year so far only when it is: the totals of the periods
published are called "the year so far" when they run from the year's first month without a gap;
otherwise (the demo's January to July went on paper) the page names the periods it sums, so a
villager does not take two months' income for the year's."""

from __future__ import annotations

from api.disclosure.public_village import year_so_far
from demo.village import DEMO_ORG
from tests.api.test_sheet_fits import demo  # noqa: F401


def month(period: str, income: str) -> tuple[dict, dict]:
    totals = {"income": {"amount": income}, "spending": {"amount": "0.00"},
              "net": {"amount": income}}
    return {"period": period}, {"totals": totals}


def test_months_from_january_without_a_gap_are_the_year_so_far():
    # Given January, February and March published, newest first
    accounts = [month("2026-03", "3.00"), month("2026-02", "2.00"), month("2026-01", "1.00")]
    # When the page sums them
    summed = year_so_far(accounts)
    # Then they are the year so far
    assert summed is not None and summed["whole"] is True
    assert summed["totals"]["income"] == "6.00" and summed["first"] == "2026-01"


def test_months_starting_later_or_with_a_gap_are_not_the_year_so_far():
    # Given August and September only, and then January and March without February
    later = year_so_far([month("2026-09", "2.00"), month("2026-08", "1.00")])
    gap = year_so_far([month("2026-03", "3.00"), month("2026-01", "1.00")])
    # Then neither is called the year so far, and each says where it starts
    assert later is not None and later["whole"] is False and later["first"] == "2026-08"
    assert gap is not None and gap["whole"] is False and gap["first"] == "2026-01"


def test_the_demo_village_page_names_the_months_it_sums(demo):  # noqa: F811
    # Given the demo village, whose books begin in 2025 but whose disclosures here begin in
    # August 2026 (the months before went on paper)
    # When a villager opens its page
    page = demo.test_client().get(f"/{DEMO_ORG}/?lang=en").get_data(as_text=True)
    # Then the two months' totals are not presented as the year so far
    assert "so far" not in page
    assert ('<h3 id="published-sum">Total of August 2026 to September 2026</h3>' in page)
