"""The shared AWS config/credentials file format, parsed as botocore parses it (no botocore).

Why not `configparser`: botocore parses with `configparser.RawConfigParser()` (defaults), which
alone takes ~35 ms on 2,000 profiles here, about 5x this module's parser, and the whole listing
must stay well under 100 ms. `parse_ini` below re-implements exactly the part of
`RawConfigParser._read` those defaults use (the tests check it against `configparser`, and the
whole result against botocore, on random input), plus botocore's rules on top:

* `=` and `:` both separate key and value; keys are lower-cased, section names are not.
* Only whole-line comments (first non-blank character `#` or `;`); an inline `# ...` after a
  value is part of the value, as in botocore.
* Indented lines continue the previous value; `key =` followed by indented `k = v` lines is a
  nested block (e.g. `s3 =`), parsed like `botocore.configloader._parse_nested`.
* A `[DEFAULT]` section is not a profile: its keys are inherited by every section of that file.
* A section or a key appearing twice in one file is an error (configparser `strict=True`).
* Missing files (and directories) count as empty, as in botocore. A path that is not a
  regular file we can read (a FIFO, a device, a huge or unreadable file) is an
  `AwsConfigError` naming it: botocore would skip it, but reading one can hang forever.

Files are decoded as UTF-8 (botocore uses the locale encoding, which is UTF-8 nearly everywhere).
What the sections mean (profiles, sso-sessions) is `profiles.aws.profiles`' job.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


class AwsConfigError(ValueError):
    """A shared config/credentials file that AWS tools would refuse to load.

    `str()` is a single line, `<path>:<line>: <what is wrong>` (`<path>: ...` with line 0, for
    a file that cannot be read at all). The message never quotes the offending line itself:
    it may hold a secret key.
    """

    def __init__(self, path: Path | str, line: int, message: str) -> None:
        super().__init__(str(path), line, message)
        self.path = Path(path)
        self.line = line
        # One line, always: this ends up in a status bar.
        self.message = " ".join(message.split())

    def __str__(self) -> str:
        if not self.line:  # about the file as a whole (not a regular file, unreadable)
            return f"{self.path}: {self.message}"
        return f"{self.path}:{self.line}: {self.message}"


# shlex.split() breaks words on " \t\r\n" only (str.split() would also break on other spaces).
_SHLEX_WS = str.maketrans({"\t": " ", "\r": " ", "\n": " "})


def shlex_words(name: str) -> list[str] | None:
    """`shlex.split(name)`, or None where shlex fails (unbalanced quotes), as botocore splits a
    config file's section names (`[profile  dev ]` is `dev`)."""
    if "'" not in name and '"' not in name and "\\" not in name:
        # Fast path: without quotes or backslashes shlex only splits on its whitespace.
        return [word for word in name.translate(_SHLEX_WS).split(" ") if word]
    import shlex  # rare: names with quotes or backslashes

    try:
        return shlex.split(name)
    except ValueError:
        return None


# A parsed value: a string, or a nested block (`s3 =` + indented `k = v` lines).
Value = str | dict[str, str]
Section = dict[str, Value]


def read_file(path: Path) -> bytes | None:
    """The file's bytes, or None if it is missing (a directory counts as missing, as in botocore
    and the JavaScript SDK). Anything else that is not a regular file we can read (a FIFO would
    block forever, /dev/zero never ends, a file over 4 MiB, no permission) is an
    `AwsConfigError` naming the file, rather than a hang or a silent skip. Both readers, the
    botocore one here and the JavaScript SDK one (`profiles.aws.jsini`), read through this.
    """
    from profiles.store.fileread import UnreadableFile, read_regular

    try:
        return read_regular(path)
    except UnreadableFile as exc:
        if os.path.isdir(path):
            return None  # botocore skips it (`os.path.isfile` is false); Node fails and skips
        raise AwsConfigError(path, 0, exc.why) from None


def _read_lines(path: Path) -> list[str] | None:
    """The file's lines (universal newlines, like `open()` in text mode), or None if missing."""
    data = read_file(path)
    if data is None:
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise AwsConfigError(path, line, "file is not valid UTF-8 text") from None
    return split_lines(text)


