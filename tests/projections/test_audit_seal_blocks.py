"""The seals are kept in blocks (one row per chain per sealed batch); a block whose columns do not
agree, or a position sealed twice, is reported as a changed seal at its position; and the quick
pass over a whole batch gives exactly what the careful pass gives.

Given: the store of every event (tests/fixtures/every_event), sealed in batches of 100.
"""

from __future__ import annotations

from typing import Any

import pytest

from infra.storage import Storage
from projections.audit import fast, seals, verify
from projections.audit.checkpoints import known_keys
from projections.audit.verify import verify_chain
from projections.audit.view import AuditProjection, seal
from projections.runner import open_ledger, open_view
from tests.fixtures.every_event.dump import STORE
from tests.fixtures.stores import load_store


@pytest.fixture
def sealed(storage: Storage):
    head = load_store(STORE, storage)
    app = open_ledger(storage)
    view = open_view(storage, AuditProjection, create_tables=True)
    assert seal(app, view, size=100) == head
    yield app, view, known_keys(storage)
    app.close()
    view.datastore.close()


def block_row(view: Any, chain: str, nth: int) -> dict[str, Any]:
    with view.sql() as sql:
        return sql.execute("SELECT chain, first, last, positions, links FROM audit_seal_blocks "
                           "WHERE chain = :c ORDER BY first", {"c": chain}).all()[nth]


def change(view: Any, row: dict[str, Any], **columns: Any) -> None:
    sets = ", ".join(f"{name} = :{name}" for name in columns)
    with view.sql(commit=True) as sql:
        sql.execute(f"UPDATE audit_seal_blocks SET {sets} WHERE chain = :was_chain AND "
                    "first = :was", {**columns, "was_chain": row["chain"], "was": row["first"]})


def test_a_block_is_read_back_as_written_and_refused_when_its_columns_disagree():
    links = [bytes([n]) * 32 for n in range(3)]
    row = {"chain": "v", **seals.encode([5, 9, 12], links)}
    assert seals.decode(row) == seals.Block("v", (5, 9, 12), tuple(links))
    for broken in ({"first": 4}, {"last": 13}, {"links": row["links"][:-2]},
                   {"positions": row["positions"][16:32] + row["positions"][:16]
                    + row["positions"][32:]}, {"links": "zz" + row["links"][2:]}):
        with pytest.raises(seals.Damaged):
            seals.decode({**row, **broken})


@pytest.mark.parametrize("nth", [0, 3])
def test_positions_that_no_longer_rise_are_a_changed_seal_at_the_blocks_start(sealed, nth):
    app, view, keys = sealed
    row = block_row(view, seals.GLOBAL, nth)
    swapped = row["positions"][16:32] + row["positions"][:16] + row["positions"][32:]
    change(view, row, positions=swapped)
    bad = verify_chain(app, view, keys=keys).first_bad
    assert (bad.position, bad.kind) == (row["first"], "seal")


def test_a_position_sealed_twice_on_a_chain_is_found_there(sealed):
    app, view, keys = sealed
    row = block_row(view, seals.GLOBAL, 2)
    # The block's first seal written again as a block of its own, one position later
    twice = int(row["positions"][16:32], 16)
    with view.sql(commit=True) as sql:
        sql.execute("INSERT INTO audit_seal_blocks (chain, first, last, positions, links) VALUES "
                    "('', :p, :p, :positions, :links)",
                    {"p": twice, "positions": row["positions"][16:32],
                     "links": row["links"][64:128]})
    bad = verify_chain(app, view, keys=keys).first_bad
    assert (bad.position, bad.kind) == (twice, "seal")


def test_an_organizations_block_moved_to_another_chain_is_found(sealed):
    app, view, keys = sealed
    with view.sql() as sql:
        org = sql.execute("SELECT MIN(chain) FROM audit_seal_blocks WHERE chain <> ''").scalar()
    row = block_row(view, org, 0)
    change(view, row, chain=org + "-other")
    bad = verify_chain(app, view, keys=keys).first_bad
    assert (bad.position, bad.kind) == (row["first"], "seal")


@pytest.mark.parametrize("org", [None, "sunlight-village"])
def test_the_quick_pass_gives_what_the_careful_pass_gives(sealed, monkeypatch, org):
    app, view, keys = sealed
    quick = verify_chain(app, view, org=org, keys=keys)
    calls = {"n": 0}

    def never(*args: Any) -> bool:
        calls["n"] += 1
        return False

    monkeypatch.setattr(verify, "whole_batch", never)
    careful = verify_chain(app, view, org=org, keys=keys)
    assert calls["n"] > 0 and quick.whole
    assert quick.as_dict() == careful.as_dict()
    assert fast.whole_batch is not never  # the quick pass itself was left as it is
