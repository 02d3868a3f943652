"""Round trips through real shells: what `export`, `off` and `ccaws` leave in the environment.

Every test evaluates rendered shell code in bash, dash, zsh or fish (never a simulation), dumps
the environment from inside the shell with `env -0`, and compares the variables Claude Code and
the AWS SDK read against a reference model of the rules in `shared/platform-facts.md` and
issue 2 (written out here by hand, independently of `profiles/core/envplan.py`).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from profiles.cli import shellinit
from profiles.core import envplan, shellcode
from profiles.core.envplan import EnvPlan, plan_env, plan_off
from profiles.core.schema import Profile
from profiles.core.shellcode import format_plan

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


def require_shell(name: str) -> str:
    """The shell's path; a missing shell skips locally but fails in CI (`.ci/run` installs it)."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}, but CI must have it (see .ci/run)")
        pytest.skip(message)
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


@pytest.fixture(scope="module")
def template_config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A config dir holding every shape (plus FAILING), created through the real CLI once."""
    if shutil.which("cc-aws-tui") is None:
        pytest.fail("the cc-aws-tui console script is not on PATH (pip install -e .)")
    root = tmp_path_factory.mktemp("template")
    env = isolated_base(root)
    jobs = [add_argv(p) for p in SHAPES.values()]
    jobs.append(
        (
            [
                "cc-aws-tui",
                "add",
                FAILING,
                "--auth",
                "api-key",
                "--workspace",
                "wrkspc_1",
                "--region",
                "us-east-1",
                "--api-key-command",
                "false",
            ],
            "",
        )
    )

    def add(job: tuple[list[str], str]) -> subprocess.CompletedProcess[str]:
        argv, stdin = job
        return subprocess.run(
            argv, input=stdin, env=env, capture_output=True, text=True, timeout=TIMEOUT
        )

    with ThreadPoolExecutor(max_workers=2) as pool:
        for job, proc in zip(jobs, pool.map(add, jobs), strict=True):
            assert proc.returncode == 0, f"{job[0]}: {proc.stderr}"
            assert proc.stdout == ""
    return root / "cc-aws-tui"


@pytest.fixture
def cli_config(template_config: Path, config_dir: Path) -> Path:
    """A private copy of the template, where the autouse fixture points CC_AWS_TUI_CONFIG_DIR."""
    shutil.copytree(template_config, config_dir)
    return config_dir


# === 1. every shape, every shell, polluted environment =====================================


def test_reference_model_names_what_render_manages() -> None:
    assert set(envplan.MANAGED) == set(SPEC_MANAGED)
    assert set(envplan.OTHER_PROVIDERS) == set(OTHER_PROVIDERS)
    assert set(envplan.AWS_KEY_VARS) == set(AWS_KEYS)


@pytest.mark.parametrize("name", NAMES)
def test_plan_matches_reference_model(name: str) -> None:
    plan = plan_of(name)
    assert relevant(plan.apply(POLLUTED)) == relevant(expected_after([name]).env)
    assert not set(plan.set) & set(plan.unset)
    assert set(OTHER_PROVIDERS) <= set(plan.unset)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("shell", ALL_SHELLS)
def test_export_round_trip(shell: str, name: str, tmp_path: Path) -> None:
    plan = plan_of(name)
    code = format_plan(plan, "fish" if shell == "fish" else "posix")
    got = relevant(eval_in_shell(shell, code, tmp_path))

    assert got == relevant(expected_after([name]).env)
    for var, value in plan.set.items():
        assert got.get(var) == value, var
    for var in plan.unset:
        assert var not in got, var
    assert not set(got) & set(OTHER_PROVIDERS)
    profile = SHAPES[name]
    if profile.auth == "sigv4":
        assert API_KEY not in got  # a stale key would win over SigV4
    if profile.aws_profile:
        assert got[AWS_PROFILE] == profile.aws_profile
        assert not set(got) & set(AWS_KEYS)  # keys beat AWS_PROFILE in the chain
    else:  # default chain and api-key: every AWS_* but AWS_REGION untouched
        for var in (*AWS_KEYS, AWS_PROFILE):
            assert got[var] == POLLUTED[var], var
    assert got[REGION] == profile.region
    assert got[MARKER] == name


# === 2. eval "$(...)" and the unquoted eval $(...) agree ====================================


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("shell", POSIX_SHELLS)
def test_unquoted_eval_gives_the_same_result(shell: str, name: str, tmp_path: Path) -> None:
    code = format_plan(plan_of(name), "posix")
    assert all(line.endswith(";") for line in code.splitlines())
    quoted = eval_in_shell(shell, code, tmp_path, quoted=True)
    unquoted = eval_in_shell(shell, code, tmp_path, quoted=False)
    assert relevant(unquoted) == relevant(quoted) == relevant(expected_after([name]).env)


# IDs, regions, URLs, model IDs, profile names, base64 tokens: what users actually have.
ordinary = st.text(st.sampled_from("abcXYZ019_-./:@+=%,"), min_size=1, max_size=24)


@pytest.mark.parametrize("shell", POSIX_SHELLS)
@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(vals=st.tuples(*[ordinary] * 5))
def test_unquoted_eval_of_ordinary_values(
    shell: str, vals: tuple[str, ...], tmp_path: Path
) -> None:
    plan = arbitrary_plan(vals)
    code = format_plan(plan, "posix")
    quoted = eval_in_shell(shell, code, tmp_path, quoted=True)
    unquoted = eval_in_shell(shell, code, tmp_path, quoted=False)
    assert relevant(unquoted) == relevant(quoted)
    assert {k: unquoted.get(k) for k in plan.set} == dict(plan.set)


@pytest.mark.parametrize("shell", POSIX_SHELLS)
def test_unquoted_command_substitution_is_split_on_ifs(shell: str) -> None:
    """Why statements end with `;` and why only ordinary values are promised for `eval $(...)`:
    every one of these shells (zsh too: it splits command substitution, unlike parameters)
    splits the unquoted output into words, so newlines and runs of blanks become one space."""
    proc = run_shell(
        shell,
        "set -- $(printf 'a  b\\nc'); echo $#; "
        'eval $(printf "export X=\'1  2\';\\nexport Y=3;"); printf \'%s|%s\' "$X" "$Y"',
    )
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout.decode() == "3\n1 2|3"


# === 3. arbitrary values: exact through every shell =======================================

NASTY = (
    "'",
    '"',
    "$",
    "`",
    "\\",
    " ",
    "  ",
    "\t",
    "\n",
    "\r",
    "*",
    "?",
    "[",
    "]",
    ";",
    "&&",
    "|",
    "(",
    ")",
    "{a,b}",
    "~",
    "#",
    "!",
    "=",
    ":=",
    "%",
    "%self",
    "$(id)",
    "${HOME}",
    "$HOME",
    "'\\''",
    "-e",
    "--",
    "é",
    "日本",
    "\U0001f600",
    "\u2019",
)
values = st.lists(
    st.one_of(
        st.sampled_from(NASTY),
        st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\0")),
    ),
    max_size=8,
).map("".join)
HYPOTHESIS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ARBITRARY_VARS = (AUTH_TOKEN, API_KEY, AWS_PROFILE, BASE_URL, MARKER)


def arbitrary_plan(vals: Sequence[str]) -> EnvPlan:
    return EnvPlan(
        set=dict(zip(ARBITRARY_VARS, vals, strict=True)), unset=(*OTHER_PROVIDERS, *AWS_KEYS)
    )


def check_arbitrary(shell: str, vals: Sequence[str], tmp: Path) -> None:
    plan = arbitrary_plan(vals)
    code = format_plan(plan, "fish" if shell == "fish" else "posix")
    got = eval_in_shell(shell, code, tmp)
    assert {k: got.get(k) for k in plan.set} == dict(plan.set)
    assert not set(got) & set(plan.unset)


@pytest.mark.parametrize("shell", ALL_SHELLS)
@HYPOTHESIS
@given(vals=st.tuples(*[values] * len(ARBITRARY_VARS)))
@example(vals=("=ls", "a:=ls", "%self", "it’s", "-e"))  # zsh `=cmd`, fish `%self`
@example(vals=("", " lead", "trail ", "\n", "a'b\"c$d`e\\f"))
def test_arbitrary_values_round_trip(shell: str, vals: tuple[str, ...], tmp_path: Path) -> None:
    check_arbitrary(shell, vals, tmp_path)


@pytest.mark.parametrize(
    ("shell", "value"),
    [
        ("zsh", "=ls"),  # zsh's `=cmd` expansion: would become /usr/bin/ls
        ("zsh", "token:=ls"),  # ... also after `:` in an assignment
        ("zsh", "=no-such-command"),  # ... and fail outright when there is no such command
        ("fish", "%self"),  # fish 3 still expands %self to its PID
    ],
)
def test_shell_specific_expansions_are_quoted(shell: str, value: str, tmp_path: Path) -> None:
    check_arbitrary(shell, [value] * len(ARBITRARY_VARS), tmp_path)


# === 4. switching through the real CLI ======================================================

PAIRS = [(a, b) for a in NAMES for b in NAMES]


@pytest.fixture(scope="module")
def pair_dumps(
    template_config: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[tuple[str, str], dict[str, str]]:
    """One bash run: for every A, `eval "$(cc-aws-tui export A)"`, then in a subshell per B
    `eval "$(cc-aws-tui export B)"` and dump the environment. The A groups run in parallel."""
    require_shell("bash")
    root = tmp_path_factory.mktemp("pairs")
    shutil.copytree(template_config, root / "cc-aws-tui")
    out = root / "out"
    out.mkdir()
    groups = []
    for a in NAMES:
        inner = "".join(
            f'( eval "$(cc-aws-tui export {b})"; env -0 > "$OUT/{a}__{b}" )\n' for b in NAMES
        )
        groups.append(f'( eval "$(cc-aws-tui export {a})"\n{inner}) &\n')
    script = "".join(groups) + "wait\n"
    env = shell_environ({**POLLUTED, "OUT": str(out)}, base=isolated_base(root))
    proc = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", script],
        env=env,
        capture_output=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stderr == b"", proc.stderr.decode()
    return {(a, b): dump_file(out / f"{a}__{b}") for a, b in PAIRS}


@pytest.mark.parametrize(("a", "b"), PAIRS)
def test_switch_leaves_exactly_the_second_profile(
    pair_dumps: dict[tuple[str, str], dict[str, str]], a: str, b: str
) -> None:
    got = relevant(pair_dumps[a, b])
    assert got == relevant(expected_after([a, b]).env)
    # The plan for B, given that A's AWS_PROFILE (if any) is what the shell now has.
    plan_b = plan_of(b, previous_aws_profile=SHAPES[a].aws_profile)
    assert got == relevant(plan_b.apply(plan_of(a).apply(POLLUTED)))
    if not SHAPES[a].aws_profile and not SHAPES[b].aws_profile:
        assert got[AWS_PROFILE] == "users-own"  # the user's own survives default-chain exports


def run_cli_script(script: str, tmp: Path, extra: Mapping[str, str] = POLLUTED) -> Path:
    """Run a bash script in the test's env; dumps go to the returned directory."""
    out = tmp / "out"
    out.mkdir(exist_ok=True)
    proc = run_shell("bash", script, env=shell_environ({**extra, "OUT": str(out)}))
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stderr == b"", proc.stderr.decode()
    return out


