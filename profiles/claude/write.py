"""How a settings file is changed: the `Change` report, its masked diff, the backup, and the
atomic replace. Shared by apply, unapply and restore, so each writes the same way.

The settings file is the only file written; its previous text goes to cc-aws-tui's config
directory (claude.backup), never beside it. Where the write really lands, links resolved, is
judged again here (claude.guard). Secrets never reach a diff in clear.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from profiles.claude import guard as settings_guard
from profiles.claude.locations import Location, Scope
from profiles.claude.settings_json import SettingsFile, dumps
from profiles.core import envplan
from profiles.core.envplan import API_KEY, AUTH_TOKEN, SECRET_VARS

NEW_FILE_MODE: Final = 0o644
SECRET_FILE_MODE: Final = 0o600
SECRET_LABELS: Final = {API_KEY: "API key", AUTH_TOKEN: "gateway token"}
"""How a person calls each secret variable, in messages."""

# Anything shaped like an Anthropic key, wherever it appears in a diff we print.
_KEY_LIKE = re.compile(r"sk-ant-(?!…)[A-Za-z0-9_-]{8,}")


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
    keys: tuple[str, ...] = ()
    """What changes, in file order: each `env` variable by its name, any other key (such as
    `awsAuthRefresh`) by its own; empty without a change."""


def finish(
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

    The previous text goes to cc-aws-tui's backup store (claude.backup), never beside the
    file; the settings file is the one file written, replaced by rename.
    """
    source = current.text.removeprefix("\ufeff")
    before = dumps(current.data, loc.path, source) if current.exists else ""
    after = "" if remove_file else dumps(data, loc.path, source)
    changed = before != after
    diff = _masked_diff(loc.path, current, data, remove_file, secret_values) if changed else ""
    if changed and current.exists and current.text != before and not remove_file:
        notes.append(
            f"{loc.path.name} is written with 2-space indentation: its content is kept, its"
            " original formatting only in the backup"
        )
    keys = changed_keys(current.data, {} if remove_file else data) if changed else ()
    if not changed or dry_run:
        return Change(
            loc.scope,
            loc.path,
            changed,
            False,
            diff,
            tuple(notes),
            existed=current.exists,
            keys=keys,
        )
    env = data.get("env") or {}
    has_secret = any(var in SECRET_VARS and env[var] for var in env)  # "" holds no secret
    mode = (
        current.mode
        if current.mode is not None
        else (SECRET_FILE_MODE if has_secret else NEW_FILE_MODE)
    )
    text = None if remove_file else after
    backup = write_settings(loc, current.text if current.exists else None, text, mode, notes, why)
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
        keys=keys,
    )


_ABSENT: Final = object()


def changed_keys(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[str, ...]:
    """The `env` variables and other top-level keys whose value differs between two JSON
    values of a settings file (added, removed or changed), in file order."""
    out: list[str] = []
    for key in dict.fromkeys([*before, *after]):
        old, new = before.get(key, _ABSENT), after.get(key, _ABSENT)
        old_env, new_env = _env_block(old), _env_block(new)
        if key == "env" and old_env is not None and new_env is not None:
            out += [
                var
                for var in dict.fromkeys([*old_env, *new_env])
                if old_env.get(var, _ABSENT) != new_env.get(var, _ABSENT)
            ]
        elif old != new:
            out.append(key)
    return tuple(out)


def _env_block(value: Any) -> Mapping[str, Any] | None:
    """An `env` value as a mapping (absent: empty); None when it is not an object."""
    if value is _ABSENT:
        return {}
    return value if isinstance(value, dict) else None


def write_settings(
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
    old = dumps(_mask_env(current.data), "") if current.exists else ""
    new = "" if remove_file else dumps(_mask_env(data), "")
    lines = difflib.unified_diff(
        old.splitlines(keepends=True),
        new.splitlines(keepends=True),
        fromfile=f"{path} (now)" if current.exists else "/dev/null",
        tofile="/dev/null" if remove_file else f"{path} (after)",
    )
    return mask_secrets("".join(lines), secret_values)


def mask_secrets(text: str, secret_values: Iterable[str]) -> str:
    """`text` (a diff we print) with each of `secret_values` and anything shaped like an
    Anthropic key masked."""
    # Belt and braces: a secret pasted elsewhere in the file (a hook, a helper) is masked too.
    for value in sorted(secret_values, key=len, reverse=True):
        if len(value) >= 8:
            text = text.replace(value, envplan.mask(value))
    return _KEY_LIKE.sub(lambda m: envplan.mask(m[0]), text)


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


def secret_values(data: Mapping[str, Any]) -> set[str]:
    """The sensitive `env` values of a settings file's JSON value, to mask wherever shown."""
    env = data.get("env")
    if not isinstance(env, dict):
        return set()
    return {v for k, v in env.items() if k in envplan.SENSITIVE_VARS and isinstance(v, str)}
