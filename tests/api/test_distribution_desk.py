"""The distribution desk driven as a browser drives it: a plan previewed (nothing written) and
drafted through the form, refused beside the field typed wrong, posted once its matter is decided
and paid holder by holder; its slips carry each household's look-up code; only the accountant
acts. The village: 东村, households 001 (85 shares), 002 (80), 003 (35) and the collective share
(60); 2025 earned 80,000.00."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from flask import Flask

from ledger.application import Ledger
from ledger.books import Line, VoucherDraft
from tests.api.conftest import make_user
from tests.api.desk_browser import Browser, browser
from tests.registers import ORG, village_with_shares

PLAN = {"year": "2025", "record_date": "2025-12-31", "reserve_mode": "one",
        "reserve_rate": "0.30", "to_mode": "per_share", "per_share": "100.00",
        "collective_share": "keep"}


def posted(app: Ledger, day: str, debit: str, credit: str, fen: int) -> None:
    app.books.post_voucher(ORG, VoucherDraft(date=date.fromisoformat(day), summary="业务",
                                             lines=(Line(debit, debit=fen),
                                                    Line(credit, credit=fen))), actor="kuaiji")


@pytest.fixture
def ledger(app: Flask) -> Ledger:
    return app.extensions["sunlight"].ledger


@pytest.fixture
def village(app, ledger, clock, project) -> Flask:
    """东村 on 2026-01-05; wang keeps its books, jiandu supervises, liu sits on the committee,
    shen audits; a distribution matter M is proposed."""
    clock.today = date(2026, 1, 5)
    village_with_shares(ledger, matter_steps="decide")
    ledger.books.open_account(ORG, parent="211", code="21102", name_zh="应付收益分配",
                              name_en="Distributions payable", actor="kuaiji")
    posted(ledger, "2025-03-01", "102", "501", 10_000_000)
    posted(ledger, "2025-09-01", "513", "102", 2_000_000)
    make_user(app, "wang", (ORG, "accountant"))
    make_user(app, "jiandu", (ORG, "supervisor"))
    make_user(app, "liu", (ORG, "committee"))
    make_user(app, "shen", (ORG, "auditor"))
    ledger.spending.propose_matter(ORG, on=date(2026, 1, 5), title="2025年度收益分配",
                                   category="distribution", description="",
                                   proposed_by="party_branch", budget_total=0, budget_lines=[],
                                   actor="kuaiji")
    project()
    return app


def matter_of(page: str) -> str:
    return re.search(r'<option value="([^"]+)"[^>]*translate="no">[^<]*2025年度收益分配', page)[1]


def draft_form(page: str, **typed: str) -> dict[str, str]:
    key = re.search(r'name="key" value="([0-9a-f]{32})"', page)[1]
    return {**PLAN, "matter": matter_of(page), "key": key, **typed}


def drafted(wang: Browser) -> str:
    page = wang.get(f"/desk/{ORG}/distributions/new")
    location = wang.post(f"/desk/{ORG}/distributions/new", draft_form(page, draft="1"))
    return re.search(r"/distributions/(\d{4}-\d+)", location)[1]


def disclose_and_decide(ledger: Ledger, clock, number: str) -> None:
    """What the disclosure desk and the matter's page do: the plan published on 01-05, the
    members' meeting eleven days later."""
    plan = ledger.distribution.distribution(ORG, number)
    ref = str(ledger.disclosure.draft_disclosure(
        ORG, kind="distribution", period="2025", title="2025年度收益分配方案",
        inputs={"distribution": number, "stage": "plan"}, content=json.dumps({"lines": []}),
        position=ledger.log_head(), actor="wang").value.id)
    ledger.disclosure.submit_disclosure(ORG, ref, panel=["jiandu"], actor="wang")
    ledger.disclosure.sign_disclosure(ORG, ref, member="jiandu")
    ledger.disclosure.publish_disclosure(ORG, ref, actor="wang")
    clock.today = date(2026, 1, 16)
    assert ledger.spending.hold_meeting(
        ORG, plan.matter, step="decide", on=date(2026, 1, 16), body="members_meeting",
        entitled=6, present=6, votes_for=6, resolution_no="东村决〔2026〕1号",
        actor="wang").value.decided


