"""Claude Code's own settings files: apply a profile to them, take it back, import from them,
and share a profile with a team without secrets.

Standard library only (no textual, no pydantic): the TUI's home screen and `status` call into
it too.

Where the files are (platform-facts, "Claude Code settings.json"):

- user:    `~/.claude/settings.json`
- project: `<project>/.claude/settings.json` (committed with the repository)
- local:   `<project>/.claude/settings.local.json` (personal, not committed)

`<project>` is the git repository root found by walking up from the working directory (a
directory holding `.git`, a directory or a worktree's file). Outside a repository the working
directory itself is the project and `Location.note` says so; the home directory is refused as a
project, because its `.claude/settings.json` *is* the user file.

What `apply` writes, and how `unapply` knows: a record in `claude-settings.json` in the
cc-aws-tui config directory (mode 0600), keyed by the settings file's absolute path. It holds
the profile's name, each `env` entry cc-aws-tui wrote (secret values only as a SHA-256
fingerprint, never in clear), the `awsAuthRefresh` it wrote, and whether it created the `env`
block or the file. Claude Code's settings get no key of ours. An entry whose value was already
there, identical, before `apply` is the user's and is not recorded, so `unapply` leaves it.
`unapply` removes a recorded entry only while it still holds the value written; one the user
changed since is kept and reported. So apply -> unapply gives back the original JSON value
(keys and order) whenever apply did not have to replace or remove a value the user had (it
says when it does; the backup holds the previous file).

The settings file is the only file written; its previous text goes to cc-aws-tui's config
directory (settings_backup), never beside it. Where a write really lands, links resolved, is
judged before anything is read or written (settings_guard): no link out of a project's
`.claude`, no key or token into a file git could commit. Reading and writing are strict JSON
(settings_json).
"""

from __future__ import annotations

import contextlib
import copy
import difflib
import hashlib
import json
import os
import re
import sys
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Final, Literal, NamedTuple

from profiles.claude import guard as settings_guard
from profiles.claude.settings_json import SettingsError, SettingsFile, json_type
from profiles.claude.settings_json import read as read_settings
from profiles.core import envplan
from profiles.core.envplan import (
    API_KEY,
    AUTH_TOKEN,
    AWS_KEY_VARS,
    AWS_PROFILE,
    BASE_URL,
    CACHE_1H,
    MARKER,
    MODEL_VARS,
    OTHER_PROVIDERS,
    REGION,
    SECRET_VARS,
    SHELL_ONLY_VARS,
    SKIP_AUTH,
    USE_AWS,
    WORKSPACE,
)
from profiles.core.schema import (
    MODEL_ALIASES,
    SCHEMA_VERSION,
    Profile,
    SchemaError,
    check_api_key,
    check_aws_profile,
    check_base_url,
    check_consistency,
    check_model_id,
    check_name,
    check_one_line,
    check_region,
    check_token,
    check_workspace_id,
    profile_from_mapping,
)
from profiles.store import paths
from profiles.store.files import ConfigError

Scope = Literal["user", "project", "local"]
SCOPES: Final[tuple[Scope, ...]] = ("user", "project", "local")
AWS_AUTH_REFRESH: Final = "awsAuthRefresh"
STATE_FILE: Final = "claude-settings.json"
NEW_FILE_MODE: Final = 0o644
SECRET_FILE_MODE: Final = 0o600

# --- where the files are ------------------------------------------------------------------


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


# --- reading ------------------------------------------------------------------------------


def dump_settings(data: Mapping[str, Any], where: Path | str = "", source: str = "") -> str:
    """The text we write (see settings_json.dumps): strict UTF-8 JSON, 2-space indent."""
    from profiles.claude.settings_json import dumps

    return dumps(data, where, source)


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


# --- what cc-aws-tui wrote: the state file -------------------------------------------------


def state_path() -> Path:
    return paths.config_dir() / STATE_FILE


def _read_state() -> dict[str, Any]:
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


