"""Exit codes and error printing shared by every command."""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # not typing's: the export path does not import typing
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Final

    from profiles.claude.sync import Synced

PROG: Final = "cc-aws-tui"

EXIT_OK: Final = 0
EXIT_FAILED: Final = 1  # the command ran and something failed (checks, a secret command)
EXIT_USAGE: Final = 2  # bad arguments, bad input, unknown profile, unreadable config

# The README's "Exit codes" table says the same, word for word (tests/cli/test_entry.py).
EXIT_CODES_HELP: Final = """\
exit status:
  0  success
  1  the command ran but failed (a check failed, a secret could not be fetched, the
     store was locked)
  2  usage or configuration error (bad arguments or input, unknown profile, a broken file)
  exec passes through the exit status of the command it runs (127: command not found),
  login that of `aws sso login` (127: no AWS CLI)"""


class CliError(Exception):
    """An error for a person: one line, with the exit code to leave with."""

    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code


def error(message: str) -> None:
    """One line on stderr; secrets this process resolved are masked, controls escaped."""
    from profiles.core.redact import safe

    print(f"{PROG}: error: {safe(message, multiline=False)}", file=sys.stderr)


def info(message: str) -> None:
    """Human notes go to stderr, so stdout stays clean for eval and pipes. Made safe as
    `error` is (multi-line notes keep their newlines)."""
    from profiles.core.redact import safe

    print(safe(message), file=sys.stderr)


def out(text: str) -> None:
    """Human-readable stdout of a command that shows text from outside (files, servers): the
    last line of redaction and escaping. Not for `export`, whose output is shell code."""
    from profiles.core.redact import safe

    sys.stdout.write(safe(text))


def report_settings(settings: Iterable[Synced]) -> None:
    """After a profile changed: one line per Claude Code settings file it had been applied
    to, saying what became of it (its notes indented below). A file not updated gets a ⚠ and
    the command that does it; the exit status stays 0, since the profile change itself
    succeeded."""
    for synced in settings:
        info(synced.summary())
        change = synced.change
        if change is None:
            continue
        for note in change.notes:
            info(f"  note: {note}")
        if change.backup is not None:
            info(f"  previous file kept in {change.backup}")
