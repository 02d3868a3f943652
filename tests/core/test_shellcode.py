"""Shell formatting through real shells: `eval "$(...)"` and the unquoted `eval $(...)` agree;
arbitrary values come back exact from bash, dash, zsh and fish; PowerShell quoting, dotenv and
json render every plan; `off` renders for every shell.

Every test evaluates rendered shell code in bash, dash, zsh or fish (never a simulation), dumps
the environment from inside the shell with `env -0`, and compares the variables Claude Code and
the AWS SDK read against a reference model of the rules in `shared/platform-facts.md` and
issue 2 (tests/realshell.py, written out by hand, independently of `profiles/core/envplan.py`).
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from profiles.core import shellcode
from profiles.core.envplan import EnvPlan, plan_env, plan_off
from profiles.core.schema import Profile
from profiles.core.shellcode import format_plan
from tests.realshell import (
    ALL_SHELLS,
    API_KEY,
    AUTH_TOKEN,
    AWS_KEYS,
    AWS_PROFILE,
    BASE_URL,
    MARKER,
    NAMES,
    OTHER_PROVIDERS,
    POSIX_SHELLS,
    SPEC_MANAGED,
    WS,
    eval_in_shell,
    expected_after,
    parse_env0,
    plan_of,
    relevant,
    require_shell,
    run_shell,
)

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
