"""The apply record: what `apply` wrote to each settings file, so `unapply` takes back that
and nothing else.

A record in `claude-settings.json` in the cc-aws-tui config directory (mode 0600), keyed by the
settings file's absolute path. It holds the profile's name, each `env` entry cc-aws-tui wrote
(secret values only as a SHA-256 fingerprint, never in clear), the `awsAuthRefresh` it wrote,
and whether it created the `env` block or the file. Claude Code's settings get no key of ours.
Every change to a settings file and its record happens under one lock (`locked`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Final

from profiles.claude.settings_json import SettingsError
from profiles.core.envplan import SECRET_VARS
from profiles.store import paths

STATE_FILE: Final = "claude-settings.json"


def state_path() -> Path:
    """Where the record is kept (the cc-aws-tui config directory)."""
    return paths.config_dir() / STATE_FILE


def read_state() -> dict[str, Any]:
    """The whole record (`{"schema": 1, "applied": {path: entry}}`); an empty one when none
    was written yet. A broken record is a SettingsError naming it."""
    path = state_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {"schema": 1, "applied": {}}
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{path}: cannot read: {exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SettingsError(
            f"{path}:{exc.lineno}:{exc.colno}: {exc.msg} (cc-aws-tui's record of what `apply`"
            " wrote; fix or delete it)"
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("applied"), dict):
        raise SettingsError(f"{path}: not a cc-aws-tui apply record (fix or delete it)")
    return data


def write_state(state: dict[str, Any]) -> None:
    """Replace the record atomically (mode 0600, as every file of ours)."""
    from profiles.store.fsutil import atomic_write

    atomic_write(state_path(), json.dumps(state, indent=2, ensure_ascii=False) + "\n")


@contextlib.contextmanager
def locked() -> Iterator[None]:
    """Hold the lock that every read-change-write of a settings file and its record takes."""
    from profiles.store.fsutil import file_lock, sweep_temps

    with file_lock(paths.config_dir() / ".claude-settings.lock"):
        sweep_temps(paths.config_dir(), (STATE_FILE,))
        yield


def fingerprint(var: str, value: Any) -> str | None:
    """How a value is recorded: in clear, or for a secret only as a SHA-256 fingerprint."""
    if not isinstance(value, str):
        return None
    if var in SECRET_VARS:
        return "sha256:" + hashlib.sha256(value.encode("utf-8")).hexdigest()
    return value


def is_ours(var: str, value: Any, recorded: Mapping[str, str]) -> bool:
    """`value` of `var` is still what the record says cc-aws-tui wrote."""
    return var in recorded and fingerprint(var, value) == recorded[var]


def applied_files(name: str) -> dict[str, dict[str, Any]]:
    """The record's entries for profile `name`: settings file path -> entry. Raises
    SettingsError when the record cannot be read."""
    return {
        path: rec
        for path, rec in read_state()["applied"].items()
        if isinstance(rec, dict) and rec.get("profile") == name
    }


def rename_profile(old: str, new: str) -> None:
    """The record's entries for profile `old` now name `new` (a rename moves them along)."""
    with locked():
        state = read_state()
        entries = [r for r in state["applied"].values() if isinstance(r, dict)]
        moved = [r for r in entries if r.get("profile") == old]
        for rec in moved:
            rec["profile"] = new
        if moved:
            write_state(state)


def forget(path: Path, name: str) -> None:
    """Drop the entry for the settings file `path` while it still names profile `name` (its
    file is gone with its project: there is nothing left to take back)."""
    with locked():
        state = read_state()
        rec = state["applied"].get(str(path))
        if isinstance(rec, dict) and rec.get("profile") == name:
            del state["applied"][str(path)]
            write_state(state)
