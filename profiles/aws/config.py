"""Discover the AWS profiles a user has, without boto3/botocore.

Reads the shared config file (`~/.aws/config`, or `$AWS_CONFIG_FILE`) and the shared
credentials file (`~/.aws/credentials`, or `$AWS_SHARED_CREDENTIALS_FILE`) the way botocore
does, and describes each profile: which credential provider botocore would pick for it, its
region, and its SSO / assume-role settings. Secret values (`aws_secret_access_key`,
`aws_session_token`, ...) are read past but never kept.

Why not `configparser`: botocore parses with `configparser.RawConfigParser()` (defaults), which
alone takes ~35 ms on 2,000 profiles here, about 5x this module's parser, and the whole listing
must stay well under 100 ms. `_parse_ini` below re-implements exactly the part of
`RawConfigParser._read` those defaults use (the tests check it against `configparser`, and the
whole result against botocore, on random input), plus botocore's rules on top:

* `=` and `:` both separate key and value; keys are lower-cased, section names are not.
* Only whole-line comments (first non-blank character `#` or `;`); an inline `# ...` after a
  value is part of the value, as in botocore.
* Indented lines continue the previous value; `key =` followed by indented `k = v` lines is a
  nested block (e.g. `s3 =`), parsed like `botocore.configloader._parse_nested`.
* A `[DEFAULT]` section is not a profile: its keys are inherited by every section of that file.
* A section or a key appearing twice in one file is an error (configparser `strict=True`).
* Config file: `[default]` and `[profile NAME]` are profiles (NAME split shell-style, so
  `[profile  dev ]` is `dev` and `[profile "my dev"]` is `my dev`), `[sso-session NAME]` are
  SSO sessions; everything else is ignored. Credentials file: every section is a profile, named
  verbatim. A profile in both files is merged, credentials-file keys winning
  (`botocore.session.Session.full_config`).
* Missing files (and directories) count as empty, as in botocore. A path that is not a
  regular file we can read (a FIFO, a device, a huge or unreadable file) is an
  `AwsConfigError` naming it: botocore would skip it, but reading one can hang forever.

Files are decoded as UTF-8 (botocore uses the locale encoding, which is UTF-8 nearly everywhere).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from datetime import datetime

__all__ = [
    "AwsConfigError",
    "AwsProfile",
    "ProfileKind",
    "SsoSession",
    "SsoTokenStatus",
    "default_config_path",
    "default_credentials_path",
    "default_sso_cache_dir",
    "discover_aws_profiles",
    "sso_cache_path",
    "sso_login_command",
    "sso_sessions",
    "sso_token_status",
]

CONFIG_FILE_ENV = "AWS_CONFIG_FILE"
CREDENTIALS_FILE_ENV = "AWS_SHARED_CREDENTIALS_FILE"

SsoTokenStatus = Literal["valid", "expired", "missing"]


class ProfileKind(StrEnum):
    """The credential provider botocore would use for a profile."""

    STATIC = "static"
    SSO = "sso"
    ASSUME_ROLE = "assume-role"
    PROCESS = "process"
    WEB_IDENTITY = "web-identity"
    UNKNOWN = "unknown"


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


@dataclass(frozen=True, slots=True)
class SsoSession:
    """An `[sso-session NAME]` section of the config file."""

    name: str
    start_url: str | None
    region: str | None
    registration_scopes: str | None


@dataclass(frozen=True, slots=True)
class AwsProfile:
    """One AWS profile, as botocore would see it. Holds no secret values.

    `sso_start_url` and `sso_region` come from the profile's `[sso-session]` section when it
    names one (legacy profiles carry them directly). `source_files` lists the file(s) the
    profile was found in, config file first. `issues` are human-readable problems botocore
    would trip over when fetching credentials (they never quote values, only key and profile
    names); an empty tuple means none were spotted.
    """

    name: str
    kind: ProfileKind
    region: str | None = None
    sso_session: str | None = None
    sso_start_url: str | None = None
    sso_region: str | None = None
    sso_account_id: str | None = None
    sso_role_name: str | None = None
    role_arn: str | None = None
    source_profile: str | None = None
    credential_source: str | None = None
    source_files: tuple[Path, ...] = ()
    issues: tuple[str, ...] = ()


# --------------------------------------------------------------------------- file locations


def _env_or_default(env_name: str, default: str) -> Path:
    # botocore uses the variable whenever it is set, even to "", then expands vars and "~".
    raw = os.environ.get(env_name, default)
    return Path(os.path.expanduser(os.path.expandvars(raw)))


def default_config_path() -> Path:
    """`$AWS_CONFIG_FILE`, else `~/.aws/config` (read from the environment on each call)."""
    return _env_or_default(CONFIG_FILE_ENV, os.path.join("~", ".aws", "config"))


def default_credentials_path() -> Path:
    """`$AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/credentials`."""
    return _env_or_default(CREDENTIALS_FILE_ENV, os.path.join("~", ".aws", "credentials"))


def default_sso_cache_dir() -> Path:
    """Where the AWS CLI / botocore cache SSO tokens: `~/.aws/sso/cache` (not configurable)."""
    return Path(os.path.expanduser(os.path.join("~", ".aws", "sso", "cache")))


def _resolve(path: Path | None, default: Path) -> Path:
    if path is None:
        return default
    return Path(os.path.expanduser(os.path.expandvars(os.fspath(path))))


# --------------------------------------------------------------------------- INI parsing

# A parsed value: a string, or a nested block (`s3 =` + indented `k = v` lines).
_Value = str | dict[str, str]
_Section = dict[str, _Value]


def _read_lines(path: Path) -> list[str] | None:
    """The file's lines (universal newlines, like `open()` in text mode), or None if missing.

    A directory counts as missing, as in botocore. Anything else that is not a regular file
    we can read (a FIFO would block forever, /dev/zero never ends, a file over 4 MiB, no
    permission) is an `AwsConfigError` naming the file, rather than a hang or a silent skip.
    """
    from profiles.store.fileread import UnreadableFile, read_regular

    try:
        data = read_regular(path)
    except UnreadableFile as exc:
        if os.path.isdir(path):
            return None  # botocore skips it (`os.path.isfile` is false)
        raise AwsConfigError(path, 0, exc.why) from None
    if data is None:
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise AwsConfigError(path, line, "file is not valid UTF-8 text") from None
    return _split_lines(text)


def _split_lines(text: str) -> list[str]:
    """Split like a text-mode file: universal newlines, no extra line after a final newline."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the final newline does not start another line
    return lines


