"""How Claude Code resolves its configuration: the one model `apply`, `validate`, `status` and
the TUI use.

Everything here was observed on the wire with the real client (2.1.328, see
`shared/platform-facts.md` and tests/realclient), not guessed:

* Layers, highest first: managed settings, `--settings` on the command line, local, project,
  user settings, then the shell. A settings file's `env` beats the shell; a variable that no
  settings layer names comes from the shell. A variable set to `""` counts as unset, and a
  `""` in a higher layer hides the shell's value: that is how `apply` switches off what the
  shell holds.
* Switches are on for `1`, `true`, `yes`, `on` (any case, spaces trimmed) and off otherwise.
* Provider: Bedrock, then Foundry, win over Claude Platform on AWS; without
  `CLAUDE_CODE_USE_ANTHROPIC_AWS` on, the client uses the Anthropic API.
* Region (the SigV4 signing region and the default endpoint's): `AWS_REGION`, else
  `AWS_DEFAULT_REGION`, else the `region` of the AWS profile in use (`AWS_PROFILE`, else
  `default`) in the AWS config files, else `us-east-1`.
* Endpoint: `ANTHROPIC_AWS_BASE_URL`, else `https://aws-external-anthropic.{region}.api.aws`.
* Auth: a workspace key (`ANTHROPIC_AWS_API_KEY`) beats SigV4; else
  `CLAUDE_CODE_SKIP_ANTHROPIC_AWS_AUTH` sends unsigned; else SigV4 with the JavaScript SDK's
  chain: a settings `awsCredentialExport`, then `AWS_PROFILE` (it beats the key variables),
  then `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`, then the `default` profile, then the
  container or instance role.

Pure but for `layers_here`, which reads the settings files (and `region_of`, the AWS files).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from profiles.core import envplan
from profiles.core.envplan import truthy
from profiles.core.rules import default_base_url

PLATFORM: Final = "Claude Platform on AWS"
BEDROCK: Final = "Amazon Bedrock"
FOUNDRY: Final = "Microsoft Foundry"
ANTHROPIC_API: Final = "the Anthropic API"
DEFAULT_REGION: Final = "us-east-1"
DEFAULT_REGION_VAR: Final = "AWS_DEFAULT_REGION"
AWS_CREDENTIAL_EXPORT: Final = "awsCredentialExport"
# In precedence order: the first switched on wins.
PROVIDER_SWITCHES: Final = (
    ("CLAUDE_CODE_USE_BEDROCK", BEDROCK),
    ("CLAUDE_CODE_USE_FOUNDRY", FOUNDRY),
    (envplan.USE_AWS, PLATFORM),
)
SHELL: Final = "shell"
COMMAND_LINE: Final = "command line"


@dataclass(frozen=True, slots=True)
class Layer:
    """One source of configuration: a settings file, `--settings`, or the shell."""

    name: str  # managed, command line, local, project, user, shell
    env: Mapping[str, str]
    path: Path | None = None
    aws_credential_export: str | None = None
    aws_auth_refresh: str | None = None
    error: str | None = None  # a settings file that does not parse sets nothing

    @property
    def label(self) -> str:
        if self.name == SHELL:
            return "the shell environment"
        if self.name == COMMAND_LINE:
            return "--settings on the command line"
        return f"{self.name} settings ({self.path})"

    @property
    def is_settings(self) -> bool:
        return self.name != SHELL


@dataclass(frozen=True, slots=True)
class Setting:
    """A variable as Claude Code sees it: the layer that wins, and the lower ones it hides."""

    var: str
    raw: str
    layer: Layer
    shadowed: tuple[tuple[Layer, str], ...] = ()

    @property
    def value(self) -> str | None:
        """What the client reads: `""` is unset."""
        return self.raw or None


@dataclass(frozen=True)
class Credentials:
    """Where SigV4 credentials come from, by the JavaScript SDK's chain."""

    kind: str  # "awsCredentialExport", "profile", "environment", "default profile"
    profile: str | None = None  # the AWS profile read, for "profile" and "default profile"
    source: Layer | None = None  # the layer that decided it

    def describe(self) -> str:
        label = self.source.label if self.source is not None else None
        if self.kind == AWS_CREDENTIAL_EXPORT:
            return f"the credentials awsCredentialExport prints (from {label})"
        if self.kind == "profile":
            return f"AWS profile {self.profile} (AWS_PROFILE in {label})"
        if self.kind == "environment":
            return f"AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (in {label})"
        return "the AWS profile default (nothing names another)"


