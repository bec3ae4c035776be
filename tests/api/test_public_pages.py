"""The village's public pages: only published disclosures and screened-visible questions are
shown, downloads are the published bytes, the ask form resists robots, and an asker's phone
number never appears anywhere public."""

from __future__ import annotations

import csv
import hashlib
import html
import io
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image

from api import create_app
from api.disclosure.public import QUESTION_WINDOW, QUESTIONS_PER_WINDOW
from api.disclosure.public_ask import challenge_for
from api.disclosure.public_views import line_changes
from api.render.charts import Bar, bar_chart, fit, grouped, text_width, yuan
from projections.disclosure.content import prepare
from tests.api.conftest import FAST_HASHER, make_user

ORG = "v1"
PHONE = "13812345678"
PANEL = ("jian1", "jian2", "jian3")


@dataclass
class Village:
    app: Flask
    project: Any
    published: str  # the id of the published income and expenditure disclosure
    draft: str  # a disclosure drafted and never published
    row: dict[str, Any]

    @property
    def ledger(self) -> Any:
        return self.app.extensions["sunlight"].ledger

    @property
    def page(self) -> str:
        return f"/{ORG}/disclosures/{self.published}"

    def questions(self) -> list[dict[str, Any]]:
        self.project()
        return self.app.extensions["sunlight"].disclosures.questions(ORG, public=False)

    def screen(self, question: str, visible: bool, reason: str = "") -> None:
        self.ledger.disclosure.screen_question(ORG, question, visible=visible, reason=reason,
                                               actor=PANEL[0])
        self.project()


def draft(app: Flask, kind: str, period: str, title: str, inputs: dict[str, Any] | None = None,
          **extra: Any) -> str:
    services = app.extensions["sunlight"]
    with services.queries.read() as reader:
        prepared = prepare(reader, ORG, kind, period, title, inputs or {})
    outcome = services.ledger.disclosure.draft_disclosure(
        ORG, kind=kind, period=period, title=title, inputs=inputs or {},
        content=prepared.content, position=prepared.position, actor="wang", **extra)
    return str(outcome.value.id)


def publish(app: Flask, ref: str, notes: dict[str, str] | None = None) -> None:
    ledger = app.extensions["sunlight"].ledger
    ledger.disclosure.submit_disclosure(ORG, ref, panel=list(PANEL), actor="wang")
    ledger.disclosure.sign_disclosure(ORG, ref, member=PANEL[0], opinion="账实相符，同意公开",
                                      line_notes=notes or {})
    ledger.disclosure.sign_disclosure(ORG, ref, member=PANEL[1])
    ledger.disclosure.publish_disclosure(ORG, ref, actor="wang")


@pytest.fixture
def village(app: Flask, client: FlaskClient, org: str, project: Any) -> Village:
    """v1 with January 2025 posted (5,000 contracting income, 1,200 cadre allowances, 300.50
    office costs in cash), its income and expenditure published, and a draft for February."""
    for body in (
        {"date": "2025-01-05", "summary": "收取一组发包款",
         "lines": [{"account": "102", "debit": "5000.00"},
                   {"account": "50101", "credit": "5000.00"}]},
        {"date": "2025-01-20", "summary": "发放1月干部报酬",
         "lines": [{"account": "51301", "debit": "1200.00"},
                   {"account": "102", "credit": "1200.00"}]},
        {"date": "2025-01-25", "summary": "购买办公用品",
         "lines": [{"account": "51301", "debit": "300.50"},
                   {"account": "101", "credit": "300.50"}]},
        {"date": "2025-02-05", "summary": "收取二组发包款",
         "lines": [{"account": "102", "debit": "800.00"},
                   {"account": "50101", "credit": "800.00"}]},
    ):
        response = client.post(f"/api/v1/orgs/{ORG}/vouchers", json=body)
        assert response.status_code == 201, response.get_json()
    for login in PANEL:
        make_user(app, login, (ORG, "supervisor"))
    project()
    ref = draft(app, "income_expenditure", "2025-01", "2025年1月收支明细",
                {"annotations": {"2025-01-0002/1": {"unit": "村委会", "responsible": "李主任"}}})
    publish(app, ref, notes={"1": "已核对发包合同"})
    unpublished = draft(app, "income_expenditure", "2025-02", "2025年2月收支明细")
    project()
    row = app.extensions["sunlight"].disclosures.public_disclosure(ORG, ref)
    assert row is not None
    return Village(app, project, ref, unpublished, row)