def _write_state(state: dict[str, Any]) -> None:
    from profiles.store.fsutil import atomic_write

    atomic_write(state_path(), json.dumps(state, indent=2, ensure_ascii=False) + "\n")


@contextlib.contextmanager
def _locked() -> Iterator[None]:
    from profiles.store.fsutil import file_lock, sweep_temps

    with file_lock(paths.config_dir() / ".claude-settings.lock"):
        sweep_temps(paths.config_dir(), (STATE_FILE,))
        yield


def _fingerprint(var: str, value: Any) -> str | None:
    """How a value is recorded: in clear, or for a secret only as a SHA-256 fingerprint."""
    if not isinstance(value, str):
        return None
    if var in SECRET_VARS:
        return "sha256:" + hashlib.sha256(value.encode("utf-8")).hexdigest()
    return value


def _ours(var: str, value: Any, recorded: Mapping[str, str]) -> bool:
    return var in recorded and _fingerprint(var, value) == recorded[var]


# --- apply / unapply ----------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """What `apply` or `unapply` did (or, with dry_run, would do) to one settings file."""

    scope: Scope
    path: Path
    changed: bool
    """The file's JSON value changes (formatting-only differences are not a change)."""
    written: bool
    """The file was written (or removed); always False for a dry run."""
    diff: str
    """Unified diff of the JSON value before and after, secrets masked; "" without a change."""
    notes: tuple[str, ...] = ()
    """Things a person should know: values of theirs replaced or kept, a reformatted file."""
    backup: Path | None = None
    """Where the previous file was copied, when it was written."""
    removed_file: bool = False
    """unapply removed a file that apply had created and that is now empty."""
    existed: bool = True
    """The file existed before (so writing it keeps the previous one in the backups)."""


