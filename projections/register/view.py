"""The register read model: the member roll, the share register and cooperative member accounts
and trade, kept as dated history so that the roll and the shares can be read as they stood on any
day. Every row is a function of the events alone (their fields and timestamps, never the clock),
and ID-card and phone numbers are held only in the sealed and masked forms the events carry.
"""

from __future__ import annotations

from typing import ClassVar

from projections.db import Handlers, ReadModel, ViewProjection, on_both_databases

# The handlers register themselves on import, into the one table of the read model.
from projections.register import roll, shares  # noqa: F401
from projections.register.tables import DDL, HANDLERS, TABLES


class RegisterView(ReadModel):
    name: ClassVar[str] = "register"
    tables: ClassVar[tuple[str, ...]] = TABLES
    ddl: ClassVar[tuple[str, ...]] = DDL
    handlers: ClassVar[Handlers] = HANDLERS


class RegisterProjection(ViewProjection[RegisterView]):
    name = "register"
    views = on_both_databases(RegisterView)
