"""The settings files Claude Code would read, as the TUI's home screen and `status` see them:
each file's `env` block (`settings_sources`) and which scopes still hold an applied profile
(`applied_scopes`). Read only; a broken or missing file never raises here.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from profiles.claude.locations import (
    AWS_AUTH_REFRESH,
    SCOPES,
    find_git_root,
    locate,
    managed_settings_path,
    user_settings_path,
)
from profiles.claude.record import is_ours, read_state
from profiles.claude.settings_json import SettingsError
from profiles.claude.settings_json import read as read_settings


def env_value(value: Any) -> str | None:
    """An `env` entry as the variable Claude Code would see (JSON scalars as JavaScript
    stringifies them); None for null, arrays and objects, which set nothing useful."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return None


def applied_scopes(profile_name: str, cwd: Path | None = None) -> list[str]:
    """The scopes whose settings file still holds what `apply` wrote for `profile_name`.

    "Holds" means: the record names this profile and every entry it lists still has the value
    written (an entry the user changed since makes it no longer count). Never raises for a
    broken or missing file; that scope is simply not listed.
    """
    try:
        applied = read_state()["applied"]
    except SettingsError:
        return []
    out: list[str] = []
    for scope in SCOPES:
        try:
            loc = locate(scope, cwd)
        except SettingsError:
            continue
        rec = applied.get(str(loc.path))
        if not isinstance(rec, dict) or rec.get("profile") != profile_name:
            continue
        recorded: Mapping[str, str] = rec.get("env") or {}
        refresh = rec.get(AWS_AUTH_REFRESH)
        if not recorded and refresh is None:
            continue
        try:
            data = read_settings(loc.path).data
        except SettingsError:
            continue
        env = data.get("env") or {}
        if all(is_ours(v, env.get(v), recorded) for v in recorded) and (
            refresh is None or data.get(AWS_AUTH_REFRESH) == refresh
        ):
            out.append(scope)
    return out


class SettingsSource(NamedTuple):
    """One settings file as Claude Code would read it. `env` holds string values only."""

    scope: str
    """managed, local, project or user."""
    path: Path
    env: dict[str, str]
    aws_auth_refresh: str | None
    error: str | None = None
    """Why the file could not be read (then `env` is empty); None when it was."""
    aws_credential_export: str | None = None


def settings_sources(
    cwd: Path | None = None, *, managed_path: Path | None = None
) -> list[SettingsSource]:
    """The settings files that exist, highest precedence first: managed > local > project >
    user (the command-line `--settings` layer is per invocation and cannot be seen here).

    A file that does not parse is listed with `error` set and an empty `env`.
    """
    here = Path(cwd or Path.cwd()).absolute()
    candidates: list[tuple[str, Path]] = [("managed", managed_path or managed_settings_path())]
    root = find_git_root(here) or here
    user = user_settings_path()
    for scope, name in (("local", "settings.local.json"), ("project", "settings.json")):
        path = root / ".claude" / name
        if path.absolute() != user.absolute():  # in $HOME, "project" is the user file
            candidates.append((scope, path))
    candidates.append(("user", user))
    out: list[SettingsSource] = []
    for scope, path in candidates:
        if not path.exists():
            continue
        try:
            data = read_settings(path).data
        except SettingsError as exc:
            out.append(SettingsSource(scope, path, {}, None, str(exc)))
            continue
        out.append(source_of(scope, path, data))
    return out


def source_of(scope: str, path: Path, data: Mapping[str, Any]) -> SettingsSource:
    """A settings JSON object as Claude Code reads it: its `env` (strings, as JavaScript
    would stringify scalars), `awsAuthRefresh` and `awsCredentialExport`."""
    raw_env = data.get("env")
    env = {
        k: text
        for k, v in (raw_env.items() if isinstance(raw_env, dict) else ())
        if (text := env_value(v)) is not None
    }
    refresh = data.get(AWS_AUTH_REFRESH)
    export = data.get("awsCredentialExport")
    return SettingsSource(
        scope,
        path,
        env,
        refresh if isinstance(refresh, str) else None,
        None,
        export if isinstance(export, str) else None,
    )
