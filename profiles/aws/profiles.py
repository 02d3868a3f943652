"""Discover the AWS profiles a user has as Claude Code will read them, without any AWS SDK.

Claude Code reads `~/.aws/config` (or `$AWS_CONFIG_FILE`) and `~/.aws/credentials` (or
`$AWS_SHARED_CREDENTIALS_FILE`) with the AWS SDK for JavaScript v3; `profiles.aws.jsini` reads
them the same way. Each profile is described as that SDK resolves it: its region
(`@smithy/node-config-provider`, the credentials file winning over the config file), its
credential kind (the order of `@aws-sdk/credential-provider-ini`'s `resolveProfileData`, as
bundled in Claude Code 2.1.328: assume-role, static keys, web identity, credential_process,
SSO, `aws login`) and its SSO / assume-role settings. Secret values (`aws_secret_access_key`,
`aws_session_token`, ...) are read past but never kept.

The live checks get credentials through botocore, which reads the same files otherwise
(`profiles.aws.botoview`). Where the two differ for a profile, `AwsProfile.differences` says
how, in a few words; `read_aws_profiles` also names the profiles only the AWS CLI sees.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from profiles.aws import jsini
from profiles.aws.botoview import Loaded, kind_of, load, sso_settings, value_of
from profiles.aws.ini import AwsConfigError
from profiles.aws.model import AwsProfile, ProfileKind, SsoSession
from profiles.aws.paths import (
    default_config_path,
    default_credentials_path,
    js_config_path,
    js_credentials_path,
    js_resolve,
    resolve,
)
from profiles.aws.regions import is_region

__all__ = [
    "AwsConfigError",
    "AwsProfile",
    "AwsProfiles",
    "ProfileKind",
    "SsoSession",
    "differences_of",
    "discover_aws_profiles",
    "read_aws_profiles",
    "sso_sessions",
]

DIFFERENTLY = "the AWS CLI and Claude Code read this profile differently"
"""How every place that shows a difference starts its line (then `: <fact>`)."""

_SSO_KEYS = ("sso_start_url", "sso_account_id", "sso_session", "sso_region", "sso_role_name")
# How a credential kind reads in a sentence ("Claude Code uses SSO, the AWS CLI static keys").
KIND_WORDS: dict[str, str] = {
    ProfileKind.STATIC: "static keys",
    ProfileKind.SSO: "SSO",
    ProfileKind.ASSUME_ROLE: "an assumed role",
    ProfileKind.PROCESS: "credential_process",
    ProfileKind.WEB_IDENTITY: "web identity",
    ProfileKind.LOGIN: "aws login",
    ProfileKind.UNKNOWN: "no credentials of its own",
}
# Settings that must agree when both read the same kind: named in a fact, never quoted.
_SAME_KIND_KEYS = {
    ProfileKind.STATIC: ("aws_access_key_id", "aws_secret_access_key", "aws_session_token"),
    ProfileKind.SSO: (
        "sso_session", "sso_start_url", "sso_region", "sso_account_id", "sso_role_name",
    ),
    ProfileKind.ASSUME_ROLE: (
        "role_arn", "source_profile", "credential_source", "external_id", "mfa_serial",
        "role_session_name",
    ),
    ProfileKind.WEB_IDENTITY: ("role_arn", "web_identity_token_file", "role_session_name"),
    ProfileKind.PROCESS: ("credential_process",),
    ProfileKind.LOGIN: ("login_session",),
}  # fmt: skip
# Of those, the ones read from the profile's sso-session when it names one.
_FROM_SESSION = ("sso_start_url", "sso_region")


@dataclass(frozen=True, slots=True)
class AwsProfiles:
    """What `read_aws_profiles` found: Claude Code's profiles, and what the AWS CLI sees else."""

    profiles: list[AwsProfile]
    """Claude Code's profiles, `default` first, then by name; each with its `differences`."""
    cli_only: tuple[str, ...] = ()
    """Profiles the AWS CLI sees and Claude Code does not (same order)."""
    notes: tuple[str, ...] = ()
    """Facts about whole files: the two read different paths, or one ignores a file."""


def js_kind(section: Mapping[str, str]) -> ProfileKind:
    """The credential provider the JavaScript SDK picks for a profile (its first hop)."""
    role = "role_arn" in section
    if role and (("source_profile" in section) != ("credential_source" in section)):
        return ProfileKind.ASSUME_ROLE
    if "aws_access_key_id" in section and "aws_secret_access_key" in section:
        return ProfileKind.STATIC
    if role and "web_identity_token_file" in section:
        return ProfileKind.WEB_IDENTITY
    if "credential_process" in section:
        return ProfileKind.PROCESS
    if any(key in section for key in _SSO_KEYS):
        return ProfileKind.SSO
    if "login_session" in section:
        return ProfileKind.LOGIN
    return ProfileKind.UNKNOWN