def page_of(response: Any) -> str:
    assert response.content_type.startswith("text/html"), response.content_type
    return response.get_data(as_text=True)


def ask_data(village: Village, **fields: Any) -> dict[str, Any]:
    return {"line": "1", "text": "这笔发包款是哪一年的合同？", "name": "", "phone": "",
            "challenge": str(sum(challenge_for(village.published))), "website": "", **fields}


# --- the village page ------------------------------------------------------------------------

def test_the_village_page_lists_published_disclosures_and_their_totals(village, monkeypatch):
    monkeypatch.setenv("SUNLIGHT_PUBLIC_URL", "https://cunwu.example.cn/")  # so its QR prints
    browser = village.app.test_client()
    response = browser.get(f"/{ORG}/")
    page = page_of(response)
    assert response.status_code == 200
    assert "一村股份经济合作社" in page and "2025年1月收支明细" in page
    assert f'href="/{ORG}/disclosures/{village.published}"' in page
    assert "2025年2月收支明细" not in page  # a draft is not public
    assert "5,000.00" in page and "1,500.50" in page and "3,499.50" in page
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart"') == 2
    assert "干部报酬" in page and "发包收入" in page  # the charts' labels
    assert f"/{ORG}/qr.png" in page and f"/{ORG}/qr.svg" in page
    assert "<script" not in page and 'src="http' not in page and "Set-Cookie" not in \
        response.headers


def test_an_unknown_village_is_a_translated_page_not_found(app):
    browser = app.test_client()
    response = browser.get("/nowhere/")
    assert response.status_code == 404 and "未找到" in page_of(response)
    english = browser.get("/nowhere/?lang=en")
    assert english.status_code == 404 and "Not found" in page_of(english)
    for path in ("/nowhere/qr.png", "/nowhere/qr.svg"):
        assert browser.get(path).status_code == 404


def test_english_labels_and_english_names_where_the_data_has_them(village):
    page = page_of(village.app.test_client().get(f"{village.page}?lang=en"))
    for label in ("Income and expenditure", "Amount in words", "Fund source",
                  "Reviewer's opinion", "How to check it", "Ask a question"):
        assert label in html.unescape(page), label
    assert "伍仟元整" in page  # Chinese data stays as it is
    assert "Bank deposits" in page or "银行存款" in page
    village_page = page_of(village.app.test_client().get(f"/{ORG}/?lang=en"))
    assert "Disclosures" in village_page and "Questions and answers" in village_page


# --- one disclosure --------------------------------------------------------------------------

def test_a_disclosure_shows_the_form_columns_reviewers_and_how_to_check(village):
    response = village.app.test_client().get(village.page)
    page = page_of(response)
    assert response.status_code == 200
    for text in ("序号", "金额（大写）", "资金来源", "经办单位", "责任人", "审核意见",
                 "伍仟元整", "壹仟贰佰元整", "叁佰元伍角整", "村委会", "李主任",
                 "jian1：已核对发包合同", "账实相符，同意公开", village.row["digest"],
                 f"sunlight disclosures verify {ORG} {village.published}"):
        assert text in page, text
    assert re.search(r"jian1、jian2|jian2、jian1", page)
    assert str(village.row["built_at_position"]) in page
    assert village.row["posting_from"] in page and village.row["objection_until"] in page
    # A month's movements read as a compact list; each line's details open on tap.
    assert "<dt>金额（大写）</dt>" in page and '<ol class="moves">' in page


def test_drafts_and_unknown_disclosures_are_not_found(village):
    browser = village.app.test_client()
    for ref in (village.draft, "no-such-thing", "00000000-0000-0000-0000-000000000000"):
        for suffix in ("", ".json", ".csv", "/sheet.pdf"):
            response = browser.get(f"/{ORG}/disclosures/{ref}{suffix}")
            assert response.status_code == 404, (ref, suffix)
    assert browser.post(f"/{ORG}/disclosures/{village.draft}/questions",
                        data=ask_data(village)).status_code == 404
    # Published under v1, so not under another organization's address.
    assert browser.get(f"/v2/disclosures/{village.published}").status_code == 404


