"""The last validation result per profile, kept in state.json beside profiles.toml.

A cache, not configuration: a missing or unreadable file just means "never validated".
"""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any

from profiles.store import paths

if TYPE_CHECKING:
    from profiles.core.redact import Redactor


def load() -> dict[str, dict[str, Any]]:
    """The saved results; {} when state.json is missing, unreadable, not a regular file, or
    in a place others could write (its summaries are shown as ours: see `trust`)."""
    from profiles.store.trust import read_trusted

    try:
        raw = read_trusted(paths.config_dir() / "state.json")
        data = json.loads(raw.decode("utf-8")) if raw is not None else None
    except (OSError, ValueError):  # UnreadableFile and UntrustedPath are OSErrors
        return {}
    results = data.get("validation") if isinstance(data, dict) else None
    if not isinstance(results, dict):
        return {}
    # A cache: an entry of the wrong shape is as good as none.
    return {
        name: r
        for name, r in results.items()
        if isinstance(r, dict)
        and isinstance(r.get("ok"), bool)
        and isinstance(r.get("at"), int | float)
        and isinstance(r.get("summary", ""), str)
    }


def record(
    name: str,
    ok: bool,
    summary: str,
    when: float | None = None,
    *,
    redactor: Redactor | None = None,
) -> None:
    """Remember the outcome of validating `name`. `summary` is a short line, quite possibly
    quoting a server: it is stored with `redactor`'s secrets and every secret this process
    resolved masked, and control characters escaped."""
    from profiles.core.redact import safe
    from profiles.store.fsutil import atomic_write, file_lock

    summary = safe(summary, redactor, multiline=False)
    path = paths.config_dir() / "state.json"
    with file_lock(paths.lock_file()):
        results = load()
        results[name] = {"ok": ok, "summary": summary, "at": when or time.time()}
        atomic_write(path, json.dumps({"validation": results}, indent=2) + "\n")


def forget(name: str, *, renamed_to: str | None = None) -> None:
    """Drop a deleted profile's result, or carry it over to its new name."""
    from profiles.store.fsutil import atomic_write, file_lock

    path = paths.config_dir() / "state.json"
    if not path.exists():
        return
    with file_lock(paths.lock_file()):
        results = load()
        result = results.pop(name, None)
        if result is None:
            return
        if renamed_to is not None:
            results[renamed_to] = result
        atomic_write(path, json.dumps({"validation": results}, indent=2) + "\n")
