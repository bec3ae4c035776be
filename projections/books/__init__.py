"""The books read model: organizations, accounts, vouchers and their lines (with the spending
tables of projections/spending in the same view), the queries on it, and the statements built
from them as pure functions."""
