"""List and restore the backups `apply`/`unapply` keep of Claude Code settings files.

The backups live in cc-aws-tui's config directory (see claude.backup). `restore` puts one
back the way `apply` writes: the same checks on where the write really lands (no link out of
the project, no key into a file git could commit), the current file backed up first, an
atomic replace. A backup that is not strict JSON is refused, so a file `apply` never wrote
cannot come back through it.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from profiles.claude import backup as settings_backup
from profiles.claude import guard as settings_guard
from profiles.claude.backup import Backup, Index
from profiles.claude.locations import locate
from profiles.claude.record import locked, read_state, write_state
from profiles.claude.settings_json import SettingsError, loads
from profiles.claude.write import (
    NEW_FILE_MODE,
    SECRET_FILE_MODE,
    SECRET_LABELS,
    Change,
    mask_secrets,
    write_settings,
)
from profiles.core.envplan import SECRET_VARS, SENSITIVE_VARS


def list_backups(scope: str | None = None, cwd: Path | None = None) -> list[Index]:
    """What is kept: for the `scope` settings file, or (None) for every file ever written."""
    if scope is None:
        return settings_backup.load_all()
    loc = locate(scope, cwd)
    index = settings_backup.load(settings_guard.real_target(loc.scope, loc.path))
    return [index] if index is not None else []


def restore(
    scope: str,
    *,
    number: int | None = None,
    original: bool = False,
    dry_run: bool = False,
    cwd: Path | None = None,
) -> Change:
    """Put back backup `number` (as `cc-aws-tui backups` numbers them; default: the newest)
    or the original of the `scope` settings file. Restoring the original also forgets what
    `apply` recorded for the file."""
    from profiles.store.fileread import UnreadableFile, read_regular

    loc = locate(scope, cwd)
    with locked():
        real = settings_guard.real_target(loc.scope, loc.path)
        index = settings_backup.load(real)
        if index is None:
            raise SettingsError(f"no backups of {loc.path}: cc-aws-tui never wrote it")
        chosen = _choose(index, loc.path, scope, number, original)
        text = settings_backup.read_text(chosen)
        body = text.removeprefix("\ufeff")
        data = loads(body, chosen.path) if body.strip() else {}
        if not isinstance(data, dict):
            raise SettingsError(f"{chosen.path}: not a settings file (a JSON object)")
        env = data.get("env") if isinstance(data.get("env"), dict) else {}
        assert isinstance(env, dict)
        held = sorted(SECRET_VARS & env.keys())
        if held:
            what = " and ".join(SECRET_LABELS.get(v, v) for v in held)
            settings_guard.check_secret_destination(loc.path, real, what)
        try:
            raw = read_regular(loc.path)
            old = None if raw is None else raw.decode("utf-8")
        except UnreadableFile as exc:
            raise SettingsError(str(exc)) from None
        except UnicodeDecodeError:
            raise SettingsError(
                f"{loc.path}: not UTF-8 text: move it away, then restore again"
            ) from None
        secrets = _sensitive(env) | _sensitive(_env_of(old))
        diff = _diff(loc.path, old or "", text, secrets)
        changed = old != text
        notes: list[str] = []
        if not changed or dry_run:
            return Change(loc.scope, loc.path, changed, False, diff, ())
        mode = _mode(loc.path, bool(held))
        label = "the original" if original else f"backup {chosen.number}"
        backup = write_settings(loc, old, text, mode, notes, f"before restoring {label}")
        state = read_state()
        if original and state["applied"].pop(str(loc.path), None) is not None:
            notes.append("cc-aws-tui's record of what apply wrote there is dropped")
            write_state(state)
        return Change(loc.scope, loc.path, True, True, diff, tuple(notes), backup)


def _choose(index: Index, path: Path, scope: str, number: int | None, original: bool) -> Backup:
    if original:
        if index.original is None:
            raise SettingsError(
                f"{path} did not exist before cc-aws-tui first wrote it: no original to"
                f" restore (`cc-aws-tui unapply --scope {scope}` takes back what apply wrote)"
            )
        return index.original
    if number is None and index.backups:
        return index.backups[0]
    found = [b for b in index.backups if b.number == number]
    if not found:
        kept = ", ".join(str(b.number) for b in index.backups) or "none"
        raise SettingsError(
            f"no backup {number} of {path} (kept: {kept}; list them with"
            f" `cc-aws-tui backups --scope {scope}`)"
        )
    return found[0]


def _sensitive(env: dict[str, object]) -> set[str]:
    return {v for k, v in env.items() if k in SENSITIVE_VARS and isinstance(v, str)}


def _env_of(text: str | None) -> dict[str, object]:
    """The env block of the current file, if it parses at all (only to mask its secrets)."""
    import json

    try:
        env = json.loads((text or "").removeprefix("\ufeff")).get("env")
    except (ValueError, AttributeError, RecursionError):
        return {}
    return env if isinstance(env, dict) else {}


def _mode(path: Path, has_secret: bool) -> int:
    import stat

    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return SECRET_FILE_MODE if has_secret else NEW_FILE_MODE


def _diff(path: Path, old: str, new: str, secrets: set[str]) -> str:
    lines = difflib.unified_diff(
        old.splitlines(keepends=True),
        new.splitlines(keepends=True),
        fromfile=f"{path} (now)",
        tofile=f"{path} (restored)",
    )
    return mask_secrets("".join(lines), secrets)
