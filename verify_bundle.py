#!/usr/bin/env python3
"""Check a Sunlight Ledger (阳光账本) disclosure bundle offline, without trusting its server:
`python verify_bundle.py BUNDLE [--fingerprint HEX] [--receipt FILE]` checks the content's SHA-256
(the sheet's digest), the Merkle root, the stored publication re-hashed into the signed chain head,
every signature, the sheet's key fingerprint, a receipt's line and path. Exit 0 "OK …" or 1 and the
first fault. Standard library only, plus `cryptography` for Ed25519, which the standard library
lacks (pip install cryptography). The formats: docs/verification.md.
"""
import argparse
import base64
import hashlib
import json
import uuid
from pathlib import Path
from typing import Any

CANONICAL = {"ensure_ascii": False, "sort_keys": True, "separators": (",", ":")}  # then UTF-8


class Bad(Exception):
    """The first thing wrong with a bundle or receipt, in plain words."""


def leaf(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def merkle_root(leaves: list[bytes]) -> str:
    """RFC 6962 style: pair left to right level by level, an odd last node promoted."""
    level = [leaf(data) for data in leaves] or [hashlib.sha256(b"").digest()]
    while len(level) > 1:
        level = [node(*level[i:i + 2]) if i + 1 < len(level) else level[i]
                 for i in range(0, len(level), 2)]
    return level[0].hex()


def lists(value: Any, path: str = "") -> list[tuple[str, list[Any]]]:
    """Every list not inside another list, depth first in sorted key order, "merkle" left out."""
    if isinstance(value, list):
        return [(path, value)]
    return [found for key in sorted(value) if path or key != "merkle"
            for found in lists(value[key], f"{path}.{key}" if path else key)] \
        if isinstance(value, dict) else []


def content_lines(content: dict[str, Any]) -> list[bytes]:
    """The leaves: "lines" first, then the others, each element as {"at", "i", "line"}."""
    found = sorted(lists(content), key=lambda item: item[0] != "lines")
    return [json.dumps({"at": at, "i": i, "line": x}, **CANONICAL).encode("utf-8")
            for at, xs in found for i, x in enumerate(xs)]


def signed(key: dict[str, str], payload: dict[str, Any], entry: dict[str, str]) -> bool:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    try:
        Ed25519PublicKey.from_public_bytes(base64.b64decode(key["public_key"])).verify(
            base64.b64decode(entry["signature"]), json.dumps(payload, **CANONICAL).encode())
    except Exception:  # a malformed or wrong signature is simply not valid
        return False
    return True


def check_publication(bundle: dict[str, Any], chain: dict[str, Any]) -> None:
    """The digest is in the stored Published event, which re-hashes into the signed head."""
    proof = bundle.get("publication") or {}
    link, events = bytes.fromhex(proof.get("prev", "")), proof.get("events") or [{}]
    state = json.loads(base64.b64decode(events[0].get("state", "")) or b"{}")
    if len(link) != 32 or not str(events[0].get("topic")).endswith("Disclosure.Published") \
            or state.get("digest") != bundle["digest"]:
        raise Bad("the bundle does not show this content's digest published in the chain")
    for event in events:
        topic, state = event["topic"].encode("utf-8"), base64.b64decode(event["state"])
        link = hashlib.sha256(
            link + b"sunlight-chain/1" + event["position"].to_bytes(8, "big")
            + uuid.UUID(event["originator_id"]).bytes
            + event["originator_version"].to_bytes(8, "big") + len(topic).to_bytes(4, "big")
            + topic + len(state).to_bytes(4, "big") + state).digest()
    if events[-1]["position"] != chain["position"] or link.hex() != chain["head"]:
        raise Bad("the stored events do not hash to the signed chain head: history was changed")


def check_bundle(bundle: dict[str, Any], fingerprint: str | None) -> set[str]:
    text = bundle["content"].encode("utf-8")
    if bundle.get("format") != "sunlight-bundle/1" or \
            hashlib.sha256(text).hexdigest() != bundle["digest"]:
        raise Bad("the content's SHA-256 is not the bundle's digest: the content was changed")
    content, merkle, lines = json.loads(text), bundle["merkle"], bundle["lines"]
    leaves = content_lines(content) if merkle else []  # formats 1-3 had no root: no lines
    if content.get("merkle") != merkle or [x.encode() for x in lines] != leaves or (
            merkle and [merkle_root(leaves), len(leaves)] != [merkle["root"], merkle["leaves"]]):
        raise Bad("the lines, or the Merkle root recomputed from them, are not the content's")
    keys = {k["id"]: k for k in bundle.get("keys", [])  # a key counts under its fingerprint only
            if hashlib.sha256(base64.b64decode(k["public_key"])).hexdigest()[:16] == k["id"]}
    chain, signers = bundle.get("chain"), set()
    if not chain or not any(c["signatures"] for c in bundle.get("checkpoints", [])):
        raise Bad("the bundle has no signed checkpoint of the chain")
    for checkpoint in bundle["checkpoints"]:
        payload = checkpoint["payload"]
        if {key: payload.get(key) for key in ("org", "position", "head")} != chain:
            raise Bad("a checkpoint does not sign the bundle's chain head")
        for entry in checkpoint["signatures"]:
            key = keys.get(entry.get("key", ""))
            if key is None or not signed(key, payload, entry):
                raise Bad(f"the signature by {entry.get('signer')} is not valid: it was changed")
            signers.add(key["id"])
    check_publication(bundle, chain)
    if fingerprint is not None and fingerprint.strip().lower() not in signers:
        raise Bad(f"the fingerprint {fingerprint} from the sheet is not a key that signed this")
    return signers


def check_receipt(bundle: dict[str, Any], receipt: dict[str, Any]) -> None:
    index, lines, root = receipt.get("index", -1), bundle["lines"], bundle["merkle"]["root"]
    if not 0 <= index < len(lines) or lines[index] != receipt["line"] or \
            (receipt.get("digest"), receipt.get("root")) != (bundle["digest"], root):
        raise Bad("the receipt's line is not the line at its index in this bundle")
    at = leaf(receipt["line"].encode("utf-8"))
    for side, sibling in ((step["side"], bytes.fromhex(step["hash"])) for step in receipt["path"]):
        at = node(sibling, at) if side == "L" else node(at, sibling)
    if at.hex() != root:
        raise Bad("the receipt's Merkle path does not lead from its line to the root")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name in ("bundle", "--fingerprint", "--receipt"):  # the sheet's key; a line's receipt
        parser.add_argument(name)
    args = parser.parse_args(argv)
    try:
        bundle = json.loads(Path(args.bundle).read_text(encoding="utf-8"))
        signers = check_bundle(bundle, args.fingerprint)
        said = (f"OK digest {bundle['digest']}, {len(bundle['lines'])} lines, chain head "
                f"{bundle['chain']['head'][:16]} signed by {', '.join(sorted(signers))}")
        if args.receipt:
            receipt = json.loads(Path(args.receipt).read_text(encoding="utf-8"))
            check_receipt(bundle, receipt)
            said += f"; receipt line {receipt['index'] + 1} is counted under that root"
    except (Bad, OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        print(f"FAILED: {error}" if isinstance(error, Bad) else f"FAILED: unreadable: {error!r}")
        return 1
    print(said)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
