"""`sunlight backup` while the books are being written, and `sunlight restore` into empty books:
every event up to the position the manifest names comes back byte for byte, nothing beyond it,
with the keys that open it; the restored books are replayed, projected and verified. A restore
never writes over books, nor from a damaged backup. On SQLite and on PostgreSQL."""

from __future__ import annotations

import hashlib
import json
import threading
import uuid
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from api.cli import main
from infra.signing import sign
from infra.storage import Storage
from ledger.books import Line, VoucherDraft
from ledger.kernel.aggregate import serving
from projections.audit import add_signature, checkpoints_of
from projections.audit.view import AuditProjection
from projections.runner import open_ledger, open_view
from tests.conftest import drop_schema, postgres_storage

LOAD_ORG = "load-village"
DEMO_ORG = "sunlight-village"
COOP_ORG = "sunlight-fruit"  # the demo village's fruit cooperative


@pytest.fixture(autouse=True)
def no_key_variables(monkeypatch):
    for variable in ("SUNLIGHT_SECRET_KEY", "SUNLIGHT_PERSONAL_DATA_KEY", "SUNLIGHT_DATA_DIR",
                     "SUNLIGHT_DATABASE_URL"):
        monkeypatch.delenv(variable, raising=False)


def sunlight(store: Storage, *args: str):
    """A `sunlight` command on these books, as the operator types it."""
    env = {"SUNLIGHT_DATA_DIR": str(store.data_dir)}
    if store.is_postgres:
        env["SUNLIGHT_DATABASE_URL"] = store.database_url
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


@pytest.fixture
def target(storage: Storage, tmp_path: Path):
    """Empty books of the same kind: a new data folder, and a new schema on PostgreSQL."""
    folder = tmp_path / "restored"
    if not storage.is_postgres:
        yield Storage(database_url=f"sqlite:///{folder / 'events.sqlite'}", data_dir=folder)
        return
    schema = f"t_{uuid.uuid4().hex[:16]}"
    try:
        yield postgres_storage(schema, folder)
    finally:
        drop_schema(schema)


def stored_events(store: Storage, up_to: int | None = None) -> list[tuple]:
    app = open_ledger(store)
    try:
        found, start = [], 0
        while batch := app.recorder.select_notifications(start=start, limit=1000, stop=up_to,
                                                         inclusive_of_start=False):
            found += [(n.id, str(n.originator_id), n.originator_version, n.topic, bytes(n.state))
                      for n in batch]
            start = batch[-1].id
        return found
    finally:
        app.close()


class Writer(threading.Thread):
    """The server's writes meanwhile: vouchers posted one after another by another application
    instance, as a web worker would."""

    def __init__(self, store: Storage) -> None:
        super().__init__(daemon=True)
        self.app = open_ledger(store)
        self.stop = threading.Event()
        self.posted = threading.Semaphore(0)
        self.error: BaseException | None = None
        with serving("test-load"):
            self.app.books.register_organization(code=LOAD_ORG, name_zh="负载村", actor="load",
                                                 kind="village_collective",
                                                 books_start=date(2025, 1, 1))
            for parent, code, name in (("102", "10201", "银行存款"), ("501", "50101", "发包收入")):
                self.app.books.open_account(LOAD_ORG, parent=parent, code=code, name_zh=name,
                                            actor="load")

    def run(self) -> None:
        try:
            with serving("test-load"):
                i = 0
                while not self.stop.is_set():
                    i += 1
                    self.app.books.post_voucher(LOAD_ORG, VoucherDraft(
                        date(2025, 3, 1 + i % 28), f"收发包款{i}",
                        (Line("10201", debit=100 + i), Line("50101", credit=100 + i))),
                        actor="load")
                    self.posted.release()
        except BaseException as error:
            self.error = error
        finally:
            self.app.close()

    def wait_for(self, vouchers: int) -> None:
        for _ in range(vouchers):
            assert self.posted.acquire(timeout=60), f"the writer stopped: {self.error!r}"


