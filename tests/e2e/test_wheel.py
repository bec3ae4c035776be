"""The product as a deployer or a container build installs it: the wheel built from this
checkout, installed into a fresh virtual environment, serves from a folder far from the checkout
(templates, translations, static files, the chart and the gunicorn settings all come from the
wheel).

To stay within a minute, the fresh environment takes the dependencies from the test environment
(a .pth line) instead of downloading them again; `.ci/run` does the full install from the
registry into a fresh environment as well.
"""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest
import requests

from tests.e2e.conftest import Server, server_env

pytestmark = pytest.mark.e2e

CHECKOUT = Path(__file__).resolve().parents[2]
COMPILED_CATALOG = "api/translations/zh/LC_MESSAGES/messages.mo"


class WheelServer(Server):
    """`sunlight serve` of the wheel's environment, run in a folder away from the checkout."""

    script: Path = Path()

    def start(self) -> None:
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [str(self.script), "serve", "--port", str(self.port), "--workers", "1"],
                env=self.env, cwd=self.workdir, stdin=subprocess.DEVNULL, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True)


def run(*command: str | Path, cwd: Path) -> str:
    done = subprocess.run([str(part) for part in command], cwd=cwd, capture_output=True,
                          text=True, stdin=subprocess.DEVNULL, timeout=300, check=False)
    assert done.returncode == 0, f"{command}: {done.stdout[-3000:]}{done.stderr[-3000:]}"
    return done.stdout


@pytest.mark.parametrize("storage", ["sqlite"], indirect=True)
def test_the_built_wheel_serves_outside_the_checkout(storage, tmp_path):
    # Given the wheel built from this checkout, installed in a fresh environment
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", tmp_path / "dist",
        CHECKOUT, cwd=tmp_path)
    [wheel] = (tmp_path / "dist").glob("sunlight_ledger-*.whl")
    # the Chinese catalog is compiled by the build, not at the app's start
    assert COMPILED_CATALOG in zipfile.ZipFile(wheel).namelist()
    venv.create(tmp_path / "venv", with_pip=False)
    python = tmp_path / "venv" / "bin" / "python"
    purelib = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])",
                       cwd=tmp_path).strip())
    run(sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps",
        "--no-compile", wheel, cwd=tmp_path)
    (purelib / "test-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    workdir = tmp_path / "elsewhere"
    workdir.mkdir()
    where = run(python, "-c", "import api, ledger; print(api.__file__, ledger.__file__)",
                cwd=workdir)
    assert str(CHECKOUT) not in where and str(purelib) in where, where

    # When its `sunlight serve` starts, in a folder of its own with a data folder of its own
    server = WheelServer(env=server_env(storage), workdir=workdir)
    server.script = tmp_path / "venv" / "bin" / "sunlight"
    server.start()
    try:
        # Then it answers: health, a page (templates, translations), a static file, the API
        server.wait_ready()
        assert "阳光账本" in requests.get(f"{server.url}/", timeout=30).text
        assert "<h1>登录</h1>" in requests.get(f"{server.url}/login", timeout=30).text
        assert requests.get(f"{server.url}/static/desk.css", timeout=30).status_code == 200
        assert requests.get(f"{server.url}/api/v1/openapi.json", timeout=30).json()["paths"]
        assert (storage.data_dir / "events.sqlite").exists()
    finally:
        stopped = server.stop()
    assert stopped.returncode == 0 and not stopped.leftovers, server.output(tail=5_000)