def test_the_json_download_is_the_published_bytes(village):
    response = village.app.test_client().get(f"{village.page}.json")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert hashlib.sha256(response.get_data()).hexdigest() == village.row["digest"]
    assert response.get_data() == village.row["content"].encode("utf-8")


def test_the_csv_has_the_form_columns_a_bom_and_the_digest(village):
    response = village.app.test_client().get(f"{village.page}.csv")
    body = response.get_data()
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == ["序号", "事项", "类别", "金额（元）", "金额（大写）", "资金来源",
                       "经办单位", "责任人", "审核意见", "收或支", "凭证号", "审批人"]
    blank = rows.index([])
    lines = rows[1:blank]
    assert [line[0] for line in lines] == ["1", "2", "3"]
    assert lines[0][3:5] == ["5000.00", "伍仟元整"] and lines[0][8] == "jian1：已核对发包合同"
    assert lines[1][6:8] == ["村委会", "李主任"]
    trailer = dict(row for row in rows[blank + 1:] if row)  # the totals, then the digest's
    assert trailer["收入合计"] == "5000.00" and trailer["收支相抵"] == "3499.50"
    assert village.row["digest"] in trailer.values()
    assert str(village.row["built_at_position"]) in trailer.values()
    assert any(value.endswith(f"/{ORG}/disclosures/{village.published}.json")
               for value in trailer.values())


def test_statements_show_their_lines_with_structure(village):
    ref = draft(village.app, "balance_sheet", "2025-01", "2025年1月资产负债表")
    publish(village.app, ref)
    village.project()
    page = page_of(village.app.test_client().get(f"/{ORG}/disclosures/{ref}"))
    assert "年初数" in page and "期末数" in page and 'class="indent-1' in page
    assert " total" in page  # total rows are styled
    rows = list(csv.reader(io.StringIO(village.app.test_client().get(
        f"/{ORG}/disclosures/{ref}.csv").get_data().decode("utf-8-sig"))))
    assert rows[0] == ["序号", "项目", "期末数", "年初数"]


def test_a_correction_links_both_ways_with_the_reason_and_the_difference(village, client):
    # A late voucher in January; the correction's content then has one line more.
    ledger = village.ledger
    response = client.post(f"/api/v1/orgs/{ORG}/vouchers", json={
        "date": "2025-01-28", "summary": "补记保洁费",
        "lines": [{"account": "51301", "debit": "80.00"}, {"account": "101", "credit": "80.00"}]})
    assert response.status_code == 201, response.get_json()
    village.project()
    fixed = draft(village.app, "income_expenditure", "2025-01", "2025年1月收支明细（更正）",
                  corrects=village.published, correction_reason="漏记一笔保洁费")
    publish(village.app, fixed)
    village.project()
    assert ledger.disclosure.disclosure(ORG, village.published).corrected_by == fixed
    browser = village.app.test_client()
    new = page_of(browser.get(f"/{ORG}/disclosures/{fixed}"))
    assert f'href="/{ORG}/disclosures/{village.published}"' in new
    assert "漏记一笔保洁费" in new and "补记保洁费" in new and "新增" in new
    old = page_of(browser.get(village.page))
    assert f'href="/{ORG}/disclosures/{fixed}"' in old and "漏记一笔保洁费" in old
    listing = page_of(browser.get(f"/{ORG}/"))
    assert "已更正" in listing


def test_line_changes_match_by_reference():
    old = [{"no": 1, "ref": "a/1", "amount": "1.00"}, {"no": 2, "ref": "b/1", "amount": "2.00"}]
    new = [{"no": 1, "ref": "b/1", "amount": "2.50"}, {"no": 2, "ref": "c/1", "amount": "3.00"}]
    changes = line_changes(old, new)
    assert [line["ref"] for line in changes["added"]] == ["c/1"]
    assert [line["ref"] for line in changes["removed"]] == ["a/1"]
    assert [(a["amount"], b["amount"]) for a, b in changes["changed"]] == [("2.00", "2.50")]
    by_number = line_changes([{"no": 1, "amount": "1.00"}], [{"no": 1, "amount": "1.00"}])
    assert by_number == {"added": [], "removed": [], "changed": []}