@dataclass(frozen=True)
class Resolved:
    """What a Claude Code session started with these layers would do."""

    layers: tuple[Layer, ...]
    settings: Mapping[str, Setting]
    provider: str
    provider_setting: Setting | None
    region: str | None = None
    region_from: str | None = None
    base_url: str | None = None
    auth: str | None = None  # "api-key", "unsigned", "sigv4"; None off the platform
    credentials: Credentials | None = None
    gateway_token: bool = False
    models: Mapping[str, str] = field(default_factory=dict)
    cache_ttl: str | None = None
    aws_auth_refresh: tuple[str, Layer] | None = None
    problems: tuple[str, ...] = ()
    """What could not be read on the way (e.g. an AWS config file), one line each."""

    @property
    def on_platform(self) -> bool:
        return self.provider == PLATFORM

    def setting(self, var: str) -> Setting | None:
        return self.settings.get(var)

    def get(self, var: str) -> str | None:
        found = self.settings.get(var)
        return found.value if found is not None else None

    @property
    def workspace(self) -> str | None:
        return self.get(envplan.WORKSPACE)

    def environ(self) -> dict[str, str]:
        """The process environment the client ends up with (`""` entries dropped). Unmasked:
        for running checks as the client would, never for display."""
        return {var: s.raw for var, s in self.settings.items() if s.raw}


def _merge(layers: Sequence[Layer]) -> dict[str, Setting]:
    out: dict[str, Setting] = {}
    usable = [layer for layer in layers if layer.error is None]
    names: dict[str, None] = {}
    for layer in usable:
        names.update(dict.fromkeys(layer.env))
    for var in names:
        hits = [(layer, layer.env[var]) for layer in usable if var in layer.env]
        (layer, raw), *rest = hits
        out[var] = Setting(var, raw, layer, tuple(rest))
    return out


RegionOf = Callable[[str, Mapping[str, str]], str | None]


def region_of(aws_profile: str, environ: Mapping[str, str]) -> str | None:
    """The `region` of an AWS profile in the AWS config files, as the client reads them
    (`AWS_CONFIG_FILE`/`AWS_SHARED_CREDENTIALS_FILE` from `environ`); None when unset.
    A file that cannot be read raises `AwsConfigError` (a ValueError) naming it."""
    from profiles.aws.profiles import discover_aws_profiles

    def given(var: str) -> Path | None:
        return Path(environ[var]).expanduser() if environ.get(var) else None

    found = discover_aws_profiles(given("AWS_CONFIG_FILE"), given("AWS_SHARED_CREDENTIALS_FILE"))
    return next((p.region for p in found if p.name == aws_profile), None)


def resolve(layers: Sequence[Layer], *, region_of: RegionOf = region_of) -> Resolved:
    """What the client does with `layers` (highest first, the shell last)."""
    layers = tuple(layers)
    settings = _merge(layers)

    def value(var: str) -> str | None:
        found = settings.get(var)
        return found.value if found is not None else None

    provider, switch = ANTHROPIC_API, None
    for var, name in PROVIDER_SWITCHES:
        if truthy(value(var)):
            provider, switch = name, settings[var]
            break
    if provider != PLATFORM:
        return Resolved(layers, settings, provider, switch)

    environ = {var: s.raw for var, s in settings.items() if s.raw}
    aws_profile = value(envplan.AWS_PROFILE)
    problems: list[str] = []
    if value(envplan.REGION):
        region = value(envplan.REGION)
        region_from = f"AWS_REGION in {settings[envplan.REGION].layer.label}"
    elif value(DEFAULT_REGION_VAR):
        region = value(DEFAULT_REGION_VAR)
        region_from = f"AWS_DEFAULT_REGION in {settings[DEFAULT_REGION_VAR].layer.label}"
    elif found := _region_of(region_of, aws_profile or "default", environ, problems):
        region, region_from = found, f"[profile {aws_profile or 'default'}] in the AWS config"
    else:
        region, region_from = DEFAULT_REGION, "the client's default (nothing sets a region)"
    base_url = value(envplan.BASE_URL) or default_base_url(region or DEFAULT_REGION)

    credentials = None
    if value(envplan.API_KEY):
        auth = "api-key"
    elif truthy(value(envplan.SKIP_AUTH)):
        auth = "unsigned"
    else:
        auth = "sigv4"
        credentials = _credentials(layers, settings)
    refresh = next(
        ((layer.aws_auth_refresh, layer) for layer in layers if layer.aws_auth_refresh), None
    )
    models = {a: v for a, var in envplan.MODEL_VARS.items() if (v := value(var))}
    return Resolved(
        layers,
        settings,
        provider,
        switch,
        region=region,
        region_from=region_from,
        base_url=base_url,
        auth=auth,
        credentials=credentials,
        gateway_token=bool(value(envplan.AUTH_TOKEN)),
        models=models,
        cache_ttl="1h" if truthy(value(envplan.CACHE_1H)) else "5m",
        aws_auth_refresh=refresh,
        problems=tuple(problems),
    )


