"""A year's distribution on the village's public pages: the plan's figures and each household's
line, the result with who was paid and when, the printed sheet, and a household finding its own
line on a phone with its number and the code on its slip — one plain message otherwise, and a
limit on failed tries per address."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from api.disclosure.public_lookup import FAILED_LOOKUPS_PER_WINDOW
from projections.books.queries import BooksReader
from projections.runner import catch_up_all
from tests.api.conftest import make_user, signed_in
from tests.api.desk_browser import Browser
from tests.api.public_village import page_of, poppler
from tests.conftest import Clock
from tests.distributions import decided_and_paid, distribution_village, publish
from tests.e2e.browser import ARTIFACTS
from tests.registers import ORG, PEOPLE

NOT_FOUND = "没有找到与这个户号和查询码相符的记录"


@dataclass
class Disclosed:
    app: Flask
    number: str  # the distribution
    plan: str  # the published plan's disclosure
    result: str  # the published result's disclosure

    def code(self, holder: str) -> str:
        plan = self.app.extensions["sunlight"].ledger.distribution.distribution(ORG, self.number)
        return str(plan.line_of(holder)["code"])

    @property
    def lookup(self) -> str:
        return f"/{ORG}/distributions/{self.number}/lookup"


@pytest.fixture
def disclosed(app: Flask, clock: Clock) -> Disclosed:
    """东村's 2025 plan published, decided, posted, 002 paid on 2026-01-16, the result published."""
    services = app.extensions["sunlight"]

    @contextmanager
    def read() -> Iterator[BooksReader]:
        catch_up_all(services.ledger, services.views)
        with services.queries.read() as reader:
            yield reader

    matter, number = distribution_village(services.ledger, clock)
    plan = publish(services.ledger, read, number, "plan")
    decided_and_paid(services.ledger, clock, matter, number, ["household:002"])
    result = publish(services.ledger, read, number, "result")
    catch_up_all(services.ledger, services.views)
    return Disclosed(app, number, plan, result)


def squeezed(text: str) -> str:
    """The text a reader sees, without tags or spaces."""
    return "".join(html.unescape(re.sub(r"<[^>]+>", "", text)).split())


def test_the_plan_page_shows_the_figures_then_each_household(disclosed: Disclosed) -> None:
    page = squeezed(page_of(disclosed.app.test_client().get(
        f"/{ORG}/disclosures/{disclosed.plan}")))
    for needed in ("收益分配方案", "可分配收益", "80,000.00", "向成员分配", "20,000.00",
                   "001张**", "8,500.00", "002王**", "003刘**", "查我家的分红",
                   "本年财务报表", "资产负债表"):
        assert needed in page, needed
    assert page.index("可分配收益") < page.index("001张**")
    # The statements are the books before this distribution: said, or their 年末未分配收益
    # reads as contradicting the plan's.
    assert "以下报表是拟定方案时的账面数，本次分配尚未入账" in page
    assert page.index("本次分配尚未入账") < page.index("资产负债表", page.index("本年财务报表"))
    assert not any(p["name"] in page for p in PEOPLE if p.get("head"))
    assert disclosed.code("household:001") not in page
    sheet = disclosed.app.test_client().get(f"/{ORG}/disclosures/{disclosed.plan}.csv")
    assert sheet.status_code == 200 and "001户 张**" in sheet.get_data(as_text=True)


def test_the_result_page_says_who_was_paid_and_when(disclosed: Disclosed) -> None:
    page = squeezed(page_of(disclosed.app.test_client().get(
        f"/{ORG}/disclosures/{disclosed.result}")))
    assert "002王**808,000.00已发2026-01-16" in page
    assert "001张**858,500.00未发" in page
    assert "已发放合计8,000.00" in page and "尚未发放12,000.00" in page


def test_a_household_finds_its_own_line_with_its_slip_code(disclosed: Disclosed) -> None:
    browser = disclosed.app.test_client()
    form = page_of(browser.get(disclosed.lookup))
    assert "户号" in form and "查询码" in form
    found = browser.post(disclosed.lookup, data={"household": "００２",
                                                 "code": disclosed.code("household:002")})
    page = squeezed(page_of(found))
    assert found.status_code == 200
    for needed in ("002户", "王**", "8,000.00", "捌仟元整", "已发", "2026-01-16"):
        assert needed in page, needed
    assert "8,500.00" not in page and "张**" not in page  # no other household's line