def test_a_backup_under_write_load_restores_everything_up_to_its_position(storage, target,
                                                                           tmp_path):
    # Given the demo village (published disclosures, sealed ID numbers) and vouchers being posted
    assert sunlight(storage, "demo", "load").exit_code == 0
    writer = Writer(storage)
    writer.start()
    try:
        writer.wait_for(20)
        # When the books are backed up while the writes go on
        made = sunlight(storage, "backup", str(tmp_path / "backup"))
        writer.wait_for(20)  # and go on after it
    finally:
        writer.stop.set()
        writer.join(60)
    assert writer.error is None, writer.error
    assert made.exit_code == 0, made.output
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    position = manifest["last_position"]
    source = stored_events(storage)
    assert source[-1][0] > position  # the writes did go on past the backup

    # Then the backup says what it holds, the keys apart from the data
    assert manifest["database"] == ("postgresql" if storage.is_postgres else "sqlite")
    assert manifest["organizations"] == [LOAD_ORG, COOP_ORG, DEMO_ORG]
    up_to_position = stored_events(storage, up_to=position)
    assert manifest["events"] == len(up_to_position)
    keys = tmp_path / "backup" / "keys"
    assert (keys / "personal-data.key").read_text() == \
        (storage.data_dir / "personal-data.key").read_text()
    assert (keys / "personal-data.key").stat().st_mode & 0o077 == 0
    assert "keep it apart" in made.output
    for name, facts in manifest["files"].items():
        path = tmp_path / "backup" / name
        assert hashlib.sha256(path.read_bytes()).hexdigest() == facts["sha256"], name

    # When it is restored into empty books
    restored = sunlight(target, "restore", str(tmp_path / "backup"))

    # Then every event up to the position is there byte for byte, and nothing beyond it
    assert restored.exit_code == 0, restored.output
    assert stored_events(target) == up_to_position
    assert (target.data_dir / "personal-data.key").read_text() == \
        (storage.data_dir / "personal-data.key").read_text()
    # and the restored books were replayed, verified, and their personal data opened
    assert (f"events: {len(up_to_position)}, organizations: 3 ({LOAD_ORG}, {COOP_ORG}, "
            f"{DEMO_ORG}), "
            f"last position: {position}") in restored.output
    assert "published disclosures verified: 11" in restored.output  # 9 village, 2 cooperative
    assert "personal data: opens with the restored key" in restored.output
    # and the restored books take new events after the last one
    assert sunlight(target, "users", "create", "newcomer", "--name", "新人").exit_code == 0
    assert stored_events(target)[-1][0] > position


def checkpoints(store: Storage) -> list[dict]:
    view = open_view(store, AuditProjection)
    try:
        with view.sql() as sql:
            return checkpoints_of(sql, None)
    finally:
        view.datastore.close()


def test_the_signed_checkpoints_come_back_with_their_co_signatures(storage, target, tmp_path):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    # Given the demo books, sealed, and one disclosure's checkpoint co-signed by a supervisor
    assert sunlight(storage, "demo", "load").exit_code == 0
    mark = next(m for m in checkpoints(storage) if m["reason"].startswith("disclosure:"))
    entry = sign(Ed25519PrivateKey.generate(), mark["payload"], signer="supervisor:zhang")
    view = open_view(storage, AuditProjection)
    try:
        with view.sql(commit=True) as sql:
            add_signature(sql, mark["payload"]["org"], mark["payload"]["position"], entry)
    finally:
        view.datastore.close()
    before = checkpoints(storage)
    # When the books are backed up and restored into empty books
    assert sunlight(storage, "backup", str(tmp_path / "backup")).exit_code == 0
    restored = sunlight(target, "restore", str(tmp_path / "backup"))
    # Then every checkpoint is back as signed, the supervisor's signature with it, and the
    # sealer, run over the restored events, found them agreeing with every signed head
    assert restored.exit_code == 0, restored.output
    assert f"{len(before)} signed checkpoints kept again" in restored.output
    after = checkpoints(target)
    assert [m for m in after if m in before] == before  # (the sealer may add a new interval one)
    assert any(entry in m["signatures"] for m in after)


