"""`cc-aws-tui statusline`: one short line for Claude Code's `statusLine` setting, saying which
identity the session uses: profile, workspace, region and, for SigV4 profiles with cached
credentials, the time they have left.

Claude Code runs it on every prompt and pipes a JSON object about the session to it, so it
starts like `export` does: the standard library, the cached parse of profiles.toml, and JSON
files read directly (the apply record, the credentials cache's non-secret sidecar). Standard
input is read only while it is ready, for at most `STDIN_WAIT` seconds, and not at all from a
terminal: an idle pipe or a tty never holds it.

Which profile: `CC_AWS_TUI_PROFILE` in the environment (an exported profile), else the one
applied to the settings file Claude Code reads first for the session's project (local, then
project, then user settings: the apply record, `profiles.claude.record`), else the current one.
"""

from __future__ import annotations

import os
import sys
import time

from profiles.cli.common import EXIT_OK

TYPE_CHECKING = False  # not typing's: this runs on every prompt
if TYPE_CHECKING:
    from typing import Any

    from profiles.core.schema import Profile, ProfilesDoc

STDIN_WAIT = 0.2  # seconds: Claude Code writes its JSON at once
STDIN_LIMIT = 1 << 20
# profiles.claude.record's STATE_FILE (tests/cli/test_statusline.py checks they agree): read
# here with json alone, not through that module and its imports.
APPLY_RECORD = "claude-settings.json"
SOURCES = {
    "sso": "sso",
    "assume-role": "role",
    "custom-process": "process",
    "assume-role-with-web-identity": "web identity",
    "shared-credentials-file": "keys",
    "config-file": "keys",
}


def register(sub: Any) -> None:
    from profiles.cli.parser import add_command

    add_command(
        sub,
        "statusline",
        "one line for Claude Code's statusLine: profile, workspace, region, time left",
        lambda _a: statusline(),
        description=(
            "Print one short line for Claude Code's statusLine setting: the profile in use\n"
            "(CC_AWS_TUI_PROFILE, else the one applied to the session's settings, else the\n"
            "current one), its workspace and region, and for SigV4 profiles with cached\n"
            "credentials the time they have left. Reads the session JSON Claude Code pipes\n"
            "in without waiting on it; no network."
        ),
    )


def cmd_statusline(args: list[str]) -> int | None:
    from profiles.cli.fast import parse

    return statusline() if parse(args) == ([], {}) else None


def statusline() -> int:
    from profiles.cli.common import out
    from profiles.store.files import read_doc

    session = read_session()
    doc = read_doc()
    name = which_profile(doc, session)
    if name is None:
        out("cc-aws-tui: no profile (cc-aws-tui use NAME)\n")
        return EXIT_OK
    profile = doc.profiles.get(name)
    out(line(name, profile) + "\n")
    return EXIT_OK


def line(name: str, profile: Profile | None, now: float | None = None) -> str:
    if profile is None:
        return f"cc:{name} (no such profile)"
    parts = [f"cc:{name}", profile.workspace_id, profile.region]
    if profile.auth == "api-key":
        parts.append("api key")
    elif profile.aws_profile and not profile.gateway_signs:
        left = time_left(name, now)
        if left:
            parts.append(left)
    return " · ".join(parts)


def time_left(name: str, now: float | None = None) -> str | None:
    """`sso: expires in 42m`, `expired: cc-aws-tui login dev`, or None (nothing cached)."""
    from profiles.aws.credcache import read_status

    status = read_status(name)
    if status is None:
        return None
    if status.get("needs_login"):
        return f"expired: cc-aws-tui login {name}"
    source = SOURCES.get(str(status.get("source")), str(status.get("source") or "aws"))
    expires_at = status.get("expires_at")
    if not status.get("expiry_known") or not isinstance(expires_at, int | float):
        return source
    seconds = expires_at - (time.time() if now is None else now)
    if seconds <= 0:
        return f"expired: cc-aws-tui login {name}"
    return f"{source}: expires in {duration(seconds)}"


