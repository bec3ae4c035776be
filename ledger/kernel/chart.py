"""Charts of accounts (会计科目表) an organization may keep, each a fixed official standard.

A book records which chart it keeps, because the same code meant another account in 2004.
The 2023 village chart's 42 first-level accounts come from the data file beside this module.
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


_BUILDERS = {"mof-2023-village": _village_2023}
CHART_IDS = tuple(_BUILDERS)


@cache
def get_chart(chart_id: str) -> Chart:
    try:
        return _BUILDERS[chart_id]()
    except KeyError:
        raise KeyError(chart_id) from None
