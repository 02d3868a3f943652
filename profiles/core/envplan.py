"""From a profile to environment variables: what to set and what to unset.

Pure functions, standard library only (this is the shell-export path). The rules come from
`shared/platform-facts.md`:

- Claude Code picks Claude Platform on AWS only when `CLAUDE_CODE_USE_ANTHROPIC_AWS` is truthy
  and neither Bedrock nor Foundry is switched on (they win), so those are always unset.
- `ANTHROPIC_AWS_API_KEY` beats SigV4, so a SigV4 profile always unsets it.
- In the AWS credential chain, key variables beat `AWS_PROFILE`: a SigV4 profile that names an
  AWS profile unsets them, or a stale key would sign as someone else.
- Everything optional (base URL, gateway, pins, 1 h TTL) is set when used and unset when not,
  so switching profiles in one shell leaves exactly the new profile's variables.
"""

from __future__ import annotations

from profiles.core.schema import MODEL_ALIASES

TYPE_CHECKING = False  # not typing's: its import alone costs more than this whole module
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any, Final

    from profiles.core.schema import Profile

USE_AWS: Final = "CLAUDE_CODE_USE_ANTHROPIC_AWS"
WORKSPACE: Final = "ANTHROPIC_AWS_WORKSPACE_ID"
REGION: Final = "AWS_REGION"
BASE_URL: Final = "ANTHROPIC_AWS_BASE_URL"
API_KEY: Final = "ANTHROPIC_AWS_API_KEY"
AWS_PROFILE: Final = "AWS_PROFILE"
SKIP_AUTH: Final = "CLAUDE_CODE_SKIP_ANTHROPIC_AWS_AUTH"
AUTH_TOKEN: Final = "ANTHROPIC_AUTH_TOKEN"
CACHE_1H: Final = "ENABLE_PROMPT_CACHING_1H"
MARKER: Final = "CC_AWS_TUI_PROFILE"
# The AWS_PROFILE cc-aws-tui set, so a later export removes it while it is still ours (and
# only then), even after the profile that set it was renamed, edited or deleted.
AWS_PROFILE_MARKER: Final = "CC_AWS_TUI_AWS_PROFILE"
OTHER_PROVIDERS: Final = ("CLAUDE_CODE_USE_BEDROCK", "CLAUDE_CODE_USE_FOUNDRY")
AWS_KEY_VARS: Final = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")
MODEL_VARS: Final = {a: f"ANTHROPIC_DEFAULT_{a.upper()}_MODEL" for a in MODEL_ALIASES}

# What a profile can set; `off` unsets all of it. AWS_PROFILE and the AWS key variables are
# not here: they may be the user's own, see `plan_env`.
MANAGED: Final = (
    USE_AWS,
    WORKSPACE,
    REGION,
    BASE_URL,
    API_KEY,
    SKIP_AUTH,
    AUTH_TOKEN,
    *MODEL_VARS.values(),
    CACHE_1H,
    MARKER,
    AWS_PROFILE_MARKER,
)
# Variables whose values are secrets: masked whenever shown to a person.
SECRET_VARS: Final = frozenset({API_KEY, AUTH_TOKEN})
# Everything masked wherever a value is shown to a person: our secrets and the AWS ones a
# shell or settings file may hold (AWS_ACCESS_KEY_ID is an identifier, shown by the console).
SENSITIVE_VARS: Final = SECRET_VARS | {"AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"}
# The shell marker is ours; Claude Code's settings.json has no use for it.
SHELL_ONLY_VARS: Final = frozenset({MARKER, AWS_PROFILE_MARKER})


