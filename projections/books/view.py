"""The books read model: organizations, accounts, vouchers and their lines, and closed periods,
as rows written from the events alone, so that rebuilding from event one gives the same rows.

Reports are queries over these rows; no request ever replays an aggregate.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any, ClassVar

from ledger.books import Books, Organization, Period, Voucher
from projections.books import totals
from projections.books import voucher_templates as templates
from projections.db import Handlers, ReadModel, Sql, ViewProjection, on_both_databases
from projections.distribution import tables as distribution
from projections.spending import tables as spending

DDL = (
    """CREATE TABLE IF NOT EXISTS books_organizations (
        code TEXT PRIMARY KEY, books_id TEXT NOT NULL UNIQUE, name_zh TEXT NOT NULL,
        name_en TEXT NOT NULL, kind TEXT NOT NULL, chart TEXT NOT NULL, books_start TEXT NOT NULL,
        registered_at TEXT NOT NULL, registered_by TEXT NOT NULL,
        closed_through TEXT, closed_year INTEGER)""",
    """CREATE TABLE IF NOT EXISTS books_accounts (
        org TEXT NOT NULL, code TEXT NOT NULL, parent TEXT, level INTEGER NOT NULL,
        name_zh TEXT NOT NULL, name_en TEXT NOT NULL, category TEXT NOT NULL,
        normal_balance TEXT NOT NULL, leaf SMALLINT NOT NULL, closed SMALLINT NOT NULL,
        opened_at TEXT NOT NULL, PRIMARY KEY (org, code))""",
    """CREATE TABLE IF NOT EXISTS books_vouchers (
        id TEXT PRIMARY KEY, org TEXT NOT NULL, number TEXT NOT NULL, seq INTEGER NOT NULL,
        period TEXT NOT NULL, date TEXT NOT NULL, kind TEXT NOT NULL, summary TEXT NOT NULL,
        attachments INTEGER NOT NULL, receipt_digests TEXT NOT NULL,
        debit_total BIGINT NOT NULL, credit_total BIGINT NOT NULL,
        reverses TEXT, reason TEXT, reversed_by TEXT, reversal_reason TEXT,
        posted_by TEXT NOT NULL, posted_at TEXT NOT NULL, position BIGINT NOT NULL,
        UNIQUE (org, number))""",
    "CREATE INDEX IF NOT EXISTS books_vouchers_by_date ON books_vouchers (org, date, seq)",
    """CREATE TABLE IF NOT EXISTS books_lines (
        voucher_id TEXT NOT NULL, line_no INTEGER NOT NULL, org TEXT NOT NULL,
        account TEXT NOT NULL, date TEXT NOT NULL, period TEXT NOT NULL,
        number TEXT NOT NULL, seq INTEGER NOT NULL, kind TEXT NOT NULL,
        debit BIGINT NOT NULL, credit BIGINT NOT NULL, memo TEXT NOT NULL,
        as_of TEXT NOT NULL)""",
    # A voucher's lines, each once: made after the rows by a long catch-up from event one, which
    # meets the lines in no order of their vouchers' random ids (an insert into its B-tree each).
    "CREATE UNIQUE INDEX IF NOT EXISTS books_lines_by_voucher ON books_lines (voucher_id, line_no)",
    # A ledger page's order within one account, so a page reads its own lines and no others.
    "CREATE INDEX IF NOT EXISTS books_lines_in_ledger_order "
    "ON books_lines (org, account, as_of, date, seq, line_no)",
    # A period's lines in any account (the disclosures' 收支明细), by their day in the books.
    "CREATE INDEX IF NOT EXISTS books_lines_by_day ON books_lines (org, as_of)",
    # The lines that name a member or household (Line.party), so each one's balance with the
    # organization is a sum; a table of its own, so existing books need no new column.
    """CREATE TABLE IF NOT EXISTS books_line_parties (
        org TEXT NOT NULL, voucher TEXT NOT NULL, line_no INTEGER NOT NULL, party TEXT NOT NULL,
        account TEXT NOT NULL, date TEXT NOT NULL, as_of TEXT NOT NULL, debit BIGINT NOT NULL,
        credit BIGINT NOT NULL, PRIMARY KEY (org, voucher, line_no))""",
    "CREATE INDEX IF NOT EXISTS books_line_parties_by_party ON books_line_parties (org, party)",
    # An organization's local rules as changed from the defaults (JSON text, keys sorted); a
    # table of its own, so existing books need no new column.
    """CREATE TABLE IF NOT EXISTS books_org_settings (
        org_id TEXT PRIMARY KEY, org TEXT NOT NULL UNIQUE, changed TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS books_closures (
        org TEXT NOT NULL, period TEXT NOT NULL, year_end SMALLINT NOT NULL,
        closed_at TEXT NOT NULL, closed_by TEXT NOT NULL, PRIMARY KEY (org, period))""",
    *totals.DDL,
)
TABLES = ("books_organizations", "books_accounts", "books_vouchers", "books_lines",
          "books_line_parties", "books_org_settings", "books_closures", *totals.TABLES)

HANDLERS = Handlers()


def _when(event: Any) -> str:
    return event.timestamp.isoformat()


@HANDLERS.on(Organization.Registered)
def _registered(sql: Sql, e: Organization.Registered, position: int) -> None:
    sql.execute(
        "INSERT INTO books_organizations VALUES (:code, :books_id, :name_zh, :name_en, :kind, "
        ":chart, :books_start, :at, :by, NULL, NULL)",
        {"code": e.code, "books_id": str(Books.id_for(e.code)), "name_zh": e.name_zh,
         "name_en": e.name_en, "kind": e.kind, "chart": e.chart,
         "books_start": e.books_start.isoformat(), "at": _when(e), "by": e.actor},
    )
    sql.execute("INSERT INTO books_org_settings VALUES (:id, :code, '{}')",
                {"id": str(e.originator_id), "code": e.code})


@HANDLERS.on(Organization.SettingsChanged)
def _settings_changed(sql: Sql, e: Organization.SettingsChanged, position: int) -> None:
    changed = json.loads(sql.execute("SELECT changed FROM books_org_settings WHERE org_id = :id",
                                     {"id": str(e.originator_id)}).scalar() or "{}")
    sql.execute("UPDATE books_org_settings SET changed = :changed WHERE org_id = :id",
                {"id": str(e.originator_id),
                 "changed": json.dumps({**changed, **e.changes}, sort_keys=True)})


_INSERT_ACCOUNT = (
    "INSERT INTO books_accounts VALUES (:org, :code, :parent, :level, :name_zh, :name_en, "
    ":category, :normal_balance, :leaf, 0, :at)"
)


@HANDLERS.on(Books.Opened)
def _books_opened(sql: Sql, e: Books.Opened, position: int) -> None:
    codes = [spec["code"] for spec in e.accounts]
    sql.executemany(_INSERT_ACCOUNT, [
        {**spec, "org": e.org, "at": _when(e),
         "parent": spec["code"][:-2] if len(spec["code"]) > 3 else None,
         "level": 1 + (len(spec["code"]) - 3) // 2,
         "leaf": int(not any(c != spec["code"] and c.startswith(spec["code"]) for c in codes))}
        for spec in e.accounts
    ])


def _org_of(sql: Sql, books_id: Any) -> str:
    # Only the books' first event names the organization; later ones carry the books' id.
    code = sql.execute("SELECT code FROM books_organizations WHERE books_id = :id",
                       {"id": str(books_id)}).scalar()
    if code is None:
        raise LookupError(f"books {books_id} belong to no registered organization")
    return code


@HANDLERS.on(Books.SubAccountOpened)
def _sub_account_opened(sql: Sql, e: Books.SubAccountOpened, position: int) -> None:
    org = _org_of(sql, e.originator_id)
    parent = sql.execute(
        "SELECT category, normal_balance, level FROM books_accounts "
        "WHERE org = :org AND code = :code", {"org": org, "code": e.parent}).one()
    if parent is None:
        raise LookupError(f"sub-account {e.code} opened under unknown {e.parent}")
    sql.execute("UPDATE books_accounts SET leaf = 0 WHERE org = :org AND code = :code",
                {"org": org, "code": e.parent})
    sql.execute(_INSERT_ACCOUNT, {
        "org": org, "code": e.code, "parent": e.parent, "level": parent["level"] + 1,
        "name_zh": e.name_zh, "name_en": e.name_en, "category": parent["category"],
        "normal_balance": parent["normal_balance"], "leaf": 1, "at": _when(e)})


@HANDLERS.on(Books.AccountsClosed)
def _accounts_closed(sql: Sql, e: Books.AccountsClosed, position: int) -> None:
    org = _org_of(sql, e.originator_id)
    sql.executemany("UPDATE books_accounts SET closed = 1 WHERE org = :org AND code = :code",
                    [{"org": org, "code": code} for code in e.codes])


def _close(sql: Sql, org: str, period: str, year_end: bool, e: Any) -> None:
    sql.execute("INSERT INTO books_closures VALUES (:org, :period, :year_end, :at, :by)",
                {"org": org, "period": period, "year_end": int(year_end), "at": _when(e),
                 "by": e.actor})
    sql.execute("UPDATE books_organizations SET closed_through = :period WHERE code = :org",
                {"org": org, "period": period})


@HANDLERS.on(Books.PeriodClosed)
def _period_closed(sql: Sql, e: Books.PeriodClosed, position: int) -> None:
    _close(sql, _org_of(sql, e.originator_id), e.period, False, e)


@HANDLERS.on(Books.YearClosed)
def _year_closed(sql: Sql, e: Books.YearClosed, position: int) -> None:
    org = _org_of(sql, e.originator_id)
    _close(sql, org, str(Period(e.year, 12)), True, e)
    sql.execute("UPDATE books_organizations SET closed_year = :year WHERE code = :org",
                {"org": org, "year": e.year})


@HANDLERS.on(Voucher.Posted)
def _voucher_posted(sql: Sql, e: Voucher.Posted, position: int) -> None:
    # Written value by value in the tables' column order (a catch-up runs this for every voucher
    # ever posted, so no dict per row): the same rows as a statement per row would write.
    org, number, kind, day = e.org, e.number, e.kind, e.date
    period = f"{day.year:04d}-{day.month:02d}"  # str(Period.of(day))
    seq = int(number.rsplit("-", 1)[1])
    # Opening balances, and a reversal of them, are the balances the books start with: reports
    # count them as of the day before the books start, never as activity of a month.
    as_of = day
    if kind == "opening" or (e.reverses is not None and sql.execute(
            "SELECT kind FROM books_vouchers WHERE org = :org AND number = :number",
            {"org": org, "number": e.reverses}).scalar() == "opening"):
        books_start = sql.execute("SELECT books_start FROM books_organizations WHERE code = :org",
                                  {"org": org}).scalar()
        as_of = date.fromisoformat(books_start) - timedelta(days=1)
    # Left for later (projections/sql.py): a batch's vouchers, lines and totals are written
    # table by table, each total once, before anything reads them.
    voucher, day_text, as_of_day = str(e.originator_id), day.isoformat(), as_of.isoformat()
    lines = [(voucher, i, org, line["account"], day_text, period, number, seq, kind,
              line["debit"], line["credit"], line.get("memo", ""), as_of_day)
             for i, line in enumerate(e.lines, 1)]
    sql.rows_later("books_vouchers", ((
        voucher, org, number, seq, period, day_text, kind, e.summary, e.attachments,
        _digests(e.receipt_digests), sum([line[9] for line in lines]),
        sum([line[10] for line in lines]), e.reverses, e.reason, None, None, e.actor, _when(e),
        position),))
    sql.rows_later("books_lines", lines)
    # A reversal's red lines carry the party too, so a reversed voucher nets to nothing.
    parties = [(org, number, i, line["party"], line["account"], day_text, as_of_day,
                line["debit"], line["credit"])
               for i, line in enumerate(e.lines, 1) if line.get("party")]
    if parties:
        sql.rows_later("books_line_parties", parties)
    # The reports read these totals, never the lines: kept here, in the lines' transaction.
    totals.add_lines(sql, org, as_of_day, kind == "closing", e.lines)


def _digests(digests: Any) -> str:
    # Most vouchers keep no receipt: "[]" is json.dumps([]) without the encoder's call.
    return "[]" if digests.__class__ is list and not digests else json.dumps(digests)


@HANDLERS.on(Voucher.Reversed)
def _voucher_reversed(sql: Sql, e: Voucher.Reversed, position: int) -> None:
    sql.execute(
        "UPDATE books_vouchers SET reversed_by = :number, reversal_reason = :reason "
        "WHERE id = :id",
        {"number": e.reversal_number, "reason": e.reason, "id": str(e.originator_id)},
    )


class BooksView(ReadModel):
    """Dialect-neutral writing of the books read model; see the two concrete classes below."""

    name: ClassVar[str] = "books"
    # The spending rows are part of the books, at the same position: disclosures read both.
    tables: ClassVar[tuple[str, ...]] = (TABLES + spending.TABLES + templates.TABLES
                                         + distribution.TABLES)
    ddl: ClassVar[tuple[str, ...]] = DDL + spending.DDL + templates.DDL + distribution.DDL
    handlers: ClassVar[Handlers] = Handlers({**HANDLERS, **spending.HANDLERS,
                                             **templates.HANDLERS, **distribution.HANDLERS})
    # The indexes no handler reads by: the reports' orders of lines and vouchers, and the
    # lines' own uniqueness (the handlers read by other keys only).
    deferred_indexes: ClassVar[tuple[str, ...]] = tuple(
        statement for statement in DDL
        if statement.startswith(("CREATE INDEX", "CREATE UNIQUE INDEX")))



class BooksProjection(ViewProjection[BooksView]):
    name = "books"
    views = on_both_databases(BooksView)
