"""What an AWS profile is to cc-aws-tui: its credential kind, its region, its SSO / role
settings, and where the AWS CLI (botocore) and Claude Code (the AWS SDK for JavaScript v3)
read it differently. Holds no secret value, ever."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class ProfileKind(StrEnum):
    """Where a profile's credentials come from: the credential provider that claims it."""

    STATIC = "static"
    SSO = "sso"
    ASSUME_ROLE = "assume-role"
    PROCESS = "process"
    WEB_IDENTITY = "web-identity"
    LOGIN = "login"  # `aws login` (login_session)
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
    """One AWS profile, as Claude Code (the AWS SDK for JavaScript v3) reads it.

    `sso_start_url` and `sso_region` come from the profile's `[sso-session]` section when it
    names one (legacy profiles carry them directly). `source_files` lists the file(s) the
    profile was found in, config file first. `issues` are problems the SDK would trip over
    when fetching credentials; `differences` are short facts on where the AWS CLI (botocore,
    which the live checks use) reads this profile otherwise: another region, another credential
    source, a file it refuses. Neither ever quotes a secret or a line of a file, only key,
    profile and region names; an empty tuple means none were spotted.
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
    differences: tuple[str, ...] = ()


# The keys an AwsProfile shows. Never add a secret (aws_secret_access_key, aws_session_token).
SHOWN_KEYS = frozenset(
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
