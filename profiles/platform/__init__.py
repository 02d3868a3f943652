"""Claude Platform on AWS: the HTTP client (SigV4, deadline-bound transport, TLS trust), the
one place a client is built for a profile (`connect`), the live lists, and the live checks
(`checks`, `diagnose`, `results`, run by `engine`) that say whether a profile works."""
