"""The centre administrator's desk page (/desk/admin, 机构与用户), driven as a browser drives it:
the admin registers an organization, creates a user (whose password is shown once and opens
/login), grants and revokes roles; every refusal is said in Chinese beside its field with what
was typed kept and nothing written; anyone else is refused."""

from __future__ import annotations

import re

from flask import Flask

from projections.books.queries import Page
from tests.api.conftest import make_user
from tests.api.desk_browser import Browser, browser, field
from tests.api.test_voucher_desk import error_beside

ADMIN = "/desk/admin"
DONGSHAN = {"code": "dongshan", "name_zh": "东山村股份经济合作社", "name_en": "",
            "kind": "village_collective", "chart": "", "books_start": "2025-01-01"}


def row(page: str, row_id: str) -> str:
    found = re.search(rf'<tr id="{re.escape(row_id)}">(.*?)</tr>', page, re.S)
    assert found, f"no row {row_id}"
    return found.group(1)


def org_codes(app: Flask, project) -> set[str]:
    project()
    with app.extensions["sunlight"].queries.read() as reader:
        return {r["code"] for r in reader.organizations(Page(1, 100))[0]}


def roles_of(app: Flask, login: str) -> dict[str, list[str]]:
    return app.extensions["sunlight"].ledger.identity.user(login).roles


def password_of(page: str) -> str:
    found = re.search(r'<code id="new-password"[^>]*>([^<]+)</code>', page)
    assert found, "no password shown"
    return found.group(1)


def test_the_admin_sees_the_organizations_and_the_users(app, org, project):
    wang = browser(app, project, "wang")
    home = wang.get("/desk/")
    assert f'href="{ADMIN}"' in home and "机构与用户" in home  # the home's link, and the nav's
    page = wang.get(ADMIN)
    assert "<h1>机构与用户</h1>" in page
    v1 = row(page, "org-v1")
    for shown in ("一村股份经济合作社", "村集体", "财会〔2023〕14号", "2025-01-01"):
        assert shown in v1, shown
    user = row(page, "user-wang")
    assert "<strong>是</strong>" in user and "会计" in user and "全部机构" in user
    for heading in ("登记新机构", "新建用户", "授予角色"):
        assert heading in page


def test_anyone_else_is_refused_and_sees_no_link(app, org, project):
    make_user(app, "lisi", ("v1", "accountant"))
    lisi = browser(app, project, "lisi")
    assert ADMIN not in lisi.get("/desk/")
    refused = lisi.get(ADMIN, status=403)
    assert "机构与用户" not in refused
    lisi.post(f"{ADMIN}/orgs", DONGSHAN, status=403)
    lisi.post(f"{ADMIN}/users", {"login": "zhang", "display_name": "张三"}, status=403)
    lisi.post(f"{ADMIN}/roles", {"login": "lisi", "role": "admin", "org": "*",
                               "reason": "自己给自己"}, status=403)
    assert "dongshan" not in org_codes(app, project)
    assert roles_of(app, "lisi") == {"v1": ["accountant"]}
    wang = browser(app, project, "wang")
    wang.get(ADMIN)
    wang.post(f"{ADMIN}/orgs", DONGSHAN, csrf=False, status=403)  # a forged form writes nothing
    wang.post(f"{ADMIN}/users", {"login": "zhang", "display_name": "张三"}, csrf=False,
              status=403)
    assert "dongshan" not in org_codes(app, project)
    signed_out = Browser(app, project).client.get(ADMIN)
    assert signed_out.status_code == 303 and "/login" in signed_out.headers["Location"]