# --- questions -------------------------------------------------------------------------------

def test_a_question_is_shown_only_once_screened_visible(village):
    browser = village.app.test_client()
    response = browser.post(f"{village.page}/questions", data=ask_data(
        village, name="张三丰", phone=PHONE))
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"{village.page}?asked=1#ask")
    assert "Set-Cookie" not in response.headers  # anonymous visitors get no cookie
    notice = page_of(browser.get(f"{village.page}?asked=1"))
    assert "监督委员会审核后" in notice
    [asked] = village.questions()
    assert asked["status"] == "pending" and asked["line_no"] == 1
    assert "这笔发包款" not in page_of(browser.get(village.page))
    assert "这笔发包款" not in page_of(browser.get(f"/{ORG}/"))

    village.screen(asked["id"], visible=True)
    page = page_of(browser.get(village.page))
    assert "这笔发包款是哪一年的合同？" in page and "张**" in page and "张三丰" not in page
    assert "第 1 行" in page
    listing = page_of(browser.get(f"/{ORG}/"))
    assert "这笔发包款是哪一年的合同？" in listing and "等待答复" in listing

    village.ledger.disclosure.answer_question(ORG, asked["id"], text="2024年签订的五年合同。",
                                              actor="wang")
    village.project()
    assert "2024年签订的五年合同。" in page_of(browser.get(f"/{ORG}/"))


def test_a_hidden_question_is_not_shown(village):
    browser = village.app.test_client()
    browser.post(f"{village.page}/questions", data=ask_data(village, text="一句骂人的话，不该公开"))
    [asked] = village.questions()
    village.screen(asked["id"], visible=False, reason="含有辱骂")
    for path in (village.page, f"/{ORG}/"):
        page = page_of(browser.get(path))
        assert "骂人" not in page and "含有辱骂" not in page


def test_an_overdue_question_is_flagged(village, clock):
    browser = village.app.test_client()
    browser.post(f"{village.page}/questions", data=ask_data(village, line="0"))
    [asked] = village.questions()
    village.screen(asked["id"], visible=True)
    assert "已逾期" not in page_of(browser.get(f"/{ORG}/"))
    clock.today = clock.today.replace(year=clock.today.year + 1)
    page = page_of(browser.get(f"/{ORG}/"))
    assert "已逾期" in page and 'class="question overdue"' in page
    assert "整个公开" in page_of(browser.get(village.page))


@pytest.mark.parametrize("fields, field, message", [
    ({"website": "http://spam.example"}, "form", "无法接受"),
    ({"challenge": "99"}, "challenge", "两个数的和"),  # 99 is no sum of two digits 1–9
    ({"challenge": "three"}, "challenge", "两个数的和"),
    ({"text": "短"}, "text", "4 到 500 个字"),
    ({"line": "42"}, "line", "请选择表格中的一行"),
    ({"line": "x"}, "line", "请选择表格中的一行"),
    ({"name": "名" * 30}, "name", "最多 20 个字"),
    ({"phone": "call me"}, "phone", "电话号码"),
])
def test_bad_input_is_shown_next_to_its_field_and_kept(village, fields, field, message):
    browser = village.app.test_client()
    data = ask_data(village, **({"text": "我想知道这笔钱的去向"} | fields))
    response = browser.post(f"{village.page}/questions", data=data)
    page = page_of(response)
    assert response.status_code == 422
    assert message in page
    if field != "form":
        assert f'id="q-{field}-error"' in page and f'aria-describedby="q-{field}-error"' in page
    assert data["text"] in page  # what they typed is still there
    assert "http://spam.example" not in page
    assert village.questions() == []


