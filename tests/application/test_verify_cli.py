"""`sunlight disclosures verify` on the demo village: it passes, and after one stored event is
changed underneath it names the disclosure that differs and exits 1."""

from __future__ import annotations

from click.testing import CliRunner

from api.cli import main
from infra.storage import Storage
from tests.application.test_disclosures import execute, stored_state


def environment(storage: Storage) -> dict[str, str]:
    if storage.is_postgres:
        return {"SUNLIGHT_DATABASE_URL": storage.database_url,
                "SUNLIGHT_DATA_DIR": str(storage.data_dir)}
    return {"SUNLIGHT_DATA_DIR": str(storage.data_dir)}


def test_verify_passes_on_the_demo_then_reports_an_altered_event(storage: Storage) -> None:
    runner = CliRunner()
    env = environment(storage)
    loaded = runner.invoke(main, ["demo", "load"], env=env)
    assert loaded.exit_code == 0, loaded.output
    clean = runner.invoke(main, ["disclosures", "verify", "sunlight-village"], env=env)
    assert clean.exit_code == 0, clean.output
    assert "9 published disclosures checked; 0 differ." in clean.output

    originator, version, state = stored_state(
        storage, "ledger.vouchers:Voucher.Posted", "收取绿源合作社9月冷库租金".encode(),
        b'"number":"2026-09-')
    execute(storage, "UPDATE stored_events SET state = ? WHERE originator_id = ? AND "
            "originator_version = ?",
            (state.replace(b'"credit":600000', b'"credit":60000'), originator, version))
    altered = runner.invoke(main, ["disclosures", "verify", "sunlight-village"], env=env)
    assert altered.exit_code == 1, altered.output
    assert "DIFF" in altered.output and "2026年9月财务收支明细" in altered.output
    assert "6000.00" in altered.output and "600.00" in altered.output

    unknown = runner.invoke(main, ["disclosures", "verify", "no-such-village"], env=env)
    assert unknown.exit_code == 1 and "no published disclosure" in unknown.output
