"""Backups of Claude Code settings files, kept in cc-aws-tui's own config directory.

cc-aws-tui writes exactly one file in a project: the settings file itself. A backup beside
it (`settings.local.json.bak`) would be a second file in a directory strangers author: a
repository that commits `.bak -> ../../.bashrc` would have it written through, and a key in
it would reach git. So before every write the previous text goes to

    <config>/backups/<sha256 of the settings file's real path>/
        index.json    the real path, the scope, and what each file below is
        original      the file as it was before cc-aws-tui first wrote to it (kept for good)
        bak-000001    one per write, the last KEEP of them

All private (directories 0700, files 0600: a backup may hold a key). Callers hold the
claude-settings lock.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from profiles.claude.settings_json import SettingsError
from profiles.store import paths

KEEP: Final = 5
INDEX: Final = "index.json"
ORIGINAL: Final = "original"


def backups_root() -> Path:
    return paths.config_dir() / "backups"


def store_dir(real: Path) -> Path:
    """Where the backups of the settings file whose real path is `real` live."""
    return backups_root() / hashlib.sha256(str(real).encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class Backup:
    """One saved copy: `number` counts up from 1 per settings file (0 for the original)."""

    number: int
    path: Path
    at: float
    why: str


@dataclass(frozen=True, slots=True)
class Index:
    """What is kept for one settings file."""

    target: Path
    """The settings file's real path."""
    scope: str
    original: Backup | None
    """The file before cc-aws-tui first wrote to it; None if it did not exist then."""
    first_write_seen: bool
    backups: tuple[Backup, ...]
    """Newest first."""


def load(real: Path) -> Index | None:
    """The index for `real`, or None when nothing was ever kept for it."""
    return _load_dir(store_dir(real))


def load_all() -> list[Index]:
    """Every settings file with backups, by path."""
    root = backups_root()
    if not root.is_dir():
        return []
    found = [_load_dir(d) for d in sorted(root.iterdir()) if d.is_dir()]
    return sorted((i for i in found if i is not None), key=lambda i: str(i.target))


def save(real: Path, scope: str, text: str | None, why: str) -> tuple[Backup | None, Backup | None]:
    """Keep `text`, the current content of `real` (None: the file does not exist), before a
    write. Returns (the new rolling backup, the original if it was kept just now)."""
    from profiles.store.fsutil import atomic_write, ensure_private_dir, sweep_temps

    directory = store_dir(real)
    ensure_private_dir(backups_root())
    ensure_private_dir(directory)
    sweep_temps(directory, None)
    raw = _read_index(directory)
    if raw is not None and raw.get("path") != str(real):
        raise SettingsError(f"{directory / INDEX}: records another file (fix or delete it)")
    raw = raw or {"schema": 1, "path": str(real), "backups": []}
    raw["scope"] = scope
    now = time.time()
    new_original = None
    if "original" not in raw:
        raw["original"] = None
        if text is not None:
            atomic_write(directory / ORIGINAL, text)
            raw["original"] = {"at": now, "why": f"before cc-aws-tui first wrote it ({why})"}
            new_original = Backup(0, directory / ORIGINAL, now, raw["original"]["why"])
    backup = None
    entries: list[dict[str, Any]] = list(raw.get("backups") or [])
    if text is not None:
        number = max((int(e["n"]) for e in entries), default=0) + 1
        name = f"bak-{number:06d}"
        atomic_write(directory / name, text)
        entries.insert(0, {"n": number, "at": now, "why": why})
        backup = Backup(number, directory / name, now, why)
    for old in entries[KEEP:]:
        (directory / f"bak-{int(old['n']):06d}").unlink(missing_ok=True)
    raw["backups"] = entries[:KEEP]
    atomic_write(directory / INDEX, json.dumps(raw, indent=2, ensure_ascii=False) + "\n")
    return backup, new_original


def read_text(backup: Backup) -> str:
    from profiles.store.fileread import UnreadableFile, read_regular

    try:
        raw = read_regular(backup.path)
    except UnreadableFile as exc:
        raise SettingsError(str(exc)) from None
    if raw is None:
        raise SettingsError(f"{backup.path}: the backup is gone")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise SettingsError(f"{backup.path}: not UTF-8 text") from None


def _read_index(directory: Path) -> dict[str, Any] | None:
    from profiles.store.fileread import UnreadableFile, read_regular

    path = directory / INDEX
    try:
        raw = read_regular(path)
    except UnreadableFile as exc:
        raise SettingsError(str(exc)) from None
    if raw is None:
        return None
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        data = None
    if not isinstance(data, dict) or not isinstance(data.get("path"), str):
        raise SettingsError(f"{path}: not a cc-aws-tui backup index (fix or delete it)")
    return data


def _load_dir(directory: Path) -> Index | None:
    raw = _read_index(directory)
    if raw is None:
        return None
    try:
        original = raw.get("original")
        orig = (
            Backup(0, directory / ORIGINAL, float(original["at"]), str(original["why"]))
            if isinstance(original, dict)
            else None
        )
        backups = tuple(
            Backup(int(e["n"]), directory / f"bak-{int(e['n']):06d}", float(e["at"]), str(e["why"]))
            for e in raw.get("backups") or []
        )
    except (KeyError, TypeError, ValueError):
        raise SettingsError(
            f"{directory / INDEX}: not a cc-aws-tui backup index (fix or delete it)"
        ) from None
    return Index(Path(raw["path"]), str(raw.get("scope", "?")), orig, "original" in raw, backups)
