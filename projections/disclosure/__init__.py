"""The disclosures read model (drafts, reviews, published content, questions), the content of a
disclosure built from the books, and the auditor's verification that rebuilds it."""
