"""A backup is a consistent copy of the events taken while the server keeps writing, with the keys
that open it kept in a folder of their own and a manifest that says what it holds.

    DEST/manifest.json         what, when, up to which position, the SHA-256 of every file
    DEST/data/events.sqlite    SQLite: the online backup API's copy, one self-contained file
    DEST/data/events.pgdump    PostgreSQL: pg_dump (custom format) of the event store's tables
    DEST/data/checkpoints.json the signed chain heads up to that position, co-signatures included
    DEST/keys/                 session.key, personal-data.key and signing.key: keep them apart

Only the event store is copied, and the signed checkpoints, which are evidence, not derived: the
read models are not, and `sunlight restore` rebuilds them from the events, which also proves the
copy can be replayed (and that it gives the heads signed before). Neither is the web state
(sessions, rate limits): it is made anew.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from eventsourcing.utils import get_topic

from infra.storage import SYNCHRONOUS, Storage, set_synchronous
from ledger.application import Ledger
from ledger.books import Organization
from ledger.kernel.personal import KEY_VARIABLE
from projections.runner import open_ledger, open_view

FORMAT = "sunlight-backup/1"
MANIFEST = "manifest.json"
SQLITE_FILE = "data/events.sqlite"
PG_FILE = "data/events.pgdump"
CHECKPOINTS_FILE = "data/checkpoints.json"
KEYS = "keys"
# Each key: the variable that overrides it, and its file in the data folder (api/keys.py).
KEY_FILES = {"session.key": "SUNLIGHT_SECRET_KEY", "personal-data.key": KEY_VARIABLE,
             # the centre's signing key: a restore must sign its checkpoints with the same key
             "signing.key": "SUNLIGHT_SIGNING_KEY"}
KEYS_NOTE = ("keys/ opens the data: keep it apart from data/ (another medium, another place). "
             "Whoever holds both can read members' ID and phone numbers.")
EVENT_TABLES = ("ledger_events", "ledger_snapshots")  # PostgreSQL: the Ledger application's
BATCH = 1000
REGISTERED = get_topic(Organization.Registered)


class BackupError(Exception):
    """A backup or a restore refused, with the reason to show the operator."""


@dataclass(frozen=True)
class Summary:
    """What a store holds up to a position of its event log."""

    position: int
    events: int
    organizations: list[str]


def summarize(app: Ledger, position: int) -> Summary:
    """The events and the organizations registered up to `position`, read from the log."""
    events, start = 0, 0
    while batch := app.recorder.select_notifications(start=start, limit=BATCH, stop=position,
                                                     inclusive_of_start=False):
        events += len(batch)
        start = batch[-1].id
    organizations, start = [], 0
    while batch := app.recorder.select_notifications(start=start, limit=BATCH, stop=position,
                                                     topics=[REGISTERED],
                                                     inclusive_of_start=False):
        organizations += [app.mapper.to_domain_event(n).code for n in batch]
        start = batch[-1].id
    return Summary(position, events, sorted(organizations))


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def synced(path: Path) -> None:
    """Flush a written file (or folder entry) to the disk before the backup says it is done."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def postgres_env(storage: Storage) -> dict[str, str]:
    """libpq's variables for pg_dump, pg_restore and psql: no password on a command line."""
    env = storage.env(create_tables=False)
    return {**os.environ, "PGHOST": env["POSTGRES_HOST"], "PGPORT": env["POSTGRES_PORT"],
            "PGUSER": env["POSTGRES_USER"], "PGPASSWORD": env["POSTGRES_PASSWORD"],
            "PGDATABASE": env["POSTGRES_DBNAME"]}


def schema_of(storage: Storage) -> str:
    return storage.env(create_tables=False)["POSTGRES_SCHEMA"]


def run_tool(command: list[str], env: dict[str, str], **kwargs: Any) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (Debian: apt-get install "
                          "postgresql-client)")
    done = subprocess.run(command, env=env, capture_output=True, check=False, **kwargs)
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.decode(errors='replace')[-2000:]}")


# -- making one ---------------------------------------------------------------------------------

def make_backup(storage: Storage, dest: Path) -> dict[str, Any]:
    """Copy the events and the keys into `dest` (new or empty); returns the manifest.

    Everything is written into a scratch folder beside `dest` and renamed into place at the end,
    so an interrupted backup never looks like a finished one.
    """
    dest = dest.resolve()
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise BackupError(f"{dest} is not an empty folder: a backup never overwrites anything")
    dest.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{dest.name}.partial-", dir=dest.parent))
    try:
        (scratch / "data").mkdir()
        if storage.is_postgres:
            summary = _dump_postgres(storage, scratch / PG_FILE)
        else:
            summary = _copy_sqlite(storage, scratch / SQLITE_FILE)
        keys = _copy_keys(storage, scratch / KEYS)
        (scratch / CHECKPOINTS_FILE).write_text(json.dumps(
            _checkpoints(storage, summary.position), ensure_ascii=False, indent=1) + "\n",
            encoding="utf-8")
        manifest = {
            "format": FORMAT,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "database": "postgresql" if storage.is_postgres else "sqlite",
            "source": storage.describe(),
            **({"postgresql_schema": schema_of(storage)} if storage.is_postgres else {}),
            "last_position": summary.position,
            "events": summary.events,
            "organizations": summary.organizations,
            "keys": {"folder": KEYS, "note": KEYS_NOTE, "from": keys},
            "not_included": {
                "read models": "rebuilt from the events by `sunlight restore`",
                "web state (sessions, rate limits)": "made anew; everyone signs in again"},
            "files": {str(path.relative_to(scratch)): {"sha256": sha256_of(path),
                                                      "bytes": path.stat().st_size}
                      for path in sorted(scratch.rglob("*")) if path.is_file()},
        }
        (scratch / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n",
                                        encoding="utf-8")
        for path in [*scratch.rglob("*"), scratch]:
            synced(path)
        if dest.exists():
            dest.rmdir()  # empty, checked above
        scratch.rename(dest)
        synced(dest.parent)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    return manifest


