"""The chart of accounts on the desk (/desk/<org>/accounts): the accountant opens a sub-account
(明细科目) through the form, sees it in the chart and posts to it on a voucher; a code the ledger
refuses is said in Chinese beside the code field and nothing is written; readers of the books
see the chart without the form, and their post is refused."""

from __future__ import annotations

import re

from projections.books.queries import Page
from tests.api.conftest import make_user
from tests.api.test_desk_pages import browser, field
from tests.api.test_voucher_desk import error_beside, form

ORG = "v1"
CHART = f"/desk/{ORG}/accounts"


def accounts_in(app, project) -> set[str]:
    project()
    rows, _total = app.extensions["sunlight"].queries.accounts(ORG, Page(1, 500))
    return {row["code"] for row in rows}


def test_the_accountant_opens_a_sub_account_and_posts_to_it(app, org, project):
    wang = browser(app, project, "wang")
    assert f'href="{CHART}"' in wang.get("/desk/")  # linked from the organization's menu
    page = wang.get(f"{CHART}?parent=501")
    assert "<h1>科目表</h1>" in page and "新增明细科目" in page
    assert re.search(r'<tr id="account-50101"[^>]*>.*?发包收入', page, re.S)
    assert field(page, "code") == "50102"  # 50101 is taken: the next free two digits
    location = wang.post(CHART, {"parent": "501", "code": "50102", "name_zh": "租赁收入",
                                 "name_en": "Rent", "key": field(page, "key")})
    assert "after=" in location and "done=opened" in location
    page = wang.get(location)
    assert "明细科目 50102 已开设。" in page
    row = re.search(r'<tr id="account-50102" class="level-2 opened">(.*?)</tr>', page, re.S)
    assert row and "租赁收入" in row.group(1) and "可以记账" in row.group(1)
    assert field(page, "code") == "50103"  # the next sibling is proposed under the same parent
    assert "50102" in accounts_in(app, project)

    voucher = wang.post(f"/desk/{ORG}/vouchers/new", form(
        "2026-11-20", "收取门面租金", ("102", "300.00", "", ""), ("50102", "", "300.00", "")))
    assert "done=posted" in voucher
    page = wang.get(CHART)
    assert re.search(r'<tr id="account-50102"[^>]*>.*?已有记账', page, re.S)
    # An account with postings takes no sub-accounts: it is not offered as a parent any more.
    assert '<option value="50102"' not in page


def test_a_refused_code_is_said_beside_it_and_nothing_is_written(app, org, project):
    wang = browser(app, project, "wang")
    before = accounts_in(app, project)
    page = wang.get(CHART)
    for code, said in (("50100", "不使用 00"), ("5019", "501 加两位数字"),
                       ("50101", "科目 50101 已存在")):
        refused = wang.post(CHART, {"parent": "501", "code": code, "name_zh": "租赁收入",
                                    "key": field(page, "key")}, status=409 if code == "50101"
                            else 422)
        assert said in error_beside(refused, "open-code"), code
        assert 'aria-invalid="true" aria-describedby="open-code-error"' in refused
        assert field(refused, "code") == code and field(refused, "name_zh") == "租赁收入"
    refused = wang.post(CHART, {"parent": "501", "code": "50102", "name_zh": "",
                                "key": field(page, "key")}, status=422)
    assert error_beside(refused, "open-name_zh") == "请填写科目的中文名称。"
    assert accounts_in(app, project) == before


def test_a_reader_of_the_books_sees_the_chart_but_cannot_open_an_account(app, org, project):
    make_user(app, "shen", (ORG, "auditor"))
    shen = browser(app, project, "shen")
    page = shen.get(CHART)
    assert "发包收入" in page and "只有会计可以开设明细科目" in page
    # No form posts to the chart (the day's balances are asked for by a GET to it).
    assert f'method="post" action="{CHART}"' not in page and 'id="open-account"' not in page
    shen.post(CHART, {"parent": "501", "code": "50102", "name_zh": "租赁收入"}, status=403)
    assert "50102" not in accounts_in(app, project)
    make_user(app, "nobody")
    browser(app, project, "nobody").get(CHART, status=403)
