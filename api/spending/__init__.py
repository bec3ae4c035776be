"""Spending over HTTP and on the desk: matters (四议两公开), spending requests and their
approval and payment, receipts and grants, warnings."""
