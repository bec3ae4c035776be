"""The maintainers' side of translation, never loaded by the running app: every msgid used in the
templates and Python code needs a Chinese translation in the one catalog per language,
`api/translations/zh/LC_MESSAGES/messages.po`, and the compiled .mo must say the same.

    python -m api.i18n check                   msgids without Chinese, duplicates, stale .mo: exit 1
    python -m api.i18n extract [FILE.po [PATH ...]]   add new msgids (to messages.po by default)
    python -m api.i18n compile                 .po → .mo in place, as the build does (pybabel)
    python -m api.i18n merge OLD.po            move an old per-area catalog's entries in, delete it
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import PoFileParser, read_po, write_po
from babel.support import Translations

from api.i18n import CATALOGS, DEFAULT_LOCALE, DOMAIN, PACKAGE, compiled_catalog

CATALOG_LOCALE = {"zh": "zh_Hans"}
# Babel's keyword spec: which argument of each call is the msgid (and the plural msgid).
KEYWORDS: dict[str, Any] = {"_": None, "gettext": None, "ngettext": (1, 2),
                            "lazy_gettext": None}
# Runtime and extraction must agree on whitespace, or multi-line {% trans %} blocks never match.
JINJA_OPTIONS = {"trimmed": "true", "newstyle_gettext": "true"}
WIDTH = 100


# --- the catalog ----------------------------------------------------------------------------

def catalog_file(locale: str = DEFAULT_LOCALE) -> Path:
    return CATALOGS / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def catalog_files(locale: str = DEFAULT_LOCALE) -> list[Path]:
    """Every .po file of a locale; only messages.po is compiled, see `stray_catalogs`."""
    return sorted((CATALOGS / locale).rglob("*.po"))


def stray_catalogs(locale: str = DEFAULT_LOCALE) -> list[Path]:
    """.po files the build never compiles, e.g. an old per-area catalog a merge brought back."""
    return [path for path in catalog_files(locale) if path != catalog_file(locale)]


def read_catalog(path: Path, locale: str = DEFAULT_LOCALE) -> Catalog:
    with path.open("rb") as file:
        return read_po(file, locale=CATALOG_LOCALE.get(locale, locale))


def app_catalog(locale: str = DEFAULT_LOCALE) -> Catalog:
    return read_catalog(catalog_file(locale), locale)


def write_catalog(path: Path, catalog: Catalog) -> None:
    # Sorted by msgid, so that two branches adding strings rarely touch the same lines.
    with path.open("wb") as file:
        write_po(file, catalog, width=WIDTH, sort_output=True)


def _translated(message: Message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(strings) and not message.fuzzy


class _Recording(Catalog):
    """A catalog that notes msgids met twice while a .po file is read (Babel keeps the first
    silently; msgfmt would refuse the file)."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.twice: list[str] = []

    def __setitem__(self, key: Any, message: Message) -> None:
        if key and self.get(key, message.context) is not None:
            self.twice.append(key[0] if isinstance(key, tuple) else key)
        super().__setitem__(key, message)


def duplicate_messages(locale: str = DEFAULT_LOCALE) -> list[str]:
    """Msgids defined twice in messages.po, as a merge of two branches can leave them."""
    catalog = _Recording(locale=CATALOG_LOCALE.get(locale, locale))
    with catalog_file(locale).open("rb") as file:
        PoFileParser(catalog).parse(file)
    return catalog.twice


def stale_compiled(locale: str = DEFAULT_LOCALE) -> list[str]:
    """Msgids whose translation in the compiled .mo differs from messages.po (all of them when
    there is no .mo): the app would show the old text."""
    path = compiled_catalog(locale)
    if not path.is_file():
        return [str(path)]
    with path.open("rb") as file:
        compiled = Translations(file, domain=DOMAIN)
    stale = []
    for message in app_catalog(locale):
        if not message.id or not _translated(message):
            continue
        if isinstance(message.id, tuple):
            shown = tuple(compiled.ngettext(*message.id, n) for n in range(len(message.string)))
            same = shown == tuple(message.string)
        else:
            same = compiled.gettext(message.id) == message.string
        if not same:
            stale.append(message.id[0] if isinstance(message.id, tuple) else message.id)
    return stale