def split_lines(text: str) -> list[str]:
    """Split like a text-mode file: universal newlines, no extra line after a final newline."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the final newline does not start another line
    return lines


@dataclass(slots=True)
class RawIni:
    """One file's sections as `RawConfigParser` would leave them (nested blocks not expanded).

    `sections` maps each section name to its options, `[DEFAULT]` keys merged in, in file
    order; every value is still a string here. `multiline` gives, for each multi-line value,
    the line number of each of its pieces, so that a bad nested block is reported on its line.
    """

    path: Path
    sections: dict[str, Section]
    multiline: dict[tuple[str, str], list[int]]


def parse_ini(lines: list[str], path: Path) -> RawIni:
    """Parse like `configparser.RawConfigParser().read(path)`; raise `AwsConfigError` instead.

    Mirrors `RawConfigParser._read` with its default options, including its error order:
    missing-section-header and duplicate errors stop at once, malformed lines are collected
    and reported (the first one) after the whole file has been read.
    """
    sections: dict[str, Section] = {}
    header_lines: dict[str, int] = {}
    defaults: Section = {}
    # (section, option) -> (its dict, pieces, line numbers) for values spanning several lines.
    pieces: dict[tuple[str, str], tuple[Section, list[str], list[int]]] = {}
    blanks: list[int] = []  # blank lines after the current value, kept only if it continues
    cursect: Section | None = None
    sectname = ""
    optname = ""  # "" plays configparser's None: no value to continue
    optline = 0
    indent_level = 0
    first_bad_line = 0
    bad_lines = 0

    for lineno, line in enumerate(lines, start=1):
        value = line.strip()
        if not value:
            if optname:
                blanks.append(lineno)
            continue
        first = value[0]
        if first == "#" or first == ";":
            continue  # whole-line comment: neither ends nor extends a value
        indent = 0 if line[0] == first else len(line) - len(line.lstrip())
        if optname and indent > indent_level and cursect is not None:
            # Continuation line; configparser keeps blank lines inside a value.
            entry = pieces.get((sectname, optname))
            if entry is None:
                entry = pieces[sectname, optname] = (cursect, [str(cursect[optname])], [optline])
            entry[1].extend([""] * len(blanks))
            entry[2].extend(blanks)
            entry[1].append(value)
            entry[2].append(lineno)
            blanks = []
            continue
        if blanks:
            blanks = []
        indent_level = indent
        if first == "[":
            close = value.rfind("]")
            if close >= 2:  # configparser's `\[(?P<header>.+)\]`, matched at the start
                sectname = value[1:close]
                if sectname in sections:
                    raise AwsConfigError(
                        path,
                        lineno,
                        f"section [{sectname}] is defined twice "
                        f"(first on line {header_lines[sectname]})",
                    )
                if sectname == "DEFAULT":
                    cursect = defaults  # may be repeated, as in configparser
                else:
                    cursect = sections[sectname] = {}
                    header_lines[sectname] = lineno
                optname = ""
                continue
        if cursect is None:
            if lineno == 1 and first == "\ufeff":
                msg = "file starts with a UTF-8 byte-order mark (BOM); save it without one"
            else:
                msg = "expected a [section] header before any settings"
            raise AwsConfigError(path, lineno, msg)
        eq = value.find("=")
        colon = value.find(":")
        sep = eq if colon < 0 or 0 <= eq < colon else colon
        if sep <= 0:
            # Not fatal yet: configparser reports malformed lines once the file is read.
            bad_lines += 1
            first_bad_line = first_bad_line or lineno
            if sep < 0:
                continue  # the previous value may still be continued, as in configparser
        optname = value[:sep].rstrip().lower()
        # Sections are never reopened (that raises above), so a repeat is a key already here.
        if optname in cursect:
            raise AwsConfigError(
                path, lineno, f"key '{optname}' is set twice in section [{sectname}]"
            )
        cursect[optname] = value[sep + 1 :].strip()
        optline = lineno

    if bad_lines:
        more = f" ({bad_lines - 1} more malformed line(s) follow)" if bad_lines > 1 else ""
        raise AwsConfigError(
            path, first_bad_line, f"expected 'key = value', a [section] header or a comment{more}"
        )

    multiline: dict[tuple[str, str], list[int]] = {}
    for (sect, opt), (options, parts, linenos) in pieces.items():
        options[opt] = "\n".join(parts).rstrip()
        multiline[sect, opt] = linenos
    if defaults:
        # configparser: every section inherits [DEFAULT]'s keys and shadows them with its own.
        for name, options in sections.items():
            sections[name] = {**defaults, **options}
            for opt in defaults:
                if ("DEFAULT", opt) in multiline and opt not in options:
                    multiline[name, opt] = multiline["DEFAULT", opt]
    return RawIni(path, sections, multiline)


def _parse_nested(raw: RawIni, section: str, option: str, value: str) -> dict[str, str]:
    """botocore's `_parse_nested`: indented `k = v` lines under a `key =` line."""
    linenos = raw.multiline.get((section, option), [])
    nested: dict[str, str] = {}
    # value == "\n".join(pieces).rstrip(): piece i came from line linenos[i].
    for index, piece in enumerate(value.split("\n")):
        for sub in piece.splitlines():  # botocore splits on every str.splitlines() boundary
            sub = sub.strip()
            if not sub:
                continue
            key, sep, val = sub.partition("=")
            if not sep:
                line = linenos[index] if index < len(linenos) else 0
                raise AwsConfigError(
                    raw.path,
                    line,
                    f"expected 'key = value' in the nested block of '{option}' "
                    f"in section [{section}]",
                )
            nested[key.strip()] = val.strip()
    return nested


def load_ini(path: Path) -> dict[str, Section] | None:
    """Parse one file, nested blocks expanded; None if it can't be read."""
    lines = _read_lines(path)
    if lines is None:
        return None
    raw = parse_ini(lines, path)
    sections = raw.sections
    # Only a multi-line value can be a nested block (its first line, `key =`, is empty).
    for name, option in raw.multiline:
        options = sections.get(name)
        value = options.get(option) if options is not None else None
        if options is not None and isinstance(value, str) and value.startswith("\n"):
            options[option] = _parse_nested(raw, name, option, value)
    return sections
