"""Round trips through real shells: the planned environment matches the reference model, and what
`export` leaves in the environment is exactly that, for every profile shape in every shell.

Every test evaluates rendered shell code in bash, dash, zsh or fish (never a simulation), dumps
the environment from inside the shell with `env -0`, and compares the variables Claude Code and
the AWS SDK read against a reference model of the rules in `shared/platform-facts.md` and
issue 2 (tests/realshell.py, written out by hand, independently of `profiles/core/envplan.py`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from profiles.core import envplan
from profiles.core.shellcode import format_plan
from tests.realshell import (
    ALL_SHELLS,
    API_KEY,
    AWS_KEYS,
    AWS_PROFILE,
    MARKER,
    NAMES,
    OTHER_PROVIDERS,
    POLLUTED,
    REGION,
    SHAPES,
    SPEC_MANAGED,
    eval_in_shell,
    expected_after,
    plan_of,
    relevant,
)

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
