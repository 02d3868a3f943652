"""AWS IAM Identity Center (SSO): the token cache `aws sso login` writes, whether a profile's
token is still valid (one profile's, or many at once, reading each cache file once), which SSO
profile a role chain logs in with (`sso_root`), and the one `aws sso login` command line every
caller uses."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal

from profiles.aws.paths import default_sso_cache_dir
from profiles.aws.profiles import AwsProfile, ProfileKind

if TYPE_CHECKING:
    from datetime import datetime

SsoTokenStatus = Literal["valid", "expired", "missing"]


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


def login_command(aws_profile: str | None) -> list[str]:
    """The argv that refreshes the SSO token of `aws_profile` (None: the default profile)."""
    return ["aws", "sso", "login", *(("--profile", aws_profile) if aws_profile else ())]


def login_command_text(aws_profile: str | None) -> str:
    """`login_command` as a person types it in a shell, safely quoted."""
    import shlex

    return shlex.join(login_command(aws_profile))


# --- many profiles at once (the TUI's picker) ---------------------------------------------


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


def sso_root(aws_profile: str, profiles: list[AwsProfile]) -> AwsProfile | None:
    """The SSO profile whose token `aws_profile`'s credentials depend on: itself when it is
    an SSO profile, else the SSO profile at the end of its `source_profile` chain (a role
    assumed with SSO credentials); None when no SSO login is involved."""
    by_name = {p.name: p for p in profiles}
    seen: set[str] = set()
    current = by_name.get(aws_profile)
    while current is not None and current.name not in seen:
        if current.kind == ProfileKind.SSO:
            return current
        if current.kind != ProfileKind.ASSUME_ROLE or not current.source_profile:
            return None
        seen.add(current.name)
        current = by_name.get(current.source_profile)
    return None
