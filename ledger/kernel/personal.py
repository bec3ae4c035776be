"""Personal data (members' ID-card and phone numbers) is sealed before it enters an event, with a
key from the environment, so neither the event store nor any read model holds it in the clear.
It is shown whole only to the roles that keep or audit the register, and masked for everyone else.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
from collections.abc import Collection, Mapping
from datetime import date

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEY_VARIABLE = "SUNLIGHT_PERSONAL_DATA_KEY"
SEALED_PREFIX = "pd1"
# Who needs the whole number: the accountant keeps the register, the auditor checks it.
SEES_PERSONAL_DATA = frozenset({"accountant", "auditor"})


class PersonalDataKeyError(RuntimeError):
    """The key is missing or is not 32 bytes of base64."""


class SealedDataError(ValueError):
    """A sealed value was altered, or was sealed with another key."""


class PersonalDataCipher:
    """AES-256-GCM; a sealed value names the key it was sealed with, so keys can be rotated."""

    def __init__(self, keys: Mapping[str, bytes], current: str) -> None:
        self._keys = dict(keys)
        self._current = current

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> PersonalDataCipher:
        """The current key first; older ones after it, comma-separated, still open old values."""
        text = (os.environ if environ is None else environ).get(KEY_VARIABLE, "")
        if not text:
            raise PersonalDataKeyError(
                f"{KEY_VARIABLE} is not set; make one with `sunlight keys personal-data`")
        keys = {}
        for part in text.split(","):
            try:
                key = base64.urlsafe_b64decode(part.strip())
            except (binascii.Error, ValueError):
                raise PersonalDataKeyError(f"{KEY_VARIABLE} is not base64") from None
            if len(key) != 32:
                raise PersonalDataKeyError(f"{KEY_VARIABLE} must be 32 bytes")
            keys[key_id(key)] = key
        return cls(keys, current=next(iter(keys)))

    def seal(self, plaintext: str) -> str:
        nonce = os.urandom(12)
        sealed = AESGCM(self._keys[self._current]).encrypt(
            nonce, plaintext.encode(), SEALED_PREFIX.encode())
        body = base64.urlsafe_b64encode(nonce + sealed).decode()
        return f"{SEALED_PREFIX}:{self._current}:{body}"

    def unseal(self, sealed: str) -> str:
        try:
            prefix, kid, body = sealed.split(":", 2)
            raw = base64.urlsafe_b64decode(body)
            key = self._keys[kid]
        except (ValueError, KeyError, binascii.Error):
            raise SealedDataError("not a value sealed with a known key") from None
        if prefix != SEALED_PREFIX:
            raise SealedDataError("not a sealed value")
        try:
            return AESGCM(key).decrypt(raw[:12], raw[12:], SEALED_PREFIX.encode()).decode()
        except InvalidTag:
            raise SealedDataError("the sealed value was altered") from None


def key_id(key: bytes) -> str:
    return hashlib.sha256(key).hexdigest()[:8]


def new_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def mask_id_number(number: str) -> str:
    """3301**********1234: the region and the last four digits, as on printed lists."""
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def mask_phone(number: str) -> str:
    """138****5678."""
    if len(number) <= 7:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


def may_see(roles: Collection[str]) -> bool:
    return bool(SEES_PERSONAL_DATA & set(roles))


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_SHAPE = re.compile(r"[1-9][0-9]{16}[0-9X]")
PHONE = re.compile(r"\+?[0-9][0-9 -]{5,18}[0-9]")


def id_check_digit(first17: str) -> str:
    """The 18th character of a resident ID number (ISO 7064 MOD 11-2)."""
    return _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def id_number_problem(number: str, *, born: date | None = None, sex: str = "") -> str:
    """Why an 18-digit resident ID number (GB 11643) is wrong, Chinese first for the accountant
    who must correct the sheet, or "" when it is right.

    The birth date and the sex are written into the number; a register whose ID disagrees with
    the person's own record is the usual sign of a typing error or of a padded list.
    """
    if not _ID_SHAPE.fullmatch(number):
        return "应为18位：17位数字加末位数字或X (18 characters: 17 digits and a final digit or X)"
    if id_check_digit(number[:17]) != number[17]:
        return "校验码不对，有一位录错了 (the check digit is wrong: a digit was mistyped)"
    try:
        written = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return "号码中的出生日期不是有效日期 (the birth date inside the number is not a date)"
    if born is not None and written != born:
        return (f"号码中的出生日期是{written.isoformat()}，与填写的{born.isoformat()}不符 "
                f"(the number says born {written.isoformat()}, the row says {born.isoformat()})")
    if sex and sex != ("male" if int(number[16]) % 2 else "female"):
        return ("号码中的性别位与填写的性别不符 "
                "(the number's sex digit disagrees with the sex given)")
    return ""