class EnvPlan:
    """Variables to set (in a stable order) and variables to unset. Immutable."""

    __slots__ = ("set", "unset")
    set: Mapping[str, str]
    unset: tuple[str, ...]

    def __init__(self, set: Mapping[str, str], unset: tuple[str, ...]) -> None:
        object.__setattr__(self, "set", set)
        object.__setattr__(self, "unset", unset)

    def __setattr__(self, key: str, value: Any) -> None:
        raise AttributeError("EnvPlan is immutable")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, EnvPlan):
            return NotImplemented
        return (dict(self.set), self.unset) == (dict(other.set), other.unset)

    def __hash__(self) -> int:
        return hash((tuple(self.set.items()), self.unset))

    def __repr__(self) -> str:
        return f"EnvPlan(set={dict(self.set)!r}, unset={self.unset!r})"

    def apply(self, environ: Mapping[str, str]) -> dict[str, str]:
        """The environment a child process gets (used by `exec`)."""
        env = {k: v for k, v in environ.items() if k not in self.unset}
        env.update(self.set)
        return env


def plan_env(
    profile: Profile,
    secrets: Mapping[str, str],
    *,
    previous_aws_profile: str | None = None,
) -> EnvPlan:
    """The variables for `profile`. `secrets` maps `api_key`/`gateway_token` to their values.

    `previous_aws_profile` is the AWS_PROFILE a previous cc-aws-tui export set, if it is still
    in the environment (see `AWS_PROFILE_MARKER`): a profile that names no AWS profile (default
    chain, API key) unsets it, since it was ours, but leaves an AWS_PROFILE the user set alone.
    """
    out: dict[str, str] = {
        USE_AWS: "1",
        WORKSPACE: profile.workspace_id,
        REGION: profile.region,
    }
    unset: list[str] = [*OTHER_PROVIDERS]

    if profile.auth == "api-key":
        out[API_KEY] = secrets["api_key"]
    else:
        unset.append(API_KEY)
    if profile.auth == "sigv4" and profile.aws_profile:
        out[AWS_PROFILE] = profile.aws_profile
        unset.extend(AWS_KEY_VARS)
    elif previous_aws_profile:
        # Ours, not the user's: left behind it would pick the credentials of a later
        # default-chain profile (sigv4 named -> api-key -> default chain).
        unset.append(AWS_PROFILE)

    if profile.base_url:
        out[BASE_URL] = profile.base_url
    if profile.gateway_signs:
        out[SKIP_AUTH] = "1"
    if profile.has_gateway_token:
        out[AUTH_TOKEN] = secrets["gateway_token"]
    for alias, var in MODEL_VARS.items():
        if profile.models.get(alias):
            out[var] = profile.models[alias]
    if profile.cache_ttl == "1h":
        out[CACHE_1H] = "1"
    out[MARKER] = profile.name
    if profile.auth == "sigv4" and profile.aws_profile:
        out[AWS_PROFILE_MARKER] = profile.aws_profile

    unset.extend(v for v in MANAGED if v not in out and v not in unset)
    return EnvPlan(set=out, unset=tuple(unset))


def plan_off(*, previous_aws_profile: str | None = None) -> EnvPlan:
    """Unset everything a profile may have set (and AWS_PROFILE if a profile set it)."""
    unset = [*MANAGED, *OTHER_PROVIDERS]
    if previous_aws_profile:
        unset.append(AWS_PROFILE)
    return EnvPlan(set={}, unset=tuple(unset))


def truthy(value: str | None) -> bool:
    """How Claude Code reads a switch: on for 1, true, yes or on (any case, spaces trimmed),
    off for anything else (observed with 2.1.328: `2` and `y` are off)."""
    return value is not None and value.strip().lower() in ("1", "true", "yes", "on")


def mask(value: str) -> str:
    """`sk-ant-…f3Qa`: enough to recognise a key, never enough to use it."""
    if len(value) < 16:
        return "…"  # too short to show any of it safely
    head = "sk-ant-" if value.startswith("sk-ant-") else ""
    return f"{head}…{value[-4:]}"


def masked_plan(plan: EnvPlan) -> EnvPlan:
    return EnvPlan(
        set={k: mask(v) if k in SECRET_VARS else v for k, v in plan.set.items()},
        unset=plan.unset,
    )
