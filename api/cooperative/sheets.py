"""The member accounts as spreadsheets (.xlsx, like the books' reports in
api/books/report_sheets.py): the list, every member's 出资额, 公积金份额 and trade; and one
member's account: contributions, the reserve and special fund shares by year, trade by year and
each trade with its voucher, and the member's distribution lines. Amounts are numbers in
#,##0.00; text never runs as a formula.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from api.books.report_sheets import Table, yuan

FORMS = {"money": "货币", "kind": "实物"}
DIRECTIONS = {"sold_to_cooperative": "成员向合作社出售",
              "bought_from_cooperative": "合作社向成员销售"}


def accounts_table(org_name: str, members: list[dict[str, Any]], made_on: date) -> Table:
    table = Table("成员账户汇总表", org_name, f"截至{made_on.isoformat()}", made_on,
                  ["成员编号", "姓名", "出资额", "公积金份额", "交易额", "退社生效日"])
    for m in members:
        table.add([m["number"], m["name"], yuan(m["contributed"]), yuan(m["reserve_share"]),
                   yuan(m["trade_amount"]), m["exit_effective"] or ""])
    table.add(["合计", "", yuan(sum(m["contributed"] for m in members)),
               yuan(sum(m["reserve_share"] for m in members)),
               yuan(sum(m["trade_amount"] for m in members)), ""], total=True)
    return table


def account_table(org_name: str, a: dict[str, Any], year: int | None, made_on: date) -> Table:
    """One member's account as one table: a section per part, each headed in bold."""
    period = f"{year}年度" if year else "全部年度"
    table = Table(f"成员账户（{a['number']} {a['name']}）", org_name, period, made_on,
                  ["项目", "日期/年度", "说明", "金额", "股金", "资本公积", "凭证号"])
    table.add(["出资", "", "", "", "", "", ""], total=True)
    for c in a["contributions"]:
        table.add(["", c["on"], FORMS.get(c["form"], c["form"]) + (
            f"：{c['description']}" if c["description"] else ""), yuan(c["amount"]),
            yuan(c["share_capital"]), yuan(c["capital_reserve"]), c["voucher"]])
    table.add(["出资额合计", "", "", "", yuan(a["contributed"]), "", ""], total=True)
    table.add(["公积金份额", "", "", "", "", "", ""], total=True)
    for r in a["reserve_share_by_year"]:
        table.add(["", str(r["year"]), "", yuan(r["amount"]), "", "", ""])
    table.add(["专项基金份额", "", "", "", "", "", ""], total=True)
    for f in a["special_fund_share_by_year"]:
        table.add(["", str(f["year"]), f"专项基金{yuan(f['balance'])}元，{f['members']}名成员均分",
                   yuan(f["amount"]), "", "", ""])
    table.add(["交易额", "", "", "", "", "", ""], total=True)
    for t in a["trade_by_year"]:
        table.add(["", str(t["year"]), "双向合计", yuan(t["amount"]), "", "", ""])
        for p in t["products"]:
            table.add(["", str(t["year"]), f"{p['product']} {p['quantity']}{p['unit']} "
                       f"{DIRECTIONS.get(p['direction'], p['direction'])}", yuan(p["amount"]),
                       "", "", ""])
    table.add(["交易明细", "", "", "", "", "", ""], total=True)
    for t in a["trade_list"]:
        table.add(["", t["on"], f"{DIRECTIONS.get(t['direction'], t['direction'])} "
                   f"{t['product']} {t['quantity']}{t['unit']}", yuan(t["amount"]), "", "",
                   t["voucher"]])
    # A plan's line is the member's return by trade and share of the rest, said apart: the
    # distribution's page shows them so, and 盈余返还 alone is the first.
    table.add(["盈余分配", "", "", "", "", "", ""], total=True)
    for d in a["distributions"]:
        # A plan not yet posted owes nothing: it says so beside its figure.
        draft = "（草案，未过账）" if d.get("status") == "drafted" else ""
        parts = (f"：盈余返还{yuan(d['trade_return'])}元，剩余盈余分配{yuan(d['remaining'])}元"
                 if d.get("trade_return") is not None else "")
        table.add(["", str(d["year"]), f"分配方案{d['number']}{draft}{parts}", yuan(d["amount"]),
                   "", "", d.get("paid_voucher") or ""])
    return table
