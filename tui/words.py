"""The TUI's wording of facts the core reports: OS error codes, pydantic's field messages, the
AWS CLI's setting names and the CLI's own remedies (`cc-aws-tui add … --force`) become plain
words. The core keeps its exact text (the CLI and the
logs print it); only what this app shows goes through here.
"""

from __future__ import annotations

import errno
import re
import socket  # already loaded: asyncio imports it

# errno -> what a newcomer reads, keyed by this platform's own numbers (Linux's 8 is "exec
# format error", macOS's is "host not found"; 61 is "connection refused" on macOS only). Where
# two names share a number here (macOS: EAI_AGAIN and ENOENT are 2), the later one wins.
_ERRNO: dict[str, str] = {
    str(code): words
    for code, words in (
        (socket.EAI_NONAME, "host not found"),
        (getattr(socket, "EAI_NODATA", socket.EAI_NONAME), "host not found"),
        (socket.EAI_AGAIN, "host not found (temporary DNS failure)"),
        (errno.ECONNREFUSED, "connection refused"),
        (errno.ETIMEDOUT, "timed out"),
        (errno.EHOSTUNREACH, "no route to the host"),
        (errno.ENETUNREACH, "network unreachable"),
        (errno.EACCES, "permission denied"),
        (errno.ENOENT, "file not found"),
    )
}
# The code and the OS's text after it, which the words replace; what follows the text (the
# file's name after ": ", a closing quote) is kept.
_ERRNO_TEXT = r"<?(?:urlopen error )?\[Errno (-?\d+)\][^>;,)':]*>?"
_EDIT_HERE = "edit the profile here (e on the home screen) and enter it again"
# Patterns as text, compiled on first use: this module is imported before the first frame,
# which should not pay for fifteen regular expressions it may never need.
_TERMS: tuple[tuple[str, str], ...] = (
    # The CLI's remedies, as this app's: the same fix is an edit here, not a command line.
    (r"store it again with `cc-aws-tui add \S+ \.\.\. --force`", _EDIT_HERE),
    (
        r"save it again \(cc-aws-tui add \S+ \.\.\. --api-key-stdin --force\)",
        "paste the new key: edit the profile here (e on the home screen)",
    ),
    (r"pass --force to replace it", '"Replace the existing profile" replaces it'),
    (r"use --secret-store file instead", "keep it in the secrets file instead"),
    (r"`?cc-aws-tui add [^`;)]*--force`?", "edit the profile here"),
    (r"\bshared-credentials-file\b", "AWS credentials file"),
    (r"\bshared credentials file\b", "AWS credentials file"),
    (r"\bconfig-file\b", "AWS config file"),
    (r"\bInput should be\b", "must be"),
    (r"\bField required\b", "missing"),
    (r"\bString should match pattern\b", "does not have the expected form:"),
    (r"\s*\[type=[^\]]*\]", ""),
    (r"\s*For further information visit \S+", ""),
)


COPY_TITLE = "Sent to the clipboard"
COPY_TIMEOUT = 20.0  # seconds: long enough to select the line by hand
_COPY_NOTE = (
    "It may not have arrived: the copy uses the terminal's OSC 52, which some terminals and"
    " tmux without `set-clipboard on` ignore. Then select the line above."
)


def copied(line: str) -> str:
    """The toast for a line sent to the clipboard: the line itself, to select by hand, and why
    it may be needed (Textual copies with OSC 52 only, and nothing says whether it worked).
    Never give it a secret: the line is shown."""
    return f"{line}\n{_COPY_NOTE}"


def plain(text: str) -> str:
    """`text` (an error or a reason from the core) in plain words."""

    def errno(match: re.Match[str]) -> str:
        return _ERRNO.get(match.group(1), match.group(0))

    text = re.sub(_ERRNO_TEXT, errno, text)  # `re` caches what it compiles
    for pattern, words in _TERMS:
        text = re.sub(pattern, words, text)
    return text
