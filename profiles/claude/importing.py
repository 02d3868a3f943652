"""Import a profile from what already configures Claude Code: a shell's environment
(`import_from_env`) or a settings file's `env` block (`import_from_settings`).

Nothing is guessed: each problem names the variable, and an import with an error saves
nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final, Literal, NamedTuple

from profiles.claude import hooks
from profiles.claude.locations import AWS_AUTH_REFRESH, locate
from profiles.claude.settings_json import SettingsError, json_type
from profiles.claude.settings_json import read as read_settings
from profiles.core import envplan
from profiles.core.envplan import (
    API_KEY,
    AUTH_TOKEN,
    AWS_KEY_VARS,
    AWS_PROFILE,
    BASE_URL,
    CACHE_1H,
    MARKER,
    MODEL_VARS,
    OTHER_PROVIDERS,
    REGION,
    SKIP_AUTH,
    USE_AWS,
    WORKSPACE,
)
from profiles.core.rules import (
    check_api_key,
    check_aws_profile,
    check_base_url,
    check_model_id,
    check_one_line,
    check_region,
    check_token,
    check_workspace_id,
)
from profiles.core.schema import SchemaError, check_consistency, profile_from_mapping


class Problem(NamedTuple):
    """Something found while importing: an `error` stops the import, a `warning` does not."""

    level: Literal["error", "warning"]
    message: str

    def __str__(self) -> str:
        return self.message


class Imported(NamedTuple):
    """A profile read from existing configuration: `data` for `ProfileModel` (without the
    name), the secrets found, and the problems. Import only when there is no error."""

    data: dict[str, Any]
    secrets: dict[str, str]
    problems: list[Problem]

    @property
    def errors(self) -> list[str]:
        return [p.message for p in self.problems if p.level == "error"]

    @property
    def warnings(self) -> list[str]:
        return [p.message for p in self.problems if p.level == "warning"]


# The variables an import understands; other ANTHROPIC_*/CLAUDE_CODE_* ones are reported.
KNOWN_VARS: Final = frozenset({*envplan.MANAGED, *OTHER_PROVIDERS, AWS_PROFILE, *AWS_KEY_VARS})
_REPORTED_PREFIXES: Final = ("ANTHROPIC_", "CLAUDE_CODE_", "ENABLE_PROMPT_CACHING")
# Which variable a profile field comes from, to name it in errors.
_VAR_OF_FIELD: Final = {
    "workspace_id": WORKSPACE,
    "region": REGION,
    "base_url": BASE_URL,
    "aws_profile": AWS_PROFILE,
    "gateway_signs": SKIP_AUTH,
    "api_key_store": API_KEY,
    "gateway_token_store": AUTH_TOKEN,
    "aws_auth_refresh": AWS_AUTH_REFRESH,
}
_HINTS: Final = {
    "ANTHROPIC_BASE_URL": "the first-party API's endpoint; Claude Platform on AWS reads"
    " ANTHROPIC_AWS_BASE_URL",
    "ANTHROPIC_API_KEY": "a first-party API key; Claude Platform on AWS reads"
    " ANTHROPIC_AWS_API_KEY",
}


def import_from_env(
    environ: Mapping[str, str],
    *,
    secret_store: str = "file",
    aws_auth_refresh: str | None = None,
    source: str = "the environment",
    report_all_unknown: bool = False,
) -> Imported:
    """Read a profile from environment variables (a shell's, or a settings file's `env`).

    Auth: `ANTHROPIC_AWS_API_KEY` makes an api-key profile; otherwise sigv4 with `AWS_PROFILE`
    or, without it, the default credential chain. Nothing is guessed: a missing switch,
    workspace or region, another provider switched on, raw AWS keys, or a value that breaks a
    rule is an error naming the variable; variables an import does not use are warnings.
    `secret_store` is where found secrets will go (file or keyring).
    `report_all_unknown`: report every unused variable, not just ANTHROPIC_*/CLAUDE_CODE_*
    ones (a settings `env` block is Claude Code's alone, a shell's is everyone's).
    """
    problems: list[Problem] = []

    def error(message: str) -> None:
        problems.append(Problem("error", message))

    def warn(message: str) -> None:
        problems.append(Problem("warning", message))

    def get(var: str) -> str | None:
        value = environ.get(var)
        return value if value else None  # an empty value sets nothing

    def checked(var: str, check: Any) -> str | None:
        value = get(var)
        if value is None:
            return None
        try:
            return str(check(value))
        except ValueError as exc:
            error(f"{var}: {exc}")
            return None

    switch = environ.get(USE_AWS)
    if switch is None:
        error(
            f"{USE_AWS} is not set in {source}: this is not a Claude Platform on AWS setup"
            " (Claude Code would use api.anthropic.com)"
        )
    elif not envplan.truthy(switch):
        error(
            f"{USE_AWS}={switch!r} is not a true value in {source}: Claude Platform on AWS is off"
        )
    for other in OTHER_PROVIDERS:
        if envplan.truthy(environ.get(other)):
            error(
                f"{other} is set in {source}: it wins over Claude Platform on AWS; unset it first"
            )
        elif environ.get(other):  # "" is how `apply` switches one off: nothing to say
            warn(f"{other}={environ[other]!r} is off: not imported (a profile always unsets it)")

    data: dict[str, Any] = {}
    secrets: dict[str, str] = {}
    if get(WORKSPACE) is None:
        error(f"{WORKSPACE} is not set in {source}: Claude Code needs the workspace ID")
    else:
        data["workspace_id"] = checked(WORKSPACE, check_workspace_id)
    if get(REGION) is None:
        hint = (
            f" (AWS_DEFAULT_REGION={environ['AWS_DEFAULT_REGION']!r} is set, but Claude Code"
            " reads AWS_REGION)"
            if environ.get("AWS_DEFAULT_REGION")
            else ""
        )
        error(f"{REGION} is not set in {source}: set it to the workspace's region{hint}")
    else:
        data["region"] = checked(REGION, check_region)

    raw_keys = [v for v in AWS_KEY_VARS if get(v)]
    skip = environ.get(SKIP_AUTH)
    if get(API_KEY) is not None:
        data["auth"] = "api-key"
        key = checked(API_KEY, check_api_key)
        if key is not None:
            secrets["api_key"] = key
            data["api_key_store"] = secret_store
        if get(AWS_PROFILE):
            warn(f"{AWS_PROFILE} is not imported: with an API key, AWS credentials are ignored")
        if raw_keys:
            warn(f"{', '.join(raw_keys)}: not imported (raw AWS keys never are; a key wins anyway)")
        if envplan.truthy(skip):
            error(
                f"{SKIP_AUTH} and {API_KEY} contradict each other: a gateway signs requests"
                " only for a sigv4 setup"
            )
    else:
        data["auth"] = "sigv4"
        aws_profile = checked(AWS_PROFILE, check_aws_profile)
        if aws_profile is not None:
            data["aws_profile"] = aws_profile
        if raw_keys:
            error(
                f"{', '.join(raw_keys)} set in {source}: raw AWS keys are not imported; put them"
                " in an AWS profile (aws configure --profile NAME) and import with"
                " AWS_PROFILE=NAME, or unset them to use the default credential chain"
            )
        if envplan.truthy(skip):
            data["gateway_signs"] = True
    base_url = checked(BASE_URL, check_base_url)
    if base_url is not None:
        data["base_url"] = base_url
    token = checked(AUTH_TOKEN, check_token)
    if token is not None:
        secrets["gateway_token"] = token
        data["gateway_token_store"] = secret_store
    models: dict[str, str] = {}
    for alias, var in MODEL_VARS.items():
        pin = checked(var, check_model_id)
        if pin is not None:
            models[alias] = pin
    if models:
        data["models"] = models
    cache = environ.get(CACHE_1H)
    data["cache_ttl"] = "1h" if envplan.truthy(cache) else "5m"
    if aws_auth_refresh is not None:
        try:
            data["aws_auth_refresh"] = check_one_line(aws_auth_refresh, "awsAuthRefresh")
        except ValueError as exc:
            error(f"{AWS_AUTH_REFRESH}: {exc}")
    if get(MARKER):
        warn(f"{MARKER}={environ[MARKER]!r}: this was exported from that cc-aws-tui profile")

    for var in environ:
        if var in KNOWN_VARS or not (report_all_unknown or var.startswith(_REPORTED_PREFIXES)):
            continue
        hint = f" ({_HINTS[var]})" if var in _HINTS else ""
        warn(f"{var} is not imported: not a Claude Platform on AWS setting of cc-aws-tui{hint}")

    if not any(p.level == "error" for p in problems):
        _check_cross_field(data, error)
    return Imported(data, secrets, problems)


def _check_cross_field(data: Mapping[str, Any], error: Any) -> None:
    """The profile rules that tie fields together, reported by variable name."""
    body = {k: v for k, v in data.items() if v is not None}
    try:
        profile = profile_from_mapping("imported", body)
        check_consistency(profile)
    except SchemaError as exc:
        field_name = exc.path.rpartition(".")[2]
        where = _VAR_OF_FIELD.get(field_name, field_name)
        error(f"{where}: {exc.message}")


def import_from_settings(
    scope: str, *, cwd: Path | None = None, secret_store: str = "file"
) -> Imported:
    """Read a profile from the `env` block and `awsAuthRefresh` of a settings file."""
    loc = locate(scope, cwd)
    current = read_settings(loc.path)
    if not current.exists:
        raise SettingsError(f"{loc.path}: no such file ({scope} settings)")
    env_block = current.data.get("env") or {}
    problems: list[Problem] = [Problem("warning", loc.note)] if loc.note else []
    env: dict[str, str] = {}
    for var, value in env_block.items():
        if isinstance(value, str):
            env[var] = value
        else:
            problems.append(
                Problem("error", f"env.{var} in {loc.path} is {json_type(value)}, not a string")
            )
    refresh = current.data.get(AWS_AUTH_REFRESH)
    if refresh is not None and not isinstance(refresh, str):
        problems.append(Problem("error", f"awsAuthRefresh in {loc.path} is not a string"))
        refresh = None
    if hooks.profile_of(refresh, "login") is not None:
        refresh = None  # ours: `apply` writes it again for an isolated SSO profile
    export = current.data.get(hooks.AWS_CREDENTIAL_EXPORT)
    if export is not None:
        problems.append(_isolated_aws_profile(export, env, loc.path))
    got = import_from_env(
        env,
        secret_store=secret_store,
        aws_auth_refresh=refresh,
        source=f"{loc.path}",
        report_all_unknown=True,
    )
    command = got.data.get("aws_auth_refresh")
    if command:  # a settings file is as foreign as a team file: say what will run
        got.problems.append(
            Problem("warning", f"Claude Code will run this when AWS credentials expire: {command}")
        )
    return Imported(got.data, got.secrets, problems + got.problems)


def _isolated_aws_profile(export: object, env: dict[str, str], path: Path) -> Problem:
    """An isolated apply: the AWS profile is the one of the cc-aws-tui profile whose
    `credentials` Claude Code runs. Sets it in `env`; says where it came from."""
    from profiles.store.files import ConfigError, read_doc

    name = hooks.profile_of(export if isinstance(export, str) else None, "credentials")
    if name is None:
        return Problem(
            "error",
            f"awsCredentialExport in {path} runs a command of its own: cc-aws-tui cannot tell"
            " which AWS profile it signs with (import from an `apply --credentials env` file)",
        )
    try:
        saved = read_doc().profiles.get(name)
    except ConfigError as exc:
        return Problem("error", str(exc))
    if saved is None or not saved.aws_profile:
        return Problem(
            "error",
            f"awsCredentialExport in {path} runs `cc-aws-tui credentials {name}`, and there is no"
            f" saved profile {name!r} with an AWS profile to take it from",
        )
    env.setdefault("AWS_PROFILE", saved.aws_profile)
    return Problem(
        "warning",
        f"AWS profile {saved.aws_profile} from cc-aws-tui profile {name!r}"
        " (awsCredentialExport: Claude Code gets its credentials through cc-aws-tui)",
    )
