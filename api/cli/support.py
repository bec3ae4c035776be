"""What the `sunlight` commands share: the storage from the environment, and running one
command of the application as the operator, a refusal turned into a message."""

from __future__ import annotations

import getpass
import uuid
from collections.abc import Callable
from typing import Any

import click

from infra.storage import Storage, storage_from_environ
from ledger.application import Ledger
from ledger.kernel.aggregate import serving
from ledger.kernel.errors import LedgerError
from ledger.kernel.text import text_problem
from projections.runner import create_tables, open_ledger


class CleanText(click.ParamType):
    """A text typed on the command line, held to the same rule as every other door
    (ledger/text.py): one line, no control character."""

    name = "text"

    def convert(self, value: object, param: click.Parameter | None,
                ctx: click.Context | None) -> str:
        text = str(value)
        problem = text_problem(text)
        if problem is not None:
            self.fail(problem, param, ctx)
        return text


TEXT = CleanText()


def storage() -> Storage:
    try:
        return storage_from_environ()
    except ValueError as error:
        raise click.UsageError(str(error)) from None


def operator() -> str:
    """Events written from the command line name the operating-system user who ran it."""
    return f"cli:{getpass.getuser()}"


def request_id() -> str:
    return f"cli-{uuid.uuid4().hex[:16]}"


def run_command(store: Storage, run: Callable[[Ledger], Any]) -> Any:
    """Run one command of the application, as the operator, turning a refusal into a message."""
    create_tables(store)
    app = open_ledger(store)
    try:
        with serving(request_id()):
            return run(app)
    except LedgerError as error:
        raise click.ClickException(error.message) from None
    finally:
        app.close()
