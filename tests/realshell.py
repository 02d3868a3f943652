"""Real shells for the round-trip tests: which shells, how to run rendered code in one and read
the environment back (`env -0`), a reference model of the rules in `shared/platform-facts.md`
and issue 2 (written out by hand, independently of `profiles/core/envplan.py`), the profile
shapes, and how to create them through the real CLI. Plain helpers, imported by name; the
`template_config` and `cli_config` fixtures are in tests/cli/conftest.py."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

from profiles.core import envplan
from profiles.core.envplan import EnvPlan, plan_env
from profiles.core.schema import Profile

ROOT = Path(__file__).resolve().parent.parent
POSIX_SHELLS = ("bash", "dash", "zsh")
ALL_SHELLS = (*POSIX_SHELLS, "fish")
# No rc files, no job control: the shell as `eval` inside a user's rc would see it.
SHELL_FLAGS: Mapping[str, tuple[str, ...]] = {
    "bash": ("--norc", "--noprofile"),
    "dash": (),
    "zsh": ("-f",),
    "fish": ("--no-config",),
}
TIMEOUT = 120


class Skipped(pytest.skip.Exception):  # type: ignore[misc,name-defined]
    """pytest's skip, whose reason stays "NAME is not installed". Hypothesis adds a note
    ("Failing explicit example: ...") to whatever an `@example` raises, and pytest prints
    the notes in the skip reason: this skip keeps none. Named and placed as pytest's own
    (`builtins.Skipped`), so the reason prints as pytest prints it."""

    __module__ = "builtins"

    @property  # type: ignore[misc]
    def __notes__(self) -> list[str]:
        return []

    @__notes__.setter
    def __notes__(self, value: list[str]) -> None:
        pass


def require_shell(name: str) -> str:
    """The shell's path; a missing shell skips locally but fails in CI (`.ci/run` installs it)."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}, but CI must have it (see .ci/run)")
        raise Skipped(message)
    return path


# --- the rules, written out independently of profiles/core/envplan.py ---------------------------

