"""The one place an authenticated `PlatformClient` is built from a profile.

`connect` authenticates exactly as Claude Code would for the profile: SigV4 with the AWS
credentials of its AWS profile (resolved here, within the caller's deadline, unless the caller
resolved them already), an API key, and a gateway's bearer token. When it cannot, it raises
`ConnectError` with a summary and a remedy, both free of secrets. The live checks, the
`models` / `workspaces` commands and the TUI's live lists all build their client here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from profiles.core.deadline import Deadline
from profiles.core.redact import remember
from profiles.core.schema import Profile
from profiles.platform.client import Auth, PlatformClient


class ConnectError(Exception):
    """No client for this profile: `summary` says why, `remedy` (if any) what to do."""

    def __init__(self, summary: str, remedy: str | None = None) -> None:
        super().__init__(summary)
        self.summary = summary
        self.remedy = remedy


def signs(profile: Profile) -> bool:
    """Whether requests for `profile` are signed here with SigV4 (not by a gateway)."""
    return profile.auth == "sigv4" and not profile.gateway_signs


def connect(
    profile: Profile,
    secrets: Mapping[str, str],
    deadline: Deadline,
    *,
    credentials: Any | None = None,
    environ: Mapping[str, str] | None = None,
) -> PlatformClient:
    """A client for `profile` with its resolved `secrets`, every call within `deadline`.

    When the profile signs and no `credentials` are given, its AWS credentials are resolved
    (and remembered for redaction); `ConnectError` when they cannot be had. `environ` is where
    the client reads `NODE_EXTRA_CA_CERTS` (default: this process's environment).
    """
    if signs(profile) and credentials is None:
        from profiles.platform.checks import check_credentials

        result, credentials = check_credentials(profile, deadline)
        if credentials is None:
            raise ConnectError(result.summary, result.remedy)
        remember(credentials.secret_key, credentials.token)
    auth = Auth(
        credentials=credentials,
        api_key=secrets.get("api_key"),
        gateway_token=secrets.get("gateway_token"),
        sign=signs(profile),
    )
    return PlatformClient(profile, auth, deadline=deadline, environ=environ)
