"""A villager on a 360-px phone, against the real `sunlight serve`: the result of 东村's 2025
distribution on the public page (the plan's figures, then each household: 户号 姓名 股数 金额
已发), then 查我家的分红 — the household number and the code on the payment slip — shows that
household's line alone; a wrong code shows one plain message. Screenshots go to tests/artifacts/."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from playwright.sync_api import Page, expect

from infra.keys import personal_data_cipher
from infra.storage import Storage
from projections.books.queries import BooksReader
from projections.runner import catch_up, create_tables, open_ledger, open_view
from tests.conftest import Clock
from tests.distributions import decided_and_paid, distribution_village, publish
from tests.e2e.browser import assert_no_horizontal_scroll, phone, save_screenshot  # noqa: F401
from tests.e2e.conftest import Server
from tests.registers import ORG

pytestmark = pytest.mark.e2e


def disclose_result(storage: Storage, clock: Clock) -> tuple[str, str, str]:
    """Before the server starts: the plan published, decided, posted, 002 paid, the result
    published; the distribution's number, the result's reference and 002's slip code."""
    create_tables(storage)
    app = open_ledger(storage, clock=clock, cipher=personal_data_cipher(storage))
    view = open_view(storage)
    try:
        @contextmanager
        def read() -> Iterator[BooksReader]:
            catch_up(app, view)
            with view.sql() as sql:
                yield BooksReader(sql, view)

        matter, number = distribution_village(app, clock)
        publish(app, read, number, "plan")
        decided_and_paid(app, clock, matter, number, ["household:002"])
        result = publish(app, read, number, "result")
        code = str(app.distribution.distribution(ORG, number).line_of("household:002")["code"])
    finally:
        view.datastore.close()
        app.close()
    return number, result, code


def test_a_villager_finds_the_households_share_on_a_phone(
        unstarted_server: Server, storage: Storage, clock: Clock, phone: Page,  # noqa: F811
        ) -> None:
    _, result, code = disclose_result(storage, clock)
    unstarted_server.start()
    unstarted_server.wait_ready()
    phone.goto(f"{unstarted_server.url}/{ORG}/disclosures/{result}")
    expect(phone.locator("h1")).to_contain_text("2025年度收益分配结果公示")
    holders = phone.locator("table.holders tbody tr")
    expect(holders).to_have_count(3)
    expect(holders.nth(1)).to_contain_text("王**")
    expect(holders.nth(1)).to_contain_text("已发")
    expect(holders.nth(0)).to_contain_text("未发")
    assert_no_horizontal_scroll(phone)
    save_screenshot(phone, "distribution-result-phone")
    # A table in normal type: the column names are its head, not said again above every cell
    # (the phone's card rule for other tables squeezed them above each value, 序/号 and 王/**).
    for cell in ("td.c-no", "td.c-who", "td.num"):
        said = holders.nth(1).locator(cell).first.evaluate(
            "cell => getComputedStyle(cell, '::before').content")
        assert said in ("none", "normal"), (cell, said)
    lines = phone.locator("table.holders th.c-no").evaluate(
        "cell => { const r = document.createRange(); r.selectNodeContents(cell);"
        " return new Set([...r.getClientRects()].map(b => Math.round(b.top))).size; }")
    assert lines == 1, lines  # 序号 on one line
    # In 大字 four columns did not fit: the names ran down a character a line (户/号/姓/名).
    # Each household is a card now, its name across the phone, a figure a line under it.
    phone.goto(f"{unstarted_server.url}/{ORG}/disclosures/{result}?text=large")
    name = phone.locator("table.holders tbody tr td.c-who").nth(1)
    box = name.bounding_box()
    font = float(name.evaluate("cell => parseFloat(getComputedStyle(cell).fontSize)"))
    assert box and box["width"] > 8 * font, (box, font)
    expect(phone.locator("table.holders tbody tr").nth(1).locator("td.num").first).to_be_visible()
    assert_no_horizontal_scroll(phone)
    save_screenshot(phone, "distribution-result-phone-large")
    phone.goto(f"{unstarted_server.url}/{ORG}/disclosures/{result}?text=normal")

    phone.get_by_role("link", name="查我家的分红").click()
    expect(phone.locator("h1")).to_contain_text("查我家的分红")
    phone.get_by_label("户号").fill("001")
    phone.get_by_label("查询码").fill("000000" if code != "000000" else "111111")
    phone.get_by_role("button", name="查询").click()
    expect(phone.get_by_role("alert")).to_contain_text("没有找到与这个户号和查询码相符的记录")
    expect(phone.locator(".my-line")).to_have_count(0)

    phone.get_by_label("户号").fill("002")
    phone.get_by_label("查询码").fill(code)
    phone.get_by_role("button", name="查询").click()
    line = phone.locator(".my-line")
    expect(line).to_contain_text("002户")
    expect(line).to_contain_text("8,000.00")
    expect(line).to_contain_text("捌仟元整")
    expect(line).to_contain_text("2026-01-16")
    assert "8,500.00" not in phone.content()
    assert_no_horizontal_scroll(phone)
    save_screenshot(phone, "distribution-lookup-phone")
