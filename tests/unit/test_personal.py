"""Personal data sealed with a key from the environment, and masked for roles that do not need
the whole number."""

from __future__ import annotations

import pytest

from ledger.kernel.personal import (
    KEY_VARIABLE,
    PersonalDataCipher,
    PersonalDataKeyError,
    SealedDataError,
    mask_id_number,
    mask_phone,
    may_see,
    new_key,
)

ID_NUMBER = "330102199001011234"


def cipher(*keys: str) -> PersonalDataCipher:
    return PersonalDataCipher.from_environ({KEY_VARIABLE: ",".join(keys)})


def test_a_sealed_number_opens_only_with_its_key_and_shows_nothing_of_it():
    key = new_key()
    sealed = cipher(key).seal(ID_NUMBER)
    assert ID_NUMBER not in sealed and "19900101" not in sealed
    assert cipher(key).unseal(sealed) == ID_NUMBER
    with pytest.raises(SealedDataError):
        cipher(new_key()).unseal(sealed)


def test_sealing_twice_gives_different_text():
    box = cipher(new_key())
    assert box.seal(ID_NUMBER) != box.seal(ID_NUMBER)


def test_an_altered_sealed_value_is_detected():
    box = cipher(new_key())
    prefix, kid, body = box.seal(ID_NUMBER).split(":")
    flipped = body[:-2] + ("A" if body[-2] != "A" else "B") + body[-1]
    with pytest.raises(SealedDataError):
        box.unseal(f"{prefix}:{kid}:{flipped}")


def test_after_a_key_change_old_values_still_open():
    old, new = new_key(), new_key()
    sealed_before = cipher(old).seal(ID_NUMBER)
    rotated = cipher(new, old)  # the current key first
    assert rotated.unseal(sealed_before) == ID_NUMBER
    assert rotated.seal(ID_NUMBER).split(":")[1] != sealed_before.split(":")[1]


@pytest.mark.parametrize("value", ["", "not base64 !", "c2hvcnQ="])
def test_a_missing_or_bad_key_is_refused(value):
    with pytest.raises(PersonalDataKeyError):
        cipher(value)


def test_numbers_are_masked_as_on_printed_lists():
    assert mask_id_number(ID_NUMBER) == "3301**********1234"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_id_number("1234") == "****"


def test_only_those_who_keep_or_audit_the_register_see_whole_numbers():
    assert may_see({"accountant"}) and may_see({"committee", "auditor"})
    assert not may_see({"committee", "supervisor"}) and not may_see(set())
