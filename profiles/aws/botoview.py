"""The AWS profiles as botocore (the AWS CLI, and the live checks' credentials) reads them.

Claude Code reads the same files otherwise (`profiles.aws.jsini`); `profiles.aws.profiles`
compares the two views and says where they differ. This module is the botocore side, without
botocore: the files parsed by `profiles.aws.ini`, then each profile described the way botocore
would: which credential provider it would pick, its region, its SSO / assume-role settings.

* Config file: `[default]` and `[profile NAME]` are profiles (NAME split shell-style, so
  `[profile  dev ]` is `dev` and `[profile "my dev"]` is `my dev`), `[sso-session NAME]` are
  SSO sessions; everything else is ignored. Credentials file: every section is a profile, named
  verbatim. A profile in both files is merged, credentials-file keys winning
  (`botocore.session.Session.full_config`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from profiles.aws.ini import Section, load_ini, shlex_words
from profiles.aws.model import SHOWN_KEYS, AwsProfile, ProfileKind
from profiles.aws.paths import default_config_path, default_credentials_path, resolve


@dataclass(slots=True)
class Loaded:
    """Both files read: each profile's merged keys, and which file(s) named it."""

    config_path: Path
    credentials_path: Path
    profiles: dict[str, Section]
    in_config: set[str]
    in_credentials: dict[str, Section]
    sessions: dict[str, Section]


def load_config_file(path: Path) -> tuple[dict[str, Section], dict[str, Section]]:
    """Profiles and sso-sessions of a config file (botocore.configloader.build_profile_map)."""
    profiles: dict[str, Section] = {}
    sessions: dict[str, Section] = {}
    loaded = load_ini(path)
    if loaded is None:
        return profiles, sessions
    # A later section naming the same profile replaces an earlier one (no merge), as in botocore.
    for key, values in loaded.items():
        if key.startswith("profile"):
            words = shlex_words(key)
            if words is not None and len(words) == 2:
                profiles[words[1]] = values
        elif key.startswith("sso-session"):
            words = shlex_words(key)
            if words is not None and len(words) == 2:
                sessions[words[1]] = values
        elif key == "default":
            profiles[key] = values
    return profiles, sessions


def load(config_file: Path | None, credentials_file: Path | None) -> Loaded:
    """Read both files as botocore does (explicit paths, else botocore's defaults)."""
    config_path = resolve(config_file, default_config_path())
    credentials_path = resolve(credentials_file, default_credentials_path())
    profiles, sessions = load_config_file(config_path)
    in_config = set(profiles)
    credentials = load_ini(credentials_path) or {}
    for name, values in credentials.items():
        # Session.full_config: credentials-file keys override config-file keys.
        profiles[name] = {**profiles[name], **values} if name in profiles else values
    return Loaded(config_path, credentials_path, profiles, in_config, credentials, sessions)


def value_of(section: Section, key: str) -> str | None:
    value = section.get(key)
    return value if isinstance(value, str) and value else None


def sso_settings(merged: Section, sessions: dict[str, Section]) -> Section:
    """The profile's keys with its sso-session's laid over them, as botocore resolves SSO."""
    if "sso_session" not in merged:
        return merged
    session = sessions.get(value_of(merged, "sso_session") or "")
    return merged if session is None else {**merged, **session}


def kind_of(name: str, loaded: Loaded, sso: Section | None = None) -> ProfileKind:
    """The provider botocore's chain reaches first (`credentials.create_credential_resolver`):
    assume-role, web identity, SSO, credentials file, login, credential_process, config file."""
    merged = loaded.profiles[name]
    if "role_arn" in merged:
        if "web_identity_token_file" in merged:
            return ProfileKind.WEB_IDENTITY
        if "source_profile" in merged or "credential_source" in merged:
            return ProfileKind.ASSUME_ROLE
        return ProfileKind.UNKNOWN  # botocore's assume-role provider claims it, then fails
    if "sso_role_name" in merged or "sso_account_id" in merged:
        return ProfileKind.SSO
    if "aws_access_key_id" in loaded.in_credentials.get(name, {}):
        return ProfileKind.STATIC
    if "login_session" in merged:
        return ProfileKind.LOGIN
    if "credential_process" in merged:
        return ProfileKind.PROCESS
    if name in loaded.in_config and "aws_access_key_id" in merged:
        return ProfileKind.STATIC
    if sso is None:
        sso = sso_settings(merged, loaded.sessions)
    if "sso_session" in merged or "sso_start_url" in sso:
        # No role/account: botocore's SSO provider skips it, but `aws sso login` works with it.
        return ProfileKind.SSO
    return ProfileKind.UNKNOWN


