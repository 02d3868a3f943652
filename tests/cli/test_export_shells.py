"""`cc-aws-tui export` and `off` through the real CLI in real shells: switching leaves exactly
the second profile, `off` restores the user's own AWS_PROFILE, and an export that fails leaves
the shell alone.

Every test evaluates rendered shell code in bash, dash, zsh or fish (never a simulation), dumps
the environment from inside the shell with `env -0`, and compares the variables Claude Code and
the AWS SDK read against a reference model of the rules in `shared/platform-facts.md` and
issue 2 (tests/realshell.py, written out by hand, independently of `profiles/core/envplan.py`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path

import pytest

from profiles.core.schema import Profile
from profiles.usecases.edit import save_profile
from tests.realshell import (
    AWS_KEYS,
    AWS_PROFILE,
    FAILING,
    NAMES,
    OTHER_PROVIDERS,
    POLLUTED,
    SHAPES,
    SPEC_MANAGED,
    TIMEOUT,
    dump_file,
    expected_after,
    isolated_base,
    model_off,
    plan_of,
    relevant,
    require_shell,
    run_shell,
    shell_environ,
)

WS = "wrkspc_01TestWorkspaceA"

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


@pytest.mark.parametrize("change", ["rm dev", "rename dev dev2"])
def test_aws_profile_of_a_deleted_or_renamed_profile_does_not_linger(change: str) -> None:
    """Export dev (AWS_PROFILE=dev-admin), delete or rename it, export a default-chain
    profile: the shell must not keep signing as dev-admin. A user's own AWS_PROFILE, set
    before any export, survives the same sequence."""
    import shutil
    import subprocess

    save_profile(Profile("dev", "sigv4", WS, "us-east-1", aws_profile="dev-admin"))
    save_profile(Profile("ci", "sigv4", WS, "us-east-1"))
    exe = shutil.which("cc-aws-tui")
    assert exe is not None
    script = (
        f'eval "$({exe} export dev)"; {exe} {change} 2>/dev/null; eval "$({exe} export ci)";'
        ' echo "AWS_PROFILE=${AWS_PROFILE-unset}"'
    )
    out = subprocess.run(["bash", "--norc", "-c", script], capture_output=True, text=True)
    assert out.stdout.strip() == "AWS_PROFILE=unset", out.stderr
    own = subprocess.run(
        ["bash", "--norc", "-c", f'eval "$({exe} export ci)"; echo "$AWS_PROFILE"'],
        env={**os.environ, "AWS_PROFILE": "mine"}, capture_output=True, text=True,
    )  # fmt: skip
    assert own.stdout.strip() == "mine"