def test_off_after_each_shape_and_the_users_own_aws_profile(
    cli_config: Path, tmp_path: Path
) -> None:
    scenarios = "".join(
        f'( eval "$(cc-aws-tui export {n})"; eval "$(cc-aws-tui off)"; env -0 > "$OUT/{n}" )\n'
        for n in NAMES
    )
    scenarios += '( eval "$(cc-aws-tui off)"; env -0 > "$OUT/off-only" )\n'
    scenarios += (
        '( eval "$(cc-aws-tui export sigv4-chain)"; env -0 > "$OUT/chain";'
        ' eval "$(cc-aws-tui off)"; env -0 > "$OUT/chain-off" )\n'
    )
    out = run_cli_script(scenarios, tmp_path)
    for name in NAMES:
        got = relevant(dump_file(out / name))
        assert got == relevant(model_off(expected_after([name])).env), name
        assert not set(got) & {*SPEC_MANAGED, *OTHER_PROVIDERS}, name
        if SHAPES[name].aws_profile:
            assert AWS_PROFILE not in got, name  # the profile set it: `off` removes it
        else:
            assert got[AWS_PROFILE] == "users-own", name
    off_only = relevant(dump_file(out / "off-only"))
    assert off_only == {k: POLLUTED[k] for k in (AWS_PROFILE, *AWS_KEYS)}
    assert relevant(dump_file(out / "chain"))[AWS_PROFILE] == "users-own"
    assert relevant(dump_file(out / "chain-off"))[AWS_PROFILE] == "users-own"


