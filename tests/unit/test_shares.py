"""The share register: quantified once, then only moved, never created or destroyed; frozen per
household (增人不增股、减人不减股) or following each person, as the organization's rules say."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger.application import Ledger
from ledger.kernel.errors import LedgerError
from ledger.register import KINDS, InvalidShares, ShareCapExceeded, ShareRegister, SharesStateError
from tests.conftest import Clock, make_cipher
from tests.registers import ORG, QUANTIFIED, village_with_shares

BIRTH = date(2026, 2, 10)


def fresh(holding: str = "household", **settings: object) -> Ledger:
    app = Ledger(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock=Clock(),
                 cipher=make_cipher())
    village_with_shares(app, holding, **settings)
    return app


def snapshot(register: ShareRegister) -> dict[tuple[str, str], int]:
    return {(holder, code): register.balance(holder, code)
            for holder, by_class in register.entries.items() for code in by_class}


def birth_death_and_marriage_out(app: Ledger) -> None:
    app.register.confirm_member(ORG, name="张小宝", sex="male", born=date(2026, 2, 1),
                                household="001",
                                on=BIRTH, basis="birth", actor="kuaiji")
    app.register.end_membership(ORG, "0004", on=date(2026, 3, 1), basis="death",
                                document="死亡证明",
                                actor="kuaiji")
    app.register.end_membership(ORG, "0002", on=date(2026, 4, 1), basis="joined_other_collective",
                                document="西村成员确认书", actor="kuaiji")


def test_a_household_held_register_is_frozen_through_a_birth_a_death_and_a_marriage_out():
    app = fresh("household")
    before = snapshot(app.register.share_register(ORG))
    birth_death_and_marriage_out(app)
    register = app.register.share_register(ORG)
    assert snapshot(register) == before
    assert [type(e).__qualname__ for e in app.repository.event_store.get(register.id)][-1] \
        == "ShareRegister.Quantified"
    assert register.holdings("household:001") == {"population": 30, "labour": 55}


def test_a_per_person_register_gives_the_newborn_its_shares_and_takes_back_at_the_end():
    app = fresh("person")
    birth_death_and_marriage_out(app)
    register = app.register.share_register(ORG)
    assert register.holdings("member:0007") == {"population": 10}  # from the reserve
    assert register.balance("member:0004", "population") == 0  # returned at death
    assert register.balance("member:0004", "labour") == 35  # earned; waits for the heirs
    assert register.balance("member:0002", "population") == 0
    assert register.balance("org", "population") == 40 - 10 + 10 + 10
    assert register.totals() == {"population": 100, "labour": 65, "collective": 60}
    kinds = [(e.kind, e.source, e.target, e.on) for e in app.repository.event_store.get(
        register.id) if isinstance(e, ShareRegister.Moved)]
    assert kinds == [("allocation", "org", "member:0007", BIRTH),
                     ("return", "member:0004", "org", date(2026, 3, 1)),
                     ("return", "member:0002", "org", date(2026, 4, 1))]


def test_a_per_person_register_refuses_a_member_the_reserve_cannot_cover_and_writes_nothing():
    app = fresh("person")
    for i in range(4):
        app.register.confirm_member(ORG, name=f"新生{i}", sex="female", born=date(2026, 1, 1),
                                    household="003", on=BIRTH, basis="birth", actor="kuaiji")
    head = app.log_head()
    with pytest.raises(SharesStateError) as error:
        app.register.confirm_member(ORG, name="新生5", sex="female", born=date(2026, 1, 1),
                                    household="003", on=BIRTH, basis="birth", actor="kuaiji")
    assert "holds 0" in error.value.message
    assert "0011" not in app.register.member_roll(ORG).members
    assert app.log_head() == head


def test_the_register_at_a_past_date_is_exact_after_later_and_backdated_movements():
    app = fresh("household")
    app.register.move_shares(ORG, kind="transfer", on=date(2026, 5, 1), source="household:002",
                             target="household:003", share_class="labour", quantity=20,
                             basis="转让协议",
                             actor="kuaiji")
    app.register.move_shares(ORG, kind="transfer", on=date(2026, 3, 1), source="household:001",
                             target="household:003", share_class="labour", quantity=5, basis="赠与",
                             actor="kuaiji")
    register = app.register.share_register(ORG)
    assert register.balance("household:003", "labour", date(2026, 2, 28)) == 25
    assert register.balance("household:003", "labour", date(2026, 3, 1)) == 30
    assert register.balance("household:003", "labour", date(2026, 5, 1)) == 50
    assert register.balance("household:003", "labour", QUANTIFIED - timedelta(days=1)) == 0


def test_a_backdated_movement_may_not_leave_a_later_day_below_zero():
    app = fresh("household")
    app.register.move_shares(ORG, kind="transfer", on=date(2026, 5, 1), source="household:003",
                             target="household:002", share_class="labour", quantity=25,
                             basis="转让",
                             actor="kuaiji")
    with pytest.raises(SharesStateError) as error:
        app.register.move_shares(ORG, kind="transfer", on=date(2026, 3, 1), source="household:003",
                                 target="household:001", share_class="labour", quantity=1,
                                 basis="转让",
                                 actor="kuaiji")
    assert error.value.field == "quantity"


def test_transfers_stay_inside_unless_the_rules_say_otherwise():
    app = fresh("household")
    move = {"kind": "transfer", "on": date(2026, 5, 1), "source": "household:002",
            "target": "outside", "target_name": "外村李四", "share_class": "labour",
            "quantity": 5, "basis": "转让协议", "actor": "kuaiji"}
    with pytest.raises(SharesStateError):
        app.register.move_shares(ORG, **move)
    app.books.change_settings(ORG, {"share_transfer": "outside"}, reason="章程修改", actor="admin")
    app.register.move_shares(ORG, **move)
    assert app.register.share_register(ORG).outside_names == {"outside:1": "外村李四"}


def test_an_outside_heir_gets_income_rights_only_when_the_rules_allow_it():
    app = fresh("household")
    for number in ("0006",):
        app.register.end_membership(ORG, number, on=date(2026, 3, 1), basis="death", actor="kuaiji")
    inherit = {"kind": "inheritance", "on": date(2026, 4, 1), "source": "household:003",
               "target": "outside", "target_name": "刘志强之女", "share_class": "labour",
               "quantity": 25, "basis": "继承公证书", "actor": "kuaiji"}
    with pytest.raises(SharesStateError):  # household 002 still has members
        app.register.move_shares(ORG, **{**inherit, "source": "household:002"})
    app.books.change_settings(ORG, {"share_outside_heirs": "refuse"}, reason="章程", actor="admin")
    with pytest.raises(SharesStateError):
        app.register.move_shares(ORG, **inherit)
    app.books.change_settings(ORG, {"share_outside_heirs": "income_only"}, reason="章程",
                              actor="admin")
    app.register.move_shares(ORG, **inherit)
    assert app.register.share_register(ORG).balance("outside:1", "labour") == 25


def test_a_holders_cap_is_enforced_when_set():
    app = fresh("household", share_holder_cap_percent=30)
    with pytest.raises(ShareCapExceeded) as error:
        app.register.move_shares(ORG, kind="transfer", on=date(2026, 5, 1), source="household:003",
                                 target="household:002", share_class="labour", quantity=25,
                                 basis="转让", actor="kuaiji")
    assert "at most 30%" in error.value.message


def test_the_collective_share_is_capped_and_stays_with_the_organization():
    app = Ledger(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock=Clock(),
                 cipher=make_cipher())
    with pytest.raises(ShareCapExceeded):
        village_with_shares_capped(app)
    app2 = fresh("household")
    with pytest.raises(SharesStateError):
        app2.register.move_shares(ORG, kind="allocation", on=date(2026, 5, 1), source="org",
                                  target="household:001", share_class="collective", quantity=1,
                                  basis="", actor="kuaiji")


def village_with_shares_capped(app: Ledger) -> None:
    from tests.registers import confirm_people, define_classes
    app.books.register_organization(code=ORG, name_zh="东村", kind="village_collective",
                                    books_start=date(2025, 1, 1), actor="admin")
    confirm_people(app)
    define_classes(app)
    app.register.quantify_shares(ORG, on=QUANTIFIED, resolution="决", resolution_date=QUANTIFIED,
                                 allocations=[{"holder": "household:001",
                                               "share_class": "population",
                                      "quantity": 60},
                                     {"holder": "org", "share_class": "collective",
                                      "quantity": 40}], actor="kuaiji")


def test_quantified_once_with_its_resolution():
    app = fresh("household")
    with pytest.raises(SharesStateError):
        app.register.quantify_shares(ORG, on=date(2026, 1, 1), allocations=[
            {"holder": "org", "share_class": "population", "quantity": 1}],
            resolution="x", resolution_date=date(2026, 1, 1), actor="kuaiji")
    with pytest.raises(SharesStateError):
        app.register.define_share_class(ORG, code="extra", name_zh="扩股", basis="other", actor="k")


INSIDE = ["household:001", "household:002", "household:003"]


@st.composite
def movement(draw: st.DrawFn) -> dict[str, object]:
    """Mostly well-aimed movements, so that many succeed, and some that break a rule."""
    kind = draw(st.sampled_from([*KINDS, "transfer", "transfer", "inheritance"]))
    holders = ["org", *INSIDE, *INSIDE, *INSIDE, "outside:1", "outside", "household:009"]
    source = "org" if kind == "allocation" else draw(st.sampled_from(holders))
    target = "org" if kind in ("buy_back", "return") else draw(st.sampled_from(holders))
    return {"kind": kind, "source": source, "target": target,
            "share_class": draw(st.sampled_from(
                ["population", "labour", "population", "labour", "collective", "x"])),
            "quantity": draw(st.one_of(st.integers(min_value=1, max_value=12),
                                       st.integers(min_value=-1, max_value=40))),
            "on": QUANTIFIED + timedelta(days=draw(st.integers(min_value=-5, max_value=400)))}


@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(movement(), max_size=30), st.sampled_from(["household", "person"]))
def test_no_movement_creates_or_destroys_a_share_nor_leaves_a_holder_below_zero(moves,
                                                                               holding):
    app = fresh(holding, share_transfer="outside")
    # An estate to inherit from, in either kind of register.
    app.register.end_membership(ORG, "0006", on=QUANTIFIED + timedelta(days=30), basis="death",
                                actor="kuaiji")
    totals = app.register.share_register(ORG).totals()
    moved = 0
    for move in moves:
        if holding == "person":
            move = {k: v.replace("household:00", "member:000") if isinstance(v, str) else v
                    for k, v in move.items()}
        try:
            app.register.move_shares(ORG, basis="依据", target_name="外人", actor="k", **move)
            moved += 1
        except LedgerError:
            pass
        register = app.register.share_register(ORG)
        assert register.totals() == totals
        for holder, by_class in register.entries.items():
            for code, entries in by_class.items():
                for day in {d for d, _ in entries}:
                    assert register.balance(holder, code, day) >= 0, (holder, code, day)
    MOVED.append((moved, len(moves)))


MOVED: list[tuple[int, int]] = []


def test_the_property_test_above_moved_shares_often():
    """Guards the strength of the property test: most of its examples must move something."""
    if not MOVED:
        pytest.skip("runs after the property test")
    moved, tried = (sum(column) for column in zip(*MOVED, strict=True))
    print(f"moved {moved} of {tried}")
    assert moved > tried / 10, (moved, tried)


def test_every_movement_kind_is_checked_against_its_direction():
    app = fresh("household")
    with pytest.raises(InvalidShares):
        app.register.move_shares(ORG, kind="buy_back", on=date(2026, 5, 1), source="household:001",
                                 target="household:002", share_class="labour", quantity=1,
                                 basis="回购", actor="k")
    with pytest.raises(InvalidShares):
        app.register.move_shares(ORG, kind="allocation", on=date(2026, 5, 1),
                                 source="household:001",
                                 target="household:002", share_class="labour", quantity=1, basis="",
                                 actor="k")
    app.register.move_shares(ORG, kind="buy_back", on=date(2026, 5, 1), source="household:001",
                             target="org", share_class="labour", quantity=5, basis="回购协议",
                             price=500_000, actor="k")
    assert app.register.share_register(ORG).balance("org", "labour") == 5