@dataclass(slots=True)
class _RawIni:
    """One file's sections as `RawConfigParser` would leave them (nested blocks not expanded).

    `sections` maps each section name to its options, `[DEFAULT]` keys merged in, in file
    order; every value is still a string here. `multiline` gives, for each multi-line value,
    the line number of each of its pieces, so that a bad nested block is reported on its line.
    """

    path: Path
    sections: dict[str, _Section]
    multiline: dict[tuple[str, str], list[int]]


def _parse_ini(lines: list[str], path: Path) -> _RawIni:
    """Parse like `configparser.RawConfigParser().read(path)`; raise `AwsConfigError` instead.

    Mirrors `RawConfigParser._read` with its default options, including its error order:
    missing-section-header and duplicate errors stop at once, malformed lines are collected
    and reported (the first one) after the whole file has been read.
    """
    sections: dict[str, _Section] = {}
    header_lines: dict[str, int] = {}
    defaults: _Section = {}
    # (section, option) -> (its dict, pieces, line numbers) for values spanning several lines.
    pieces: dict[tuple[str, str], tuple[_Section, list[str], list[int]]] = {}
    blanks: list[int] = []  # blank lines after the current value, kept only if it continues
    cursect: _Section | None = None
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
    return _RawIni(path, sections, multiline)


