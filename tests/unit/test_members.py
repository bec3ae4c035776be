"""The member roll: who is confirmed, on what basis, and what never ends membership."""

from __future__ import annotations

from datetime import date

import pytest

from ledger.application import Ledger
from ledger.kernel.personal import id_number_problem
from ledger.register import (
    HouseholdNotFound,
    InvalidMember,
    MemberRoll,
    MembershipNotEnded,
    MemberStateError,
    changed_details,
)
from tests.registers import ORG, PEOPLE, confirm_people, id_number

BORN = date(2026, 2, 1)


@pytest.fixture
def roll_village(village: Ledger) -> Ledger:
    """The unit fixture `village` registers v1, the organization of tests/registers.py."""
    assert ORG == "v1"
    confirm_people(village)
    return village


def test_a_birth_is_confirmed_without_a_resolution_and_numbered_next(roll_village):
    roll_village.register.confirm_member(ORG, name="张小宝", sex="male", born=BORN, household="001",
                                         on=date(2026, 2, 10), basis="birth", actor="kuaiji")
    roll = roll_village.register.member_roll(ORG)
    assert roll.members["0007"].household == "001"
    assert roll.members["0007"].basis == "birth"
    assert roll.active_in("001", date(2026, 2, 10)) == ["0001", "0002", "0003", "0007"]
    assert roll.active_in("001", date(2026, 2, 9)) == ["0001", "0002", "0003"]


@pytest.mark.parametrize("basis", ["marriage_in", "adoption", "policy_migration", "original"])
def test_every_other_confirmation_rests_on_a_members_meeting_resolution(roll_village, basis):
    with pytest.raises(InvalidMember) as error:
        roll_village.register.confirm_member(ORG, name="陈芳", sex="female", born=date(1998, 4, 4),
                                             household="002", on=date(2026, 3, 1), basis=basis,
                                             actor="kuaiji")
    assert error.value.field == "resolution"
    with pytest.raises(InvalidMember) as error:
        roll_village.register.confirm_member(ORG, name="陈芳", sex="female", born=date(1998, 4, 4),
                                             household="002", on=date(2026, 3, 1), basis=basis,
                                             resolution="成员决〔2026〕2号", actor="kuaiji")
    assert error.value.field == "resolution_date"


@pytest.mark.parametrize("reason", ["study", "military_service", "migrant_work", "divorce",
                                    "imprisonment"])
def test_the_reasons_the_law_says_do_not_end_membership_are_refused_with_the_law(
        roll_village, reason):
    with pytest.raises(MembershipNotEnded) as error:
        roll_village.register.end_membership(ORG, "0003", on=date(2026, 3, 1), basis=reason,
                                             actor="kuaiji")
    assert error.value.field == "basis"
    assert "第十八条" in error.value.message and "does not end membership" in error.value.message
    assert roll_village.register.member_roll(ORG).members["0003"].ended_on is None


@pytest.mark.parametrize("basis", ["death", "lost_nationality", "joined_other_collective",
                                   "civil_servant"])
def test_membership_ends_for_the_laws_reasons(roll_village, basis):
    roll_village.register.end_membership(ORG, "0003", on=date(2026, 3, 1), basis=basis,
                                         actor="kuaiji")
    person = roll_village.register.member_roll(ORG).members["0003"]
    assert (person.ended_on, person.ended_basis) == (date(2026, 3, 1), basis)
    assert not person.active_on(date(2026, 3, 1)) and person.active_on(date(2026, 2, 28))


def test_a_voluntary_exit_needs_the_written_application_and_ends_once(roll_village):
    with pytest.raises(InvalidMember) as error:
        roll_village.register.end_membership(ORG, "0003", on=date(2026, 3, 1),
                                             basis="voluntary_exit",
                                             actor="kuaiji")
    assert error.value.field == "document"
    roll_village.register.end_membership(ORG, "0003", on=date(2026, 3, 1), basis="voluntary_exit",
                                         document="书面退出申请 2026-02-20", actor="kuaiji")
    with pytest.raises(MemberStateError):
        roll_village.register.end_membership(ORG, "0003", on=date(2026, 4, 1), basis="death",
                                             actor="kuaiji")


