"""The live checks, one function each: will this profile work, and if not, exactly why.

Each check returns a `CheckResult` (pass / warn / fail) with a one-line summary and, when
something is wrong, the remedy from platform-facts (`diagnose`). The checks validate *the
profile*: its AWS profile, key, region, workspace and base URL are passed explicitly, never
picked up from whatever the current process holds. Ambient variables that would get in the
way are reported as warnings (exporting the profile fixes them). `engine.run_checks` runs them
in order, concurrently where they are independent.

Every check that waits takes the caller's whole-call `Deadline` and gets only what is left.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from profiles.core.deadline import Deadline, DeadlineExceeded, in_thread
from profiles.core.schema import Profile
from profiles.platform.client import PlatformClient, PlatformError
from profiles.platform.diagnose import diagnose, sso_remedy
from profiles.platform.results import CheckResult

# --- 1. environment -------------------------------------------------------------------------


def check_env(
    profile: Profile,
    environ: Mapping[str, str],
    secrets: Mapping[str, str],
    *,
    cwd: Path | None = None,
) -> CheckResult:
    """Would Claude Code started here (settings files and this shell) use this profile?

    A settings file that overrides the profile fails the check (no export fixes it), as does
    anything in the way of a profile applied to a settings file; what only the current shell
    gets wrong is a warning (exporting the profile fixes it). See `claude.conflicts`.
    """
    from profiles.claude.conflicts import client_view, conflicts, isolation
    from profiles.claude.resolve import layers_here
    from profiles.claude.sources import applied_scopes

    layers = layers_here(environ, cwd)
    applied = [s for s in applied_scopes(profile.name, cwd) if any(x.name == s for x in layers)]
    view = client_view(profile, secrets, layers, applied)  # reads the AWS files: once
    found = conflicts(profile, secrets, layers, applied, view=view)
    if not found:
        how = f"applied to {', '.join(applied)} settings" if applied else "once exported"
        note, warn = isolation(profile, view)
        summary = f"Claude Code here would use this profile ({how}); {note}"
        if warn:
            from profiles.claude.hooks import KEY_REMEDY

            return CheckResult("env", "warn", summary, KEY_REMEDY)
        return CheckResult("env", "pass", summary)
    failing = [c for c in found if c.blocking]
    shown = failing or found
    fixes = list(dict.fromkeys(c.fix for c in shown))
    return CheckResult(
        "env",
        "fail" if failing else "warn",
        "; ".join(c.line for c in shown),
        "; ".join(fixes),
    )


# --- 2/3. AWS credentials and identity ------------------------------------------------------


def resolve_credentials(profile: Profile, deadline: Deadline) -> tuple[Any, str]:
    """Frozen botocore credentials for the profile, and how they were found: botocore's chain
    in a child process killed (with its `credential_process`) at `deadline`."""
    from profiles.aws import creds as aws_creds

    return aws_creds.resolve(profile.aws_profile, deadline)


def check_credentials(profile: Profile, timeout: float | Deadline) -> tuple[CheckResult, Any]:
    """`timeout`: seconds, or the caller's whole-call deadline."""
    from botocore import exceptions as bx

    deadline = Deadline.of(timeout)
    where = f"AWS profile {profile.aws_profile!r}" if profile.aws_profile else "default chain"
    try:
        frozen, method = resolve_credentials(profile, deadline)
    except DeadlineExceeded:
        return CheckResult(
            "credentials",
            "fail",
            f"no credentials within {deadline.seconds:g}s from the {where}",
            "the SSO portal or role endpoint did not answer: check the network or proxy",
        ), None
    except bx.ProfileNotFound:
        return CheckResult(
            "credentials",
            "fail",
            f"{where} is not in ~/.aws/config or ~/.aws/credentials",
            f"create it (aws configure sso --profile {profile.aws_profile}) or pick another",
        ), None
    except (bx.UnauthorizedSSOTokenError, bx.SSOTokenLoadError, bx.TokenRetrievalError):
        return CheckResult(
            "credentials", "fail", f"the SSO session of the {where} has expired or is missing",
            sso_remedy(profile),
        ), None  # fmt: skip
    except bx.NoCredentialsError:
        remedy = (
            "pick an AWS profile, or provide credentials (AWS_PROFILE, an instance role, ...)"
            if not profile.aws_profile
            else f"add credentials to AWS profile {profile.aws_profile!r}"
        )
        return CheckResult(
            "credentials", "fail", f"no AWS credentials from the {where}", remedy
        ), None
    except bx.ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "error")
        msg = exc.response.get("Error", {}).get("Message", "")[:200]
        return CheckResult(
            "credentials", "fail", f"the {where} could not get credentials: {code}: {msg}",
            "check the role's trust policy and the source profile's permissions",
        ), None  # fmt: skip
    except bx.BotoCoreError as exc:
        return CheckResult(
            "credentials", "fail", f"the {where} could not get credentials: {str(exc)[:200]}",
            f"check the {where} in ~/.aws/config",
        ), None  # fmt: skip
    except OSError as exc:  # the resolver process could not start
        return CheckResult(
            "credentials", "fail", f"cannot resolve credentials: {exc.strerror}", None
        ), None
    temporary = " (temporary)" if frozen.token else ""
    return CheckResult(
        "credentials", "pass", f"{where}: {method}{temporary}, key {frozen.access_key[:4]}…"
    ), frozen


