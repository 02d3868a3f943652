"""Where a settings write really lands, and whether a key or token may land there.

A repository is written by strangers, and it can commit symlinks: `.claude` or
`.claude/settings.local.json` may point anywhere, e.g. at the committed `settings.json` or out
of the project. So a write is judged by the file's real path, never by its name:

- In a project (scopes `project` and `local`), `.claude` must really be inside the project and
  the settings file really inside `.claude`; a link leading out is refused, naming the link.
  The user scope keeps following a dotfiles link (the link stays, its target is replaced).
- A key or token goes only to a file git will not commit: outside any git repository, or
  inside one, not tracked (`git ls-files --error-unmatch`) and ignored (`git check-ignore`).
  Git runs with a short timeout, stdin closed, no `GIT_*` variables that could point it
  elsewhere, and `core.fsmonitor` off: a hostile `.git/config` can name an fsmonitor hook,
  which `check-ignore` and `ls-files` would otherwise run.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Final

from profiles.claude.settings_json import SettingsError

GIT_TIMEOUT: Final = 5.0
# Settings that make git read-only commands run a program or write: all turned off.
_GIT_SAFE_CONFIG: Final = (
    "core.fsmonitor=false",
    "core.untrackedCache=false",
    "core.hooksPath=/dev/null",
)


def real_target(scope: str, path: Path) -> Path:
    """The file a write to `path` (the `scope` settings file) would replace, links resolved.

    Raises SettingsError naming the link when, in a project, `.claude` or the settings file
    leads outside the project's `.claude` directory.
    """
    real = Path(os.path.realpath(path))
    if scope == "user":
        return real
    claude = path.parent
    root = claude.parent
    real_root = Path(os.path.realpath(root))
    real_claude = Path(os.path.realpath(claude))
    if real_claude == real_root or not real_claude.is_relative_to(real_root):
        raise SettingsError(
            f"{claude} is a link to {real_claude}, outside the project {real_root}: cc-aws-tui"
            " does not write through it (remove the link, or use --scope user)"
        )
    if real.parent != real_claude and not real.is_relative_to(real_claude):
        raise SettingsError(
            f"{path} is a link to {real}, outside the project's .claude directory: cc-aws-tui"
            " does not write through it (remove the link, or use --scope user)"
        )
    return real


def check_secret_destination(path: Path, real: Path, what: str) -> None:
    """Refuse (SettingsError) to write `what` (e.g. "API key") to `real`, the real file behind
    `path`, when git could commit it; allowed outside any git repository."""
    root = _git_root(real.parent)
    if root is None:
        return
    via = str(path) if real == Path(os.path.abspath(path)) else f"{path} (a link to {real})"
    fix = f"add {_relative(real, root)} to {root / '.gitignore'}, or use --scope user"
    tracked = _git(root, "ls-files", "--error-unmatch", "--", str(real))
    if isinstance(tracked, str):
        raise SettingsError(f"{via}: cannot check with git that it is not committed ({tracked})")
    if tracked == 0:
        raise SettingsError(
            f"{via}: git tracks this file, so your {what} would be committed: refusing to"
            f" write it there (use --scope user, or `git rm --cached` it and {fix})"
        )
    ignored = _git(root, "check-ignore", "-q", "--", str(real))
    if isinstance(ignored, str):
        raise SettingsError(f"{via}: cannot check with git that it is ignored ({ignored})")
    if ignored != 0:
        raise SettingsError(
            f"{via}: git does not ignore this file, so your {what} could be committed:"
            f" refusing to write it there ({fix})"
        )


def git_ignores(path: Path) -> bool | None:
    """Whether git ignores `path` (None: not in a repository, or git could not tell)."""
    real = Path(os.path.realpath(path))
    root = _git_root(real.parent)
    if root is None:
        return None
    got = _git(root, "check-ignore", "-q", "--", str(real))
    return None if isinstance(got, str) else got == 0


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def _git_root(start: Path) -> Path | None:
    """The nearest directory at or above `start` holding `.git`, links resolved."""
    here = Path(os.path.realpath(start))
    for directory in (here, *here.parents):
        if os.path.lexists(directory / ".git"):
            return directory
    return None


def _git(root: Path, *args: str) -> int | str:
    """Run a read-only git command in `root`: its exit status, or why it could not run."""
    import shutil
    import subprocess

    git = shutil.which("git")
    if git is None:
        return "git is not installed"
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_TERMINAL_PROMPT="0", GIT_OPTIONAL_LOCKS="0", LC_ALL="C")
    command = [git, "--no-pager"]
    for setting in _GIT_SAFE_CONFIG:
        command += ["-c", setting]
    try:
        proc = subprocess.run(
            [*command, *args],
            cwd=root,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=GIT_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return f"git took longer than {GIT_TIMEOUT:g} s"
    except OSError as exc:
        return f"cannot run git: {exc.strerror or exc}"
    if proc.returncode in (0, 1):
        return proc.returncode
    first = proc.stderr.decode("utf-8", "replace").strip().splitlines()
    reason = first[0] if first else f"exit status {proc.returncode}"
    return "git: " + "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in reason)
