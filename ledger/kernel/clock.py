"""The books keep the villages' calendar: a voucher is dated by the day in China, whatever the
server's time zone; moments (when a token expires, when a session began) are kept in UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

CHINA = ZoneInfo("Asia/Shanghai")


def china_today() -> date:
    return datetime.now(CHINA).date()


def utc_now() -> datetime:
    return datetime.now(UTC)
