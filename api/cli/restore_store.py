"""A backup is restored only into an empty data folder and an empty database (or schema), never
over books; the restored books are then replayed into new read models, their published
disclosures verified, their personal data opened with the restored key, and their events,
organizations and last position compared with the manifest before they are called whole.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eventsourcing.persistence import IntegrityError

from api.cli.backup_store import (
    CHECKPOINTS_FILE,
    KEY_FILES,
    KEYS,
    PG_FILE,
    SQLITE_FILE,
    BackupError,
    postgres_env,
    read_manifest,
    schema_of,
    secret_file,
    summarize,
    synced,
)
from infra.keys import personal_data_cipher
from infra.storage import Storage
from projections.disclosure.verify import verify
from projections.runner import (
    catch_up,
    close_views,
    create_tables,
    open_ledger,
    open_view,
    open_views,
)

PLAIN_NAME = re.compile(r"[a-z_][a-z0-9_]*")
Progress = Callable[[str, int, int], None]  # (what, done, total)


@dataclass
class Restored:
    position: int = 0
    events: int = 0
    organizations: list[str] = field(default_factory=list)
    disclosures: int = 0  # published disclosures verified
    personal_data: str = ""
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def restore(storage: Storage, src: Path, progress: Progress | None = None) -> Restored:
    """Restore the backup in `src` into `storage`, then check what was restored."""
    manifest = read_manifest(src)
    kind = "postgresql" if storage.is_postgres else "sqlite"
    if manifest["database"] != kind:
        raise BackupError(f"this is a {manifest['database']} backup; the books here are kept in "
                          f"{kind} (set SUNLIGHT_DATABASE_URL for the other)")
    refuse_unless_empty(storage)
    if storage.is_postgres:
        _restore_postgres(storage, src / PG_FILE, manifest["postgresql_schema"])
    else:
        _restore_sqlite(storage, src / SQLITE_FILE)
    notes = _restore_keys(storage, src / KEYS)
    notes += _restore_checkpoints(storage, src / CHECKPOINTS_FILE)
    restored = check(storage, manifest, progress)
    restored.notes += notes
    return restored


def refuse_unless_empty(storage: Storage) -> None:
    """Nothing is written unless the data folder and the database are both empty."""
    held = []
    if storage.data_dir.exists() and any(storage.data_dir.iterdir()):
        held.append(f"the data folder {storage.data_dir} is not empty")
    if storage.is_postgres:
        if tables := _tables_in(storage):
            held.append(f"the schema {schema_of(storage)} has tables ({', '.join(tables[:5])})")
    elif storage.sqlite_path.exists():
        held.append(f"{storage.sqlite_path} exists")
    if held:
        raise BackupError("refused (conflict): " + "; ".join(held) + ". A backup is restored "
                          "only into an empty data folder and database; nothing was written.")


def _tables_in(storage: Storage) -> list[str]:
    import psycopg

    env = postgres_env(storage)
    with psycopg.connect("", host=env["PGHOST"], port=env["PGPORT"], user=env["PGUSER"],
                         password=env["PGPASSWORD"], dbname=env["PGDATABASE"]) as connection:
        rows = connection.execute("SELECT table_name FROM information_schema.tables "
                                  "WHERE table_schema = %s ORDER BY 1", (schema_of(storage),))
        return [row[0] for row in rows]


def _restore_sqlite(storage: Storage, copy: Path) -> None:
    storage.data_dir.mkdir(parents=True, exist_ok=True)
    storage.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
    # Written beside its place and renamed into it, so the books appear whole or not at all.
    staging = storage.sqlite_path.with_name(storage.sqlite_path.name + ".restoring")
    source = sqlite3.connect(f"{copy.as_uri()}?mode=ro", uri=True)
    target = sqlite3.connect(staging)
    try:
        source.backup(target)
    except BaseException:
        target.close()
        staging.unlink(missing_ok=True)
        raise
    finally:
        source.close()
        target.close()
    synced(staging)
    staging.replace(storage.sqlite_path)
    synced(storage.sqlite_path.parent)


def _restore_postgres(storage: Storage, dump: Path, source_schema: str) -> None:
    """pg_restore's SQL, its schema renamed to the target's, applied by psql in one transaction:
    an error anywhere leaves the database as it was."""
    target_schema = schema_of(storage)
    if source_schema != target_schema and not (PLAIN_NAME.fullmatch(source_schema)
                                               and PLAIN_NAME.fullmatch(target_schema)):
        raise BackupError("a backup goes into a schema of another name only when both names are "
                          "lowercase letters, digits and underscores")
    env = postgres_env(storage)
    with tempfile.TemporaryFile() as errors:
        dumped = subprocess.Popen(["pg_restore", "--no-owner", "--no-privileges", "--file=-",
                                   str(dump)], env=env, stdout=subprocess.PIPE, stderr=errors)
        applied = subprocess.Popen(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1",
                                    "--single-transaction"], env=env, stdin=subprocess.PIPE,
                                   stdout=subprocess.DEVNULL, stderr=errors)
        assert dumped.stdout is not None and applied.stdin is not None
        try:
            for line in renamed(dumped.stdout, source_schema, target_schema):
                applied.stdin.write(line)
        except BrokenPipeError:
            pass  # psql stopped at an error: its return code and message say which
        finally:
            applied.stdin.close()
        failed = [name for name, process in (("pg_restore", dumped), ("psql", applied))
                  if process.wait() != 0]
        if failed:
            errors.seek(0)
            message = errors.read().decode(errors="replace")[-2000:]
            raise BackupError(f"{' and '.join(failed)} failed; nothing was restored: {message}")


def renamed(lines: Iterable[bytes], old: str, new: str) -> Iterator[bytes]:
    """The dump's SQL with `old.` names made `new.`; the rows of COPY blocks pass untouched."""
    quoted = '"' + new.replace('"', '""') + '"'
    yield f"CREATE SCHEMA IF NOT EXISTS {quoted};\n".encode()
    qualified = re.compile(rb'(?<![\w"$])"?' + re.escape(old.encode()) + rb'"?\.')
    in_rows = False
    for line in lines:
        if in_rows:
            in_rows = line.rstrip(b"\r\n") != b"\\."
            yield line
            continue
        if old != new:
            line = qualified.sub(new.encode() + b".", line)
        in_rows = line.startswith(b"COPY ") and line.rstrip().endswith(b"FROM stdin;")
        yield line


