"""Which SSO profiles need a login: the token status of many profiles at once, and whether
one of them must log in again before it can sign.

Reads each SSO token cache file once: thousands of profiles usually share a handful of SSO
sessions. The cache itself is read by `profiles.aws.config.sso_token_status`.
"""

from __future__ import annotations

from pathlib import Path

from profiles.aws.config import (
    AwsProfile,
    ProfileKind,
    SsoTokenStatus,
    sso_cache_path,
    sso_token_status,
)


def sso_statuses(profiles: list[AwsProfile]) -> dict[str, SsoTokenStatus]:
    """The SSO token status of each SSO profile, by name. Reads each token cache file once:
    thousands of profiles usually share a handful of SSO sessions."""
    by_file: dict[Path, SsoTokenStatus] = {}
    statuses: dict[str, SsoTokenStatus] = {}
    for profile in profiles:
        if profile.kind != ProfileKind.SSO:
            continue
        try:
            path = sso_cache_path(profile)
        except ValueError:  # neither sso_session nor sso_start_url: its issues say so
            continue
        if path not in by_file:
            by_file[path] = sso_token_status(profile)
        statuses[profile.name] = by_file[path]
    return statuses


def needs_login(profile: AwsProfile, status: SsoTokenStatus | None) -> bool:
    """Whether `profile` is an SSO profile whose token (`status`, None: unknown) is expired or
    missing, so `aws sso login` must run before it can sign."""
    return profile.kind == ProfileKind.SSO and status in ("expired", "missing")
