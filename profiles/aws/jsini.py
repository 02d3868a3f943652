"""The shared AWS config/credentials files as Claude Code reads them: the AWS SDK for
JavaScript v3's loader (`@smithy/shared-ini-file-loader` 4.7.2 = `@smithy/core/config`:
`parseIni`, `getConfigData`, `loadSharedConfigFiles`, `parseKnownFiles`, `loadSsoSessionData`;
`@smithy/node-config-provider`'s `loadConfig` for the region). Our own code, written from
theirs and tested against it (tests/aws/js_oracle.cjs runs the npm packages as the oracle).

How it differs from botocore (`profiles.aws.ini`), on real files:

* Nothing in a file is an error: a line that is not `[section]` or `key = value` is skipped,
  so are settings before the first section. Only `=` separates key and value; keys keep their
  case (`Region` is not `region`).
* A comment starts at `#` or `;` at the start of a line or after whitespace, anywhere in it:
  `region = us-east-1 # primary` is `us-east-1`. JavaScript's whitespace is trimmed (it
  includes U+FEFF, so a byte-order mark is dropped).
* A section or key given twice is merged, the later value winning.
* `[profile NAME]`, `[sso-session NAME]`, `[services NAME]`: one whitespace character, an
  optional quote, NAME made of `A-Za-z0-9_-@+.%:/` only, the same quote. Another `[word NAME]`
  is skipped; anything else (`[default]`, `[profile  two  spaces]`) is kept under its text.
  In the config file only `default` and the `profile`/`sso-session`/`services` sections
  count, and `[profile default]` replaces `[default]` whole; the credentials file keeps every
  section under its text (so `[profile x]` there is a profile called `profile.x`).
* `key =` with no value stores nothing: it starts a block, and the indented `k = v` lines under
  it are stored as `key.k`. An indented line is never a continuation of the value above.
* A section that holds no setting does not exist. A section named `__proto__` makes the SDK
  ignore the whole file; one named like a member of JavaScript's `Object.prototype`
  (`constructor`, `toString`, ...) never becomes a profile.
* The two files are merged per profile, credentials-file keys winning, for the credentials
  and for the region (`NODE_REGION_CONFIG_FILE_OPTIONS` is `preferredFile: "credentials"`; seen
  with the real client too: it signs for the credentials file's region).
* Files are decoded as UTF-8 with U+FFFD for bad bytes, lines split at `\\n` or `\\r\\n` only.

Reading goes through `profiles.aws.ini.read_file`: a FIFO, a device, an unreadable or huge file
is an `AwsConfigError`, never a hang (Node would block on the FIFO).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from profiles.aws.ini import read_file

# JavaScript's `\s` and what `String.prototype.trim` removes: WhiteSpace and LineTerminator.
_JS_SPACE = "\t\n\v\f\r \xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"  # noqa: E501
_COMMENT = re.compile(f"(?:^|[{_JS_SPACE}])[;#]")
_LINES = re.compile(r"\r?\n")
# prefixKeyRegex, /^([\w-]+)\s(["'])?([\w-@+.%:/]+)\2$/ (\w is ASCII in JavaScript).
_PREFIXED = re.compile(f"([\\w-]+)[{_JS_SPACE}]([\"']?)([\\w\\-@+.%:/]+)\\2", re.ASCII)
SECTION_TYPES = frozenset({"profile", "sso-session", "services"})
# Names a plain JavaScript object already has (Object.prototype): `map[name] || {}` finds the
# inherited member, so settings written under these names never land in an own section.
_PROTO = frozenset(
    {
        "constructor", "hasOwnProperty", "isPrototypeOf", "propertyIsEnumerable",
        "toLocaleString", "toString", "valueOf", "__proto__", "__defineGetter__",
        "__defineSetter__", "__lookupGetter__", "__lookupSetter__",
    }
)  # fmt: skip
_BLOCKED = ("__proto__", "profile __proto__")  # parseIni throws: the whole file is ignored

Sections = dict[str, dict[str, str]]


def _trim(text: str) -> str:
    return text.strip(_JS_SPACE)


class IgnoredFile(Exception):
    """The SDK's parser throws on this file, and the loader then reads it as empty."""


