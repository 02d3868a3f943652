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
from profiles.claude.conflicts import still_overridden
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
    profile: Profile, secrets: Mapping[str, str]
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
) -> Change:
    """Write `profile` into the `env` block (and `awsAuthRefresh`) of the `scope` settings file.

    Every other key and `env` entry stays, in its place; new entries go at the end of `env`.
    Refuses a profile with a secret for the project scope (that file is committed), and for
    any file git could commit (judged by where the write really lands, links resolved).
    """
    loc = locate(scope, cwd)
    wanted, unset = profile_env(profile, secrets)
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

        prev_refresh = prev.get(AWS_AUTH_REFRESH)
        refresh_claim: str | None = None
        has_refresh = AWS_AUTH_REFRESH in data
        old_refresh = data.get(AWS_AUTH_REFRESH)
        if profile.aws_auth_refresh is not None:
            if old_refresh == profile.aws_auth_refresh:
                refresh_claim = prev_refresh if prev_refresh == old_refresh else None
            else:
                if has_refresh and old_refresh != prev_refresh:
                    notes.append(f"replaced your awsAuthRefresh ({old_refresh!r})")
                data[AWS_AUTH_REFRESH] = profile.aws_auth_refresh
                refresh_claim = profile.aws_auth_refresh
        elif has_refresh and prev_refresh is not None:
            if old_refresh == prev_refresh:
                del data[AWS_AUTH_REFRESH]  # ours, and this profile has none
            else:
                notes.append("kept awsAuthRefresh: you changed it since cc-aws-tui wrote it")

        record: dict[str, Any] = {
            "scope": loc.scope,
            "profile": profile.name,
            "env": claimed,
            "created_env": created_env,
            "created_file": not current.exists or bool(prev.get("created_file")),
        }
        if refresh_claim is not None:
            record[AWS_AUTH_REFRESH] = refresh_claim

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
        refresh = rec.get(AWS_AUTH_REFRESH)
        if refresh is not None and AWS_AUTH_REFRESH in data:
            if data[AWS_AUTH_REFRESH] == refresh:
                del data[AWS_AUTH_REFRESH]
            else:
                notes.append("kept awsAuthRefresh: you changed it since cc-aws-tui wrote it")
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
