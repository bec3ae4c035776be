"""`sunlight audit verify ORG` (or `--org ORG`, as `users grant` spells it): a code with no
events in the store is a mistake, answered 2 with the reason, never WHOLE with 0 events, which
an auditor who mistyped the village's code would take for a clean bill. (Found in the
acceptance walk.)

Given: the store of every event, sealed.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from api.cli import main
from infra.storage import Storage
from projections.audit.view import AuditProjection, seal
from projections.runner import open_ledger, open_view
from tests.fixtures.every_event.dump import STORE
from tests.fixtures.stores import load_store

ORG = "sunlight-village"


def verify(storage: Storage, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["audit", "verify", *args], env={
        "SUNLIGHT_DATABASE_URL": storage.database_url,
        "SUNLIGHT_DATA_DIR": str(storage.data_dir), "SUNLIGHT_SIGNING_KEY": ""})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


@pytest.fixture
def sealed(storage: Storage) -> Storage:
    load_store(STORE, storage)
    app, view = open_ledger(storage), open_view(storage, AuditProjection, create_tables=True)
    try:
        seal(app, view)
    finally:
        app.close()
        view.datastore.close()
    return storage


def test_a_village_code_not_in_the_store_is_refused_not_whole(sealed):
    code, output = verify(sealed, "sunlight-vilage")
    assert code == 2 and "no events of sunlight-vilage" in output
    assert "WHOLE" not in output


def test_the_village_is_named_as_an_argument_or_with_org(sealed):
    for args in ([ORG], ["--org", ORG]):
        code, output = verify(sealed, *args)
        assert code == 0 and f"WHOLE: the chain of {ORG}," in output, output
    assert verify(sealed, ORG, "--org", "another")[0] == 2
