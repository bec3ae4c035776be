"""The village's fruit cooperative, 阳光村果品专业合作社: 25 members (ten of them villagers of the
demo village), its books from January 2025 to October 2026 on the cooperative chart, kept through
the application's commands as its accountant would — contributions in money and in kind, trade
with members and non-members posted as it is recorded, a state grant turned into 专项基金,
expenses and depreciation, a short loan — so that every load writes the same events.

The 2025 surplus is shared under Art. 44 by demo/cooperative_surplus.py, whose steps run among
these on their own days (the year is closed after the plan is posted, in January 2026).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from ledger.application import Ledger
from ledger.books import Line, Period, VoucherDraft

COOP_ORG = "sunlight-fruit"
ACCOUNTANT = "hezuo"  # the cooperative's own accountant: the village's keeps one desk
BOOKS_START = date(2025, 1, 1)
CLOSED_THROUGH = Period(2026, 9)
LAST_PERIOD = Period(2026, 10)
LEAVER = "0018"  # gives notice in August 2025, leaves at its end, and still shares (Art. 28)
# (name, sex, born, money contributed in yuan); 0001–0010 are villagers of 阳光村.
MEMBERS: tuple[tuple[str, str, str, int], ...] = (
    ("陈建军", "male", "1982-05-06", 10_000), ("王春生", "male", "1968-03-21", 8_000),
    ("张国庆", "male", "1975-10-01", 6_000), ("赵永福", "male", "1963-01-27", 5_000),
    ("钱学文", "male", "1972-09-30", 3_000), ("周海波", "male", "1980-07-07", 6_000),
    ("吴大勇", "male", "1966-05-05", 5_000), ("冯志刚", "male", "1985-04-04", 4_000),
    ("褚明华", "male", "1970-06-18", 5_000), ("蒋文斌", "male", "1977-11-23", 3_000),
    ("李桂芳", "female", "1971-02-14", 4_000), ("杨树林", "male", "1969-08-09", 5_000),
    ("黄秋云", "female", "1976-10-21", 3_000), ("孙德胜", "male", "1964-12-30", 6_000),
    ("马兰英", "female", "1973-04-17", 3_000), ("朱永红", "female", "1981-07-25", 4_000),
    ("胡建平", "male", "1979-03-03", 5_000), ("郭小梅", "female", "1986-09-12", 2_000),
    ("何长青", "male", "1962-06-06", 8_000), ("高玉珍", "female", "1974-01-08", 3_000),
    ("林志远", "male", "1988-11-02", 2_000), ("罗春燕", "female", "1983-05-19", 3_000),
    ("宋大海", "male", "1967-02-28", 4_000), ("唐丽华", "female", "1978-12-15", 3_000),
    ("许文军", "male", "1990-08-30", 2_000),
)
LATE = "0025"  # admitted in June 2025
NO_TRADE = ("0020", "0021", "0022")  # members who sold and bought nothing in 2025


def number(i: int) -> str:
    return f"{i:04d}"


@dataclass(frozen=True)
class Step:
    day: date
    run: Callable[[Ledger], object]


def _voucher(day: date, summary: str, *lines: tuple[str, int]) -> Step:
    def run(app: Ledger) -> None:
        app.books.post_voucher(COOP_ORG, VoucherDraft(
            date=day, summary=summary, attachments=1,
            lines=tuple(Line(a, debit=f) if f > 0 else Line(a, credit=-f) for a, f in lines)),
            actor=ACCOUNTANT)
    return Step(day, run)


def _trade(day: date, direction: str, product: str, fen: int, settlement: str, *,
           member: str = "", counterparty: str = "", price: int = 320) -> Step:
    """`price` is fen a 公斤: the quantity is what the amount buys at it."""
    def run(app: Ledger) -> None:
        app.member_accounts.record_trade(
            COOP_ORG, on=day, direction=direction, product=product,
            quantity=f"{fen / price:.1f}", unit="公斤", amount=fen, member=member,
            counterparty=counterparty, settlement=settlement, actor=ACCOUNTANT)
    return Step(day, run)


def _contribution(day: date, member: str, form: str, fen: int, account: str, *,
                  share_capital: int | None = None, description: str = "") -> Step:
    def run(app: Ledger) -> None:
        app.member_accounts.record_contribution(
            COOP_ORG, member, on=day, form=form, amount=fen, share_capital=share_capital,
            account=account, description=description, actor=ACCOUNTANT)
    return Step(day, run)


def register_cooperative(app: Ledger, *, actor: str = ACCOUNTANT) -> None:
    """The cooperative, its local rules, its members and who keeps and checks its books."""
    app.books.register_organization(
        code=COOP_ORG, name_zh="阳光村果品专业合作社", name_en="Sunlight Village Fruit Cooperative",
        kind="farmers_cooperative", books_start=BOOKS_START, actor=actor)
    # Its charter: the members' meeting decides the distribution alone (理事会 proposes it);
    # its accounts are posted up on this product from the 2025 distribution on.
    app.books.change_settings(COOP_ORG, {"matter_steps": "decide",
                                         "disclosure_owed_from": "2026-12"},
                              reason="合作社章程第二十八条", actor=actor)
    for i, (name, sex, born, _) in enumerate(MEMBERS, start=1):
        app.register.confirm_member(
            COOP_ORG, number=number(i), name=name, sex=sex, born=date.fromisoformat(born),
            household="", on=date(2025, 6, 1) if number(i) == LATE else date(2025, 1, 6),
            basis="admitted", actor=actor)


def _2025() -> list[Step]:
    steps: list[Step] = []
    for i, (_, _, _, yuan) in enumerate(MEMBERS, start=1):
        day = date(2025, 6, 1) if number(i) == LATE else date(2025, 1, 8)
        steps.append(_contribution(day, number(i), "money", yuan * 100, "102"))
    steps += [
        _contribution(date(2025, 2, 18), "0003", "kind", 800_000, "151", share_capital=600_000,
                      description="分拣机一台，成员大会评估作价8000元，其中6000元计入股金"),
        _contribution(date(2025, 3, 5), "0005", "kind", 500_000, "142",
                      description="挂果黄桃树100株，成员大会评估作价5000元"),
        _voucher(date(2025, 2, 20), "采购有机肥（县农资公司）", ("121", 3_000_000),
                 ("102", -3_000_000)),
        _voucher(date(2025, 4, 10), "收到省级农民合作社发展资金", ("102", 15_000_000),
                 ("235", -15_000_000)),
        _voucher(date(2025, 5, 20), "财政资金建成冷库", ("151", 15_000_000), ("102", -15_000_000)),
        _voucher(date(2025, 5, 20), "财政资金形成的冷库转入专项基金", ("235", 15_000_000),
                 ("311", -15_000_000)),
        Step(date(2025, 8, 20), lambda app: app.register.notify_exit(
            COOP_ORG, LEAVER, on=date(2025, 8, 20), document="退社申请书（外出务工）",
            actor=ACCOUNTANT)),
        _voucher(date(2025, 6, 30), "信用社短期借款", ("102", 10_000_000), ("201", -10_000_000)),
        _voucher(date(2025, 12, 20), "归还信用社借款及利息", ("201", 10_000_000), ("529", 250_000),
                 ("102", -10_250_000)),
    ]
    fertilizer = peaches = 0
    for i in range(1, 25):
        if number(i) in NO_TRADE:
            continue
        fen = (800 + 37 * i) * 100 + i * 7
        fertilizer += fen
        steps.append(_trade(date(2025, 3, 10 + i % 15), "bought_from_cooperative", "有机肥",
                            fen, "114" if i % 2 else "101" if i % 8 == 0 else "102",
                            member=number(i), price=160))
        fen = (6_000 + i * 1_379 % 5_000) * 100 + i * 13
        peaches += fen
        steps.append(_trade(date(2025, 7, 1 + i % 18), "sold_to_cooperative", "黄桃", fen,
                            "114" if i % 3 == 0 else "102", member=number(i)))
    steps += [
        _trade(date(2025, 7, 22), "sold_to_cooperative", "黄桃", 1_200_000, "102",
               counterparty="外村果农徐某"),
        # Cash on hand stays under the 5,000.00 limit: the year's cash sales go to the bank.
        _voucher(date(2025, 12, 28), "库存现金存入银行", ("102", 400_000), ("101", -400_000)),
        _trade(date(2025, 7, 25), "bought_from_cooperative", "黄桃", 28_000_000, "102",
               counterparty="城关水果批发市场", price=520),
        _trade(date(2025, 9, 10), "bought_from_cooperative", "黄桃（冷库储存）", 9_500_000, "102",
               counterparty="鲜果电商平台", price=650),
        _voucher(date(2025, 3, 31), "结转对成员销售有机肥成本", ("52101", fertilizer * 4 // 5),
                 ("121", -(fertilizer * 4 // 5))),
        _voucher(date(2025, 9, 30), "结转对非成员销售黄桃成本", ("52102", peaches + 1_200_000),
                 ("121", -(peaches + 1_200_000))),
    ]
    return steps + _running(2025)


def _running(year: int) -> list[Step]:
    """The month's wages and utilities, and depreciation from the cold store's first month."""
    steps = []
    for month in range(1, 13):
        if Period(year, month) > LAST_PERIOD:
            break
        day = date(year, month, 25)
        fen = 300_000 + month * 317 % 900 * 100
        steps.append(_voucher(day, f"支付{month}月管理人员工资及水电费", ("522", fen),
                              ("102", -fen)))
        if (year, month) >= (2025, 6):
            steps.append(_voucher(day, f"计提{month}月固定资产折旧", ("522", 125_000),
                                  ("152", -125_000)))
    return steps


def _2026() -> list[Step]:
    steps = [_voucher(date(2026, 2, 12), "采购有机肥（县农资公司）", ("121", 2_400_000),
                      ("102", -2_400_000))]
    peaches = 0
    for i in range(1, 26, 2):
        peaches += (5_500 + i * 977 % 4_000) * 100
        steps.append(_trade(date(2026, 3, 9 + i % 12), "bought_from_cooperative", "有机肥",
                            (900 + 41 * i) * 100, "114" if i % 4 == 1 else
                            "101" if i % 8 == 3 else "102", member=number(i), price=160))
        steps.append(_trade(date(2026, 7, 2 + i % 16), "sold_to_cooperative", "黄桃",
                            (5_500 + i * 977 % 4_000) * 100, "102", member=number(i)))
    steps += [
        _trade(date(2026, 7, 28), "bought_from_cooperative", "黄桃", 19_800_000, "102",
               counterparty="城关水果批发市场", price=540),
        _voucher(date(2026, 3, 31), "结转对成员销售有机肥成本", ("52101", 1_500_000),
                 ("121", -1_500_000)),
        _voucher(date(2026, 9, 30), "结转对非成员销售黄桃成本", ("52102", peaches),
                 ("121", -peaches)),
    ]
    return steps + _running(2026)


def post_cooperative_books(app: Ledger, calls: Sequence[Step] = (), *,
                           closes_2025: bool = False) -> None:
    """Every step in date order, `calls` among them (those of one day after its own), each
    month closed after its last step through September 2026; December 2025 is closed by the
    year-end close, which `calls` run themselves when `closes_2025`."""
    steps = sorted([*_2025(), *_2026(), *calls], key=lambda s: s.day)
    period = Period.of(BOOKS_START)
    for step in steps:
        while Period.of(step.day) > period:
            _close(app, period, closes_2025)
            period = period.next()
        step.run(app)
    while period <= CLOSED_THROUGH:
        _close(app, period, closes_2025)
        period = period.next()


def _close(app: Ledger, period: Period, closed_by_call: bool) -> None:
    if period > CLOSED_THROUGH:
        return
    if period.month != 12:
        app.books.close_period(COOP_ORG, period, actor=ACCOUNTANT)
    elif not closed_by_call:
        app.books.close_year(COOP_ORG, period.year, actor=ACCOUNTANT)
