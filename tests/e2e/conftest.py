"""Run the real product, `sunlight serve`, as a subprocess for end-to-end tests.

The server gets its own process group (so a test run's Ctrl-C does not reach it half-way), its
output goes to a file (a pipe nobody reads would fill up and block gunicorn's access log), and
stopping it checks that the processes it started (the gunicorn master and workers, the
projection process) are gone and nothing still listens on its port.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

from infra.storage import Storage
from tests.e2e.browser import phone  # noqa: F401

READY_TIMEOUT = 60.0
STOP_TIMEOUT = 60.0  # serve waits up to 30 s for each child; gunicorn's graceful timeout is 20 s
SUNLIGHT = Path(sys.executable).with_name("sunlight")


def sunlight(*args: str) -> list[str]:
    """The installed `sunlight` script next to this Python, or the module if there is none."""
    if SUNLIGHT.exists():
        return [str(SUNLIGHT), *args]
    return [sys.executable, "-m", "api.cli", *args]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def is_listening(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _stat(pid: int) -> tuple[int, int, str, str] | None:
    """(parent pid, start time in clock ticks, state, command name) of a live process."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    name = raw[raw.index("(") + 1:raw.rindex(")")]
    rest = raw[raw.rindex(")") + 2:].split()
    return int(rest[1]), int(rest[19]), rest[0], name


def _all_pids() -> list[int]:
    return [int(entry) for entry in os.listdir("/proc") if entry.isdigit()]


@dataclass(frozen=True)
class Proc:
    pid: int
    parent: int
    start: int  # start time, so a reused pid is not mistaken for the same process
    name: str
    cmdline: str

    def alive(self) -> bool:
        stat = _stat(self.pid)
        return stat is not None and stat[1] == self.start and stat[2] != "Z"

    def cpu_seconds(self) -> float:
        """User and system time so far (0 once gone)."""
        try:
            fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def descendants(root: int) -> list[Proc]:
    """Every live process below `root`, found by walking parent pids in /proc."""
    children: dict[int, list[int]] = {}
    info: dict[int, tuple[int, int, str]] = {}
    for pid in _all_pids():
        stat = _stat(pid)
        if stat is None or stat[2] == "Z":
            continue
        children.setdefault(stat[0], []).append(pid)
        info[pid] = (stat[0], stat[1], stat[3])
    found, todo = [], list(children.get(root, []))
    while todo:
        pid = todo.pop()
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            cmdline = "?"
        found.append(Proc(pid, *info[pid], cmdline.strip()))
        todo.extend(children.get(pid, []))
    return found


@dataclass
class Stopped:
    returncode: int | None
    seconds: float
    leftovers: list[Proc]  # processes of the server still alive after it stopped
    still_listening: bool


