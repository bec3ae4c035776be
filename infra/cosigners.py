"""The keys supervisors (监委会) co-sign checkpoints with: one Ed25519 key per supervisor, made by
the product the first time they co-sign and kept in the data folder (`cosigners/<login>.key`,
readable by its owner only), like the centre's key; back it up with the data.

Honest limit, said wherever it is shown: the server keeps the private key for the supervisor, so
a co-signature proves that this supervisor, signed in at the desk, vouched for this chain head;
it does not make the history independent of whoever holds the server's data folder. (The
alternative, a key only the supervisor holds, needs them to sign offline: not for this step.)
"""

from __future__ import annotations

import re

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from infra.keys import kept_key
from infra.signing import key_entry, new_private_hex, private_key_from_hex, public_bytes
from infra.storage import Storage

FOLDER = "cosigners"
LOGIN = re.compile(r"[A-Za-z0-9_.-]{1,64}")


def owner(login: str) -> str:
    return f"supervisor:{login}"


def cosigner_key(storage: Storage, login: str) -> Ed25519PrivateKey:
    """The supervisor's key, made on first use."""
    if not LOGIN.fullmatch(login) or login.startswith("."):
        raise ValueError(f"no key file can be named for login {login!r}")
    text = kept_key(storage.data_dir / FOLDER / f"{login}.key", new_private_hex,
                    "restore it from a backup: the supervisor's co-signatures were made with it")
    return private_key_from_hex(text)


def cosigner_keys(storage: Storage) -> dict[str, dict[str, str]]:
    """Every supervisor's public key as /.well-known/sunlight-keys.json lists keys, by id."""
    folder = storage.data_dir / FOLDER
    found = {}
    for path in sorted(folder.glob("*.key")) if folder.is_dir() else []:
        text = path.read_text().strip()
        if text:
            entry = key_entry(public_bytes(private_key_from_hex(text)), owner=owner(path.stem))
            found[entry["id"]] = entry
    return found
