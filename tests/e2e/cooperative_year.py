"""A cooperative's two years as data, and its books kept again by hand: the same list of events
drives the API calls of tests/e2e/test_cooperative_year.py and a plain-Python ledger (a dict of
account balances, debit positive) from which the expected statements and the Art. 44 split are
computed with the law's arithmetic, never with the product's functions.

60 members: 0001–0058 admitted in 2024 with money, 0059–0060 in 2025; 0003 and 0007 add
contributions in kind in 2025 (0003's at a premium to 资本公积); 0001–0054 sell fruit to the
cooperative, the even ones among them buy its supplies; 0055–0060 do not trade. 2024 ends in a
loss of 20,000.00 that 2025's surplus covers first. A state grant of 100,000.00 buys a cold store
and becomes 专项基金; 0012 gives notice in March 2025, leaves on 2025-12-31, and still shares.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

MEMBERS = 60
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ("建国", "秀英", "桂兰", "志强", "德明", "春梅", "国华", "玉兰", "海波", "小红",
         "永福", "淑珍", "文斌", "凤英", "大山")
GRANT = 10_000_000
LEAVER = "0012"
_DAY = timedelta(days=1)
CLOSING = "(closing)"  # the party of the year-end close's postings in the hand-kept books


def number(i: int) -> str:
    return f"{i:04d}"


def name(i: int) -> str:
    return SURNAMES[i % len(SURNAMES)] + GIVEN[i % len(GIVEN)]


def joined(i: int) -> date:
    return date(2024, 1, 5) if i <= 58 else date(2025, 2, 1)


@dataclass(frozen=True)
class Contribution:
    member: str
    on: date
    form: str
    amount: int
    account: str
    share_capital: int | None = None  # None: all of it to 股金
    description: str = ""


@dataclass(frozen=True)
class Trade:
    on: date
    direction: str  # sold_to_cooperative (it buys) | bought_from_cooperative (it sells)
    amount: int
    settlement: str
    member: str = ""
    counterparty: str = ""
    product: str = "苹果"


@dataclass(frozen=True)
class Entry:
    """A voucher typed by the accountant: (account, fen) with debits positive."""
    on: date
    summary: str
    lines: tuple[tuple[str, int], ...]


def contributions() -> list[Contribution]:
    money = [Contribution(number(i), date(2024, 1, 10), "money",
                          100_000 + (i * 37 % 20) * 10_000, "102" if i % 2 == 0 else "101")
             for i in range(1, 59)]
    money += [Contribution(number(i), date(2025, 2, 1), "money", 200_000, "101")
              for i in (59, 60)]
    kind = [Contribution("0003", date(2025, 3, 1), "kind", 800_000, "151", 600_000,
                         "分拣机一台，成员大会评估作价8000元"),
            Contribution("0007", date(2025, 3, 5), "kind", 500_000, "142",
                         description="挂果桃树200株，评估作价5000元")]
    return money + kind


def trades() -> list[Trade]:
    found = [Trade(date(2024, 6, 1), "bought_from_cooperative", 1_000_000, "102",
                   counterparty="县果品公司")]
    for i in range(2, 55, 2):  # supplies sold to members, in April
        found.append(Trade(date(2025, 4, 1 + i % 28), "bought_from_cooperative",
                           30_000 + (i * 31 % 17) * 1_000 + i, "114" if i % 4 == 0 else "101",
                           member=number(i), product="有机肥"))
    found.append(Trade(date(2025, 6, 15), "bought_from_cooperative", 16_000_000, "102",
                       counterparty="城关水果批发市场"))
    for i in range(1, 55):  # the members' apples bought in July
        found.append(Trade(date(2025, 7, 1 + i % 28), "sold_to_cooperative",
                           200_000 + (i * 7919 % 101) * 1_013, "114" if i % 3 == 0 else "102",
                           member=number(i)))
    found.append(Trade(date(2025, 7, 20), "sold_to_cooperative", 300_000, "101",
                       counterparty="外村果农李某"))
    return found


ENTRIES = (
    Entry(date(2024, 9, 30), "支付2024年管理费用", (("522", 3_000_000), ("102", -3_000_000))),
    Entry(date(2025, 4, 1), "收到财政扶持资金", (("102", GRANT), ("235", -GRANT))),
    Entry(date(2025, 4, 15), "用财政扶持资金建成冷库", (("151", GRANT), ("102", -GRANT))),
    Entry(date(2025, 4, 15), "财政扶持资金形成资产转入专项基金", (("235", GRANT), ("311", -GRANT))),
    Entry(date(2025, 6, 30), "支付管理费用", (("522", 800_000), ("102", -800_000))),
    Entry(date(2025, 9, 30), "结转对非成员销售成本", (("52102", 10_000_000), ("121", -10_000_000))),
    Entry(date(2025, 10, 31), "结转对成员销售成本", (("52101", 600_000), ("121", -600_000))),
    Entry(date(2025, 12, 20), "计提折旧", (("522", 250_000), ("152", -250_000))),
)


@dataclass
class Books:
    """The books kept again by hand: each posting as (day, account, fen, party)."""
    postings: list[tuple[date, str, int, str]] = field(default_factory=list)

    def post(self, on: date, *lines: tuple[str, int, str]) -> None:
        assert sum(fen for _, fen, _ in lines) == 0
        self.postings += [(on, account, fen, party) for account, fen, party in lines]

    def balance(self, prefix: str, on: date, since: date = date.min) -> int:
        return sum(fen for day, account, fen, _ in self.postings
                   if account.startswith(prefix) and since <= day <= on)

    def moves(self, prefix: str, start: date, end: date, closing: bool = True,
              ) -> tuple[int, int]:
        """(debits, credits) to the accounts under prefix between two days, with or without
        the year-end closing vouchers."""
        fens = [fen for day, account, fen, party in self.postings
                if account.startswith(prefix) and start <= day <= end
                and (closing or party != CLOSING)]
        return sum(f for f in fens if f > 0), -sum(f for f in fens if f < 0)

    def close(self, year: int) -> None:
        """The year-end close as the books post it: the year's income and expenses into 33201
        (through 331), then 332's items into 33201 — two movements, not their net."""
        start, end = date(year, 1, 1), date(year, 12, 31)
        for prefix in ("5", "33202"):
            lines = [(account, -self.balance(account, end, start), CLOSING)
                     for account in sorted({a for d, a, _, _ in self.postings
                                            if a.startswith(prefix)})]
            lines = [line for line in lines if line[1]]
            if lines:
                self.post(end, *lines, ("33201", -sum(f for _, f, _ in lines), CLOSING))

    def parties(self, prefix: str, on: date) -> dict[str, int]:
        sums: dict[str, int] = defaultdict(int)
        for day, account, fen, party in self.postings:
            if account.startswith(prefix) and day <= on:
                sums[party] += fen
        return dict(sums)