@dataclass
class Server:
    """`sunlight serve --port P --workers 2` with the given environment."""

    env: dict[str, str]
    workdir: Path
    workers: int = 2
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    token: str = ""  # an API token of the admin made before the server starts
    known: dict[int, Proc] = field(default_factory=dict)  # every descendant ever seen
    stopped: Stopped | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.workdir / "server.log"

    def output(self, tail: int | None = None) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return "(no output)"
        return text if tail is None else text[-tail:]

    def run(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        """Another `sunlight` command on the same books, e.g. `demo load`."""
        return subprocess.run(sunlight(*args), env=self.env, cwd=self.workdir, text=True,
                              stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout)

    def start(self) -> None:
        command = sunlight("serve", "--port", str(self.port), "--workers", str(self.workers))
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                command, env=self.env, cwd=self.workdir, stdin=subprocess.DEVNULL,
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def remember_processes(self) -> list[Proc]:
        assert self.process is not None
        found = descendants(self.process.pid)
        for proc in found:
            self.known.setdefault(proc.pid, proc)
        return found

    def web_workers(self) -> list[Proc]:
        """The gunicorn workers: gunicorn processes whose parent is the gunicorn master."""
        found = self.remember_processes()
        masters = {p.pid for p in found if "gunicorn" in p.cmdline}
        return [p for p in found if "gunicorn" in p.cmdline and p.parent in masters]

    def wait_ready(self, timeout: float = READY_TIMEOUT) -> None:
        assert self.process is not None
        deadline = time.monotonic() + timeout
        last = "no answer yet"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"`sunlight serve` exited with {self.process.returncode} before it "
                            f"answered; its output:\n{self.output()}", pytrace=False)
            try:
                response = requests.get(f"{self.url}/healthz", timeout=5)
                if response.status_code == 200:
                    self.remember_processes()
                    return
                last = f"{response.status_code} {response.text[:200]}"
            except requests.RequestException as error:
                last = repr(error)
            time.sleep(0.25)
        pytest.fail(f"`sunlight serve` did not answer GET /healthz with 200 within "
                    f"{timeout:.0f} s (last: {last}); its output:\n{self.output()}",
                    pytrace=False)

    def stop(self) -> Stopped:
        """SIGTERM to serve, as an operator would; whatever is left afterwards is killed and
        reported, so no test leaves a server behind."""
        if self.stopped is not None:
            return self.stopped
        assert self.process is not None
        started = time.monotonic()
        if self.process.poll() is None:
            self.remember_processes()
            self.process.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=STOP_TIMEOUT)
        seconds = time.monotonic() - started
        returncode = self.process.poll()
        # Children are orphaned the moment serve exits; give them a moment to finish exiting.
        deadline = time.monotonic() + 10
        while any(proc.alive() for proc in self.known.values()) and time.monotonic() < deadline:
            time.sleep(0.1)
        leftovers = [proc for proc in self.known.values() if proc.alive()]
        if returncode is None:
            leftovers.append(Proc(self.process.pid, os.getpid(), 0, "sunlight", "sunlight serve"))
        # Clean up: only processes this server started (its group, then each known one by pid).
        if leftovers:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.process.pid, signal.SIGKILL)
        for proc in leftovers:
            if proc.alive():
                with contextlib.suppress(ProcessLookupError):
                    os.kill(proc.pid, signal.SIGKILL)
        if returncode is None:
            self.process.wait(timeout=10)
        listening = False
        deadline = time.monotonic() + 10
        while (listening := is_listening(self.port)) and time.monotonic() < deadline:
            time.sleep(0.2)
        self.stopped = Stopped(returncode, seconds, leftovers, listening)
        return self.stopped


def server_env(storage: Storage) -> dict[str, str]:
    """The environment of `sunlight serve` for these books: a data folder for SQLite, a URL
    (with the test's own schema) for PostgreSQL."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("SUNLIGHT_") or key.startswith("SUNLIGHT_TEST_")}
    if storage.is_postgres:
        env["SUNLIGHT_DATABASE_URL"] = storage.database_url
    else:
        env["SUNLIGHT_DATA_DIR"] = str(storage.data_dir)
    env["PYTHONUNBUFFERED"] = "1"
    return env


@pytest.fixture
def unstarted_server(storage: Storage, tmp_path: Path) -> Iterator[Server]:
    """`sunlight serve` for these books, not started yet; stopped (whatever is left of it
    killed) afterwards.

    `storage` is the shared fixture: a fresh SQLite folder, or a fresh PostgreSQL schema that is
    dropped once the server has stopped.
    """
    workdir = tmp_path / "serve"
    workdir.mkdir()
    served = Server(env=server_env(storage), workdir=workdir)
    try:
        yield served
    finally:
        if served.process is not None:
            stopped = served.stop()
            if stopped.leftovers or stopped.still_listening:
                print(f"\n`sunlight serve` left processes behind (now killed): "
                      f"{stopped.leftovers}; port {served.port} still listening: "
                      f"{stopped.still_listening}")


@pytest.fixture
def server(unstarted_server: Server) -> Server:
    """A running `sunlight serve` on a free port, with an admin `e2e` made, as an operator
    would, with `sunlight users create` and `sunlight tokens create`."""
    for command in (("users", "create", "e2e", "--name", "出纳", "--admin"),
                    ("tokens", "create", "e2e", "--label", "end-to-end test")):
        done = unstarted_server.run(*command)
        assert done.returncode == 0, done.stdout + done.stderr
    unstarted_server.token = done.stdout.strip().splitlines()[-1]
    unstarted_server.start()
    unstarted_server.wait_ready()
    return unstarted_server
