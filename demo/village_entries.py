"""The demo village's year and ten months of books as data: its sub-accounts, the balances it
brings forward, the vouchers it posts every month and once, and the mistakes it corrects by
reversal. Amounts are yuan here; `demo/village.py` posts them as fen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

BOOKS_START = date(2025, 1, 1)

CASH = "101"
BANK = "10201"
QUARTERS = "一二三四"
EVERY_MONTH = tuple(range(1, 13))

# (parent, code, name_zh, name_en), opened before the parent takes any posting.
SUB_ACCOUNTS: tuple[tuple[str, str, str, str], ...] = (
    ("102", "10201", "农商银行基本户", "Rural commercial bank, basic account"),
    ("112", "11201", "李建国（鱼塘承包户）", "Li Jianguo (fish-pond contractor)"),
    ("112", "11202", "绿源果蔬专业合作社", "Lüyuan Fruit and Vegetable Cooperative"),
    ("112", "11203", "宏达建材厂", "Hongda Building Materials Factory"),
    ("113", "11301", "第一村民小组", "Villager group 1"),
    ("113", "11302", "第二村民小组", "Villager group 2"),
    ("113", "11303", "第三村民小组", "Villager group 3"),
    ("153", "15301", "东路修缮工程", "East road repair project"),
    ("211", "21101", "宏远路桥工程有限公司", "Hongyuan Road and Bridge Engineering Co."),
    ("211", "21102", "应付成员分红", "Dividends payable to members"),
    ("211", "21103", "租赁押金", "Tenants' deposits"),
    ("241", "24101", "道路修缮专项资金", "Earmarked grant for road repair"),
    ("501", "50101", "发包收入", "Contracting fees"),
    ("501", "50102", "出租收入", "Rental income"),
    ("501", "50103", "农产品销售收入", "Sales of farm produce"),
    ("503", "50301", "村级组织运转经费补助", "Village operating subsidy"),
    ("503", "50302", "其他财政补助", "Other fiscal subsidies"),
    ("504", "50401", "存款利息收入", "Deposit interest"),
    ("513", "51301", "干部报酬", "Cadre allowances"),
    ("513", "51302", "办公费", "Office costs"),
    ("513", "51303", "差旅费", "Travel"),
    ("513", "51304", "折旧费", "Depreciation"),
    ("514", "51401", "环境卫生", "Sanitation"),
    ("514", "51402", "路灯电费", "Street-light electricity"),
    ("514", "51403", "五保户补助", "Support for five-guarantee households"),
)

# Balances brought forward on 2025-01-01 in yuan, debit positive; 32201 未分配收益 balances them.
OPENING: tuple[tuple[str, int], ...] = (
    (CASH, 8_000),
    (BANK, 756_420),
    ("11201", 12_000),  # the 2024 fish-pond fee, still owed
    ("11202", 18_000),  # three months of 2024 cold-store rent, still owed
    ("11301", 3_500),  # the village paid for group 1's canal repair
    ("151", 2_400_000),
    ("152", -600_000),
    ("11302", -2_000),  # money the village holds for group 2
    ("21103", -30_000),
    ("301", -1_800_000),
    ("311", -420_000),
)


@dataclass(frozen=True)
class Entry:
    """A voucher to post; lines are (account, fen), debits positive and credits negative."""

    day: date
    summary: str
    lines: tuple[tuple[str, int], ...]
    attachments: int = 1
    key: str = ""  # names the voucher for a later Reversal


@dataclass(frozen=True)
class Reversal:
    day: date
    key: str
    reason: str


@dataclass(frozen=True)
class Recurring:
    """A voucher posted on the same day of several months. {m} is the month, {q} the quarter;
    the amount varies by up to `spread` yuan either way, drawn from the seeded generator."""

    day: int
    summary: str
    debit: str
    credit: str
    yuan: int
    spread: int = 0
    attachments: int = 1
    months: tuple[int, ...] = EVERY_MONTH
    years: tuple[int, ...] = (2025, 2026)


RECURRING: tuple[Recurring, ...] = (
    Recurring(3, "从农商银行基本户提取备用金", CASH, BANK, 3_000, months=(3, 6, 9, 11),
              years=(2025,)),
    # Hongda paid no rent for November and December 2025; see the accruals among the one-offs.
    Recurring(5, "收取宏达建材厂{m}月厂房租金", BANK, "50102", 9_500,
              months=tuple(range(1, 11)), years=(2025,)),
    Recurring(5, "收取宏达建材厂{m}月厂房租金", BANK, "50102", 9_500, years=(2026,)),
    Recurring(8, "收取绿源合作社{m}月冷库租金", BANK, "50102", 6_000),
    Recurring(10, "发放{m}月村干部基本报酬", "51301", BANK, 16_500, attachments=2),
    Recurring(10, "收到镇财政拨付{q}季度村级组织运转经费", BANK, "50301", 45_000,
              months=(1, 4, 7, 10)),
    Recurring(12, "收取村部沿街门面房{m}月租金", BANK, "50102", 3_600, attachments=4),
    Recurring(15, "支付{m}月保洁员工资", "51401", BANK, 5_400, attachments=3),
    Recurring(18, "支付{m}月路灯电费", "51402", BANK, 1_500, spread=400),
    Recurring(18, "支付村部{m}月电费", "51302", BANK, 900, spread=300),
    Recurring(20, "支付村委会{m}月宽带及电话费", "51302", BANK, 280, years=(2025,)),
    Recurring(21, "收到农商银行{q}季度存款利息", BANK, "50401", 600, spread=200,
              months=(3, 6, 9, 12)),
    Recurring(22, "购买办公用品", "51302", CASH, 600, spread=400, attachments=2,
              years=(2025,)),
    Recurring(25, "支付{q}季度垃圾清运费", "51401", BANK, 4_500, months=(3, 6, 9, 12),
              years=(2025,)),
)


def _e(day: str, summary: str, debit: str, credit: str, yuan: int, attachments: int = 1,
       key: str = "") -> Entry:
    """A two-line voucher."""
    return Entry(date.fromisoformat(day), summary, ((debit, yuan * 100), (credit, -yuan * 100)),
                 attachments, key)


def _m(day: str, summary: str, yuan: dict[str, int], attachments: int = 1) -> Entry:
    """A voucher of several lines, given as signed yuan per account."""
    lines = tuple((account, amount * 100) for account, amount in yuan.items())
    return Entry(date.fromisoformat(day), summary, lines, attachments)


def _depreciation(day: str, quarter: str, road: int = 0) -> Entry:
    # Rented buildings are depreciated into 经营支出, the office and the east road into 管理费用.
    return _m(day, f"计提{quarter}季度固定资产折旧",
              {"511": 14_000, "51304": 10_000 + road, "152": -(24_000 + road)})


ONE_OFFS: tuple[Entry, ...] = (
    # 2025
    _e("2025-01-06", "收取一组耕地发包款", BANK, "50101", 36_000),
    _e("2025-01-07", "收取二组耕地发包款", BANK, "50101", 42_000),
    _e("2025-01-09", "收取三组耕地发包款", BANK, "50101", 28_500),
    _e("2025-01-20", "发放春节五保户慰问金", "51403", CASH, 3_000, 6),
    _e("2025-01-24", "报销赴县农业农村局参加会计培训差旅费", "51303", CASH, 460, 3),
    _e("2025-02-14", "收回绿源合作社欠缴2024年冷库租金", BANK, "11202", 18_000),
    _e("2025-02-26", "支付村庄绿化苗木款", "51401", BANK, 6_800, 2),
    _e("2025-03-10", "收到县财政拨付东路修缮专项资金", BANK, "24101", 500_000, 2),
    _e("2025-03-12", "收回李建国欠缴2024年鱼塘承包费", BANK, "11201", 12_000),
    _e("2025-03-16", "代收三组土地流转费", BANK, "11303", 60_000, 2),
    _depreciation("2025-03-31", "一"),
    _e("2025-04-02", "收取村东荒坡地承包费", BANK, "50101", 8_000),
    _e("2025-04-15", "支付东路修缮工程首期进度款", "15301", BANK, 150_000, 3),
    _e("2025-04-18", "发放三组土地流转费", "11303", BANK, 60_000, 2),
    _e("2025-05-09", "收到区农业农村局人居环境整治奖补资金", BANK, "50302", 30_000),
    _e("2025-05-20", "一组归还垫付水渠维修款", BANK, "11301", 3_500),
    _e("2025-05-27", "报销赴镇参加财务公开培训差旅费", "51303", CASH, 180, 2),
    _e("2025-06-06", "支付二组代管资金", "11302", BANK, 2_000),
    _e("2025-06-20", "支付东路修缮工程第二期进度款", "15301", BANK, 200_000, 3),
    _depreciation("2025-06-30", "二"),
    _e("2025-07-16", "收取集体果园承包费", BANK, "50101", 25_000),
    _e("2025-07-22", "销售集体果园桃子", BANK, "50103", 16_800, 2),
    _e("2025-07-23", "支付果园采摘人工费", "511", BANK, 4_200, 12),
    _e("2025-07-25", "支付东路修缮工程监理费", "15301", BANK, 18_000, 2),
    _e("2025-08-12", "销售集体果园桃子", BANK, "50103", 22_400, 2),
    _e("2025-08-13", "支付果园采摘及装运人工费", "511", BANK, 5_600, 14),
    _e("2025-08-19", "收到镇政府垃圾分类补助资金", BANK, "50302", 12_000),
    _e("2025-08-26", "报销赴邻县考察乡村旅游项目差旅费", "51303", CASH, 1_260, 5),
    _e("2025-09-05", "销售集体林场苗木", BANK, "50103", 35_000, 2),
    _e("2025-09-26", "东路修缮工程竣工结算，确认应付尾款", "15301", "21101", 103_400, 3),
    _e("2025-09-28", "发放中秋五保户慰问金", "51403", CASH, 2_400, 6),
    _e("2025-09-29", "东路修缮工程竣工验收，转入固定资产", "151", "15301", 480_000, 2),
    # The grant built a collective asset, so the part spent becomes the collective's reserve.
    _e("2025-09-29", "东路修缮工程已使用专项资金转入公积公益金", "24101", "311", 480_000),
    _depreciation("2025-09-30", "三"),
    _e("2025-10-15", "支付东路修缮工程尾款（扣留质保金24000元）", "21101", BANK, 79_400, 2),
    _e("2025-11-30", "确认宏达建材厂11月厂房租金（未收）", "11203", "50102", 9_500),
    _e("2025-12-15", "发放2025年度村干部绩效考核报酬", "51301", BANK, 36_000, 3),
    _e("2025-12-20", "确认李建国2025年度鱼塘承包费（未收）", "11201", "50101", 12_000),
    _e("2025-12-31", "确认宏达建材厂12月厂房租金（未收）", "11203", "50102", 9_500),
    _depreciation("2025-12-31", "四", road=6_000),
    # The year's reserve and dividends are posted by the distribution plan (demo/distribution.py).
    # 2026
    _e("2026-01-06", "收取2026年度一至三组耕地发包款", BANK, "50101", 106_500, 3),
    _e("2026-01-08", "收回宏达建材厂2025年11—12月厂房租金", BANK, "11203", 19_000),
    _e("2026-02-10", "发放春节五保户慰问金", "51403", CASH, 3_000, 6),
    _e("2026-03-12", "收回李建国2025年度鱼塘承包费", BANK, "11201", 12_000),
    _e("2026-03-20", "退回东路修缮工程专项结余资金", "24101", BANK, 20_000, 2),
    _depreciation("2026-03-31", "一", road=6_000),
    _e("2026-04-02", "收取村东荒坡地承包费", BANK, "50101", 8_000),
    _e("2026-05-09", "收到区农业农村局人居环境整治奖补资金", BANK, "50302", 30_000),
    _depreciation("2026-06-30", "二", road=6_000),
    _e("2026-07-16", "收取集体果园承包费", BANK, "50101", 25_000),
    _e("2026-08-11", "销售集体果园桃子", BANK, "50103", 24_600, 2),
    _e("2026-09-28", "支付东路修缮工程质保金", "21101", BANK, 24_000, 2),
    _depreciation("2026-09-30", "三", road=6_000),
    _e("2026-10-09", "支付果园冬季修剪人工费", "511", BANK, 3_800, 9),
)


@dataclass(frozen=True)
class Correction:
    """A mistaken voucher, its reversal, and the right voucher on the day of the reversal
    (none when the mistake was posting a voucher twice)."""

    wrong: Entry
    reversed_on: str
    reason: str
    right: Entry | None


CORRECTIONS: tuple[Correction, ...] = (
    Correction(_e("2025-03-19", "支付东路修缮工程勘察设计费", "15301", BANK, 86_000, 2),
               "2025-03-27", "金额录入错误",
               _e("2025-03-27", "支付东路修缮工程勘察设计费", "15301", BANK, 8_600, 2)),
    Correction(_e("2025-07-16", "收取集体果园承包费", BANK, "50101", 25_000),
               "2025-07-21", "重复记账", None),
    Correction(_e("2025-11-12", "报销赴市参加集体资产管理培训差旅费", "51302", CASH, 980, 4),
               "2025-11-14", "科目使用错误，应记差旅费",
               _e("2025-11-14", "报销赴市参加集体资产管理培训差旅费", "51303", CASH, 980, 4)),
    Correction(_e("2026-05-11", "销售集体果园樱桃", BANK, "50103", 6_840, 2),
               "2026-05-13", "金额录入错误",
               _e("2026-05-13", "销售集体果园樱桃", BANK, "50103", 8_640, 2)),
)