def test_named_then_default_chain_then_off(cli_config: Path, tmp_path: Path) -> None:
    """A named AWS profile, then the default chain: the first one's AWS_PROFILE must go."""
    out = run_cli_script(
        'eval "$(cc-aws-tui export pinned)"; eval "$(cc-aws-tui export bare)";'
        ' env -0 > "$OUT/bare"; eval "$(cc-aws-tui export gateway-token)";'
        ' eval "$(cc-aws-tui off)"; env -0 > "$OUT/off"',
        tmp_path,
    )
    bare = relevant(dump_file(out / "bare"))
    assert AWS_PROFILE not in bare
    assert bare == relevant(expected_after(["pinned", "bare"]).env)
    off = relevant(dump_file(out / "off"))
    assert off == relevant(model_off(expected_after(["pinned", "bare", "gateway-token"])).env)
    assert AWS_PROFILE not in off


def test_aws_profile_set_by_a_profile_does_not_outlive_an_api_key_profile(
    cli_config: Path, tmp_path: Path
) -> None:
    out = run_cli_script(
        '( eval "$(cc-aws-tui export sigv4-named)"; eval "$(cc-aws-tui export api-key)";'
        '  eval "$(cc-aws-tui export bare)"; env -0 > "$OUT/bare" )\n'
        '( eval "$(cc-aws-tui export sigv4-named)"; eval "$(cc-aws-tui export api-key)";'
        '  eval "$(cc-aws-tui off)"; env -0 > "$OUT/off" )\n',
        tmp_path,
        extra={k: v for k, v in POLLUTED.items() if k != AWS_PROFILE},
    )
    # `bare` is on the default chain: with dev-sso still set it would sign as dev-sso.
    assert dump_file(out / "bare").get(AWS_PROFILE) is None
    assert dump_file(out / "off").get(AWS_PROFILE) is None


