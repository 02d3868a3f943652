"""Applied profiles stay in step: re-apply or unapply after a profile changes, and what drifted.

A profile applied to a Claude Code settings file is a copy. Claude Code reads the file, not the
profile (a settings `env` entry beats the shell), so a profile changed after `apply` would
leave its old values in force, silently. The apply record (claude.record) says which settings
files each profile was applied to. After any change to a profile:

- `resync(old_name, profile, secrets)` re-applies `profile` to each of those files with
  `claude.apply.apply`, so every rule of apply holds (the guard, the record, the backups, the
  notes); with `profile=None` (deleted) it takes the profile back with `unapply`. A rename
  moves the record's entries to the new name first, so a file that cannot be updated now is
  found under the new name later. Each file gets a `Synced`: its `Change`, or why it was not
  updated and the command that would do it. One bad file never stops the others, and nothing
  here raises for it; apply itself never rewrites a file it could not parse.
- `applied_states(profile)` says, for the home screen, whether each of those files still holds
  what the profile would write now: a dry run of `apply`, so it is judged by apply's own rules.
  No secret is resolved for it (no key command runs to draw a screen): a key or token in the
  file counts as the profile's while it has the fingerprint the record holds.

`apply` and `unapply` find a file from a scope and a working directory; for a project's file
that directory is the project the record's path names, and the file is touched only while
that scope, seen from there, is still that very file.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal

from profiles.claude import record
from profiles.claude.apply import apply, unapply
from profiles.claude.locations import SCOPES, Scope, locate
from profiles.claude.settings_json import SettingsError
from profiles.claude.settings_json import read as read_settings
from profiles.claude.write import SECRET_LABELS, Change
from profiles.core.envplan import API_KEY, AUTH_TOKEN
from profiles.core.schema import Profile
from profiles.store.files import ConfigError
from profiles.store.fsutil import LockTimeout
from profiles.store.secrets import SecretError

Secrets = Mapping[str, str] | Callable[[Profile], Mapping[str, str]]
"""A profile's secrets, or the one function that resolves them (called at most once, and only
when there is a file to re-apply to: a key command does not run for nothing)."""

SECRET_VAR: Final = {"api_key": API_KEY, "gateway_token": AUTH_TOKEN}
"""The `env` variable each of a profile's secrets is written to."""

# What one file can fail with (settings, record, secrets, the lock, the file system); anything
# else is a bug and is raised.
_FILE_ERRORS: Final = (ConfigError, SecretError, LockTimeout, OSError, ValueError)

Outcome = Literal["updated", "unchanged", "not-updated"]


@dataclass(frozen=True)
class Synced:
    """What became of one settings file a changed profile had been applied to."""

    scope: Scope | None
    """The file's scope; None when the record itself could not be read (`path` is the record)."""
    path: Path
    profile: str
    """The profile's name now (the new one after a rename; the deleted one after a deletion)."""
    deleted: bool
    """The profile was deleted: the file was to be unapplied, not re-applied."""
    outcome: Outcome
    change: Change | None = None
    """What apply or unapply did, when it ran."""
    reason: str = ""
    """not-updated: why; unchanged without a change: why there was nothing to do."""
    fix: str = ""
    """not-updated: the command that does it once the reason is dealt with ("" if none)."""

    def summary(self) -> str:
        """One line for a person, the same in the CLI and the TUI (⚠ first when the file
        was not updated)."""
        where = f"{self.path} ({self.scope})" if self.scope else str(self.path)
        if self.outcome == "not-updated":
            fix = f"; fix that, then run: {self.fix}" if self.fix else ""
            return f"⚠ not updated {where}: {self.reason}{fix}"
        if self.outcome == "unchanged":
            if self.reason:
                why = self.reason
            elif self.deleted:
                why = f"it holds nothing of profile {self.profile!r} any more"
            else:
                why = f"it already holds profile {self.profile!r}"
            return f"unchanged {where}: {why}"
        assert self.change is not None
        keys = f" ({', '.join(self.change.keys)})" if self.change.keys else ""
        if self.deleted:
            return f"updated {where}: took back profile {self.profile!r}{keys}"
        return f"updated {where}: re-applied profile {self.profile!r}{keys}"


