"""The public page of a distribution plan in the year the books start after January 1 heads the
balance sheet's opening column with its day, 年初数（2025-06-30）, as the desk does, and shows the
opening balances in it (format "sunlight-disclosure/6")."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask

from projections.books.queries import BooksReader
from projections.runner import catch_up_all
from tests.api.test_distribution_disclosure_pages import page_of, squeezed
from tests.application.test_midyear_distribution import midyear_plan
from tests.conftest import Clock
from tests.distributions import publish
from tests.registers import ORG


def test_the_plan_page_dates_the_opening_column(app: Flask, clock: Clock) -> None:
    services = app.extensions["sunlight"]

    @contextmanager
    def read() -> Iterator[BooksReader]:
        catch_up_all(services.ledger, services.views)
        with services.queries.read() as reader:
            yield reader

    ref = publish(services.ledger, read, midyear_plan(services.ledger, clock), "plan")
    catch_up_all(services.ledger, services.views)
    page = squeezed(page_of(app.test_client().get(f"/{ORG}/disclosures/{ref}")))
    assert "年初数（2025-06-30）" in page
    assert "年初未分配收益30,000.00" in page