# === 5. error path: nothing to eval, nothing changed ======================================


def _break_file(config: Path) -> None:
    (config / "profiles.toml").write_text('schema = 1\n[profiles.x\nauth = "sigv4"\n')


@pytest.mark.parametrize(
    ("case", "name"),
    [("unknown profile", "nope"), ("secret command fails", FAILING), ("broken file", "bare")],
)
def test_export_error_leaves_the_shell_alone(
    cli_config: Path, tmp_path: Path, case: str, name: str
) -> None:
    if case == "broken file":
        _break_file(cli_config)
    before = (cli_config / "profiles.toml").read_bytes()
    script = f"""
env -0 > "$OUT/before"
{{ eval "$(cc-aws-tui export {name})"; }} 2> "$OUT/eval-stderr"
env -0 > "$OUT/after"
cc-aws-tui export {name} > "$OUT/stdout" 2> "$OUT/stderr"
echo "direct=$?"
captured="$(cc-aws-tui export {name} 2>/dev/null)"
echo "substitution=$? captured=[$captured]"
"""
    out = tmp_path / "out"
    out.mkdir()
    proc = run_shell("bash", script, env=shell_environ({**POLLUTED, "OUT": str(out)}))
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stderr == b"", proc.stderr.decode()
    lines = proc.stdout.decode().splitlines()
    assert lines[0] in ("direct=1", "direct=2")
    assert lines[1] in ("substitution=1 captured=[]", "substitution=2 captured=[]")
    assert dump_file(out / "after") == dump_file(out / "before")
    assert (out / "stdout").read_bytes() == b""
    for err in ("stderr", "eval-stderr"):
        text = (out / err).read_text()
        assert text.count("\n") == 1, (err, text)
        assert text.endswith("\n"), (err, text)
        assert text.startswith("cc-aws-tui: error: "), text
    assert (cli_config / "profiles.toml").read_bytes() == before  # never rewritten


# === 6. shell-init: ccaws use / off / passthrough, and completion ===========================