def test_a_cooperatives_basis_is_not_a_villages(roll_village):
    with pytest.raises(InvalidMember) as error:
        roll_village.register.confirm_member(ORG, name="陈芳", sex="female", born=date(1998, 4, 4),
                                             household="002", on=date(2026, 3, 1), basis="admitted",
                                             actor="kuaiji")
    assert error.value.field == "basis"
    with pytest.raises(InvalidMember):
        roll_village.register.end_membership(ORG, "0003", on=date(2026, 3, 1), basis="expelled",
                                             actor="kuaiji")


def test_a_member_belongs_to_a_registered_household(roll_village):
    with pytest.raises(HouseholdNotFound) as error:
        roll_village.register.confirm_member(ORG, name="陈芳", sex="female", born=date(1998, 4, 4),
                                             household="009", on=date(2026, 3, 1), basis="birth",
                                             actor="kuaiji")
    assert error.value.field == "household"
    with pytest.raises(MemberStateError):
        roll_village.register.register_household(ORG, number="001", on=date(2026, 1, 1),
                                                 actor="kuaiji")


def test_moving_household_keeps_the_history_and_the_head(roll_village):
    roll_village.register.register_household(ORG, number="004", on=date(2026, 5, 1), actor="kuaiji")
    roll_village.register.move_member(ORG, "0003", household="004", on=date(2026, 5, 1),
                                      reason="分户", head=True, actor="kuaiji")
    roll = roll_village.register.member_roll(ORG)
    person = roll.members["0003"]
    assert person.household_on(date(2026, 4, 30)) == "001"
    assert person.household_on(date(2026, 5, 1)) == "004"
    assert roll.households["004"].head == "0003"
    roll_village.register.end_membership(ORG, "0001", on=date(2026, 6, 1), basis="death",
                                         actor="kuaiji")
    assert roll_village.register.member_roll(ORG).households["001"].head == ""
    roll_village.register.change_household_head(ORG, "001", head="0002", on=date(2026, 6, 5),
                                                actor="kuaiji")
    assert roll_village.register.member_roll(ORG).households["001"].head == "0002"
    with pytest.raises(MemberStateError):
        roll_village.register.change_household_head(ORG, "001", head="0001", on=date(2026, 6, 5),
                                                    actor="kuaiji")


def test_an_id_number_is_checked_and_is_never_on_the_roll_twice(roll_village):
    kwargs = {"name": "陈芳", "sex": "female", "born": date(1998, 4, 4), "household": "002",
              "on": date(2026, 3, 1), "basis": "birth", "actor": "kuaiji"}
    good = id_number(date(1998, 4, 4), "female", 31)
    with pytest.raises(InvalidMember) as error:
        roll_village.register.confirm_member(ORG, id_number=good[:-1] + ("0" if good[-1] != "0"
                                                                else "1"), **kwargs)
    assert error.value.field == "id_number" and "check digit" in error.value.message
    with pytest.raises(MemberStateError) as error:
        roll_village.register.confirm_member(ORG, id_number=PEOPLE[0]["id_number"],
                                             **{**kwargs, "born": PEOPLE[0]["born"], "sex": "male"})
    assert "member 0001" in error.value.message
    roll_village.register.confirm_member(ORG, id_number=good, phone="13900003333", **kwargs)
    person = roll_village.register.member_roll(ORG).members["0007"]
    assert person.id_masked == good[:4] + "*" * 10 + good[-4:]
    assert person.phone_masked == "139****3333"
    assert good not in person.id_sealed and roll_village.cipher.unseal(person.id_sealed) == good


