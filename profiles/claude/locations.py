"""Where Claude Code's settings files are: the scopes, the user and managed paths, and the
project directory a scope's file belongs to.

- user:    `~/.claude/settings.json`
- project: `<project>/.claude/settings.json` (committed with the repository)
- local:   `<project>/.claude/settings.local.json` (personal, not committed)
- managed: deployed by an organisation, read only (beats every other file)

`<project>` is the git repository root found by walking up from the working directory (a
directory holding `.git`, a directory or a worktree's file). Outside a repository the working
directory itself is the project and `Location.note` says so; the home directory is refused as a
project, because its `.claude/settings.json` *is* the user file (platform-facts, "Claude Code
settings.json").
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

from profiles.claude.settings_json import SettingsError

Scope = Literal["user", "project", "local"]
SCOPES: Final[tuple[Scope, ...]] = ("user", "project", "local")
AWS_AUTH_REFRESH: Final = "awsAuthRefresh"
"""The one top-level settings key cc-aws-tui writes besides `env`: the command Claude Code runs
when AWS credentials expire."""


def user_settings_path() -> Path:
    return Path.home() / ".claude" / "settings.json"


def managed_settings_path() -> Path:
    """Where an organisation deploys managed settings (read only; they beat every other file)."""
    if sys.platform == "darwin":
        return Path("/Library/Application Support/ClaudeCode/managed-settings.json")
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        return (
            Path(os.environ.get("PROGRAMDATA", r"C:\ProgramData"))
            / "ClaudeCode"
            / "managed-settings.json"
        )

    return Path("/etc/claude-code/managed-settings.json")


def find_git_root(start: Path) -> Path | None:
    """The nearest directory at or above `start` holding `.git` (a dir, or a worktree's file)."""
    for directory in (start, *start.parents):
        if (directory / ".git").exists():
            return directory
    return None


@dataclass(frozen=True, slots=True)
class Location:
    """A settings file for a scope; `note` says how the project directory was chosen."""

    scope: Scope
    path: Path
    note: str | None = None


def locate(scope: str, cwd: Path | None = None) -> Location:
    """The settings file of `scope`, seen from `cwd` (default: the working directory)."""
    if scope == "user":
        return Location("user", user_settings_path())
    if scope not in SCOPES:
        raise SettingsError(f"unknown scope {scope!r} (use one of: {', '.join(SCOPES)})")
    here = Path(cwd or Path.cwd()).absolute()
    root = find_git_root(here)
    note = None
    if root is None:
        root = here
        note = f"{here} is not inside a git repository: using it as the project directory"
    if root.resolve() == Path.home().resolve():
        # Also when the home directory is a (dotfiles) repository: ~/.claude/settings.json is
        # the user file, and writing "project" settings there would change every project.
        raise SettingsError(
            f"--scope {scope}: the project directory would be your home directory, whose"
            " .claude/settings.json is the user file: cd into the project, or use --scope user"
        )
    name = "settings.json" if scope == "project" else "settings.local.json"
    return Location(scope, root / ".claude" / name, note)
