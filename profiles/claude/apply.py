"""Apply a profile to a Claude Code settings file, and take it back (`unapply`).

`apply` writes the profile's variables into the file's `env` block (and its `awsAuthRefresh`)
and records what it wrote (claude.record). An entry whose value was already there, identical,
before `apply` is the user's and is not recorded, so `unapply` leaves it. `unapply` removes a
recorded entry only while it still holds the value written; one the user changed since is kept
and reported. So apply -> unapply gives back the original JSON value (keys and order) whenever
apply did not have to replace or remove a value the user had (it says when it does; the
backup holds the previous file).

Where a write really lands, links resolved, is judged before anything is read or written
(claude.guard): no link out of a project's `.claude`, no key or token into a file git could
commit.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from profiles.claude import guard as settings_guard
from profiles.claude import hooks
from profiles.claude.conflicts import still_overridden
from profiles.claude.hooks import AWS_CREDENTIAL_EXPORT
from profiles.claude.locations import AWS_AUTH_REFRESH, locate
from profiles.claude.record import fingerprint, is_ours, locked, read_state, write_state
from profiles.claude.resolve import blanks_for
from profiles.claude.settings_json import SettingsError
from profiles.claude.settings_json import read as read_settings
from profiles.claude.write import SECRET_LABELS, Change, finish, secret_values
from profiles.core import envplan
from profiles.core.envplan import (
    API_KEY,
    AWS_KEY_VARS,
    OTHER_PROVIDERS,
    SECRET_VARS,
    SHELL_ONLY_VARS,
)
from profiles.core.schema import Profile


def profile_env(
    profile: Profile, secrets: Mapping[str, str], mode: hooks.Credentials = "isolated"
) -> tuple[dict[str, str], tuple[str, ...]]:
    """What the `env` block gets and loses.

    It gets the profile's variables (not the shell markers), and `""` for each variable the
    profile does not use that the shell could hold and that would change where requests go or
    how they are signed (`resolve.blanks_for`): a settings `env` beats the shell, and `""`
    there reads as unset, so the profile wins whatever shell Claude Code is started from. It
    loses the rest of what the profile unsets (e.g. AWS key variables beside AWS_PROFILE).
    """
    plan = envplan.plan_env(profile, secrets)
    wanted = {k: v for k, v in plan.set.items() if k not in SHELL_ONLY_VARS}
    if hooks.isolates(profile, mode):
        del wanted[envplan.AWS_PROFILE]  # awsCredentialExport signs; the agent keeps yours
    blanks = blanks_for(plan.unset)
    wanted.update(dict.fromkeys(blanks, ""))
    return wanted, tuple(v for v in plan.unset if v not in blanks)


def apply(
    profile: Profile,
    secrets: Mapping[str, str],
    scope: str,
    *,
    dry_run: bool = False,
    cwd: Path | None = None,
    credentials: hooks.Credentials | None = None,
    status_line: bool = False,
) -> Change:
    """Write `profile` into the `env` block (and `awsAuthRefresh`, `awsCredentialExport`) of
    the `scope` settings file.

    `credentials`: "isolated" (a SigV4 profile with an AWS profile gets `awsCredentialExport`
    and no `AWS_PROFILE`, so the agent's commands keep the user's identity) or "env"
    (`AWS_PROFILE` in `env`). None: as the last apply to this file did, else isolated.
    Every other key and `env` entry stays, in its place; new entries go at the end of `env`.
    Refuses a profile with a secret for the project scope (that file is committed), and for
    any file git could commit (judged by where the write really lands, links resolved).
    """
    loc = locate(scope, cwd)
    if loc.scope == "project":
        if credentials == "isolated" and hooks.isolates(profile, "isolated"):
            raise SettingsError(
                "isolated credentials write this machine's cc-aws-tui path into the settings,"
                " and project settings (.claude/settings.json) are committed: use --scope local"
                " (this repository, not committed) or --credentials env"
            )
        credentials = "env"  # a committed file names no path of this machine
    wanted, unset = profile_env(profile, secrets, credentials or "isolated")
    secret_vars = sorted(v for v in SECRET_VARS & wanted.keys() if wanted[v])
    what = " and ".join(SECRET_LABELS[v] for v in secret_vars)
    if loc.scope == "project" and secret_vars:
        raise SettingsError(
            f"profile {profile.name!r} holds a secret (its {what}), and project settings"
            " (.claude/settings.json) are committed with the repository: use --scope local"
            " (this repository, not committed) or --scope user"
        )
    key = str(loc.path)
    with locked():
        real = settings_guard.real_target(loc.scope, loc.path)
        if secret_vars:
            settings_guard.check_secret_destination(loc.path, real, what)
        current = read_settings(loc.path)
        state = read_state()
        prev: Mapping[str, Any] = state["applied"].get(key) or {}
        prev_env: Mapping[str, str] = prev.get("env") or {}
        notes: list[str] = [loc.note] if loc.note else []
        mode: hooks.Credentials = credentials or (
            "env" if prev.get("credentials") == "env" else "isolated"
        )
        if mode != (credentials or "isolated"):
            wanted, unset = profile_env(profile, secrets, mode)

        data = copy.deepcopy(current.data)
        created_env = "env" not in data or bool(prev.get("created_env"))
        env: dict[str, Any] = data.setdefault("env", {})
        claimed: dict[str, str] = {}

        # Entries an earlier apply wrote that this profile does not set (e.g. AWS_PROFILE of
        # a named-profile setup, now on the default chain): take them back, as unapply would.
        for var in list(env):
            if var in prev_env and var not in wanted and var not in unset:
                if is_ours(var, env[var], prev_env):
                    del env[var]
                else:
                    notes.append(f"kept {var}: you changed it since cc-aws-tui wrote it")
        for var, value in wanted.items():
            if var in env and env[var] == value:
                if is_ours(var, value, prev_env):
                    claimed[var] = prev_env[var]  # still ours from the last apply
                continue  # otherwise the user's own, identical: theirs to keep on unapply
            if var in env and not is_ours(var, env[var], prev_env):
                if value == "":
                    was = _show(var, env[var])
                    notes.append(f'set your {var} ({was}) to "": {_why_unset(var)}')
                else:
                    notes.append(f"replaced your {var} ({_show(var, env[var])})")
            env[var] = value
            fp = fingerprint(var, value)
            assert fp is not None
            claimed[var] = fp
        for var in unset:
            if var in env:
                if not is_ours(var, env[var], prev_env):
                    notes.append(f"removed your {var} ({_show(var, env[var])}): {_why_unset(var)}")
                del env[var]

        record: dict[str, Any] = {
            "scope": loc.scope,
            "profile": profile.name,
            "credentials": mode,
            "env": claimed,
            "created_env": created_env,
            "created_file": not current.exists or bool(prev.get("created_file")),
        }
        owned = {
            AWS_AUTH_REFRESH: hooks.refresh_command(profile, mode),
            AWS_CREDENTIAL_EXPORT: (
                hooks.credential_export(profile) if hooks.isolates(profile, mode) else None
            ),
        }
        for name, desired in owned.items():
            claim = _own_key(data, name, desired, prev.get(name), notes)
            if claim is not None:
                record[name] = claim
        ours_line = prev.get(hooks.STATUS_LINE)
        if status_line and hooks.STATUS_LINE not in data:
            data[hooks.STATUS_LINE] = record[hooks.STATUS_LINE] = hooks.status_line()
        elif ours_line is not None:
            record[hooks.STATUS_LINE] = ours_line  # still ours to take back
        if status_line and ours_line is None and current.data.get(hooks.STATUS_LINE) is not None:
            notes.append("kept your statusLine: --statusline adds one only where there is none")
        first = not prev  # say these once, not on every re-apply
        if hooks.isolates(profile, mode) and (first or prev.get("credentials") != mode):
            notes.append(
                f"isolated: Claude Code gets AWS credentials from `cc-aws-tui credentials"
                f" {profile.name}`, not AWS_PROFILE, so the agent's own commands keep your AWS"
                " identity (--credentials env puts AWS_PROFILE in env instead)"
            )
        elif profile.auth == "api-key" and (first or prev.get("profile") != profile.name):
            notes.append(f"warning: {hooks.KEY_EXPOSURE}")
        if first and hooks.STATUS_LINE not in data:
            notes.append(
                "no status line: --statusline adds one that shows which profile, workspace and"
                " region a session uses, and the time left on its credentials"
            )

        masked = {*secrets.values(), *secret_values(current.data)}
        change = finish(loc, current, data, dry_run, notes, masked, why=f"apply {profile.name}")
        if change.written and secret_vars and current.mode is not None and current.mode & 0o077:
            notes.append(
                f"{loc.path} is readable by other users (mode {current.mode:04o}) and now"
                f" holds your {SECRET_LABELS[secret_vars[0]]}: chmod 600 '{loc.path}'"
            )
        if (
            change.written
            and loc.scope == "local"
            and settings_guard.git_ignores(loc.path) is False
        ):
            notes.append(
                f"git does not ignore {loc.path}: add `.claude/settings.local.json` to"
                " .gitignore so it is never committed"
            )
        written_env = {k: v for k, v in env.items() if isinstance(v, str)}
        notes.extend(still_overridden(profile, secrets, loc.scope, loc.path, written_env, cwd))
        if not dry_run:
            state["applied"][key] = record
            write_state(state)
        return replace(change, notes=tuple(notes))


def unapply(scope: str, *, dry_run: bool = False, cwd: Path | None = None) -> Change:
    """Remove what `apply` wrote to the `scope` settings file, and nothing else.

    An entry the user changed since is kept (and reported); values `apply` replaced or
    removed are not brought back (the backup of that apply has them: `cc-aws-tui backups`).
    """
    loc = locate(scope, cwd)
    key = str(loc.path)
    with locked():
        settings_guard.real_target(loc.scope, loc.path)
        state = read_state()
        rec: Mapping[str, Any] | None = state["applied"].get(key)
        notes: list[str] = [loc.note] if loc.note else []
        if rec is None:
            notes.append(f"nothing to undo: cc-aws-tui has not applied a profile to {loc.path}")
            return Change(loc.scope, loc.path, False, False, "", tuple(notes))
        current = read_settings(loc.path)
        data = copy.deepcopy(current.data)
        recorded: Mapping[str, str] = rec.get("env") or {}
        env = data.get("env")
        if isinstance(env, dict):
            for var in recorded:
                if var not in env:
                    continue
                if is_ours(var, env[var], recorded):
                    del env[var]
                else:
                    notes.append(f"kept {var}: you changed it since cc-aws-tui wrote it")
            if not env and rec.get("created_env"):
                del data["env"]
        for name in (AWS_AUTH_REFRESH, AWS_CREDENTIAL_EXPORT, hooks.STATUS_LINE):
            _own_key(data, name, None, rec.get(name), notes)
        remove_file = current.exists and not data and bool(rec.get("created_file"))
        if not current.exists:
            notes.append(f"{loc.path} no longer exists: nothing to remove")
        masked = secret_values(current.data)
        change = finish(
            loc, current, data, dry_run, notes, masked, remove_file=remove_file, why="unapply"
        )
        if not dry_run:
            del state["applied"][key]
            write_state(state)
        return change


def _own_key(data: dict[str, Any], name: str, desired: Any, prev: Any, notes: list[str]) -> Any:
    """Set (or, with `desired` None, take back) a top-level key of ours. Returns what to
    record as ours: None for a value that is the user's (there, identical, before us)."""
    has, old = name in data, data.get(name)
    if desired is not None:
        if old == desired:
            return prev if prev == old else None
        if has and old != prev:
            notes.append(f"replaced your {name} ({old!r})")
        data[name] = desired
        return desired
    if has and prev is not None:
        if old == prev:
            del data[name]  # ours, and nothing wants it now
        else:
            notes.append(f"kept {name}: you changed it since cc-aws-tui wrote it")
    return None


def _show(var: str, value: Any) -> str:
    if var in envplan.SENSITIVE_VARS and isinstance(value, str):
        return envplan.mask(value)
    return json.dumps(value, ensure_ascii=False)


def _why_unset(var: str) -> str:
    if var in OTHER_PROVIDERS:
        return "it would win over Claude Platform on AWS"
    if var == API_KEY:
        return "a key wins over SigV4"
    if var in AWS_KEY_VARS:
        return "the profile names an AWS profile; other AWS tools would sign with these keys"
    return "the profile does not use it, and the shell's value would apply"