def test_the_roll_never_holds_a_number_in_the_clear(roll_village):
    stored = repr([vars(e) for e in roll_village.repository.event_store.get(
        MemberRoll.id_for(ORG))])
    for person in PEOPLE:
        assert person["id_number"] not in stored
        if "phone" in person:
            assert person["phone"] not in stored


def test_an_id_number_disagreeing_with_the_birth_date_or_sex_is_a_typing_error():
    number = id_number(date(1990, 1, 15), "male", 3)
    assert id_number_problem(number, born=date(1990, 1, 15), sex="male") == ""
    assert "born 1990-01-15" in id_number_problem(number, born=date(1990, 1, 16))
    assert "sex" in id_number_problem(number, sex="female")
    assert "18 characters" in id_number_problem("12345")


def test_a_correction_is_an_event_and_rechecks_the_id(roll_village):
    right = id_number(date(1990, 1, 15), "male", 41)
    roll_village.register.correct_member(ORG, "0003", id_number=right, reason="身份证号录错",
                                         actor="kuaiji")
    person = roll_village.register.member_roll(ORG).members["0003"]
    assert roll_village.cipher.unseal(person.id_sealed) == right
    roll_village.register.confirm_member(ORG, name="张小明", sex="male", born=date(1990, 1, 15),
                                         household="002", on=date(2026, 3, 1), basis="birth",
                                         actor="kuaiji")
    with pytest.raises(MemberStateError):
        roll_village.register.correct_member(ORG, "0007", id_number=right, reason="同一人录入两次",
                                             actor="kuaiji")


def test_a_corrected_birth_date_or_sex_must_still_agree_with_the_id_on_the_roll(roll_village):
    with pytest.raises(InvalidMember) as error:
        roll_village.register.correct_member(ORG, "0003", sex="female", reason="性别录错",
                                             actor="kuaiji")
    assert error.value.field == "sex"
    with pytest.raises(InvalidMember) as error:
        roll_village.register.correct_member(ORG, "0003", born=date(1990, 1, 16), reason="生日录错",
                                             actor="kuaiji")
    assert error.value.field == "born"
    roll_village.register.correct_member(ORG, "0003", name="张晓明", reason="名字录错",
                                         actor="kuaiji")
    assert roll_village.register.member_roll(ORG).members["0003"].name == "张晓明"


def test_a_correction_as_typed_changes_only_the_details_that_differ(roll_village):
    """Given the roll's 0001 and a form sent back with every detail as the roll has it but the
    name (the ID typed in lower case, the phone left blank), then only the name changes."""
    person = roll_village.register.member_roll(ORG).member("0001")
    as_on_roll = PEOPLE[0]["id_number"]
    typed = {"name": "张大山 ", "sex": "male", "born": date(1960, 3, 8),
             "id_number": as_on_roll.lower(), "phone": ""}
    assert changed_details(person, **typed, opened=roll_village.cipher.unseal) == {}
    assert changed_details(person, **{**typed, "name": "张大善"},
                           opened=roll_village.cipher.unseal) == {"name": "张大善"}
    # A sealed number that cannot be opened is taken as different: the ledger is asked.
    assert changed_details(person, **typed, opened=lambda _sealed: None) == {
        "id_number": as_on_roll.upper()}
    with pytest.raises(InvalidMember) as error:
        roll_village.register.correct_member_as_typed(ORG, "0001", reason="核对无误",
                                                      actor="kuaiji", **typed)
    assert error.value.field == "changes"
    roll_village.register.correct_member_as_typed(ORG, "0001", reason="户口簿为张大善",
                                                  actor="kuaiji", **{**typed, "name": "张大善"})
    corrected = roll_village.register.member_roll(ORG).member("0001")
    assert (corrected.name, corrected.id_sealed) == ("张大善", person.id_sealed)


def test_a_member_is_made_head_of_the_household_the_roll_has_them_in(roll_village):
    roll_village.register.make_household_head(ORG, "0005", on=date(2026, 3, 1), actor="kuaiji")
    roll = roll_village.register.member_roll(ORG)
    assert roll.household("002").head == "0005"
