"""A storage backend for the `limits` library (and so for Flask-Limiter) over the web state
(api/web_state.py), which `limits` lacks: it knows Redis, Memcached, MongoDB and memory, but no
SQL. Registered under the schemes `sunlight+sqlite:///<events file>` and
`sunlight+postgresql://…` (the event store's URL with `sunlight+` in front).

Rule: a count is decided and written in one transaction that holds its key, so workers and
hosts counting the same key at once never both take the last place.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, ClassVar

from limits.storage import MovingWindowSupport, Storage

from api.web_state import WebState, open_web_state
from infra.storage import Storage as Books

SCHEME = "sunlight+"


def limits_uri(books: Books) -> str:
    return SCHEME + books.database_url


def _books(uri: str) -> Books:
    # The web state is found from the database URL alone; the data folder plays no part.
    return Books(database_url=uri.removeprefix(SCHEME), data_dir=Path("."))


class WebStateLimitStorage(Storage, MovingWindowSupport):
    """The moving window (one row per counted request) and the fixed window (one counter per
    key). Expired rows are deleted by the next count of the same kind."""

    STORAGE_SCHEME: ClassVar[list[str]] = [
        f"{SCHEME}sqlite", f"{SCHEME}postgresql", f"{SCHEME}postgres"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False,
                 web_state: WebState | None = None, **options: Any) -> None:
        # The app passes its own web state, so sessions and limits share one pool.
        if web_state is None and uri is None:
            raise ValueError("give the URI of the books, or their web state")
        self.state = web_state or open_web_state(_books(uri or ""))
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        return self.state.errors

    # -- moving window ------------------------------------------------------------------------

    def acquire_entry(self, key: str, limit: int, expiry: int, amount: int = 1) -> bool:
        if amount > limit:
            return False
        now = time.time()
        with self.state.transaction(key=key) as sql:
            sql.execute("DELETE FROM web_limit_hits WHERE expires_at <= :now", {"now": now})
            used = sql.execute(
                "SELECT COUNT(*) AS used FROM web_limit_hits WHERE key = :key AND at > :since",
                {"key": key, "since": now - expiry}).scalar()
            if int(used) + amount > limit:
                return False
            sql.executemany(
                "INSERT INTO web_limit_hits (key, at, expires_at) VALUES (:key, :at, :expires)",
                [{"key": key, "at": now, "expires": now + expiry}] * amount)
        return True

    def get_moving_window(self, key: str, limit: int, expiry: int) -> tuple[float, int]:
        """When the oldest counted request in the window was made, and how many there are."""
        now = time.time()
        with self.state.reading() as sql:
            row = sql.execute(
                "SELECT MIN(at) AS oldest, COUNT(*) AS used FROM web_limit_hits "
                "WHERE key = :key AND at > :since", {"key": key, "since": now - expiry}).one()
        if not row or not row["used"]:
            return now, 0
        return float(row["oldest"]), int(row["used"])

    # -- fixed window -------------------------------------------------------------------------

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        with self.state.transaction(key=key) as sql:
            sql.execute("DELETE FROM web_limit_counters WHERE expires_at <= :now", {"now": now})
            count = sql.execute(
                "INSERT INTO web_limit_counters (key, count, expires_at) "
                "VALUES (:key, :amount, :expires) ON CONFLICT (key) DO UPDATE SET "
                "count = CASE WHEN web_limit_counters.expires_at <= :now THEN :amount "
                "ELSE web_limit_counters.count + :amount END, "
                "expires_at = CASE WHEN web_limit_counters.expires_at <= :now THEN :expires "
                "ELSE web_limit_counters.expires_at END RETURNING count",
                {"key": key, "amount": amount, "expires": now + expiry, "now": now}).scalar()
        return int(count)

    def get(self, key: str) -> int:
        with self.state.reading() as sql:
            count = sql.execute(
                "SELECT count FROM web_limit_counters WHERE key = :key AND expires_at > :now",
                {"key": key, "now": time.time()}).scalar()
        return int(count or 0)

    def get_expiry(self, key: str) -> float:
        now = time.time()
        with self.state.reading() as sql:
            expires = sql.execute(
                "SELECT expires_at FROM web_limit_counters WHERE key = :key AND expires_at > :now",
                {"key": key, "now": now}).scalar()
        return float(expires or now)

    # -- upkeep -------------------------------------------------------------------------------

    def clear(self, key: str) -> None:
        with self.state.transaction(key=key) as sql:
            sql.execute("DELETE FROM web_limit_hits WHERE key = :key", {"key": key})
            sql.execute("DELETE FROM web_limit_counters WHERE key = :key", {"key": key})

    def reset(self) -> int | None:
        with self.state.transaction() as sql:
            cleared = sql.execute(
                "SELECT (SELECT COUNT(DISTINCT key) FROM web_limit_hits) "
                "+ (SELECT COUNT(*) FROM web_limit_counters) AS cleared").scalar()
            sql.execute("DELETE FROM web_limit_hits")
            sql.execute("DELETE FROM web_limit_counters")
        return int(cleared)

    def check(self) -> bool:
        try:
            with self.state.reading() as sql:
                return sql.execute("SELECT 1 AS ok").scalar() == 1
        except self.state.errors:
            return False
