"""The Merkle tree over a disclosure's lines: RFC 6962's tree (an odd node promoted), leaves in
the order the content defines, and a path per line that leads to the root and to no other."""

from __future__ import annotations

import hashlib
import json

import pytest

from projections.disclosure import merkle


def rfc6962(leaves: list[bytes]) -> bytes:
    """The tree hash as RFC 6962 §2.1 defines it, recursively, to check the level-wise one."""
    if len(leaves) == 1:
        return hashlib.sha256(b"\x00" + leaves[0]).digest()
    split = 1
    while split * 2 < len(leaves):
        split *= 2
    return hashlib.sha256(b"\x01" + rfc6962(leaves[:split]) + rfc6962(leaves[split:])).digest()


@pytest.mark.parametrize("count", [1, 2, 3, 4, 5, 6, 7, 8, 9, 13, 16, 17, 31, 100])
def test_the_root_is_the_rfc_6962_tree_hash(count: int) -> None:
    leaves = [f"line {n}".encode() for n in range(count)]
    assert merkle.root(leaves) == rfc6962(leaves).hex()


def test_no_lines_give_the_hash_of_nothing() -> None:
    assert merkle.root([]) == hashlib.sha256(b"").hexdigest()


@pytest.mark.parametrize("count", [1, 2, 3, 5, 7, 12])
def test_every_lines_path_leads_to_the_root_and_no_other_lines_does(count: int) -> None:
    leaves = [f"户 {n} 分红 {n * 100}.00".encode() for n in range(count)]
    top = merkle.root(leaves)
    for index, data in enumerate(leaves):
        steps = merkle.path(leaves, index)
        assert merkle.root_from_path(data, steps) == top
        if count > 1:  # another line on this line's path does not reach the root
            other = leaves[(index + 1) % count]
            assert merkle.root_from_path(other, steps) != top


def test_a_changed_line_changes_the_root() -> None:
    leaves = [b"a", b"b", b"c"]
    assert merkle.root(leaves) != merkle.root([b"a", b"B", b"c"])
    assert merkle.root(leaves) != merkle.root([b"a", b"c", b"b"])  # order counts too


def test_a_leaf_cannot_pose_as_a_node() -> None:
    # The 0x00 / 0x01 prefixes: two leaves' hashes, concatenated, are not a leaf of the same root.
    a, b = hashlib.sha256(b"\x00a").digest(), hashlib.sha256(b"\x00b").digest()
    assert merkle.root([a + b]) != merkle.root([b"a", b"b"])


def test_the_leaves_are_the_top_lines_first_then_every_other_list_in_key_order() -> None:
    content = {"format": "x", "totals": {"total": "3.00"},
               "attachments": [{"name": "发票.pdf"}],
               "lines": [{"no": 1, "item": "水泥", "approvers": [{"login": "a"}]},
                         {"no": 2, "item": "砂石"}],
               "meetings": [{"no": 1}], "merkle": {"root": "ignored"}}
    leaves = [json.loads(leaf) for leaf in merkle.lines(content)]
    assert [(leaf["at"], leaf["i"]) for leaf in leaves] == [
        ("lines", 0), ("lines", 1), ("attachments", 0), ("meetings", 0)]
    assert leaves[0]["line"]["approvers"] == [{"login": "a"}]  # a list inside a line is its own
    assert merkle.lines(content)[0].decode() == (
        '{"at":"lines","i":0,"line":{"approvers":[{"login":"a"}],"item":"水泥","no":1}}')


def test_a_nested_statement_lists_rows_under_their_dotted_path() -> None:
    content = {"statements": {"income_statement": {"lines": [{"no": 1}]},
                              "balance_sheet": {"lines": [{"no": 1}, {"no": 2}]}}}
    assert [json.loads(leaf)["at"] for leaf in merkle.lines(content)] == [
        "statements.balance_sheet.lines", "statements.balance_sheet.lines",
        "statements.income_statement.lines"]


def test_the_summary_names_the_scheme_and_the_count() -> None:
    content = {"lines": [{"no": 1}, {"no": 2}, {"no": 3}]}
    assert merkle.summary(content) == {"root": merkle.root(merkle.lines(content)),
                                       "leaves": 3, "scheme": "sunlight-merkle/1"}
