#!/usr/bin/env python3
"""Check a Sunlight Ledger (阳光账本) disclosure bundle (digest, Merkle root, publication re-hashed
into the signed head, signatures, the sheet's fingerprint, a receipt's path) or a consistency proof
offline: `python verify_bundle.py FILE [--fingerprint HEX] [--receipt FILE]`, exit 0 "OK …" or 1
and the first fault. Standard library plus `cryptography`; the formats: docs/verification.md."""
import argparse
import base64
import hashlib
import json
import uuid
from pathlib import Path
from typing import Any

CANONICAL = {"ensure_ascii": False, "sort_keys": True, "separators": (",", ":")}  # then UTF-8
UNPINNED = " (WARNING: not compared with the sheet's fingerprint; 未与公告纸上的指纹比对)"


class Bad(Exception):
    """The first thing wrong with a bundle, proof or receipt, in plain words."""


def sha(*parts: bytes) -> bytes:  # a leaf is sha(b"\0", line), a node sha(b"\1", left, right)
    return hashlib.sha256(b"".join(parts)).digest()


def merkle_root(leaves: list[bytes]) -> str:
    """RFC 6962 style: pair left to right level by level, an odd last node promoted."""
    level = [sha(b"\0", data) for data in leaves] or [sha()]
    while len(level) > 1:
        level = [sha(b"\1", *level[i:i + 2]) if i + 1 < len(level) else level[i]
                 for i in range(0, len(level), 2)]
    return level[0].hex()


def lists(value: Any, path: str = "") -> list[tuple[str, list[Any]]]:
    """Every list not inside another list, depth first in sorted key order, "merkle" left out."""
    if isinstance(value, list):
        return [(path, value)]
    return [found for key in sorted(value) if path or key != "merkle"
            for found in lists(value[key], f"{path}.{key}" if path else key)] \
        if isinstance(value, dict) else []


def signers_of(checkpoint: dict[str, Any], keys: list[dict[str, str]]) -> set[str]:
    """Who signed the checkpoint; a key counts under its own fingerprint only."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    trusted = {k["id"]: base64.b64decode(k["public_key"]) for k in keys
               if hashlib.sha256(base64.b64decode(k["public_key"])).hexdigest()[:16] == k["id"]}
    for entry in checkpoint["signatures"]:
        try:
            Ed25519PublicKey.from_public_bytes(trusted[entry["key"]]).verify(base64.b64decode(
                entry["signature"]), json.dumps(checkpoint["payload"], **CANONICAL).encode())
        except Exception as error:  # an unknown key, a malformed or a wrong signature
            raise Bad(f"the signature by {entry.get('signer')} is not valid") from error
    return {entry["key"] for entry in checkpoint["signatures"]}


def fold(link: bytes, events: list[dict[str, Any]]) -> bytes:
    """The chain's links over stored events (docs/verification.md), from the link before them."""
    for e in events:
        topic, state = e["topic"].encode("utf-8"), base64.b64decode(e["state"])
        version = e.get("originator_version", e.get("version"))
        link = hashlib.sha256(link + b"sunlight-chain/1" + e["position"].to_bytes(8, "big")
                              + uuid.UUID(e["originator_id"]).bytes + version.to_bytes(8, "big")
                              + len(topic).to_bytes(4, "big") + topic
                              + len(state).to_bytes(4, "big") + state).digest()
    return link


