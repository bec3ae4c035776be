"""The public pages of a year's distribution say what is true today, in the organization's own
words: a cooperative's disclosure and look-up speak of its surplus and members (盈余分配,
成员编号, 合作社会计), never a village's 收益分配, 户号 or 村报账员; 「公示中」 only within the
posting period; a plan cancelled after its disclosure is marked so and offers no look-up; the
result's CSV has each household's shares and whether and when it was paid; a household without
a head and an outside heir read as such.

New words are looked for in English (?lang=en), so the tests hold before and after their Chinese
(api/translations/zh/fix-coopwords.po) is merged into the catalog; the village's words that must
be gone are looked for in Chinese.
"""

from __future__ import annotations

import csv
import html
import io
import re
from contextlib import contextmanager
from datetime import date, timedelta

from api.disclosure.public_distribution import holder_line
from projections.disclosure.drafting import Draft, draft_from_books
from projections.runner import catch_up_all
from tests.api.test_cooperative_distributions import coop  # noqa: F401 (a fixture)
from tests.api.test_distribution_disclosure_pages import (  # noqa: F401 (a fixture)
    Disclosed,
    disclosed,
    squeezed,
)
from tests.application.test_cooperative_surplus import COOP, matter
from tests.distributions import distribution_village, publish
from tests.registers import ORG

VILLAGE_WORDS = ("收益分配公开", "提取公积公益金", "股权登记日", "各户分配", "查我家的分红")


def coop_disclosed(app, coop):  # noqa: F811
    """The cooperative's 2025 plan drafted and its disclosure published; (plan, reference)."""
    services = app.extensions["sunlight"]

    @contextmanager
    def read():
        catch_up_all(services.ledger, services.views)
        with services.queries.read() as reader:
            yield reader

    draft = coop.surplus.draft_plan(COOP, year=2025, record_date=None, matter=matter(coop),
                                    actor="kuaiji").value
    ref = str(draft_from_books(coop, read, COOP, Draft(
        kind="distribution", period="2025", title="2025年度盈余分配方案公示",
        inputs={"distribution": draft.number, "stage": "plan"}), actor="kuaiji").value.id)
    coop.disclosure.submit_disclosure(COOP, ref, panel=["jiandu"], actor="kuaiji")
    coop.disclosure.sign_disclosure(COOP, ref, member="jiandu", opinion="属实")
    coop.disclosure.publish_disclosure(COOP, ref, actor="kuaiji")
    catch_up_all(services.ledger, services.views)
    return draft, ref


def test_a_cooperatives_disclosure_speaks_of_its_surplus_and_members(app, client,
                                                                   coop):  # noqa: F811
    # Given a cooperative's surplus plan disclosed,
    _draft, ref = coop_disclosed(app, coop)
    browser = app.test_client()
    # when a member opens it, in Chinese and in English,
    page = squeezed(browser.get(f"/{COOP}/disclosures/{ref}").get_data(as_text=True))
    english = html.unescape(browser.get(f"/{COOP}/disclosures/{ref}?lang=en")
                            .get_data(as_text=True))
    village = browser.get(f"/{COOP}/?lang=zh").get_data(as_text=True)
    # then no village word is on it, and the cooperative's are.
    for word in VILLAGE_WORDS:
        assert word not in page, word
        assert word not in squeezed(village), word
    assert "盈余公积" in page and "分配基准日" in page and "每位成员" in page
    for words in ("Distribution of the year's surplus", "Plan of the surplus distribution",
                  "To the surplus reserve (盈余公积), of the year's surplus",
                  "Look up my surplus share", "Each member"):
        assert words in english, words


def test_a_cooperatives_plan_names_its_statement_as_the_cooperatives_form(app, client,
                                                                         coop):  # noqa: F811
    # Given a cooperative's surplus plan disclosed with the year's statements,
    _draft, ref = coop_disclosed(app, coop)
    browser = app.test_client()
    # when a member opens it,
    page = squeezed(browser.get(f"/{COOP}/disclosures/{ref}").get_data(as_text=True))
    english = html.unescape(browser.get(f"/{COOP}/disclosures/{ref}?lang=en")
                            .get_data(as_text=True))
    # then the statement is headed 盈余及盈余分配表 (会农社02表), not a village's 收益表.
    assert "盈余及盈余分配表" in page and "收益表" not in page
    assert "Surplus and surplus distribution statement" in english