def resync(old_name: str, profile: Profile | None, secrets: Secrets) -> list[Synced]:
    """Bring every settings file profile `old_name` was applied to in step with `profile`
    (its new state; None: it was deleted). Never raises for a file; see the module docstring."""
    name = profile.name if profile is not None else old_name
    deleted = profile is None
    try:
        entries = record.applied_files(old_name)
        if entries and profile is not None and profile.name != old_name:
            record.rename_profile(old_name, profile.name)
    except _FILE_ERRORS as exc:
        return [Synced(None, record.state_path(), name, deleted, "not-updated", reason=str(exc))]
    resolved: list[Mapping[str, str] | SecretError] = [] if callable(secrets) else [secrets]
    out: list[Synced] = []
    for path_text, rec in _in_order(entries):
        path = Path(path_text)
        scope = rec.get("scope")
        if scope not in SCOPES:
            reason = "cc-aws-tui's record of it names no scope (apply it again)"
            out.append(Synced(None, path, name, deleted, "not-updated", reason=reason))
            continue
        done = _Done(scope, path, name, deleted)
        try:
            cwd = _cwd_for(scope, path)
        except _Gone as gone:
            out.append(done.forget(gone.reason))
            continue
        except _FILE_ERRORS as exc:  # not that file any more: nothing to run
            out.append(done.failed(str(exc), None, fixable=False))
            continue
        try:
            if profile is None:
                change = unapply(scope, cwd=cwd)
            else:
                if not resolved:  # once for every file: a key command runs at most once
                    assert callable(secrets)
                    try:
                        resolved.append(secrets(profile))
                    except SecretError as exc:
                        resolved.append(exc)
                got = resolved[0]
                if isinstance(got, SecretError):
                    raise got
                change = apply(profile, got, scope, cwd=cwd)
        except SecretError as exc:
            out.append(done.failed(f"its secrets could not be had: {exc}", cwd))
        except _FILE_ERRORS as exc:
            out.append(done.failed(str(exc), cwd))
        else:
            out.append(done.ok(change))
    return out


def fix_command(name: str | None, scope: str, cwd: Path | None) -> str:
    """The command that applies profile `name` (None: unapplies) to the `scope` file of the
    project at `cwd` (None: the user file), as a person would type it."""
    command = (
        f"cc-aws-tui apply {shlex.quote(name)} --scope {scope}"
        if name is not None
        else f"cc-aws-tui unapply --scope {scope}"
    )
    return f"cd {shlex.quote(str(cwd))} && {command}" if cwd is not None else command


@dataclass(frozen=True)
class _Done:
    """Builds the `Synced` of one file."""

    scope: Scope
    path: Path
    name: str
    deleted: bool

    def ok(self, change: Change) -> Synced:
        outcome: Outcome = "updated" if change.written else "unchanged"
        return Synced(self.scope, self.path, self.name, self.deleted, outcome, change)

    def failed(self, reason: str, cwd: Path | None, *, fixable: bool = True) -> Synced:
        fix = fix_command(None if self.deleted else self.name, self.scope, cwd) if fixable else ""
        return Synced(
            self.scope, self.path, self.name, self.deleted, "not-updated", reason=reason, fix=fix
        )

    def forget(self, reason: str) -> Synced:
        """The file's project is gone, and the file with it. Nothing here can update it or
        take it back, ever: the record stops listing it (a warning that could never be
        fixed would be noise), and the line says where to apply again if it only moved."""
        try:
            record.forget(self.path, self.name)
        except _FILE_ERRORS as exc:
            reason = f"{reason}, and its record could not be dropped: {exc}"
            return self.failed(reason, None, fixable=False)
        again = "run unapply there" if self.deleted else "apply it there again"
        reason = (
            f"{reason} (moved or deleted): cc-aws-tui no longer tracks it; if it moved, {again}"
        )
        return self.failed(reason, None, fixable=False)