def _restore_keys(storage: Storage, folder: Path) -> list[str]:
    notes = []
    storage.data_dir.mkdir(parents=True, exist_ok=True)
    for name, variable in KEY_FILES.items():
        if not (folder / name).is_file():
            continue
        key = (folder / name).read_text().strip()
        with secret_file(storage.data_dir / name) as file:
            file.write(key)
        if os.environ.get(variable, "").strip() not in ("", key):
            notes.append(f"{variable} is set and differs from the restored {name}: the variable "
                         "wins; unset it to use the restored key")
    return notes


def _restore_checkpoints(storage: Storage, path: Path) -> list[str]:
    """The signed checkpoints kept again before the read models are rebuilt, so that the sealer
    checks the restored events against them (a backup made before they were kept has none)."""
    if not path.is_file():
        return []
    from projections.audit.checkpoints import keep
    from projections.audit.view import AuditProjection

    create_tables(storage)
    view = open_view(storage, AuditProjection)
    try:
        with view.sql(commit=True) as sql:
            kept = keep(sql, json.loads(path.read_text(encoding="utf-8")))
    finally:
        view.datastore.close()
    return [f"{kept} signed checkpoints kept again"]


def check(storage: Storage, manifest: dict[str, Any], progress: Progress | None) -> Restored:
    """Replay the restored events into new read models and verify what they say."""
    create_tables(storage)
    app, views = open_ledger(storage), open_views(storage)
    refused = []
    try:
        for name, view in views.items():
            try:
                catch_up(app, view, progress and (lambda done, total, name=name:
                                                  progress(f"projecting {name}", done, total)))
            except IntegrityError as error:  # the sealer: events that contradict a signed head
                if name != "audit":
                    raise
                refused.append(f"the restored events contradict a signed checkpoint: {error}")
        summary = summarize(app, app.log_head())
        restored = Restored(summary.position, summary.events, summary.organizations)
        restored.problems += refused
        for what, found in (("last position", summary.position), ("events", summary.events),
                            ("organizations", summary.organizations)):
            claimed = manifest["last_position" if what == "last position" else what]
            if found != claimed:
                restored.problems.append(f"{what}: the manifest says {claimed}, restored {found}")
        findings = verify(app, progress=progress and (lambda done, total:
                                                       progress("verifying", done, total)))
        restored.disclosures = len(findings)
        restored.problems += [f"disclosure {f.disclosure} ({f.org}) differs: {problem}"
                              for f in findings for problem in f.problems]
        restored.personal_data = _open_personal_data(storage, views["register"])
    finally:
        app.close()
        close_views(views)
    if restored.personal_data.startswith("cannot"):
        restored.problems.append(restored.personal_data)
    return restored


def _open_personal_data(storage: Storage, register: Any) -> str:
    with register.sql() as sql:
        row = sql.execute("SELECT id_sealed FROM register_members WHERE id_sealed <> '' "
                          "LIMIT 1").one()
    if row is None:
        return "none sealed in these books"
    try:
        personal_data_cipher(storage).unseal(row["id_sealed"])
    except Exception as error:  # any failure to open is the finding, whatever its kind
        return f"cannot be opened with the restored key ({type(error).__name__})"
    return "opens with the restored key"
