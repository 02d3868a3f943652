"""The command line as the tests drive it: what one call returned (`Run`), an argv split like a
shell would, and the installed `cc-aws-tui` console script. Plain helpers, imported by name; the
in-process `cli` fixture built on them lives in tests/conftest.py."""

from __future__ import annotations

import shlex
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str

    @property
    def error_line(self) -> str:
        """The one line on stderr; fails unless there is exactly one."""
        lines = self.err.splitlines()
        assert len(lines) == 1, f"expected one stderr line, got: {self.err!r}"
        assert self.err.endswith("\n")
        return lines[0]


Cli = Callable[..., Run]


def sh(command: str) -> list[str]:
    return shlex.split(command)


def console_script() -> str:
    """The installed `cc-aws-tui` entry point (next to this Python, else on PATH)."""
    beside = Path(sys.executable).with_name("cc-aws-tui")
    found = str(beside) if beside.exists() else shutil.which("cc-aws-tui")
    assert found, "cc-aws-tui is not installed: pip install -e '.[test]'"
    return found
