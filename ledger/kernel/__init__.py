"""The shared kernel every part of the ledger stands on: money in fen (and its capital
numerals), the charts of accounts, the error families, clean text, the base aggregate and its
stable topics, sealed personal data, and the one way to write (`writing.Store`, `Outcome`)."""
