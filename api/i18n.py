"""Pages speak Chinese unless the reader picks English (`?lang=en`, then remembered in a cookie;
the browser's Accept-Language is ignored). Flask-Babel translates, from the catalog compiled at
build time (`api/translations/zh/LC_MESSAGES/messages.mo`); msgids are the English text.

Code imports `_`, `gettext`, `ngettext` and `lazy_gettext` from here; templates use `_()`,
`gettext()`, `ngettext()` and `{% trans %}`. Maintainers: `python -m api.i18n check | extract |
compile` (see api/i18n_tools.py).
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import flask_babel
from babel.support import LazyProxy, NullTranslations, Translations
from flask import Flask, Response, current_app, has_app_context, has_request_context, request

PACKAGE = Path(__file__).resolve().parent
TEMPLATES = PACKAGE / "templates"
CATALOGS = PACKAGE / "translations"
DOMAIN = "messages"  # one catalog per language: pybabel's own layout and workflow

LOCALES = ("zh", "en")
DEFAULT_LOCALE = "zh"  # the readers are villagers: Chinese whatever the browser asks for
SOURCE_LOCALE = "en"  # msgids are English, so English needs no catalog
HTML_LANG = {"zh": "zh-Hans", "en": "en"}
COOKIE = "lang"
COOKIE_MAX_AGE = 2 * 365 * 24 * 3600  # chosen once, remembered; nobody should have to re-pick


def compiled_catalog(locale: str = DEFAULT_LOCALE) -> Path:
    return CATALOGS / locale / "LC_MESSAGES" / f"{DOMAIN}.mo"


@functools.cache
def _loaded(locale: str) -> NullTranslations:
    """A compiled catalog read once per process; for use where Flask-Babel cannot answer."""
    if locale == SOURCE_LOCALE:
        return NullTranslations()
    return Translations.load(str(CATALOGS), [locale], DOMAIN)


def _translations() -> NullTranslations:
    if has_app_context() and "babel" in current_app.extensions:
        return flask_babel.get_translations()
    # Outside the app (scripts, tests of strings): the default language all the same.
    return _loaded(current_locale())


# --- the request's locale -------------------------------------------------------------------

def _chosen_locale() -> str:
    """Flask-Babel's locale selector: the query, else the cookie, else Chinese."""
    if not has_request_context():
        return DEFAULT_LOCALE
    asked = request.args.get(COOKIE, "")
    if asked in LOCALES:
        return asked
    remembered = request.cookies.get(COOKIE, "")
    return remembered if remembered in LOCALES else DEFAULT_LOCALE


def current_locale() -> str:
    """"zh" or "en": the request's choice; outside a request, the default."""
    if has_app_context() and "babel" in current_app.extensions:
        locale = flask_babel.get_locale()  # chosen once per request, then kept by Flask-Babel
        return locale.language if locale is not None else DEFAULT_LOCALE
    return _chosen_locale()


# --- translating in Python ------------------------------------------------------------------

def gettext(message: str, **variables: Any) -> str:
    """The message in the request's language, %-formatted with `variables` (always, as in
    templates, so a literal percent sign is written %%)."""
    return _translations().gettext(message) % variables


_ = gettext


def ngettext(singular: str, plural: str, num: int, **variables: Any) -> str:
    variables.setdefault("num", num)  # as Jinja's ngettext does
    return _translations().ngettext(singular, plural, num) % variables


def lazy_gettext(message: str, **variables: Any) -> LazyProxy:
    """For strings defined at import time (constants, schema texts): translated when used, in
    the language of the request using them."""
    return LazyProxy(gettext, message, enable_cache=False, **variables)


# `with force_locale("zh"):` renders in Chinese whatever the reader chose (a printed sheet).
force_locale = flask_babel.force_locale


def lang_switch_url(lang: str) -> str:
    """The current page with `lang` set, other query parameters kept in their order."""
    query = [(key, value) for key, value in request.args.items(multi=True) if key != COOKIE]
    query.append((COOKIE, lang))
    return f"{request.script_root}{request.path}?{urlencode(query)}"


# --- the app --------------------------------------------------------------------------------

def init_i18n(app: Flask) -> None:
    _check_compiled()
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LOCALE)
    # Absolute: Flask-Babel would otherwise look beside whichever module made the app.
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(CATALOGS))
    app.config.setdefault("BABEL_DOMAIN", DOMAIN)
    flask_babel.Babel(app, locale_selector=_chosen_locale)
    # Runtime and extraction must agree on whitespace, or multi-line {% trans %} never match.
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.jinja_env.globals["lang_switch_url"] = lang_switch_url
    app.jinja_env.globals["current_locale"] = current_locale

    @app.context_processor
    def _html_lang() -> dict[str, str]:
        # A context variable rather than a plain global: it differs per request.
        return {"html_lang": HTML_LANG[current_locale()]}

    @app.after_request
    def _remember_locale(response: Response) -> Response:
        asked = request.args.get(COOKIE, "")
        if asked in LOCALES:
            response.set_cookie(COOKIE, asked, max_age=COOKIE_MAX_AGE, httponly=True,
                                samesite="Lax", secure=request.is_secure)
        # The same URL answers in either language, so caches must key on the cookie.
        response.vary.add("Cookie")
        return response


def _check_compiled() -> None:
    """At startup, so a missing or unreadable catalog stops the app rather than showing
    villagers English pages (Babel falls back to the msgids without a word)."""
    for locale in LOCALES:
        if locale == SOURCE_LOCALE:
            continue
        if not compiled_catalog(locale).is_file():
            raise RuntimeError(
                f"{compiled_catalog(locale)} is missing: the build compiles it "
                "(pip install -e . or pip wheel .); after editing a .po file run "
                "`python -m api.i18n compile`")
        _loaded(locale)


if __name__ == "__main__":
    from api.i18n_tools import main  # the maintainers' tools are never loaded by the app

    sys.exit(main(sys.argv[1:]))
