"""The bytes of a link are a contract others reimplement (docs/verification.md): a fixed vector,
the same bytes assembled by hand from the documented layout, and the fields that must each move
the link."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from uuid import UUID

import pytest

from projections.audit.chain import GENESIS, Row, link

DOC = Path(__file__).resolve().parents[2] / "docs" / "verification.md"
ORIGINATOR = UUID("00112233-4455-6677-8899-aabbccddeeff")
TOPIC = "ledger.organizations:Organization.Registered"
STATE = b'{"code":"demo"}'
# The vector printed in docs/verification.md: first link, then the second chained on it.
FIRST = "35ad6dfd0c5911ae5203b660a38926776523d573a25e7f75f4949441a92a13ac"
SECOND = "1e6f7f72d08e3d478224088ed8e83d0d6d067aa862d4b9788e6c21f887a124d0"


def by_hand(previous: bytes, position: int, version: int, topic: bytes, state: bytes) -> str:
    return hashlib.sha256(
        previous + b"sunlight-chain/1" + position.to_bytes(8, "big") + ORIGINATOR.bytes
        + version.to_bytes(8, "big") + len(topic).to_bytes(4, "big") + topic
        + len(state).to_bytes(4, "big") + state).hexdigest()


def test_the_documented_vector():
    # Given an organization's first event at position 1, then a second event of it
    first = link(GENESIS, 1, ORIGINATOR, 1, TOPIC, STATE)
    second = link(first, 2, ORIGINATOR, 2, "ledger.organizations:Organization.SettingsChanged",
                  b"{}")
    # Then the links are the vector, byte for byte as the layout assembles them by hand
    assert first.hex() == FIRST == by_hand(GENESIS, 1, 1, TOPIC.encode(), STATE)
    assert second.hex() == SECOND == by_hand(
        first, 2, 2, b"ledger.organizations:Organization.SettingsChanged", b"{}")
    # And docs/verification.md prints the same vector
    printed = set(re.findall(r"\b[0-9a-f]{64}\b", DOC.read_text(encoding="utf-8")))
    assert {FIRST, SECOND} <= printed


@pytest.mark.parametrize("change", [
    {"position": 2}, {"originator_id": UUID(int=1)}, {"version": 2},
    {"topic": TOPIC + "x"}, {"state": STATE + b" "},
])
def test_every_field_moves_the_link(change):
    fields = {"position": 1, "originator_id": ORIGINATOR, "version": 1, "topic": TOPIC,
              "state": STATE}
    assert link(GENESIS, **fields) != link(GENESIS, **{**fields, **change})


def test_lengths_keep_topic_and_state_apart():
    # Moving a byte from the end of the topic to the start of the state changes the link.
    assert link(GENESIS, 1, ORIGINATOR, 1, "ab", b"c") != link(GENESIS, 1, ORIGINATOR, 1, "a",
                                                               b"bc")


@pytest.mark.parametrize("damaged", [
    {"originator_id": "not a uuid"}, {"version": "1"}, {"version": None}, {"topic": None},
    {"state": None}, {"version": -1},
])
def test_a_damaged_row_has_no_body(damaged):
    fields = {"position": 1, "originator_id": ORIGINATOR.hex, "version": 1, "topic": TOPIC,
              "state": STATE}
    assert Row(**fields).body() is not None
    assert Row(**{**fields, **damaged}).body() is None
