"""Claude Code's own configuration. Standard library only (no textual, no pydantic): the TUI's
home screen and `status` call into it too.

- locations:     the scopes and where each settings file is (user, project, local, managed)
- settings_json: reading and writing a settings file as strict JSON
- guard:         where a write really lands (links resolved), and what may go there
- record:        the apply record: what `apply` wrote to which file, under one lock
- write:         the one way a settings file changes: masked diff, backup, atomic replace
- apply:         apply a profile to a settings file, and unapply it
- sync:          a changed profile re-applied (or unapplied) where it was applied; drift
- backup:        the backups kept of every file written; restore: listing and restoring them
- sources:       the settings files Claude Code would read, and which hold an applied profile
- precedence:    which source wins for each variable, as Claude Code resolves them
- status:        what a session would use, from an environment (like Claude Code's /status)
- importing:     a profile from a shell's environment or a settings file's `env` block
- share:         a profile as a team file without secrets, and importing one
"""