def _issues(name: str, loaded: Loaded, kind: ProfileKind, sso: Section) -> list[str]:
    merged = loaded.profiles[name]
    issues: list[str] = []
    if "sso_session" in merged:
        session_name = value_of(merged, "sso_session") or ""
        session = loaded.sessions.get(session_name)
        if session is None:
            issues.append(f"sso-session '{session_name}' is not defined")
        else:  # botocore refuses a mismatch
            issues.extend(
                f"{key} differs between the profile and its sso-session"
                for key, value in session.items()
                if key in merged and merged[key] != value
            )
    if kind == ProfileKind.ASSUME_ROLE:
        if "source_profile" in merged and "credential_source" in merged:
            issues.append("both source_profile and credential_source are set")
        source = value_of(merged, "source_profile")
        if source is not None and source not in loaded.profiles:
            issues.append(f"source_profile '{source}' is not defined")
    elif kind == ProfileKind.UNKNOWN and "role_arn" in merged:
        issues.append("role_arn is set without source_profile or credential_source")
    elif kind == ProfileKind.SSO and ("sso_role_name" in merged or "sso_account_id" in merged):
        needed = ("sso_start_url", "sso_region", "sso_account_id", "sso_role_name")
        missing = [key for key in needed if key not in sso]
        if missing and not issues:  # botocore stops at the sso-session problems above
            issues.append("SSO profile is missing " + ", ".join(missing))
    elif kind == ProfileKind.STATIC:
        creds_section = loaded.in_credentials.get(name, {})
        keys = creds_section if "aws_access_key_id" in creds_section else merged
        if "aws_secret_access_key" not in keys:
            issues.append("aws_access_key_id is set without aws_secret_access_key")
    return issues


def build_profile(name: str, loaded: Loaded) -> AwsProfile:
    """Profile NAME as botocore sees it: kind, region, SSO / role settings, problems."""
    merged = loaded.profiles[name]
    # One pass over the (few) keys; nested blocks and empty values show as None.
    shown = {k: v for k, v in merged.items() if k in SHOWN_KEYS and isinstance(v, str) and v}
    sso = sso_settings(merged, loaded.sessions)
    kind = kind_of(name, loaded, sso)
    files: list[Path] = []
    if name in loaded.in_config:
        files.append(loaded.config_path)
    if name in loaded.in_credentials:
        files.append(loaded.credentials_path)
    return AwsProfile(
        name=name,
        kind=kind,
        region=shown.get("region"),
        sso_session=shown.get("sso_session"),
        sso_start_url=value_of(sso, "sso_start_url"),
        sso_region=value_of(sso, "sso_region"),
        sso_account_id=shown.get("sso_account_id"),
        sso_role_name=shown.get("sso_role_name"),
        role_arn=shown.get("role_arn"),
        source_profile=shown.get("source_profile"),
        credential_source=shown.get("credential_source"),
        source_files=tuple(files),
        issues=tuple(_issues(name, loaded, kind, sso)),
    )


def botocore_profiles(
    config_file: Path | None = None, credentials_file: Path | None = None
) -> list[AwsProfile]:
    """Every profile as botocore sees it, in file order (paths as botocore resolves them).
    Raises `AwsConfigError` for a file botocore would refuse (or that we refuse to read)."""
    loaded = load(config_file, credentials_file)
    return [build_profile(name, loaded) for name in loaded.profiles]
