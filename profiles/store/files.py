"""Reading profiles.toml and secrets.toml, fast (writing them is transaction.py's job).

Reads use `tomllib` and the stdlib schema (the export path), and touch neither `pathlib` nor
`typing`. `tomllib` costs more to import
than the interpreter's own start, so profiles.toml's parse is cached beside it: the cache
holds the file's exact text and what it parsed to, and is used only when that text is the
file's text byte for byte (so a hand edit is always seen). The cache is validated like the
file; secrets.toml is never cached (no second copy of a secret). Writes happen inside
`transaction()`: a cross-process lock, a re-read with `tomlkit` so comments and order a user
wrote by hand survive, validation of the result, and an atomic replace. A file that does not
parse or validate is never rewritten.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping

from profiles.core.schema import (
    Profile,
    ProfilesDoc,
    SchemaError,
    doc_from_mapping,
)
from profiles.store import paths

TYPE_CHECKING = False  # not typing's: this is the export path
if TYPE_CHECKING:
    import tomllib
    from pathlib import Path
    from typing import Any


class ConfigError(Exception):
    """A file we cannot use as it is. `str()` is one line: `path:line:col: what is wrong`."""


class NotFound(ConfigError):
    """No profile by that name (or no current profile)."""


_TOML_POS = re.compile(r"^(?P<msg>.*?) \(at line (?P<line>\d+), column (?P<col>\d+)\)$")
UNCHANGED = "(file left unchanged: fix it by hand)"


def toml_error_location(exc: tomllib.TOMLDecodeError) -> tuple[str, int, int] | None:
    """`(message, line, column)` of a tomllib error ("Invalid value (at line 3, column 9)"),
    or None when it names no position."""
    m = _TOML_POS.match(str(exc))
    return (m["msg"], int(m["line"]), int(m["col"])) if m else None


def read_toml(path: Path | str, *, secret: bool = False) -> dict[str, Any] | None:
    """Parse a TOML file we own, or None when it does not exist yet."""
    text = read_text(path, secret=secret)
    return None if text is None else parse_toml(path, text)


_CACHE_FORMAT = 1


def _cache_path(path: Path | str | str) -> str:
    head, name = os.path.split(os.fspath(path))
    return os.path.join(head, f".{name}.cache")


def _cached_parse(path: Path | str, text: str) -> dict[str, Any] | None:
    """What `text` parsed to, from the cache, if the cache was made from exactly `text`."""
    import marshal
    import sys

    from profiles.store.fileread import UnreadableFile
    from profiles.store.trust import read_trusted

    try:
        raw = read_trusted(_cache_path(path))  # as the file: ours, nobody else's to write
        if raw is not None:
            stored = marshal.loads(raw)
            if (
                isinstance(stored, tuple)
                and len(stored) == 2
                and stored[0] == (_CACHE_FORMAT, sys.version_info[:2], text)
                and isinstance(stored[1], dict)
            ):
                return stored[1]
    except (UnreadableFile, ValueError, EOFError, TypeError):
        pass  # no cache, or one we will not use: the caller parses
    return None


def write_cache(path: Path | str, text: str, data: dict[str, Any]) -> None:
    """Best effort: a read-only config directory or an unmarshallable value (a TOML datetime)
    only means the next read parses again."""
    import marshal
    import sys

    from profiles.store.fsutil import atomic_write_bytes

    try:
        blob = marshal.dumps(((_CACHE_FORMAT, sys.version_info[:2], text), data))
        atomic_write_bytes(_cache_path(path), blob)
    except (ValueError, OSError):
        pass


def read_text(path: Path | str, *, secret: bool = False) -> str | None:
    """The text of one of our files, once `trust` says nobody else could have written it
    (and, for `secret`, read it); None when it does not exist."""
    from profiles.store.fileread import UnreadableFile
    from profiles.store.trust import read_trusted

    try:
        raw = read_trusted(path, secret=secret)
    except UnreadableFile as exc:  # a FIFO, a device, a file or directory others can write
        raise ConfigError(str(exc)) from None
    if raw is None:
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text {UNCHANGED}") from None


def parse_toml(path: Path | str, text: str) -> dict[str, Any]:
    import tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # tomllib says "Invalid value (at line 3, column 9)": turn it into path:3:9 form.
        located = toml_error_location(exc)
        if located is not None:
            msg, line, col = located
            raise ConfigError(f"{path}:{line}:{col}: {msg} {UNCHANGED}") from None
        raise ConfigError(f"{path}: {exc} {UNCHANGED}") from None


def _locate(text: str, dotted: str) -> int | None:
    """Best-effort line of a dotted field path (`profiles.NAME.KEY`, `current`, ...).

    The most precise match wins: the key itself (`KEY = ...` in `[profiles.NAME]`, or a
    `[profiles.NAME.KEY]` header), else the nearest enclosing table that is written out.
    """
    if not dotted:
        return None
    parts = dotted.split(".")
    for n in range(len(parts), 0, -1):
        line = _find_key(text, ".".join(parts[: n - 1]), parts[n - 1])
        if line is not None:
            return line
    return None


def _find_key(text: str, table: str, key: str) -> int | None:
    """Line of `key = ...` directly in `[table]` (top level for ""), or of `[table.key]`."""
    full = f"{table}.{key}" if table else key
    section = ""
    for number, line in enumerate(text.splitlines(), start=1):
        header = re.match(r"\s*\[+([^\]]+)\]", line)
        if header:
            section = re.sub(r"[\s\"']", "", header[1])
            if section == full:
                return number
        elif section == table and re.match(rf"\s*[\"']?{re.escape(key)}[\"']?\s*=", line):
            return number
    return None


def read_doc(path: Path | str | None = None) -> ProfilesDoc:
    """The validated profiles file; an empty document when there is none yet."""
    path = path if path is not None else paths.profiles_file_str()
    text = read_text(path)
    if text is None:
        return ProfilesDoc(profiles={})
    data = _cached_parse(path, text)
    fresh = data is None
    if data is None:
        data = parse_toml(path, text)
    try:
        doc = doc_from_mapping(data)
    except SchemaError as exc:
        line = _locate(text, exc.path)
        where = f"{path}:{line}:1" if line else str(path)
        raise ConfigError(f"{where}: {exc} {UNCHANGED}") from None
    if fresh:  # a hand edit: cache what a valid file parsed to (a broken one writes nothing)
        write_cache(path, text, data)
    return doc


def get_profile(doc: ProfilesDoc, name: str | None) -> Profile:
    """`name`, or the current profile when `name` is None."""
    if name is None:
        if doc.current is None:
            raise NotFound("no profile given and no current profile: run `cc-aws-tui use NAME`")
        name = doc.current
    try:
        return doc.profiles[name]
    except KeyError:
        known = ", ".join(sorted(doc.profiles)) or "none yet; create one with `cc-aws-tui add`"
        raise NotFound(f"no profile named {name!r} (saved profiles: {known})") from None


def read_secrets(path: Path | str | None = None) -> Mapping[str, Any]:
    """secrets.toml as a mapping of profile name -> {api_key, gateway_token}."""
    path = path if path is not None else paths.secrets_file_str()
    text = read_text(path, secret=True)
    data = {} if text is None else parse_toml(path, text)
    for name, table in data.items():
        # Shape only; the values are never echoed.
        if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
            line = _locate(text or "", name)
            where = f"{path}:{line}:1" if line else str(path)
            raise ConfigError(
                f"{where}: [{name}] must be a table of api_key / gateway_token strings {UNCHANGED}"
            )
    return data
