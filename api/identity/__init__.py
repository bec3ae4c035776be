"""Identity over HTTP: users, roles and API tokens, signing in and out, and the sessions kept
on the server."""
