"""PostgreSQL's write gate holds a village's turn with a session-level advisory lock on an
autocommit connection: no transaction is opened for it (BEGIN and ROLLBACK were two of the
three round trips each write paid for its turn), and the turn ends when the hold does."""

from __future__ import annotations

import psycopg
import pytest

from infra.storage import Storage
from infra.write_gates import PostgresWriteGate, write_gate
from tests.conftest import PG_URL

ORG = "gate-village"


def held_by(pid: int) -> tuple[str, int]:
    """The state of that connection's session, and the advisory locks it holds."""
    with psycopg.connect(PG_URL, autocommit=True) as admin:
        row = admin.execute(
            "SELECT a.state, (SELECT COUNT(*) FROM pg_locks l WHERE l.pid = a.pid "
            "AND l.locktype = 'advisory' AND l.granted) FROM pg_stat_activity a "
            "WHERE a.pid = %s", (pid,)).fetchone()
    assert row is not None
    return str(row[0]), int(row[1])


@pytest.mark.parametrize("storage", ["postgres"], indirect=True)
def test_the_turn_is_held_outside_any_transaction_and_ends_with_the_hold(
        storage: Storage) -> None:
    gate = write_gate(storage)
    assert isinstance(gate, PostgresWriteGate)
    try:
        with gate.hold(ORG):
            pass
        pid = gate._idle[0].info.backend_pid  # the connection the next writer takes
        with gate.hold(ORG):
            assert held_by(pid) == ("idle", 1)
        assert held_by(pid) == ("idle", 0)
    finally:
        gate.close()
