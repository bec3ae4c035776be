"""Pages speak Chinese unless the reader picks English: msgids are the English text, and the
Chinese catalogs are the .po files in `api/translations/zh/`, merged and compiled in memory.

Maintainers: `python -m api.i18n check` lists the msgids without a Chinese translation (exit 1
if any); `python -m api.i18n extract FILE.po [PATH ...]` adds new msgids to FILE.po.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from babel.messages.catalog import Catalog
from babel.messages.extract import extract
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from babel.support import LazyProxy, NullTranslations, Translations
from flask import Flask, Response, g, has_request_context, request

PACKAGE = Path(__file__).resolve().parent
TEMPLATES = PACKAGE / "templates"
CATALOGS = PACKAGE / "translations"

LOCALES = ("zh", "en")
DEFAULT_LOCALE = "zh"  # the readers are villagers: Chinese whatever the browser asks for
SOURCE_LOCALE = "en"  # msgids are English, so English needs no catalog
HTML_LANG = {"zh": "zh-Hans", "en": "en"}
CATALOG_LOCALE = {"zh": "zh_Hans"}
COOKIE = "lang"
COOKIE_MAX_AGE = 2 * 365 * 24 * 3600  # chosen once, remembered; nobody should have to re-pick

# Babel's keyword spec: which argument of each call is the msgid (and the plural msgid).
KEYWORDS: dict[str, Any] = {"_": None, "gettext": None, "ngettext": (1, 2),
                            "lazy_gettext": None}
# Runtime and extraction must agree on whitespace, or multi-line {% trans %} blocks never match.
JINJA_OPTIONS = {"trimmed": "true", "newstyle_gettext": "true"}


# --- catalogs -------------------------------------------------------------------------------

def catalog_files(locale: str = DEFAULT_LOCALE) -> list[Path]:
    return sorted((CATALOGS / locale).glob("*.po"))


def read_catalog(path: Path, locale: str = DEFAULT_LOCALE) -> Catalog:
    with path.open("rb") as file:
        return read_po(file, locale=CATALOG_LOCALE.get(locale, locale))


def merged_catalog(locale: str = DEFAULT_LOCALE) -> Catalog:
    """All .po files of a locale as one catalog. A msgid translated in two files keeps the
    translation of the file that sorts first; `check` reports such conflicts."""
    merged = Catalog(locale=CATALOG_LOCALE.get(locale, locale), charset="utf-8")
    for path in catalog_files(locale):
        for message in read_catalog(path, locale):
            if not message.id:
                continue  # the header
            known = merged.get(message.id, message.context)
            if known is not None:
                if _translated(known):
                    continue
                # Assigning over an entry would merge locations but keep its empty string.
                merged.delete(message.id, message.context)
            merged[message.id] = message
    return merged


@functools.cache
def translations(locale: str) -> NullTranslations:
    """The compiled catalog of a locale, built once per process. English is the identity."""
    if locale == SOURCE_LOCALE or locale not in LOCALES:
        return NullTranslations()
    buffer = BytesIO()
    write_mo(buffer, merged_catalog(locale), use_fuzzy=False)  # fuzzy means "not checked yet"
    buffer.seek(0)
    return Translations(buffer)


def _translated(message: Any) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(strings) and not message.fuzzy


# --- the request's locale -------------------------------------------------------------------

def _chosen_locale() -> str:
    asked = request.args.get(COOKIE, "")
    if asked in LOCALES:
        return asked
    remembered = request.cookies.get(COOKIE, "")
    return remembered if remembered in LOCALES else DEFAULT_LOCALE


def current_locale() -> str:
    """"zh" or "en": the request's choice; outside a request, the default."""
    if not has_request_context():
        return DEFAULT_LOCALE
    if "locale" not in g:
        # Computed lazily too, so error pages rendered before our before_request still know it.
        g.locale = _chosen_locale()
    return str(g.locale)


def gettext(message: str, **variables: Any) -> str:
    """The message in the request's language, %-formatted with `variables` (always, as in
    templates, so a literal percent sign is written %%)."""
    return translations(current_locale()).gettext(message) % variables


_ = gettext


def ngettext(singular: str, plural: str, num: int, **variables: Any) -> str:
    variables.setdefault("num", num)  # as Jinja's ngettext does
    return translations(current_locale()).ngettext(singular, plural, num) % variables


def lazy_gettext(message: str, **variables: Any) -> LazyProxy:
    """For strings defined at import time (constants, schema texts): translated when used, in
    the language of the request using them."""
    return LazyProxy(gettext, message, enable_cache=False, **variables)


def lang_switch_url(lang: str) -> str:
    """The current page with `lang` set, other query parameters kept in their order."""
    query = [(key, value) for key, value in request.args.items(multi=True) if key != COOKIE]
    query.append((COOKIE, lang))
    return f"{request.script_root}{request.path}?{urlencode(query)}"


