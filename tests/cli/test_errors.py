"""Every documented error path of `cc-aws-tui`: its exit code, one line naming the problem, no
stdout; and no secret on any output but `export`'s.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from profiles.cli import main
from profiles.usecases.edit import save_profile
from tests.cli.commands import (
    KEY,
    KEY2,
    SECRETS,
    SHAPES,
    TOKEN,
    WS,
    ExecCall,
    Execed,
    ok,
    sigv4,
    subparser,
)
from tests.cliutil import Cli, Run

# `exec` would replace pytest: the `execs` fixture (tests/cli/conftest.py) records it instead.
pytestmark = pytest.mark.usefixtures("execs")


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
    # An empty pipe (`op read ... |` without the 1Password CLI) says so (issue 12).
    (f"{ADD} --auth api-key --api-key-stdin", "", 2, "standard input was empty"),
    (f"{ADD} --auth api-key --api-key-stdin", "\n\n", 2, "standard input was empty"),
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
    for action in subparser("add")._actions:
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


def test_an_unexpected_error_is_one_line_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    save_profile(sigv4())

    def boom(*args: object, **kwargs: object) -> object:
        raise RuntimeError(f"internal state {KEY}")

    monkeypatch.setattr("profiles.core.envplan.plan_env", boom)
    assert main(["export", "dev"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert "RuntimeError" in captured.err
    assert KEY not in captured.err
