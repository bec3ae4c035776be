"""The link beside a published line is its receipt (回执, docs/verification.md): the line and its
Merkle path to the signed root. A villager must not read it as a receipt for money (收款收据),
least of all beside a payment the village made. (Found in the acceptance walk.)"""

from __future__ import annotations

from tests.api import test_public_pages
from tests.api.public_village import page_of

village = test_public_pages.village  # a fixture: v1 with a published disclosure


def test_a_line_receipt_is_called_a_receipt_of_the_line_not_of_money(village):
    page = page_of(village.app.test_client().get(village.page))
    assert 'class="receipt"' in page
    assert "<dt>回执</dt>" in page
    assert "收款收据" not in page
