"""Discover the AWS profiles a user has, without boto3/botocore.

Reads the shared config file (`~/.aws/config`, or `$AWS_CONFIG_FILE`) and the shared
credentials file (`~/.aws/credentials`, or `$AWS_SHARED_CREDENTIALS_FILE`) with
`profiles.aws.ini`, and describes each profile the way botocore would: which credential
provider it would pick, its region, and its SSO / assume-role settings. Secret values
(`aws_secret_access_key`, `aws_session_token`, ...) are read past but never kept.

* Config file: `[default]` and `[profile NAME]` are profiles (NAME split shell-style, so
  `[profile  dev ]` is `dev` and `[profile "my dev"]` is `my dev`), `[sso-session NAME]` are
  SSO sessions; everything else is ignored. Credentials file: every section is a profile, named
  verbatim. A profile in both files is merged, credentials-file keys winning
  (`botocore.session.Session.full_config`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from profiles.aws.ini import Section, load_ini
from profiles.aws.paths import default_config_path, default_credentials_path, resolve


class ProfileKind(StrEnum):
    """The credential provider botocore would use for a profile."""

    STATIC = "static"
    SSO = "sso"
    ASSUME_ROLE = "assume-role"
    PROCESS = "process"
    WEB_IDENTITY = "web-identity"
    UNKNOWN = "unknown"


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
    profiles: dict[str, Section]
    in_config: set[str]
    in_credentials: dict[str, Section]
    sessions: dict[str, Section]


def _load_config_file(path: Path) -> tuple[dict[str, Section], dict[str, Section]]:
    """Profiles and sso-sessions of a config file (botocore.configloader.build_profile_map)."""
    profiles: dict[str, Section] = {}
    sessions: dict[str, Section] = {}
    loaded = load_ini(path)
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
    config_path = resolve(config_file, default_config_path())
    credentials_path = resolve(credentials_file, default_credentials_path())
    profiles, sessions = _load_config_file(config_path)
    in_config = set(profiles)
    credentials = load_ini(credentials_path) or {}
    for name, values in credentials.items():
        # Session.full_config: credentials-file keys override config-file keys.
        profiles[name] = {**profiles[name], **values} if name in profiles else values
    return _Loaded(config_path, credentials_path, profiles, in_config, credentials, sessions)


def _text(section: Section, key: str) -> str | None:
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
    sessions = _load_config_file(resolve(config_file, default_config_path()))[1]
    return [
        SsoSession(
            name=name,
            start_url=_text(values, "sso_start_url"),
            region=_text(values, "sso_region"),
            registration_scopes=_text(values, "sso_registration_scopes"),
        )
        for name, values in sorted(sessions.items(), key=lambda item: _sort_key(item[0]))
    ]
