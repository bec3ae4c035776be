"""The two official statements of a farmers' professional cooperative, as data:
资产负债表 (会农社01表) and 盈余及盈余分配表 (会农社02表), read on the chart mof-2021-cooperative.

The lines follow the 2007 form's layout (《农民专业合作社财务会计制度（试行）》); the 2021 form
(财会〔2021〕37号) was not at hand and is unchecked. The machinery is the village statements' own
(projections/books/layouts.py): every first-level account appears in exactly one balance-sheet
line (a test holds this), 114 成员往来 is read by side party by party (debit balances with the
receivables, credit balances with the payables), the contra accounts 143 and 152 are deducted,
and the keys the statement code relies on (assets_total, liabilities_and_equity_total,
undistributed, undistributed_start, undistributed_end) are the village ones.
"""

from __future__ import annotations

from projections.books.layouts import LayoutLine, Term, _a, _c, _numbered, _sum

# Until the year is closed its income and expenses still sit in their own accounts.
PL_ACCOUNTS = ("501", "502", "511", "521", "522", "529")
UNDISTRIBUTED_ACCOUNTS = ("331", "332", *PL_ACCOUNTS)

BALANCE_SHEET: tuple[LayoutLine, ...] = _numbered((
    _a("cash", "货币资金", "Cash and bank", "101", "102", "109"),
    LayoutLine("receivables", "应收款项", "Receivables", "assets", 1,
               (Term("113"), Term("114", side="debit"))),
    _a("inventories", "存货", "Inventories (incl. production cost)", "121", "124", "125",
       "127", "128", "401"),
    _sum("current_assets", "流动资产合计", "Total current assets", "assets", "cash",
         "receivables", "inventories"),
    _a("investments", "对外投资", "Investments", "131"),
    _a("consumable_bio", "消耗性生物资产", "Consumable biological assets", "141"),
    _a("productive_bio_cost", "生产性生物资产原值", "Productive biological assets, cost", "142"),
    _c("productive_bio_dep", "减：生产性生物资产累计折旧", "Less: accumulated depreciation",
       "assets", "143", indent=2),
    _sum("productive_bio_net", "生产性生物资产净值", "Productive biological assets, net",
         "assets", "productive_bio_cost", minus=("productive_bio_dep",), indent=1),
    _a("public_bio", "公益性生物资产", "Public-welfare biological assets", "144"),
    _a("fixed_cost", "固定资产原价", "Fixed assets, cost", "151"),
    _c("fixed_dep", "减：累计折旧", "Less: accumulated depreciation", "assets", "152",
       indent=2),
    _sum("fixed_net", "固定资产净值", "Fixed assets, net", "assets", "fixed_cost",
         minus=("fixed_dep",), indent=1),
    _a("fixed_disposal", "固定资产清理", "Fixed-asset disposal", "154"),
    _a("construction", "在建工程", "Construction in progress", "153"),
    _a("intangible", "无形资产", "Intangible assets", "161"),
    _sum("noncurrent_assets", "长期资产合计", "Total long-term assets", "assets",
         "investments", "consumable_bio", "productive_bio_net", "public_bio", "fixed_net",
         "fixed_disposal", "construction", "intangible"),
    _sum("assets_total", "资产总计", "Total assets", "assets", "current_assets",
         "noncurrent_assets"),
    _c("short_borrowings", "短期借款", "Short-term borrowings", "liabilities", "201"),
    LayoutLine("payables", "应付款项", "Payables", "liabilities", 1,
               (Term("211", -1), Term("114", side="credit"))),
    _c("wages", "应付工资", "Wages payable", "liabilities", "212"),
    _c("surplus_returns", "应付盈余返还", "Surplus returns payable", "liabilities", "221"),
    _c("remaining_surplus", "应付剩余盈余", "Remaining surplus payable", "liabilities", "222"),
    _sum("current_liabilities", "流动负债合计", "Total current liabilities", "liabilities",
         "short_borrowings", "payables", "wages", "surplus_returns", "remaining_surplus"),
    _c("long_borrowings", "长期借款", "Long-term borrowings", "liabilities", "231"),
    _c("earmarked", "专项应付款", "Earmarked grants payable", "liabilities", "235"),
    _sum("noncurrent_liabilities", "长期负债合计", "Total long-term liabilities",
         "liabilities", "long_borrowings", "earmarked"),
    _sum("liabilities_total", "负债合计", "Total liabilities", "liabilities",
         "current_liabilities", "noncurrent_liabilities"),
    _c("share_capital", "股金", "Share capital", "equity", "301"),
    _c("special_fund", "专项基金", "Special fund", "equity", "311"),
    _c("capital_reserve", "资本公积", "Capital reserve", "equity", "321"),
    _c("surplus_reserve", "盈余公积", "Surplus reserve", "equity", "322"),
    _c("undistributed", "未分配盈余", "Undistributed surplus", "equity",
       *UNDISTRIBUTED_ACCOUNTS),
    _sum("equity_total", "所有者权益合计", "Total owners' equity", "equity", "share_capital",
         "special_fund", "capital_reserve", "surplus_reserve", "undistributed"),
    _sum("liabilities_and_equity_total", "负债和所有者权益总计",
         "Total liabilities and owners' equity", "equity", "liabilities_total",
         "equity_total"),
))


