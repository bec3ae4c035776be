"""A cooperative's surplus over HTTP (2017 Law Art. 44), on the cooperative of
tests/application/test_cooperative_surplus.py: previewed and drafted with the reserve and
trade-return rates, read back with each member's trade, weight, return and remaining share,
decided fifteen days after disclosure, posted and paid through the village's endpoints; a
refusal names its field, and the 59.99 % plan names Art. 44."""

from __future__ import annotations

import io
import re
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from openpyxl import load_workbook

from ledger.application import Ledger
from projections.disclosure.drafting import Draft, draft_from_books
from projections.runner import catch_up_all
from tests.api.conftest import error_of, make_user
from tests.api.desk_browser import browser
from tests.api.public_village import poppler
from tests.application.test_cooperative_surplus import (
    COOP,
    cooperative,
    decide,
    disclose,
    matter,
)
from tests.conftest import Clock

C = f"/api/v1/orgs/{COOP}/distributions"


@pytest.fixture
def coop(app: Flask, clock: Clock) -> Ledger:
    ledger: Ledger = app.extensions["sunlight"].ledger
    cooperative(ledger, clock)
    ledger.identity.grant_role("wang", org=COOP, role="accountant", reason="会计", actor="admin")
    return ledger


def lines(plan: dict[str, Any]) -> list[tuple[str, ...]]:
    return [(h["holder"], h["name"], h["trade"], h["weight"], h["return"], h["remaining"],
             h["amount"]) for h in plan["holders"]]


EXPECTED = [("member:0001", "周农", "30000.00", "53000.00", "43200.00", "25725.84", "68925.84"),
            ("member:0002", "吴果", "10000.00", "33000.00", "14400.00", "16017.98", "30417.98"),
            ("member:0003", "郑菜", "5000.00", "3000.00", "7200.00", "1456.18", "8656.18")]


def test_a_preview_shows_each_members_return_and_share_and_writes_nothing(client, coop,
                                                                          log_head):
    head = log_head()
    response = client.post(f"{C}/preview", json={"year": 2025, "reserve": {"rate": "0.10"},
                                                  "trade_return": {"rate": "0.60"}})
    assert response.status_code == 200, response.get_json()
    plan = response.get_json()
    assert log_head() == head and plan["status"] == "preview"
    assert lines(plan) == EXPECTED
    assert (plan["net_income"], plan["reserve"], plan["distributable"]) == (
        "120000.00", "12000.00", "108000.00")
    assert (plan["trade_return"], plan["remaining"], plan["trade_return_percent"]) == (
        "64800.00", "43200.00", "60.00")
    # The rates default to the cooperative's settings.
    assert client.post(f"{C}/preview", json={"year": 2025}).get_json() == plan


@pytest.mark.parametrize(("changes", "field"), [
    ({"trade_return": {"rate": "0.5999"}}, "trade_return.rate"),
    ({"to_members": {"total": "100.00"}}, "to_members"),
    ({"collective_share": "keep"}, "collective_share"),
    ({"reserve": {"accumulation_rate": "0.10", "welfare_rate": "0.05"}},
     "reserve.accumulation_rate"),
])
def test_a_plan_refused_names_its_field_and_writes_nothing(client, coop, log_head, changes,
                                                            field):
    number = matter(coop)
    head = log_head()
    for path, body in ((C, {"matter": number}), (f"{C}/preview", {})):
        response = client.post(path, json={"year": 2025} | body | changes)
        error = error_of(response)
        assert response.status_code == 422 and error["errors"][0]["field"] == field, error
    assert log_head() == head
    if field == "trade_return.rate":
        assert "Art. 44" in error["message"] + str(error["errors"])


def test_a_village_plan_refuses_the_cooperatives_terms(client, coop, log_head):
    from tests.registers import ORG, village_with_shares
    village_with_shares(coop, matter_steps="decide")
    coop.identity.grant_role("wang", org=ORG, role="accountant", reason="会计", actor="admin")
    response = client.post(f"/api/v1/orgs/{ORG}/distributions/preview", json={
        "year": 2025, "reserve": {"rate": "0.30"}, "to_members": {"per_share": "1.00"},
        "trade_return": {"rate": "0.60"}})
    assert response.status_code == 422
    assert error_of(response)["errors"][0]["field"] == "trade_return"


