"""Claude Platform on AWS: the HTTP client (SigV4, deadline-bound transport, TLS trust) and
the live checks (`checks`, `diagnose`, `results`, run by `engine`) that say whether a profile
works and how to fix it."""
