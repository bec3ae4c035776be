"""Charts of accounts (会计科目表) an organization may keep, each a fixed official standard.

A book records which chart it keeps, because the same code meant another account in 2004.
The first-level accounts of each chart come from a data file beside this module: the 2023 village
chart's 42, and the farmers' cooperative chart (财会〔2021〕37号) as the 2007 chart's 37 with the
four biological-asset accounts of 2021 in place of 141/142 (codes to be checked against the 2021
annex, which could not be retrieved: the data file's notes say which).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

CATEGORIES = ("asset", "liability", "equity", "cost", "income", "expense")
PROFIT_AND_LOSS = ("income", "expense")


@dataclass(frozen=True)
class AccountSpec:
    code: str
    name_zh: str
    name_en: str
    category: str
    normal_balance: str  # "debit" or "credit"

    def as_event_data(self) -> dict[str, str]:
        return {
            "code": self.code,
            "name_zh": self.name_zh,
            "name_en": self.name_en,
            "category": self.category,
            "normal_balance": self.normal_balance,
        }


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    accounts: tuple[AccountSpec, ...]
    # Where the year-end close carries income and expenses, and then the year's result.
    current_year_income: str
    undistributed: str
    distribution: str
    kinds: tuple[str, ...]  # the kinds of organization that keep this chart
    cash: str = "101"  # 库存现金, held to the cash-on-hand limit
    money: tuple[str, ...] = ("101", "102")  # what a payment is paid from, a receipt paid into
    earmarked: tuple[str, ...] = ("231", "241")  # 一事一议资金, 专项应付款
    # The members' current account, shown by sign on the balance sheet and per member: 113
    # 内部往来 in a village, 114 成员往来 in a cooperative.
    two_sided: str = "113"

    def protected_accounts(self) -> frozenset[str]:
        """Accounts the year-end close needs; closing them would make the year unclosable."""
        return frozenset({self.current_year_income, self.distribution, self.undistributed})


def _read_first_level(filename: str) -> list[AccountSpec]:
    text = resources.files("ledger.kernel").joinpath("data", filename).read_text(encoding="utf-8")
    return [
        AccountSpec(
            code=row["code"],
            name_zh=row["name_zh"],
            name_en=row["name_en"],
            category=row["class"],
            normal_balance=row["normal_balance"],
        )
        for row in csv.DictReader(text.splitlines())
    ]


def _village_2023() -> Chart:
    first_level = _read_first_level("mof-2023-village.csv")
    # 收益分配 keeps 未分配收益 and 各项分配 as the standard requires; the distribution items
    # under 各项分配 are the lines of the 收益分配 section of the income statement.
    standard_sub_accounts = [
        AccountSpec("32201", "未分配收益", "Undistributed income", "equity", "credit"),
        AccountSpec("32202", "各项分配", "Distributions", "equity", "credit"),
        AccountSpec("3220201", "提取公积公益金", "Transfer to reserve fund", "equity", "credit"),
        AccountSpec("3220202", "向成员分配", "Distribution to members", "equity", "credit"),
        AccountSpec("3220203", "其他分配", "Other distributions", "equity", "credit"),
    ]
    return Chart(
        id="mof-2023-village",
        title="农村集体经济组织会计制度（财会〔2023〕14号）",
        accounts=tuple(first_level + standard_sub_accounts),
        current_year_income="321",
        undistributed="32201",
        distribution="322",
        kinds=("village_collective",),
    )


def _cooperative_2021() -> Chart:
    first_level = _read_first_level("mof-2021-cooperative.csv")
    # 盈余分配 keeps 未分配盈余 and 各项分配 as 收益分配 does in a village; the items under 各项分配
    # are the entries of the surplus distribution (2017 Law Art. 44). 经营收入 and 经营支出 keep
    # trade with members and with non-members apart (Art. 41).
    standard_sub_accounts = [
        AccountSpec("33201", "未分配盈余", "Undistributed surplus", "equity", "credit"),
        AccountSpec("33202", "各项分配", "Distributions", "equity", "credit"),
        AccountSpec("3320201", "提取盈余公积", "Transfer to surplus reserve", "equity", "credit"),
        AccountSpec("3320202", "盈余返还", "Surplus returned by trade", "equity", "credit"),
        AccountSpec("3320203", "剩余盈余分配", "Remaining surplus distributed", "equity",
                    "credit"),
        AccountSpec("3320204", "其他分配", "Other distributions", "equity", "credit"),
        AccountSpec("50101", "成员交易收入", "Revenue from trade with members", "income",
                    "credit"),
        AccountSpec("50102", "非成员交易收入", "Revenue from trade with non-members", "income",
                    "credit"),
        AccountSpec("52101", "成员交易支出", "Expenses of trade with members", "expense",
                    "debit"),
        AccountSpec("52102", "非成员交易支出", "Expenses of trade with non-members", "expense",
                    "debit"),
    ]
    return Chart(
        id="mof-2021-cooperative",
        title="农民专业合作社会计制度（财会〔2021〕37号）",
        accounts=tuple(first_level + standard_sub_accounts),
        current_year_income="331",
        undistributed="33201",
        distribution="332",
        kinds=("farmers_cooperative",),
        earmarked=("235",),
        two_sided="114",
    )


_BUILDERS = {"mof-2023-village": _village_2023, "mof-2021-cooperative": _cooperative_2021}
CHART_IDS = tuple(_BUILDERS)


@cache
def get_chart(chart_id: str) -> Chart:
    try:
        return _BUILDERS[chart_id]()
    except KeyError:
        raise KeyError(chart_id) from None