def test_a_household_not_yet_paid_is_told_whom_to_ask_and_can_ask_about_its_line(
        disclosed: Disclosed) -> None:
    # Given household 001, not paid, finding its line
    browser = disclosed.app.test_client()
    found = browser.post(disclosed.lookup, data={"household": "1",
                                                 "code": disclosed.code("household:001")})
    page = squeezed(page_of(found))
    # Then it is told what "not yet" means and whom to ask
    assert "还没有发放" in page and "请问村会计" in page
    # and a tap opens the published result with the question form on its own line
    ask = re.search(r'id="ask-about-line" href="([^"]+)"', page_of(found))[1]
    assert ask == f"/{ORG}/disclosures/{disclosed.result}?line=1#ask"
    form = page_of(browser.get(ask.split("#")[0]))
    assert re.search(r'<option value="1" selected>第 1 行', form)
    # while a paid household is not told it has not been paid
    paid = browser.post(disclosed.lookup, data={"household": "002",
                                                "code": disclosed.code("household:002")})
    assert "还没有发放" not in page_of(paid) and 'id="ask-about-line"' in page_of(paid)


def wrong(disclosed: Disclosed, client: FlaskClient, **data: str) -> Any:
    return client.post(disclosed.lookup, data={"household": "001", "code": "", **data})


def test_a_wrong_code_or_number_gets_one_message_and_nothing_else(disclosed: Disclosed) -> None:
    browser = disclosed.app.test_client()
    right = disclosed.code("household:001")
    other = "000000" if right != "000000" else "111111"
    answers = [wrong(disclosed, browser, code=other),
               wrong(disclosed, browser, household="009", code=right),
               wrong(disclosed, browser, code="12ab")]
    pages = [squeezed(page_of(answer)) for answer in answers]
    assert all(answer.status_code == 422 for answer in answers)
    assert all(NOT_FOUND in page for page in pages)
    assert all("8,500.00" not in page and "张**" not in page for page in pages)
    assert browser.get(f"/{ORG}/distributions/2025-9/lookup").status_code == 404


def test_failed_lookups_are_limited_per_address_and_household(disclosed: Disclosed) -> None:
    browser = disclosed.app.test_client()
    right = disclosed.code("household:001")
    other = "000000" if right != "000000" else "111111"
    for _ in range(3):  # finding one's own line does not count
        assert browser.post(disclosed.lookup, data={"household": "001",
                                                    "code": right}).status_code == 200
    for _ in range(FAILED_LOOKUPS_PER_WINDOW):
        assert wrong(disclosed, browser, code=other).status_code == 422
    # household 001 however it is written ("1" is 001 on the slip)
    limited = browser.post(disclosed.lookup, data={"household": "1", "code": right})
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) > 0
    said = squeezed(page_of(limited))
    assert "输错次数太多" in said and "请村会计核对发放单" in said and "8,500.00" not in said
    # while the next household, helped at the same village office, still finds its own line
    helped = browser.post(disclosed.lookup, data={"household": "002",
                                                  "code": disclosed.code("household:002")})
    assert helped.status_code == 200 and "8,000.00" in page_of(helped)


def test_the_noticeboard_sheet_lists_each_household(disclosed: Disclosed, tmp_path: Any) -> None:
    response = disclosed.app.test_client().get(
        f"/{ORG}/disclosures/{disclosed.result}/sheet.pdf?size=A4")
    assert response.status_code == 200 and response.get_data().startswith(b"%PDF")
    text = squeezed(poppler("pdftotext", response.get_data(), tmp_path, "-raw"))
    save_pages_of(response.get_data(), tmp_path, "distribution-result-sheet")
    for needed in ("2025年度收益分配结果公示", "可分配收益", "001张**", "捌仟伍佰元整",
                   "002王**", "捌仟元整", "已发", "003刘**", "叁仟伍佰元整"):
        assert needed in text, needed


