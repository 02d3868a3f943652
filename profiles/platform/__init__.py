"""Claude Platform on AWS: the HTTP client (SigV4, deadline-bound transport, TLS trust) and
the live checks that say whether a profile works and how to fix it."""