def test_the_desk_links_to_the_plans_and_the_new_form_has_the_defaults(village, project):
    wang = browser(village, project, "wang")
    assert f'href="/desk/{ORG}/distributions"' in wang.get("/desk/")
    page = wang.get(f"/desk/{ORG}/distributions")
    assert "年终收益分配" in page and "尚无收益分配方案" in page
    page = wang.get(f"/desk/{ORG}/distributions/new")
    assert 'name="year" inputmode="numeric" value="2025"' in page
    assert 'value="2025-12-31"' in page and "2025年度收益分配" in page
    assert '<option value="keep" selected>' in page


def test_a_preview_shows_every_holder_and_writes_nothing(village, project, log_head):
    wang = browser(village, project, "wang")
    page = wang.get(f"/desk/{ORG}/distributions/new")
    head = log_head()
    page = wang.post(f"/desk/{ORG}/distributions/new", draft_form(page, preview="1"),
                     status=200)
    assert log_head() == head
    preview = re.search(r'<section id="preview">(.*?)</section>', page, re.S)[1]
    assert "尚未写入" in preview
    for ref, shares, amount in (("001", 85, "8,500.00"), ("002", 80, "8,000.00"),
                                ("003", 35, "3,500.00")):
        row = re.search(rf'<tr id="h-{ref}">(.*?)</tr>', preview, re.S)[1]
        assert f">{shares}<" in row and amount in row
    assert "80,000.00" in preview and "24,000.00" in preview and "20,000.00" in preview
    assert 'value="0.30"' in page  # the form keeps what was typed


def test_a_plan_over_what_is_left_is_refused_beside_the_total(village, project, log_head):
    wang = browser(village, project, "wang")
    page = wang.get(f"/desk/{ORG}/distributions/new")
    head = log_head()
    page = wang.post(f"/desk/{ORG}/distributions/new", draft_form(
        page, draft="1", to_mode="total", per_share="", total="56000.01"), status=422)
    assert log_head() == head
    error = re.search(r'<span class="error" id="draft-total-error">(.*?)</span>', page, re.S)
    assert error and "可分配收益" in error[1] and "56,000.00" in error[1]
    assert 'aria-invalid="true"' in re.search(r'<input id="draft-total"[^>]*>', page)[0]


@pytest.mark.parametrize(("typed", "field"), [
    ({"year": "二〇二五"}, "year"),
    ({"reserve_rate": "三成"}, "reserve_rate"),
    ({"reserve_mode": "two", "accumulation_rate": "0.2"}, "welfare_rate"),
    ({"record_date": "2024-12-31"}, "record_date"),
    ({"matter": ""}, "matter"),
])
def test_bad_input_is_named_beside_its_field_and_nothing_drafted(
        village, project, log_head, typed, field):
    wang = browser(village, project, "wang")
    page = wang.get(f"/desk/{ORG}/distributions/new")
    head = log_head()
    page = wang.post(f"/desk/{ORG}/distributions/new",
                     draft_form(page, draft="1", **typed), status=422)
    assert log_head() == head
    error = re.search(rf'<span class="error" id="draft-{field}-error">(.*?)</span>', page, re.S)
    assert error, re.findall(r'class="error" id="([^"]+)"', page)
    assert re.search(r"[\u4e00-\u9fff]", error[1]), error[1]


def test_a_plan_is_drafted_posted_once_decided_and_paid(village, ledger, clock, project):
    wang = browser(village, project, "wang")
    number = drafted(wang)
    page = wang.get(f"/desk/{ORG}/distributions/{number}")
    assert "已起草" in page and "85" in page and "8,500.00" in page
    assert re.search(r'<button type="submit" id="post-button" disabled', page)
    assert "先公示方案" in page and "满10日" in page

    disclose_and_decide(ledger, clock, number)
    page = wang.get(f"/desk/{ORG}/distributions/{number}")
    assert "已决定" in page and "公示于" in page
    page = wang.follow(f"/desk/{ORG}/distributions/{number}/post",
                       {"key": re.search(r'name="key" value="(\w+)"', page)[1]})
    assert "已过账" in page and 'id="form-pay"' in page and "/post" not in page.split("<h2")[1]
    assert "全部未发（3位持有人" in page  # holders, not households: a cooperative's are persons
    # the till holds nothing: the form starts on the bank, which holds what is owed
    assert re.search(r'<option value="102" selected', page)
    assert not re.search(r'<option value="101" selected', page)

    page = wang.follow(f"/desk/{ORG}/distributions/{number}/pay", {
        "holders": ["household:001", "household:003"], "paid_from": "102",
        "date": "2026-01-16"})
    assert re.search(r'<tr id="h-001">.*?已发放.*?</tr>', page, re.S)
    assert re.search(r'<tr id="h-002">.*?未发.*?</tr>', page, re.S)
    assert ledger.distribution.distribution(ORG, number).unpaid() == {"household:002": 800_000}

    page = wang.post(f"/desk/{ORG}/distributions/{number}/pay", {
        "holders": ["household:001"], "paid_from": "102", "date": "2026-01-16"}, status=409)
    assert 'id="pay-holders-error"' in page  # paid once, whoever presses the button again
    page = wang.follow(f"/desk/{ORG}/distributions/{number}/pay", {
        "all": "1", "paid_from": "102", "date": "2026-01-16"})
    assert "已全部发放" in page and 'id="form-pay"' not in page


