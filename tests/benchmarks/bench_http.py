"""Figure (b) of the throughput benchmarks: the real product (`sunlight serve`) started in a
temporary folder, its bench village set up over HTTP, and vouchers posted by client threads with
their latencies. This is not a test: pytest does not collect it.
"""


from __future__ import annotations

import argparse
import itertools
import os
import signal
import subprocess
import threading
import time
from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from infra.storage import Storage
from tests.benchmarks.bench_kit import (
    ACTOR,
    BOOKS_START,
    ORG,
    REQUEST_TIMEOUT,
    ROOT,
    START_TIMEOUT,
    STOP_TIMEOUT,
    SUB_ACCOUNTS,
    free_port,
    say,
    sunlight_command,
    voucher_body,
)
from tests.benchmarks.lean_http import LeanConnection, LeanError, request_bytes

# -- (b) vouchers through the HTTP API --------------------------------------------------------


@dataclass
class HttpResult:
    vouchers: int
    clients: int
    seconds: float
    statuses: Counter[str]
    latencies: list[float]
    errors: list[str]
    events_per_voucher: float | None = None
    lag_at_end: int | None = None
    drained_in: float | None = None
    setup_events: int = 0

    @property
    def created(self) -> int:
        return self.statuses.get("201", 0)

    @property
    def per_second(self) -> float:
        return self.created / self.seconds if self.seconds else 0.0


class Server:
    """`sunlight serve` as a subprocess in its own process group, logging to a file."""

    def __init__(self, env: dict[str, str], log_path: Path, workers: int) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self._log = log_path.open("wb")
        self._stopped = False
        self.process = subprocess.Popen(
            [*sunlight_command(), "serve", "--port", str(self.port), "--workers", str(workers)],
            env=env, cwd=ROOT, stdout=self._log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def log_tail(self, lines: int = 15) -> str:
        try:
            text = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return ""
        return "\n".join("    | " + line for line in text[-lines:])

    def wait_ready(self, timeout: float = START_TIMEOUT) -> float:
        started = time.perf_counter()
        while time.perf_counter() - started < timeout:
            if self.process.poll() is not None:
                raise RuntimeError(f"sunlight serve exited with {self.process.returncode}:\n"
                                   + self.log_tail())
            try:
                if requests.get(f"{self.base}/healthz", timeout=2).status_code == 200:
                    return time.perf_counter() - started
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"sunlight serve did not answer within {timeout:.0f} s:\n"
                           + self.log_tail())

    def stop(self) -> None:
        """SIGTERM to `sunlight serve`, which stops gunicorn and the projector; then sweep."""
        if self._stopped:
            return
        self._stopped = True
        try:
            if self.process.poll() is None:
                self.process.send_signal(signal.SIGTERM)
                try:
                    self.process.wait(timeout=STOP_TIMEOUT)
                except subprocess.TimeoutExpired:
                    say(f"  ! sunlight serve did not stop within {STOP_TIMEOUT:.0f} s; killed")
                    self._signal_group(signal.SIGKILL)
                    self.process.wait(timeout=10)
            # Anything of ours still alive in the group (e.g. after a kill) goes too.
            if self._signal_group(signal.SIGTERM):
                time.sleep(2)
                self._signal_group(signal.SIGKILL)
        finally:
            self._log.close()

    def _signal_group(self, signum: int) -> bool:
        try:
            os.killpg(self.process.pid, signum)
        except (ProcessLookupError, PermissionError):
            return False
        return True


def check(response: requests.Response, what: str) -> dict[str, Any]:
    if response.status_code != 201:
        raise RuntimeError(f"{what}: HTTP {response.status_code} {response.text[:300]}")
    return response.json()


def make_admin(env: dict[str, str]) -> dict[str, str]:
    """An admin made with the operator's commands, and the header its token goes in."""
    for command in (("users", "create", ACTOR, "--name", "基准测试", "--admin"),
                    ("tokens", "create", ACTOR, "--label", "benchmark")):
        done = subprocess.run([*sunlight_command(), *command], env=env, text=True,
                              capture_output=True, stdin=subprocess.DEVNULL, timeout=120)
        if done.returncode:
            raise RuntimeError(f"sunlight {' '.join(command)}: {done.stdout}{done.stderr}")
    return {"Authorization": f"Bearer {done.stdout.strip().splitlines()[-1]}"}


