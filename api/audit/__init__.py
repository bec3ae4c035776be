"""Tamper-evident history at the HTTP edge: an auditor's verification of an organization's hash
chain, and the public keys that sign its checkpoints (/.well-known/sunlight-keys.json)."""
