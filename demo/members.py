"""The demo village's members and shares: the roll confirmed and the shares quantified per
household in June 2025 (frozen: 增人不增股、减人不减股), then 2026's births, a death, a daughter
married out, a bride married in, and a lone household's shares inherited by a son in the city,
who holds income rights without a vote. Names and ID numbers are made up.
"""

from __future__ import annotations

from datetime import date

from demo.village import DEMO_ORG
from ledger.application import Ledger
from ledger.kernel.personal import id_check_digit
from ledger.register import Quantification, RollRow

ACCOUNTANT = "kuaiji"
CONFIRMED = date(2025, 6, 1)
ROLL_RESOLUTION = "阳光村成员决〔2025〕1号"
SHARE_RESOLUTION = "阳光村股改决〔2025〕2号"
REGION = "330782"  # a county code, so that the made-up numbers look like the real ones
# household, labour shares, its people: (name, sex, born); the first is the head.
HOUSEHOLDS: tuple[tuple[str, int, tuple[tuple[str, str, str], ...]], ...] = (
    ("001", 62, (("陈德厚", "male", "1956-02-11"), ("周桂香", "female", "1958-08-30"),
                 ("陈建军", "male", "1982-05-06"))),
    ("002", 48, (("王春生", "male", "1968-03-21"), ("李月娥", "female", "1970-12-02"),
                 ("王磊", "male", "1995-10-18"))),
    ("003", 40, (("张国庆", "male", "1975-10-01"), ("刘美华", "female", "1978-04-15"),
                 ("张欣怡", "female", "2004-07-09"))),
    ("004", 55, (("赵永福", "male", "1963-01-27"), ("孙秀兰", "female", "1965-06-13"))),
    ("005", 35, (("钱学文", "male", "1972-09-30"), ("吴丽萍", "female", "1974-02-22"),
                 ("钱晓燕", "female", "1999-11-11"))),
    ("006", 30, (("周海波", "male", "1980-07-07"), ("郑小红", "female", "1983-01-19"),
                 ("周子涵", "male", "2012-03-03"), ("周子萱", "female", "2016-08-08"))),
    ("007", 70, (("吴老根", "male", "1940-12-24"), ("吴大勇", "male", "1966-05-05"),
                 ("冯秋菊", "female", "1968-09-17"))),
    ("008", 25, (("冯志刚", "male", "1985-04-04"), ("韩雪", "female", "1988-12-12"))),
    ("009", 44, (("褚明华", "male", "1970-06-18"), ("卫红英", "female", "1971-03-08"),
                 ("褚亮", "male", "1996-01-26"))),
    ("010", 38, (("蒋文斌", "male", "1977-11-23"), ("沈玉梅", "female", "1979-05-30"))),
    ("011", 66, (("韩老汉", "male", "1945-07-01"),)),
)
PER_PERSON = 10


def _id_number(born: str, sex: str, seq: int) -> str:
    sex_digit = 2 * (seq % 5) + (1 if sex == "male" else 0)
    body = f"{REGION}{born.replace('-', '')}{seq % 100:02d}{sex_digit}"
    return body + id_check_digit(body)


def demo_roll() -> list[RollRow]:
    """The roll as the accountant's spreadsheet had it, with each household's shares on the
    head's row."""
    rows: list[RollRow] = []
    seq = 0
    for household, labour, people in HOUSEHOLDS:
        for i, (name, sex, born) in enumerate(people):
            seq += 1
            shares = {"population": PER_PERSON * len(people), "labour": labour} if i == 0 else {}
            rows.append(RollRow(
                row=seq + 1, household=household, name=name, sex=sex,
                born=date.fromisoformat(born), confirmed_on=CONFIRMED, basis="original",
                number=f"{seq:04d}", head=i == 0, address=f"阳光村{int(household) % 3 + 1}组",
                id_number=_id_number(born, sex, seq),
                phone=f"1390000{seq:04d}" if i == 0 else "", resolution=ROLL_RESOLUTION,
                resolution_date=date(2025, 5, 28), shares=shares))
    return rows


def load_demo_roll(app: Ledger) -> None:
    """The roll and the shares of 2025, as they stood when the 2025 distribution was drafted."""
    for code, name, basis, cap in (("population", "人口股", "per_person", 0),
                                   ("labour", "劳龄股", "labour", 0),
                                   ("collective", "集体股", "collective", 30)):
        app.register.define_share_class(DEMO_ORG, code=code, name_zh=name, basis=basis,
                                        per_person=PER_PERSON if basis == "per_person" else 0,
                                        cap_percent=cap, actor=ACCOUNTANT)
    app.register.import_roll(DEMO_ORG, rows=demo_roll(), actor=ACCOUNTANT,
                             quantification=Quantification(
        on=date(2025, 6, 30), resolution=SHARE_RESOLUTION, resolution_date=date(2025, 6, 28),
        reserve={"collective": 150}))


def load_demo_changes(app: Ledger) -> None:
    """The changes of 2026, from March on: after the 2025 distribution was paid."""
    app.register.confirm_member(DEMO_ORG, name="张小宇", sex="male", born=date(2026, 3, 14),
                                household="003", on=date(2026, 3, 20), basis="birth",
                                actor=ACCOUNTANT)
    app.register.end_membership(DEMO_ORG, "0019", on=date(2026, 5, 2), basis="death",
                                document="死亡医学证明 2026-05-02", actor=ACCOUNTANT)
    app.register.end_membership(DEMO_ORG, "0014", on=date(2026, 7, 1),
                                basis="joined_other_collective",
                                document="出嫁至青山村，已确认为该村成员", actor=ACCOUNTANT)
    bride = _id_number("1997-02-14", "female", 61)
    app.register.confirm_member(DEMO_ORG, name="林巧玲", sex="female", born=date(1997, 2, 14),
                                household="002", on=date(2026, 8, 15), basis="marriage_in",
                                id_number=bride, resolution="阳光村成员决〔2026〕3号",
                                resolution_date=date(2026, 8, 12), actor=ACCOUNTANT)
    app.register.end_membership(DEMO_ORG, "0029", on=date(2026, 9, 3), basis="death",
                                document="死亡医学证明 2026-09-03", actor=ACCOUNTANT)
    for share_class, quantity in (("population", PER_PERSON), ("labour", 66)):
        app.register.move_shares(DEMO_ORG, kind="inheritance", on=date(2026, 10, 20),
                                 source="household:011", target="outside" if share_class ==
                                 "population" else "outside:1", target_name="韩建设",
                                 share_class=share_class, quantity=quantity,
                                 basis="继承公证书（2026）浙义证字第318号", actor=ACCOUNTANT)