def _parse_nested(raw: _RawIni, section: str, option: str, value: str) -> dict[str, str]:
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


def _load_ini(path: Path) -> dict[str, _Section] | None:
    """Parse one file, nested blocks expanded; None if it can't be read."""
    lines = _read_lines(path)
    if lines is None:
        return None
    raw = _parse_ini(lines, path)
    sections = raw.sections
    # Only a multi-line value can be a nested block (its first line, `key =`, is empty).
    for name, option in raw.multiline:
        options = sections.get(name)
        value = options.get(option) if options is not None else None
        if options is not None and isinstance(value, str) and value.startswith("\n"):
            options[option] = _parse_nested(raw, name, option, value)
    return sections


# shlex.split() breaks words on " \t\r\n" only (str.split() would also break on other spaces).
_SHLEX_WS = str.maketrans({"\t": " ", "\r": " ", "\n": " "})


def _shlex_words(name: str) -> list[str] | None:
    """`shlex.split(name)`, or None where shlex fails (unbalanced quotes), as botocore does."""
    if "'" not in name and '"' not in name and "\\" not in name:
        # Fast path: without quotes or backslashes shlex only splits on its whitespace.
        return [word for word in name.translate(_SHLEX_WS).split(" ") if word]
    import shlex  # rare: names with quotes or backslashes

    try:
        return shlex.split(name)
    except ValueError:
        return None


# --------------------------------------------------------------------------- profile building


@dataclass(slots=True)
class _Loaded:
    config_path: Path
    credentials_path: Path
    profiles: dict[str, _Section]
    in_config: set[str]
    in_credentials: dict[str, _Section]
    sessions: dict[str, _Section]


def _load_config_file(path: Path) -> tuple[dict[str, _Section], dict[str, _Section]]:
    """Profiles and sso-sessions of a config file (botocore.configloader.build_profile_map)."""
    profiles: dict[str, _Section] = {}
    sessions: dict[str, _Section] = {}
    loaded = _load_ini(path)
    if loaded is None:
        return profiles, sessions
    # A later section naming the same profile replaces an earlier one (no merge), as in botocore.
    for key, values in loaded.items():
        if key.startswith("profile"):
            words = _shlex_words(key)
            if words is not None and len(words) == 2:
                profiles[words[1]] = values
        elif key.startswith("sso-session"):
            words = _shlex_words(key)
            if words is not None and len(words) == 2:
                sessions[words[1]] = values
        elif key == "default":
            profiles[key] = values
    return profiles, sessions


def _load(config_file: Path | None, credentials_file: Path | None) -> _Loaded:
    config_path = _resolve(config_file, default_config_path())
    credentials_path = _resolve(credentials_file, default_credentials_path())
    profiles, sessions = _load_config_file(config_path)
    in_config = set(profiles)
    credentials = _load_ini(credentials_path) or {}
    for name, values in credentials.items():
        # Session.full_config: credentials-file keys override config-file keys.
        profiles[name] = {**profiles[name], **values} if name in profiles else values
    return _Loaded(config_path, credentials_path, profiles, in_config, credentials, sessions)


def _text(section: _Section, key: str) -> str | None:
    value = section.get(key)
    return value if isinstance(value, str) and value else None


# The keys an AwsProfile shows. Never add a secret (aws_secret_access_key, aws_session_token).
_SHOWN_KEYS = frozenset(
    {
        "region",
        "sso_session",
        "sso_start_url",
        "sso_region",
        "sso_account_id",
        "sso_role_name",
        "role_arn",
        "source_profile",
        "credential_source",
    }
)


