"""The `cc-aws-tui` entry point beyond the profile commands: exec, off, shell-init, help, starting
the TUI, and the installed console script in a child process.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from profiles.core import envplan, shellcode
from tests.cli.commands import (
    EXIT_STATUS_HELP,
    KEY,
    SHELL_LINE,
    WS,
    ExecCall,
    Execed,
    ok,
    run_script,
    subparsers,
)
from tests.cliutil import Cli, sh
from tests.realshell import ROOT

# `exec` would replace pytest: the `execs` fixture (tests/cli/conftest.py) records it instead.
pytestmark = pytest.mark.usefixtures("execs")


# --- exec -------------------------------------------------------------------------------------


@pytest.mark.usefixtures("profiles")
def test_exec_runs_the_command_with_the_profiles_environment(
    cli: Cli, execs: list[ExecCall], monkeypatch: pytest.MonkeyPatch
) -> None:
    for var in ("AWS_ACCESS_KEY_ID", "CLAUDE_CODE_USE_BEDROCK", "ANTHROPIC_AWS_API_KEY"):
        monkeypatch.setenv(var, "stale")
    monkeypatch.setenv("KEEP_ME", "yes")
    with pytest.raises(Execed):
        cli("exec dev -- python3 -c pass")
    (call,) = execs
    assert call.file == "python3"
    assert call.argv == ["python3", "-c", "pass"]
    assert call.env["AWS_PROFILE"] == "dev-sso"
    assert call.env["CC_AWS_TUI_PROFILE"] == "dev"
    assert call.env["KEEP_ME"] == "yes"
    for var in ("AWS_ACCESS_KEY_ID", "CLAUDE_CODE_USE_BEDROCK", "ANTHROPIC_AWS_API_KEY"):
        assert var not in call.env
    # Default: the current profile; the key reaches the child.
    ok(cli("use key"))
    with pytest.raises(Execed):
        cli("exec -- sh -c true")
    assert execs[-1].env["ANTHROPIC_AWS_API_KEY"] == KEY
    assert execs[-1].argv == ["sh", "-c", "true"]


@pytest.mark.usefixtures("profiles")
def test_exec_unknown_command_is_127(cli: Cli) -> None:
    r = cli("exec dev -- no-such-command-cc-aws-tui arg")
    assert r.code == 127
    assert r.out == ""
    assert "no-such-command-cc-aws-tui: command not found" in r.error_line


@pytest.mark.usefixtures("profiles")
@pytest.mark.parametrize("args", ["exec dev", "exec dev --", "exec --"])
def test_exec_without_a_command_exits_2(cli: Cli, args: str) -> None:
    r = cli(args)
    assert r.code == 2
    assert r.out == ""
    assert "no command given" in r.error_line


# --- off, shell-init, help, the TUI -------------------------------------------------------------


@pytest.mark.parametrize("shell", shellcode.SHELLS)
def test_off_unsets_everything_managed(cli: Cli, shell: str) -> None:
    r = ok(cli("off", "--shell", shell))
    assert r.err == ""
    if shell == "json":
        assert set(json.loads(r.out)["unset"]) >= set(envplan.MANAGED)
        return
    if shell == "dotenv":  # dotenv cannot unset
        assert r.out == ""
        return
    for var in envplan.MANAGED:
        assert re.search(rf"\b{var}\b", r.out), var
    for line in r.out.splitlines():
        assert SHELL_LINE[shell].fullmatch(line), line


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish", "powershell"])
def test_shell_init(cli: Cli, shell: str) -> None:
    r = ok(cli("shell-init", shell))
    assert r.err == ""
    assert "ccaws" in r.out
    assert "cc-aws-tui" in r.out
    assert "list --names" in r.out  # completion of profile names, on the fast path
    checker = {"bash": ["bash", "-n"], "zsh": ["zsh", "-n"], "fish": ["fish", "--no-execute"]}
    if shell in checker and shutil.which(checker[shell][0]):
        subprocess.run([*checker[shell], "-c", r.out], check=True, timeout=30)


def test_shell_init_unknown_shell(cli: Cli) -> None:
    r = cli("shell-init tcsh")
    assert r.code == 2
    assert "invalid choice: 'tcsh'" in r.error_line


def _commands() -> list[str]:
    return sorted(subparsers())


def test_every_documented_command_has_help() -> None:
    documented = [
        "add",
        "export",
        "list",
        "show",
        "use",
        "current",
        "rm",
        "rename",
        "exec",
        "off",
        "shell-init",
    ]
    assert set(documented) <= set(_commands())


def test_help_and_readme_describe_the_exit_codes_alike(cli: Cli) -> None:
    """One wording for each code: the README's table and every --help's epilog."""
    readme = (ROOT / "README.md").read_text()
    table = dict(re.findall(r"^\| ([012]) \| (.+?) \|$", readme, flags=re.MULTILINE))
    help_text = cli("--help").out.split("exit status:\n", 1)[1]
    codes = dict(re.findall(r"^  ([012])  (.+?)(?=^  \S)", help_text, flags=re.M | re.S))
    assert sorted(table) == sorted(codes) == ["0", "1", "2"]
    assert {k: " ".join(v.split()) for k, v in codes.items()} == table


def test_exec_help_names_its_arguments_as_its_usage_does(cli: Cli) -> None:
    r = ok(cli("exec --help"))
    usage, _, rest = r.out.partition("\n")
    assert usage == "usage: cc-aws-tui exec [NAME] -- COMMAND [ARGS...]"
    arguments = rest.split("positional arguments:\n", 1)[1].split("\n\n", 1)[0]
    assert [line.split()[0] for line in arguments.splitlines()] == ["NAME", "COMMAND"]


@pytest.mark.parametrize("command", ["", *_commands()])
def test_help_exits_0_and_documents_exit_status(cli: Cli, command: str) -> None:
    r = cli(*([command] if command else []), "--help")
    assert r.code == 0
    assert r.err == ""
    assert EXIT_STATUS_HELP in r.out
    assert "2  usage or configuration error" in r.out
    assert f"usage: cc-aws-tui {command}".rstrip() in r.out


def test_no_arguments_without_the_tui_is_a_clear_error(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "tui.app", None)  # as if the TUI were not installed
    r = cli()
    assert r.code == 2
    assert r.out == ""
    assert "the TUI is not available" in r.error_line


def test_no_arguments_starts_the_tui(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    import types

    fake = types.ModuleType("tui.app")
    fake.run_app = lambda: 0  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tui.app", fake)
    assert cli().code == 0


# --- the real console script ---------------------------------------------------------------------


def test_console_script_add_export_and_exec() -> None:
    add = f"add key --auth api-key --api-key-stdin --workspace {WS} --region us-east-1"
    r = run_script(*sh(add), stdin=KEY + "\n")
    assert r.code == 0, r.err
    assert r.out == ""
    assert KEY not in r.err

    r = run_script("export", "key")
    assert r.code == 0
    assert r.err == ""
    assert f"export ANTHROPIC_AWS_API_KEY={KEY};\n" in r.out

    # exec: the exit status passes through, the child has the set variables and not the unset
    # ones.
    env = {**os.environ, "CLAUDE_CODE_USE_BEDROCK": "1", "ANTHROPIC_AUTH_TOKEN": "stale"}
    env["EXPECT"] = "7"
    child = (
        "import json, os, sys; print(json.dumps(dict(os.environ)));"
        " sys.exit(int(os.environ['EXPECT']))"
    )
    r = run_script("exec", "key", "--", sys.executable, "-c", child, env=env)
    assert r.code == 7
    child_env = json.loads(r.out)
    assert child_env["ANTHROPIC_AWS_API_KEY"] == KEY
    assert child_env["CLAUDE_CODE_USE_ANTHROPIC_AWS"] == "1"
    assert child_env["CC_AWS_TUI_PROFILE"] == "key"
    assert "CLAUDE_CODE_USE_BEDROCK" not in child_env
    assert "ANTHROPIC_AUTH_TOKEN" not in child_env

    r = run_script("exec", "key", "--", sys.executable, "-c", "import sys; sys.exit(0)")
    assert r.code == 0
    r = run_script("exec", "--", "no-such-command-cc-aws-tui")
    assert r.code == 127
    assert r.err.count("\n") == 1


def test_console_script_errors_are_one_line() -> None:
    r = run_script("export", "nosuch")
    assert (r.code, r.out) == (2, "")
    assert r.err == (
        "cc-aws-tui: error: no profile named 'nosuch'"
        " (saved profiles: none yet; create one with `cc-aws-tui add`)\n"
    )
    r = run_script("export", "--shell", "nosuch")
    assert (r.code, r.out) == (2, "")
    assert r.err.count("\n") == 1
    r = run_script("--help")
    assert r.code == 0
    assert EXIT_STATUS_HELP in r.out
