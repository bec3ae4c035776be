"""Sunlight Ledger's domain: the books of a village collective or cooperative, kept as events.

Nothing here knows about HTTP, SQL read models or templates; rules live in the aggregates.
"""
