"""The `sunlight` command: run the product, keep the read models up to date, rebuild them.

`sunlight serve` is the whole product in one command: it creates the tables, optionally loads the
demo village, starts the projection process and the gunicorn web workers, and stops them together.
Deployed apart (deploy/), `sunlight init` creates the tables, then gunicorn and
`sunlight projections run` each run as a service of their own.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time

import click

from api.cli.audit import audit, keys_create
from api.cli.backup import backup, restore_command
from api.cli.disclosures import disclosures
from api.cli.identity import keys, tokens, users
from api.cli.support import request_id, storage
from api.lifeline import child_environment, die_with_parent
from api.public_address import DEMO, PUBLIC_URL, public_url_problem
from api.web_state import create_web_tables
from infra.keys import personal_data_cipher, session_key
from infra.signing import centre_key
from infra.storage import Storage
from ledger.kernel.aggregate import serving
from projections.faults import faults
from projections.runner import (
    FIRST_PAUSE,
    PROJECTIONS,
    close_views,
    create_tables,
    follow,
    open_ledger,
    open_views,
    rebuild,
)

# A module of the package, not a file of the checkout, so that an installed wheel serves too.
GUNICORN_CONFIG = "python:api.gunicorn_settings"
READ_MODELS = [projection.name for projection in PROJECTIONS]  # `audit` is the chain's sealer


@click.group(help=__doc__)
@click.option("-v", "--verbose", is_flag=True, help="Log more.")
def main(verbose: bool) -> None:
    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")


@main.command()
@click.option("--demo", is_flag=True, help="Load the demo village if the books are empty.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64),
              help="Gunicorn worker processes.")
@click.option("--config", "config", default=GUNICORN_CONFIG, show_default=True,
              help="Gunicorn settings: a file, or python:MODULE.")
def serve(demo: bool, host: str, port: int, workers: int, config: str) -> None:
    """Run the web application and the projection process (Ctrl-C stops both)."""
    store = storage()
    # Handle SIGTERM before any child exists, so that a stop during start-up stops them too.
    stopping = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopping.set())
    click.echo(f"Books kept in {store.describe()}")
    if not demo and (problem := public_url_problem()):
        _warn_public_url(problem)
    create_tables(store)
    create_web_tables(store)  # also here: a gunicorn config of one's own may lack the hook
    session_key(store)  # made once here, so that the workers all read the same key
    centre_key(store)  # and the key the sealer signs checkpoints with
    if demo:
        _load_demo(store)
    env = child_environment({
        **{key: value for key, value in os.environ.items() if key != DEMO},
        "SUNLIGHT_DATABASE_URL": store.database_url,
        "SUNLIGHT_DATA_DIR": str(store.data_dir),
        "SUNLIGHT_CREATE_TABLES": "n",
        # Only `serve --demo` tells the workers they serve the demo (a loopback QR is fine then).
        **({DEMO: "1"} if demo else {}),
    })
    projector_command = [sys.executable, "-m", "api.cli", "projections", "run"]
    children = {"projector": subprocess.Popen(projector_command, env=env)}
    try:
        _wait_until_projected(store, children["projector"], stopping)
        if stopping.is_set():
            return
        children["web"] = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", config, "--bind", f"{host}:{port}",
             "--workers", str(workers)], env=env)
        click.echo(f"Sunlight Ledger is at http://{host}:{port}/ (API: /api/v1/docs)")
        while not stopping.is_set() and children["web"].poll() is None:
            if children["projector"].poll() is not None:
                click.echo("projection process stopped; starting it again", err=True)
                children["projector"] = subprocess.Popen(projector_command, env=env)
            stopping.wait(1.0)
    finally:
        _stop(list(children.values()))
    web = children.get("web")
    sys.exit(web.returncode if web is not None and web.returncode else 0)


def _wait_until_projected(storage: Storage, projector: subprocess.Popen[bytes],
                          stopping: threading.Event) -> None:
    app = open_ledger(storage)
    views = open_views(storage)

    def position() -> int:
        return min(view.position() for view in views.values())

    try:
        head = app.log_head()
        if position() >= head:
            return
        with click.progressbar(length=head, label="Projecting the books") as bar:
            while (reached := position()) < head and not stopping.is_set():
                if projector.poll() is not None:
                    raise click.ClickException("the projection process stopped; see its log")
                bar.update(reached - bar.pos)
                stopping.wait(0.2)
            bar.update(position() - bar.pos)
    finally:
        app.close()
        close_views(views)


def _warn_public_url(problem: str) -> None:
    rule = "!" * 78
    click.secho(f"{rule}\n  {problem}\n  Printed disclosure sheets will carry no QR code "
                f"(they say \"公开地址未配置\" instead).\n  Set {PUBLIC_URL} to the address "
                f"villagers' phones reach, e.g.\n  {PUBLIC_URL}=https://cunwu.example.cn\n{rule}",
                fg="yellow", bold=True, err=True)


def _stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _load_demo(storage: Storage) -> None:
    from demo import COOP_ORG, DEMO_ORG, DemoClock, load_demo_village

    # The roll's ID numbers are sealed with the same key the server will open them with; the
    # demo's clock is set to the day of each step it loads, then left to run as today.
    app = open_ledger(storage, cipher=personal_data_cipher(storage), clock=DemoClock())
    try:
        if app.log_head():
            click.echo("The books are not empty; the demo village is not loaded again.")
            return
        started = time.perf_counter()
        with serving(request_id()):
            loaded = load_demo_village(app, storage)
        click.echo(f"Loaded the demo village '{DEMO_ORG}' and its fruit cooperative "
                   f"'{COOP_ORG}' ({app.log_head()} events, {loaded.published} published "
                   f"disclosures and each one's 2025 distribution, "
                   f"{time.perf_counter() - started:.1f} s). Demo users, shown this once:")
        for login, name, role, password, token in loaded.users:
            click.echo(f"  {role:<11} {login:<7} password {password}  {name}\n"
                       f"              token {token}")
    finally:
        app.close()


@main.command("init")
def init() -> None:
    """Create the tables and the keys, then exit: what `serve` does before it starts anything.

    Run it once before the web and projection processes are started apart (compose, systemd),
    and after every upgrade: it remakes a read model of another shape, so the projection
    process starts on tables of the new shape. Never run two at once on PostgreSQL.
    """
    store = storage()
    click.echo(f"Books kept in {store.describe()}")
    if problem := public_url_problem():
        _warn_public_url(problem)
    create_tables(store)
    create_web_tables(store)
    # Every key now, so that the first backup holds them all, before any worker needs one.
    session_key(store)
    centre_key(store)
    personal_data_cipher(store)
    click.echo("Tables and keys are ready.")


@main.group()
def projections() -> None:
    """Keep the read models up to date, or rebuild them."""


@projections.command("run")
@click.option("--retry-after", default=FIRST_PAUSE, show_default=True,
              type=click.FloatRange(0.01, 60),
              help="Seconds before a read model that failed is tried again; the pause doubles "
                   "with each failure in a row, up to a minute.")
@click.option("--only", multiple=True, type=click.Choice(READ_MODELS),
              help="Follow only this read model (repeatable), e.g. `--only audit`: the sealer.")
@click.option("--skip", multiple=True, type=click.Choice(READ_MODELS),
              help="Follow every read model but this one (repeatable).")
def projections_run(retry_after: float, only: tuple[str, ...], skip: tuple[str, ...]) -> None:
    """Follow the event log and project every new event, until stopped.

    Each read model follows on its own: one that cannot project an event stops before it and
    is tried again, while the others go on (see `sunlight projections status`). A deployment
    may run the sealer (`--only audit`) and the others (`--skip audit`) as two services; every
    read model must be followed by exactly one of them.
    """
    chosen = [p for p in PROJECTIONS if (not only or p.name in only) and p.name not in skip]
    if not chosen:
        raise click.UsageError("--only and --skip leave no read model to follow")
    store = storage()
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    die_with_parent()
    follow(store, stop, first_pause=retry_after, projections=chosen)


@projections.command("rebuild")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def projections_rebuild(yes: bool) -> None:
    """Forget the read models and project every event again, from event one.

    Stop `sunlight projections run` (or `serve`) first: two projectors of one read model
    refuse each other's positions.
    """
    store = storage()
    if not yes:
        click.confirm(f"Rebuild the read models in {store.describe()}?", abort=True)
    create_tables(store)
    app, views = open_ledger(store), open_views(store)
    head = app.log_head()
    for name, view in views.items():
        started = time.perf_counter()
        with click.progressbar(length=head, label=f"Rebuilding {name}") as bar:
            position = rebuild(app, view, lambda done, _total: bar.update(done - bar.pos))
        seconds = time.perf_counter() - started
        click.echo(f"{name}: projected {position} events in {seconds:.1f} s "
                   f"({position / seconds if seconds else 0:.0f} events/s)")


@projections.command("status")
def projections_status() -> None:
    """How far the read models have caught up with the event log, and any that stopped.

    A read model that cannot project an event stops before it, alone, and is tried again after
    a growing pause; its fault is listed here until it moves past that event. Mend the cause
    (often the read model's database), or rebuild it with `sunlight projections rebuild`.
    Exits 1 while a read model is stopped by a fault.
    """
    store = storage()
    create_tables(store)
    app, views = open_ledger(store), open_views(store)
    try:
        head = app.log_head()
        click.echo(f"event log head: {head}")
        for name, view in views.items():
            position = view.position()
            click.echo(f"{name} read model: {position} (lag {head - position})")
        stopped = faults(next(iter(views.values())))
        for fault in stopped:
            click.echo(f"{fault['name']} read model STOPPED before event {fault['event']} "
                       f"({fault['topic']}{', org ' + fault['org'] if fault['org'] else ''}) "
                       f"since {fault['since']}, {fault['attempts']} attempt(s): {fault['error']}",
                       err=True)
    finally:
        app.close()
        close_views(views)
    if stopped:
        sys.exit(1)


@main.group()
def demo() -> None:
    """The demo village."""


@demo.command("load")
def demo_load() -> None:
    """Load the demo village into empty books."""
    store = storage()
    create_tables(store)
    _load_demo(store)

main.add_command(users)
main.add_command(disclosures)
main.add_command(tokens)
main.add_command(keys)
keys.add_command(keys_create)
main.add_command(audit)
main.add_command(backup)
main.add_command(restore_command)


if __name__ == "__main__":
    main()
