"""The township centre's home and what was wrong on the desk: an accountant keeping two villages
lands on /desk/ after signing in and sees each village's open month, warnings not acknowledged,
disclosures due and spending awaiting approval, a tap from each; a supervisor sees the spending
waiting for their approval; times are Beijing time, people are named, amounts are grouped, and
a draft's proposed title follows the period after a refused submit."""

from __future__ import annotations

import html
import json
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from flask import Flask

from tests.api.conftest import ORG as ORG_BODY
from tests.api.conftest import make_user
from tests.api.desk_browser import Browser, browser, field, form_of
from tests.api.test_spending_pages import paid_without_receipt

ORG = "v1"


@pytest.fixture
def centre(app, client, org, project) -> Flask:
    """wang keeps the books of v1 and v2; in v1 fang is finance lead, 赵监督 (zhao) supervises
    and 刘委员 (liu) sits on the village committee; v2 closed its books through 2025-06."""
    assert client.post("/api/v1/orgs", json={**ORG_BODY, "code": "v2",
                                             "name_zh": "二村股份经济合作社"}).status_code == 201
    assert client.post("/api/v1/orgs/v2/roles", json={
        "login": "wang", "role": "accountant", "reason": "代理记账"}).status_code == 201
    for month in range(1, 7):
        assert client.post(f"/api/v1/orgs/v2/periods/2025-{month:02d}/close").status_code \
            in (200, 201)
    ledger = app.extensions["sunlight"].ledger
    for login, name, role in (("zhao", "赵监督", "supervisor"), ("liu", "刘委员", "committee")):
        ledger.identity.create_user(login=login, display_name=name, password="a long password",
                                    actor="test")
        ledger.identity.grant_role(login, org=ORG, role=role, reason="test", actor="test")
    make_user(app, "fang", (ORG, "finance_lead"))
    project()
    return app