POSIX_INIT = """
eval "$(cc-aws-tui shell-init {shell})" || exit 9
ccaws use sigv4-named; echo "use=$?"
env -0 > "$OUT/use"
ccaws use pinned; echo "use2=$?"
ccaws use sigv4-chain; echo "use3=$?"
env -0 > "$OUT/use3"
cc-aws-tui current > "$OUT/current"
ccaws use nope 2> "$OUT/nope-stderr"; echo "nope=$?"
env -0 > "$OUT/nope"
cc-aws-tui current > "$OUT/current-after-nope"
ccaws list --names > "$OUT/list"; echo "list=$?"
ccaws use gateway-token; echo "use4=$?"
ccaws off; echo "off=$?"
env -0 > "$OUT/off"
"""
FISH_INIT = """
cc-aws-tui shell-init fish | source; or exit 9
ccaws use sigv4-named; echo "use=$status"
env -0 > "$OUT/use"
ccaws use pinned; echo "use2=$status"
ccaws use sigv4-chain; echo "use3=$status"
env -0 > "$OUT/use3"
cc-aws-tui current > "$OUT/current"
ccaws use nope 2> "$OUT/nope-stderr"; echo "nope=$status"
env -0 > "$OUT/nope"
cc-aws-tui current > "$OUT/current-after-nope"
ccaws list --names > "$OUT/list"; echo "list=$status"
ccaws use gateway-token; echo "use4=$status"
ccaws off; echo "off=$status"
env -0 > "$OUT/off"
"""


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_ccaws_function(shell: str, cli_config: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    script = FISH_INIT if shell == "fish" else POSIX_INIT.format(shell=shell)
    # The user's own AWS_PROFILE is gone once a named profile replaced it; start without one.
    start = {k: v for k, v in POLLUTED.items() if k != AWS_PROFILE}
    proc = run_shell(shell, script, env=shell_environ({**start, "OUT": str(out)}))
    assert proc.returncode == 0, proc.stderr.decode()
    nope_stderr = (out / "nope-stderr").read_text()
    if shell == "fish":
        # fish 3.6 does not apply a function call's `2>` to command substitutions inside the
        # function, so `ccaws use nope 2>FILE` cannot redirect the message: it reaches the
        # shell's own stderr. Still exactly one line.
        nope_stderr += proc.stderr.decode()
    else:
        assert proc.stderr == b"", proc.stderr.decode()
    status = dict(line.split("=", 1) for line in proc.stdout.decode().splitlines())
    assert status["use"] == status["use2"] == status["use3"] == status["use4"] == "0"
    assert status["list"] == status["off"] == "0"
    assert status["nope"] != "0"

    assert relevant(dump_file(out / "use")) == relevant(expected_after(["sigv4-named"], start).env)
    use3 = expected_after(["sigv4-named", "pinned", "sigv4-chain"], start)
    assert relevant(dump_file(out / "use3")) == relevant(use3.env)
    assert AWS_PROFILE not in dump_file(out / "use3")
    assert (out / "current").read_text() == "sigv4-chain\n"
    # `ccaws use nope`: one line on stderr, environment and current profile unchanged.
    assert nope_stderr.startswith("cc-aws-tui: error: ")
    assert nope_stderr.count("\n") == 1, nope_stderr
    assert relevant(dump_file(out / "nope")) == relevant(use3.env)
    assert (out / "current-after-nope").read_text() == "sigv4-chain\n"
    assert (out / "list").read_text().split() == sorted([*NAMES, FAILING])
    off = relevant(dump_file(out / "off"))
    gateway = model_export(use3, SHAPES["gateway-token"], SECRETS["gateway-token"])
    assert off == relevant(model_off(gateway).env)
    assert not set(off) & {*SPEC_MANAGED, *OTHER_PROVIDERS, AWS_PROFILE}


def split_blocks(text: str, sep: str = "--") -> list[list[str]]:
    """Candidates between separator lines (fish adds a tab and a description: dropped)."""
    blocks: list[list[str]] = [[]]
    for line in text.splitlines():
        if line == sep:
            blocks.append([])
        elif line:
            blocks[-1].append(line.split("\t")[0])
    return blocks


def test_bash_completion(cli_config: Path) -> None:
    script = """
eval "$(cc-aws-tui shell-init bash)"
complete -p ccaws cc-aws-tui
comp() { COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMPREPLY=(); _ccaws_complete;
         printf '%s\\n' "${COMPREPLY[@]}" "--"; }
comp ccaws ''
comp ccaws ex
comp ccaws use ''
comp cc-aws-tui show api
comp ccaws list ''
comp ccaws use bare ''
"""
    proc = run_shell("bash", script)
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stderr == b"", proc.stderr.decode()
    text = proc.stdout.decode()
    assert "complete -F _ccaws_complete ccaws" in text
    assert "complete -F _ccaws_complete cc-aws-tui" in text
    blocks = split_blocks(text)
    blocks[0] = [w for w in blocks[0] if w in shellinit.COMMANDS]  # drop `complete -p` output
    commands, ex, names, api, after_list, third = blocks[:6]
    assert sorted(commands) == sorted(shellinit.COMMANDS)
    assert sorted(ex) == ["exec", "export"]
    assert sorted(names) == sorted([*NAMES, FAILING])
    assert api == ["api-key"]
    assert after_list == third == []


def test_fish_completion(cli_config: Path) -> None:
    script = """
cc-aws-tui shell-init fish | source
for line in 'ccaws ' 'ccaws ex' 'ccaws use ' 'cc-aws-tui rm api' 'ccaws list '
    complete -C $line
    echo ===
end
"""
    proc = run_shell("fish", script)
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stderr == b"", proc.stderr.decode()
    blocks = split_blocks(proc.stdout.decode(), sep="===")
    commands, ex, names, api, after_list = blocks[:5]
    assert sorted(commands) == sorted(shellinit.COMMANDS)
    assert sorted(ex) == ["exec", "export"]
    assert sorted(names) == sorted([*NAMES, FAILING])
    assert api == ["api-key"]
    assert after_list == []


def test_zsh_completion(cli_config: Path) -> None:
    # compinit must load and register `_ccaws`; then `_ccaws` is run with a stand-in `compadd`
    # (the real one only works inside a completion widget).
    script = """
autoload -Uz compinit && compinit -u -D || exit 9
eval "$(cc-aws-tui shell-init zsh)" || exit 8
print -r -- "ccaws=${_comps[ccaws]} cc-aws-tui=${_comps[cc-aws-tui]}"
compadd() { [[ $1 == -- ]] && shift; print -rl -- "$@" }
words=(ccaws ''); CURRENT=2; _ccaws; print -- --
words=(ccaws use ''); CURRENT=3; _ccaws; print -- --
words=(ccaws list ''); CURRENT=3; _ccaws; print -- --
"""
    proc = run_shell("zsh", script)
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stderr == b"", proc.stderr.decode()
    first, rest = proc.stdout.decode().split("\n", 1)
    assert first == "ccaws=_ccaws cc-aws-tui=_ccaws"
    blocks = split_blocks(rest)
    assert sorted(blocks[0]) == sorted(shellinit.COMMANDS)
    assert sorted(blocks[1]) == sorted([*NAMES, FAILING])
    assert blocks[2] == []


# === 7. PowerShell, dotenv, json ===========================================================

PS_QUOTES = "'\u2018\u2019\u201a\u201b"  # PowerShell treats all of these as single quotes


def parse_ps_verbatim(text: str) -> str:
    """A PowerShell verbatim ('...') string literal, per the language's tokenizer: any of
    PS_QUOTES opens and closes it, and two of them in a row stand for one (the second)."""
    assert text[:1], "empty literal"
    assert text[0] in PS_QUOTES, text
    out: list[str] = []
    i = 1
    while i < len(text):
        c = text[i]
        if c in PS_QUOTES:
            if i + 1 < len(text) and text[i + 1] in PS_QUOTES:
                out.append(text[i + 1])
                i += 2
                continue
            assert i == len(text) - 1, f"the literal ends early, at {i}: {text!r}"
            return "".join(out)
        out.append(c)
        i += 1
    raise AssertionError(f"unterminated literal: {text!r}")


@pytest.mark.parametrize(
    ("value", "quoted"),
    [
        ("it's", "'it''s'"),
        ("''", "''''''"),
        ("$Env:HOME `n $(x)", "'$Env:HOME `n $(x)'"),
        ("wrkspc_01", "'wrkspc_01'"),
        ("", "''"),
    ],
)
def test_powershell_quoting(value: str, quoted: str) -> None:
    assert shellcode.quote_powershell(value) == quoted
    assert parse_ps_verbatim(quoted) == value


@settings(max_examples=300, deadline=None)
@given(value=values)
@example(value="it’s")  # U+2019 closes a PowerShell string just like '
@example(value="‘quoted’ ‚low‛")
def test_powershell_quoting_is_exact(value: str) -> None:
    assert parse_ps_verbatim(shellcode.quote_powershell(value)) == value


@pytest.mark.parametrize("name", NAMES)
def test_powershell_plan(name: str) -> None:
    plan = plan_of(name)
    lines = format_plan(plan, "powershell").splitlines()
    removes = [f"Remove-Item Env:{v} -ErrorAction SilentlyContinue" for v in plan.unset]
    assert lines[: len(removes)] == removes
    sets = lines[len(removes) :]
    assert len(sets) == len(plan.set)
    for line, (var, value) in zip(sets, plan.set.items(), strict=True):
        prefix = f"$Env:{var} = "
        assert line.startswith(prefix), line
        assert parse_ps_verbatim(line[len(prefix) :]) == value
    assert not any(line.endswith("= ''") for line in lines)  # unset is never an empty value


def check_dotenv(plan: EnvPlan, tmp: Path) -> None:
    (tmp / "cc.env").write_text(format_plan(plan, "dotenv"), encoding="utf-8")
    proc = run_shell("dash", "set -a; . ./cc.env || exit 3; env -0", cwd=tmp)
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stderr == b"", proc.stderr.decode()
    got = parse_env0(proc.stdout)
    assert {k: got.get(k) for k in plan.set} == dict(plan.set)


@pytest.mark.parametrize("name", NAMES)
def test_dotenv_sourced_by_dash(name: str, tmp_path: Path) -> None:
    plan = plan_of(name)
    text = format_plan(plan, "dotenv")
    assert [line.split("=", 1)[0] for line in text.splitlines()] == list(plan.set)
    check_dotenv(plan, tmp_path)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(vals=st.tuples(*[values] * len(ARBITRARY_VARS)))
def test_dotenv_arbitrary_values(vals: tuple[str, ...], tmp_path: Path) -> None:
    check_dotenv(arbitrary_plan(vals), tmp_path)


@pytest.mark.parametrize("name", NAMES)
def test_json_plan(name: str) -> None:
    plan = plan_of(name)
    data: Any = json.loads(format_plan(plan, "json"))
    assert data == {"set": dict(plan.set), "unset": list(plan.unset)}
    assert list(data["set"]) == list(plan.set)


def test_off_renders_for_every_shell() -> None:
    plan = plan_off(previous_aws_profile="dev-sso")
    assert plan.set == {}
    assert set(plan.unset) == {*SPEC_MANAGED, *OTHER_PROVIDERS, AWS_PROFILE}
    assert AWS_PROFILE not in plan_off().unset
    assert format_plan(plan, "posix") == "".join(f"unset {v};\n" for v in plan.unset)
    # fish ends on `true;`: its `set` passes a failed erase's status through to `source`.
    assert format_plan(plan, "fish") == "".join(f"set -e {v};\n" for v in plan.unset) + "true;\n"
    assert format_plan(plan, "dotenv") == ""


def test_fish_source_succeeds_when_nothing_was_set_before(tmp_path: Path) -> None:
    """`cc-aws-tui export NAME --shell fish | source; and claude` must run claude in a clean
    shell, where every `set -e` of the export fails (fish passes that status through)."""
    fish = require_shell("fish")
    profile = Profile("bare", "sigv4", WS, "us-east-1")
    code = tmp_path / "code.fish"
    code.write_text(format_plan(plan_env(profile, {}), "fish"))
    clean = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "LC_ALL": "C.UTF-8"}
    proc = subprocess.run(
        [fish, "--no-config", "-c", "cat $argv[1] | source; and echo sourced", str(code)],
        env=clean, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert proc.stdout.strip() == "sourced", proc.stderr
