"""The keys kept beside the data: the one that signs session cookies and the one that seals
personal data. Each comes from its variable, or is made once and kept in the data folder
(readable by its owner only), so that every worker and every restart shares it."""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Callable
from pathlib import Path

from infra.storage import Storage
from ledger.kernel.personal import KEY_VARIABLE, PersonalDataCipher, new_key

VARIABLE = "SUNLIGHT_SECRET_KEY"


def kept_key(path: Path, make: Callable[[], str], if_empty: str) -> str:
    """The key in `path`, written there by whichever process asks first."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL: of several workers starting at once, one writes and the others read.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for _ in range(50):  # another process may be between creating and writing it
            if key := path.read_text().strip():
                return key
            time.sleep(0.02)
        raise RuntimeError(f"{path} is empty; {if_empty}") from None
    with os.fdopen(descriptor, "w") as file:
        key = make()
        file.write(key)
    return key


def session_key(storage: Storage) -> str:
    if os.environ.get(VARIABLE):
        return os.environ[VARIABLE]
    return kept_key(storage.data_dir / "session.key", lambda: secrets.token_urlsafe(48),
                    "delete it to make a new session key")


def personal_data_cipher(storage: Storage) -> PersonalDataCipher:
    """From SUNLIGHT_PERSONAL_DATA_KEY, or a key made once and kept in the data folder beside the
    session key: back it up with the database, or the phone numbers it sealed are lost."""
    if os.environ.get(KEY_VARIABLE):
        return PersonalDataCipher.from_environ()
    key = kept_key(storage.data_dir / "personal-data.key", new_key, "restore it from a backup")
    return PersonalDataCipher.from_environ({KEY_VARIABLE: key})