def village_row(page: str, org: str) -> list[str]:
    row = re.search(rf'<tr id="village-{org}">(.*?)</tr>', page, re.S).group(1)
    return [re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


def test_signing_in_lands_on_the_desk_unless_next_says_otherwise(centre, project):
    # given a user signing in with no next
    wang = Browser(centre, project)
    wang.get("/login")
    # then they land on their desk, not on the public landing page
    assert wang.post("/login", {"login": "wang", "password": "a long password"}) == "/desk/"
    other = Browser(centre, project)
    assert other.sign_in("wang", "/desk/v1/warnings") == "/desk/v1/warnings"


def test_the_township_home_lists_each_village_with_what_waits_there(centre, project):
    # given a payment with no receipt in v1 (a warning nobody acknowledged) and a request of
    # 5,000.00 waiting for the committees and a supervisor
    paid_without_receipt(centre)
    centre.extensions["sunlight"].ledger.spending.request_spending(
        ORG, on=date(2026, 11, 21), payee="县路桥公司", purpose="村道修补", amount=500_000,
        account="51301", actor="wang")
    # when wang opens the desk
    page = browser(centre, project, "wang").get("/desk/")
    # then each village has its row: open month, warnings, disclosures due and past their
    # deadline (October's was due by 15 November), awaiting approval
    assert village_row(page, "v1") == ["一村股份经济合作社 录入凭证", "2025-01", "1", "22", "22",
                                     "1", "0"]
    assert village_row(page, "v2") == ["二村股份经济合作社 录入凭证", "2025-07", "0", "22", "22",
                                     "0", "0"]
    # each a tap from where it is done
    row = re.search(r'<tr id="village-v1">(.*?)</tr>', page, re.S).group(1)
    for link in ('href="/desk/?org=v1"', 'href="/desk/v1/warnings"', 'href="/desk/v1/spending"',
                 'href="/desk/v1/disclosures/new"', 'href="/desk/v1/vouchers/new"'):
        assert link in row, link
    assert "应公开" in page and "待审批支出" in page  # in Chinese
    assert 'id="org-v1"' not in page  # the villages' own desks are a tap away, not all at once


def test_a_village_of_the_centre_opens_with_a_tap_and_the_others_are_a_tap_away(centre,
                                                                               project):
    # when wang taps 二村 on the township home
    page = browser(centre, project, "wang").get("/desk/?org=v2")
    # then its desk is shown alone, with the way to every other village
    assert 'id="org-v2"' in page and 'id="org-v1"' not in page and 'id="village-v1"' not in page
    switcher = re.search(r'<nav class="villages"[^>]*>(.*?)</nav>', page, re.S).group(1)
    assert 'href="/desk/?org=v1"' in switcher and 'href="/desk/"' in switcher
    assert "二村股份经济合作社" in switcher and 'href="/desk/?org=v2"' not in switcher
    # a village not theirs is simply not chosen
    assert 'id="village-v1"' in browser(centre, project, "wang").get("/desk/?org=v9")


def test_a_supervisors_home_lists_the_spending_awaiting_their_approval(centre, project):
    # given a request of 5,000.00 that needs two committee members and a supervisor
    ledger = centre.extensions["sunlight"].ledger
    number = ledger.spending.request_spending(
        ORG, on=date(2026, 11, 21), payee="县路桥公司", purpose="村道修补", amount=500_000,
        account="51301", actor="wang").value.number
    # when the supervisor opens the desk
    page = browser(centre, project, "zhao").get("/desk/")
    # then it is listed, with its amount grouped by thousands, a tap from its page
    waiting = re.search(r'<ul class="items" id="approve-v1">(.*?)</ul>', page, re.S).group(1)
    assert f'href="/desk/v1/spending/{number}"' in waiting and "5,000.00" in waiting
    # once approved by the supervisor it no longer waits for them
    ledger.spending.approve_spending(ORG, number, approver="zhao")
    assert 'id="approve-v1"' not in browser(centre, project, "zhao").get("/desk/")


def test_a_request_shows_beijing_time_names_and_grouped_amounts(centre, project):
    # given a request, approved by the supervisor 赵监督 (login zhao)
    ledger = centre.extensions["sunlight"].ledger
    number = ledger.spending.request_spending(
        ORG, on=date(2026, 11, 21), payee="县路桥公司", purpose="村道修补", amount=923_456,
        account="51301", actor="liu").value.number
    ledger.spending.approve_spending(ORG, number, approver="zhao")
    project()
    row = centre.extensions["sunlight"].spending.spending_request(ORG, number)
    # when the accountant opens it
    page = browser(centre, project, "wang").get(f"/desk/{ORG}/spending/{number}")
    # then the amount is grouped, people are named, and times are Beijing time (UTC+8)
    assert "9,234.56" in page and "9234.56" not in page
    assert "刘委员" in page and "赵监督" in page and ">zhao<" not in page and ">liu<" not in page
    asked = datetime.fromisoformat(row["requested_at"]).astimezone(UTC)
    assert (asked + timedelta(hours=8)).strftime("%Y-%m-%d %H:%M") in page
    assert asked.strftime("%Y-%m-%d %H:%M") not in page


def test_warnings_on_the_desk_are_in_chinese_with_grouped_amounts(centre, project):
    paid_without_receipt(centre)
    page = browser(centre, project, "zhao").get(f"/desk/{ORG}/warnings")
    assert "付款时未附票据（白条）" in page and "paid with no receipt" not in page
    assert "300.00" in page  # the trigger's amount, grouped (below a thousand)


def test_a_draft_title_follows_the_period_after_a_refused_submit(centre, project):
    # given the draft form, submitted once with a month that has not ended (refused)
    wang = browser(centre, project, "wang")
    form = form_of(wang.get(f"/desk/{ORG}/disclosures/new"))
    assert form["title"] == "2026年10月财务收支明细"
    page = wang.post(f"/desk/{ORG}/disclosures/new", {**form, "period": "2026-11"}, status=422)
    assert field(page, "title") == "2026年11月财务收支明细"
    # when the period is corrected on the re-shown form, its title untouched
    corrected = {**form_of(page), "period": "2026-09"}
    location = wang.post(f"/desk/{ORG}/disclosures/new", corrected)
    # then the draft's title is September's, not the month typed before
    project()
    [drafted] = centre.extensions["sunlight"].disclosures.of_org(ORG)
    assert (drafted["period"], drafted["title"]) == ("2026-09", "2026年9月财务收支明细"), location


def test_the_draft_form_carries_the_script_that_follows_the_period(centre, project):
    page = browser(centre, project, "wang").get(f"/desk/{ORG}/disclosures/new")
    assert 'src="/static/disclosure_title.js"' in page
    titles = json.loads(html.unescape(re.search(r'data-titles="([^"]+)"', page).group(1)))
    assert titles["income_expenditure"] == "财务收支明细"


def test_a_disclosure_names_its_drafter_panel_and_signers(centre, project):
    # given October's draft by wang, submitted to 赵监督 (zhao), who signed it
    wang = browser(centre, project, "wang")
    location = wang.post(f"/desk/{ORG}/disclosures/new",
                         form_of(wang.get(f"/desk/{ORG}/disclosures/new")))
    ref = re.search(r"/disclosures/([0-9a-f-]{36})", location).group(1)
    ledger = centre.extensions["sunlight"].ledger
    ledger.disclosure.submit_disclosure(ORG, ref, panel=["zhao"], actor="wang")
    ledger.disclosure.sign_disclosure(ORG, ref, member="zhao")
    # when its page is read
    page = wang.get(f"/desk/{ORG}/disclosures/{ref}")
    # then the panel and the signature name 赵监督, never the login alone
    panel = re.search(r"<dd translate=\"no\">([^<]*)</dd>", page.split("审核小组")[1]).group(1)
    assert panel == "赵监督"
    assert re.search(r'<strong translate="no" title="zhao">赵监督</strong>', page)
    assert ">zhao<" not in page


def test_disclosures_are_owed_from_the_local_rules_first_period(centre, project):
    # given v1's books kept here from 2025 but its disclosures owed from August 2026 (before,
    # they were on paper)
    centre.extensions["sunlight"].ledger.books.change_settings(
        ORG, {"disclosure_owed_from": "2026-08"}, reason="纸质公开至7月", actor="admin")
    # when wang opens the desk
    page = browser(centre, project, "wang").get("/desk/")
    # then the months due are those from August, as the overdue flags count them: three, not 22
    assert village_row(page, "v1")[3:5] == ["3", "3"]
    facts = browser(centre, project, "wang").get("/desk/?org=v1")
    assert "应公开：2026-10、2026-09、2026-08" in re.sub(r"\s+", "", facts)
