"""The centre's Ed25519 signing key, kept beside the data like the other keys, and the form every
signature in the product takes: the raw 32-byte public key, its fingerprint (the first 16 hex
digits of its SHA-256, printed on noticeboard sheets), and signatures over canonical JSON bytes.

A key comes from SUNLIGHT_SIGNING_KEY (the raw private key, 64 hex digits) or is made once and
kept in the data folder as `signing.key`, readable by its owner only: back it up with the data.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from infra.keys import kept_key
from infra.storage import Storage

VARIABLE = "SUNLIGHT_SIGNING_KEY"
ALGORITHM = "Ed25519"


def canonical(payload: dict[str, Any]) -> bytes:
    """The bytes a signature covers: JSON, keys sorted, no spaces, UTF-8 (not ASCII-escaped)."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8")


def new_private_hex() -> str:
    raw = Ed25519PrivateKey.generate().private_bytes(Encoding.Raw, PrivateFormat.Raw,
                                                     NoEncryption())
    return raw.hex()


def private_key_from_hex(text: str) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(bytes.fromhex(text.strip()))


def centre_key(storage: Storage) -> Ed25519PrivateKey:
    """The centre's key: from its variable, or made once in the data folder."""
    text = os.environ.get(VARIABLE) or kept_key(
        storage.data_dir / "signing.key", new_private_hex,
        "restore it from a backup: every signed checkpoint was made with it")
    return private_key_from_hex(text)


def public_bytes(key: Ed25519PrivateKey | Ed25519PublicKey) -> bytes:
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return public.public_bytes(Encoding.Raw, PublicFormat.Raw)


def fingerprint(public: bytes) -> str:
    """The short form a person compares with the one printed on the sheet: 16 hex digits."""
    return hashlib.sha256(public).hexdigest()[:16]


def sign(key: Ed25519PrivateKey, payload: dict[str, Any], *, signer: str) -> dict[str, str]:
    """One entry of a signature list: who signed, with which key, and the signature."""
    return {"signer": signer, "key": fingerprint(public_bytes(key)),
            "signature": base64.b64encode(key.sign(canonical(payload))).decode("ascii")}


def verify(public: bytes, payload: dict[str, Any], signature: dict[str, str]) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(
            base64.b64decode(signature["signature"]), canonical(payload))
    except Exception:  # any malformed or wrong signature is simply not valid
        return False
    return True


def key_entry(public: bytes, *, owner: str) -> dict[str, str]:
    """A key as /.well-known/sunlight-keys.json lists it."""
    return {"id": fingerprint(public), "algorithm": ALGORITHM, "owner": owner,
            "public_key": base64.b64encode(public).decode("ascii")}