def test_a_members_lookup_asks_for_the_member_number_and_the_cooperatives_accountant(
        app, client, coop):  # noqa: F811
    # Given a cooperative's plan disclosed,
    draft, _ref = coop_disclosed(app, coop)
    browser = app.test_client()
    lookup = f"/{COOP}/distributions/{draft.number}/lookup"
    code = draft.line_of("member:0001")["code"]
    wrong = "000000" if code != "000000" else "111111"
    # when a member opens the look-up, finds the line, and types a wrong code,
    form = squeezed(browser.get(lookup).get_data(as_text=True))
    found = squeezed(browser.post(lookup, data={"household": "0001", "code": code})
                     .get_data(as_text=True))
    failed = browser.post(lookup, data={"household": "0001", "code": wrong})
    # then it asks for the member number, never a household number, shows member 0001 (not
    # 0001户), and sends questions to the cooperative's accountant, not the village's.
    assert "成员编号" in form and "户号" not in form and "村报账员" not in form
    assert "68,925.84" in found and "0001户" not in found and "成员0001" in found
    assert failed.status_code == 422
    assert "户号" not in squeezed(failed.get_data(as_text=True))
    assert "村报账员" not in squeezed(failed.get_data(as_text=True))
    english = html.unescape(browser.get(f"{lookup}?lang=en").get_data(as_text=True))
    assert "Member number" in english and "cooperative's accountant" in english


def test_on_the_noticeboard_only_within_the_posting_period(disclosed: Disclosed,  # noqa: F811
                                                            clock) -> None:
    # Given the village's plan disclosure, published for a posting period,
    row = next(r for r in disclosed.app.extensions["sunlight"].disclosures.published(ORG)
               if r["id"] == disclosed.plan)
    start, end = (date.fromisoformat(row[k][:10]) for k in ("posting_from", "posting_to"))
    client = disclosed.app.test_client()

    def status(lang: str) -> str:
        page = client.get(f"/{ORG}/disclosures/{disclosed.plan}?lang={lang}")
        return re.search(r'<span class="status">(.*?)</span>', page.get_data(as_text=True))[1]

    # when a villager reads it within the period, it is 公示中;
    clock.today = start
    assert status("zh") == "公示中"
    # when the period is over, it no longer says so, but that the posting is over.
    clock.today = end + timedelta(days=1)
    assert status("zh") != "公示中" and status("en") == "Posting period over"
    listed = client.get(f"/{ORG}/?lang=en").get_data(as_text=True)
    assert "Posting period over" in listed


def test_a_cancelled_plans_disclosure_is_marked_and_offers_no_lookup(app, clock) -> None:
    # Given a village's plan whose disclosure was published,
    services = app.extensions["sunlight"]

    @contextmanager
    def read():
        catch_up_all(services.ledger, services.views)
        with services.queries.read() as reader:
            yield reader

    _matter, number = distribution_village(services.ledger, clock)
    ref = publish(services.ledger, read, number, "plan")
    catch_up_all(services.ledger, services.views)
    lookup = f"/{ORG}/distributions/{number}/lookup"
    before = app.test_client().get(f"/{ORG}/disclosures/{ref}").get_data(as_text=True)
    assert lookup in before and "查我家的分红" in before
    # when the plan is cancelled,
    services.ledger.distribution.cancel(ORG, number, reason="会议未通过", actor="kuaiji")
    catch_up_all(services.ledger, services.views)
    # then its disclosure says it is not carried out and no longer offers the look-up.
    page = app.test_client().get(f"/{ORG}/disclosures/{ref}").get_data(as_text=True)
    assert lookup not in page and "查我家的分红" not in page
    english = app.test_client().get(f"/{ORG}/disclosures/{ref}?lang=en").get_data(as_text=True)
    assert "This plan was cancelled and is not carried out." in english


def test_the_results_csv_has_each_households_shares_and_when_it_was_paid(
        disclosed: Disclosed) -> None:  # noqa: F811
    # Given the result disclosed, 002 paid on 2026-01-16 and the others not,
    client = disclosed.app.test_client()
    # when the spreadsheet copy is downloaded,
    text = client.get(f"/{ORG}/disclosures/{disclosed.result}.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    # then each household's row has its shares, whether it was paid and on which day.
    header = rows[0]
    assert "股数" in header and "是否已发" in header
    by_item = {row[1]: dict(zip(header, row, strict=False)) for row in rows[1:4]}
    paid = next(v for k, v in by_item.items() if k.startswith("002户"))
    unpaid = next(v for k, v in by_item.items() if k.startswith("001户"))
    assert paid["股数"] == "80" and paid["是否已发"] == "已发" and "2026-01-16" in paid.values()
    assert unpaid["股数"] == "85" and unpaid["是否已发"] == "未发"


def test_a_household_without_a_head_and_an_outside_heir_read_as_such() -> None:
    # Given a household's published line with no head's name, and an outside heir's,
    headless = {"no": 7, "holder_kind": "household", "household": "007", "name": "",
                "shares": 60, "amount": "600.00", "amount_capital": "陆佰元整"}
    heir = {"no": 12, "holder_kind": "outside", "household": "", "name": "韩**",
            "shares": 76, "amount": "760.00", "amount_capital": "柒佰陆拾元整"}
    # when the public list shows them,
    shown_headless, shown_heir = holder_line(headless), holder_line(heir)
    # then neither reads blank nor as household 1.
    assert shown_headless["name"] and shown_headless["household"] == "007"
    assert shown_heir["household"] == "" and shown_heir["name"].endswith("韩**")
    assert shown_heir["name"] != "韩**"