def test_a_registered_organization_appears_and_its_desk_opens(app, org, project):
    wang = browser(app, project, "wang")
    page = wang.get(ADMIN)
    location = wang.post(f"{ADMIN}/orgs", {**DONGSHAN, "key": field(page, "key")})
    assert "done=registered" in location and "after=" in location
    page = wang.get(location)
    assert "东山村股份经济合作社 已登记，代码 dongshan，账簿已开设。" in page
    assert "村集体科目表" in row(page, "org-dongshan")  # the kind's own chart, by default
    assert "dongshan" in org_codes(app, project)
    # A cooperative keeps its own chart by default.
    page = wang.get(wang.post(f"{ADMIN}/orgs", {
        **DONGSHAN, "code": "dongshan-fruit", "name_zh": "东山村果品专业合作社",
        "kind": "farmers_cooperative", "key": field(page, "key")}))
    coop = row(page, "org-dongshan-fruit")
    assert "合作社" in coop and "财会〔2021〕37号" in coop

    make_user(app, "lisi")
    location = wang.post(f"{ADMIN}/roles", {"login": "lisi", "role": "accountant",
                                            "org": "dongshan", "reason": "镇里聘任",
                                            "key": field(page, "key")})
    assert "done=granted" in location
    assert "已授予 lisi 在东山村股份经济合作社担任“会计”。" in wang.get(location)
    lisi = browser(app, project, "lisi")
    lisi.get("/desk/dongshan", status=302)  # the address one types leads to its desk
    assert "东山村股份经济合作社" in lisi.get("/desk/?org=dongshan")
    assert "科目表" in lisi.get("/desk/dongshan/accounts")


def test_a_bad_registration_is_refused_beside_its_field(app, org, project):
    wang = browser(app, project, "wang")
    before = org_codes(app, project)
    key = field(wang.get(ADMIN), "key")
    for typed, status, where, said in (
            ({"code": "Dong Shan"}, 422, "code", "2–40 位小写字母"),
            ({"code": ""}, 422, "code", "请填写机构代码。"),
            ({"code": "admin"}, 422, "code", "admin 是网址中的保留词"),
            ({"code": "v1"}, 409, "code", "代码 v1 已有机构登记"),
            ({"books_start": "2025-13-01"}, 422, "books_start", "格式如 2025-01-01"),
            ({"books_start": "1979-12-31"}, 422, "books_start", "不能早于 1980 年"),
            ({"name_zh": ""}, 422, "name_zh", "请填写机构的中文名称。"),
            ({"kind": "farmers_cooperative", "chart": "mof-2023-village"}, 422, "chart",
             "村集体用村集体科目表")):
        form = {**DONGSHAN, **typed, "key": key}
        refused = wang.post(f"{ADMIN}/orgs", form, status=status)
        assert said in error_beside(refused, f"org-{where}"), typed
        assert f'aria-describedby="org-{where}-error"' in refused
        assert 'class="error-summary"' in refused
        if where != "code":
            assert field(refused, "code") == form["code"]  # what was typed is kept
        assert field(refused, "name_zh") == form["name_zh"]
    assert org_codes(app, project) == before


def test_a_new_user_is_shown_a_password_once_and_signs_in_with_it(app, org, project):
    wang = browser(app, project, "wang")
    page = wang.get(ADMIN)
    response = wang.client.post(f"{ADMIN}/users", data={
        "login": "zhang.kj", "display_name": "张会计", "key": field(page, "key"),
        "csrf_token": wang.csrf})
    assert response.status_code == 201
    assert response.headers["Cache-Control"] == "no-store"
    shown = response.get_data(as_text=True)
    password = password_of(shown)
    assert "此密码只显示这一次" in shown and "张会计 的初始密码" in shown
    assert '<option value="zhang.kj" selected' in shown  # roles come next: the grant offers them
    listed = wang.get(ADMIN)
    assert "张会计" in row(listed, "user-zhang.kj")
    assert password not in listed  # never again

    zhang = Browser(app, project)
    zhang.get("/login?next=/desk/")
    assert zhang.post("/login", {"login": "zhang.kj", "password": password,
                                 "next": "/desk/"}) == "/desk/"
    assert "zhang.kj" in zhang.get("/desk/")
    # A second tap on the same form creates nobody, and cannot show the password again.
    again = wang.post(f"{ADMIN}/users", {"login": "zhang.kj", "display_name": "张会计",
                                         "key": field(page, "key")}, status=201)
    assert 'id="new-password"' not in again and "不能再显示" in again


