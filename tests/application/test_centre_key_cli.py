"""`sunlight keys` shows the centre's signing key without making it; `sunlight keys create` makes it
once, kept in the data folder like the other keys; the fingerprint printed is the one the
published keys list names."""

from __future__ import annotations

import base64
import re

from click.testing import CliRunner

from api.cli import main
from infra.signing import fingerprint


def sunlight(data_dir, *args: str):
    return CliRunner().invoke(main, list(args), env={
        "SUNLIGHT_DATA_DIR": str(data_dir), "SUNLIGHT_DATABASE_URL": "",
        "SUNLIGHT_SIGNING_KEY": ""})


def test_keys_shows_nothing_until_create_makes_the_key_once(tmp_path):
    # Given a data folder without a centre key, `sunlight keys` says so and makes none
    shown = sunlight(tmp_path, "keys")
    assert shown.exit_code == 0 and "sunlight keys create" in shown.output
    assert not (tmp_path / "signing.key").exists()
    # When it is created, twice
    made = sunlight(tmp_path, "keys", "create")
    again = sunlight(tmp_path, "keys", "create")
    # Then it was made once, kept readable by its owner only, and shown by its fingerprint
    assert made.exit_code == again.exit_code == 0
    assert "made" in made.output and "kept" in again.output
    printed = re.findall(r"fingerprint ([0-9a-f]{16})", made.output + again.output)
    assert len(set(printed)) == 1
    assert (tmp_path / "signing.key").stat().st_mode & 0o077 == 0
    shown = sunlight(tmp_path, "keys")
    public = base64.b64decode(re.search(r"public key\s+(\S+)", shown.output)[1])
    assert fingerprint(public) == printed[0]
