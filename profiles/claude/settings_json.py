"""Claude Code settings files as strict JSON: read only what is unambiguous, write only JSON.

Python's `json` accepts, and writes, more than JSON. Left alone, `apply` would damage a file:
`1E400` reads as inf and is written back as `Infinity` (not JSON), `NaN` likewise; a key given
twice (two `env` blocks) is silently reduced to the last one, so the first block is dropped on
the next write; a lone surrogate (`"\\ud800"`) reads fine and then cannot be encoded as UTF-8.
Here each is refused with `path:line:col` and the file is left untouched.

Standard library only, no subprocess: the TUI's home screen and `status` read through this.
"""

from __future__ import annotations

import json
import math
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from json.decoder import scanstring  # type: ignore[attr-defined]
from pathlib import Path
from typing import Any, Final

from profiles.store.files import ConfigError

UNCHANGED: Final = "(file left unchanged: fix it by hand)"


class SettingsError(ConfigError):
    """A settings file we cannot use or must not write. One line, like every ConfigError."""


@dataclass(frozen=True, slots=True)
class SettingsFile:
    """A settings file as read: its exact text (for the backup) and its JSON value."""

    path: Path
    exists: bool
    text: str
    data: dict[str, Any]
    mode: int | None


class _Refused(ValueError):
    """Raised from a json hook; the position is found afterwards by `_first_problem`."""


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        raise _Refused("duplicate key")
    return out


def _constant(name: str) -> Any:
    raise _Refused(name)


def _float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise _Refused(text)
    return value


def loads(text: str, where: Path | str) -> Any:
    """`text` as strict JSON; SettingsError `where:line:col: why` otherwise."""
    try:
        return json.loads(
            text, object_pairs_hook=_pairs, parse_constant=_constant, parse_float=_float
        )
    except _Refused as exc:
        found = _first_problem(text)
        if found is None:  # pragma: no cover - the scanner sees what the hooks saw
            raise SettingsError(f"{where}: {exc} is not allowed {UNCHANGED}") from None
        offset, why = found
        raise SettingsError(f"{where}:{_line_col(text, offset)}: {why} {UNCHANGED}") from None
    except json.JSONDecodeError as exc:
        raise SettingsError(f"{where}:{exc.lineno}:{exc.colno}: {exc.msg} {UNCHANGED}") from None
    except RecursionError:
        raise SettingsError(f"{where}: nested too deeply to read {UNCHANGED}") from None


def dumps(data: Mapping[str, Any], where: Path | str, source: str = "") -> str:
    """The text we write: 2-space indent, non-ASCII kept readable, a trailing newline.

    Refuses (SettingsError, naming `where` and, when the value came from `source`, the
    line and column there) what would not be strict UTF-8 JSON.
    """
    try:
        text = json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    except ValueError as exc:  # NaN/inf that did not come from a file we read
        raise SettingsError(f"{where}: cannot write {exc} as JSON {UNCHANGED}") from None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        found = _first_problem(source)
        pos = f":{_line_col(source, found[0])}" if found else ""
        raise SettingsError(
            f"{where}{pos}: a lone surrogate (an unpaired \\ud800-\\udfff escape) cannot be"
            f" written as UTF-8 {UNCHANGED}"
        ) from None
    return text


def read(path: Path) -> SettingsFile:
    """Parse a settings file (a missing one reads as `{}`); refuse one that is not strict JSON.

    Key order is kept. An empty file reads as `{}`. Only a regular file is read (a FIFO or
    device planted at the path is refused, not waited on), up to fileread's size cap.
    """
    from profiles.store.fileread import UnreadableFile, read_regular

    try:
        raw = read_regular(path)
        if raw is None:
            return SettingsFile(path, False, "", {}, None)
        mode = stat.S_IMODE(path.stat().st_mode)
    except UnreadableFile as exc:
        raise SettingsError(str(exc)) from None
    except OSError as exc:
        raise SettingsError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        # Universal newlines off: a \r\n file is kept exact in its backup.
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise SettingsError(f"{path}: not UTF-8 text {UNCHANGED}") from None
    body = text.removeprefix("\ufeff")  # a BOM some Windows editors add
    if not body.strip():
        return SettingsFile(path, True, text, {}, mode)
    data = loads(body, path)
    if not isinstance(data, dict):
        raise SettingsError(
            f"{path}: the top level must be a JSON object, not {json_type(data)} {UNCHANGED}"
        )
    if "env" in data and not isinstance(data["env"], dict):
        raise SettingsError(
            f'{path}: "env" must be a JSON object, not {json_type(data["env"])} {UNCHANGED}'
        )
    return SettingsFile(path, True, text, data, mode)


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "an array" if isinstance(value, list) else "an object"


# --- where the problem is -------------------------------------------------------------------

_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
_LITERALS = ("true", "false", "null")
_NOT_JSON = ("NaN", "-Infinity", "Infinity")


def _line_col(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    col = offset - text.rfind("\n", 0, offset)
    return f"{line}:{col}"


def _first_problem(text: str) -> tuple[int, str] | None:
    """Offset and reason of the first thing strict JSON refuses: a duplicate key, NaN or
    Infinity, a number that overflows to infinity, a lone surrogate. None if none (or on a
    syntax error, which json itself reports)."""
    stack: list[set[str] | None] = []  # the keys of each open object; None for an array
    expect_key = False
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in " \t\r\n:":
            i += 1
        elif c == ",":
            expect_key = bool(stack) and stack[-1] is not None
            i += 1
        elif c in "{[":
            stack.append(set() if c == "{" else None)
            expect_key = c == "{"
            i += 1
        elif c in "}]":
            if not stack:
                return None
            stack.pop()
            expect_key = False
            i += 1
        elif c == '"':
            try:
                value, end = scanstring(text, i + 1, True)
            except ValueError:
                return None
            keys = stack[-1] if stack else None
            if expect_key and keys is not None:
                if value in keys:
                    return i, (
                        f"duplicate key {json.dumps(value)} (Claude Code would silently use the"
                        " last one): merge the two into one"
                    )
                keys.add(value)
                expect_key = False
            if any(0xD800 <= ord(ch) <= 0xDFFF for ch in value):
                return i, (
                    "a lone surrogate (an unpaired \\ud800-\\udfff escape) cannot be written"
                    " as UTF-8"
                )
            i = end
        elif m := _NUMBER.match(text, i):
            if any(ch in m[0] for ch in ".eE") and math.isinf(float(m[0])):
                return i, f"{m[0]} is too large for a JSON number (it would become Infinity)"
            i = m.end()
        elif word := next((w for w in _NOT_JSON if text.startswith(w, i)), None):
            return i, f"{word} is not JSON"
        elif word := next((w for w in _LITERALS if text.startswith(w, i)), None):
            i += len(word)
        else:
            return None
    return None