def _region_of(
    lookup: RegionOf, name: str, environ: Mapping[str, str], problems: list[str]
) -> str | None:
    try:
        return lookup(name, environ)
    except ValueError as exc:  # AwsConfigError: a file that cannot be read, named
        problems.append(f"cannot read the AWS config, so no region from it: {exc}")
        return None


def _credentials(layers: Sequence[Layer], settings: Mapping[str, Setting]) -> Credentials:
    for layer in layers:
        if layer.error is None and layer.aws_credential_export:
            return Credentials(AWS_CREDENTIAL_EXPORT, source=layer)
    profile = settings.get(envplan.AWS_PROFILE)
    if profile is not None and profile.value:
        return Credentials("profile", profile.value, profile.layer)
    key_id = settings.get("AWS_ACCESS_KEY_ID")
    secret = settings.get("AWS_SECRET_ACCESS_KEY")
    if key_id is not None and key_id.value and secret is not None and secret.value:
        return Credentials("environment", source=key_id.layer)
    return Credentials("default profile", "default")


def settings_layers(
    cwd: Path | None = None,
    *,
    command_line: Mapping[str, object] | None = None,
    managed_path: Path | None = None,
) -> list[Layer]:
    """The settings layers Claude Code started in `cwd` would read, highest first.

    `command_line` is a `--settings` JSON object (as `cc-aws-tui claude` passes one)."""
    from profiles.claude.sources import settings_sources, source_of

    found = settings_sources(cwd, managed_path=managed_path)
    out = [
        Layer(s.scope, s.env, s.path, s.aws_credential_export, s.aws_auth_refresh, s.error)
        for s in found
        if s.scope == "managed"
    ]
    if command_line is not None:
        given = source_of(COMMAND_LINE, Path("--settings"), command_line)
        out.append(
            Layer(
                COMMAND_LINE,
                given.env,
                aws_credential_export=given.aws_credential_export,
                aws_auth_refresh=given.aws_auth_refresh,
            )
        )
    out += [
        Layer(s.scope, s.env, s.path, s.aws_credential_export, s.aws_auth_refresh, s.error)
        for s in found
        if s.scope != "managed"
    ]
    return out


def layers_here(
    environ: Mapping[str, str],
    cwd: Path | None = None,
    *,
    command_line: Mapping[str, object] | None = None,
    managed_path: Path | None = None,
) -> list[Layer]:
    """Every layer a session started here would read: the settings files, then `environ`."""
    layers = settings_layers(cwd, command_line=command_line, managed_path=managed_path)
    return [*layers, Layer(SHELL, dict(environ))]


def with_shell(layers: Sequence[Layer], environ: Mapping[str, str]) -> list[Layer]:
    """`layers` with the shell layer replaced by `environ` (e.g. after an export)."""
    return [*(layer for layer in layers if layer.is_settings), Layer(SHELL, dict(environ))]


# What `apply` writes as "" when the profile does not use it: each would otherwise come from
# the shell and change where requests go or how they are signed (verified with the real
# client, tests/realclient). Not AWS_PROFILE and the AWS key variables: a profile on the
# default chain takes them from the shell by design, and for one that names an AWS profile the
# client's chain already prefers AWS_PROFILE.
BLANKABLE: Final = frozenset(
    {
        *envplan.OTHER_PROVIDERS,
        envplan.API_KEY,
        envplan.BASE_URL,
        envplan.SKIP_AUTH,
        envplan.AUTH_TOKEN,
        *envplan.MODEL_VARS.values(),
        envplan.CACHE_1H,
    }
)


def blanks_for(unset: Sequence[str]) -> tuple[str, ...]:
    """Of the variables a profile unsets, those a settings file must set to `""` to win over
    whatever the shell holds."""
    return tuple(var for var in unset if var in BLANKABLE)