def books_of_the_year() -> Books:
    """Every voucher the API should write for contributions, trade and typed entries (not the
    year-end closes, nor the distribution: the test adds what it expects of those)."""
    books = Books()
    for c in contributions():
        capital = c.amount if c.share_capital is None else c.share_capital
        lines = [(c.account, c.amount, ""), ("301", -capital, c.member)]
        if capital != c.amount:
            lines.append(("321", capital - c.amount, ""))
        books.post(c.on, *lines)
    for t in trades():
        party = t.member
        settled = party if t.settlement == "114" else ""
        if t.direction == "bought_from_cooperative":
            income = "50101" if t.member else "50102"
            books.post(t.on, (t.settlement, t.amount, settled), (income, -t.amount, party))
        else:
            books.post(t.on, ("121", t.amount, ""), (t.settlement, -t.amount, settled))
    for e in ENTRIES:
        books.post(e.on, *((account, fen, "") for account, fen in e.lines))
    return books


def volumes() -> dict[str, int]:
    """Each member's 2025 trade with the cooperative, both directions (Art. 44)."""
    found: dict[str, int] = dict.fromkeys(map(number, range(1, MEMBERS + 1)), 0)
    for t in trades():
        if t.member and t.on.year == 2025:
            found[t.member] += t.amount
    return found


def contributed() -> dict[str, int]:
    """出资额 at the end of 2025, as the member account records it: the part booked to 股金 (a
    premium over it goes to 资本公积, nobody's 出资额)."""
    found: dict[str, int] = dict.fromkeys(map(number, range(1, MEMBERS + 1)), 0)
    for c in contributions():
        found[c.member] += c.amount if c.share_capital is None else c.share_capital
    return found


