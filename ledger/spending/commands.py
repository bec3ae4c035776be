"""Every command of spending, over the dependencies of `SpendingBase`: matters (事项), spending
requests and their payment, receipts and grants."""

from __future__ import annotations

from ledger.spending.matter_commands import MatterCommands
from ledger.spending.receipt_commands import ReceiptCommands
from ledger.spending.request_commands import RequestCommands


class SpendingCommands(MatterCommands, RequestCommands, ReceiptCommands):
    """One object for the application to hold: `ledger.spending.pay_spending(...)`."""
