"""The roll and the shares through the application on SQLite and PostgreSQL: two processes
confirming members at once never give two people one number or lose one, a per-person register
stays whole under them, and an import is one atomic write or nothing."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest

from infra.storage import Storage
from ledger.application import Ledger
from ledger.register import ImportRejected, MemberRoll, Quantification, RollRow, ShareRegister
from projections.runner import open_ledger
from tests.conftest import Clock
from tests.registers import ORG, PEOPLE, id_number, village_with_shares

BIRTH = date(2026, 2, 10)


@pytest.fixture
def per_person(ledger: Ledger) -> Ledger:
    village_with_shares(ledger, holding="person")
    return ledger


def test_two_processes_confirming_births_at_once_number_every_one_once(
        per_person: Ledger, storage: Storage, clock: Clock) -> None:
    other = open_ledger(storage, clock=clock, cipher=per_person.cipher)
    try:
        def confirm(args: tuple[Ledger, int]) -> int:
            app, i = args
            born = date(2026, 1, 1 + i)
            return app.register.confirm_member(
                ORG, name=f"新生{i}", sex="female", born=born, household="003", on=BIRTH,
                basis="birth", id_number=id_number(born, "female", 50 + i),
                actor="kuaiji").value.version

        with ThreadPoolExecutor(4) as pool:
            list(pool.map(confirm, [(per_person if i % 2 else other, i) for i in range(4)]))
    finally:
        other.close()
    roll = per_person.register.member_roll(ORG)
    assert sorted(roll.members) == [f"{n:04d}" for n in range(1, 11)]
    register = per_person.register.share_register(ORG)
    assert {register.balance(f"member:{n:04d}", "population") for n in range(7, 11)} == {10}
    assert register.balance("org", "population") == 0
    assert register.totals()["population"] == 100


def rows(*, bad_id_on: int | None = None) -> list[RollRow]:
    made = []
    for i, person in enumerate(PEOPLE):
        number = person["id_number"]
        if i == bad_id_on:
            number = number[:-1] + ("1" if number[-1] != "1" else "2")
        made.append(RollRow(
            row=i + 2, household=person["household"], name=person["name"], sex=person["sex"],
            born=person["born"], confirmed_on=date(2025, 6, 1), basis="original",
            number=person["number"], head=person.get("head", False), id_number=number,
            resolution="成员决1号", resolution_date=date(2025, 6, 1),
            shares={"population": 10} if person.get("head") else {}))
    return made


def test_an_import_with_one_bad_row_writes_nothing_and_names_it(ledger: Ledger) -> None:
    ledger.books.register_organization(code=ORG, name_zh="东村", kind="village_collective",
                                       books_start=date(2025, 1, 1), actor="admin")
    ledger.register.define_share_class(ORG, code="population", name_zh="人口股", basis="per_person",
                                       per_person=10, actor="kuaiji")
    head = ledger.log_head()
    plan = Quantification(on=date(2025, 6, 30), resolution="股改决1号",
                          resolution_date=date(2025, 6, 28))
    with pytest.raises(ImportRejected) as error:
        ledger.register.import_roll(ORG, rows=rows(bad_id_on=4), quantification=plan,
                                    actor="kuaiji")
    assert error.value.context["rows"] == [
        {"row": 6, "column": "id_number",
         "reason": "校验码不对，有一位录错了 (the check digit is wrong: a digit was mistyped)"}]
    assert ledger.log_head() == head
    assert MemberRoll.id_for(ORG) not in ledger.repository
    checked = ledger.register.import_roll(ORG, rows=rows(), quantification=plan, check_only=True,
                                          actor="kuaiji")
    assert len(checked.members) == 6 and ledger.log_head() == head
    ledger.register.import_roll(ORG, rows=rows(), quantification=plan, actor="kuaiji")
    assert len(ledger.register.member_roll(ORG).members) == 6
    assert ledger.register.share_register(ORG).totals() == {"population": 30}
    with pytest.raises(ImportRejected) as error:  # the same people again, shares and all
        ledger.register.import_roll(ORG, rows=rows(), actor="kuaiji")
    problems = error.value.context["rows"]
    assert problems[0] == {"row": 0, "column": "quantified_on", "reason": (
        "shares are imported with the date and resolution of their quantification")}
    assert [(p["row"], p["column"]) for p in problems[1:]] == [
        (row, "id_number") for row in range(2, 8)]
    assert all("already on the roll" in p["reason"] for p in problems[1:])


def test_a_large_roll_is_read_back_from_its_snapshot_exactly_as_replayed(
        ledger: Ledger, storage: Storage, clock: Clock) -> None:
    ledger.books.register_organization(code=ORG, name_zh="东村", kind="village_collective",
                                       books_start=date(2025, 1, 1), actor="admin")
    ledger.register.define_share_class(ORG, code="population", name_zh="人口股", basis="per_person",
                                       per_person=10, actor="kuaiji")
    people = [RollRow(row=i + 2, household=f"{i // 3:03d}", name=f"成员{i}", sex="female",
                      born=date(1960, 1, 1 + i % 28), confirmed_on=date(2025, 6, 1),
                      basis="original", head=i % 3 == 0, resolution="决1号",
                      resolution_date=date(2025, 6, 1), shares={"population": 30}
                      if i % 3 == 0 else {}) for i in range(150)]
    ledger.register.import_roll(ORG, rows=people, actor="kuaiji", quantification=Quantification(
        on=date(2025, 6, 30), resolution="股改决1号", resolution_date=date(2025, 6, 28)))
    ledger.register.end_membership(ORG, "0004", on=date(2026, 1, 5), basis="death", actor="kuaiji")
    # The roll passed 100 events and was snapshotted; the register is short, so it is
    # snapshotted by hand to prove its records survive the round trip too.
    ledger.take_snapshot(ShareRegister.id_for(ORG))
    fresh = open_ledger(storage, clock=clock, cipher=ledger.cipher)
    try:
        for aggregate_id in (MemberRoll.id_for(ORG), ShareRegister.id_for(ORG)):
            assert list(fresh.snapshots.get(aggregate_id)), "no snapshot was taken"
            replayed = None
            for event in fresh.events.get(aggregate_id):
                replayed = event.mutate(replayed)
            from_snapshot = fresh.repository.get(aggregate_id)
            assert public_state(from_snapshot) == public_state(replayed)
    finally:
        fresh.close()


def public_state(aggregate: object) -> dict[str, object]:
    """Lists and tuples alike, as a snapshot's JSON gives lists back."""
    def plain(value: object) -> object:
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [plain(v) for v in value]
        if hasattr(value, "__dataclass_fields__"):
            return plain(vars(value))
        return value
    return {k: plain(v) for k, v in vars(aggregate).items() if not k.startswith("_")}