def init_i18n(app: Flask) -> None:
    app.jinja_env.add_extension("jinja2.ext.i18n")
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        lambda message: translations(current_locale()).gettext(message),
        lambda singular, plural, num: translations(current_locale()).ngettext(
            singular, plural, num),
        newstyle=True)
    app.jinja_env.globals["lang_switch_url"] = lang_switch_url
    app.jinja_env.globals["current_locale"] = current_locale
    for locale in LOCALES:
        translations(locale)  # at startup, so a broken .po stops the app rather than a page

    @app.context_processor
    def _html_lang() -> dict[str, str]:
        # A context variable rather than a plain global: it differs per request.
        return {"html_lang": HTML_LANG[current_locale()]}

    @app.before_request
    def _pick_locale() -> None:
        current_locale()

    @app.after_request
    def _remember_locale(response: Response) -> Response:
        asked = request.args.get(COOKIE, "")
        if asked in LOCALES:
            response.set_cookie(COOKIE, asked, max_age=COOKIE_MAX_AGE, httponly=True,
                                samesite="Lax", secure=request.is_secure)
        # The same URL answers in either language, so caches must key on the cookie.
        response.vary.add("Cookie")
        return response


# --- maintenance: extraction and the check --------------------------------------------------

@dataclass(frozen=True)
class Found:
    """A msgid used in the sources (a tuple for ngettext), and where."""
    msgid: str | tuple[str, ...]
    path: Path
    line: int

    @property
    def key(self) -> str:
        return self.msgid[0] if isinstance(self.msgid, tuple) else self.msgid


def _sources(paths: Iterable[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.suffix in (".html", ".py"))
        elif path.suffix in (".html", ".py"):
            yield path


def _shown(path: Path) -> str:
    """A path as the maintainer reads it: relative to the project when inside it."""
    inside = path.is_relative_to(PACKAGE.parent)
    return str(path.relative_to(PACKAGE.parent)) if inside else str(path)


def extract_messages(paths: Iterable[Path] = (PACKAGE,)) -> list[Found]:
    """Every msgid in the templates (Jinja) and Python files under `paths`."""
    found: dict[tuple[Any, Path, int], Found] = {}
    for path in _sources(paths):
        if path.suffix == ".html":
            method, options = "jinja2.ext:babel_extract", JINJA_OPTIONS
        else:
            method, options = "python", {}
        with path.open("rb") as file:
            for line, msgid, _comments, _context in extract(method, file, keywords=KEYWORDS,
                                                            options=options):
                found.setdefault((msgid, path, line), Found(msgid, path, line))
    return list(found.values())


def missing_translations(paths: Iterable[Path] = (PACKAGE,)) -> list[Found]:
    """The msgids used under `paths` without a non-empty, non-fuzzy Chinese translation."""
    catalog = merged_catalog(DEFAULT_LOCALE)
    missing = []
    for item in extract_messages(paths):
        message = catalog.get(item.key)
        if message is None or not _translated(message):
            missing.append(item)
    return missing


def conflicting_translations(locale: str = DEFAULT_LOCALE) -> list[str]:
    """Msgids translated differently in two .po files: only one of them can win."""
    seen: dict[str, tuple[Any, Path]] = {}
    conflicts = []
    for path in catalog_files(locale):
        for message in read_catalog(path, locale):
            if not message.id or not _translated(message):
                continue
            key = message.id[0] if isinstance(message.id, tuple) else message.id
            if key in seen and seen[key][0] != message.string:
                conflicts.append(f"{path.name} and {seen[key][1].name}: {key!r}")
            seen.setdefault(key, (message.string, path))
    return conflicts


def add_new_messages(po_path: Path, paths: Iterable[Path] = (PACKAGE,)) -> int:
    """Adds to `po_path` the msgids used under `paths` that no zh catalog has yet, untranslated;
    existing entries and translations stay. Returns how many were added."""
    known = merged_catalog(DEFAULT_LOCALE)
    if po_path.exists():
        target = read_catalog(po_path)
    else:
        target = Catalog(locale=CATALOG_LOCALE[DEFAULT_LOCALE], project="Sunlight Ledger",
                         version="", charset="utf-8", fuzzy=False,
                         header_comment="# Chinese translations for Sunlight Ledger.")
    added = 0
    for item in extract_messages(paths):
        location = (_shown(item.path), item.line)
        if item.key in target:
            continue
        if item.key in known:
            continue  # another file has it: one msgid, one translation
        plural = isinstance(item.msgid, tuple)
        string: str | tuple[str, ...] = ("",) * target.num_plurals if plural else ""
        target.add(item.msgid, string, locations=[location])
        added += 1
    with po_path.open("wb") as file:
        write_po(file, target, width=100, omit_header=False)
    return added


def main(argv: list[str]) -> int:
    usage = "usage: python -m api.i18n check | extract FILE.po [PATH ...]"
    if argv[:1] == ["check"] and len(argv) == 1:
        missing = missing_translations()
        for item in missing:
            print(f"{_shown(item.path)}:{item.line}: {item.key!r}")
        conflicts = conflicting_translations()
        for conflict in conflicts:
            print(f"translated differently in {conflict}")
        if missing or conflicts:
            print(f"{len(missing)} msgid(s) without a zh translation, "
                  f"{len(conflicts)} conflict(s)", file=sys.stderr)
            return 1
        return 0
    if argv[:1] == ["extract"] and len(argv) >= 2:
        sources = [Path(p).resolve() for p in argv[2:]] or [PACKAGE]
        added = add_new_messages(Path(argv[1]), sources)
        print(f"{added} new msgid(s) added to {argv[1]}; translate them, then run check")
        return 0
    print(usage, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
