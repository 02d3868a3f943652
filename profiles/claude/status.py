"""What Claude Code would resolve from an environment, offline and instantly.

Like Claude Code's `/status`: which provider wins, which workspace, region, endpoint and kind
of auth, and which saved profile (if any) the environment matches. Pure: the environment and
the saved profiles come in as arguments.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from profiles.core import envplan
from profiles.core.rules import default_base_url
from profiles.core.schema import Profile


@dataclass(frozen=True)
class Resolution:
    provider: str
    workspace_id: str | None = None
    region: str | None = None
    region_source: str | None = None
    base_url: str | None = None
    auth: str | None = None
    active_profile: str | None = None
    matches: tuple[str, ...] = ()
    drift: Mapping[str, tuple[str | None, str | None]] = field(default_factory=dict)
    problems: tuple[str, ...] = ()


def _aws_profile_region(name: str, environ: Mapping[str, str], problems: list[str]) -> str | None:
    """The region of AWS profile NAME (what the client signs for), read as botocore reads it.

    A file that cannot be read (broken, a FIFO, a device) adds a line to `problems`."""
    from profiles.aws.ini import AwsConfigError
    from profiles.aws.profiles import discover_aws_profiles

    def given(var: str) -> Path | None:
        return Path(environ[var]).expanduser() if environ.get(var) else None

    try:
        found = discover_aws_profiles(
            given("AWS_CONFIG_FILE"), given("AWS_SHARED_CREDENTIALS_FILE")
        )
    except AwsConfigError as exc:
        problems.append(f"cannot read the AWS config, so no region from it: {exc}")
        return None
    return next((p.region for p in found if p.name == name), None)


def _shown(var: str, value: str | None) -> str | None:
    """A value as it may be shown to a person: secrets masked."""
    return envplan.mask(value) if value is not None and var in envplan.SENSITIVE_VARS else value


def _claude_vars(plan: envplan.EnvPlan) -> dict[str, str]:
    """The non-secret variables Claude Code reads, as a profile would set them."""
    return {
        k: v
        for k, v in plan.set.items()
        if k not in envplan.SECRET_VARS and k not in envplan.SHELL_ONLY_VARS
    }


def matching_profiles(
    profiles: Mapping[str, Profile], environ: Mapping[str, str]
) -> tuple[tuple[str, ...], dict[str, tuple[str | None, str | None]]]:
    """Profiles whose (non-secret) variables the environment holds exactly; and for the
    active profile (CC_AWS_TUI_PROFILE), what differs: var -> (profile's, environment's)."""
    placeholder = {"api_key": "-", "gateway_token": "-"}
    matches: list[str] = []
    drift: dict[str, tuple[str | None, str | None]] = {}
    active = environ.get(envplan.MARKER)
    for name, profile in sorted(profiles.items()):
        plan = envplan.plan_env(profile, placeholder)
        wanted = _claude_vars(plan)
        diff: dict[str, tuple[str | None, str | None]] = {
            k: (_shown(k, v), _shown(k, environ.get(k)))
            for k, v in wanted.items()
            if environ.get(k) != v
        }
        diff.update(
            {
                k: (None, _shown(k, environ[k]))
                for k in plan.unset
                if k in environ and k in envplan.MANAGED
            }
        )
        for secret_var in envplan.SECRET_VARS & set(plan.set):
            if secret_var not in environ:
                diff[secret_var] = ("(set)", None)
        if not diff:
            matches.append(name)
        if name == active:
            drift = diff
    return tuple(matches), drift


def resolve(environ: Mapping[str, str], profiles: Mapping[str, Profile]) -> Resolution:
    if envplan.truthy(environ.get("CLAUDE_CODE_USE_BEDROCK")):
        provider = "Amazon Bedrock (CLAUDE_CODE_USE_BEDROCK wins over Claude Platform on AWS)"
    elif envplan.truthy(environ.get("CLAUDE_CODE_USE_FOUNDRY")):
        provider = "Microsoft Foundry (CLAUDE_CODE_USE_FOUNDRY wins over Claude Platform on AWS)"
    elif envplan.truthy(environ.get(envplan.USE_AWS)):
        provider = "Claude Platform on AWS"
    else:
        return Resolution(
            provider="the Anthropic API (api.anthropic.com): CLAUDE_CODE_USE_ANTHROPIC_AWS is"
            " not set to a true value",
            problems=('export a profile: eval "$(cc-aws-tui export NAME)"',),
        )
    problems: list[str] = []
    workspace = environ.get(envplan.WORKSPACE) or None
    if workspace is None:
        problems.append(
            "no ANTHROPIC_AWS_WORKSPACE_ID: Claude Code refuses to start (No workspace ID found)"
        )
    region = environ.get(envplan.REGION) or None
    source: str | None = "AWS_REGION"
    if region is None and environ.get("AWS_PROFILE"):
        region = _aws_profile_region(environ["AWS_PROFILE"], environ, problems)
        source = f"[profile {environ['AWS_PROFILE']}] in the AWS config"
    if region is None:
        problems.append("no region: set AWS_REGION to the workspace's region")
        source = None
    base_url = environ.get(envplan.BASE_URL) or (default_base_url(region) if region else None)
    if environ.get(envplan.API_KEY):
        auth = "workspace API key (ANTHROPIC_AWS_API_KEY; AWS credentials are ignored)"
    elif envplan.truthy(environ.get(envplan.SKIP_AUTH)):
        auth = "unsigned: a gateway signs (CLAUDE_CODE_SKIP_ANTHROPIC_AWS_AUTH)"
    elif environ.get("AWS_ACCESS_KEY_ID"):
        auth = "SigV4 with AWS_ACCESS_KEY_ID from the environment (beats AWS_PROFILE)"
    elif environ.get("AWS_PROFILE"):
        auth = f"SigV4 with AWS profile {environ['AWS_PROFILE']}"
    else:
        auth = "SigV4 with the default AWS credential chain"
    if environ.get(envplan.AUTH_TOKEN):
        auth += ", plus a gateway token (ANTHROPIC_AUTH_TOKEN)"
    matches, drift = matching_profiles(profiles, environ)
    return Resolution(
        provider=provider,
        workspace_id=workspace,
        region=region,
        region_source=source,
        base_url=base_url,
        auth=auth,
        active_profile=environ.get(envplan.MARKER) or None,
        matches=matches,
        drift=drift,
        problems=tuple(problems),
    )
