"""Where profiles live: paths, profiles.toml and secrets.toml (read fast, written carefully),
the secret stores, the validation history, and careful file IO (atomic writes, locks,
regular-file reads, StrictModes-style trust checks)."""
