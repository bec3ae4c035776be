"""Importing vouchers at the desk, driven as a browser without scripts drives it: the voucher list
links to the import page; a sheet with mistakes writes nothing and names every one by row, column
and cell in Chinese; a good sheet is checked, then imported without choosing it again; the same
sheet a second time is refused, saying when and as which vouchers, and is imported again only with
确定再导入一次 ticked."""

from __future__ import annotations

import io
import re
from datetime import date
from typing import Any

from openpyxl import Workbook

from tests.api.conftest import make_user
from tests.api.desk_browser import Browser, browser, field
from tests.api.test_voucher_desk import ORG, vouchers_in
from tests.api.test_voucher_desk import wang as wang  # the fixture

PAGE = f"/desk/{ORG}/vouchers/import"
SPEC = ["凭证号", "日期", "摘要", "科目编码", "科目名称", "借方金额", "贷方金额"]
GOOD: list[list[Any]] = [
    ["A1", date(2025, 3, 5), "收取一组发包款", "102", "银行存款", 500, None],
    ["A1", date(2025, 3, 5), None, "50101", "发包收入", None, 500],
    ["A2", date(2025, 3, 9), "支付干部报酬", "51301", "干部报酬", 120.5, None],
    ["A2", date(2025, 3, 9), None, "102", "银行存款", None, 120.5],
]


def upload(rows: list[list[Any]], name: str = "凭证.xlsx") -> dict[str, Any]:
    book = Workbook()
    for line in [SPEC, *rows]:
        book.active.append(line)
    out = io.BytesIO()
    book.save(out)
    return {"file": (io.BytesIO(out.getvalue()), name)}


def problems_of(page: str) -> list[tuple[str, str, str]]:
    """(row, column and cell, reason) of each problem the page lists."""
    section = re.search(r'<section id="problems">(.*?)</section>', page, re.S)
    assert section, "no list of problems"
    rows = re.findall(r"<tr>(.*?)</tr>", section.group(1).split("<tbody>")[1], re.S)
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in rows]
    return [(row, re.sub(r"<[^>]+>", "", column).strip(), reason)
            for row, column, reason in cells]


def test_the_list_links_to_the_import_page_which_is_the_accountants(app, wang, project):
    page = wang.get(f"/desk/{ORG}/vouchers")
    assert f'href="{PAGE}" id="import-vouchers">导入凭证</a>' in page
    page = wang.get(PAGE)
    assert "<h1>导入凭证</h1>" in page and 'name="file"' in page and 'name="again"' not in page
    # with an empty sheet of the columns the import reads, to fill in
    empty = re.search(r'href="([^"]+)" id="template-xlsx"', page).group(1).replace("&amp;", "&")
    sheet = wang.client.get(empty)
    assert sheet.status_code == 200 and sheet.data[:2] == b"PK"
    make_user(app, "zhao", (ORG, "supervisor"))
    reader = browser(app, project, "zhao")
    assert 'id="import-vouchers"' not in reader.get(f"/desk/{ORG}/vouchers")
    reader.get(PAGE, status=403)


def test_a_sheet_with_mistakes_writes_nothing_and_names_each_in_chinese(app, client, wang):
    # given January closed, and a sheet with a mistake of each kind
    assert client.post(f"/api/v1/orgs/{ORG}/periods/2025-01/close").status_code == 200
    rows = [
        ["B1", "2025-11-31", "收取发包款", "102", "", 500, None],        # no such day
        ["B1", None, None, "50101", "", None, 500],
        ["B2", date(2025, 1, 20), "一月的款", "102", "", 10, None],      # a closed month
        ["B2", date(2025, 1, 20), None, "50101", "", None, 10],
        ["B3", date(2025, 3, 6), "付报酬", "513", "", 10, None],         # a parent account
        ["B3", date(2025, 3, 6), None, "102", "", None, 10],
        ["B4", date(2025, 3, 7), "收款", "102", "", 10, None],           # unbalanced
        ["B4", date(2025, 3, 7), None, "50101", "", None, 9.99],
        ["B5", date(2025, 3, 8), "收款", "102", "", 99999999999999999, None],  # too large
        ["B5", date(2025, 3, 8), None, "50101", "", None, 12.345],       # three decimals
    ]
    wang.get(PAGE)
    key = field(wang.last, "key")
    for pressed in ("0", "1"):  # 检查, then 导入
        # when it is checked, or imported
        page = wang.post(PAGE, {"import": pressed, "key": key, **upload(rows)}, status=422)
        # then every mistake is named at its cell, in Chinese, once
        assert problems_of(page) == [
            ("2", "日期 B2", "没有这一天（单元格内容为“2025-11-31”）"),
            ("4", "日期 B4", "2025-01 已结账，请把凭证记在未结账的月份。"),
            ("6", "科目编码 D6", "513 有明细科目，请记到明细科目。"),
            ("8", "借方金额 F8",
             "凭证 B4（第 8–9 行）：借方合计 10.00 与贷方合计 9.99 相差 0.01。"),
            ("10", "借方金额 F10", "金额过大：最多 9,999,999,999,999.99"
                                 "（单元格内容为“100000000000000000”）"),
            ("11", "贷方金额 G11",
             "金额以元为单位，最多两位小数，如 1234.50（单元格内容为“12.345”）"),
        ]
        assert "没有导入任何凭证：表格中有 6 处问题" in page
        assert vouchers_in(app) == 0


