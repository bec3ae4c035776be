"""The village's public pages: only published disclosures and screened-visible questions are
shown, downloads are the published bytes, the ask form resists robots, and an asker's phone
number never appears anywhere public."""

from __future__ import annotations

import csv
import hashlib
import html
import io
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image

from api.disclosure.public_views import line_changes
from api.render.charts import Bar, bar_chart, fit, grouped, text_width, yuan
from tests.api.public_village import (
    ORG,
    Village,
    ask_data,
    draft,
    make_village,
    page_of,
    poppler,
    publish,
)


@pytest.fixture
def village(app: Flask, client: FlaskClient, org: str, project: Any) -> Village:
    """v1 with January 2025 posted (5,000 contracting income, 1,200 cadre allowances, 300.50
    office costs in cash), its income and expenditure published, and a draft for February."""
    return make_village(app, client, project)


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
    large = page_of(village.app.test_client().get(f"/{ORG}/?text=large"))
    assert large.count('font-size="24"') == 2 and 'font-size="15"' not in large  # 大字
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
                   f"事件日志位置：{village.row['built_at_position']}", "第1页，共1页"):
        assert needed in squeezed, needed
    assert "Amount in words" not in text  # Chinese whatever the reader chose
    info = poppler("pdfinfo", response.get_data(), tmp_path)
    assert re.search(rf"Page size:.*\({size}\)", info), info


def test_an_unknown_sheet_size_is_refused(village):
    assert village.app.test_client().get(
        f"{village.page}/sheet.pdf?size=letter").status_code == 400
    # A villager's browser is told in Chinese which sizes there are (it was JSON in English).
    page = village.app.test_client().get(
        f"{village.page}/sheet.pdf?size=A5",
        headers={"Accept": "text/html", "Accept-Language": "zh-CN"})
    assert page.status_code == 400 and page.mimetype == "text/html"
    assert "公开表只能按 A4、A3 纸张打印" in page.get_data(as_text=True)


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


def test_in_large_type_a_chart_is_as_large_as_the_page_and_keeps_its_labels():
    """大字 left the chart at 15 px beside 25 px text; now its text is as large, the amount on
    a line of its own under the label, so the label keeps more of itself."""
    label = "绿源果蔬专业合作社冷库租金"
    bars = [Bar(label, 1_356_469_78), Bar("路灯电费", 143_446)]
    normal = bar_chart(bars, title="t", ident="c")
    large = bar_chart(bars, title="t", ident="c", large=True)
    assert 'font-size="15"' in normal and 'font-size="24"' in large
    texts = re.findall(r'<text x="(\d+)" y="([\d.]+)"[^>]*>([^<]*)</text>', large)
    (_, label_y, shown_label), (_, amount_y, amount) = texts[0], texts[1]
    assert float(amount_y) > float(label_y) and amount == "1,356,469.78"
    assert shown_label == label  # the whole width is the label's: nothing cut
    assert all(text_width(text, 24) <= 320 for _, _, text in texts)
    height = float(re.search(r'viewBox="0 0 320 ([\d.]+)"', large).group(1))
    assert height > float(re.search(r'viewBox="0 0 320 ([\d.]+)"', normal).group(1))


def test_long_labels_are_cut_to_fit():
    label = "绿源果蔬专业合作社冷库租金及配套设施使用费"
    cut = fit(label, 200)
    assert cut.endswith("…") and text_width(cut) <= 200
    assert fit("短", 200) == "短"
    assert yuan(-123456789) == "-1,234,567.89" and yuan(5) == "0.05"


def test_a_payment_reversed_in_its_month_says_so_on_its_line(village, client, project):
    # Given February's 800.00 paid and reversed within February, its month published
    paid = client.post(f"/api/v1/orgs/{ORG}/vouchers", json={
        "date": "2025-02-10", "summary": "支付修路款", "lines": [
            {"account": "51301", "debit": "800.00", "memo": "支付修路款"},
            {"account": "102", "credit": "800.00"}]}).get_json()["number"]
    red = client.post(f"/api/v1/orgs/{ORG}/vouchers/{paid}/reversal",
                      json={"date": "2025-02-12", "reason": "重复记账"})
    assert red.status_code == 201, red.get_json()
    project()
    ref = draft(village.app, "income_expenditure", "2025-02", "2025年2月收支明细（更正）")
    publish(village.app, ref)
    project()
    # Then the page and the spreadsheet say it on the paid line itself, and a memo that
    # repeats the summary is not said twice
    said = f"已冲销（冲销凭证 {red.get_json()['number']}）"
    page = page_of(village.app.test_client().get(f"/{ORG}/disclosures/{ref}"))
    assert said in page and "支付修路款（支付修路款）" not in page
    body = village.app.test_client().get(f"/{ORG}/disclosures/{ref}.csv").get_data()
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert [row[1] for row in rows if row and row[-2:-1] == [paid]] == [f"支付修路款（{said}）"]


def test_money_that_settled_a_debt_or_built_a_project_says_so_in_the_chart(app):
    from api.disclosure.public_village import _charts
    content = {"lines": [
        {"side": "spending", "class": "spending", "amount": "1200.00",
         "account": {"code": "51301", "name_zh": "干部报酬", "name_en": "Cadre pay"}},
        {"side": "spending", "class": "payable", "amount": "24000.00",
         "account": {"code": "20201", "name_zh": "宏远路桥工程有限公司", "name_en": "Hongyuan"}},
        {"side": "spending", "class": "project", "amount": "18000.00",
         "account": {"code": "15301", "name_zh": "东路修缮工程", "name_en": "East road"}}]}
    with app.test_request_context(headers={"Accept-Language": "zh-CN"}):
        chart = str(_charts(content)["spending"])
    assert ">应付款结算<" in chart and "宏远路桥" not in chart and "项目：东路修缮工程" in chart
    assert "干部报酬" in chart and "：干部报酬" not in chart
