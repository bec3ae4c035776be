"""Which database answers a read (infra/replicas.py), with replicas whose positions are made up
and a clock that moves only when the router sleeps: no database, no real waiting."""

from __future__ import annotations

import pytest

from infra.replicas import ReadRouter, Routing
from infra.storage import storage_from_environ


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept = 0.0

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds
        self.slept += seconds


class Replicas:
    """Replica positions; a replica may move on at a given time, or be down (None)."""

    def __init__(self, *positions: int | None) -> None:
        self.positions = list(positions)
        self.moves: dict[int, tuple[float, int]] = {}
        self.asked: list[int] = []
        self.time = FakeTime()

    def position_of(self, replica: int) -> int:
        self.asked.append(replica)
        at, position = self.moves.get(replica, (float("inf"), 0))
        if self.time.now >= at:
            self.positions[replica] = position
        found = self.positions[replica]
        if found is None:
            raise ConnectionRefusedError("replica down")
        return found

    def router(self, wait: float = 2.0) -> ReadRouter:
        return ReadRouter(len(self.positions), wait_seconds=wait, poll_seconds=0.05,
                          down_seconds=10.0, clock=self.time.clock, sleep=self.time.sleep)


def test_without_replicas_the_primary_answers():
    assert ReadRouter(0).route(lambda replica: 0, after=5) == Routing(None)


def test_reads_without_a_position_take_the_replicas_in_turn():
    given = Replicas(7, 7)
    router = given.router()
    when = [router.route(given.position_of).replica for _ in range(4)]
    assert when == [0, 1, 0, 1]
    assert given.time.slept == 0


def test_a_replica_that_reached_the_position_answers_at_once():
    given = Replicas(12)
    routing = given.router().route(given.position_of, after=12)
    assert (routing.replica, routing.position, routing.source) == (0, 12, "replica")
    assert given.time.slept == 0


def test_a_replica_a_moment_behind_is_waited_for():
    given = Replicas(10)
    given.moves[0] = (0.3, 12)  # the replica replays the write 0.3 s later
    routing = given.router(wait=2.0).route(given.position_of, after=12)
    assert routing == Routing(0, 12)
    assert 0.3 <= given.time.slept < 0.4


def test_a_replica_still_behind_when_the_wait_is_over_leaves_the_read_to_the_primary():
    given = Replicas(10)
    routing = given.router(wait=2.0).route(given.position_of, after=12)
    assert routing == Routing(None) and routing.source == "primary"
    assert given.time.slept == pytest.approx(2.0)  # bounded: never longer than the setting


def test_the_replica_that_reached_it_answers_while_another_is_behind():
    given = Replicas(10, 12)
    router = given.router()
    assert [router.route(given.position_of, after=12).replica for _ in range(2)] == [1, 1]
    assert given.time.slept == 0


def test_a_replica_that_cannot_be_reached_is_left_out_for_a_while():
    given = Replicas(None, 9)
    router = given.router()
    assert router.route(given.position_of).replica == 1
    assert router.is_down(0)
    given.asked.clear()
    assert [router.route(given.position_of).replica for _ in range(3)] == [1, 1, 1]
    assert 0 not in given.asked  # not tried again while it is down
    given.time.now += 10.0
    given.positions[0] = 9
    assert sorted(router.route(given.position_of).replica for _ in range(2)) == [0, 1]


def test_every_replica_down_leaves_the_read_to_the_primary_without_waiting():
    given = Replicas(None, None)
    assert given.router().route(given.position_of, after=3) == Routing(None)
    assert given.time.slept == 0


def test_replica_urls_are_read_from_the_environment_and_keep_the_primarys_schema(tmp_path):
    storage = storage_from_environ({
        "SUNLIGHT_DATA_DIR": str(tmp_path),
        "SUNLIGHT_DATABASE_URL": "postgresql://app@db:5432/sunlight?schema=books",
        "SUNLIGHT_DATABASE_REPLICA_URLS": "postgresql://app@r1/sunlight, "
                                          "postgresql://app@r2/sunlight?schema=other",
        "SUNLIGHT_REPLICA_WAIT_SECONDS": "0.5"})
    assert storage.replica_wait_seconds == 0.5
    assert [r.database_url for r in storage.replicas()] == [
        "postgresql://app@r1/sunlight?schema=books", "postgresql://app@r2/sunlight?schema=other"]
    assert storage_from_environ({"SUNLIGHT_DATA_DIR": str(tmp_path)}).replicas() == []


@pytest.mark.parametrize("environ", [
    {"SUNLIGHT_DATABASE_REPLICA_URLS": "postgresql://app@r1/sunlight"},  # the primary is SQLite
    {"SUNLIGHT_DATABASE_URL": "postgresql://app@db/sunlight",
     "SUNLIGHT_DATABASE_REPLICA_URLS": "sqlite:///copy.sqlite"},
])
def test_replicas_are_postgresql_copies_of_a_postgresql_primary(environ, tmp_path):
    with pytest.raises(ValueError, match="SUNLIGHT_DATABASE_REPLICA_URLS"):
        storage_from_environ({"SUNLIGHT_DATA_DIR": str(tmp_path), **environ})
