"""What Claude Code would do if started here, offline and instantly, as `status` says it.

Like Claude Code's `/status`, worded from the one model of the client (`claude.resolve`):
which provider wins, and only when it is Claude Platform on AWS the workspace, region,
endpoint, auth (the JavaScript SDK's credential chain), pins and TTL, each with the layer it
comes from; and which saved profile (if any) the configuration matches. Pure: the layers and
the saved profiles come in as arguments.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from profiles.claude.resolve import (
    DEFAULT_REGION,
    PLATFORM,
    Layer,
    RegionOf,
    Resolved,
    region_of,
)
from profiles.claude.resolve import (
    resolve as resolve_layers,
)
from profiles.core import envplan
from profiles.core.schema import Profile


@dataclass(frozen=True)
class Resolution:
    provider: str
    on_platform: bool = False
    workspace_id: str | None = None
    workspace_source: str | None = None
    region: str | None = None
    region_source: str | None = None
    base_url: str | None = None
    base_url_source: str | None = None
    auth: str | None = None
    """"api-key", "unsigned" or "sigv4"; None off the platform."""
    auth_detail: str | None = None
    aws_credentials: str | None = None
    """For SigV4: "awsCredentialExport", "profile", "environment", "default profile"."""
    aws_profile: str | None = None
    """The AWS profile whose credentials the client signs with, when it reads one."""
    models: Mapping[str, str] = field(default_factory=dict)
    cache_ttl: str | None = None
    active_profile: str | None = None
    matches: tuple[str, ...] = ()
    drift: Mapping[str, tuple[str | None, str | None]] = field(default_factory=dict)
    problems: tuple[str, ...] = ()


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
    active profile (CC_AWS_TUI_PROFILE), what differs: var -> (profile's, environment's).
    `environ` is what the client sees: `""` entries already dropped."""
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


def _from(res: Resolved, var: str) -> str | None:
    found = res.setting(var)
    return found.layer.label if found is not None and found.value else None


def resolve(
    layers: Sequence[Layer], profiles: Mapping[str, Profile], *, regions: RegionOf = region_of
) -> Resolution:
    """`layers` highest first, the shell last (`claude.resolve.layers_here`). `regions` is
    the AWS-profile region lookup (default: the AWS files, as the client reads them)."""
    res = resolve_layers(layers, region_of=regions)
    environ = res.environ()
    active = environ.get(envplan.MARKER) or None
    if not res.on_platform:
        if res.provider_setting is not None:
            switch = res.provider_setting
            provider = (
                f"{res.provider} ({switch.var}={switch.raw} in {switch.layer.label} wins over"
                f" {PLATFORM})"
            )
            fix = (
                f"unset {switch.var} in {switch.layer.label}, or apply a profile"
                ' (`cc-aws-tui apply NAME --scope user` writes "" for it)'
            )
        else:
            provider = (
                f"{res.provider} (api.anthropic.com): {envplan.USE_AWS} is not set to a true"
                " value (1, true, yes or on)"
            )
            fix = 'export a profile: eval "$(cc-aws-tui export NAME)"'
        return Resolution(provider=provider, active_profile=active, problems=(fix,))

    problems: list[str] = list(res.problems)
    workspace = res.workspace
    if workspace is None:
        problems.append(
            "no ANTHROPIC_AWS_WORKSPACE_ID: Claude Code refuses to start (No workspace ID found)"
        )
    if res.region_from and res.region_from.startswith("the client's default"):
        problems.append(
            f"no region set: Claude Code signs for {DEFAULT_REGION}; set AWS_REGION to the"
            " workspace's region"
        )
    detail, kind, aws_profile = _auth(res, problems)
    matches, drift = matching_profiles(profiles, environ)
    return Resolution(
        provider=PLATFORM,
        on_platform=True,
        workspace_id=workspace,
        workspace_source=_from(res, envplan.WORKSPACE),
        region=res.region,
        region_source=res.region_from,
        base_url=res.base_url,
        base_url_source=_from(res, envplan.BASE_URL) or "the default for the region",
        auth=res.auth,
        auth_detail=detail,
        aws_credentials=kind,
        aws_profile=aws_profile,
        models=dict(res.models),
        cache_ttl=res.cache_ttl,
        active_profile=active,
        matches=matches,
        drift=drift,
        problems=tuple(problems),
    )


def _auth(res: Resolved, problems: list[str]) -> tuple[str, str | None, str | None]:
    """(how requests are authenticated, the SigV4 credential kind, the AWS profile read)."""
    token = ", plus a gateway token (ANTHROPIC_AUTH_TOKEN)" if res.gateway_token else ""
    if res.auth == "api-key":
        where = _from(res, envplan.API_KEY)
        return (f"workspace API key (ANTHROPIC_AWS_API_KEY from {where}; AWS credentials are"
                f" ignored){token}", None, None)  # fmt: skip
    if res.auth == "unsigned":
        where = _from(res, envplan.SKIP_AUTH)
        return (f"unsigned: a gateway signs (CLAUDE_CODE_SKIP_ANTHROPIC_AWS_AUTH from {where})"
                f"{token}", None, None)  # fmt: skip
    creds = res.credentials
    assert creds is not None
    if creds.kind == "profile" and res.get("AWS_ACCESS_KEY_ID"):
        problems.append(
            f"AWS_ACCESS_KEY_ID is set too: Claude Code signs with AWS profile {creds.profile}"
            " (the JavaScript SDK prefers AWS_PROFILE), but the AWS CLI and botocore would"
            " sign with the keys"
        )
    return f"SigV4 with {creds.describe()}{token}", creds.kind, creds.profile