def test_a_new_admin_and_refused_logins(app, org, project):
    wang = browser(app, project, "wang")
    page = wang.get(ADMIN)
    made = wang.post(f"{ADMIN}/users", {"login": "chief", "display_name": "站长",
                                        "admin": "1", "key": field(page, "key")}, status=201)
    assert "该用户是全中心的管理员" in made and password_of(made)
    assert "<strong>是</strong>" in row(wang.get(ADMIN), "user-chief")
    assert roles_of(app, "chief") == {"*": ["admin"]}
    key = field(wang.get(ADMIN), "key")
    for login, status, said in (("chief", 409, "登录名 chief 已被使用"),
                                ("Wang Li", 422, "3–40 位小写字母"), ("", 422, "请填写登录名")):
        refused = wang.post(f"{ADMIN}/users", {"login": login, "display_name": "王力",
                                               "key": key}, status=status)
        assert said in error_beside(refused, "user-login"), login
        assert field(refused, "display_name") == "王力" and 'id="new-password"' not in refused
    refused = wang.post(f"{ADMIN}/users", {"login": "wangli", "display_name": "",
                                           "key": key}, status=422)
    assert "请填写姓名" in error_beside(refused, "user-display_name")
    project()
    logins = {u["login"] for u in app.extensions["sunlight"].identity.users()}
    assert logins == {"wang", "chief"}


def test_granting_and_revoking_a_role_needs_a_reason(app, org, project):
    make_user(app, "lisi")
    wang = browser(app, project, "wang")
    key = field(wang.get(ADMIN), "key")
    grant = {"login": "lisi", "role": "supervisor", "org": "v1", "key": key}
    refused = wang.post(f"{ADMIN}/roles", {**grant, "reason": "  "}, status=422)
    assert "请写明理由" in error_beside(refused, "grant-reason")
    assert re.search(r'<option value="supervisor" selected>', refused)  # kept as chosen
    refused = wang.post(f"{ADMIN}/roles", {**grant, "role": "admin", "reason": "试试"},
                        status=422)
    assert "中心管理员只能授予“全部机构”" in error_beside(refused, "grant-org")
    refused = wang.post(f"{ADMIN}/roles", {**grant, "org": "*", "reason": "试试"}, status=422)
    assert "按机构授予" in error_beside(refused, "grant-org")
    refused = wang.post(f"{ADMIN}/roles", {**grant, "org": "nowhere", "reason": "试试"},
                        status=422)
    assert "没有代码为 nowhere 的机构" in error_beside(refused, "grant-org")
    assert roles_of(app, "lisi") == {}

    page = wang.get(wang.post(f"{ADMIN}/roles", {**grant, "reason": "村民代表会议推选"}))
    assert "已授予 lisi 在一村股份经济合作社担任“监委会成员”。" in page
    assert "监委会成员" in row(page, "user-lisi")
    refused = wang.post(f"{ADMIN}/roles", {**grant, "key": field(page, "key"),
                                           "reason": "再来一次"}, status=409)
    assert "lisi 在该机构已担任这个角色" in error_beside(refused, "grant-role")

    form = "revoke-lisi-v1-supervisor"
    assert f'id="{form}"' in page
    revoke = {"login": "lisi", "role": "supervisor", "org": "v1", "key": field(page, "key")}
    refused = wang.post(f"{ADMIN}/roles/revoke", {**revoke, "reason": ""}, status=422)
    assert "请写明理由" in error_beside(refused, f"{form}-reason")
    assert '<details open><summary>撤销</summary>' in refused
    assert roles_of(app, "lisi") == {"v1": ["supervisor"]}
    page = wang.get(wang.post(f"{ADMIN}/roles/revoke", {**revoke, "reason": "换届"}))
    assert "已撤销 lisi 在一村股份经济合作社的“监委会成员”角色。" in page
    assert "监委会成员" not in row(page, "user-lisi")
    assert roles_of(app, "lisi") == {}
    history = app.extensions["sunlight"].identity.role_history("v1")[0]
    assert [(h["grant_reason"], h["revoke_reason"]) for h in history if h["login"] == "lisi"] == [
        ("村民代表会议推选", "换届")]
