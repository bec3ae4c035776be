"""A distribution as spreadsheets: the plan (its figures, then a row per holder) for the
accountant and the meeting, and the credit union's batch of payments. Amounts are numbers in
yuan shown with two decimals, so the sheet adds up in Excel; a text cell never runs as a formula.

The register keeps no bank accounts, so the batch's 账号 column is left for the credit union to
fill, and a note above the table says so. A holder's full name is in the batch only for a role
that may see personal data (the accountant, the auditor); others get it masked (张**). A household
with no head recorded is named as the desk names it, by its first member and how many it has
(（户主未登记）李秀英等2人); a plan drafted before those were kept leaves the name blank as before.
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from api.sheets import defused_cell

MONEY = "#,##0.00"
KINDS_ZH = {"household": "户", "member": "成员", "outside": "外部继承人", "collective": "集体"}
# As the desk says them (api/distribution/desk_forms.py STATUS_LABELS).
STATUS_ZH = {"drafted": "已起草，未过账", "cancelled": "已作废", "posted": "已过账，发放中",
             "paid": "已全部发放"}
FIGURES_ZH = (("net_income", "本年收益"), ("undistributed_at_start", "年初未分配收益"),
              ("loss_covered", "弥补亏损"), ("distributable", "可分配收益"),
              ("accumulation", "提取公积金"), ("welfare", "提取公益金"),
              ("reserve", "提取公积公益金合计"), ("collective_kept", "集体股留存"),
              ("collective_to_reserve", "集体股转入公积公益金"),
              ("already_distributed", "已分配"), ("to_members", "向成员分配"),
              ("undistributed_at_end", "年末未分配收益"))
HOLDER_HEADERS = ("序号", "户号/编号", "类别", "姓名", "股数", "分配金额", "已支付",
                  "支付日期", "支付凭证")
# A cooperative's plan (2017 Law Art. 44): its surplus figures, and each member's trade, return
# by trade, remaining share and weight (出资额 + 以前年度公积金份额 + 专项基金份额).
SURPLUS_FIGURES_ZH = (("net_income", "本年盈余"), ("undistributed_at_start", "年初未分配盈余"),
                      ("loss_covered", "弥补亏损"), ("reserve", "提取盈余公积"),
                      ("distributable", "可分配盈余"), ("trade_return", "按交易量（额）返还"),
                      ("remaining", "剩余盈余分配"), ("undistributed_at_end", "年末未分配盈余"))
MEMBER_HEADERS = ("序号", "成员编号", "姓名", "交易额", "盈余返还",
                  "出资额+以前年度公积金份额+专项基金份额", "剩余盈余分配", "合计", "已支付",
                  "支付日期", "支付凭证")
BATCH_HEADERS = ("序号", "户号/编号", "姓名", "账号", "金额")
BATCH_NOTE = "说明：账本不登记银行账号，“账号”一栏请信用社按户号填写。"


def yuan(fen: int) -> Decimal:
    return Decimal(fen).scaleb(-2)


def holder_number(holder: str) -> str:
    """household:003 → 003: the number people read on the register."""
    return holder.partition(":")[2] or holder


def masked(name: str) -> str:
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


def holder_name(h: dict[str, Any], *, full: bool = True) -> str:
    """The name column: the holder's name, or for a headless household its first member and
    count as the desk's macros.no_head says it (masked when not `full`: 李**等2人)."""
    if h["name"]:
        return str(h["name"]) if full else masked(h["name"])
    first = h.get("first_member") or ""
    if h["kind"] != "household" or not first:
        return ""  # a plan drafted before the first member was kept: blank, as it always was
    members = int(h.get("members") or 0)
    many = f"等{members}人" if members > 1 else ""
    return f"（户主未登记）{first if full else masked(first)}{many}"


def day(value: Any) -> date | str:
    """A day as a spreadsheet date (it sorts and filters as one), blank when there is none."""
    if isinstance(value, date):
        return value
    return date.fromisoformat(value) if value else ""


