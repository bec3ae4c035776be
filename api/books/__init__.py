"""The books over HTTP: organizations and their settings, accounts, vouchers, periods and the
reports (trial balance, ledger, balance sheet, income statement); and the accountant's voucher
pages on the desk (desk_vouchers)."""
