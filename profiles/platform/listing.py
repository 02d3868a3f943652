"""Live lists for a profile being written: the workspaces its credentials can see, the models
its workspace offers. Each answers with the list, or with None and one line saying why not
(never a secret), so the wizard can fall back to a typed value. Blocking: call from a worker.
"""

from __future__ import annotations

from typing import Any

from profiles.core.deadline import Deadline
from profiles.core.schema import Profile
from profiles.platform.connect import ConnectError, connect


def list_workspaces(
    *,
    auth: str | None,
    region: str,
    base_url: str | None,
    aws_profile: str | None,
    gateway_signs: bool,
    api_key: str | None,
    gateway_token: str | None,
    saved_as: str | None,
    timeout: float,
) -> tuple[list[dict[str, Any]] | None, str]:
    """The workspaces (id, name, archived) these settings can see in `region`, or None and
    why not. A secret not typed is taken from the saved profile `saved_as` (when editing)."""
    from profiles.platform.checks import check_workspaces
    from profiles.store.files import ConfigError
    from profiles.store.secrets import SecretError, stored_secret

    deadline = Deadline(timeout)  # credentials and every page share it
    profile = Profile(
        name="wizard",
        auth="api-key" if auth == "api-key" else "sigv4",
        workspace_id="",  # account-scoped call
        region=region,
        aws_profile=aws_profile,
        base_url=base_url or None,
        gateway_signs=gateway_signs,
    )
    try:
        if profile.auth == "api-key" and api_key is None:
            api_key = stored_secret(saved_as, "api_key")
            if api_key is None:
                return None, "no API key to list workspaces with"
        if gateway_token is None:
            gateway_token = stored_secret(saved_as, "gateway_token")
    except (SecretError, ConfigError) as exc:
        return None, str(exc)
    secrets = {
        kind: value
        for kind, value in (("api_key", api_key), ("gateway_token", gateway_token))
        if value is not None
    }
    try:
        client = connect(profile, secrets, deadline)
    except ConnectError as exc:
        return None, exc.summary
    result, spaces = check_workspaces(client)
    if spaces is None:
        return None, result.summary
    return spaces, ""


def list_models(
    profile: Profile, secrets: dict[str, str], deadline: Deadline
) -> tuple[dict[str, str] | None, str]:
    """The models offered to `profile` (id -> display name), or None and why not: GET
    /v1/models exactly as Claude Code would authenticate."""
    from profiles.platform.client import PlatformError
    from profiles.platform.diagnose import diagnose

    try:
        items = connect(profile, secrets, deadline).list_models()
    except ConnectError as exc:
        return None, exc.summary
    except PlatformError as exc:
        return None, diagnose(exc, profile)[0]
    return {str(m["id"]): str(m.get("display_name") or m["id"]) for m in items if m.get("id")}, ""