def _js_issues(
    kind: ProfileKind, section: Mapping[str, str], sso: Mapping[str, str], files: jsini.JsFiles
) -> list[str]:
    issues: list[str] = []
    if "role_arn" in section and kind != ProfileKind.ASSUME_ROLE:
        if "source_profile" in section:
            issues.append("both source_profile and credential_source are set: role_arn is unused")
        elif "web_identity_token_file" not in section:
            issues.append("role_arn is set without source_profile or credential_source")
    if kind == ProfileKind.ASSUME_ROLE:
        source = section.get("source_profile")
        if source is not None and source not in files.merged:
            issues.append(f"source_profile '{source}' is not defined")
    if "aws_access_key_id" in section and "aws_secret_access_key" not in section:
        issues.append("aws_access_key_id is set without aws_secret_access_key")
    if kind == ProfileKind.SSO:
        if "sso_session" in section and sso is section:
            issues.append(f"sso-session '{section['sso_session']}' is not defined")
        elif "sso_session" in section:
            for key in ("sso_start_url", "sso_region"):
                if key in section and section[key] != sso.get(key):
                    issues.append(f"{key} differs between the profile and its sso-session")
        if not issues:  # fromSSO stops at the sso-session problems above
            needed = ("sso_start_url", "sso_region", "sso_account_id", "sso_role_name")
            missing = [key for key in needed if key not in sso]
            if missing:
                issues.append("SSO profile is missing " + ", ".join(missing))
    return issues


def _build(
    name: str,
    kind: ProfileKind,
    files: jsini.JsFiles,
    sessions: jsini.Sections,
    differences: tuple[str, ...],
) -> AwsProfile:
    section = files.merged[name]
    sso: Mapping[str, str] = section
    session_name = section.get("sso_session")
    if session_name is not None and session_name in sessions:
        # fromSSO: the sso-session's start URL and region are the ones used.
        session = sessions[session_name]
        sso = {**section, **{k: session[k] for k in _FROM_SESSION if k in session}}
    if name in files.config:
        source_files: tuple[Path, ...] = (files.config_path,)
        if name in files.credentials:
            source_files += (files.credentials_path,)
    else:
        source_files = (files.credentials_path,)
    get = section.get
    return AwsProfile(
        name=name,
        kind=kind,
        region=files.region(name),
        sso_session=session_name,
        sso_start_url=sso.get("sso_start_url"),
        sso_region=sso.get("sso_region"),
        sso_account_id=get("sso_account_id"),
        sso_role_name=get("sso_role_name"),
        role_arn=get("role_arn"),
        source_profile=get("source_profile"),
        credential_source=get("credential_source"),
        source_files=source_files,
        issues=tuple(_js_issues(kind, section, sso, files)),
        differences=differences,
    )


def _region_words(region: str | None) -> str:
    """A region in a fact: quoted only when it is a region name (a malformed value may have
    swallowed the lines after it, a secret among them)."""
    if region is None:
        return "finds none"
    return f"uses {region}" if is_region(region) else "uses a value that is not a region name"


class _CliView:
    """botocore's view of the files, read once, compared with Claude Code's profile by profile."""

    def __init__(self, loaded: Loaded, files: jsini.JsFiles) -> None:
        self.loaded = loaded
        self.files = files
        self.js_sessions = files.sso_sessions()
        # Equal sessions (the usual case) let equal profiles skip the SSO comparison.
        self.same_sessions = loaded.sessions == self.js_sessions

    def differences(self, name: str, ours: ProfileKind) -> tuple[str, ...]:
        """Short facts on how botocore reads profile NAME (of kind `ours` to Claude Code)
        otherwise; () when it does not."""
        raw = self.loaded.profiles.get(name)
        if raw is None:
            return ("the AWS CLI does not see this profile",)
        section = self.files.merged[name]
        theirs = kind_of(name, self.loaded)
        if ours == theirs and self.same_sessions and raw == section:
            return ()  # the same keys, the same kind: nothing else can differ
        facts: list[str] = []
        region, their_region = self.files.region(name), value_of(raw, "region")
        if region != their_region:
            facts.append(
                f"region: Claude Code {_region_words(region)}, "
                f"the AWS CLI {_region_words(their_region)}"
            )
        if ours != theirs:
            facts.append(
                f"credentials: Claude Code uses {KIND_WORDS[ours]}, "
                f"the AWS CLI {KIND_WORDS[theirs]}"
            )
            return tuple(facts)
        their_sso = sso_settings(raw, self.loaded.sessions)
        our_sso = {**section, **self.js_sessions.get(section.get("sso_session", ""), {})}
        for key in _SAME_KIND_KEYS.get(ours, ()):
            if key in _FROM_SESSION:
                if our_sso.get(key) != value_of(their_sso, key):
                    facts.append(f"{key} differs")
            elif section.get(key) != value_of(raw, key):
                facts.append(f"{key} differs")
        return tuple(facts)