def test_a_good_sheet_is_checked_then_imported_then_refused_the_second_time(app, wang):
    # given a sheet of two vouchers, checked
    wang.get(PAGE)
    key = field(wang.last, "key")
    page = wang.post(PAGE, {"import": "0", "key": key, **upload(GOOD)}, status=200)
    assert "凭证.xlsx 中有 2 张凭证（4 行）可以导入。尚未写入任何内容" in page
    assert vouchers_in(app) == 0
    # when Import is pressed without choosing the file again
    location = wang.post(PAGE, {"import": "1", "key": key,
                                "checked_file": field(page, "checked_file"),
                                "checked_name": field(page, "checked_name")})
    # then both vouchers are posted, and the list of their month says so
    assert location.startswith(f"/desk/{ORG}/vouchers?") and "done=imported" in location
    assert "month=2025-03" in location
    listed = wang.get(location)
    assert "表格已导入" in listed and "2025-03-0001" in listed and "2025-03-0002" in listed
    assert vouchers_in(app) == 2
    # when the same sheet is chosen again on a fresh page
    fresh = field(wang.get(PAGE), "key")
    page = wang.post(PAGE, {"import": "1", "key": fresh, **upload(GOOD, "再一次.xlsx")},
                     status=409)
    # then it is refused, saying when and as which vouchers, and offers to import it again
    before = re.search(r'<section id="imported-before"[^>]*>(.*?)</section>', page, re.S)
    assert before, page
    assert "2025-03-0001–2025-03-0002（共 2 张）" in before.group(1)
    assert re.search(r"已于 \d{4}-\d\d-\d\d \d\d:\d\d 由 ", before.group(1))
    assert 'name="again" value="1"' in page and "确定再导入一次？" in page
    assert vouchers_in(app) == 2
    # when it is ticked and Import pressed
    location = wang.post(PAGE, {"import": "1", "key": fresh, "again": "1",
                                "checked_file": field(page, "checked_file"),
                                "checked_name": field(page, "checked_name")})
    # then the vouchers are posted once more
    assert location.startswith(f"/desk/{ORG}/vouchers?") and "done=imported" in location
    assert vouchers_in(app) == 4


def test_no_file_chosen_is_said_beside_the_file(wang: Browser):
    wang.get(PAGE)
    page = wang.post(PAGE, {"import": "0", "key": field(wang.last, "key")}, status=422)
    assert 'id="import-file-error">请选择 .xlsx 或 .csv 文件。' in page


def test_a_party_not_on_the_roll_is_named_as_such_in_chinese(app, wang):
    # given a sheet whose line names a member and a household the roll does not have
    spec = [*SPEC, "备注", "往来对象"]
    rows = [["C1", date(2025, 3, 5), "收取承包款", "102", "", 500, None, None, "member:9999"],
            ["C1", date(2025, 3, 5), None, "50101", "", None, 500, None, None],
            ["C2", date(2025, 3, 6), "收取承包款", "102", "", 20, None, None, "household:077"],
            ["C2", date(2025, 3, 6), None, "50101", "", None, 20, None, None]]
    book = Workbook()
    for line in [spec, *rows]:
        book.active.append(line)
    out = io.BytesIO()
    book.save(out)
    wang.get(PAGE)
    page = wang.post(PAGE, {"import": "0", "key": field(wang.last, "key"),
                            "file": (io.BytesIO(out.getvalue()), "凭证.xlsx")}, status=422)
    # then the page says which party is missing, not only that something was not accepted
    assert problems_of(page) == [("2", "往来对象 I2", "名册中没有成员 9999。"),
                                 ("4", "往来对象 I4", "名册中没有户号 077。")]
