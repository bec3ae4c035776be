"""The register over HTTP and on the desk: members and households, shares, cooperative member
accounts and trade, and the roll's spreadsheets."""
