#!/usr/bin/env python3
"""Check a Sunlight Ledger (阳光账本) disclosure bundle offline, without trusting the server.

    python verify_bundle.py BUNDLE [--fingerprint HEX] [--receipt FILE]

Checks the content's SHA-256 (the digest on the sheet), the Merkle root from the lines, every
checkpoint signature and signed head, the sheet's key fingerprint, and a receipt's line and path.
Exit 0 "OK …", or 1 and the first fault. Standard library only, plus `cryptography` for Ed25519,
which the standard library lacks (pip install cryptography). Formats: docs/verification.md.
"""
import argparse
import base64
import hashlib
import json
from pathlib import Path
from typing import Any


class Bad(Exception):
    """The first thing wrong with a bundle or receipt, in plain words."""


def canonical(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True,
                      separators=(",", ":")).encode("utf-8")


def leaf(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def merkle_root(leaves: list[bytes]) -> str:
    """RFC 6962 style: pair left to right level by level, an odd last node promoted."""
    if not leaves:
        return hashlib.sha256(b"").hexdigest()
    level = [leaf(data) for data in leaves]
    while len(level) > 1:
        level = [node(level[i], level[i + 1]) if i + 1 < len(level) else level[i]
                 for i in range(0, len(level), 2)]
    return level[0].hex()


def content_lines(content: dict[str, Any]) -> list[bytes]:
    """The leaves: the top-level "lines" first, then every other list met depth first in sorted
    key order ("merkle" left out), each element as {"at": path, "i": index, "line": element}."""
    found: list[tuple[str, list[Any]]] = []

    def walk(value: Any, path: str) -> None:
        if isinstance(value, list):
            found.append((path, value))
        elif isinstance(value, dict):
            for key in sorted(value):
                if path or key != "merkle":
                    walk(value[key], f"{path}.{key}" if path else key)
    walk(content, "")
    found.sort(key=lambda item: item[0] != "lines")
    return [canonical({"at": at, "i": i, "line": x}) for at, xs in found for i, x in enumerate(xs)]


def signed(key: dict[str, str], payload: dict[str, Any], entry: dict[str, str]) -> bool:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    try:
        Ed25519PublicKey.from_public_bytes(base64.b64decode(key["public_key"])).verify(
            base64.b64decode(entry["signature"]), canonical(payload))
    except Exception:  # a malformed or wrong signature is simply not valid
        return False
    return True


def check_bundle(bundle: dict[str, Any], fingerprint: str | None) -> set[str]:
    if bundle.get("format") != "sunlight-bundle/1":
        raise Bad("this is not a sunlight-bundle/1 file")
    text = bundle["content"].encode("utf-8")
    if hashlib.sha256(text).hexdigest() != bundle["digest"]:
        raise Bad("the content's SHA-256 is not the bundle's digest: the content was changed")
    content, merkle = json.loads(text), bundle["merkle"]
    if content.get("merkle") != merkle:
        raise Bad("the content carries no Merkle root, or not the bundle's")
    lines = [line.encode("utf-8") for line in bundle["lines"]]
    if lines != content_lines(content):
        raise Bad("the bundle's lines are not the lines of the content")
    if merkle_root(lines) != merkle["root"] or len(lines) != merkle["leaves"]:
        raise Bad("the Merkle root recomputed from the lines differs from the content's")
    keys = {k["id"]: k for k in bundle.get("keys", [])  # a key counts under its fingerprint only
            if hashlib.sha256(base64.b64decode(k["public_key"])).hexdigest()[:16] == k["id"]}
    chain, signers = bundle.get("chain"), set()
    if not chain or not any(c["signatures"] for c in bundle.get("checkpoints", [])):
        raise Bad("the bundle has no signed checkpoint of the chain")
    for checkpoint in bundle["checkpoints"]:
        payload = checkpoint["payload"]
        if payload.get("org") != chain["org"] or payload.get("position", -1) < chain["position"]:
            raise Bad("a checkpoint is not of this organization's chain at or after its head")
        if payload["position"] == chain["position"] and payload.get("head") != chain["head"]:
            raise Bad("the signed head differs from the bundle's chain head")
        for entry in checkpoint["signatures"]:
            key = keys.get(entry.get("key", ""))
            if key is None:
                raise Bad(f"signature by {entry.get('signer')}: its key is not in the bundle")
            if not signed(key, payload, entry):
                raise Bad(f"the signature by {entry.get('signer')} (key {key['id']}) is not "
                          "valid: the checkpoint or the signature was changed")
            signers.add(key["id"])
    if fingerprint is not None and fingerprint.strip().lower() not in signers:
        raise Bad(f"the fingerprint {fingerprint} from the sheet is not a key that signed this")
    return signers


def check_receipt(bundle: dict[str, Any], receipt: dict[str, Any]) -> None:
    index = receipt.get("index", -1)
    if not 0 <= index < len(bundle["lines"]) or bundle["lines"][index] != receipt["line"]:
        raise Bad("the receipt's line is not the line at its index in the bundle")
    if receipt.get("digest") != bundle["digest"] or receipt.get("root") != bundle["merkle"]["root"]:
        raise Bad("the receipt is for another disclosure (its digest or root differ)")
    at = leaf(receipt["line"].encode("utf-8"))
    for step in receipt["path"]:
        sibling = bytes.fromhex(step["hash"])
        at = node(sibling, at) if step["side"] == "L" else node(at, sibling)
    if at.hex() != bundle["merkle"]["root"]:
        raise Bad("the receipt's Merkle path does not lead from its line to the root")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Check a Sunlight Ledger disclosure bundle.")
    for name, say in (("bundle", "the .bundle file"), ("--fingerprint", "the sheet's key"),
                      ("--receipt", "a line's receipt file")):
        parser.add_argument(name, help=say)
    args = parser.parse_args(argv)
    try:
        bundle = json.loads(Path(args.bundle).read_text(encoding="utf-8"))
        signers = check_bundle(bundle, args.fingerprint)
        said = (f"OK digest {bundle['digest']}, {len(bundle['lines'])} lines under Merkle root "
                f"{bundle['merkle']['root']}, chain head {bundle['chain']['head'][:16]} at "
                f"position {bundle['chain']['position']}, signed by {', '.join(sorted(signers))}")
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