def test_the_desk_drafts_a_distribution_disclosure_from_the_plan_and_stage(
        disclosed: Disclosed, project: Any) -> None:
    ledger = disclosed.app.extensions["sunlight"].ledger
    ledger.identity.create_user(login="zhangkj", display_name="张会计",
                                password="a long password", actor="admin")
    ledger.identity.grant_role("zhangkj", org=ORG, role="accountant", reason="elected",
                               actor="admin")
    browser = Browser(disclosed.app, project)
    browser.sign_in("zhangkj")
    form = browser.get(f"/desk/{ORG}/disclosures/new?kind=distribution&distribution="
                       f"{disclosed.number}&stage=result")
    assert 'value="distribution" selected' in form and "收益分配公开" in form
    assert f'value="{disclosed.number}" data-year="2025" selected' in form
    assert 'value="result" selected' in form and 'value="2025年度收益分配结果公示"' in form
    key = re.search(r'name="key" value="([0-9a-f]+)"', form)
    assert key is not None
    where = browser.post(f"/desk/{ORG}/disclosures/new", {
        "key": key.group(1), "kind": "distribution", "distribution": disclosed.number,
        "stage": "plan", "period": "", "title": "2025年度收益分配结果公示",
        "title_default": "2025年度收益分配结果公示", "notes": ""}, status=409)
    assert "distribution" in where and 'aria-invalid="true"' in where  # posted: no plan now
    form = browser.get(f"/desk/{ORG}/disclosures/new?kind=distribution")
    key = re.search(r'name="key" value="([0-9a-f]+)"', form)
    assert key is not None
    where = browser.post(f"/desk/{ORG}/disclosures/new", {
        "key": key.group(1), "kind": "distribution", "distribution": disclosed.number,
        "stage": "result", "period": "", "title": "", "title_default": "", "notes": ""})
    ref = where.split("/disclosures/")[1].split("?")[0]
    drafted = ledger.disclosure.disclosure(ORG, ref)
    assert (drafted.kind, drafted.period, drafted.title) == (
        "distribution", "2025", "2025年度收益分配结果公示")
    assert drafted.inputs["distribution"] == disclosed.number
    assert drafted.inputs["stage"] == "result"


def test_the_plan_sheet_carries_the_years_statements(disclosed: Disclosed, tmp_path: Any) -> None:
    response = disclosed.app.test_client().get(
        f"/{ORG}/disclosures/{disclosed.plan}/sheet.pdf?size=A4")
    text = squeezed(poppler("pdftotext", response.get_data(), tmp_path, "-raw"))
    for needed in ("2025年度收益分配方案公示", "提取公积公益金", "001张**", "捌仟伍佰元整",
                   "收益表", "资产负债表"):
        assert needed in text, needed
    assert "已发" not in text  # a plan has paid no one yet
    save_pages_of(response.get_data(), tmp_path, "distribution-plan-sheet")


def save_pages_of(pdf: bytes, tmp_path: Any, name: str) -> None:
    """The sheet's pages as PNGs under tests/artifacts/, for a person to look at."""
    if shutil.which("pdftoppm") is None:
        return
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (tmp_path / f"{name}.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "70", "-png", str(tmp_path / f"{name}.pdf"),
                    str(ARTIFACTS / name)], check=True, stdin=subprocess.DEVNULL)


def test_the_api_drafts_a_distribution_disclosure_under_the_plans_year(
        disclosed: Disclosed) -> None:
    client = signed_in(disclosed.app, make_user(disclosed.app, "zhangkj", (ORG, "accountant")))
    body = {"kind": "distribution", "title": "2025年度收益分配结果公示",
            "distribution": disclosed.number, "stage": "result"}
    drafted = client.post(f"/api/v1/orgs/{ORG}/disclosures", json=body)
    assert drafted.status_code == 201, drafted.get_json()
    assert drafted.get_json()["period"] == "2025"
    assert drafted.get_json()["content"]["distribution"]["stage"] == "result"
    refused = client.post(f"/api/v1/orgs/{ORG}/disclosures", json={**body, "stage": "later"})
    assert refused.status_code == 422 and "stage" in str(refused.get_json())
