"""The cc-aws-tui core: profiles, their store and secrets, environment rendering, AWS discovery
and live checks.

Nothing here imports Textual, and nothing here is imported eagerly: the shell-export path
(`cc-aws-tui export`) must stay within a few times a bare `python -c pass`, so every submodule is
imported by whoever needs it, never from this file.
"""

__version__ = "0.1.0"
