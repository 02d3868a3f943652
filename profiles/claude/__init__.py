"""Claude Code's own configuration: where its settings files are, reading and writing them
safely, apply/unapply with backups, what a session would use (status), import and share."""