def set_up_books(base: str, auth: dict[str, str], org: str = ORG) -> None:
    with requests.Session() as session:
        session.headers.update(auth)
        check(session.post(f"{base}/api/v1/orgs", json={
            "code": org, "name_zh": "基准村股份经济合作社", "kind": "village_collective",
            "books_start": BOOKS_START}, timeout=REQUEST_TIMEOUT),
            "registering the organization")
        check(session.post(f"{base}/api/v1/orgs/{org}/roles", json={
            "login": ACTOR, "role": "accountant", "reason": "benchmark"},
            timeout=REQUEST_TIMEOUT), "granting the accountant's role")
        for parent, code, name in SUB_ACCOUNTS:
            check(session.post(f"{base}/api/v1/orgs/{org}/accounts", json={
                "parent": parent, "code": code, "name_zh": name},
                timeout=REQUEST_TIMEOUT), f"opening account {code}")


def status(base: str, auth: dict[str, str]) -> dict[str, Any]:
    response = requests.get(f"{base}/api/v1/status", headers=auth, timeout=REQUEST_TIMEOUT)
    response.raise_for_status()
    return response.json()


def post_vouchers(base: str, count: int, clients: int, auth: dict[str, str],
                  orgs: tuple[str, ...] = (ORG,), lean: bool = False) -> HttpResult:
    """`count` vouchers posted by `clients` threads, the i-th to the organization orgs[i % n].
    `lean`: through tests/benchmarks/lean_http.py, whose clients cost the machine little."""
    paths = [f"/api/v1/orgs/{org}/vouchers" for org in orgs]
    bodies = [voucher_body(i) for i in range(count)]
    requests_ = ([request_bytes(base, paths[i % len(paths)], bodies[i], auth)
                  for i in range(count)] if lean else [])
    numbers = itertools.count()
    guard = threading.Lock()
    stop = threading.Event()
    statuses: Counter[str] = Counter()
    latencies: list[float] = []
    errors: list[str] = []
    start = threading.Barrier(clients + 1)

    def send(session: Any, i: int) -> tuple[str, str]:
        if lean:
            code, body = session.send(requests_[i])
            return str(code), body.decode(errors="replace")
        response = session.post(base + paths[i % len(paths)], json=bodies[i],
                                timeout=REQUEST_TIMEOUT)
        return str(response.status_code), response.text

    def client() -> None:
        session: Any = (LeanConnection(base, REQUEST_TIMEOUT) if lean
                        else requests.Session())
        if not lean:
            session.headers.update(auth)
        try:
            start.wait()
            while not stop.is_set():
                with guard:
                    i = next(numbers)
                if i >= count:
                    return
                began = time.perf_counter()
                try:
                    code, text = send(session, i)
                except (requests.RequestException, OSError, LeanError) as error:
                    code, text = type(error).__name__, str(error)
                elapsed = time.perf_counter() - began
                with guard:
                    statuses[code] += 1
                    if code == "201":
                        latencies.append(elapsed)
                    elif len(errors) < 5:
                        errors.append(f"{code}: {text[:300]}")
        finally:
            session.close()

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    try:
        start.wait()
        began = time.perf_counter()
        for thread in threads:
            thread.join()
        seconds = time.perf_counter() - began
    finally:
        stop.set()
    return HttpResult(count, clients, seconds, statuses, latencies, errors)


def wait_projected(base: str, auth: dict[str, str],
                   timeout: float = 120.0) -> tuple[int, float | None]:
    """The live projector's lag when posting ends, and how long it took to reach zero."""
    began = time.perf_counter()
    lag_at_end = status(base, auth)["lag"]
    lag = lag_at_end
    while lag > 0:
        if time.perf_counter() - began > timeout:
            return lag_at_end, None
        time.sleep(0.05)
        lag = status(base, auth)["lag"]
    return lag_at_end, time.perf_counter() - began


def http_vouchers(storage: Storage, work: Path, stack: ExitStack, args: argparse.Namespace
                  ) -> HttpResult:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SUNLIGHT_")}
    env |= {"SUNLIGHT_DATA_DIR": str(storage.data_dir),
            "SUNLIGHT_DATABASE_URL": storage.database_url,
            "SUNLIGHT_LOG_LEVEL": "warning"}
    for name in ("SUNLIGHT_THREADS", "SUNLIGHT_DB_POOL_SIZE", "SUNLIGHT_DB_MAX_OVERFLOW"):
        if name in os.environ:  # deliberate tuning of the product is kept
            env[name] = os.environ[name]
    auth = make_admin(env)
    server = Server(env, work / "serve.log", workers=2)
    stack.callback(server.stop)
    ready = server.wait_ready()
    say(f"  server up on port {server.port} in {ready:.1f} s (log: {server.log_path})")
    set_up_books(server.base, auth)
    setup_events = status(server.base, auth)["log_head"]
    result = post_vouchers(server.base, args.vouchers, args.clients, auth)
    result.setup_events = setup_events
    if server.process.poll() is not None:
        raise RuntimeError("sunlight serve died while posting:\n" + server.log_tail())
    result.lag_at_end, result.drained_in = wait_projected(server.base, auth)
    server.stop()
    return result

