"""`cc-aws-tui shell-init` in real shells: the `ccaws` function (use, off, passthrough) and the
bash, fish and zsh completions.

Every test evaluates rendered shell code in bash, dash, zsh or fish (never a simulation), dumps
the environment from inside the shell with `env -0`, and compares the variables Claude Code and
the AWS SDK read against a reference model of the rules in `shared/platform-facts.md` and
issue 2 (tests/realshell.py, written out by hand, independently of `profiles/core/envplan.py`).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from profiles.cli import shellinit
from profiles.cli.parser import build_parser, subcommands
from tests.realshell import (
    AWS_PROFILE,
    FAILING,
    NAMES,
    OTHER_PROVIDERS,
    POLLUTED,
    SECRETS,
    SHAPES,
    SPEC_MANAGED,
    dump_file,
    expected_after,
    model_export,
    model_off,
    relevant,
    require_shell,
    run_shell,
    shell_environ,
)

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


# Every command the parser knows is completed (issue 12: validate, models, workspaces,
# aws-profiles and status were not, nor the commands added after the list was written).
PARSER_COMMANDS = sorted(subcommands(build_parser()))
LATER_COMMANDS = {"validate", "models", "workspaces", "aws-profiles", "status", "apply"}
LATER_COMMANDS |= {"credentials", "login", "statusline", "claude", "import", "share"}


def test_completion_lists_come_from_the_parser() -> None:
    commands, takes_profile = shellinit.completion_words()
    assert sorted(commands) == PARSER_COMMANDS
    assert set(commands) >= LATER_COMMANDS
    # The commands whose first argument is an existing profile; not those naming a new one.
    assert sorted(takes_profile) == [
        *("apply", "claude", "credentials", "exec", "export", "login", "models", "rename"),
        *("rm", "share", "show", "use", "validate", "workspaces"),
    ]


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
comp ccaws validate ''
comp ccaws aws
comp ccaws add ''
"""
    proc = run_shell("bash", script)
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stderr == b"", proc.stderr.decode()
    text = proc.stdout.decode()
    assert "complete -F _ccaws_complete ccaws" in text
    assert "complete -F _ccaws_complete cc-aws-tui" in text
    blocks = split_blocks(text)
    blocks[0] = [w for w in blocks[0] if w in PARSER_COMMANDS]  # drop `complete -p` output
    commands, ex, names, api, after_list, third, validate, aws, add = blocks[:9]
    assert sorted(commands) == PARSER_COMMANDS
    assert validate == names
    assert aws == ["aws-profiles"]
    assert add == []  # a new profile's name: nothing to offer
    assert sorted(ex) == ["exec", "export"]
    assert sorted(names) == sorted([*NAMES, FAILING])
    assert api == ["api-key"]
    assert after_list == third == []


def test_fish_completion(cli_config: Path) -> None:
    script = """
cc-aws-tui shell-init fish | source
for line in 'ccaws ' 'ccaws ex' 'ccaws use ' 'cc-aws-tui rm api' 'ccaws list ' \
        'ccaws validate ' 'ccaws aws' 'ccaws add '
    complete -C $line
    echo ===
end
"""
    proc = run_shell("fish", script)
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stderr == b"", proc.stderr.decode()
    blocks = split_blocks(proc.stdout.decode(), sep="===")
    commands, ex, names, api, after_list, validate, aws, add = blocks[:8]
    assert sorted(commands) == PARSER_COMMANDS
    assert validate == names
    assert aws == ["aws-profiles"]
    assert add == []
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
words=(ccaws workspaces ''); CURRENT=3; _ccaws; print -- --
words=(ccaws add ''); CURRENT=3; _ccaws; print -- --
"""
    proc = run_shell("zsh", script)
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stderr == b"", proc.stderr.decode()
    first, rest = proc.stdout.decode().split("\n", 1)
    assert first == "ccaws=_ccaws cc-aws-tui=_ccaws"
    blocks = split_blocks(rest)
    assert sorted(blocks[0]) == PARSER_COMMANDS
    assert sorted(blocks[1]) == sorted([*NAMES, FAILING])
    assert blocks[2] == blocks[4] == []
    assert blocks[3] == blocks[1]


def test_a_missing_shell_skips_saying_which_even_in_a_hypothesis_example(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CI", raising=False)

    @given(st.none())
    @example(None)
    def needs_a_shell(_: None) -> None:
        require_shell("no-such-shell")

    with pytest.raises(pytest.skip.Exception) as skipped:
        needs_a_shell()
    assert skipped.exconly().splitlines()[-1].endswith("no-such-shell is not installed")
    assert "Failing explicit example" not in skipped.exconly()


# === the prompt segment: builtins only, the exported profile or nothing =====================

PROMPT_POSIX = """
eval "$INIT" || exit 9
PATH=/nonexistent  # builtins only: a prompt must not start Python (or anything)
out=$(cc_aws_tui_prompt); echo "unset=[$out] $?"
CC_AWS_TUI_PROFILE=dev; export CC_AWS_TUI_PROFILE
out=$(cc_aws_tui_prompt); echo "dev=[$out] $?"
CC_AWS_TUI_PROFILE=''; out=$(cc_aws_tui_prompt); echo "empty=[$out] $?"
CC_AWS_TUI_PROFILE=$(printf 'x\\033[2J%%F{red}'); out=$(cc_aws_tui_prompt); echo "odd=[$out] $?"
"""
PROMPT_FISH = """
echo $INIT | source; or exit 9
set -gx PATH /nonexistent  # builtins only
set -l out (cc_aws_tui_prompt); echo "unset=[$out] $status"
set -gx CC_AWS_TUI_PROFILE dev
set out (cc_aws_tui_prompt); echo "dev=[$out] $status"
set -gx CC_AWS_TUI_PROFILE ''; set out (cc_aws_tui_prompt); echo "empty=[$out] $status"
set -gx CC_AWS_TUI_PROFILE (printf 'x\\033[2J%%F{red}')
set out (cc_aws_tui_prompt); echo "odd=[$out] $status"
"""
# The prompt as the user sets it up (README): bash and zsh expand it on each prompt.
PROMPT_IN_PS1 = {
    "bash": "PS1='$(cc_aws_tui_prompt)\\$ '; CC_AWS_TUI_PROFILE=dev; echo \"${PS1@P}\"",
    "zsh": "setopt prompt_subst; PS1='$(cc_aws_tui_prompt)%# '; CC_AWS_TUI_PROFILE=dev;"
    ' print -r -- "${(%%)PS1}"',
}


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_prompt_segment(shell: str) -> None:
    env = shell_environ({"INIT": shellinit.script(shell)})
    env.pop("CC_AWS_TUI_PROFILE", None)
    proc = run_shell(shell, PROMPT_FISH if shell == "fish" else PROMPT_POSIX, env=env)
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stderr == b"", proc.stderr.decode()
    assert proc.stdout.decode().splitlines() == [
        "unset=[] 0",
        "dev=[(cc:dev) ] 0",
        "empty=[] 0",
        "odd=[] 0",  # escapes or zsh prompt sequences are not a profile name: nothing
    ]


@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_prompt_segment_in_ps1(shell: str) -> None:
    script = f'eval "$INIT" || exit 9\n{PROMPT_IN_PS1[shell]}\n'
    proc = run_shell(shell, script, env=shell_environ({"INIT": shellinit.script(shell)}))
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout.decode().strip() in ("(cc:dev) $", "(cc:dev) #", "(cc:dev) %")