def _build_profile(name: str, loaded: _Loaded) -> AwsProfile:
    merged = loaded.profiles[name]
    issues: list[str] = []
    # One pass over the (few) keys; nested blocks and empty values show as None.
    shown = {k: v for k, v in merged.items() if k in _SHOWN_KEYS and isinstance(v, str) and v}

    # SSO: an sso_session's values override the profile's (botocore refuses a mismatch).
    sso = merged
    session_name = shown.get("sso_session")
    if "sso_session" in merged:
        session = loaded.sessions.get(session_name or "")
        if session is None:
            issues.append(f"sso-session '{session_name or ''}' is not defined")
        else:
            sso = dict(merged)
            for key, value in session.items():
                if key in merged and merged[key] != value:
                    issues.append(f"{key} differs between the profile and its sso-session")
                sso[key] = value
            shown["sso_start_url"] = _text(sso, "sso_start_url") or ""
            shown["sso_region"] = _text(sso, "sso_region") or ""

    # Which provider botocore's chain reaches first (credentials.create_credential_resolver):
    # assume-role, then web identity, SSO, credentials file, credential_process, config file.
    creds_section = loaded.in_credentials.get(name, {})
    config_keys = name in loaded.in_config and "aws_access_key_id" not in creds_section
    has_role = "role_arn" in merged
    has_token_file = "web_identity_token_file" in merged
    has_source = "source_profile" in merged or "credential_source" in merged
    sso_login = "sso_session" in merged or "sso_start_url" in sso
    sso_provider = "sso_role_name" in merged or "sso_account_id" in merged

    kind: ProfileKind
    if has_role and not has_token_file:
        if has_source:
            kind = ProfileKind.ASSUME_ROLE
            if "source_profile" in merged and "credential_source" in merged:
                issues.append("both source_profile and credential_source are set")
            source = shown.get("source_profile")
            if source is not None and source not in loaded.profiles:
                issues.append(f"source_profile '{source}' is not defined")
        else:
            # botocore's assume-role provider claims the profile, then fails.
            kind = ProfileKind.UNKNOWN
            issues.append("role_arn is set without source_profile or credential_source")
    elif has_role:
        kind = ProfileKind.WEB_IDENTITY
    elif sso_provider:
        kind = ProfileKind.SSO
        missing = [
            key
            for key in ("sso_start_url", "sso_region", "sso_account_id", "sso_role_name")
            if key not in sso
        ]
        if missing and not issues:  # botocore stops at the sso-session problems above
            issues.append("SSO profile is missing " + ", ".join(missing))
    elif "aws_access_key_id" in creds_section:
        kind = ProfileKind.STATIC
        if "aws_secret_access_key" not in creds_section:
            issues.append("aws_access_key_id is set without aws_secret_access_key")
    elif "credential_process" in merged:
        kind = ProfileKind.PROCESS
    elif config_keys and "aws_access_key_id" in merged:
        kind = ProfileKind.STATIC
        if "aws_secret_access_key" not in merged:
            issues.append("aws_access_key_id is set without aws_secret_access_key")
    elif sso_login:
        # No role/account: botocore's SSO provider skips it, but `aws sso login` works with it.
        kind = ProfileKind.SSO
    else:
        kind = ProfileKind.UNKNOWN

    files: list[Path] = []
    if name in loaded.in_config:
        files.append(loaded.config_path)
    if name in loaded.in_credentials:
        files.append(loaded.credentials_path)

    return AwsProfile(
        name=name,
        kind=kind,
        region=shown.get("region"),
        sso_session=session_name,
        sso_start_url=shown.get("sso_start_url") or None,
        sso_region=shown.get("sso_region") or None,
        sso_account_id=shown.get("sso_account_id"),
        sso_role_name=shown.get("sso_role_name"),
        role_arn=shown.get("role_arn"),
        source_profile=shown.get("source_profile"),
        credential_source=shown.get("credential_source"),
        source_files=tuple(files),
        issues=tuple(issues),
    )


def _sort_key(name: str) -> tuple[bool, str, str]:
    return (name != "default", name.casefold(), name)


