"""The Merkle tree over a disclosure's lines (scheme "sunlight-merkle/1"), so that one line can be
shown to be counted in a published disclosure without the others.

Leaves. The lines of a content are every element of every list in it, except lists that are part
of another line: first the elements of the top-level "lines" (so leaf n, from 1, is line "no" n),
then the other lists met walking the content depth first in sorted key order ("merkle" itself left
out). A leaf's bytes are the canonical JSON (keys sorted, no spaces, UTF-8, non-ASCII as itself)
of {"at": <dotted path of the list>, "i": <index in that list, from 0>, "line": <element>}.

Tree (as RFC 6962): leaf hash = SHA-256(0x00 ‖ bytes), node = SHA-256(0x01 ‖ left ‖ right),
built level by level from the leaves, pairing left to right; an odd last node is promoted to the
next level unchanged. The root of no leaves is SHA-256 of nothing. A path lists, from the leaf up,
each sibling hash with its side ("L" when the sibling is on the left).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from typing import Any

SCHEME = "sunlight-merkle/1"
TOP = "lines"


def _canonical(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True,
                      separators=(",", ":")).encode("utf-8")


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _lists(value: Any, path: str) -> Iterator[tuple[str, list[Any]]]:
    """Every list not inside another list, depth first in sorted key order."""
    if isinstance(value, list):
        yield path, value
    elif isinstance(value, Mapping):
        for key in sorted(value):
            yield from _lists(value[key], f"{path}.{key}" if path else key)


def lines(content: Mapping[str, Any]) -> list[bytes]:
    """The leaves' bytes of a content, in leaf order."""
    body = {key: value for key, value in content.items() if key != "merkle"}
    found = list(_lists(body, ""))
    found.sort(key=lambda item: item[0] != TOP)  # stable: the top "lines" first, rest in order
    return [_canonical({"at": at, "i": i, "line": element})
            for at, items in found for i, element in enumerate(items)]


def _levels(leaves: list[bytes]) -> list[list[bytes]]:
    level = [leaf_hash(data) for data in leaves]
    levels = [level]
    while len(level) > 1:
        level = [node_hash(level[i], level[i + 1]) if i + 1 < len(level) else level[i]
                 for i in range(0, len(level), 2)]
        levels.append(level)
    return levels


def root(leaves: list[bytes]) -> str:
    if not leaves:
        return hashlib.sha256(b"").hexdigest()
    return _levels(leaves)[-1][0].hex()


def path(leaves: list[bytes], index: int) -> list[dict[str, str]]:
    """The siblings from leaf `index` (from 0) up to the root; a promoted node has none."""
    if not 0 <= index < len(leaves):
        raise IndexError(index)
    steps = []
    for level in _levels(leaves)[:-1]:
        sibling = index ^ 1
        if sibling < len(level):
            steps.append({"side": "L" if sibling < index else "R",
                          "hash": level[sibling].hex()})
        index //= 2
    return steps


def root_from_path(data: bytes, steps: list[Mapping[str, str]]) -> str:
    node = leaf_hash(data)
    for step in steps:
        sibling = bytes.fromhex(step["hash"])
        node = node_hash(sibling, node) if step["side"] == "L" else node_hash(node, sibling)
    return node.hex()


def summary(content: Mapping[str, Any]) -> dict[str, Any]:
    """What a content of format 4 carries under "merkle"."""
    leaves = lines(content)
    return {"root": root(leaves), "leaves": len(leaves), "scheme": SCHEME}
