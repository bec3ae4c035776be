"""The lines of the two official statements of the 2023 village chart (财会〔2023〕14号), as data.

Each line either reads the books (a subtree of accounts with a sign, or one side of a subtree:
113 内部往来 is shown by sign, debit balances as receivables and credit balances as payables)
or adds up lines above it. Contra accounts (133, 152, 162) are shown as deductions and netted.
Every first-level account appears in exactly one balance-sheet line; a test holds this.
Each line carries its 行次 (row number), the number the printed statement puts beside it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

PL_ACCOUNTS = ("501", "502", "503", "504", "511", "512", "513", "514", "515", "521")


@dataclass(frozen=True)
class Term:
    code: str
    sign: int = 1  # applied to the subtree's net debit
    side: str | None = None  # "debit" or "credit": only the leaves with a balance on that side


@dataclass(frozen=True)
class LayoutLine:
    key: str
    label_zh: str
    label_en: str
    section: str
    indent: int = 1
    terms: tuple[Term, ...] = ()
    formula: tuple[tuple[str, int], ...] = ()
    row: int = 0  # 行次: set by _numbered below


def _numbered(lines: tuple[LayoutLine, ...]) -> tuple[LayoutLine, ...]:
    """行次 1, 2, 3 … in the order the lines are printed, totals included, the balance sheet's
    liabilities and equity continuing after its assets as on the two-sided paper form.
    The 2023 system's own numbering of these forms could not be confirmed here (the published
    text was not at hand), so the rows follow the lines in order; should the official form
    number them otherwise (with gaps, say), set `row` per line and the surfaces follow."""
    return tuple(replace(line, row=index) for index, line in enumerate(lines, start=1))


def _a(key: str, zh: str, en: str, *codes: str, indent: int = 1) -> LayoutLine:
    return LayoutLine(key, zh, en, "assets", indent, tuple(Term(c) for c in codes))


def _c(key: str, zh: str, en: str, section: str, *codes: str, indent: int = 1) -> LayoutLine:
    """A line read on the credit side: liabilities, equity, and the contra accounts."""
    return LayoutLine(key, zh, en, section, indent, tuple(Term(c, -1) for c in codes))


def _sum(key: str, zh: str, en: str, section: str, *parts: str, indent: int = 0,
         minus: tuple[str, ...] = ()) -> LayoutLine:
    formula = tuple((p, 1) for p in parts) + tuple((p, -1) for p in minus)
    return LayoutLine(key, zh, en, section, indent, (), formula)


BALANCE_SHEET: tuple[LayoutLine, ...] = _numbered((
    _a("cash", "货币资金", "Cash and bank", "101", "102"),
    _a("short_investments", "短期投资", "Short-term investments", "111"),
    LayoutLine("receivables", "应收款项", "Receivables", "assets", 1,
               (Term("112"), Term("113", side="debit"))),
    _a("inventories", "存货", "Inventories (incl. production cost)", "121", "401"),
    _a("consumable_bio", "消耗性生物资产", "Consumable biological assets", "131"),
    _sum("current_assets", "流动资产合计", "Total current assets", "assets", "cash",
         "short_investments", "receivables", "inventories", "consumable_bio"),
    _a("long_investments", "长期投资", "Long-term investments", "141"),
    _a("productive_bio_cost", "生产性生物资产原值", "Productive biological assets, cost", "132"),
    _c("productive_bio_dep", "减：生产性生物资产累计折旧", "Less: accumulated depreciation",
       "assets", "133", indent=2),
    _sum("productive_bio_net", "生产性生物资产净值", "Productive biological assets, net",
         "assets", "productive_bio_cost", minus=("productive_bio_dep",), indent=1),
    _a("public_bio", "公益性生物资产", "Public-welfare biological assets", "134"),
    _a("fixed_cost", "固定资产原值", "Fixed assets, cost", "151"),
    _c("fixed_dep", "减：累计折旧", "Less: accumulated depreciation", "assets", "152",
       indent=2),
    _sum("fixed_net", "固定资产净值", "Fixed assets, net", "assets", "fixed_cost",
         minus=("fixed_dep",), indent=1),
    _a("construction", "在建工程", "Construction in progress", "153"),
    _a("fixed_disposal", "固定资产清理", "Fixed-asset disposal", "154"),
    _a("intangible_cost", "无形资产原值", "Intangible assets, cost", "161"),
    _c("intangible_amort", "减：累计摊销", "Less: accumulated amortisation", "assets", "162",
       indent=2),
    _sum("intangible_net", "无形资产净值", "Intangible assets, net", "assets",
         "intangible_cost", minus=("intangible_amort",), indent=1),
    _a("deferred", "长期待摊费用", "Long-term deferred expenses", "171"),
    _a("pending", "待处理财产损溢", "Property losses and gains pending", "181"),
    _sum("noncurrent_assets", "非流动资产合计", "Total non-current assets", "assets",
         "long_investments", "productive_bio_net", "public_bio", "fixed_net", "construction",
         "fixed_disposal", "intangible_net", "deferred", "pending"),
    _sum("assets_total", "资产总计", "Total assets", "assets", "current_assets",
         "noncurrent_assets"),
    _c("short_borrowings", "短期借款", "Short-term borrowings", "liabilities", "201"),
    LayoutLine("payables", "应付款项", "Payables", "liabilities", 1,
               (Term("211", -1), Term("113", side="credit"))),
    _c("wages", "应付工资", "Wages payable", "liabilities", "212"),
    _c("labour", "应付劳务费", "Labour fees payable", "liabilities", "213"),
    _c("taxes", "应交税费", "Taxes payable", "liabilities", "214"),
    _sum("current_liabilities", "流动负债合计", "Total current liabilities", "liabilities",
         "short_borrowings", "payables", "wages", "labour", "taxes"),
    _c("long_borrowings", "长期借款及应付款", "Long-term borrowings and payables",
       "liabilities", "221"),
    _c("one_matter", "一事一议资金", "One-matter-one-discussion funds", "liabilities", "231"),
    _c("earmarked", "专项应付款", "Earmarked grants payable", "liabilities", "241"),
    _sum("noncurrent_liabilities", "非流动负债合计", "Total non-current liabilities",
         "liabilities", "long_borrowings", "one_matter", "earmarked"),
    _sum("liabilities_total", "负债合计", "Total liabilities", "liabilities",
         "current_liabilities", "noncurrent_liabilities"),
    _c("capital", "资本", "Capital", "equity", "301"),
    _c("reserve", "公积公益金", "Reserve and public-welfare fund", "equity", "311"),
    # Until the year is closed its income and expenses still sit in their own accounts.
    _c("undistributed", "未分配收益", "Undistributed income", "equity", "321", "322",
       *PL_ACCOUNTS),
    _sum("equity_total", "所有者权益合计", "Total owners' equity", "equity", "capital",
         "reserve", "undistributed"),
    _sum("liabilities_and_equity_total", "负债和所有者权益总计",
         "Total liabilities and owners' equity", "equity", "liabilities_total",
         "equity_total"),
))


def _income(key: str, zh: str, en: str, code: str, indent: int = 1) -> LayoutLine:
    return LayoutLine(key, zh, en, "income", indent, (Term(code, -1),))


def _expense(key: str, zh: str, en: str, code: str, indent: int = 1) -> LayoutLine:
    return LayoutLine(key, zh, en, "income", indent, (Term(code),))


INCOME_STATEMENT: tuple[LayoutLine, ...] = _numbered((
    _income("operating_revenue", "一、经营收入", "Operating revenue", "501", indent=0),
    _expense("operating_expenses", "减：经营支出", "Less: operating expenses", "511"),
    _expense("taxes", "税金及附加", "Taxes and surcharges", "512", indent=2),
    _expense("administrative", "管理费用", "Administrative expenses", "513", indent=2),
    _income("investment_income", "加：投资收益", "Add: investment income", "502"),
    _sum("operating_income", "二、经营收益", "Operating income", "income",
         "operating_revenue", "investment_income",
         minus=("operating_expenses", "taxes", "administrative")),
    _income("subsidies", "加：补助收入", "Add: subsidy income", "503"),
    _income("other_income", "其他收入", "Other income", "504", indent=2),
    _expense("public_welfare", "减：公益支出", "Less: public-welfare expenditure", "514"),
    _expense("other_expenses", "其他支出", "Other expenditure", "515", indent=2),
    _sum("total_income", "三、收益总额", "Total income", "income", "operating_income",
         "subsidies", "other_income", minus=("public_welfare", "other_expenses")),
    _expense("income_tax", "减：所得税费用", "Less: income tax expense", "521"),
    _sum("net_income", "四、本年收益", "Net income for the year", "income", "total_income",
         minus=("income_tax",)),
    LayoutLine("undistributed_start", "加：年初未分配收益", "Add: undistributed at start",
               "distribution", 1),
    LayoutLine("other_transfers", "其他转入", "Other transfers in", "distribution", 2,
               (Term("321", -1), Term("32201", -1))),
    _sum("distributable", "五、可分配收益", "Distributable income", "distribution",
         "net_income", "undistributed_start", "other_transfers"),
    LayoutLine("to_reserve", "减：提取公积公益金", "Less: transfer to reserve fund",
               "distribution", 1, (Term("3220201"),)),
    LayoutLine("to_members", "向成员分配", "Distribution to members", "distribution", 2,
               (Term("3220202"),)),
    # Everything else under 322 but 未分配收益: the year-end close sweeps it all into 32201.
    LayoutLine("other_distributions", "其他", "Other distributions", "distribution", 2,
               (Term("322"), Term("32201", -1), Term("3220201", -1), Term("3220202", -1))),
    _sum("undistributed_end", "六、年末未分配收益", "Undistributed income at end",
         "distribution", "distributable",
         minus=("to_reserve", "to_members", "other_distributions")),
))