def largest_remainder(total: int, weights: dict[str, int]) -> dict[str, int]:
    """⌊total·wᵢ/W⌋, then one fen each to the largest remainders, ties to the lower number."""
    whole = sum(weights.values())
    amounts = {k: total * w // whole for k, w in weights.items()}
    left = total - sum(amounts.values())
    order = sorted(weights, key=lambda k: (-(total * weights[k] % whole), k))
    for k in order[:left]:
        amounts[k] += 1
    return amounts


@dataclass(frozen=True)
class Split:
    net_income: int
    loss_covered: int
    reserve: int
    distributable: int
    trade_return: int
    returns: dict[str, int]
    remaining: dict[str, int]
    weights: dict[str, int]


def surplus_split(net_income: int, undistributed_at_start: int, rate_reserve: str = "0.10",
                  rate_trade: str = "0.60") -> Split:
    """Art. 44 as the issue states it: D = 本年盈余 − 弥补亏损 − 提取盈余公积, T = ⌈rate·D⌉."""
    loss = min(max(net_income, 0), max(-undistributed_at_start, 0))
    base = net_income - loss
    reserve = int((Decimal(rate_reserve) * base).quantize(Decimal(1), ROUND_HALF_UP)) \
        if base > 0 else 0
    d = base - reserve
    t = int((Decimal(rate_trade) * d).quantize(Decimal(1), ROUND_CEILING))
    members = list(map(number, range(1, MEMBERS + 1)))
    fund = largest_remainder(GRANT, dict.fromkeys(members, 1))  # 专项基金, equally
    weights = {m: contributed()[m] + fund[m] for m in members}
    return Split(net_income, loss, reserve, d, t, largest_remainder(t, volumes()),
                 largest_remainder(d - t, weights), weights)


def yuan(fen: int) -> str:
    sign = "-" if fen < 0 else ""
    return f"{sign}{abs(fen) // 100}.{abs(fen) % 100:02d}"


def fen(text: str) -> int:
    return int(Decimal(text) * 100)


# The balance sheet's lines of owners' equity, by the column of 成员权益变动表 they end.
EQUITY_LINES = {"share_capital": "share_capital", "special_fund": "special_fund",
                "capital_reserve": "capital_reserve", "surplus_reserve": "surplus_reserve",
                "undistributed": "undistributed", "total": "equity_total"}
EQUITY_ACCOUNTS = {"share_capital": "301", "special_fund": "311", "capital_reserve": "321",
                   "surplus_reserve": "322", "undistributed": "33"}


def balance_sheet_lines(books: Books, on: date) -> dict[str, int]:
    """资产负债表 (会农社01表) at a day: assets as debits, the rest as credits; 成员往来 (114)
    member by member, a member who owes on the asset side, one owed on the other."""
    def debit(*prefixes: str) -> int:
        return sum(books.balance(p, on) for p in prefixes)

    members = books.parties("114", on).values()
    lines = {"cash": debit("101", "102", "109"),
             "receivables": debit("113") + sum(b for b in members if b > 0),
             "inventories": debit("121", "124", "125", "127", "128", "401"),
             "fixed_cost": debit("151"), "fixed_dep": -debit("152"),
             "fixed_net": debit("151", "152"), "productive_bio_cost": debit("142"),
             "payables": -debit("211") - sum(b for b in members if b < 0),
             "surplus_returns": -debit("221"), "remaining_surplus": -debit("222"),
             "earmarked": -debit("235")}
    for column, prefix in EQUITY_ACCOUNTS.items():
        lines[EQUITY_LINES[column]] = -debit(prefix)
    lines["equity_total"] = sum(lines[EQUITY_LINES[c]] for c in EQUITY_ACCOUNTS)
    # 114 counts on both sides, each member on the side their balance is on.
    owed = sum(b for b in members if b < 0)
    lines["assets_total"] = debit("1") - owed
    lines["liabilities_and_equity_total"] = -debit("2", "3", "5") - owed
    assert lines["assets_total"] == lines["liabilities_and_equity_total"]
    return lines


def surplus_statement_lines(books: Books, split: Split) -> dict[str, int]:
    """盈余及盈余分配表 (会农社02表) of 2025."""
    start, end = date(2025, 1, 1), date(2025, 12, 31)

    def credit(prefix: str) -> int:
        debits, credits = books.moves(prefix, start, end, closing=False)
        return credits - debits

    income = {"operating_revenue": credit("501"), "other_income": credit("502"),
              "investment_income": credit("511"), "operating_expenses": -credit("521"),
              "administrative": -credit("522"), "other_expenses": -credit("529")}
    undistributed_start = books.balance("33", date(2024, 12, 31))
    returned = sum(split.returns.values())
    remaining = sum(split.remaining.values())
    available = split.net_income - undistributed_start
    assert income["operating_revenue"] + income["other_income"] + income["investment_income"] \
        - income["operating_expenses"] - income["administrative"] - income["other_expenses"] \
        == split.net_income
    return {**income, "net_income": split.net_income,
            "undistributed_start": -undistributed_start, "other_transfers": 0,
            "other_distributions": 0, "distributable": available, "to_reserve": split.reserve,
            "trade_return": returned, "remaining_distribution": remaining,
            "undistributed_end": available - split.reserve - returned - remaining}


def equity_changes(books: Books, y: int) -> dict[str, dict[str, int]]:
    """成员权益变动表 (会农社03表): each equity account's credits and debits of the year."""
    start, end = date(y, 1, 1), date(y, 12, 31)
    cells: dict[str, dict[str, int]] = {"start": {}, "increase": {}, "decrease": {}, "end": {}}
    for column, prefix in EQUITY_ACCOUNTS.items():
        # 331 and 332 pass through on their way to 33201: only 33201's own movements count.
        account = "33201" if prefix == "33" else prefix
        debits, credits = books.moves(account, start, end)
        cells["start"][column] = -books.balance(prefix, start - _DAY)
        cells["increase"][column] = credits
        cells["decrease"][column] = debits
        cells["end"][column] = -books.balance(prefix, end)
    for r in cells.values():
        r["total"] = sum(r.values())
    return cells