def _in_order(entries: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """Record entries as a person reads them: user, project, local, then by path."""

    def key(item: tuple[str, Any]) -> tuple[int, str]:
        scope = item[1].get("scope")
        return (SCOPES.index(scope) if scope in SCOPES else len(SCOPES), item[0])

    return sorted(entries.items(), key=key)


class _Gone(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _cwd_for(scope: Scope, path: Path) -> Path | None:
    """The working directory from which `scope` reaches the recorded file `path` (None for the
    user file). Raises _Gone when its project no longer exists, SettingsError when `scope`
    from there is no longer that file."""
    if scope == "user":
        now = locate("user").path
        if now != path:
            raise SettingsError(f"it is no longer the user settings file (that is {now})")
        return None
    project = path.parent.parent
    if not project.is_dir():
        raise _Gone(f"the project {project} is gone")
    now = locate(scope, project).path
    if now != path:
        raise SettingsError(
            f"{project} is now inside the project {now.parent.parent}, whose {scope} settings"
            f" file is {now}: cc-aws-tui leaves {path} alone"
        )
    return project


# --- drift, for the home screen ---------------------------------------------------------------

State = Literal["in-step", "drifted", "unusable"]


@dataclass(frozen=True)
class AppliedState:
    """One settings file a profile was applied to, and whether it still holds the profile."""

    scope: Scope
    path: Path
    state: State
    """in-step: it holds what the profile would write now; drifted: re-applying would change
    it (edited by hand, or the profile changed outside cc-aws-tui); unusable: it cannot be
    re-applied to as things are (`reason` says why)."""
    here: bool
    """It is the `scope` file a Claude Code started in the working directory reads."""
    keys: tuple[str, ...] = ()
    """drifted: the `env` variables (and other keys) re-applying would change."""
    reason: str = ""
    """drifted or unusable: why, for a person."""

    @property
    def project(self) -> Path | None:
        """The project directory of a project or local file; None for the user file."""
        return None if self.scope == "user" else self.path.parent.parent


def applied_states(profile: Profile, cwd: Path | None = None) -> list[AppliedState]:
    """Every settings file the record says holds `profile`, and whether it still does. Never
    raises, never resolves a secret, never writes."""
    try:
        entries = record.applied_files(profile.name)
    except _FILE_ERRORS:
        return []
    out: list[AppliedState] = []
    for path_text, rec in _in_order(entries):
        path, scope = Path(path_text), rec.get("scope")
        if scope in SCOPES:
            out.append(_state(profile, scope, path, rec, _is_here(scope, path, cwd)))
    return out


def _state(
    profile: Profile, scope: Scope, path: Path, rec: Mapping[str, Any], here: bool
) -> AppliedState:
    def unusable(reason: str) -> AppliedState:
        return AppliedState(scope, path, "unusable", here, reason=reason)

    try:
        cwd = _cwd_for(scope, path)
        current = read_settings(path)
    except _Gone as gone:
        return unusable(gone.reason)
    except _FILE_ERRORS as exc:
        return unusable(str(exc))
    if not current.exists:
        return AppliedState(scope, path, "drifted", here, reason="the file was deleted")
    env = current.data.get("env")
    env = env if isinstance(env, dict) else {}
    recorded: Mapping[str, str] = rec.get("env") or {}
    secrets: dict[str, str] = {}
    for kind in profile.secret_kinds():
        var = SECRET_VAR[kind]
        value = env.get(var)
        if (
            not isinstance(value, str)
            or not value
            or (var in recorded and not record.is_ours(var, value, recorded))
        ):
            why = f"its {SECRET_LABELS[var]} in the file is not the one cc-aws-tui wrote"
            return AppliedState(scope, path, "drifted", here, (var,), why)
        secrets[kind] = value  # the one written: what re-applying would write again
    try:
        change = apply(profile, secrets, scope, dry_run=True, cwd=cwd)
    except _FILE_ERRORS as exc:
        return unusable(str(exc))
    if not change.changed:
        return AppliedState(scope, path, "in-step", here)
    why = f"it no longer holds what profile {profile.name!r} would write"
    return AppliedState(scope, path, "drifted", here, change.keys, why)


def _is_here(scope: Scope, path: Path, cwd: Path | None) -> bool:
    try:
        return locate(scope, cwd).path == path
    except SettingsError:
        return False
