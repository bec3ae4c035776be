"""`kill -9` of `sunlight serve` leaves nothing running unsupervised: the projection process and
the gunicorn master are told by Linux (PR_SET_PDEATHSIG) when serve dies, and stop; the gunicorn
workers leave with their master. Nothing listens on the port afterwards."""

from __future__ import annotations

import os
import signal
import time

import pytest

pytestmark = pytest.mark.e2e

GONE_WITHIN = 15.0  # seconds; gunicorn's workers finish their requests first (none here)


@pytest.mark.parametrize("storage", ["sqlite"], indirect=True)  # processes, not the database
def test_kill_9_of_serve_takes_its_children_with_it(unstarted_server):
    # Given `sunlight serve` answering, with its projection process, master and two workers
    server = unstarted_server
    server.start()
    server.wait_ready()
    children = server.remember_processes()
    names = " | ".join(p.cmdline for p in children)
    assert any("projections run" in p.cmdline for p in children), names
    assert len(server.web_workers()) == 2, names
    assert len([p for p in children if "gunicorn" in p.cmdline]) == 3, names

    # When serve is killed with SIGKILL, so it can stop nothing itself
    os.kill(server.process.pid, signal.SIGKILL)
    server.process.wait(timeout=10)

    # Then every process it started is gone within seconds, without anyone stopping them
    deadline = time.monotonic() + GONE_WITHIN
    while any(p.alive() for p in children) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [(p.pid, p.cmdline) for p in children if p.alive()]
    assert not left, f"still running {GONE_WITHIN:.0f} s after serve died: {left}\n" \
                     f"{server.output(tail=5_000)}"
    stopped = server.stop()
    assert not stopped.leftovers and not stopped.still_listening
