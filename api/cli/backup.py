"""`sunlight backup` and `sunlight restore`: a consistent copy of the books while the server
runs, with the keys that open it in a folder of their own; and its return into empty books,
replayed and verified before the operator is told they are whole (see api/backup.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from api.cli.backup_store import KEYS, KEYS_NOTE, BackupError, make_backup
from api.cli.restore_store import restore
from api.cli.support import storage


@click.command("backup")
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
def backup(dest: Path) -> None:
    """Copy the books into DEST (a new or empty folder), while the server keeps running.

    SQLite is copied with its online backup API, PostgreSQL with pg_dump; either way the copy
    is one consistent state of the event log, up to the position the manifest names. The keys
    (session.key, personal-data.key) go to DEST/keys, apart from the data in DEST/data. The read
    models are not copied: `sunlight restore` rebuilds them from the events.
    """
    store = storage()
    try:
        manifest = make_backup(store, dest)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    dest = dest.resolve()
    click.echo(f"Backed up {store.describe()} into {dest}")
    click.echo(f"  events: {manifest['events']}, organizations: "
               f"{len(manifest['organizations'])} ({', '.join(manifest['organizations'])}), "
               f"last position: {manifest['last_position']}")
    for name, facts in manifest["files"].items():
        click.echo(f"  {name}  {facts['bytes']} bytes  sha256 {facts['sha256']}")
    click.echo(f"  keys: {dest / KEYS} — " + "; ".join(
        f"{name}: {source}" for name, source in manifest["keys"]["from"].items()))
    click.secho(f"  {KEYS_NOTE}", bold=True)
    click.echo("  Not included: " + "; ".join(
        f"{what} ({why})" for what, why in manifest["not_included"].items()))


@click.command("restore")
@click.argument("src", type=click.Path(exists=True, file_okay=False, path_type=Path))
def restore_command(src: Path) -> None:
    """Restore the backup in SRC into an empty data folder or database, then replay, project and
    verify the restored books and report their events, organizations and last position.

    The target is the usual one (SUNLIGHT_DATA_DIR, SUNLIGHT_DATABASE_URL). It must be empty: a
    restore never writes over books (exit 1, nothing written). Exits 1 too if what was restored
    differs from the backup's manifest or a published disclosure fails verification.
    """
    store = storage()
    bar: dict[str, click.progressbar] = {}  # type: ignore[type-arg]

    def progress(what: str, done: int, total: int) -> None:
        if what not in bar:
            for shown in bar.values():
                shown.render_finish()
            bar[what] = click.progressbar(length=max(total, 1), label=what.capitalize(),
                                          file=sys.stderr)
        bar[what].update(done - bar[what].pos)

    try:
        restored = restore(store, src, progress)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    finally:
        for shown in bar.values():
            shown.render_finish()
    click.echo(f"Restored {src.resolve()} into {store.describe()}")
    click.echo(f"  events: {restored.events}, organizations: {len(restored.organizations)} "
               f"({', '.join(restored.organizations)}), last position: {restored.position}")
    click.echo(f"  read models rebuilt; published disclosures verified: {restored.disclosures}")
    click.echo(f"  personal data: {restored.personal_data}")
    for note in restored.notes:
        click.echo(f"  note: {note}")
    for problem in restored.problems:
        click.secho(f"  PROBLEM: {problem}", fg="red", err=True)
    if restored.problems:
        raise SystemExit(1)
