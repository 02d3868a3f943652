"""The `cc-aws-tui` command: every command, every documented error path, stdout empty on error,
and no secret on any output but `export`'s (and `exec`'s child environment).

Most tests call `main()` in this process (fast); a few run the installed console script to prove
the entry point works.

This module: add, export, list, show, use, current, rm, rename. exec, off, shell-init, help
and the installed script are in test_entry.py; error paths and leaks in test_errors.py.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from shlex import quote as q

import pytest

from profiles.core import envplan, shellcode
from profiles.store import files as store
from tests.cli.commands import KEY, SHAPES, SHELL_LINE, TOKEN, WHERE, WS, env_set, env_unset, ok
from tests.cliutil import Cli

# `exec` would replace pytest: the `execs` fixture (tests/cli/conftest.py) records it instead.
pytestmark = pytest.mark.usefixtures("execs")


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
    pytest.importorskip("profiles.aws.profiles")
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


def test_add_takes_the_region_claude_code_reads(cli: Cli, isolated_env: Path) -> None:
    # A section given twice is merged, the later value winning; ` # ...` is a comment.
    (isolated_env / "home" / ".aws" / "config").write_text(
        "[profile dev]\nregion = eu-west-3\n[profile dev]\nregion = eu-west-1 # Ireland\n"
    )
    r = cli(f"add d --auth sigv4 --aws-profile dev --workspace {WS}")
    assert r.code == 0, r.err
    assert store.read_doc().profiles["d"].region == "eu-west-1"


def test_add_warns_of_an_aws_profile_in_neither_file(cli: Cli, isolated_env: Path) -> None:
    aws = isolated_env / "home" / ".aws"
    (aws / "config").write_text(
        "[profile dev-ss0]\nregion = eu-west-3\n[profile prod]\nregion = us-east-1\n"
    )
    (aws / "credentials").write_text("[dev_sso]\naws_access_key_id = x\n")
    r = ok(cli(f"add d --auth sigv4 --aws-profile dev-sso --workspace {WS} --region us-east-1"))
    warning = [line for line in r.err.splitlines() if "warning" in line]
    assert warning == [
        f"cc-aws-tui: warning: AWS profile 'dev-sso': it is in neither {aws / 'config'}"
        f" nor {aws / 'credentials'}; close: dev_sso, dev-ss0"
    ]
    assert store.read_doc().profiles["d"].aws_profile == "dev-sso"  # saved all the same
    # A profile that is there: no warning.
    r = ok(cli(f"add e --auth sigv4 --aws-profile prod --workspace {WS} --region us-east-1"))
    assert "warning" not in r.err


def test_add_warns_with_no_aws_files(cli: Cli, isolated_env: Path) -> None:
    r = ok(cli(f"add d --auth sigv4 --aws-profile dev --workspace {WS} --region us-east-1"))
    assert "warning: AWS profile 'dev': it is in neither" in r.err
    assert r.err.count("warning") == 1
    assert r.err.splitlines()[-1].endswith("; no profiles there")


def test_add_with_an_unreadable_aws_config_is_one_line(cli: Cli, isolated_env: Path) -> None:
    config = isolated_env / "home" / ".aws" / "config"
    os.mkfifo(config)  # would block a reader forever
    r = cli(f"add d --auth sigv4 --aws-profile dev --workspace {WS}")
    assert r.code == 2
    assert r.out == ""
    assert "--region is required" in r.error_line
    assert f"{config}: is a named pipe (FIFO)" in r.error_line
    assert not (store.read_doc().profiles)


# --- export -----------------------------------------------------------------------------------


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


@pytest.mark.usefixtures("profiles")
def test_show_says_yes_and_no(cli: Cli) -> None:
    lines = ok(cli("show dev")).out.splitlines()
    assert [line.split() for line in lines if line.startswith("current ")] == [["current", "yes"]]
    lines = ok(cli("show gw")).out.splitlines()
    assert [line.split() for line in lines if line.startswith("current ")] == [["current", "no"]]
    assert [line.split() for line in lines if line.startswith("gateway_signs ")] == [
        ["gateway_signs", "yes"]
    ]
    assert "True" not in ok(cli("show gw")).out


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
