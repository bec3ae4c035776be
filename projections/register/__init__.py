"""The register read model: the roll, households and the share register as they stood on any
day, cooperative member accounts and trade."""