def discover_aws_profiles(
    config_file: Path | None = None, credentials_file: Path | None = None
) -> list[AwsProfile]:
    """All profiles in the shared config and credentials files, `default` first, then by name.

    Paths default to `default_config_path()` / `default_credentials_path()`, read from the
    environment at call time. Missing files give no profiles; a file AWS tools would reject
    raises `AwsConfigError`.
    """
    loaded = _load(config_file, credentials_file)
    return [_build_profile(name, loaded) for name in sorted(loaded.profiles, key=_sort_key)]


def sso_sessions(config_file: Path | None = None) -> list[SsoSession]:
    """The `[sso-session NAME]` sections of the config file, sorted by name."""
    sessions = _load_config_file(_resolve(config_file, default_config_path()))[1]
    return [
        SsoSession(
            name=name,
            start_url=_text(values, "sso_start_url"),
            region=_text(values, "sso_region"),
            registration_scopes=_text(values, "sso_registration_scopes"),
        )
        for name, values in sorted(sessions.items(), key=lambda item: _sort_key(item[0]))
    ]


# --------------------------------------------------------------------------- SSO token cache


def sso_cache_path(profile: AwsProfile, cache_dir: Path | None = None) -> Path:
    """The file where `aws sso login` caches this profile's SSO token.

    `<cache_dir>/<sha1>.json`, the SHA-1 taken over the sso-session name, or over the start URL
    for legacy profiles (botocore `SSOTokenLoader._generate_cache_key`). Raises ValueError for
    a profile with neither.
    """
    import hashlib

    key = profile.sso_session if profile.sso_session is not None else profile.sso_start_url
    if key is None:
        raise ValueError(f"profile {profile.name!r} has no sso_session or sso_start_url")
    digest = hashlib.sha1(key.encode("utf-8"), usedforsecurity=False).hexdigest()
    return (cache_dir if cache_dir is not None else default_sso_cache_dir()) / f"{digest}.json"


def _parse_expiry(text: str) -> datetime | None:
    from datetime import UTC, datetime

    text = text.strip()
    if text.endswith("UTC"):  # AWS CLI v1 wrote "2019-01-01T00:00:00UTC"
        text = text[:-3] + "+00:00"
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def sso_token_status(
    profile: AwsProfile, now: datetime | None = None, cache_dir: Path | None = None
) -> SsoTokenStatus:
    """Whether the cached SSO token for `profile` is `valid`, `expired` or `missing`.

    Reads `expiresAt` from `sso_cache_path(profile)`. An unreadable or malformed cache file
    counts as `missing`: either way the fix is `aws sso login --profile NAME`. (For sso-session
    profiles botocore may still refresh an expired access token silently with its refresh
    token; this only looks at the access token.) `now` defaults to the current time; a naive
    `now` is taken as UTC. Raises ValueError, like `sso_cache_path`, for a non-SSO profile.
    """
    import json
    from datetime import UTC, datetime

    from profiles.store.fileread import read_regular

    path = sso_cache_path(profile, cache_dir)
    try:
        raw = read_regular(path)  # a FIFO planted in the cache must not hang the TUI
        token = json.loads(raw.decode("utf-8")) if raw is not None else None
    except (OSError, ValueError):  # UnreadableFile is an OSError
        return "missing"
    if not isinstance(token, dict) or not token.get("accessToken"):
        return "missing"
    expires = token.get("expiresAt")
    expires_at = _parse_expiry(expires) if isinstance(expires, str) else None
    if expires_at is None:
        return "missing"
    if now is None:
        now = datetime.now(UTC)
    elif now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    return "valid" if expires_at > now else "expired"


def sso_login_command(profile: AwsProfile) -> str:
    """The shell command that refreshes this profile's SSO token, safely quoted."""
    import shlex

    return f"aws sso login --profile {shlex.quote(profile.name)}"
