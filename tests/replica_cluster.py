"""A PostgreSQL primary and its streaming replica, as local processes in a temporary folder.

The primary is a cluster of its own (initdb), not the shared test server: physical replication
needs a `replication` line in pg_hba.conf, which a test must not add to a server others use.
The replica is made as operators make one: `pg_basebackup -R` from the primary, then started as
a hot standby on another port. The server refuses to run as root, so when the tests run as root
every PostgreSQL program runs as the `postgres` user.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg

STREAMING_TIMEOUT = 20.0


def postgres_bin() -> Path | None:
    """The newest installed server's programs (Debian keeps them off the PATH)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                   key=lambda path: int(Path(path).parent.name))
    if found:
        return Path(found[-1])
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Cluster:
    """A primary and its replica; `stop()` removes both, whatever state they are in."""

    bin: Path
    folder: Path
    primary_port: int = 0
    replica_port: int = 0

    def url(self, port: int) -> str:
        return f"postgresql://postgres@127.0.0.1:{port}/postgres"

    @property
    def primary_url(self) -> str:
        return self.url(self.primary_port)

    @property
    def replica_url(self) -> str:
        return self.url(self.replica_port)

    def run(self, program: str, *args: str) -> None:
        command = [str(self.bin / program), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=60)

    def server_options(self, port: int) -> str:
        # fsync off: the cluster lives for one test; the socket in its own folder, not /run.
        return (f"-p {port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off "
                "-c max_wal_senders=4 -c wal_level=replica -c hot_standby=on")

    def start(self) -> None:
        primary, replica = self.folder / "primary", self.folder / "replica"
        self.run("initdb", "-D", str(primary), "-U", "postgres", "-A", "trust", "--no-sync")
        self.primary_port = free_port()
        self.run("pg_ctl", "-D", str(primary), "-l", str(self.folder / "primary.log"), "-w",
                 "-o", self.server_options(self.primary_port), "start")
        # -R writes primary_conninfo and standby.signal: the copy starts as a streaming standby.
        self.run("pg_basebackup", "-h", "127.0.0.1", "-p", str(self.primary_port),
                 "-U", "postgres", "-D", str(replica), "-R", "-X", "stream", "-c", "fast",
                 "--no-sync")
        self.replica_port = free_port()
        self.run("pg_ctl", "-D", str(replica), "-l", str(self.folder / "replica.log"), "-w",
                 "-o", self.server_options(self.replica_port), "start")
        self.wait_streaming()

    def replica_sql(self, statement: str) -> object:
        with psycopg.connect(self.replica_url, autocommit=True) as conn:
            row = conn.execute(statement).fetchone()
        return None if row is None else row[0]

    def wait_streaming(self) -> None:
        deadline = time.monotonic() + STREAMING_TIMEOUT
        while time.monotonic() < deadline:
            if self.replica_sql("SELECT pg_is_in_recovery()") and self.replica_sql(
                    "SELECT status FROM pg_stat_wal_receiver") == "streaming":
                return
            time.sleep(0.1)
        raise TimeoutError("the replica did not start streaming from the primary")

    def stop(self) -> None:
        for name in ("replica", "primary"):
            if (self.folder / name / "postmaster.pid").exists():
                with contextlib.suppress(subprocess.SubprocessError):  # removed below anyway
                    self.run("pg_ctl", "-D", str(self.folder / name), "-m", "immediate", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)


def new_cluster(bin: Path) -> Cluster:
    folder = Path(tempfile.mkdtemp(prefix="sunlight-replica-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    return Cluster(bin=bin, folder=folder)
