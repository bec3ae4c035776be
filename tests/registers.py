"""A small village's roll and shares, written once and used by the tests of every layer.

Three households: 001 张大山 (head), 李秀英, 张小明; 002 王建国 (head), 赵桂兰; 003 刘志强 (head).
Share classes: 人口股 (per person, 10 each), 劳龄股 (by years of labour), 集体股 (≤ 30 %).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ledger.application import Ledger
from ledger.kernel.personal import id_check_digit

ORG = "v1"
QUANTIFIED = date(2025, 6, 30)
RESOLUTION = "股改决〔2025〕1号"


def id_number(born: date, sex: str, seq: int = 1, region: str = "330102") -> str:
    """A valid resident ID number for the person: region, birth date, sequence, check digit."""
    sex_digit = (2 * (seq % 5) + (1 if sex == "male" else 0))
    body = f"{region}{born:%Y%m%d}{seq % 100:02d}{sex_digit}"
    return body + id_check_digit(body)


PEOPLE: list[dict[str, Any]] = [
    {"household": "001", "number": "0001", "name": "张大山", "sex": "male",
     "born": date(1960, 3, 8), "head": True, "phone": "13800001111"},
    {"household": "001", "number": "0002", "name": "李秀英", "sex": "female",
     "born": date(1962, 7, 1), "phone": "13800002222"},
    {"household": "001", "number": "0003", "name": "张小明", "sex": "male",
     "born": date(1990, 1, 15)},
    {"household": "002", "number": "0004", "name": "王建国", "sex": "male",
     "born": date(1958, 11, 2), "head": True},
    {"household": "002", "number": "0005", "name": "赵桂兰", "sex": "female",
     "born": date(1959, 5, 20)},
    {"household": "003", "number": "0006", "name": "刘志强", "sex": "male",
     "born": date(1970, 9, 9), "head": True},
]
for _i, _p in enumerate(PEOPLE, start=1):
    _p["id_number"] = id_number(_p["born"], _p["sex"], _i)


def confirm_people(app: Ledger, org: str = ORG, on: date = date(2025, 6, 1)) -> None:
    for household in sorted({p["household"] for p in PEOPLE}):
        app.register.register_household(org, number=household, on=on, address="东村一组",
                                        actor="kuaiji")
    for person in PEOPLE:
        app.register.confirm_member(org, on=on, basis="original",
                                    resolution="成员确认决〔2025〕1号",
                                    resolution_date=on, actor="kuaiji", **person)


def define_classes(app: Ledger, org: str = ORG) -> None:
    app.register.define_share_class(org, code="population", name_zh="人口股", basis="per_person",
                                    per_person=10, actor="kuaiji")
    app.register.define_share_class(org, code="labour", name_zh="劳龄股", basis="labour",
                                    actor="kuaiji")
    app.register.define_share_class(org, code="collective", name_zh="集体股", basis="collective",
                                    cap_percent=30, actor="kuaiji")


def household_allocations() -> list[dict[str, Any]]:
    """Household-held: 10 人口股 per person at quantification, 劳龄股 by years, 集体股 to the
    organization, and a reserve of 人口股 it holds."""
    return [
        {"holder": "household:001", "share_class": "population", "quantity": 30},
        {"holder": "household:001", "share_class": "labour", "quantity": 55},
        {"holder": "household:002", "share_class": "population", "quantity": 20},
        {"holder": "household:002", "share_class": "labour", "quantity": 60},
        {"holder": "household:003", "share_class": "population", "quantity": 10},
        {"holder": "household:003", "share_class": "labour", "quantity": 25},
        {"holder": "org", "share_class": "population", "quantity": 40},
        {"holder": "org", "share_class": "collective", "quantity": 60},
    ]


def person_allocations() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [
        {"holder": f"member:{p['number']}", "share_class": "population", "quantity": 10}
        for p in PEOPLE]
    rows += [{"holder": "member:0001", "share_class": "labour", "quantity": 30},
             {"holder": "member:0004", "share_class": "labour", "quantity": 35},
             {"holder": "org", "share_class": "population", "quantity": 40},
             {"holder": "org", "share_class": "collective", "quantity": 60}]
    return rows


def village_with_shares(app: Ledger, holding: str = "household", org: str = ORG, *,
                        books_start: date = date(2025, 1, 1), **settings: Any) -> None:
    """Register the village (books from `books_start`), its roll, its classes, and quantify
    its shares."""
    app.books.register_organization(code=org, name_zh="东村股份经济合作社",
                                    kind="village_collective",
                                    books_start=books_start, actor="admin")
    app.books.change_settings(org, {"share_holding": holding, **settings}, reason="村章程",
                              actor="admin")
    confirm_people(app, org)
    define_classes(app, org)
    app.register.quantify_shares(org, on=QUANTIFIED, allocations=(
        household_allocations() if holding == "household" else person_allocations()),
        resolution=RESOLUTION, resolution_date=date(2025, 6, 28), actor="kuaiji")
