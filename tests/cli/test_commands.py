"""The `cc-aws-tui` command: every command, every documented error path, stdout empty on error,
and no secret on any output but `export`'s (and `exec`'s child environment).

Most tests call `main()` in this process (fast); a few run the installed console script to prove
the entry point works.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from shlex import quote as q

import pytest

from profiles.cli.parser import build_parser
from profiles.core import envplan, shellcode
from profiles.store import files as store
from tests.cliutil import Cli, Run, console_script, sh

KEY = "sk-ant-api03-Zx9Yw8Vu7Ts6Rq5Po4Nm-f3Qa"
KEY2 = "sk-ant-api03-Second0Key1Value2Here-Wx7Y"
TOKEN = "gw-token-4f8a2b9c1d7e3f6a"
SECRETS = (KEY, KEY2, TOKEN)
WS = "wrkspc_01AbCdEf23GhIj"
WHERE = f"--workspace {WS} --region us-east-1"

EXIT_STATUS_HELP = "exit status:"


@dataclass
class ExecCall:
    file: str
    argv: list[str]
    env: dict[str, str]


class Execed(BaseException):  # not an Exception: the CLI turns those into one line
    """Raised in place of replacing the test process."""


@pytest.fixture(autouse=True)
def execs(monkeypatch: pytest.MonkeyPatch) -> list[ExecCall]:
    """`exec` replaces the running process: here that would be pytest. Record the call instead
    (and fail like the real one for a command that does not exist)."""
    calls: list[ExecCall] = []

    def fake_execvpe(file: str, argv: list[str], env: Mapping[str, str]) -> None:
        if shutil.which(file, path=env.get("PATH")) is None:
            raise FileNotFoundError(2, "No such file or directory", file)
        calls.append(ExecCall(file, list(argv), dict(env)))
        raise Execed

    monkeypatch.setattr(os, "execvpe", fake_execvpe)
    return calls


def run_script(*args: str, stdin: str = "", env: Mapping[str, str] | None = None) -> Run:
    """The real console script in a child process."""
    proc = subprocess.run(
        [console_script(), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env=None if env is None else dict(env),
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


def export_json(cli: Cli, name: str = "") -> dict[str, object]:
    r = cli("export", *([name] if name else []), "--shell", "json")
    assert r.code == 0, r.err
    data: dict[str, object] = json.loads(r.out)
    return data


def env_set(cli: Cli, name: str = "") -> dict[str, str]:
    data = export_json(cli, name)
    assert isinstance(data["set"], dict)
    return data["set"]


def env_unset(cli: Cli, name: str = "") -> list[str]:
    data = export_json(cli, name)
    assert isinstance(data["unset"], list)
    return data["unset"]


def ok(r: Run) -> Run:
    assert r.code == 0, r.err
    return r


# A few saved profiles of every shape, made through the CLI itself.
SHAPES: dict[str, tuple[str, str]] = {
    "dev": (f"add dev --auth sigv4 --aws-profile dev-sso --workspace {WS} --region us-east-1", ""),
    "ci": (f"add ci --auth sigv4 --workspace {WS} --region eu-west-3", ""),
    "key": (f"add key --auth api-key --api-key-stdin --workspace {WS} --region us-west-2", KEY),
    "gw": (
        f"add gw --auth sigv4 --gateway-signs --base-url https://gw.example.com/ --workspace {WS}"
        " --region ap-southeast-2 --gateway-token-stdin",
        TOKEN,
    ),
}


@pytest.fixture
def profiles(cli: Cli) -> None:
    for args, stdin in SHAPES.values():
        ok(cli(args, stdin=stdin + "\n"))


# --- add ---------------------------------------------------------------------------------------


def test_add_sigv4_with_an_aws_profile(cli: Cli, config_dir: Path) -> None:
    r = ok(cli(SHAPES["dev"][0]))
    assert r.out == ""
    assert "saved profile 'dev' (now current)" in r.err
    p = store.read_doc().profiles["dev"]
    assert (p.auth, p.aws_profile, p.workspace_id, p.region) == (
        "sigv4",
        "dev-sso",
        WS,
        "us-east-1",
    )
    assert (p.cache_ttl, p.base_url, p.gateway_signs, dict(p.models)) == ("5m", None, False, {})
    assert store.read_doc().current == "dev"
    env = env_set(cli, "dev")
    assert env["AWS_PROFILE"] == "dev-sso"
    assert env["CLAUDE_CODE_USE_ANTHROPIC_AWS"] == "1"
    assert env["ANTHROPIC_AWS_WORKSPACE_ID"] == WS
    assert env["AWS_REGION"] == "us-east-1"
    assert env["CC_AWS_TUI_PROFILE"] == "dev"
    unset = env_unset(cli, "dev")
    stale = {"ANTHROPIC_AWS_API_KEY", *envplan.AWS_KEY_VARS, *envplan.OTHER_PROVIDERS}
    assert stale <= set(unset)
    assert not (config_dir / "secrets.toml").exists()


def test_add_sigv4_on_the_default_chain(cli: Cli) -> None:
    ok(cli(SHAPES["ci"][0]))
    p = store.read_doc().profiles["ci"]
    assert p.aws_profile is None
    env, unset = env_set(cli, "ci"), env_unset(cli, "ci")
    assert "AWS_PROFILE" not in env
    # The default chain (CI roles, env keys) keeps the AWS variables as they are.
    assert not {"AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"} & set(unset)
    assert "ANTHROPIC_AWS_API_KEY" in unset


def test_add_api_key_from_stdin(cli: Cli) -> None:
    r = ok(cli(SHAPES["key"][0], stdin=KEY + "\n"))
    assert KEY not in r.out + r.err
    p = store.read_doc().profiles["key"]
    assert (p.auth, p.api_key_store) == ("api-key", "file")
    assert store.read_secrets() == {"key": {"api_key": KEY}}
    assert env_set(cli, "key")["ANTHROPIC_AWS_API_KEY"] == KEY


def test_add_api_key_from_stdin_is_trimmed(cli: Cli) -> None:
    ok(cli(SHAPES["key"][0], stdin=f"  {KEY}  \r\n"))
    assert store.read_secrets() == {"key": {"api_key": KEY}}


def test_add_api_key_via_command(cli: Cli, tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    vault.write_text(KEY + "\n")
    command = f"cat {vault}"
    ok(cli(f"add cmd --auth api-key --api-key-command {q(command)} {WHERE}"))
    p = store.read_doc().profiles["cmd"]
    assert (p.api_key_store, p.api_key_command) == ("command", f"cat {vault}")
    assert env_set(cli, "cmd")["ANTHROPIC_AWS_API_KEY"] == KEY


def test_add_gateway_that_signs_with_a_token(cli: Cli) -> None:
    ok(cli(SHAPES["gw"][0], stdin=TOKEN + "\n"))
    p = store.read_doc().profiles["gw"]
    assert p.gateway_signs
    assert p.base_url == "https://gw.example.com"  # trailing slash dropped
    assert p.gateway_token_store == "file"
    env = env_set(cli, "gw")
    assert env["CLAUDE_CODE_SKIP_ANTHROPIC_AWS_AUTH"] == "1"
    assert env["ANTHROPIC_AWS_BASE_URL"] == "https://gw.example.com"
    assert env["ANTHROPIC_AUTH_TOKEN"] == TOKEN
    assert store.read_secrets() == {"gw": {"gateway_token": TOKEN}}


def test_add_gateway_signs_without_a_token(cli: Cli) -> None:
    gw = "--gateway-signs --base-url http://127.0.0.1:8080"
    ok(cli(f"add g --auth sigv4 {gw} --workspace {WS} --region us-east-1"))
    env, unset = env_set(cli, "g"), env_unset(cli, "g")
    assert env["ANTHROPIC_AWS_BASE_URL"] == "http://127.0.0.1:8080"
    assert "ANTHROPIC_AUTH_TOKEN" in unset


def test_add_both_secrets_on_stdin_are_two_lines(cli: Cli) -> None:
    secrets = "--api-key-stdin --gateway-token-stdin --base-url https://gw.example.com"
    ok(
        cli(
            f"add both --auth api-key {secrets} --workspace {WS} --region us-east-1",
            stdin=f"{KEY}\n{TOKEN}\n",
        )
    )
    assert store.read_secrets() == {"both": {"api_key": KEY, "gateway_token": TOKEN}}
    env = env_set(cli, "both")
    assert env["ANTHROPIC_AWS_API_KEY"] == KEY
    assert env["ANTHROPIC_AUTH_TOKEN"] == TOKEN


def test_add_pins_ttl_and_auth_refresh(cli: Cli) -> None:
    pins = "--fable claude-fable-5 --opus claude-opus-4-8 --sonnet claude-sonnet-5"
    pins += " --haiku claude-haiku-4-5"
    more = "--cache-ttl 1h --auth-refresh 'aws sso login --profile dev'"
    ok(
        cli(
            f"add pinned --auth sigv4 --aws-profile dev --workspace {WS} --region us-east-1"
            f" {pins} {more}"
        )
    )
    p = store.read_doc().profiles["pinned"]
    assert dict(p.models) == {
        "fable": "claude-fable-5",
        "opus": "claude-opus-4-8",
        "sonnet": "claude-sonnet-5",
        "haiku": "claude-haiku-4-5",
    }
    assert p.cache_ttl == "1h"
    assert p.aws_auth_refresh == "aws sso login --profile dev"
    env = env_set(cli, "pinned")
    assert env["ANTHROPIC_DEFAULT_FABLE_MODEL"] == "claude-fable-5"
    assert env["ANTHROPIC_DEFAULT_OPUS_MODEL"] == "claude-opus-4-8"
    assert env["ANTHROPIC_DEFAULT_SONNET_MODEL"] == "claude-sonnet-5"
    assert env["ANTHROPIC_DEFAULT_HAIKU_MODEL"] == "claude-haiku-4-5"
    assert env["ENABLE_PROMPT_CACHING_1H"] == "1"
    # A profile without pins or 1 h unsets them, so switching leaves none behind.
    ok(cli(SHAPES["ci"][0]))
    unset = env_unset(cli, "ci")
    assert {*envplan.MODEL_VARS.values(), "ENABLE_PROMPT_CACHING_1H"} <= set(unset)


def test_add_use_and_force(cli: Cli) -> None:
    ok(cli(SHAPES["dev"][0]))
    r = ok(cli(SHAPES["ci"][0]))
    assert "now current" not in r.err
    assert store.read_doc().current == "dev"
    ok(cli(SHAPES["ci"][0].replace("add ci", "add ci2") + " --use"))
    assert store.read_doc().current == "ci2"
    # --force replaces (here: sigv4 -> api-key, new region).
    ok(cli(SHAPES["key"][0].replace("add key", "add ci") + " --force", stdin=KEY))
    p = store.read_doc().profiles["ci"]
    assert (p.auth, p.region) == ("api-key", "us-west-2")


@pytest.mark.parametrize("cfg_name", ["config", "credentials"])
def test_add_region_defaults_to_the_aws_profiles_region(
    cli: Cli, isolated_env: Path, cfg_name: str
) -> None:
    pytest.importorskip("profiles.aws.config")
    aws = isolated_env / "home" / ".aws"
    if cfg_name == "config":
        (aws / "config").write_text("[profile dev]\nregion = eu-west-3\n")
    else:
        (aws / "credentials").write_text("[dev]\nregion = ap-south-1\n")
    ok(cli(f"add d --auth sigv4 --aws-profile dev --workspace {WS}"))
    expected = "eu-west-3" if cfg_name == "config" else "ap-south-1"
    assert store.read_doc().profiles["d"].region == expected
    # An explicit --region wins.
    ok(cli(f"add e --auth sigv4 --aws-profile dev --workspace {WS} --region us-east-2"))
    assert store.read_doc().profiles["e"].region == "us-east-2"


def test_add_region_required_when_the_aws_profile_has_none(cli: Cli, isolated_env: Path) -> None:
    (isolated_env / "home" / ".aws" / "config").write_text("[profile dev]\noutput = json\n")
    r = cli(f"add d --auth sigv4 --aws-profile dev --workspace {WS}")
    assert r.code == 2
    assert r.error_line.endswith("--region is required (AWS profile 'dev' sets none)")
    r = cli(f"add d --auth sigv4 --workspace {WS}")
    assert r.code == 2
    assert r.error_line.endswith("--region is required")


def test_add_with_a_broken_aws_config_is_one_line(cli: Cli, isolated_env: Path) -> None:
    pytest.importorskip("profiles.aws.config")
    (isolated_env / "home" / ".aws" / "config").write_text(
        "[profile dev]\nregion = eu-west-3\n[profile dev]\nregion = eu-west-1\n"
    )
    r = cli(f"add d --auth sigv4 --aws-profile dev --workspace {WS}")
    assert r.code == 2
    assert r.out == ""
    assert "--region is required" in r.error_line
    assert "config:3" in r.error_line
    assert not (store.read_doc().profiles)


# --- export -----------------------------------------------------------------------------------

SHELL_LINE = {
    "posix": re.compile(r"(unset [A-Z][A-Z0-9_]*|export [A-Z][A-Z0-9_]*=\S+);"),
    "fish": re.compile(r"(set -e [A-Z][A-Z0-9_]*|set -gx [A-Z][A-Z0-9_]* \S+|true);"),
    "powershell": re.compile(
        r"(Remove-Item Env:[A-Z][A-Z0-9_]* -ErrorAction SilentlyContinue|"
        r"\$Env:[A-Z][A-Z0-9_]* = '[^']*')"
    ),
    "dotenv": re.compile(r"[A-Z][A-Z0-9_]*=\S+"),
}


@pytest.mark.usefixtures("profiles")
@pytest.mark.parametrize("shell", shellcode.SHELLS)
@pytest.mark.parametrize("name", list(SHAPES))
def test_export_prints_only_shell_code(cli: Cli, shell: str, name: str) -> None:
    r = ok(cli("export", name, "--shell", shell))
    assert r.err == ""
    assert r.out.endswith("\n")
    if shell == "json":
        data = json.loads(r.out)
        assert set(data) == {"set", "unset"}
        assert data["set"]["CC_AWS_TUI_PROFILE"] == name
        return
    lines = r.out.splitlines()
    assert lines
    for line in lines:
        assert SHELL_LINE[shell].fullmatch(line), line
    assert any(f"CC_AWS_TUI_PROFILE{sep}{name}" in r.out for sep in ("=", " ", " = '"))


@pytest.mark.usefixtures("profiles")
def test_export_defaults_to_the_current_profile(cli: Cli) -> None:
    assert store.read_doc().current == "dev"
    assert cli("export").out == cli("export dev").out
    ok(cli("use key"))
    assert cli("export").out == cli("export key").out
    assert cli("export --shell fish").out == cli("export key --shell fish").out
    assert cli("export --shell=json").out == cli("export key --shell json").out


@pytest.mark.usefixtures("profiles")
def test_export_through_a_real_shell(cli: Cli) -> None:
    """The POSIX output, evaluated by sh, gives the profile's variables (the full round trips
    through every shell live in tests/core/test_envplan.py)."""
    code = cli("export key").out
    env = {"PATH": os.environ["PATH"], "ANTHROPIC_AWS_API_KEY": "stale", "AWS_PROFILE": "mine"}
    env["CLAUDE_CODE_USE_BEDROCK"] = "1"
    argv = ["sh", "-c", 'eval "$1"; env', "sh", code]
    out = subprocess.run(argv, capture_output=True, text=True, env=env, check=True).stdout
    got = dict(line.split("=", 1) for line in out.splitlines() if "=" in line)
    assert got["ANTHROPIC_AWS_API_KEY"] == KEY
    assert got["AWS_PROFILE"] == "mine"  # an API key leaves the AWS variables alone
    assert "CLAUDE_CODE_USE_BEDROCK" not in got
    assert got["CC_AWS_TUI_PROFILE"] == "key"


# --- list, show, use, current, rm, rename -------------------------------------------------------


def test_list_with_no_profiles(cli: Cli) -> None:
    for args in ("list", "list --names", "list --json"):
        r = ok(cli(args))
        if args == "list --json":
            assert json.loads(r.out) == []
        else:
            assert r.out == ""
    assert "no profiles yet" in cli("list").err


@pytest.mark.usefixtures("profiles")
def test_list_table(cli: Cli) -> None:
    r = ok(cli("list"))
    lines = r.out.splitlines()
    assert lines[0].split() == ["NAME", "AUTH", "CREDENTIALS", "WORKSPACE", "REGION"]
    rows = {ln.lstrip("* ").split()[0]: ln for ln in lines[1:]}
    assert sorted(rows) == ["ci", "dev", "gw", "key"]
    assert rows["dev"].startswith("*")
    assert "aws:dev-sso" in rows["dev"]
    assert "default chain" in rows["ci"]
    assert "key in file" in rows["key"]


LIST_JSON_KEYS = [
    "name", "current", "auth", "aws_profile", "workspace_id", "region", "base_url", "models",
    "cache_ttl",
]  # fmt: skip


@pytest.mark.usefixtures("profiles")
def test_list_json_has_a_stable_shape(cli: Cli) -> None:
    rows = json.loads(ok(cli("list --json")).out)
    assert [r["name"] for r in rows] == ["ci", "dev", "gw", "key"]
    for row in rows:
        assert list(row) == LIST_JSON_KEYS
    by_name = {r["name"]: r for r in rows}
    assert by_name["dev"] == {
        "name": "dev",
        "current": True,
        "auth": "sigv4",
        "aws_profile": "dev-sso",
        "workspace_id": WS,
        "region": "us-east-1",
        "base_url": "https://aws-external-anthropic.us-east-1.api.aws",
        "models": {},
        "cache_ttl": "5m",
    }
    assert by_name["gw"]["base_url"] == "https://gw.example.com"
    assert [r["current"] for r in rows] == [False, True, False, False]


@pytest.mark.usefixtures("profiles")
def test_list_names(cli: Cli) -> None:
    assert ok(cli("list --names")).out == "ci\ndev\ngw\nkey\n"


@pytest.mark.usefixtures("profiles")
def test_show_masks_secrets(cli: Cli) -> None:
    r = ok(cli("show key"))
    assert "sk-ant-…f3Qa (file)" in r.out
    assert KEY not in r.out + r.err
    data = json.loads(ok(cli("show key --json")).out)
    assert data["api_key"] == "sk-ant-…f3Qa (file)"
    assert data["gateway_token"] is None
    assert data["name"] == "key"
    data = json.loads(ok(cli("show gw --json")).out)
    assert data["gateway_token"] == "…3f6a (file)"
    assert data["gateway_signs"] is True
    assert TOKEN not in json.dumps(data)
    # Default: the current profile.
    assert json.loads(ok(cli("show --json")).out)["name"] == "dev"


def test_show_a_command_key_and_a_missing_key(cli: Cli, config_dir: Path) -> None:
    cmd = "--api-key-command 'pass show claude'"
    ok(cli(f"add cmd --auth api-key {cmd} --workspace {WS} --region us-east-1"))
    assert "(from command: pass show claude)" in ok(cli("show cmd")).out
    ok(cli(SHAPES["key"][0], stdin=KEY))
    (config_dir / "secrets.toml").write_text("")
    assert "(missing from file)" in ok(cli("show key")).out
    r = cli("export key")
    assert r.code == 1
    assert r.out == ""
    assert "missing from secrets.toml" in r.error_line


@pytest.mark.usefixtures("profiles")
def test_use_and_current(cli: Cli) -> None:
    assert ok(cli("current")).out == "dev\n"
    r = ok(cli("use gw"))
    assert r.out == ""
    assert "current profile: gw" in r.err
    assert ok(cli("current")).out == "gw\n"


def test_current_without_one_exits_2(cli: Cli) -> None:
    r = cli("current")
    assert r.code == 2
    assert r.out == ""
    assert "no current profile" in r.error_line


@pytest.mark.usefixtures("profiles")
def test_rm(cli: Cli) -> None:
    r = ok(cli("rm key"))
    assert r.out == ""
    assert "deleted profile 'key'" in r.err
    assert "key" not in store.read_doc().profiles
    assert store.read_secrets() == {"gw": {"gateway_token": TOKEN}}
    # Removing the current profile leaves none current.
    ok(cli("rm dev"))
    assert store.read_doc().current is None
    assert cli("current").code == 2


@pytest.mark.usefixtures("profiles")
def test_rename_and_current_follows(cli: Cli) -> None:
    r = ok(cli("rename dev work"))
    assert r.out == ""
    assert ok(cli("current")).out == "work\n"
    assert env_set(cli)["CC_AWS_TUI_PROFILE"] == "work"
    assert env_set(cli)["AWS_PROFILE"] == "dev-sso"
    ok(cli("rename key k.2"))
    assert env_set(cli, "k.2")["ANTHROPIC_AWS_API_KEY"] == KEY
    assert sorted(store.read_doc().profiles) == ["ci", "gw", "k.2", "work"]


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


def _subparsers() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def _subparser(name: str) -> argparse.ArgumentParser:
    return _subparsers()[name]


def _commands() -> list[str]:
    return sorted(_subparsers())


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


# --- every documented error path: exit code, one line naming the problem, no stdout -------------

ADD = f"add x --workspace {WS} --region us-east-1"

ERRORS: list[tuple[str, str, int, str]] = [
    # (command line, stdin, exit status, what the one stderr line must contain)
    ("export nosuch", "", 2, "no profile named 'nosuch'"),
    ("export nosuch --shell json", "", 2, "no profile named 'nosuch'"),
    ("show nosuch", "", 2, "no profile named 'nosuch'"),
    ("use nosuch", "", 2, "no profile named 'nosuch'"),
    ("rm nosuch", "", 2, "no profile named 'nosuch'"),
    ("rename nosuch other", "", 2, "no profile named 'nosuch'"),
    ("exec nosuch -- true", "", 2, "no profile named 'nosuch'"),
    ("rename dev 'bad name'", "", 2, "'bad name' is not a valid profile name"),
    ("rename dev ci", "", 2, "profile 'ci' already exists"),
    ("export --shell nosuch", "", 2, "argument --shell: invalid choice: 'nosuch'"),
    ("export dev --shell nosuch", "", 2, "argument --shell: invalid choice: 'nosuch'"),
    ("off --shell tcsh", "", 2, "argument --shell: invalid choice: 'tcsh'"),
    ("list --bogus", "", 2, "unrecognized arguments: --bogus"),
    ("frobnicate", "", 2, "invalid choice: 'frobnicate'"),
    (
        f"add 'bad name' --auth sigv4 --workspace {WS} --region us-east-1",
        "",
        2,
        "NAME: 'bad name' is not a valid profile name",
    ),
    (
        f"add {'x' * 65} --auth sigv4 --workspace {WS} --region us-east-1",
        "",
        2,
        "is not a valid profile name",
    ),
    (
        "add x --auth sigv4 --workspace ws-123 --region us-east-1",
        "",
        2,
        "--workspace: 'ws-123' is not a workspace ID",
    ),
    (
        f"add x --auth sigv4 --workspace {WS} --region mars",
        "",
        2,
        "--region: 'mars' is not an AWS region name",
    ),
    (f"{ADD} --auth sigv4 --opus gpt-4", "", 2, "--opus: 'gpt-4' is not a Claude model ID"),
    (f"{ADD} --auth sigv4 --haiku Claude-Haiku", "", 2, "--haiku: 'Claude-Haiku' is not a Claude"),
    (
        f"{ADD} --auth sigv4 --base-url http://gw.example.com",
        "",
        2,
        "--base-url: 'http://gw.example.com' uses plain http",
    ),
    (
        f"{ADD} --auth sigv4 --base-url https://user:pw@gw.example.com",
        "",
        2,
        "--base-url: the base URL must not carry credentials",
    ),
    (f"{ADD} --auth sigv4 --base-url ftp://gw.example.com", "", 2, "--base-url: 'ftp://"),
    (f"{ADD} --auth sigv4 --base-url https://gw.example.com/?a=1", "", 2, "query string"),
    (
        f"{ADD} --auth api-key",
        "",
        2,
        "--api-key-stdin/--api-key-command: an api-key profile needs one",
    ),
    (
        f"{ADD} --auth api-key --aws-profile dev --api-key-stdin",
        KEY,
        2,
        "--aws-profile: only sigv4 profiles use an AWS profile",
    ),
    (
        f"{ADD} --auth sigv4 --api-key-stdin",
        KEY,
        2,
        "--api-key-stdin/--api-key-command: a sigv4 profile has no API key",
    ),
    (
        f"{ADD} --auth sigv4 --gateway-signs",
        "",
        2,
        "--base-url: a gateway setup needs the gateway's address",
    ),
    (f"{ADD} --auth sigv4 --gateway-token-stdin", TOKEN, 2, "--base-url: a gateway setup needs"),
    (
        f"{ADD} --auth api-key --api-key-stdin --gateway-signs --base-url https://g.example.com",
        KEY,
        2,
        "--gateway-signs: only applies to sigv4 profiles",
    ),
    (
        f"{ADD} --auth sigv4 --auth-refresh ' aws sso login'",
        "",
        2,
        "--auth-refresh: the command must not start or end with spaces",
    ),
    (
        f"{ADD} --auth api-key --api-key-command ''",
        "",
        2,
        "--api-key-command: api_key_command must not be empty",
    ),
    (
        f"{ADD} --auth api-key --api-key-stdin --api-key-command 'pass x'",
        "",
        2,
        "not allowed with argument",
    ),
    (f"{ADD} --auth api-key --api-key-stdin", "", 2, "expected on standard input"),
    (f"{ADD} --auth api-key --api-key-stdin", "\n\n", 2, "expected on standard input"),
    (f"{ADD} --auth api-key --api-key-stdin", "not-a-key\n", 2, "they start with sk-ant-"),
    (f"{ADD} --auth api-key --api-key-stdin", "sk-ant-has space\n", 2, "one word without spaces"),
    (
        f"{ADD} --auth api-key --api-key-stdin --gateway-token-stdin --base-url https://g.example.com",
        KEY + "\n",
        2,
        "expected on standard input, one per line: API key then gateway token",
    ),
    (
        f"{ADD} --auth api-key --api-key sk-ant-api03-secret",
        "",
        2,
        "unrecognized arguments: --api-key …",
    ),
    (
        f"{ADD} --auth api-key --api-key=sk-ant-api03-secret",
        "",
        2,
        "unrecognized arguments: --api-key=…",
    ),
    (
        f"{ADD} --auth sigv4 --gateway-token sk-ant-api03-secret",
        "",
        2,
        "unrecognized arguments: --gateway-token …",
    ),
    (f"{ADD} --auth bogus", "", 2, "argument --auth: invalid choice: 'bogus'"),
    (f"{ADD} --auth sigv4 --cache-ttl 2h", "", 2, "argument --cache-ttl: invalid choice: '2h'"),
    ("add x --auth sigv4 --region us-east-1", "", 2, "required: --workspace"),
    (
        f"add dev --auth sigv4 --workspace {WS} --region us-east-1",
        "",
        2,
        "profile 'dev' already exists: pass --force to replace it",
    ),
]


@pytest.mark.usefixtures("profiles")
@pytest.mark.parametrize(
    ("args", "stdin", "code", "message"),
    [pytest.param(*e, id=f"{i:02d}-{e[3][:40]}") for i, e in enumerate(ERRORS)],
)
def test_error_paths(
    cli: Cli, config_dir: Path, args: str, stdin: str, code: int, message: str
) -> None:
    before = {p.name: p.read_bytes() for p in config_dir.iterdir()}
    r = cli(args, stdin=stdin)
    assert r.code == code
    assert r.out == ""
    line = r.error_line
    assert line.startswith("cc-aws-tui")
    assert "error: " in line
    assert message in line
    assert "Traceback" not in r.err
    for secret in (*SECRETS, "sk-ant-api03-secret"):
        assert secret not in line
    # A failed command changes nothing.
    assert {p.name: p.read_bytes() for p in config_dir.iterdir()} == before


def test_no_option_takes_a_secret_on_the_command_line() -> None:
    """Secrets come from stdin or a command; no flag accepts one as its value."""
    for action in _subparser("add")._actions:
        for flag in action.option_strings:
            if re.search(r"key|token|secret", flag):
                takes_value = action.nargs != 0
                assert not takes_value or flag.endswith(("-command", "-store")), flag


def test_error_messages_in_a_missing_secret_export(cli: Cli, config_dir: Path) -> None:
    ok(cli(SHAPES["key"][0], stdin=KEY))
    (config_dir / "secrets.toml").unlink()
    for args in ("export key", "export", "exec key -- true"):
        r = cli(args)
        assert r.code == 1
        assert r.out == ""
        assert "profile 'key': its API key is missing from secrets.toml" in r.error_line


# --- secrets never leak ---------------------------------------------------------------------------


def test_secrets_appear_only_in_export(cli: Cli, execs: list[ExecCall], tmp_path: Path) -> None:
    seen: list[str] = []

    def run(args: str, stdin: str = "", code: int = 0) -> Run:
        r = cli(args, stdin=stdin)
        assert r.code == code, (args, r.err)
        seen.append(f"$ {args}\n{r.out}{r.err}")
        return r

    where = f"--workspace {WS} --region us-east-1"
    gateway = "--gateway-token-stdin --base-url https://gw.example.com"
    run(f"add k --auth api-key --api-key-stdin {gateway} {where}", f"{KEY}\n{TOKEN}\n")
    run(f"add kr --auth api-key --api-key-stdin --secret-store keyring {where}", f"{KEY2}\n")
    run(f"add k --auth api-key --api-key-stdin {where}", KEY, 2)
    run(f"add k --auth api-key --api-key-stdin {where} --force", f"{KEY} extra\n", 2)
    commands = """list | list --json | list --names | show k | show k --json | show kr |
        show kr --json | show | current | use kr | off | off --shell json | shell-init bash |
        rename k k2 | show k2 | --help | add --help | export --help"""
    for args in commands.split("|"):
        run(args.strip())
    run("exec k2 -- no-such-command-cc-aws-tui", code=127)
    with pytest.raises(Execed):
        cli("exec k2 -- true")
    seen.append(str(cli("export nosuch")))
    for text in seen:
        for secret in SECRETS:
            assert secret not in text, text
    # ...while export and exec's child do carry them.
    assert KEY in cli("export k2").out
    assert TOKEN in cli("export k2 --shell fish").out
    assert KEY2 in cli("export kr --shell powershell").out
    assert execs[-1].env["ANTHROPIC_AWS_API_KEY"] == KEY
    assert execs[-1].env["ANTHROPIC_AUTH_TOKEN"] == TOKEN
    run("rm k2")
    run("rm kr")
    for path in [*(tmp_path / "cc-aws-tui").iterdir(), tmp_path / "keyring.json"]:
        for secret in SECRETS:
            assert secret.encode() not in path.read_bytes(), path


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