def _checkpoints(storage: Storage, position: int) -> list[dict[str, Any]]:
    """The signed checkpoints up to the copy's last position ([] before anything was sealed)."""
    from projections.audit.checkpoints import kept_until
    from projections.audit.view import AuditProjection

    view = open_view(storage, AuditProjection)
    try:
        with view.sql() as sql:
            return kept_until(sql, position)
    except Exception as error:  # no sealer's table yet: nothing signed to keep
        if "audit_checkpoints" not in str(error):
            raise
        return []
    finally:
        view.datastore.close()


def _copy_sqlite(storage: Storage, target: Path) -> Summary:
    if not storage.sqlite_path.exists():
        raise BackupError(f"there are no books at {storage.sqlite_path}")
    source = sqlite3.connect(storage.sqlite_path)
    copy = sqlite3.connect(target)
    try:
        # All pages in one step: one read transaction, so one consistent state of the file; in WAL
        # mode the server's writers carry on meanwhile.
        source.backup(copy)
    finally:
        source.close()
        copy.close()
    app = open_ledger(Storage(database_url=f"sqlite:///{target}", data_dir=target.parent))
    try:
        summary = summarize(app, app.log_head())
    finally:
        app.close()
    copy = sqlite3.connect(target)
    try:
        set_synchronous(copy, SYNCHRONOUS["events"])
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    finally:
        copy.close()
    return summary


def _dump_postgres(storage: Storage, target: Path) -> Summary:
    import psycopg
    from psycopg import sql

    schema = schema_of(storage)
    env = postgres_env(storage)
    app = open_ledger(storage)
    try:
        with psycopg.connect("", autocommit=False, **_libpq(env)) as connection:
            # pg_dump reads the snapshot this transaction exports, so the position read here is
            # exactly the last event of the dump (the store commits in notification order).
            connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            snapshot = connection.execute("SELECT pg_export_snapshot()").fetchone()[0]
            position = connection.execute(sql.SQL("SELECT COALESCE(MAX(notification_id), 0) "
                                                  "FROM {}.{}").format(
                sql.Identifier(schema), sql.Identifier(EVENT_TABLES[0]))).fetchone()[0]
            tables = [arg for table in EVENT_TABLES for arg in ("--table", f"{schema}.{table}")]
            run_tool(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
                      f"--snapshot={snapshot}", *tables, f"--file={target}"], env)
        return summarize(app, int(position))
    finally:
        app.close()


def _libpq(env: dict[str, str]) -> dict[str, str]:
    return {"host": env["PGHOST"], "port": env["PGPORT"], "user": env["PGUSER"],
            "password": env["PGPASSWORD"], "dbname": env["PGDATABASE"]}


def _copy_keys(storage: Storage, folder: Path) -> dict[str, str]:
    """The keys the server uses, from their variables or the data folder; where each came from."""
    folder.mkdir(mode=0o700)
    found = {}
    for name, variable in KEY_FILES.items():
        key = os.environ.get(variable, "").strip()
        source = f"the variable {variable}"
        if not key and (storage.data_dir / name).exists():
            key, source = (storage.data_dir / name).read_text().strip(), "the data folder"
        if not key:
            found[name] = "not made yet (nothing was sealed or signed with it)"
            continue
        with secret_file(folder / name) as file:
            file.write(key)
        found[name] = source
    return found


@contextmanager
def secret_file(path: Path) -> Iterator[Any]:
    """A new file only its owner reads; never one that exists."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as file:
        yield file


def read_manifest(src: Path) -> dict[str, Any]:
    """The manifest of a backup, each file checked against its SHA-256."""
    try:
        manifest = json.loads((src / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BackupError(f"{src} is not a Sunlight Ledger backup: {error}") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{src}: unknown backup format {manifest.get('format')!r}")
    present = {str(path.relative_to(src)) for path in src.rglob("*")
               if path.is_file() and path.name != MANIFEST}
    data = PG_FILE if manifest.get("database") == "postgresql" else SQLITE_FILE
    if present != set(manifest["files"]) or data not in present:
        raise BackupError(f"{src}: its files are not those its manifest lists")
    for name, expected in manifest["files"].items():
        path = src / name
        if not path.is_file() or sha256_of(path) != expected["sha256"]:
            raise BackupError(f"{path} is missing or does not match the manifest's SHA-256")
    return manifest

