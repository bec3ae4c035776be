"""Spending in the books read model: matters, requests and their approvals, receipts, grants,
warnings; written by the books view in the same transaction, so a disclosure's lines name their
request, approvers and resolution from the same snapshot verification rebuilds."""