def test_questions_are_limited_per_address(village):
    browser = village.app.test_client()
    for _ in range(QUESTIONS_PER_WINDOW + 2):  # a villager's miscount does not count
        assert browser.post(f"{village.page}/questions",
                            data=ask_data(village, challenge="77")).status_code == 422
    for _ in range(QUESTIONS_PER_WINDOW - 1):
        assert browser.post(f"{village.page}/questions",
                            data=ask_data(village)).status_code == 303
    # A robot filling the hidden field does count.
    assert browser.post(f"{village.page}/questions",
                        data=ask_data(village, website="x")).status_code == 422
    limited = browser.post(f"{village.page}/questions", data=ask_data(village))
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) > 0
    assert "提问太多" in page_of(limited)
    other = village.app.test_client().post(
        f"{village.page}/questions", data=ask_data(village),
        environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code == 303
    assert len(village.questions()) == QUESTIONS_PER_WINDOW


def test_questions_are_counted_once_across_workers_and_the_refusal_says_when(village, storage,
                                                                           clock):
    other_worker = create_app(storage, clock=clock, passwords=FAST_HASHER)  # same database
    try:
        first, second = village.app.test_client(), other_worker.test_client()
        for _ in range(3):
            assert first.post(f"{village.page}/questions",
                              data=ask_data(village)).status_code == 303
        assert second.post(f"{village.page}/questions",
                           data=ask_data(village)).status_code == 303
        assert second.post(f"{village.page}/questions",  # a robot's form counts too
                           data=ask_data(village, website="x")).status_code == 422
        limited = first.post(f"{village.page}/questions", data=ask_data(village))
        assert limited.status_code == 429
        seconds = int(limited.headers["Retry-After"])
        assert 0 < seconds <= QUESTION_WINDOW
        assert f"请在 {-(-seconds // 60)} 分钟后再试" in page_of(limited)
        assert second.post(f"{village.page}/questions",
                           data=ask_data(village)).status_code == 429
        assert len(village.questions()) == QUESTIONS_PER_WINDOW - 1
    finally:
        other_worker.extensions["sunlight"].close()


def test_a_signed_in_visitor_needs_the_forms_csrf_token(village):
    make_user(village.app, "cadre", (ORG, "committee"))
    browser = village.app.test_client()
    page = browser.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert browser.post("/login", data={"login": "cadre", "password": "a long password",
                                        "csrf_token": token}).status_code == 303
    form = page_of(browser.get(village.page))
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    assert browser.post(f"{village.page}/questions",
                        data=ask_data(village)).status_code == 403
    assert browser.post(f"{village.page}/questions",
                        data=ask_data(village, csrf_token=token)).status_code == 303
    [asked] = village.questions()
    assert asked["status"] == "pending"
    assert 'name="csrf_token"' not in page_of(village.app.test_client().get(village.page))


def test_the_phone_number_never_appears_publicly(village):
    browser = village.app.test_client()
    assert browser.post(f"{village.page}/questions", data=ask_data(
        village, name="李四", phone=PHONE)).status_code == 303
    [asked] = village.questions()
    assert asked["has_phone"] == 1
    village.screen(asked["id"], visible=True)
    village.ledger.disclosure.answer_question(ORG, asked["id"], text="已电话回复。", actor="wang")
    village.project()
    for path in (f"/{ORG}/", village.page, f"{village.page}.json", f"{village.page}.csv",
                 f"/{ORG}/?lang=en", f"{village.page}?lang=en"):
        body = browser.get(path).get_data()
        assert PHONE.encode() not in body, path
        assert b"\xe6\x9d\x8e\xe5\x9b\x9b" not in body, path  # "李四" unmasked
    # A rejected form shows back only to the one who typed it, never after screening.
    rejected = browser.post(f"{village.page}/questions",
                            data=ask_data(village, phone=PHONE, challenge="0"))
    assert rejected.status_code == 422


# --- QR codes and the sheet ------------------------------------------------------------------

def decoded(png: bytes) -> str:
    zxingcpp = pytest.importorskip("zxingcpp")
    [code] = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    return code.text


def test_the_qr_codes_are_downloads_of_the_village_address(village, monkeypatch):
    browser = village.app.test_client()
    # The address the request came to, when phones can reach it (the server behind its name).
    png = browser.get(f"/{ORG}/qr.png", base_url="http://yicun.example.cn")
    assert png.status_code == 200 and png.mimetype == "image/png"
    assert png.headers["Content-Disposition"] == f"attachment; filename={ORG}-qr.png"
    assert decoded(png.get_data()) == f"http://yicun.example.cn/{ORG}/"
    svg = browser.get(f"/{ORG}/qr.svg", base_url="http://yicun.example.cn")
    assert svg.mimetype == "image/svg+xml" and b"<svg" in svg.get_data()
    assert svg.headers["Content-Disposition"] == f"attachment; filename={ORG}-qr.svg"
    monkeypatch.setenv("SUNLIGHT_PUBLIC_URL", "https://cunwu.example.cn/")
    assert decoded(browser.get(f"/{ORG}/qr.png").get_data()) == \
        f"https://cunwu.example.cn/{ORG}/"


def poppler(name: str, pdf: bytes, tmp_path: Any, *args: str) -> str:
    tool = shutil.which(name)
    if tool is None:
        if os.environ.get("SUNLIGHT_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{name} is missing: apt-get install -y poppler-utils")
        pytest.skip(f"{name} is missing: apt-get install -y poppler-utils")
    path = tmp_path / "sheet.pdf"
    path.write_bytes(pdf)
    return subprocess.run([tool, *args, str(path), *(["-"] if name == "pdftotext" else [])],
                          capture_output=True, check=True, text=True,
                          stdin=subprocess.DEVNULL).stdout


@pytest.mark.parametrize("size", ["A4", "A3"])
def test_the_noticeboard_sheet(village, tmp_path, size):
    response = village.app.test_client().get(f"{village.page}/sheet.pdf?size={size}&lang=en")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.get_data().startswith(b"%PDF")
    # -raw keeps the drawing order: a table cell's wrapped lines stay together.
    text = poppler("pdftotext", response.get_data(), tmp_path, "-raw")
    squeezed = "".join(text.split())
    for needed in ("伍仟元整", "壹仟贰佰元整", "叁佰元伍角整", "一村股份经济合作社",
                   "2025年1月收支明细", village.row["digest"], "村务监督委员会", "jian1",
                   f"事件日志位置：{village.row['built_at_position']}"):
        assert needed in squeezed, needed
    assert "Amount in words" not in text  # Chinese whatever the reader chose
    info = poppler("pdfinfo", response.get_data(), tmp_path)
    assert re.search(rf"Page size:.*\({size}\)", info), info


def test_an_unknown_sheet_size_is_refused(village):
    assert village.app.test_client().get(
        f"{village.page}/sheet.pdf?size=letter").status_code == 400


# --- the charts (pure functions) -------------------------------------------------------------

def test_bars_are_summed_sorted_and_the_tail_grouped():
    bars = grouped([("甲", 100), ("乙", 300), ("甲", 250), ("丙", 5), ("丁", 1)],
                   other="其他", limit=3)
    assert bars == [Bar("甲", 350), Bar("乙", 300), Bar("其他", 6)]


def test_a_chart_fits_a_phone_and_escapes_its_text():
    svg = bar_chart([Bar("五保户补助<script>", 150_000), Bar("Street-light electricity", 0),
                     Bar("退款", -500)], title="支出 & 分类", ident="c")
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="c"')
    assert 'viewBox="0 0 320 ' in svg and "<script>" not in svg and "&amp;" in svg
    assert "1,500.00" in svg and "-5.00" in svg
    widths = [float(w) for w in re.findall(r'width="([\d.]+)" height="14"', svg)]
    assert widths == [320.0, 0.0, 0.0]
    assert bar_chart([Bar("a", 1)], title="t", ident="x") == bar_chart(
        [Bar("a", 1)], title="t", ident="x")


def test_long_labels_are_cut_to_fit():
    label = "绿源果蔬专业合作社冷库租金及配套设施使用费"
    cut = fit(label, 200)
    assert cut.endswith("…") and text_width(cut) <= 200
    assert fit("短", 200) == "短"
    assert yuan(-123456789) == "-1,234,567.89" and yuan(5) == "0.05"
