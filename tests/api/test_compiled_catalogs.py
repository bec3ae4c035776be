"""The Chinese catalog is compiled when the package is built, never when the app starts: the
running app loads only the .mo (no Babel catalog tools), the .mo says what messages.po says,
and an app without it refuses to start. (tests/e2e/test_wheel.py: the wheel carries it.)"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from flask import Flask

from api import i18n, i18n_tools


@pytest.fixture
def catalogs(tmp_path, monkeypatch) -> Path:
    """A copy of the translations folder, standing in for the real one."""
    folder = tmp_path / "translations"
    shutil.copytree(i18n.CATALOGS, folder, ignore=shutil.ignore_patterns("*.mo"))
    monkeypatch.setattr(i18n, "CATALOGS", folder)
    monkeypatch.setattr(i18n_tools, "CATALOGS", folder)
    return folder


def test_the_app_starts_in_chinese_without_compiling_anything(tmp_path):
    # A fresh interpreter: the test session itself has imported Babel's catalog tools.
    script = (
        "import sys\n"
        "from api import create_app\n"
        "page = create_app().test_client().get('/login').get_data(as_text=True)\n"
        "print('<h1>登录</h1>' in page)\n"
        "print(sorted(m for m in sys.modules if m.startswith('babel.messages')))\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            cwd=tmp_path, env={"SUNLIGHT_DATA_DIR": str(tmp_path / "data"),
                                               "PATH": "/usr/bin:/bin"}, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["True", "[]"]


def test_the_compiled_catalog_says_what_messages_po_says():
    assert i18n.compiled_catalog().is_file()
    assert i18n_tools.stale_compiled() == [], "run: python -m api.i18n compile"


def test_an_edited_catalog_is_stale_until_compiled(catalogs):
    # given a compiled copy of the catalog
    assert i18n_tools.main(["compile"]) == 0
    assert i18n_tools.stale_compiled() == []
    # when a translation is edited
    po = i18n_tools.catalog_file()
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace('msgstr "登录"', 'msgstr "登入"', 1), encoding="utf-8")
    # then the check names it, until compile runs again
    assert i18n_tools.stale_compiled() == ["Sign in"]
    assert i18n_tools.main(["check"]) == 1
    assert i18n_tools.main(["compile"]) == 0
    assert i18n_tools.stale_compiled() == []
    i18n.compiled_catalog().unlink()
    assert i18n_tools.stale_compiled() == [str(i18n.compiled_catalog())]


def test_an_app_without_the_compiled_catalog_refuses_to_start(catalogs):
    with pytest.raises(RuntimeError, match=r"messages\.mo is missing.*python -m api\.i18n compile"):
        i18n.init_i18n(Flask(__name__))


def test_a_merge_left_duplicate_is_found(catalogs):
    po = i18n_tools.catalog_file()
    with po.open("a", encoding="utf-8") as file:
        file.write('\nmsgid "Sign in"\nmsgstr "登入"\n')
    assert i18n_tools.duplicate_messages() == ["Sign in"]
    assert i18n_tools.main(["check"]) == 1


def test_an_old_per_area_catalog_is_merged_in_and_removed(catalogs, capsys):
    # given an old catalog, as a branch from before the single catalog may bring back
    old = catalogs / "zh" / "desk.po"
    old.write_text('msgid ""\nmsgstr ""\n"Language: zh_Hans\\n"\n'
                   '"Content-Type: text/plain; charset=utf-8\\n"\n\n'
                   'msgid "Sign in"\nmsgstr "登入"\n\n'
                   'msgid "A brand new page"\nmsgstr "全新的页面"\n\n'
                   'msgid "Not yet translated"\nmsgstr ""\n', encoding="utf-8")
    assert i18n_tools.stray_catalogs() == [old]
    assert i18n_tools.main(["check"]) == 1
    # when it is merged
    assert i18n_tools.main(["merge", str(old)]) == 0
    # then messages.po has its new translation, keeps its own, and the old file is gone
    catalog = i18n_tools.app_catalog()
    assert catalog["A brand new page"].string == "全新的页面"
    assert catalog["Sign in"].string == "登录"
    assert catalog.get("Not yet translated") is None
    assert not old.exists() and i18n_tools.stray_catalogs() == []
    capsys.readouterr()