USE_AWS = "CLAUDE_CODE_USE_ANTHROPIC_AWS"
WORKSPACE = "ANTHROPIC_AWS_WORKSPACE_ID"
REGION = "AWS_REGION"
BASE_URL = "ANTHROPIC_AWS_BASE_URL"
API_KEY = "ANTHROPIC_AWS_API_KEY"
SKIP_AUTH = "CLAUDE_CODE_SKIP_ANTHROPIC_AWS_AUTH"
AUTH_TOKEN = "ANTHROPIC_AUTH_TOKEN"
CACHE_1H = "ENABLE_PROMPT_CACHING_1H"
MARKER = "CC_AWS_TUI_PROFILE"
AWS_PROFILE_MARKER = "CC_AWS_TUI_AWS_PROFILE"  # the AWS_PROFILE cc-aws-tui set
AWS_PROFILE = "AWS_PROFILE"
MODEL_VARS = {
    a: f"ANTHROPIC_DEFAULT_{a.upper()}_MODEL" for a in ("fable", "opus", "sonnet", "haiku")
}
SPEC_MANAGED = (
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
OTHER_PROVIDERS = ("CLAUDE_CODE_USE_BEDROCK", "CLAUDE_CODE_USE_FOUNDRY")
AWS_KEYS = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")
# Everything whose value changes which endpoint, account or credentials Claude Code uses.
RELEVANT = tuple(
    sorted({*SPEC_MANAGED, *envplan.MANAGED, AWS_PROFILE, *AWS_KEYS, *OTHER_PROVIDERS})
)

# A shell that has seen other providers, another cc-aws-tui version, stale keys and pins.
POLLUTED: Mapping[str, str] = {
    "CLAUDE_CODE_USE_BEDROCK": "1",
    "CLAUDE_CODE_USE_FOUNDRY": "1",
    USE_AWS: "0",
    API_KEY: "sk-ant-api03-STALE-stale-stale-0000",
    "AWS_ACCESS_KEY_ID": "AKIASTALESTALESTALE0",
    "AWS_SECRET_ACCESS_KEY": "stale/secret+key",
    "AWS_SESSION_TOKEN": "stale-session-token",
    AWS_PROFILE: "users-own",
    REGION: "eu-central-1",
    WORKSPACE: "wrkspc_STALE",
    BASE_URL: "https://stale.example.com",
    AUTH_TOKEN: "stale-gateway-token",
    SKIP_AUTH: "1",
    MODEL_VARS["haiku"]: "claude-haiku-3",
    MODEL_VARS["opus"]: "claude-opus-4-1",
    CACHE_1H: "1",
    MARKER: "from-another-shell",
}


@dataclass(frozen=True)
class Model:
    """The expected shell state: its environment, and the AWS_PROFILE cc-aws-tui put there."""

    env: Mapping[str, str]
    ours: str | None = None


def model_export(state: Model, p: Profile, secrets: Mapping[str, str]) -> Model:
    env = {k: v for k, v in state.env.items() if k not in SPEC_MANAGED + OTHER_PROVIDERS}
    ours = state.ours if state.ours and state.env.get(AWS_PROFILE) == state.ours else None
    env.update({USE_AWS: "1", WORKSPACE: p.workspace_id, REGION: p.region, MARKER: p.name})
    if p.auth == "api-key":
        env[API_KEY] = secrets["api_key"]  # the key wins; the user's AWS_* stay for AWS tools
    if p.auth == "sigv4" and p.aws_profile:
        env[AWS_PROFILE] = p.aws_profile
        env[AWS_PROFILE_MARKER] = p.aws_profile
        for var in AWS_KEYS:
            env.pop(var, None)
        ours = p.aws_profile
    else:  # default chain or key: drop only an AWS_PROFILE cc-aws-tui set, never the user's
        if ours is not None:
            env.pop(AWS_PROFILE, None)
        ours = None
    if p.base_url:
        env[BASE_URL] = p.base_url
    if p.gateway_signs:
        env[SKIP_AUTH] = "1"
    if p.gateway_token_store:
        env[AUTH_TOKEN] = secrets["gateway_token"]
    for alias, var in MODEL_VARS.items():
        if p.models.get(alias):
            env[var] = p.models[alias]
    if p.cache_ttl == "1h":
        env[CACHE_1H] = "1"
    return Model(env, ours)


def model_off(state: Model) -> Model:
    env = {k: v for k, v in state.env.items() if k not in SPEC_MANAGED + OTHER_PROVIDERS}
    if state.ours and env.get(AWS_PROFILE) == state.ours:
        del env[AWS_PROFILE]
    return Model(env, None)


def relevant(env: Mapping[str, str]) -> dict[str, str]:
    return {k: env[k] for k in RELEVANT if k in env}


# --- profile shapes ---------------------------------------------------------------------------

WS = "wrkspc_01AbCdEf23GhIj"
KEY_A = "sk-ant-api03-Zx9_yW8-vU7tS6rQ5pO4nM3lK2jI1hG0fE-dCbA"
KEY_B = "sk-ant-api03-another_KEY-for-the-1h-profile-0042"
TOKEN = "gw-token_3f9a.b2c1/ZZ+=="

SHAPES: dict[str, Profile] = {
    p.name: p
    for p in (
        Profile("sigv4-named", "sigv4", WS, "us-east-1", aws_profile="dev-sso"),
        Profile("sigv4-chain", "sigv4", WS, "eu-west-3"),
        Profile("api-key", "api-key", WS, "us-west-2", api_key_store="file"),
        Profile(
            "gateway-signs",
            "sigv4",
            WS,
            "ap-southeast-2",
            base_url="https://gateway.example.com/claude",
            gateway_signs=True,
        ),
        Profile(
            "gateway-token",
            "sigv4",
            WS,
            "us-gov-west-1",
            aws_profile="gw.profile_1",
            base_url="http://127.0.0.1:8080",
            gateway_token_store="file",
        ),
        Profile(
            "pinned",
            "sigv4",
            WS,
            "eu-north-1",
            aws_profile="prod",
            models={
                "fable": "claude-fable-5",
                "opus": "claude-opus-4-8",
                "sonnet": "claude-sonnet-5",
                "haiku": "claude-haiku-4-5",
            },
        ),
        Profile("ttl-1h", "api-key", WS, "us-east-2", api_key_store="file", cache_ttl="1h"),
        Profile("bare", "sigv4", "wrkspc_9", "ca-central-1"),
    )
}
SECRETS: dict[str, dict[str, str]] = {
    "api-key": {"api_key": KEY_A},
    "gateway-token": {"gateway_token": TOKEN},
    "ttl-1h": {"api_key": KEY_B},
}
NAMES = tuple(SHAPES)
# A profile whose secret command fails at export time (error path); not one of the shapes.
FAILING = "failing-secret"


def secrets_of(name: str) -> dict[str, str]:
    return SECRETS.get(name, {})


def plan_of(name: str, previous_aws_profile: str | None = None) -> EnvPlan:
    return plan_env(SHAPES[name], secrets_of(name), previous_aws_profile=previous_aws_profile)


def expected_after(names: Iterable[str], start: Mapping[str, str] = POLLUTED) -> Model:
    state = Model(dict(start))
    for name in names:
        state = model_export(state, SHAPES[name], secrets_of(name))
    return state


# --- running shells -------------------------------------------------------------------------


def shell_environ(
    extra: Mapping[str, str] = POLLUTED, base: Mapping[str, str] | None = None
) -> dict[str, str]:
    """os.environ as the autouse fixture left it (no real AWS/Claude variables), plus `extra`."""
    env = dict(os.environ if base is None else base)
    for name in ("BASH_ENV", "ENV", "ZDOTDIR", "CDPATH", "GLOBIGNORE"):
        env.pop(name, None)
    env["LC_ALL"] = "C.UTF-8"  # fish decodes its input by the locale
    env.update(extra)
    return env


def run_shell(
    shell: str,
    script: str,
    *args: str,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[bytes]:
    exe = require_shell(shell)
    argv = [exe, *SHELL_FLAGS[shell], "-c", script]
    if args:
        # posix shells take $0 first; fish puts them all in $argv.
        argv += list(args) if shell == "fish" else [shell, *args]
    return subprocess.run(
        argv,
        env=dict(shell_environ() if env is None else env),
        cwd=cwd,
        capture_output=True,
        timeout=TIMEOUT,
        check=False,
    )


def parse_env0(data: bytes) -> dict[str, str]:
    env: dict[str, str] = {}
    for item in data.split(b"\0"):
        if item:
            key, _, value = item.decode("utf-8", "surrogateescape").partition("=")
            env[key] = value
    return env


def dump_file(path: Path) -> dict[str, str]:
    assert path.exists(), f"{path.name} was never written: the shell did not get that far"
    return parse_env0(path.read_bytes())


def eval_in_shell(shell: str, code: str, tmp: Path, *, quoted: bool = True) -> dict[str, str]:
    """Evaluate `code` the way a user does in `shell`, in a polluted env; the env afterwards."""
    file = tmp / f"code-{shell}.txt"
    file.write_bytes(code.encode("utf-8", "surrogateescape"))
    if shell == "fish":
        script = "cat $argv[1] | source; or exit 3; env -0"
    elif quoted:
        script = 'eval "$(cat "$1")" || exit 3; env -0'
    else:
        script = 'eval $(cat "$1") || exit 3; env -0'
    proc = run_shell(shell, script, str(file))
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stderr == b"", proc.stderr.decode()
    return parse_env0(proc.stdout)


# --- the CLI: profiles created with `cc-aws-tui add` ------------------------------------------

CLEARED_PREFIXES = ("AWS_", "ANTHROPIC_", "CLAUDE_CODE_", "CC_AWS_TUI_")


def isolated_base(root: Path) -> dict[str, str]:
    """What tests/conftest.py's autouse fixture builds, for module-scoped fixtures."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(CLEARED_PREFIXES)
        and k not in {"ENABLE_PROMPT_CACHING_1H", "PYTHON_KEYRING_BACKEND", "XDG_CONFIG_HOME"}
    }
    home = root / "home"
    (home / ".aws").mkdir(parents=True, exist_ok=True)
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        AWS_CONFIG_FILE=str(home / ".aws" / "config"),
        AWS_SHARED_CREDENTIALS_FILE=str(home / ".aws" / "credentials"),
        CC_AWS_TUI_CONFIG_DIR=str(root / "cc-aws-tui"),
        PYTHONPATH=str(ROOT),
    )
    return env


def add_argv(p: Profile) -> tuple[list[str], str]:
    """`cc-aws-tui add` arguments and stdin that create `p`."""
    argv = ["cc-aws-tui", "add", p.name, "--auth", p.auth, "--workspace", p.workspace_id]
    argv += ["--region", p.region]
    lines: list[str] = []
    if p.aws_profile:
        argv += ["--aws-profile", p.aws_profile]
    if p.base_url:
        argv += ["--base-url", p.base_url]
    if p.gateway_signs:
        argv.append("--gateway-signs")
    if p.api_key_store:
        argv.append("--api-key-stdin")
        lines.append(secrets_of(p.name)["api_key"])
    if p.gateway_token_store:
        argv.append("--gateway-token-stdin")
        lines.append(secrets_of(p.name)["gateway_token"])
    for alias, model in p.models.items():
        argv += [f"--{alias}", model]
    if p.cache_ttl != "5m":
        argv += ["--cache-ttl", p.cache_ttl]
    return argv, "".join(f"{line}\n" for line in lines)
