"""The ledger: the village's business as events, one package per part of it (books, register,
spending, disclosure, identity) over a small shared kernel. Nothing here knows about HTTP, SQL
read models or templates; rules live in the aggregates. See the README, "Where things are".
"""