def check_identity(
    profile: Profile, credentials: Any, timeout: float | Deadline
) -> tuple[CheckResult, Any]:
    """STS GetCallerIdentity: botocore's timeouts from what is left, no retries, and the
    caller released at the deadline whatever STS does (a trickling answer included)."""
    import botocore.session
    from botocore import exceptions as bx
    from botocore.config import Config

    deadline = Deadline.of(timeout)

    def call() -> dict[str, Any]:
        left = max(0.1, deadline.remaining())
        # The profile's AWS profile, as for the credentials: a bare Session() would read an
        # ambient AWS_PROFILE (and fail if it names a profile that does not exist).
        session = botocore.session.Session(profile=profile.aws_profile)
        client = session.create_client(
            "sts",
            region_name=profile.region,
            aws_access_key_id=credentials.access_key,
            aws_secret_access_key=credentials.secret_key,
            aws_session_token=credentials.token,
            config=Config(
                connect_timeout=left,
                read_timeout=left,
                retries={"total_max_attempts": 1},
            ),
        )
        result: dict[str, Any] = client.get_caller_identity()
        return result

    try:
        ident = in_thread(call, deadline)
    except DeadlineExceeded:
        return CheckResult(
            "identity", "warn", f"STS did not answer within {deadline.seconds:g}s"
        ), None
    except bx.ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "error")
        return CheckResult(
            "identity", "fail", f"STS rejected the credentials ({code})",
            sso_remedy(profile) if code == "ExpiredToken" else
            "the credentials are expired or revoked: refresh or rotate them",
        ), None  # fmt: skip
    except bx.BotoCoreError as exc:
        return CheckResult("identity", "warn", f"STS unreachable: {str(exc)[:160]}"), None
    info = {"account": ident["Account"], "arn": ident["Arn"], "user_id": ident["UserId"]}
    return CheckResult("identity", "pass", f"account {info['account']} as {info['arn']}"), info


def check_platform(client: PlatformClient) -> tuple[CheckResult, list[str] | None]:
    """GET /v1/models; over https the summary says which CAs were trusted (as Claude Code)."""
    trust = client.trust
    try:
        models = client.list_models()
    except PlatformError as exc:
        summary, remedy = diagnose(exc, client.profile)
        if exc.kind == "tls" and trust is not None and trust.warning:
            remedy = f"{trust.warning}: fix the path or unset it; {remedy}"
        return CheckResult("platform", "fail", summary, remedy), None
    ids = [str(m.get("id")) for m in models if m.get("id")]
    summary = f"GET /v1/models in {client.profile.workspace_id}: {len(ids)} models"
    if trust is not None:
        summary += f"; TLS trust: {trust.description}"
        if trust.warning:
            return CheckResult(
                "platform", "warn", summary, f"{trust.warning}: fix the path or unset it"
            ), ids
    return CheckResult("platform", "pass", summary), ids


def check_models(profile: Profile, models: list[str] | None) -> CheckResult:
    pins = {a: m for a, m in profile.models.items() if m}
    if not pins:
        return CheckResult("models", "pass", "no pins: Claude Code picks its default models")
    if models is None:
        return CheckResult("models", "warn", "pins unchecked: the model list is unavailable", None)
    missing = {a: m for a, m in pins.items() if m not in models}
    if not missing:
        return CheckResult("models", "pass", ", ".join(f"{a}={m}" for a, m in pins.items()))
    bad = ", ".join(f"{a}={m}" for a, m in missing.items())
    offered = ", ".join(models[:8]) + (" …" if len(models) > 8 else "")
    return CheckResult(
        "models",
        "fail",
        f"not offered in this workspace: {bad}",
        f"pin one of: {offered}" if models else "this workspace offers no models",
    )


def check_workspaces(client: PlatformClient) -> tuple[CheckResult, list[dict[str, Any]] | None]:
    try:
        items = client.list_workspaces()
    except PlatformError as exc:
        if exc.status == 403 and "not authorized to perform" in exc.message.lower():
            return CheckResult(
                "workspaces",
                "warn",
                "cannot list workspaces (needs aws-external-anthropic:ListWorkspaces)",
                "fine for Claude Code; grant AnthropicReadOnlyAccess to pick from a list",
            ), None
        summary, remedy = diagnose(exc, client.profile)
        return CheckResult("workspaces", "warn", f"cannot list workspaces: {summary}", remedy), None
    spaces = [
        {"id": w.get("id"), "name": w.get("name"), "archived": bool(w.get("archived_at"))}
        for w in items
    ]
    ids = {w["id"] for w in spaces}
    if client.profile.workspace_id not in ids:
        return CheckResult(
            "workspaces",
            "warn",
            f"{client.profile.workspace_id} is not among the {len(spaces)} workspaces listed",
            f"workspaces are per region: check it exists in {client.profile.region}",
        ), spaces
    name = next(w["name"] for w in spaces if w["id"] == client.profile.workspace_id)
    return CheckResult("workspaces", "pass", f"{len(spaces)} visible; this one is {name!r}"), spaces