def check_bundle(bundle: dict[str, Any]) -> set[str]:
    text = bundle["content"].encode("utf-8")
    if bundle.get("format") != "sunlight-bundle/1" or sha(text).hex() != bundle["digest"]:
        raise Bad("the content's SHA-256 is not the bundle's digest: the content was changed")
    content, merkle, lines = json.loads(text), bundle["merkle"], bundle["lines"]
    leaves = [json.dumps({"at": at, "i": i, "line": x}, **CANONICAL).encode("utf-8")
              for at, xs in sorted(lists(content), key=lambda item: item[0] != "lines")
              for i, x in enumerate(xs)] if merkle else []  # "lines" first; formats 1-3: none
    if content.get("merkle") != merkle or [x.encode() for x in lines] != leaves or (
            merkle and [merkle_root(leaves), len(leaves)] != [merkle["root"], merkle["leaves"]]):
        raise Bad("the lines, or the Merkle root recomputed from them, are not the content's")
    chain, signers = bundle.get("chain"), set()
    if not chain or not any(c["signatures"] for c in bundle.get("checkpoints", [])):
        raise Bad("the bundle has no signed checkpoint of the chain")
    for checkpoint in bundle["checkpoints"]:
        if {k: checkpoint["payload"].get(k) for k in ("org", "position", "head")} != chain:
            raise Bad("a checkpoint does not sign the bundle's chain head")
        signers |= signers_of(checkpoint, bundle.get("keys", []))
    proof = bundle.get("publication") or {}  # the Published event, re-hashed into the head
    link, events = bytes.fromhex(proof.get("prev", "")), proof.get("events") or [{}]
    state = json.loads(base64.b64decode(events[0].get("state", "")) or b"{}")
    if len(link) != 32 or not str(events[0].get("topic")).endswith("Disclosure.Published") \
            or state.get("digest") != bundle["digest"]:
        raise Bad("the bundle does not show this content's digest published in the chain")
    if events[-1]["position"] != chain["position"] or fold(link, events).hex() != chain["head"]:
        raise Bad("the stored events do not hash to the signed chain head: history was changed")
    return signers


def check_consistency(proof: dict[str, Any]) -> set[str]:
    first, last = proof["from"]["payload"], proof["to"]["payload"]
    signers = [signers_of(proof[end], proof["keys"]) for end in ("from", "to")]
    at = [event["position"] for event in proof["events"]]
    if not all(signers) or {first["org"], last["org"]} != {proof["org"]} or at != sorted(set(at))\
            or not all(first["position"] < p <= last["position"] for p in at) or fold(
                bytes.fromhex(first["head"]), proof["events"]).hex() != last["head"]:
        raise Bad("the events do not take one signed head of the chain to the other")
    return signers[0] | signers[1]


def check_receipt(bundle: dict[str, Any], receipt: dict[str, Any]) -> None:
    index, lines, root = receipt.get("index", -1), bundle["lines"], bundle["merkle"]["root"]
    if not 0 <= index < len(lines) or lines[index] != receipt["line"] or \
            (receipt.get("digest"), receipt.get("root")) != (bundle["digest"], root):
        raise Bad("the receipt's line is not the line at its index in this bundle")
    at = sha(b"\0", receipt["line"].encode("utf-8"))
    for side, sibling in ((step["side"], bytes.fromhex(step["hash"])) for step in receipt["path"]):
        at = sha(b"\1", sibling, at) if side == "L" else sha(b"\1", at, sibling)
    if at.hex() != root:
        raise Bad("the receipt's Merkle path does not lead from its line to the root")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name in ("file", "--fingerprint", "--receipt"):  # the sheet's key; a line's receipt
        parser.add_argument(name)
    args = parser.parse_args(argv)
    try:
        found = json.loads(Path(args.file).read_text(encoding="utf-8"))
        proof = found.get("format") == "sunlight-consistency/1"
        signers = check_consistency(found) if proof else check_bundle(found)
        ends = [found[end]["payload"]["position"] for end in ("from", "to")] if proof else []
        said = (f"OK {len(found['events'])} events take the head signed at {ends[0]} to the one"
                f" at {ends[1]}" if proof else f"OK digest {found['digest']}, "
                f"{len(found['lines'])} lines, chain head {found['chain']['head'][:16]}")
        if args.fingerprint is not None and args.fingerprint.strip().lower() not in signers:
            raise Bad(f"the sheet's fingerprint {args.fingerprint} is not a key that signed this")
        said += f", signed by {', '.join(sorted(signers))}{'' if args.fingerprint else UNPINNED}"
        if args.receipt:
            receipt = json.loads(Path(args.receipt).read_text(encoding="utf-8"))
            check_receipt(found, receipt)
            said += f"; receipt line {receipt['index'] + 1} is counted under that root"
    except (Bad, OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        print(f"FAILED: {error}" if isinstance(error, Bad) else f"FAILED: unreadable: {error!r}")
        return 1
    print(said)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