def duration(seconds: float) -> str:
    """`42m`, `3h05m`; under a minute is `<1m`."""
    minutes = int(seconds // 60)
    if minutes < 1:
        return "<1m"
    if minutes < 60:
        return f"{minutes}m"
    return f"{minutes // 60}h{minutes % 60:02d}m"


# --- which profile -----------------------------------------------------------------------------


def which_profile(doc: ProfilesDoc, session: dict[str, Any]) -> str | None:
    from profiles.core.envplan import MARKER

    exported = os.environ.get(MARKER)
    if exported:
        return exported
    applied = applied_profile(session_dir(session))
    return applied if applied is not None else doc.current


def session_dir(session: dict[str, Any]) -> str:
    """The session's project directory, from Claude Code's JSON (else the working one)."""
    workspace = session.get("workspace")
    if isinstance(workspace, dict):
        for key in ("project_dir", "current_dir"):
            value = workspace.get(key)
            if isinstance(value, str) and os.path.isabs(value):
                return value
    cwd = session.get("cwd")
    return cwd if isinstance(cwd, str) and os.path.isabs(cwd) else os.getcwd()


def applied_profile(directory: str) -> str | None:
    """The profile `apply` last wrote to the settings file Claude Code reads first here:
    local, then project settings of the git repository holding `directory`, then user."""
    import json

    from profiles.store import paths
    from profiles.store.fileread import UnreadableFile, read_regular

    try:
        raw = read_regular(os.path.join(paths.config_dir_str(), APPLY_RECORD))
        record = json.loads(raw) if raw is not None else None
    except (UnreadableFile, ValueError):
        return None
    applied = record.get("applied") if isinstance(record, dict) else None
    if not isinstance(applied, dict):
        return None
    candidates = []
    home = os.path.expanduser("~")
    root = _git_root(directory)
    if root is not None and os.path.realpath(root) != os.path.realpath(home):
        candidates += [
            os.path.join(root, ".claude", "settings.local.json"),
            os.path.join(root, ".claude", "settings.json"),
        ]
    candidates.append(os.path.join(home, ".claude", "settings.json"))
    for path in candidates:
        entry = applied.get(path)
        if isinstance(entry, dict) and isinstance(entry.get("profile"), str):
            name: str = entry["profile"]
            return name
    return None


def _git_root(directory: str) -> str | None:
    """The nearest directory at or above `directory` holding `.git` (as
    `profiles.claude.locations.find_git_root`)."""
    current = os.path.abspath(directory)
    while True:
        if os.path.lexists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


# --- standard input ----------------------------------------------------------------------------


def read_session() -> dict[str, Any]:
    """Claude Code's session JSON on stdin, if it is there at once; {} otherwise."""
    import json

    raw = read_ready_stdin()
    if not raw:
        return {}
    try:
        data = json.loads(raw)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def read_ready_stdin(wait: float = STDIN_WAIT, limit: int = STDIN_LIMIT) -> bytes:
    """What stdin holds within `wait` seconds (up to EOF, a whole JSON value or `limit`
    bytes); nothing from a terminal, a closed stdin, or where `select` cannot wait on it."""
    try:
        fd = sys.stdin.fileno()
    except (AttributeError, ValueError, OSError):
        return b""
    if os.name != "posix" or os.isatty(fd):
        return b""
    import select

    chunks: list[bytes] = []
    size = 0
    end = time.monotonic() + wait
    while size < limit:
        try:
            ready, _, _ = select.select([fd], [], [], max(0.0, end - time.monotonic()))
            chunk = os.read(fd, 65536) if ready else b""
        except (OSError, ValueError):
            break
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
        if chunk.rstrip().endswith(b"}") and _complete(b"".join(chunks)):
            break  # the whole object came: no need to wait for EOF
    return b"".join(chunks)[:limit]


def _complete(raw: bytes) -> bool:
    import json

    try:
        json.loads(raw)
    except ValueError:
        return False
    return True