def _income(key: str, zh: str, en: str, code: str, indent: int = 1) -> LayoutLine:
    return LayoutLine(key, zh, en, "income", indent, (Term(code, -1),))


def _expense(key: str, zh: str, en: str, code: str, indent: int = 1) -> LayoutLine:
    return LayoutLine(key, zh, en, "income", indent, (Term(code),))


DISTRIBUTIONS = ("3320201", "3320202", "3320203")

INCOME_STATEMENT: tuple[LayoutLine, ...] = _numbered((
    _income("operating_revenue", "一、经营收入", "Operating revenue", "501", indent=0),
    _income("investment_income", "加：投资收益", "Add: investment income", "511"),
    _expense("operating_expenses", "减：经营支出", "Less: operating expenses", "521"),
    _expense("administrative", "管理费用", "Administrative expenses", "522", indent=2),
    _sum("operating_income", "二、经营收益", "Operating surplus", "income",
         "operating_revenue", "investment_income",
         minus=("operating_expenses", "administrative")),
    _income("other_income", "加：其他收入", "Add: other income", "502"),
    _expense("other_expenses", "减：其他支出", "Less: other expenditure", "529"),
    _sum("net_income", "三、本年盈余", "Surplus for the year", "income", "operating_income",
         "other_income", minus=("other_expenses",)),
    LayoutLine("undistributed_start", "加：年初未分配盈余", "Add: undistributed at start",
               "distribution", 1),
    LayoutLine("other_transfers", "其他转入", "Other transfers in", "distribution", 2,
               (Term("331", -1), Term("33201", -1))),
    _sum("distributable", "四、可分配盈余", "Distributable surplus", "distribution",
         "net_income", "undistributed_start", "other_transfers"),
    LayoutLine("to_reserve", "减：提取盈余公积", "Less: transfer to surplus reserve",
               "distribution", 1, (Term("3320201"),)),
    LayoutLine("trade_return", "盈余返还", "Surplus returned by trade", "distribution", 2,
               (Term("3320202"),)),
    LayoutLine("remaining_distribution", "剩余盈余分配", "Remaining surplus distributed",
               "distribution", 2, (Term("3320203"),)),
    # Everything else under 332 but 未分配盈余: the year-end close sweeps it all into 33201.
    LayoutLine("other_distributions", "其他", "Other distributions", "distribution", 2,
               (Term("332"), Term("33201", -1), *(Term(c, -1) for c in DISTRIBUTIONS))),
    _sum("undistributed_end", "五、年末未分配盈余", "Undistributed surplus at end",
         "distribution", "distributable",
         minus=("to_reserve", "trade_return", "remaining_distribution",
                "other_distributions")),
))