def test_a_restore_never_writes_over_books_nor_from_a_damaged_backup(storage, target, tmp_path):
    # Given a backup, restored once
    assert sunlight(storage, "demo", "load").exit_code == 0
    assert sunlight(storage, "backup", str(tmp_path / "backup")).exit_code == 0
    assert sunlight(target, "restore", str(tmp_path / "backup")).exit_code == 0
    before = stored_events(target)
    files = sorted(p.name for p in target.data_dir.iterdir())

    # When it is restored again into the same books
    again = sunlight(target, "restore", str(tmp_path / "backup"))

    # Then it is refused as a conflict, and nothing was written
    assert again.exit_code == 1 and "refused (conflict)" in again.output
    assert stored_events(target) == before
    assert sorted(p.name for p in target.data_dir.iterdir()) == files

    # And a backup one byte of which changed is refused before anything is written
    data = next((tmp_path / "backup" / "data").iterdir())
    damaged = bytearray(data.read_bytes())
    damaged[len(damaged) // 2] ^= 0xFF
    data.write_bytes(bytes(damaged))
    fresh = Storage(database_url=f"sqlite:///{tmp_path / 'fresh' / 'events.sqlite'}",
                    data_dir=tmp_path / "fresh")
    refused = sunlight(fresh if not storage.is_postgres else target, "restore",
                       str(tmp_path / "backup"))
    assert refused.exit_code == 1 and "does not match the manifest" in refused.output
    assert not (tmp_path / "fresh").exists()
    # And so is one that lost a file (here: its key)
    (tmp_path / "backup" / "keys" / "personal-data.key").unlink()
    refused = sunlight(fresh, "restore", str(tmp_path / "backup"))
    assert refused.exit_code == 1 and "not those its manifest lists" in refused.output
    assert not (tmp_path / "fresh").exists()


def test_a_backup_never_overwrites_a_folder_in_use(storage, tmp_path):
    assert sunlight(storage, "demo", "load").exit_code == 0
    (tmp_path / "backup").mkdir()
    (tmp_path / "backup" / "other.txt").write_text("someone's notes")
    refused = sunlight(storage, "backup", str(tmp_path / "backup"))
    assert refused.exit_code == 1 and "not an empty folder" in refused.output
    assert [p.name for p in (tmp_path / "backup").iterdir()] == ["other.txt"]


def test_a_dump_goes_into_another_schema_with_its_rows_untouched():
    from api.cli.restore_store import renamed

    dump = [b"SET search_path = '';\n",
            b"CREATE TABLE t_src.ledger_events (notification_id bigint);\n",
            b"ALTER TABLE ONLY t_src.ledger_events ALTER COLUMN notification_id SET DEFAULT "
            b"nextval('t_src.ledger_events_notification_id_seq'::regclass);\n",
            b"COPY t_src.ledger_events (originator_id, topic) FROM stdin;\n",
            b"1\tt_src.looks_like_a_name\n",
            b"\\.\n",
            b"SELECT pg_catalog.setval('\"t_src\".ledger_events_notification_id_seq', 9, true);\n"]
    assert list(renamed(dump, "t_src", "t_new")) == [
        b'CREATE SCHEMA IF NOT EXISTS "t_new";\n',
        b"SET search_path = '';\n",
        b"CREATE TABLE t_new.ledger_events (notification_id bigint);\n",
        b"ALTER TABLE ONLY t_new.ledger_events ALTER COLUMN notification_id SET DEFAULT "
        b"nextval('t_new.ledger_events_notification_id_seq'::regclass);\n",
        b"COPY t_new.ledger_events (originator_id, topic) FROM stdin;\n",
        b"1\tt_src.looks_like_a_name\n",
        b"\\.\n",
        b"SELECT pg_catalog.setval('t_new.ledger_events_notification_id_seq', 9, true);\n"]
