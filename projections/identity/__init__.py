"""The identity read model: users and the history of the roles they held."""
