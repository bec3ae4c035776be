"""A user who lost their password gets a new one from the centre administrator, on the desk page
(/desk/admin) or with `sunlight users password`: made up, shown once, the old one refused from
then on and the sessions signed in with it ended; only the admin may, and a double tap on the
same form makes no second password."""

from __future__ import annotations

import re

from click.testing import CliRunner

from api.cli import main
from tests.api.conftest import make_user
from tests.api.desk_browser import Browser, browser, field
from tests.api.test_admin_desk import ADMIN


def _shown(page: str) -> str:
    found = re.search(r'<code id="reset-password"[^>]*>([^<]+)</code>', page)
    assert found, "no password shown"
    return found.group(1)


def _signs_in(app, project, login: str, password: str) -> bool:
    person = Browser(app, project)
    person.get("/login?next=/desk/")
    response = person.client.post("/login", data={"login": login, "password": password,
                                                  "next": "/desk/", "csrf_token": person.csrf})
    return response.status_code == 303


def test_the_admin_gives_a_new_password_shown_once(app, org, project) -> None:
    make_user(app, "lisi", ("v1", "accountant"))
    lisi = browser(app, project, "lisi")  # signed in with the old password
    wang = browser(app, project, "wang")
    page = wang.get(ADMIN)
    assert f'action="{ADMIN}/users/lisi/password"' in page and "重设密码" in page
    response = wang.client.post(f"{ADMIN}/users/lisi/password",
                                data={"key": field(page, "key"), "csrf_token": wang.csrf})
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    shown = response.get_data(as_text=True)
    password = _shown(shown)
    assert "此密码只显示这一次" in shown
    assert password not in wang.get(ADMIN)
    assert _signs_in(app, project, "lisi", password)
    lisi.get("/desk/v1", status=303)  # the session of the old password ended
    # The same form sent again sets nothing new and cannot show the password again...
    again = wang.post(f"{ADMIN}/users/lisi/password", {"key": field(page, "key")}, status=200)
    assert 'id="reset-password"' not in again and "不能再显示" in again
    assert _signs_in(app, project, "lisi", password)
    # ...but the page's other users' forms are their own.
    make_user(app, "zhao", ("v1", "supervisor"))
    other = wang.client.post(f"{ADMIN}/users/zhao/password",
                             data={"key": field(page, "key"), "csrf_token": wang.csrf})
    assert _signs_in(app, project, "zhao", _shown(other.get_data(as_text=True)))


def test_only_the_admin_and_only_a_known_user(app, org, project) -> None:
    make_user(app, "lisi", ("v1", "accountant"))
    lisi = browser(app, project, "lisi")
    lisi.get("/desk/")  # the form token of a real page: refused for the role, not the token
    refused = lisi.post(f"{ADMIN}/users/wang/password", {}, status=403)
    assert "无权" in refused and "表单已过期" not in refused
    wang = browser(app, project, "wang")
    wang.get(ADMIN)
    missing = wang.post(f"{ADMIN}/users/nobody/password", {}, status=404)
    assert "没有登录名为 nobody 的用户" in missing


def test_the_command_line_gives_a_new_password(app, org, project, storage) -> None:
    make_user(app, "lisi", ("v1", "accountant"))
    env = {"SUNLIGHT_DATABASE_URL": storage.database_url,
           "SUNLIGHT_DATA_DIR": str(storage.data_dir)}
    done = CliRunner().invoke(main, ["users", "password", "lisi"], env=env)
    assert done.exit_code == 0, done.output
    password = done.output.split("shown this once: ")[1].strip()
    assert _signs_in(app, project, "lisi", password)
    unknown = CliRunner().invoke(main, ["users", "password", "nobody"], env=env)
    assert unknown.exit_code != 0