def parse(text: str) -> Sections:
    """`parseIni`: section -> key -> value. Raises `IgnoredFile` where the SDK's parser throws."""
    space = _JS_SPACE  # locals: this loop runs once per line of files with thousands of them
    comment = _COMMENT.search
    sections: Sections = {}
    current = ""  # "" or a skipped section: settings are dropped (JavaScript's falsy)
    target: dict[str, str] | None = None  # the current section's settings, made on first use
    block = ""  # the `key =` whose indented lines are being read
    for raw in text.split("\n") if "\r" not in text else _LINES.split(text):
        line = raw
        if "#" in line or ";" in line:
            found = comment(line)
            if found is not None:
                line = line[: found.start()]
        line = line.strip(space)
        if line[:1] == "[" and line[-1:] == "]":
            name = line[1:-1]
            block = ""
            target = None
            prefixed = _PREFIXED.fullmatch(name)
            if prefixed is None:
                current = name
            else:
                kind = prefixed.group(1)
                current = f"{kind}.{prefixed.group(3)}" if kind in SECTION_TYPES else ""
            if name in _BLOCKED:
                raise IgnoredFile(name)
            continue
        if not current:
            continue
        eq = line.find("=")
        if eq <= 0:
            continue
        value = line[eq + 1 :].strip(space)
        if not value:
            block = line[:eq].strip(space)
            continue
        key = line[:eq].strip(space)
        if block:
            if raw[:1] not in space:  # not indented: the block has ended
                block = ""
            else:
                key = f"{block}.{key}"
        if target is None:
            if current in _PROTO:
                continue  # lands on an inherited member, never in a section of its own
            target = sections.setdefault(current, {})
        if key != "__proto__":  # assigning a string to __proto__ does nothing
            target[key] = value
    return sections


def config_data(sections: Sections) -> Sections:
    """`getConfigData`: the config file's profiles (the `profile.` prefix dropped; `default`),
    `sso-session.NAME` and `services.NAME`. `[profile default]` replaces `[default]`."""
    out: Sections = {}
    if "default" in sections:
        out["default"] = sections["default"]
    for key, values in sections.items():
        prefix, dot, rest = key.partition(".")
        if dot and prefix in SECTION_TYPES:
            name = rest if prefix == "profile" else key
            if name != "__proto__":
                out[name] = values
    return out


def _read(path: Path) -> tuple[Sections, bool]:
    """A file's sections, and whether the SDK ignores the file as a whole (its parser throws).
    A missing file is empty. Raises `AwsConfigError` for a file we refuse to read."""
    data = read_file(path)
    if data is None:
        return {}, False
    try:
        return parse(data.decode("utf-8", errors="replace")), False
    except IgnoredFile:
        return {}, True


@dataclass(slots=True)
class JsFiles:
    """The two files as `loadSharedConfigFiles` leaves them, and what follows from them."""

    config_path: Path
    credentials_path: Path
    config: Sections
    """`configFile`: profiles by name, plus the `sso-session.NAME` / `services.NAME` sections."""
    credentials: Sections
    """`credentialsFile`: every section under its own text."""
    ignored: tuple[Path, ...] = ()
    """Files the SDK reads as empty because its parser throws on them."""
    merged: Sections = field(default_factory=dict)
    """`parseKnownFiles`: config then credentials, key by key (the credential providers' view)."""

    def profile_names(self) -> list[str]:
        """The profiles: every merged section but the sso-session and services ones."""
        return [
            name
            for name in self.merged
            if not name.startswith(("sso-session.", "services.")) and name not in _PROTO
        ]

    def region(self, name: str) -> str | None:
        """The profile's region, from the files (Claude Code reads `AWS_REGION` before it)."""
        for section in (self.credentials.get(name), self.config.get(name)):
            if section is not None and "region" in section:
                return section["region"]
        return None

    def sso_sessions(self) -> Sections:
        """`loadSsoSessionData`: the config file's `sso-session.NAME` sections, by NAME."""
        prefix = "sso-session."
        return {k[len(prefix) :]: v for k, v in self.config.items() if k.startswith(prefix)}


def load_config(path: Path) -> tuple[Sections, bool]:
    """The config file's `configFile` (see `config_data`), and whether the SDK ignores it."""
    sections, ignored = _read(path)
    return config_data(sections), ignored


def load(config_path: Path, credentials_path: Path) -> JsFiles:
    """Read both files as the SDK does. Raises `AwsConfigError` only for a file we refuse to
    read (a FIFO, a device, a huge or unreadable file), never for what a file says."""
    config, config_ignored = load_config(config_path)
    credentials, credentials_ignored = _read(credentials_path)
    merged: Sections = {}
    for name, values in config.items():
        if name not in _PROTO:
            merged[name] = dict(values)
    for name, values in credentials.items():
        if name in merged:
            merged[name].update(values)
        elif name not in _PROTO:
            merged[name] = dict(values)
    ignored = tuple(
        p for p, flag in ((config_path, config_ignored), (credentials_path, credentials_ignored))
        if flag
    )  # fmt: skip
    return JsFiles(config_path, credentials_path, config, credentials, ignored, merged)