def _row(sheet: Worksheet, values: list[Any], *, bold: bool = False) -> None:
    sheet.append([defused_cell(v) if isinstance(v, str) else v for v in values])
    row = sheet.max_row
    for cell in sheet[row]:
        if isinstance(cell.value, Decimal):
            cell.number_format = MONEY
        elif isinstance(cell.value, date):
            cell.number_format = "yyyy-mm-dd"
        if bold:
            cell.font = Font(bold=True)


def _saved(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _widths(sheet: Worksheet, widths: tuple[int, ...]) -> None:
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width


def plan_sheet(org_name: str, plan: dict[str, Any]) -> bytes:
    """The plan: a title, its figures (label, amount), then the holders' table with a total."""
    if "trade_return" in plan:
        return _surplus_sheet(org_name, plan)
    book = Workbook()
    sheet = book.active
    sheet.title = "收益分配方案"
    _row(sheet, [f"{org_name} {plan['year']}年度收益分配方案 {plan['id']}"], bold=True)
    _row(sheet, ["股权登记日", day(plan["record_date"]),
                 "状态", STATUS_ZH.get(plan["status"], plan["status"])])
    _row(sheet, ["项目", "金额（元）"], bold=True)
    for key, label in FIGURES_ZH:
        _row(sheet, [label, yuan(plan[key])])
    _row(sheet, [])
    _row(sheet, list(HOLDER_HEADERS), bold=True)
    for no, h in enumerate(plan["holders"], start=1):
        _row(sheet, [no, holder_number(h["holder"]), KINDS_ZH.get(h["kind"], h["kind"]),
                     holder_name(h), h["shares"], yuan(h["amount"]), "是" if h["paid"] else "否",
                     day(h["paid_on"]), h["paid_voucher"] or ""])
    _row(sheet, ["合计", "", "", "", sum(h["shares"] for h in plan["holders"]),
                 yuan(sum(h["amount"] for h in plan["holders"]))], bold=True)
    _widths(sheet, (22, 14, 12, 12, 10, 16, 8, 12, 14))
    return _saved(book)


def _surplus_sheet(org_name: str, plan: dict[str, Any]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "盈余分配方案"
    _row(sheet, [f"{org_name} {plan['year']}年度盈余分配方案 {plan['id']}"], bold=True)
    _row(sheet, ["状态", STATUS_ZH.get(plan["status"], plan["status"]),
                 "按交易量返还比例", f"{plan['trade_return_percent']}%"])
    _row(sheet, ["项目", "金额（元）"], bold=True)
    for key, label in SURPLUS_FIGURES_ZH:
        _row(sheet, [label, yuan(plan[key])])
    _row(sheet, [])
    _row(sheet, list(MEMBER_HEADERS), bold=True)
    members = plan["holders"]
    for no, h in enumerate(members, start=1):
        _row(sheet, [no, holder_number(h["holder"]), h["name"], yuan(h["trade"]),
                     yuan(h["trade_return"]), yuan(h["weight"]), yuan(h["remaining"]),
                     yuan(h["amount"]), "是" if h["paid"] else "否", day(h["paid_on"]),
                     h["paid_voucher"] or ""])
    _row(sheet, ["合计", "", "", *(yuan(sum(h[k] for h in members)) for k in (
        "trade", "trade_return", "weight", "remaining", "amount"))], bold=True)
    _widths(sheet, (22, 12, 12, 14, 14, 18, 14, 14, 8, 12, 14))
    return _saved(book)


def batch_sheet(holders: list[dict[str, Any]], *, full_names: bool) -> bytes:
    """The credit union's batch: a note row, the headers, a row per holder, and the total."""
    book = Workbook()
    sheet = book.active
    sheet.title = "代发清单"
    _row(sheet, [BATCH_NOTE])
    _row(sheet, list(BATCH_HEADERS), bold=True)
    for no, h in enumerate(holders, start=1):
        _row(sheet, [no, holder_number(h["holder"]), holder_name(h, full=full_names), None,
                     yuan(h["amount"])])
    _row(sheet, ["合计", "", f"{len(holders)}户", None,
                 yuan(sum(h["amount"] for h in holders))], bold=True)
    _widths(sheet, (8, 12, 12, 26, 16))
    sheet.column_dimensions["D"].number_format = "@"  # an account number typed in stays text
    return _saved(book)
