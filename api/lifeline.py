"""The processes `sunlight serve` starts die with it, even when serve itself is killed with
SIGKILL and can stop nothing: serve names itself to its children, and each child asks Linux to
send it SIGTERM the moment that parent dies (prctl PR_SET_PDEATHSIG).

Only processes serve started arm this: gunicorn run directly, or `sunlight projections run`
under systemd, keep living whatever their parent does.
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import sys
from collections.abc import Mapping

PARENT = "SUNLIGHT_SERVE_PID"
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>

log = logging.getLogger("sunlight.lifeline")


def child_environment(env: Mapping[str, str]) -> dict[str, str]:
    """The environment for a child of this process that must not outlive it."""
    return {**env, PARENT: str(os.getpid())}


def die_with_parent() -> None:
    """If `sunlight serve` started this process, receive SIGTERM when serve dies, and leave at
    once if it died already (between the fork and this call, before Linux was asked)."""
    expected = os.environ.pop(PARENT, "")  # popped: this process's own children do not inherit it
    if not expected:
        return
    if not sys.platform.startswith("linux"):
        log.warning("this platform cannot tie a process to its parent: stop `sunlight serve` "
                    "with SIGTERM or Ctrl-C, never SIGKILL")
        return
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) != 0:
        error = ctypes.get_errno()
        raise OSError(error, f"prctl(PR_SET_PDEATHSIG): {os.strerror(error)}")
    if os.getppid() != int(expected):
        raise SystemExit("`sunlight serve`, which started this process, has already stopped")
