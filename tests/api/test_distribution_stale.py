"""Stale plans over HTTP and on the desk: a cooperative's decided plan, a member's 2025 trade
recorded after the meeting, is refused at posting (409, field "figures", nothing written); the
desk says what changed by the plan page's own names; and a member's account shows a plan only
drafted as drafted, not as money owed to the member."""

from __future__ import annotations

import io
import re
from datetime import date

import openpyxl
from flask import Flask

from api.refusals import said_of
from tests.api.conftest import error_of, make_user
from tests.api.desk_browser import browser
from tests.api.test_cooperative_distributions import C, coop
from tests.application.test_cooperative_surplus import COOP, decide, disclose, matter
from tests.conftest import Clock

__all__ = ["coop"]  # the fixture: 丰收合作社 of the application tests, wang its accountant


def test_a_members_trade_recorded_after_the_meeting_stops_the_posting(client, coop, clock,
                                                                       log_head):
    # Given the cooperative's 2025 plan drafted, disclosed and decided (0002 traded 10,000.00),
    number = matter(coop)
    assert client.post(C, json={"year": 2025, "matter": number}).status_code == 201
    disclose(coop, "2025-1")
    clock.today = date(2026, 1, 20)
    assert decide(coop, number, date(2026, 1, 20))
    # when a sale to 0002 dated 20 December 2025 is recorded, settled in cash, after the meeting,
    sold = client.post(f"/api/v1/orgs/{COOP}/trades", json={
        "on": "2025-12-20", "member": "0002", "direction": "bought_from_cooperative",
        "product": "有机肥", "quantity": "1", "unit": "吨", "amount": "1000.00",
        "settlement": "101"})
    assert sold.status_code == 201, sold.get_json()
    head = log_head()
    # then posting answers 409 naming the figures and 0002's trade, and writes nothing.
    response = client.post(f"{C}/2025-1/post", json={})
    error = error_of(response)
    assert response.status_code == 409 and error["code"] == "distribution_state", error
    assert "member:0002 trade 10000.00→11000.00" in error["message"]
    assert error["errors"][0]["field"] == "figures"
    assert log_head() == head


def test_the_desk_names_what_changed_by_the_plan_pages_words(app: Flask):
    village = ("the books changed after plan 2025-1 was drafted (net_income 80000.00→81000.00, "
               "reserve 24000.00→24300.00, household:004 amount 2329.49→2298.01); cancel it "
               "and draft the plan again")
    cooperative = ("the books or the trade changed after plan 2026-1 was drafted (net_income "
                   "62581.00→63581.00, member:0002 trade 0.00→1000.00, and 24 more); cancel it "
                   "and draft the plan again")
    with app.test_request_context("/desk/"):
        shown, surplus = (said_of("distribution_state", m, 409) for m in (village, cooperative))
    assert "2025-1" in shown and "本年收益 80,000.00→81,000.00" in shown
    assert "提取公积公益金 24,000.00→24,300.00" in shown and "004户 金额 2,329.49→2,298.01" in shown
    assert "本年盈余 62,581.00→63,581.00" in surplus
    assert "0002 交易额（元） 0.00→1,000.00" in surplus
    assert "net_income" not in shown + surplus and "member:" not in surplus


def test_a_drafted_plan_is_not_shown_as_owed_on_the_members_account(app, client, coop,
                                                                    project):
    # Given the cooperative's plan drafted but not yet decided or posted,
    number = matter(coop)
    assert client.post(C, json={"year": 2025, "matter": number}).status_code == 201
    make_user(app, "kuai", (COOP, "accountant"))
    project()
    # when the accountant opens member 0002's account,
    kuai = browser(app, project, "kuai")
    page = kuai.get(f"/desk/{COOP}/member-accounts/0002")
    # then the plan's line says it is drafted and not posted, not 「未发」 as if it were owed;
    surplus = re.search(r'<h2 id="surplus">(.*?)</table>', page, re.S)[1]
    assert "2025-1" in surplus and "30,417.98" in surplus
    assert "已起草，未过账" in surplus and "未发" not in surplus
    # and the account's spreadsheet says the same beside the figure.
    sheet = openpyxl.load_workbook(io.BytesIO(kuai.client.get(
        f"/desk/{COOP}/member-accounts/0002.xlsx").data)).active
    assert any(str(row[2]).startswith("分配方案2025-1（草案，未过账）：盈余返还")
               for row in sheet.iter_rows(values_only=True))


def test_a_posted_plan_still_shows_what_is_owed(app, client, coop, clock: Clock, project):
    # Given the plan decided and posted, nothing paid yet,
    number = matter(coop)
    assert client.post(C, json={"year": 2025, "matter": number}).status_code == 201
    disclose(coop, "2025-1")
    clock.today = date(2026, 1, 20)
    assert decide(coop, number, date(2026, 1, 20))
    assert client.post(f"{C}/2025-1/post", json={}).status_code == 201
    make_user(app, "kuai", (COOP, "accountant"))
    # then the member's account shows the amount as not yet paid.
    page = browser(app, project, "kuai").get(f"/desk/{COOP}/member-accounts/0002")
    surplus = re.search(r'<h2 id="surplus">(.*?)</table>', page, re.S)[1]
    assert "30,417.98" in surplus and "未发" in surplus and "已起草" not in surplus


def test_the_desk_shows_why_a_stale_plan_is_not_posted_above_its_button(app, client, coop,
                                                                        clock, project):
    # Given a decided plan and a 2025 trade of member 0002 recorded after the meeting,
    number = matter(coop)
    assert client.post(C, json={"year": 2025, "matter": number}).status_code == 201
    disclose(coop, "2025-1")
    clock.today = date(2026, 1, 20)
    assert decide(coop, number, date(2026, 1, 20))
    coop.register.record_trade(COOP, on=date(2025, 12, 20), direction="bought_from_cooperative",
                               product="有机肥", quantity="1", unit="吨", amount=100_000,
                               member="0002", actor="kuaiji")
    make_user(app, "kuai", (COOP, "accountant"))
    kuai = browser(app, project, "kuai")
    page = kuai.get(f"/desk/{COOP}/distributions/2025-1")
    key = re.search(r'id="form-post".*?name="key" value="([0-9a-f]{32})"', page, re.S)[1]
    # when the accountant presses 过账,
    refused = kuai.post(f"/desk/{COOP}/distributions/2025-1/post", {"key": key}, status=409)
    # then the reason stands above the button, naming 0002's trade in Chinese words.
    said = re.search(r'id="post--error">(.*?)</span>', refused, re.S)
    assert said and "2025-1" in said[1] and "0002 交易额（元） 10,000.00→11,000.00" in said[1]