def _sort_key(name: str) -> tuple[bool, str, str]:
    return (name != "default", name.casefold(), name)


def _js_paths(config_file: Path | None, credentials_file: Path | None) -> tuple[Path, Path]:
    config = js_resolve(os.fspath(config_file)) if config_file is not None else js_config_path()
    credentials = (
        js_resolve(os.fspath(credentials_file))
        if credentials_file is not None
        else js_credentials_path()
    )
    return config, credentials


def read_aws_profiles(
    config_file: Path | None = None, credentials_file: Path | None = None
) -> AwsProfiles:
    """Claude Code's AWS profiles, each with how the AWS CLI reads it differently.

    Paths default to what each SDK reads (`$AWS_CONFIG_FILE`, ... at call time). Missing files
    give no profiles. Raises `AwsConfigError` only for a file we refuse to read at all (a FIFO,
    a device, a huge or unreadable file): what a file says is never an error to Claude Code.
    """
    files = jsini.load(*_js_paths(config_file, credentials_file))
    notes = [
        f"Claude Code ignores {path} as a whole (a section is named __proto__)"
        for path in files.ignored
    ]
    cli_config = resolve(config_file, default_config_path())
    cli_credentials = resolve(credentials_file, default_credentials_path())
    for what, ours, theirs in (
        ("config", files.config_path, cli_config),
        ("credentials", files.credentials_path, cli_credentials),
    ):
        if ours != theirs:
            notes.append(f"{what} file: Claude Code reads {ours}, the AWS CLI {theirs}")
    refused: tuple[str, ...] = ()
    cli: _CliView | None = None
    try:
        cli = _CliView(load(cli_config, cli_credentials), files)
    except AwsConfigError as exc:
        refused = (f"the AWS CLI refuses {exc}",)  # and so every profile, whichever file
    sessions = files.sso_sessions()
    names = sorted(files.profile_names(), key=_sort_key)
    profiles: list[AwsProfile] = []
    for name in names:
        kind = js_kind(files.merged[name])
        facts = cli.differences(name, kind) if cli is not None else refused
        profiles.append(_build(name, kind, files, sessions, facts))
    seen = set(names)
    cli_names = cli.loaded.profiles if cli is not None else {}
    cli_only = tuple(sorted((n for n in cli_names if n not in seen), key=_sort_key))
    return AwsProfiles(profiles, cli_only, tuple(notes))


def differences_of(found: AwsProfiles, name: str) -> list[str]:
    """One line per fact on how the AWS CLI reads AWS profile NAME otherwise than Claude Code
    (`DIFFERENTLY: <fact>`); none when they agree or neither knows the profile."""
    for profile in found.profiles:
        if profile.name == name:
            return [f"{DIFFERENTLY}: {fact}" for fact in profile.differences]
    if name in found.cli_only:
        return [f"{DIFFERENTLY}: Claude Code does not see it"]
    return []


def discover_aws_profiles(
    config_file: Path | None = None, credentials_file: Path | None = None
) -> list[AwsProfile]:
    """All of Claude Code's AWS profiles, `default` first, then by name (`read_aws_profiles`)."""
    return read_aws_profiles(config_file, credentials_file).profiles


def sso_sessions(config_file: Path | None = None) -> list[SsoSession]:
    """The config file's `[sso-session NAME]` sections as Claude Code reads them, by name."""
    path = js_resolve(os.fspath(config_file)) if config_file is not None else js_config_path()
    config, _ = jsini.load_config(path)
    prefix = "sso-session."
    sessions = {k[len(prefix) :]: v for k, v in config.items() if k.startswith(prefix)}
    return [
        SsoSession(
            name=name,
            start_url=values.get("sso_start_url"),
            region=values.get("sso_region"),
            registration_scopes=values.get("sso_registration_scopes"),
        )
        for name, values in sorted(sessions.items(), key=lambda item: _sort_key(item[0]))
    ]