def test_a_setting_under_sixty_percent_is_refused_naming_art_44(client, coop):
    response = client.put(f"/api/v1/orgs/{COOP}/settings",
                          json={"trade_return_rate": "0.59", "reason": "章程"})
    assert response.status_code == 422 and "Art. 44" in str(response.get_json())


def test_drafted_decided_posted_and_paid_through_the_api(client, coop, clock, project):
    number = matter(coop)
    drafted = client.post(C, json={"year": 2025, "matter": number})
    assert drafted.status_code == 201, drafted.get_json()
    plan = drafted.get_json()
    assert plan["id"] == "2025-1" and lines(plan) == EXPECTED
    project()
    got = client.get(f"{C}/2025-1").get_json()
    assert got == plan
    assert lines(got) == EXPECTED and got["trade_return_percent"] == "60.00"
    assert got["terms"]["scheme"] == "cooperative_surplus"
    disclose(coop, "2025-1")
    clock.today = date(2026, 1, 20)
    assert decide(coop, number, date(2026, 1, 20))
    posted = client.post(f"{C}/2025-1/post", json={})
    assert posted.status_code == 201, posted.get_json()
    assert posted.get_json()["voucher"]
    clock.today = date(2026, 1, 21)
    paid = client.post(f"{C}/2025-1/payments", json={"holders": ["member:0001"],
                                                     "paid_from": "102", "date": "2026-01-21"})
    assert paid.status_code == 201, paid.get_json()
    project()
    owed = client.get(f"{C}/2025-1/unpaid").get_json()
    assert [h["holder"] for h in owed["holders"]] == ["member:0002", "member:0003"]
    assert owed["total"] == "39074.16"
    one = client.get(f"{C}/2025-1/holders/member:0001").get_json()
    assert (one["paid"], one["return"], one["remaining"]) == (True, "43200.00", "25725.84")
    batch = client.get(f"{C}/2025-1/bank-batch.xlsx")
    assert batch.status_code == 200
    sheet = load_workbook(io.BytesIO(client.get(f"{C}/2025-1?format=xlsx").data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert ("按交易量（额）返还", 64800) in [row[:2] for row in rows]
    first = next(row for row in rows if row[1] == "0001")
    # The weight's heading says whose reserve shares: the years' before (2025's own reserve is
    # quantified to the members' accounts by this plan's posting, after it is figured).
    headings = next(row for row in rows if row[0] == "序号")
    assert headings[5] == "出资额+以前年度公积金份额+专项基金份额"
    # Numbers in the sheet, read back as Excel would: the member's trade, return, weight,
    # remaining share and total.
    assert [f"{Decimal(str(v)):.2f}" for v in first[3:8]] == [
        "30000.00", "43200.00", "53000.00", "25725.84", "68925.84"]


# -- the desk ------------------------------------------------------------------------------------

def desk_form(page: str, **typed: str) -> dict[str, str]:
    key = re.search(r'name="key" value="([0-9a-f]{32})"', page)[1]
    matter_no = re.search(r'<option value="([^"]+)"[^>]*translate="no">[^<]*2025年度盈余分配',
                          page)[1]
    return {"year": "2025", "record_date": "2025-12-31", "reserve_rate": "0.10",
            "trade_return_rate": "0.60", "matter": matter_no, "key": key, **typed}


@pytest.fixture
def desk(app, client, coop, project):
    make_user(app, "kuai", (COOP, "accountant"))
    matter(coop)
    project()
    return browser(app, project, "kuai")


def test_the_desk_previews_and_drafts_a_cooperatives_plan(desk, coop, project, log_head):
    page = desk.get(f"/desk/{COOP}/distributions/new")
    # The rates default to the settings; a village's share fields are not asked for.
    assert 'name="trade_return_rate" inputmode="decimal" placeholder="0.60" value="0.60"' in page
    assert 'name="per_share"' not in page and 'name="collective_share"' not in page
    # A cooperative's words: its surplus (盈余) and members, not a village's income and shares.
    assert "新建盈余分配方案" in page and "分配基准日" in page and "股权登记日" not in page
    head = log_head()
    shown = desk.post(f"/desk/{COOP}/distributions/new", desk_form(page, preview="1"),
                      status=200)
    assert log_head() == head
    preview = re.search(r'<section id="preview">(.*?)</section>', shown, re.S)[1]
    assert "位成员" in preview and "户" not in preview
    assert "108,000.00" in preview and "64,800.00" in preview and "60.00" in preview
    row = re.search(r'<tr id="h-0001">(.*?)</tr>', preview, re.S)[1]
    assert all(x in row for x in ("30,000.00", "43,200.00", "25,725.84", "68,925.84"))
    refused = desk.post(f"/desk/{COOP}/distributions/new",
                        desk_form(page, preview="1", trade_return_rate="0.5999"), status=422)
    error = re.search(r'id="draft-trade_return_rate-error">(.*?)</span>', refused, re.S)
    assert error and "44" in error[1]
    location = desk.post(f"/desk/{COOP}/distributions/new", desk_form(page, draft="1"))
    number = re.search(r"/distributions/(\d{4}-\d+)", location)[1]
    project()
    plan_page = desk.get(f"/desk/{COOP}/distributions/{number}")
    assert 'id="surplus-figures"' in plan_page and "43,200.00" in plan_page
    row = re.search(r'<tr id="h-0003">(.*?)</tr>', plan_page, re.S)[1]
    assert all(x in row for x in ("5,000.00", "7,200.00", "1,456.18", "8,656.18"))
    assert "15" in plan_page  # the members' meeting waits 15 days after disclosure (Art. 40)


# -- the disclosure ------------------------------------------------------------------------------

def test_the_disclosed_plan_lists_each_member_masked_with_trade_return_and_share(
        app, client, coop, clock, tmp_path):
    services = app.extensions["sunlight"]

    @contextmanager
    def read():
        catch_up_all(services.ledger, services.views)
        with services.queries.read() as reader:
            yield reader

    number = matter(coop)
    draft = coop.surplus.draft_plan(COOP, year=2025, record_date=None, matter=number,
                                    actor="kuaiji").value
    ref = str(draft_from_books(coop, read, COOP, Draft(
        kind="distribution", period="2025", title="2025年度盈余分配方案公示",
        inputs={"distribution": draft.number, "stage": "plan"}), actor="kuaiji").value.id)
    coop.disclosure.submit_disclosure(COOP, ref, panel=["jiandu"], actor="kuaiji")
    coop.disclosure.sign_disclosure(COOP, ref, member="jiandu", opinion="属实")
    coop.disclosure.publish_disclosure(COOP, ref, actor="kuaiji")
    catch_up_all(services.ledger, services.views)
    browser = app.test_client()
    page = "".join(re.sub(r"<[^>]+>", "", browser.get(f"/{COOP}/disclosures/{ref}")
                          .get_data(as_text=True)).split())
    for needed in ("可分配盈余", "108,000.00", "按交易量（额）返还", "64,800.00", "剩余盈余分配",
                   "周*", "30,000.00", "43,200.00", "25,725.84", "68,925.84", "郑*", "8,656.18"):
        assert needed in page, needed
    assert "周农" not in page and "吴果" not in page
    # each member's line named by the member number on the slip (format 9), as a household's is
    assert "0001周*" in page
    sheet = browser.get(f"/{COOP}/disclosures/{ref}.csv").get_data(as_text=True)
    assert "30000.00,43200.00,25725.84" in sheet.replace('"', "")
    assert "成员0001 周*" in sheet
    code = draft.line_of("member:0001")["code"]
    found = browser.post(f"/{COOP}/distributions/{draft.number}/lookup",
                         data={"household": "0001", "code": code})
    assert found.status_code == 200
    text = "".join(re.sub(r"<[^>]+>", "", found.get_data(as_text=True)).split())
    assert "68,925.84" in text and "43,200.00" in text and "25,725.84" in text
    wrong = "000000" if code != "000000" else "111111"
    assert browser.post(f"/{COOP}/distributions/{draft.number}/lookup",
                        data={"household": "0001", "code": wrong}).status_code == 422
    # The printed sheet lists the same (read only where poppler is installed, so it comes last).
    pdf = browser.get(f"/{COOP}/disclosures/{ref}/sheet.pdf?size=A4")
    assert pdf.status_code == 200 and pdf.get_data().startswith(b"%PDF")
    printed = "".join(poppler("pdftotext", pdf.get_data(), tmp_path, "-raw").split())
    for needed in ("0001周*", "30,000.00", "43,200.00", "25,725.84", "68,925.84"):
        assert needed in printed, needed


def test_the_members_meeting_takes_the_charters_additional_votes(client, coop, clock,
                                                                  project):
    for name in ("王四", "冯五", "陈六"):
        coop.register.confirm_member(COOP, name=name, sex="male", born=date(1970, 1, 1),
                                     household="", on=date(2026, 1, 5), basis="admitted",
                                     actor="kuaiji")
    too_many = client.put(f"/api/v1/orgs/{COOP}/settings",
                          json={"additional_votes": 2, "reason": "章程第二十条"})
    assert too_many.status_code == 422
    assert error_of(too_many)["errors"][0]["field"] == "additional_votes"
    assert client.put(f"/api/v1/orgs/{COOP}/settings", json={
        "additional_votes": 1, "reason": "章程第二十条"}).status_code == 200
    number = matter(coop)
    coop.surplus.draft_plan(COOP, year=2025, record_date=None, matter=number, actor="kuaiji")
    disclose(coop, "2025-1")
    clock.today = date(2026, 1, 20)
    meeting = {"step": "decide", "date": "2026-01-20", "body": "members_meeting",
               "entitled": 5, "present": 5, "votes_for": 3, "votes_against": 2,
               "resolution_no": "丰收决〔2026〕1号"}
    over = client.post(f"/api/v1/orgs/{COOP}/matters/{number}/meetings",
                       json=meeting | {"additional_votes_for": 2})
    assert over.status_code == 422
    assert error_of(over)["errors"][0]["field"] == "additional_votes_for"
    held = client.post(f"/api/v1/orgs/{COOP}/matters/{number}/meetings",
                       json=meeting | {"additional_votes_for": 1})
    assert held.status_code == 201, held.get_json()
    assert held.get_json()["meetings"][-1]["additional_votes_for"] == 1
    assert held.get_json()["status"] == "decided"
    project()
    read = client.get(f"/api/v1/orgs/{COOP}/matters/{number}").get_json()
    assert (read["meetings"][-1]["additional_votes_for"],
            read["meetings"][-1]["additional_votes_against"]) == (1, 0)


def test_a_members_payment_slip_shows_trade_return_and_share_not_a_share_count(desk, coop,
                                                                               project):
    # Given a cooperative's plan drafted on the desk,
    page = desk.get(f"/desk/{COOP}/distributions/new")
    location = desk.post(f"/desk/{COOP}/distributions/new", desk_form(page, draft="1"))
    number = re.search(r"/distributions/(\d{4}-\d+)", location)[1]
    project()
    # when the accountant opens the slips to print,
    slips = desk.get(f"/desk/{COOP}/distributions/{number}/slips")
    slip = re.search(r'<article class="slip" id="slip-0001">(.*?)</article>', slips, re.S)[1]
    # then member 0001's slip names the member and the trade, return and remaining share
    # behind the amount, not the weight in fen as a "share count", and tells how to look it up.
    assert "成员编号" in slip and "股数" not in slip and "5300000" not in slip
    assert all(x in slip for x in ("30,000.00", "43,200.00", "25,725.84", "68,925.84"))
    assert f"/{COOP}/distributions/{number}/lookup" in slip and "0001" in slip


def test_a_members_account_shows_the_return_by_trade_and_the_share_of_the_rest_apart(
        client, desk, project):
    # Given 2025's plan drafted (0001: 43,200.00 returned by trade, 25,725.84 of the rest),
    number = desk_form(desk.get(f"/desk/{COOP}/distributions/new"))["matter"]
    drafted = client.post(C, json={"year": 2025, "matter": number})
    assert drafted.status_code == 201, drafted.get_json()
    project()
    # when the member's account is read on the desk and downloaded,
    page = desk.get(f"/desk/{COOP}/member-accounts/0001")
    sheet = load_workbook(io.BytesIO(desk.client.get(
        f"/desk/{COOP}/member-accounts/0001.xlsx").data)).active
    # then the section is the distribution, its two parts said apart beside the whole.
    section = page[page.index('id="surplus"'):]
    assert section.startswith('id="surplus">盈余分配</h2>')
    assert all(figure in section for figure in ("43,200.00", "25,725.84", "68,925.84"))
    said = [row[2] for row in sheet.iter_rows(values_only=True) if row[2]]
    assert "分配方案2025-1（草案，未过账）：盈余返还43200.00元，剩余盈余分配25725.84元" in said