def test_the_slips_carry_each_households_code_in_figures_and_capitals(village, ledger, project):
    wang = browser(village, project, "wang")
    number = drafted(wang)
    page = wang.get(f"/desk/{ORG}/distributions/{number}/slips")
    for line in ledger.distribution.distribution(ORG, number).lines:
        ref = line["holder"].partition(":")[2]
        slip = re.search(rf'<article class="slip" id="slip-{ref}">(.*?)</article>', page, re.S)[1]
        assert line["code"] in slip and f"/{ORG}/distributions/{number}/lookup" in slip
    assert "捌仟伍佰元整" in page and "8,500.00" in page


def test_a_plan_is_cancelled_with_a_reason(village, project):
    wang = browser(village, project, "wang")
    number = drafted(wang)
    wang.get(f"/desk/{ORG}/distributions/{number}")
    page = wang.post(f"/desk/{ORG}/distributions/{number}/cancel", {"reason": ""}, status=422)
    assert 'id="cancel-reason-error"' in page
    page = wang.follow(f"/desk/{ORG}/distributions/{number}/cancel", {"reason": "比例有误"})
    assert "已作废" in page and "比例有误" in page and 'id="form-cancel"' not in page


@pytest.mark.parametrize("login", ["liu", "jiandu", "shen"])
def test_others_read_the_plan_but_only_the_accountant_acts(village, ledger, clock, project,
                                                           log_head, login):
    number = drafted(browser(village, project, "wang"))
    disclose_and_decide(ledger, clock, number)
    reader = browser(village, project, login)
    page = reader.get(f"/desk/{ORG}/distributions/{number}")
    assert "8,500.00" in page and 'id="form-post"' not in page and 'id="slips"' not in page
    head = log_head()
    reader.post(f"/desk/{ORG}/distributions/{number}/post", {}, status=403)
    reader.get(f"/desk/{ORG}/distributions/{number}/slips", status=403)
    reader.get(f"/desk/{ORG}/distributions/new", status=403)
    assert log_head() == head


def test_a_payment_voucher_names_who_was_paid_and_is_not_offered_for_reversal(
        village, ledger, clock, project):
    # Given a plan posted and households 001 and 003 paid in one voucher
    wang = browser(village, project, "wang")
    number = drafted(wang)
    disclose_and_decide(ledger, clock, number)
    ledger.distribution.post(ORG, number, actor="wang")
    ledger.distribution.pay(ORG, number, holders=["household:001", "household:003"],
                            paid_from="102", on=date(2026, 1, 16), actor="wang")
    project()
    paid = ledger.distribution.distribution(ORG, number).paid["household:001"]["voucher"]
    # When the accountant opens the payment voucher
    page = wang.get(f"/desk/{ORG}/vouchers/{paid}")
    # Then each 21102 line says whose it was, and the page names the plan it paid
    assert re.search(r"收益分配款\s*<span class=\"party\">（户 001）</span>", page)
    assert "（户 003）" in page and "（户 002）" not in page
    assert f">{number}</a>" in page
    # and it offers no red-ink form the ledger would refuse, saying why instead
    assert 'id="reverse-form"' not in page and 'id="not-reversible"' in page
    assert "单独冲销后该记录仍会显示已支付" in page
    # while a voucher that paid nothing still has its form
    page = wang.get(f"/desk/{ORG}/vouchers/2025-03-0001")
    assert 'id="reverse-form"' in page and 'id="not-reversible"' not in page
