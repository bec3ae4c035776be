"""The commands a deployment runs its services with: `sunlight init` makes the tables and keys
once, before anything else starts; `sunlight projections run --only/--skip` splits the read
models between processes (the sealer apart), each read model followed by exactly one.
"""

from __future__ import annotations

import signal
import stat
import threading

from click.testing import CliRunner

import projections.runner as runner
from api.cli import main
from projections.runner import PROJECTIONS, open_ledger, open_views


def sunlight(storage, *args: str):
    env = {"SUNLIGHT_DATABASE_URL": storage.database_url, "SUNLIGHT_DATA_DIR":
           str(storage.data_dir), "SUNLIGHT_PUBLIC_URL": "https://cunwu.example.cn"}
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def test_init_makes_the_tables_and_keys_once(storage):
    # Given empty books, when `sunlight init` runs twice (every upgrade runs it again)
    first = sunlight(storage, "init")
    again = sunlight(storage, "init")
    # Then both succeed, and the books open without creating anything: an empty log, every
    # read model at position 0
    assert first.exit_code == 0 and again.exit_code == 0, first.output + again.output
    assert "Tables and keys are ready." in first.output
    app, views = open_ledger(storage), open_views(storage)
    try:
        assert app.log_head() == 0
        assert {name: view.position() for name, view in views.items()} == {
            projection.name: 0 for projection in PROJECTIONS}
    finally:
        app.close()
        runner.close_views(views)
    # and every key is kept, for its owner only, so that the first backup holds them all
    for name in ("session.key", "signing.key", "personal-data.key"):
        path = storage.data_dir / name
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, name
    assert "fingerprint" in sunlight(storage, "keys").output


def test_init_warns_when_the_public_address_is_unset(tmp_path):
    env = {"SUNLIGHT_DATA_DIR": str(tmp_path), "SUNLIGHT_PUBLIC_URL": ""}
    result = CliRunner().invoke(main, ["init"], env=env, catch_exceptions=False)
    assert result.exit_code == 0
    assert "SUNLIGHT_PUBLIC_URL" in result.output


def followed_by(monkeypatch, *args: str) -> list[str]:
    """The read models `projections run ARGS` starts following (their threads, not the log)."""
    started: list[str] = []
    lock = threading.Lock()

    def follow_one(_storage, projection, _stop, **_kwargs) -> None:
        with lock:
            started.append(projection.name)

    monkeypatch.setattr(runner, "follow_one", follow_one)
    monkeypatch.setattr(signal, "signal", lambda *_: None)  # pytest keeps its own handlers
    result = CliRunner().invoke(main, ["projections", "run", *args],
                                env={"SUNLIGHT_DATABASE_URL": "sqlite:///unused.sqlite"})
    assert result.exit_code == 0, result.output
    return sorted(started)


def test_the_sealer_and_the_other_read_models_split_between_two_processes(monkeypatch):
    everything = sorted(projection.name for projection in PROJECTIONS)
    assert followed_by(monkeypatch) == everything
    assert followed_by(monkeypatch, "--only", "audit") == ["audit"]
    assert followed_by(monkeypatch, "--skip", "audit") == [n for n in everything if n != "audit"]
    assert followed_by(monkeypatch, "--only", "books", "--only", "identity") == [
        "books", "identity"]


def test_a_split_that_leaves_nothing_or_names_no_read_model_is_refused():
    nothing = CliRunner().invoke(main, ["projections", "run", "--only", "audit", "--skip",
                                        "audit"])
    assert nothing.exit_code == 2 and "leave no read model" in nothing.output
    unknown = CliRunner().invoke(main, ["projections", "run", "--only", "sealer"])
    assert unknown.exit_code == 2 and "audit" in unknown.output  # the choices are listed