def profile_env(
    profile: Profile, secrets: Mapping[str, str]
) -> tuple[dict[str, str], tuple[str, ...]]:
    """What the `env` block gets (Claude Code's variables, not the shell marker) and loses."""
    plan = envplan.plan_env(profile, secrets)
    wanted = {k: v for k, v in plan.set.items() if k not in SHELL_ONLY_VARS}
    return wanted, plan.unset


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
    secret_vars = sorted(SECRET_VARS & wanted.keys())
    what = " and ".join(_SECRET_LABELS[v] for v in secret_vars)
    if loc.scope == "project" and secret_vars:
        raise SettingsError(
            f"profile {profile.name!r} holds a secret (its {what}), and project settings"
            " (.claude/settings.json) are committed with the repository: use --scope local"
            " (this repository, not committed) or --scope user"
        )
    key = str(loc.path)
    with _locked():
        real = settings_guard.real_target(loc.scope, loc.path)
        if secret_vars:
            settings_guard.check_secret_destination(loc.path, real, what)
        current = read_settings(loc.path)
        state = _read_state()
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
                if _ours(var, env[var], prev_env):
                    del env[var]
                else:
                    notes.append(f"kept {var}: you changed it since cc-aws-tui wrote it")
        for var, value in wanted.items():
            if var in env and env[var] == value:
                if _ours(var, value, prev_env):
                    claimed[var] = prev_env[var]  # still ours from the last apply
                continue  # otherwise the user's own, identical: theirs to keep on unapply
            if var in env and not _ours(var, env[var], prev_env):
                notes.append(f"replaced your {var} ({_show(var, env[var])})")
            env[var] = value
            fp = _fingerprint(var, value)
            assert fp is not None
            claimed[var] = fp
        for var in unset:
            if var in env:
                if not _ours(var, env[var], prev_env):
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

        masked = {*secrets.values(), *_secret_values(current.data)}
        change = _finish(loc, current, data, dry_run, notes, masked, why=f"apply {profile.name}")
        if change.written and secret_vars and current.mode is not None and current.mode & 0o077:
            notes.append(
                f"{loc.path} is readable by other users (mode {current.mode:04o}) and now"
                f" holds your {_SECRET_LABELS[secret_vars[0]]}: chmod 600 '{loc.path}'"
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
        if not dry_run:
            state["applied"][key] = record
            _write_state(state)
        return replace(change, notes=tuple(notes))


def unapply(scope: str, *, dry_run: bool = False, cwd: Path | None = None) -> Change:
    """Remove what `apply` wrote to the `scope` settings file, and nothing else.

    An entry the user changed since is kept (and reported); values `apply` replaced or
    removed are not brought back (the backup of that apply has them: `cc-aws-tui backups`).
    """
    loc = locate(scope, cwd)
    key = str(loc.path)
    with _locked():
        settings_guard.real_target(loc.scope, loc.path)
        state = _read_state()
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
                if _ours(var, env[var], recorded):
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
        masked = _secret_values(current.data)
        change = _finish(
            loc, current, data, dry_run, notes, masked, remove_file=remove_file, why="unapply"
        )
        if not dry_run:
            del state["applied"][key]
            _write_state(state)
        return change


def _finish(
    loc: Location,
    current: SettingsFile,
    data: dict[str, Any],
    dry_run: bool,
    notes: list[str],
    secret_values: set[str],
    *,
    remove_file: bool = False,
    why: str,
) -> Change:
    """Diff, then (unless dry_run) back up and write: shared by apply, unapply and restore.

    The previous text goes to cc-aws-tui's backup store (settings_backup), never beside the
    file; the settings file is the one file written, replaced by rename.
    """
    source = current.text.removeprefix("\ufeff")
    before = dump_settings(current.data, loc.path, source) if current.exists else ""
    after = "" if remove_file else dump_settings(data, loc.path, source)
    changed = before != after
    diff = _masked_diff(loc.path, current, data, remove_file, secret_values) if changed else ""
    if changed and current.exists and current.text != before and not remove_file:
        notes.append(
            f"{loc.path.name} is written with 2-space indentation: its content is kept, its"
            " original formatting only in the backup"
        )
    if not changed or dry_run:
        return Change(
            loc.scope, loc.path, changed, False, diff, tuple(notes), existed=current.exists
        )
    has_secret = any(v in SECRET_VARS for v in data.get("env") or {})
    mode = (
        current.mode
        if current.mode is not None
        else (SECRET_FILE_MODE if has_secret else NEW_FILE_MODE)
    )
    text = None if remove_file else after
    backup = _write_settings(loc, current.text if current.exists else None, text, mode, notes, why)
    return Change(
        loc.scope,
        loc.path,
        True,
        True,
        diff,
        tuple(notes),
        backup,
        removed_file=remove_file,
        existed=current.exists,
    )


def _write_settings(
    loc: Location, old: str | None, new: str | None, mode: int, notes: list[str], why: str
) -> Path | None:
    """Back up `old` (the file's text; None: it does not exist) in the config dir, then
    replace the settings file with `new` (None: remove it). A dotfiles link stays a link: its
    target is what is replaced. Returns where the backup went."""
    from profiles.claude import backup as settings_backup
    from profiles.store.fsutil import atomic_write

    target = settings_guard.real_target(loc.scope, loc.path)
    backup, original = settings_backup.save(target, loc.scope, old, why)
    if original is not None:
        notes.append(f"your file as it was is kept in {original.path}")
    if new is None:
        target.unlink()
        notes.append(f"removed {loc.path}: cc-aws-tui had created it and it is now empty")
    else:
        if not target.parent.exists():
            # Ours, so private for the user scope; a project's .claude gets the usual mode.
            target.parent.mkdir(parents=True, mode=0o700 if loc.scope == "user" else 0o777)
        atomic_write(target, new, mode)
    return backup.path if backup else None


def _masked_diff(
    path: Path,
    current: SettingsFile,
    data: Mapping[str, Any],
    remove_file: bool,
    secret_values: set[str],
) -> str:
    old = dump_settings(_mask_env(current.data)) if current.exists else ""
    new = "" if remove_file else dump_settings(_mask_env(data))
    lines = difflib.unified_diff(
        old.splitlines(keepends=True),
        new.splitlines(keepends=True),
        fromfile=f"{path} (now)" if current.exists else "/dev/null",
        tofile="/dev/null" if remove_file else f"{path} (after)",
    )
    text = "".join(lines)
    # Belt and braces: a secret pasted elsewhere in the file (a hook, a helper) is masked too.
    for value in sorted(secret_values, key=len, reverse=True):
        if len(value) >= 8:
            text = text.replace(value, envplan.mask(value))
    return _KEY_LIKE.sub(lambda m: envplan.mask(m[0]), text)


# Anything shaped like an Anthropic key, wherever it appears in a diff we print.
_KEY_LIKE = re.compile(r"sk-ant-(?!…)[A-Za-z0-9_-]{8,}")


def _mask_env(data: Mapping[str, Any]) -> dict[str, Any]:
    env = data.get("env")
    if not isinstance(env, dict):
        return dict(data)
    masked = {k: _show_value(k, v) for k, v in env.items()}
    return {**data, "env": masked}


def _show_value(var: str, value: Any) -> Any:
    return (
        envplan.mask(value) if var in envplan.SENSITIVE_VARS and isinstance(value, str) else value
    )


def _secret_values(data: Mapping[str, Any]) -> set[str]:
    env = data.get("env")
    if not isinstance(env, dict):
        return set()
    return {v for k, v in env.items() if k in envplan.SENSITIVE_VARS and isinstance(v, str)}


def _show(var: str, value: Any) -> str:
    if var in envplan.SENSITIVE_VARS and isinstance(value, str):
        return envplan.mask(value)
    return json.dumps(value, ensure_ascii=False)


_SECRET_LABELS: Final = {API_KEY: "API key", AUTH_TOKEN: "gateway token"}


def _why_unset(var: str) -> str:
    if var in OTHER_PROVIDERS:
        return "it would win over Claude Platform on AWS"
    if var == API_KEY:
        return "a key wins over SigV4"
    if var in AWS_KEY_VARS:
        return "AWS keys beat AWS_PROFILE in the credential chain"
    return "the profile does not use it"


# --- for the TUI and status ---------------------------------------------------------------


def applied_scopes(profile_name: str, cwd: Path | None = None) -> list[str]:
    """The scopes whose settings file still holds what `apply` wrote for `profile_name`.

    "Holds" means: the record names this profile and every entry it lists still has the value
    written (an entry the user changed since makes it no longer count). Never raises for a
    broken or missing file; that scope is simply not listed.
    """
    try:
        applied = _read_state()["applied"]
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
        if all(_ours(v, env.get(v), recorded) for v in recorded) and (
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
        env = {k: s for k, v in (data.get("env") or {}).items() if (s := env_value(v)) is not None}
        refresh = data.get(AWS_AUTH_REFRESH)
        out.append(SettingsSource(scope, path, env, refresh if isinstance(refresh, str) else None))
    return out


# --- import -------------------------------------------------------------------------------


class Problem(NamedTuple):
    """Something found while importing: an `error` stops the import, a `warning` does not."""

    level: Literal["error", "warning"]
    message: str

    def __str__(self) -> str:
        return self.message


class Imported(NamedTuple):
    """A profile read from existing configuration: `data` for `ProfileModel` (without the
    name), the secrets found, and the problems. Import only when there is no error."""

    data: dict[str, Any]
    secrets: dict[str, str]
    problems: list[Problem]

    @property
    def errors(self) -> list[str]:
        return [p.message for p in self.problems if p.level == "error"]

    @property
    def warnings(self) -> list[str]:
        return [p.message for p in self.problems if p.level == "warning"]


# The variables an import understands; other ANTHROPIC_*/CLAUDE_CODE_* ones are reported.
KNOWN_VARS: Final = frozenset({*envplan.MANAGED, *OTHER_PROVIDERS, AWS_PROFILE, *AWS_KEY_VARS})
_REPORTED_PREFIXES: Final = ("ANTHROPIC_", "CLAUDE_CODE_", "ENABLE_PROMPT_CACHING")
# Which variable a profile field comes from, to name it in errors.
_VAR_OF_FIELD: Final = {
    "workspace_id": WORKSPACE,
    "region": REGION,
    "base_url": BASE_URL,
    "aws_profile": AWS_PROFILE,
    "gateway_signs": SKIP_AUTH,
    "api_key_store": API_KEY,
    "gateway_token_store": AUTH_TOKEN,
    "aws_auth_refresh": AWS_AUTH_REFRESH,
}
_HINTS: Final = {
    "ANTHROPIC_BASE_URL": "the first-party API's endpoint; Claude Platform on AWS reads"
    " ANTHROPIC_AWS_BASE_URL",
    "ANTHROPIC_API_KEY": "a first-party API key; Claude Platform on AWS reads"
    " ANTHROPIC_AWS_API_KEY",
}


def import_from_env(
    environ: Mapping[str, str],
    *,
    secret_store: str = "file",
    aws_auth_refresh: str | None = None,
    source: str = "the environment",
    report_all_unknown: bool = False,
) -> Imported:
    """Read a profile from environment variables (a shell's, or a settings file's `env`).

    Auth: `ANTHROPIC_AWS_API_KEY` makes an api-key profile; otherwise sigv4 with `AWS_PROFILE`
    or, without it, the default credential chain. Nothing is guessed: a missing switch,
    workspace or region, another provider switched on, raw AWS keys, or a value that breaks a
    rule is an error naming the variable; variables an import does not use are warnings.
    `secret_store` is where found secrets will go (file or keyring).
    `report_all_unknown`: report every unused variable, not just ANTHROPIC_*/CLAUDE_CODE_*
    ones (a settings `env` block is Claude Code's alone, a shell's is everyone's).
    """
    problems: list[Problem] = []

    def error(message: str) -> None:
        problems.append(Problem("error", message))

    def warn(message: str) -> None:
        problems.append(Problem("warning", message))

    def get(var: str) -> str | None:
        value = environ.get(var)
        return value if value else None  # an empty value sets nothing

    def checked(var: str, check: Any) -> str | None:
        value = get(var)
        if value is None:
            return None
        try:
            return str(check(value))
        except ValueError as exc:
            error(f"{var}: {exc}")
            return None

    switch = environ.get(USE_AWS)
    if switch is None:
        error(
            f"{USE_AWS} is not set in {source}: this is not a Claude Platform on AWS setup"
            " (Claude Code would use api.anthropic.com)"
        )
    elif not envplan.truthy(switch):
        error(
            f"{USE_AWS}={switch!r} is not a true value in {source}: Claude Platform on AWS is off"
        )
    for other in OTHER_PROVIDERS:
        if envplan.truthy(environ.get(other)):
            error(
                f"{other} is set in {source}: it wins over Claude Platform on AWS; unset it first"
            )
        elif other in environ:
            warn(f"{other}={environ[other]!r} is off: not imported (a profile always unsets it)")

    data: dict[str, Any] = {}
    secrets: dict[str, str] = {}
    if get(WORKSPACE) is None:
        error(f"{WORKSPACE} is not set in {source}: Claude Code needs the workspace ID")
    else:
        data["workspace_id"] = checked(WORKSPACE, check_workspace_id)
    if get(REGION) is None:
        hint = (
            f" (AWS_DEFAULT_REGION={environ['AWS_DEFAULT_REGION']!r} is set, but Claude Code"
            " reads AWS_REGION)"
            if environ.get("AWS_DEFAULT_REGION")
            else ""
        )
        error(f"{REGION} is not set in {source}: set it to the workspace's region{hint}")
    else:
        data["region"] = checked(REGION, check_region)

    raw_keys = [v for v in AWS_KEY_VARS if get(v)]
    skip = environ.get(SKIP_AUTH)
    if get(API_KEY) is not None:
        data["auth"] = "api-key"
        key = checked(API_KEY, check_api_key)
        if key is not None:
            secrets["api_key"] = key
            data["api_key_store"] = secret_store
        if get(AWS_PROFILE):
            warn(f"{AWS_PROFILE} is not imported: with an API key, AWS credentials are ignored")
        if raw_keys:
            warn(f"{', '.join(raw_keys)}: not imported (raw AWS keys never are; a key wins anyway)")
        if envplan.truthy(skip):
            error(
                f"{SKIP_AUTH} and {API_KEY} contradict each other: a gateway signs requests"
                " only for a sigv4 setup"
            )
    else:
        data["auth"] = "sigv4"
        aws_profile = checked(AWS_PROFILE, check_aws_profile)
        if aws_profile is not None:
            data["aws_profile"] = aws_profile
        if raw_keys:
            error(
                f"{', '.join(raw_keys)} set in {source}: raw AWS keys are not imported; put them"
                " in an AWS profile (aws configure --profile NAME) and import with"
                " AWS_PROFILE=NAME, or unset them to use the default credential chain"
            )
        if envplan.truthy(skip):
            data["gateway_signs"] = True
    base_url = checked(BASE_URL, check_base_url)
    if base_url is not None:
        data["base_url"] = base_url
    token = checked(AUTH_TOKEN, check_token)
    if token is not None:
        secrets["gateway_token"] = token
        data["gateway_token_store"] = secret_store
    models: dict[str, str] = {}
    for alias, var in MODEL_VARS.items():
        pin = checked(var, check_model_id)
        if pin is not None:
            models[alias] = pin
    if models:
        data["models"] = models
    cache = environ.get(CACHE_1H)
    data["cache_ttl"] = "1h" if envplan.truthy(cache) else "5m"
    if aws_auth_refresh is not None:
        try:
            data["aws_auth_refresh"] = check_one_line(aws_auth_refresh, "awsAuthRefresh")
        except ValueError as exc:
            error(f"{AWS_AUTH_REFRESH}: {exc}")
    if get(MARKER):
        warn(f"{MARKER}={environ[MARKER]!r}: this was exported from that cc-aws-tui profile")

    for var in environ:
        if var in KNOWN_VARS or not (report_all_unknown or var.startswith(_REPORTED_PREFIXES)):
            continue
        hint = f" ({_HINTS[var]})" if var in _HINTS else ""
        warn(f"{var} is not imported: not a Claude Platform on AWS setting of cc-aws-tui{hint}")

    if not any(p.level == "error" for p in problems):
        _check_cross_field(data, error)
    return Imported(data, secrets, problems)


def _check_cross_field(data: Mapping[str, Any], error: Any) -> None:
    """The profile rules that tie fields together, reported by variable name."""
    body = {k: v for k, v in data.items() if v is not None}
    try:
        profile = profile_from_mapping("imported", body)
        check_consistency(profile)
    except SchemaError as exc:
        field_name = exc.path.rpartition(".")[2]
        where = _VAR_OF_FIELD.get(field_name, field_name)
        error(f"{where}: {exc.message}")


def import_from_settings(
    scope: str, *, cwd: Path | None = None, secret_store: str = "file"
) -> Imported:
    """Read a profile from the `env` block and `awsAuthRefresh` of a settings file."""
    loc = locate(scope, cwd)
    current = read_settings(loc.path)
    if not current.exists:
        raise SettingsError(f"{loc.path}: no such file ({scope} settings)")
    env_block = current.data.get("env") or {}
    problems: list[Problem] = [Problem("warning", loc.note)] if loc.note else []
    env: dict[str, str] = {}
    for var, value in env_block.items():
        if isinstance(value, str):
            env[var] = value
        else:
            problems.append(
                Problem("error", f"env.{var} in {loc.path} is {json_type(value)}, not a string")
            )
    refresh = current.data.get(AWS_AUTH_REFRESH)
    if refresh is not None and not isinstance(refresh, str):
        problems.append(Problem("error", f"awsAuthRefresh in {loc.path} is not a string"))
        refresh = None
    got = import_from_env(
        env,
        secret_store=secret_store,
        aws_auth_refresh=refresh,
        source=f"{loc.path}",
        report_all_unknown=True,
    )
    command = got.data.get("aws_auth_refresh")
    if command:  # a settings file is as foreign as a team file: say what will run
        got.problems.append(
            Problem("warning", f"Claude Code will run this when AWS credentials expire: {command}")
        )
    return Imported(got.data, got.secrets, problems + got.problems)


# --- share --------------------------------------------------------------------------------

# What a shared profile holds: the team's setup. Everything else is personal or secret.
SHARED_KEYS: Final = (
    "auth",
    "workspace_id",
    "region",
    "base_url",
    "gateway_signs",
    "models",
    "cache_ttl",
    "aws_auth_refresh",
)
_PERSONAL: Final = {
    "aws_profile": "the AWS profile is personal: give yours with --aws-profile",
    "api_key_store": "where a key is kept is personal: give the key with --api-key-stdin",
    "gateway_token_store": "where a token is kept is personal: give the token with"
    " --gateway-token-stdin",
    "api_key_command": "commands are personal (and would run on your machine): not accepted",
    "gateway_token_command": "commands are personal (and would run on your machine): not accepted",
}
_SECRET_NAME = re.compile(r"(api_?key|token|secret|password|credential)", re.IGNORECASE)


class SharedError(ConfigError):
    """A shared profile that cannot be imported; the message names the file and the key."""


def share(profile: Profile) -> str:
    """`profile` as a team file: `schema = 1` and one `[profiles.NAME]` table, exactly as in
    profiles.toml, holding only SHARED_KEYS (no secret, no AWS profile, no command)."""
    body = profile.to_toml_dict()
    lines = [
        "# A Claude Platform on AWS setup shared with cc-aws-tui: no secrets, nothing personal.",
        "# Import it: cc-aws-tui import NAME --from-file FILE "
        + ("--api-key-stdin" if profile.auth == "api-key" else "[--aws-profile P]"),
    ]
    if profile.has_gateway_token:
        lines.append("# This setup needs a gateway token: add yours with --gateway-token-stdin.")
    lines += [f"schema = {SCHEMA_VERSION}", "", f"[profiles.{_toml_key(profile.name)}]"]
    for key in SHARED_KEYS:
        if key in body and key != "models":
            lines.append(f"{key} = {_toml_value(body[key])}")
    pins = body.get("models") or {}
    if pins:
        lines += ["", f"[profiles.{_toml_key(profile.name)}.models]"]
        lines += [f"{a} = {_toml_value(pins[a])}" for a in MODEL_ALIASES if a in pins]
    return "\n".join(lines) + "\n"


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else _toml_value(key)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    # A JSON string is a TOML basic string, but for DEL, which TOML wants escaped.
    return json.dumps(str(value), ensure_ascii=False).replace("\x7f", "\\u007f")


class SharedImport(NamedTuple):
    profile: Profile
    secrets: dict[str, str]
    notes: list[str]


def import_shared(
    text: str,
    name: str,
    aws_profile: str | None = None,
    api_key: str | None = None,
    *,
    gateway_token: str | None = None,
    secret_store: str = "file",
    source: str = "shared profile",
) -> SharedImport:
    """A local profile `name` from a `share` file plus what is personal (AWS profile, key,
    gateway token). Unknown keys and any secret, personal or command field are refused.

    Raises SharedError with `source:line:col` for TOML errors, `source: key: why` otherwise.
    """
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.match(r"^(?P<msg>.*?) \(at line (?P<line>\d+), column (?P<col>\d+)\)$", str(exc))
        where = f"{source}:{m['line']}:{m['col']}: {m['msg']}" if m else f"{source}: {exc}"
        raise SharedError(where) from None
    try:
        check_name(name)
    except ValueError as exc:
        raise SharedError(f"NAME: {exc}") from None

    def fail(message: str) -> SharedError:
        return SharedError(f"{source}: {message}")

    if doc.get("schema") != SCHEMA_VERSION:
        found = doc.get("schema")
        raise fail(f"schema = {SCHEMA_VERSION} is missing or another version (found {found!r})")
    for key in doc:
        if key not in ("schema", "profiles"):
            raise fail(f"{key}: unknown top-level key (a shared file holds schema and profiles)")
    tables = doc.get("profiles")
    if not isinstance(tables, dict) or len(tables) != 1:
        raise fail("must hold exactly one [profiles.NAME] table")
    ((file_name, body),) = tables.items()
    where = f"profiles.{file_name}"
    if not isinstance(body, dict):
        raise fail(f"{where}: must be a table")
    for key in body:
        if key in SHARED_KEYS:
            continue
        if key in ("api_key", "gateway_token") or (
            key not in _PERSONAL and _SECRET_NAME.search(key)
        ):
            raise fail(
                f"{where}.{key}: a shared profile must not carry secrets; each person adds their"
                " own (--api-key-stdin, --gateway-token-stdin). Remove it, and rotate it if it"
                " was ever shared"
            )
        if key in _PERSONAL:
            raise fail(f"{where}.{key}: {_PERSONAL[key]}")
        raise fail(f"{where}.{key}: unknown setting (known: {', '.join(SHARED_KEYS)})")

    data: dict[str, Any] = dict(body)
    auth = data.get("auth")
    notes: list[str] = []
    if auth == "api-key":
        if api_key is None:
            raise fail("this setup uses an API key: give yours with --api-key-stdin")
        if aws_profile is not None:
            raise fail("this setup uses an API key, which ignores AWS profiles: drop --aws-profile")
    elif auth == "sigv4" and api_key is not None:
        raise fail("this setup signs with AWS credentials (sigv4): use --aws-profile, not a key")
    secrets: dict[str, str] = {}
    try:
        if api_key is not None:
            secrets["api_key"] = check_api_key(api_key)
            data["api_key_store"] = secret_store
        if gateway_token is not None:
            secrets["gateway_token"] = check_token(gateway_token)
            data["gateway_token_store"] = secret_store
        if aws_profile is not None:
            data["aws_profile"] = check_aws_profile(aws_profile)
    except ValueError as exc:
        raise SharedError(str(exc)) from None
    try:
        profile = profile_from_mapping(name, data, where=where)
    except SchemaError as exc:
        raise fail(str(exc)) from None
    if auth == "sigv4" and aws_profile is None:
        notes.append("no --aws-profile: the profile signs with the default AWS credential chain")
    refresh = profile.aws_auth_refresh
    if refresh is not None:
        m = re.search(r"--profile[= ]+(\S+)", refresh)
        if m and aws_profile is not None and m[1].strip("'\"") != aws_profile:
            notes.append(
                f"its awsAuthRefresh logs in to AWS profile {m[1]!r}, not {aws_profile!r}:"
                " change it with `cc-aws-tui add ... --auth-refresh CMD --force` if that is wrong"
            )
        notes.append(f"Claude Code will run this when AWS credentials expire: {refresh}")
    return SharedImport(profile, secrets, notes)


__all__ = [
    "AWS_AUTH_REFRESH",
    "SCOPES",
    "SHARED_KEYS",
    "Change",
    "Imported",
    "Location",
    "Problem",
    "SettingsError",
    "SettingsFile",
    "SettingsSource",
    "SharedError",
    "SharedImport",
    "applied_scopes",
    "apply",
    "import_from_env",
    "import_from_settings",
    "import_shared",
    "locate",
    "read_settings",
    "settings_sources",
    "share",
    "unapply",
]