def compile_catalogs() -> int:
    """pybabel compile, in place: what the build does for an editable install."""
    return int(CommandLineInterface().run(["pybabel", "compile", "-d", str(CATALOGS)]) or 0)


# --- extraction -----------------------------------------------------------------------------

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


def shown(path: Path) -> str:
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
    catalog = app_catalog()
    missing = []
    for item in extract_messages(paths):
        message = catalog.get(item.key)
        if message is None or not _translated(message):
            missing.append(item)
    return missing


def add_new_messages(po_path: Path, paths: Iterable[Path] = (PACKAGE,)) -> int:
    """Adds to `po_path` the msgids used under `paths` that neither it nor messages.po has,
    untranslated; existing entries and translations stay. Returns how many were added."""
    known = app_catalog()
    if po_path.exists():
        target = read_catalog(po_path)
    else:
        target = Catalog(locale=CATALOG_LOCALE[DEFAULT_LOCALE], project="Sunlight Ledger",
                         version="", charset="utf-8", fuzzy=False,
                         header_comment="# Chinese translations for Sunlight Ledger.")
    added = 0
    for item in extract_messages(paths):
        if item.key in target or item.key in known:
            continue  # one msgid, one translation
        plural = isinstance(item.msgid, tuple)
        string: str | tuple[str, ...] = ("",) * target.num_plurals if plural else ""
        target.add(item.msgid, string, locations=[(shown(item.path), item.line)])
        added += 1
    write_catalog(po_path, target)
    return added


def merge_catalog(old: Path) -> int:
    """Moves the translated entries of an old .po into messages.po, where messages.po lacks or
    has not translated them, then deletes the old file. Returns how many moved."""
    catalog = app_catalog()
    moved = 0
    for message in read_catalog(old):
        if not message.id or not _translated(message):
            continue
        current = catalog.get(message.id, message.context)
        if current is not None and _translated(current):
            continue
        if current is not None:
            catalog.delete(message.id, message.context)  # assigning over would keep its ""
        catalog[message.id] = message
        moved += 1
    write_catalog(catalog_file(), catalog)
    old.unlink()
    return moved


# --- the command ----------------------------------------------------------------------------

def check() -> int:
    missing = missing_translations()
    for item in missing:
        print(f"{shown(item.path)}:{item.line}: {item.key!r}")
    problems = [f"defined twice in messages.po: {msgid!r}" for msgid in duplicate_messages()]
    problems += [f"never compiled, merge it: python -m api.i18n merge {shown(path)}"
                 for path in stray_catalogs()]
    problems += [f"compiled catalog out of date (python -m api.i18n compile): {msgid!r}"
                 for msgid in stale_compiled()]
    for problem in problems:
        print(problem)
    if missing or problems:
        print(f"{len(missing)} msgid(s) without a zh translation, {len(problems)} other "
              "problem(s)", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str]) -> int:
    command, arguments = (argv[0], argv[1:]) if argv else ("", [])
    if command == "check" and not arguments:
        return check()
    if command == "extract":
        po = Path(arguments[0]) if arguments else catalog_file()
        sources = [Path(p).resolve() for p in arguments[1:]] or [PACKAGE]
        added = add_new_messages(po, sources)
        print(f"{added} new msgid(s) added to {shown(po.resolve())}; translate them, then run "
              "check and compile")
        return 0
    if command == "compile" and not arguments:
        return compile_catalogs()
    if command == "merge" and len(arguments) == 1:
        moved = merge_catalog(Path(arguments[0]))
        print(f"{moved} translation(s) moved into {shown(catalog_file())}; now compile")
        return 0
    print("usage: python -m api.i18n check | extract [FILE.po [PATH ...]] | compile | "
          "merge OLD.po", file=sys.stderr)
    return 2
