"""The TUI's wording of facts the core reports: OS error codes, pydantic's field messages and
the AWS CLI's setting names become plain words. The core keeps its exact text (the CLI and the
logs print it); only what this app shows goes through here.
"""

from __future__ import annotations

import re

# errno -> what a newcomer reads. The OS's own text follows the code; it is dropped with it.
_ERRNO: dict[str, str] = {
    "111": "connection refused",
    "61": "connection refused",
    "110": "timed out",
    "60": "timed out",
    "113": "no route to the host",
    "101": "network unreachable",
    "-2": "host not found",
    "-3": "host not found (temporary DNS failure)",
    "-5": "host not found",
    "8": "host not found",
    "13": "permission denied",
    "2": "file not found",
}
_ERRNO_TEXT = re.compile(r"<?(?:urlopen error )?\[Errno (-?\d+)\][^>;,)]*>?")
_TERMS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bshared-credentials-file\b"), "AWS credentials file"),
    (re.compile(r"\bshared credentials file\b"), "AWS credentials file"),
    (re.compile(r"\bconfig-file\b"), "AWS config file"),
    (re.compile(r"\bInput should be\b"), "must be"),
    (re.compile(r"\bField required\b"), "missing"),
    (re.compile(r"\bString should match pattern\b"), "does not have the expected form:"),
    (re.compile(r"\s*\[type=[^\]]*\]"), ""),
    (re.compile(r"\s*For further information visit \S+"), ""),
)


def plain(text: str) -> str:
    """`text` (an error or a reason from the core) in plain words."""

    def errno(match: re.Match[str]) -> str:
        return _ERRNO.get(match.group(1), match.group(0))

    text = _ERRNO_TEXT.sub(errno, text)
    for pattern, words in _TERMS:
        text = pattern.sub(words, text)
    return text
