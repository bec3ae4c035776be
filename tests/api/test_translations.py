"""Every user-visible string in every template under `api/templates/` goes through gettext and
has a Chinese translation; pages are Chinese by default, English by `?lang=en`, remembered."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import write_po
from flask import Flask, render_template_string

from api import i18n, i18n_tools

TEMPLATES = i18n.TEMPLATES
STATIC = i18n.PACKAGE / "static"

# --- (a) no bare text in templates ----------------------------------------------------------

EXPR = "\ue000"  # stands for a {{ ... }}: not a letter, so a translated attribute passes
LETTER = re.compile(r"[^\W\d_]")  # any letter: ASCII, CJK, accented — digits and signs pass
TEXT_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label", "data-label"}
BUTTON_INPUTS = {"submit", "button", "reset"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


def _blank(replacement: str) -> object:
    # Jinja constructs are replaced keeping their newlines, so reported lines stay true.
    return lambda match: replacement + "\n" * match.group(0).count("\n")


def without_jinja(source: str) -> str:
    source = re.sub(r"\{#.*?#\}", _blank(""), source, flags=re.S)
    # A {% trans %} block is translated text, however much it holds.
    source = re.sub(r"\{%-?\s*trans\b.*?\{%-?\s*endtrans\s*-?%\}", _blank(EXPR), source,
                    flags=re.S)
    source = re.sub(r"\{\{.*?\}\}", _blank(EXPR), source, flags=re.S)
    return re.sub(r"\{%.*?%\}", _blank(" "), source, flags=re.S)


class BareText(HTMLParser):
    """Collects text and text attributes with letters, outside `translate="no"`, script and
    style elements."""

    def __init__(self, name: str) -> None:
        super().__init__(convert_charrefs=True)  # &nbsp; &middot; become non-letters
        self.name = name
        self.open: list[tuple[str, bool]] = []  # (tag, silenced)
        self.problems: list[str] = []

    def silenced(self) -> bool:
        return any(silent for _tag, silent in self.open)

    def report(self, line: int, text: str) -> None:
        shown = text.strip().replace(EXPR, "{{…}}")
        self.problems.append(f"{self.name}:{line}: {shown!r}")

    def check_attributes(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        checked = set(TEXT_ATTRIBUTES)
        if tag == "button" or (tag == "input" and values.get("type") in BUTTON_INPUTS):
            checked.add("value")
        if tag == "meta" and values.get("name") == "description":
            checked.add("content")
        for name, value in attrs:
            if name in checked and value and LETTER.search(value):
                self.report(self.getpos()[0], f'{name}="{value}"')

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        silent = tag in ("script", "style") or dict(attrs).get("translate") == "no"
        if not (silent or self.silenced()):
            self.check_attributes(tag, attrs)
        if tag not in VOID:
            self.open.append((tag, silent))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if dict(attrs).get("translate") != "no" and not self.silenced():
            self.check_attributes(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        # Tags closed implicitly (<p>, <li>) are dropped with the element that closes them.
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag:
                del self.open[index:]
                return

    def handle_data(self, data: str) -> None:
        if self.silenced():
            return
        first = self.getpos()[0]
        for offset, line in enumerate(data.split("\n")):
            if LETTER.search(line):
                self.report(first + offset, line)


def bare_text(source: str, name: str) -> list[str]:
    parser = BareText(name)
    parser.feed(without_jinja(source))
    parser.close()
    return parser.problems


def all_templates() -> list[Path]:
    return sorted(TEMPLATES.rglob("*.html"))


@pytest.mark.parametrize("template", all_templates(),
                         ids=lambda path: str(path.relative_to(TEMPLATES)))
def test_templates_have_no_untranslated_text(template: Path):
    name = str(template.relative_to(i18n.PACKAGE.parent))
    problems = bare_text(template.read_text(encoding="utf-8"), name)
    assert not problems, (
        "text outside _() / {% trans %} (wrap it, or mark a proper noun translate=\"no\"):\n"
        + "\n".join(problems))


def test_the_check_finds_bare_text_and_passes_translated_text():
    bad = ('<p>Hello</p>\n<p title="Hi">{{ _("x") }}</p>\n<button value="Go">{{ x }}</button>\n'
           '<span translate="no"><b>name</b></span>tail\n<p>{% if x %}中文{% endif %}</p>\n'
           '<td data-label="Amount">{{ amount }}</td>\n<input type="submit" value="Send">\n')
    assert bare_text(bad, "t.html") == [
        "t.html:1: 'Hello'", "t.html:2: 'title=\"Hi\"'", "t.html:3: 'value=\"Go\"'",
        "t.html:4: 'tail'", "t.html:5: '中文'", "t.html:6: 'data-label=\"Amount\"'",
        "t.html:7: 'value=\"Send\"'"]
    good = ('{# a note for authors #}<!doctype html>\n<style>p { color: red }</style>\n'
            '<script>let a = 1;</script>\n<p title="{{ _(\'Hi\') }}">{{ _("Hello") }}&nbsp;'
            '&middot; 1 234.50 — (%)</p>\n<span translate="no">Sunlight Ledger</span>\n'
            '{% trans n=3 %}Some\n{{ n }} lines{% endtrans %}\n<!-- a comment -->\n'
            '<input type="hidden" name="next" value="/x"><br/>\n'
            '<td data-label="{{ _(\'Amount\') }}" class="num">{{ amount }}</td>\n')
    assert bare_text(good, "t.html") == []


# --- (b) every msgid has a Chinese translation ----------------------------------------------

def test_every_msgid_has_a_chinese_translation():
    missing = i18n_tools.missing_translations()
    assert not missing, "msgids without a zh translation (python -m api.i18n extract ...):\n" + (
        "\n".join(f"{item.path.relative_to(i18n.PACKAGE.parent)}:{item.line}: {item.key!r}"
                  for item in missing))
    assert i18n_tools.duplicate_messages() == []
    assert i18n_tools.stray_catalogs() == []


def test_the_maintainer_commands(tmp_path, capsys):
    assert i18n_tools.main(["check"]) == 0
    template = tmp_path / "new.html"
    template.write_text('<p>{{ _("Sign in") }} {{ _("A brand new string") }}</p>\n')
    po = tmp_path / "new.po"
    assert i18n_tools.main(["extract", str(po), str(template)]) == 0
    catalog = i18n_tools.read_catalog(po)
    assert [m.id for m in catalog if m.id] == ["A brand new string"]  # "Sign in" is known
    catalog["A brand new string"].string = "全新的字符串"
    with po.open("wb") as file:
        write_po(file, catalog)
    template.write_text('{{ _("A brand new string") }}'
                        '{{ ngettext("%(num)s cow", "%(num)s cows", 2) }}')
    i18n_tools.add_new_messages(po, [template])
    catalog = i18n_tools.read_catalog(po)
    assert catalog["A brand new string"].string == "全新的字符串"
    assert catalog.get("%(num)s cow").id == ("%(num)s cow", "%(num)s cows")
    # The temporary .po is not among the app's catalogs, so both still lack a translation.
    assert sorted((m.key, m.line) for m in i18n_tools.missing_translations([template])) == [
        ("%(num)s cow", 1), ("A brand new string", 1)]
    assert i18n_tools.main(["nonsense"]) == 2
    capsys.readouterr()


def test_translations_keep_placeholders_and_tags():
    placeholder = re.compile(r"%\(\w+\)[sd]")
    tag = re.compile(r"</?\w+")
    for message in i18n_tools.app_catalog():
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for string in strings:
            assert set(placeholder.findall(string)) == set(placeholder.findall(ids[-1])), message
            assert sorted(tag.findall(string)) == sorted(tag.findall(ids[0])), message


def test_catalogs_declare_simplified_chinese_in_utf8():
    for path in i18n_tools.catalog_files():
        text = path.read_text(encoding="utf-8")
        assert '"Language: zh_Hans\\n"' in text and "charset=utf-8" in text, path


# --- (c) choosing the language --------------------------------------------------------------

PAGE = """{% extends "public/base.html" %}
{% block content %}<p id="m">{{ _("Sign in") }}</p>
<p id="n">{{ ngettext("%(num)s line", "%(num)s lines", 3) }}</p>{% endblock %}"""


@pytest.fixture
def tiny() -> Flask:
    app = Flask(__name__, template_folder=str(TEMPLATES), static_folder=str(STATIC))
    i18n.init_i18n(app)
    app.add_url_rule("/", "page", lambda: render_template_string(PAGE))
    app.add_url_rule("/py", "py", lambda: i18n.gettext("Sign in") + "|" + i18n._(
        "%(n)s of %(m)s", n=1, m=2) + "|" + i18n.ngettext("%(num)s day", "%(num)s days", 2))
    return app


def test_chinese_by_default_whatever_the_browser_asks(tiny):
    response = tiny.test_client().get("/", headers={"Accept-Language": "en-US,en;q=0.9"})
    page = response.get_data(as_text=True)
    assert '<html lang="zh-Hans">' in page
    assert '<p id="m">登录</p>' in page and "<title>阳光账本</title>" in page
    assert "阳光账本——账目以不可更改的事件记录" in page
    assert "lang=" not in response.headers.get("Set-Cookie", "")
    assert "Cookie" in response.headers["Vary"]


def test_english_by_query_then_by_cookie(tiny):
    browser = tiny.test_client()
    chosen = browser.get("/?lang=en")
    page = chosen.get_data(as_text=True)
    assert '<html lang="en">' in page and '<p id="m">Sign in</p>' in page
    assert '<p id="n">3 lines</p>' in page
    assert "Sunlight Ledger — records kept as events that cannot be altered" in page
    cookie = chosen.headers["Set-Cookie"]
    assert cookie.startswith("lang=en;") and "Max-Age=" in cookie and "SameSite=Lax" in cookie
    later = browser.get("/").get_data(as_text=True)
    assert '<p id="m">Sign in</p>' in later
    assert browser.get("/py").get_data(as_text=True) == "Sign in|1 of 2|2 days"
    assert '<p id="m">登录</p>' in browser.get("/?lang=zh").get_data(as_text=True)
    assert '<p id="m">登录</p>' in browser.get("/").get_data(as_text=True)


def test_an_unknown_language_is_ignored(tiny):
    browser = tiny.test_client()
    browser.get("/?lang=en")
    response = browser.get("/?lang=fr")
    assert '<p id="m">Sign in</p>' in response.get_data(as_text=True)
    assert "Set-Cookie" not in response.headers


def test_the_switch_keeps_the_other_query_parameters(tiny):
    page = tiny.test_client().get("/?page=2&q=a+b&lang=en").get_data(as_text=True)
    assert 'href="/?page=2&amp;q=a+b&amp;lang=zh"' in page
    assert 'href="/?page=2&amp;q=a+b&amp;lang=en"' in page and 'aria-current="true">English' in page
    with tiny.test_request_context("/x?page=2&page=3&lang=zh"):
        assert i18n.lang_switch_url("en") == "/x?page=2&page=3&lang=en"


def test_a_view_forces_chinese_with_force_locale(tiny):
    tiny.add_url_rule("/printed", "printed", _printed)
    browser = tiny.test_client()
    assert browser.get("/printed?lang=en").get_data(as_text=True) == "登录|zh|Sign in|en"


def _printed() -> str:
    with i18n.force_locale("zh"):  # as the printed sheets do, whatever the reader chose
        inside = f"{i18n.gettext('Sign in')}|{i18n.current_locale()}"
    return f"{inside}|{i18n.gettext('Sign in')}|{i18n.current_locale()}"


def test_no_view_chooses_the_language_through_g():
    # Flask-Babel keeps the request's locale itself; `g.locale = ...` (the old way) is ignored.
    sources = sorted(i18n.PACKAGE.rglob("*.py"))
    assigning = [f"{path.relative_to(i18n.PACKAGE.parent)}:{number}"
                 for path in sources
                 for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if re.search(r"\bg\.locale\s*=", line)]
    assert assigning == [], "use `with force_locale(DEFAULT_LOCALE):` from api.i18n instead"


def test_python_side_outside_a_request_is_chinese():
    assert i18n.current_locale() == "zh"
    assert i18n.gettext("Sign in") == "登录"
    assert str(i18n.lazy_gettext("Sunlight Ledger")) == "阳光账本"


def test_the_public_stylesheet_is_served_and_light(tiny):
    response = tiny.test_client().get("/static/public.css")
    css = response.get_data(as_text=True)
    response.close()
    assert response.status_code == 200
    for needed in ("font-size: 125%", "line-height: 1.6", "min-height: 44px", ":focus",
                   "attr(data-label)", "@media print", "nav.lang"):
        assert needed in css, needed
    layout = (TEMPLATES / "public" / "base.html").read_text(encoding="utf-8")
    for text in (css, layout):
        assert "http" not in text and "@font-face" not in text and "@import" not in text
    assert "<script" not in layout


def test_the_sign_in_page_follows_the_language(app):
    browser = app.test_client()
    chinese = browser.get("/login").get_data(as_text=True)
    assert "<h1>登录</h1>" in chinese and "登录名" in chinese
    english = browser.get("/login?lang=en").get_data(as_text=True)
    assert "<h1>Sign in</h1>" in english and 'name="login"' in english
