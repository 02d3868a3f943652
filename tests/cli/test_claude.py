"""The Claude Code settings commands as a person or a script uses them: apply, unapply, import,
share. stdout carries only the diff or the TOML; errors are one line on stderr with exit 2;
no secret is ever printed."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from profiles.claude.sources import applied_scopes
from profiles.cli import main, shellinit
from profiles.cli.parser import build_parser
from profiles.core import envplan
from profiles.core.schema import Profile
from profiles.store.files import read_doc, read_secrets
from profiles.usecases.edit import save_profile
from tests.cliutil import Cli, Run, console_script

AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/REVIEWSECRETKEY"

KEY = "sk-ant-api03-Zx9Yw8Vu7Ts6Rq5Po4Nm-f3Qa"
TOKEN = "gw-token-4f8a2b9c1d7e3f6a"
WS = "wrkspc_01AbCdEf23GhIj"

ORIGINAL = """{
  "permissions": {"allow": ["Bash(make test)"], "deny": ["Read(./.env)"]},
  "env": {"BASH_DEFAULT_TIMEOUT_MS": "120000"},
  "hooks": {"Stop": [{"hooks": [{"type": "command", "command": "say done"}]}]},
  "statusLine": {"type": "command", "command": "echo ☕"}
}
"""


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Cli:
    """Run `cc-aws-tui ARGS` in this process; `stdin` is what standard input holds."""

    def run(*args: str, stdin: str = "", prints_secrets: bool = False) -> Run:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        capsys.readouterr()
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse: --help, usage errors
            code = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
        out, err = capsys.readouterr()
        if not prints_secrets:
            assert KEY not in out + err
            assert TOKEN not in out + err
        return Run(code, out, err)

    return run


@pytest.fixture
def profiles(cli: Cli) -> None:
    """`key` (api-key, pins, 1h, refresh), `sso` (named AWS profile), `gw` (gateway + token)."""
    base = ["--workspace", WS, "--region", "eu-west-3"]
    assert cli(
        "add", "key", "--auth", "api-key", "--api-key-stdin", *base, "--opus", "claude-opus-4-8",
        "--cache-ttl", "1h", "--auth-refresh", "aws sso login --profile x", stdin=KEY + "\n",
    ).code == 0  # fmt: skip
    assert cli("add", "sso", "--auth", "sigv4", "--aws-profile", "dev-sso", *base).code == 0
    assert cli(
        "add", "gw", "--auth", "sigv4", "--base-url", "https://gw.example.com", "--gateway-signs",
        "--gateway-token-stdin", *base, stdin=TOKEN + "\n",
    ).code == 0  # fmt: skip


@pytest.fixture
def user_file() -> Path:
    path = Path.home() / ".claude" / "settings.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(ORIGINAL, encoding="utf-8")
    return path


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A real git repository ignoring .claude/settings.local.json, as the working directory."""
    if shutil.which("git") is None:
        pytest.skip("needs git")
    root = tmp_path / "repo"
    root.mkdir()
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    (root / ".gitignore").write_text(".claude/settings.local.json\n")
    monkeypatch.chdir(root)
    return root


def backup_dir_of(path: Path) -> Path:
    from profiles.claude import backup as settings_backup

    return settings_backup.store_dir(Path(os.path.realpath(path)))


def test_commands_are_registered_and_completed() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    names = set(sub.choices)  # type: ignore[arg-type]
    assert {"apply", "unapply", "import", "share"} <= names
    commands, takes_profile = shellinit.completion_words()
    assert {"apply", "unapply", "import", "share"} <= set(commands)
    assert {"apply", "share"} <= set(takes_profile)
    assert set(commands) == names


@pytest.mark.parametrize("command", ["apply", "unapply", "backups", "restore", "import", "share"])
def test_help(cli: Cli, command: str) -> None:
    run = cli(command, "--help")
    assert run.code == 0
    assert "exit status:" in run.out
    assert run.err == ""


# === apply / unapply =======================================================================


@pytest.mark.usefixtures("profiles")
def test_apply_dry_run_then_apply_then_unapply(cli: Cli, user_file: Path) -> None:
    dry = cli("apply", "key", "--scope", "user", "--dry-run")
    assert dry.code == 0
    assert dry.out.startswith(f"--- {user_file} (now)\n+++ {user_file} (after)\n")
    assert '+    "ANTHROPIC_AWS_API_KEY": "sk-ant-…f3Qa",' in dry.out
    assert '+  "awsAuthRefresh": "aws sso login --profile x"' in dry.out
    assert "dry run" in dry.err
    assert user_file.read_text() == ORIGINAL
    assert not backup_dir_of(user_file).exists()

    done = cli("apply", "key", "--scope", "user")
    assert done.code == 0
    assert done.out == ""
    bak = backup_dir_of(user_file) / "bak-000001"
    assert (
        f"wrote {user_file} (previous file kept in {bak}; `cc-aws-tui restore --scope user`"
        " puts it back)"
    ) in done.err
    env = json.loads(user_file.read_text())["env"]
    assert env[envplan.API_KEY] == KEY
    assert env["ENABLE_PROMPT_CACHING_1H"] == "1"
    assert envplan.MARKER not in env
    assert bak.read_text() == ORIGINAL
    assert sorted(os.listdir(user_file.parent)) == ["settings.json"]
    assert applied_scopes("key") == ["user"]

    again = cli("apply", "key", "--scope", "user")
    assert again.code == 0
    assert "no change" in again.err

    undo_dry = cli("unapply", "--scope", "user", "--dry-run")
    assert undo_dry.code == 0
    assert '-    "ANTHROPIC_AWS_API_KEY": "sk-ant-…f3Qa",' in undo_dry.out
    undo = cli("unapply", "--scope", "user")
    assert undo.code == 0
    assert undo.out == ""
    assert json.loads(user_file.read_text(), object_pairs_hook=list) == json.loads(
        ORIGINAL, object_pairs_hook=list
    )
    assert "nothing to undo" in cli("unapply", "--scope", "user").err


@pytest.mark.usefixtures("profiles")
def test_project_scope_refuses_secrets(cli: Cli, repo: Path) -> None:
    for name, what in (("key", "API key"), ("gw", "gateway token")):
        run = cli("apply", name, "--scope", "project", "--dry-run")
        assert run.code == 2
        assert run.out == ""
        assert run.err.count("\n") == 1
        assert what in run.err
        assert "committed" in run.err
    assert not (repo / ".claude").exists()
    ok = cli("apply", "sso", "--scope", "project")
    assert ok.code == 0
    assert json.loads((repo / ".claude" / "settings.json").read_text())["env"]["AWS_PROFILE"] == (
        "dev-sso"
    )
    local = cli("apply", "key", "--scope", "local")
    assert local.code == 0
    assert oct((repo / ".claude" / "settings.local.json").stat().st_mode & 0o777) == "0o600"


@pytest.mark.usefixtures("profiles")
def test_broken_settings_are_reported_with_line_and_column(cli: Cli, user_file: Path) -> None:
    user_file.write_text('{\n  "env": {\n    "A": "1"\n  \n}\n')
    run = cli("apply", "key", "--scope", "user")
    assert run.code == 2
    assert run.out == ""
    assert run.err.startswith(f"cc-aws-tui: error: {user_file}:6:1: Expecting ',' delimiter")
    assert user_file.read_text() == '{\n  "env": {\n    "A": "1"\n  \n}\n'


def test_apply_unknown_profile(cli: Cli) -> None:
    run = cli("apply", "nope", "--scope", "user")
    assert run.code == 2
    assert "no profile named 'nope'" in run.err
    assert run.out == ""


def test_apply_needs_a_scope(cli: Cli) -> None:
    run = cli("apply", "key")
    assert run.code == 2
    assert "--scope" in run.err
    assert run.out == ""


# === import ================================================================================


def test_import_from_env(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    for var, value in {
        "CLAUDE_CODE_USE_ANTHROPIC_AWS": "1",
        "ANTHROPIC_AWS_WORKSPACE_ID": WS,
        "AWS_REGION": "us-east-1",
        "ANTHROPIC_AWS_API_KEY": KEY,
        "ANTHROPIC_DEFAULT_SONNET_MODEL": "claude-sonnet-5",
        "CLAUDE_CODE_MAX_OUTPUT_TOKENS": "8192",
    }.items():
        monkeypatch.setenv(var, value)
    run = cli("import", "mine", "--from-env")
    assert run.code == 0
    assert run.out == ""
    assert "warning: CLAUDE_CODE_MAX_OUTPUT_TOKENS is not imported" in run.err
    assert "imported profile 'mine' from the environment; its API key is in secrets.toml" in run.err
    profile = read_doc().profiles["mine"]
    assert profile.auth == "api-key"
    assert dict(profile.models) == {"sonnet": "claude-sonnet-5"}
    assert read_secrets()["mine"]["api_key"] == KEY
    assert "sk-ant" not in (Path(os.environ["CC_AWS_TUI_CONFIG_DIR"]) / "profiles.toml").read_text()
    # It exports what was there.
    exported = cli("export", "mine", "--shell", "json", prints_secrets=True)
    assert json.loads(exported.out)["set"][envplan.API_KEY] == KEY

    again = cli("import", "mine", "--from-env")
    assert again.code == 2
    assert "--force" in again.err
    assert cli("import", "mine", "--from-env", "--force").code == 0


def test_import_from_env_refuses_contradictions(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAUDE_CODE_USE_BEDROCK", "1")
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    run = cli("import", "mine", "--from-env")
    assert run.code == 2
    assert run.out == ""
    lines = run.err.splitlines()
    assert any("CLAUDE_CODE_USE_ANTHROPIC_AWS is not set" in ln for ln in lines)
    assert any("CLAUDE_CODE_USE_BEDROCK is set" in ln for ln in lines)
    assert any("ANTHROPIC_AWS_WORKSPACE_ID is not set" in ln for ln in lines)
    assert lines[-1].endswith("(nothing imported)")
    assert read_doc().profiles == {}


@pytest.mark.usefixtures("profiles")
def test_import_from_settings_after_apply(cli: Cli, user_file: Path) -> None:
    assert cli("apply", "gw", "--scope", "user").code == 0
    run = cli("import", "gw2", "--from-settings", "user", "--secret-store", "keyring")
    assert run.code == 0, run.err
    assert "warning: BASH_DEFAULT_TIMEOUT_MS is not imported" in run.err
    doc = read_doc()
    original, copy = doc.profiles["gw"], doc.profiles["gw2"]
    assert copy.gateway_signs
    assert copy.base_url == original.base_url
    assert copy.gateway_token_store == "keyring"
    assert "gw2" not in read_secrets()


def test_import_from_missing_settings(cli: Cli) -> None:
    run = cli("import", "x", "--from-settings", "user")
    assert run.code == 2
    assert "no such file" in run.err


def test_personal_flags_only_with_from_file(cli: Cli) -> None:
    run = cli("import", "x", "--from-env", "--aws-profile", "p")
    assert run.code == 2
    assert "go with --from-file" in run.err


# === share =================================================================================


@pytest.mark.usefixtures("profiles")
def test_share_then_import_from_file(cli: Cli, tmp_path: Path) -> None:
    shared = cli("share", "key")
    assert shared.code == 0
    assert "not shared (personal or secret): the API key" in shared.err
    doc = tomllib.loads(shared.out)
    assert doc["profiles"]["key"]["models"] == {"opus": "claude-opus-4-8"}
    assert "api_key" not in shared.out
    team = tmp_path / "team.toml"
    team.write_text(shared.out)

    missing = cli("import", "k2", "--from-file", str(team))
    assert missing.code == 2
    assert "--api-key-stdin" in missing.err
    run = cli("import", "k2", "--from-file", str(team), "--api-key-stdin", stdin=KEY + "\n")
    assert run.code == 0, run.err
    assert "Claude Code will run this when AWS credentials expire" in run.err
    saved = read_doc().profiles
    assert saved["k2"].to_toml_dict() == saved["key"].to_toml_dict()
    assert read_secrets()["k2"]["api_key"] == KEY

    sso = tmp_path / "sso.toml"
    sso.write_text(cli("share", "sso").out)
    assert "dev-sso" not in sso.read_text()
    run = cli("import", "s2", "--from-file", str(sso), "--aws-profile", "my-sso")
    assert run.code == 0
    assert read_doc().profiles["s2"].aws_profile == "my-sso"

    gw = tmp_path / "gw.toml"
    gw.write_text(cli("share", "gw").out)
    run = cli("import", "g2", "--from-file", str(gw), "--gateway-token-stdin", stdin=TOKEN + "\n")
    assert run.code == 0
    assert read_secrets()["g2"]["gateway_token"] == TOKEN


def test_import_from_file_rejects_secrets(cli: Cli, tmp_path: Path) -> None:
    team = tmp_path / "team.toml"
    team.write_text(
        f'schema = 1\n[profiles.x]\nauth = "api-key"\nworkspace_id = "{WS}"\n'
        f'region = "us-east-1"\napi_key = "{KEY}"\n'
    )
    run = cli("import", "x", "--from-file", str(team), "--api-key-stdin", stdin=KEY + "\n")
    assert run.code == 2
    assert run.out == ""
    assert f"{team}: profiles.x.api_key: a shared profile must not carry secrets" in run.err
    assert read_doc().profiles == {}
    assert cli("import", "x", "--from-file", str(tmp_path / "none.toml")).code == 2


# === the installed command =================================================================


@pytest.mark.usefixtures("profiles")
def test_subprocess_apply_and_share(user_file: Path, tmp_path: Path) -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [console_script(), *args], capture_output=True, text=True, timeout=60, cwd=tmp_path
        )

    dry = run("apply", "key", "--scope", "user", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "sk-ant-…f3Qa" in dry.stdout
    assert KEY not in dry.stdout + dry.stderr
    assert user_file.read_text() == ORIGINAL
    done = run("apply", "key", "--scope", "user")
    assert done.returncode == 0
    assert done.stdout == ""
    assert json.loads(user_file.read_text())["env"][envplan.API_KEY] == KEY
    shared = run("share", "key")
    assert shared.returncode == 0
    assert KEY not in shared.stdout
    assert tomllib.loads(shared.stdout)["schema"] == 1
    undo = run("unapply", "--scope", "user")
    assert undo.returncode == 0
    assert json.loads(user_file.read_text()) == json.loads(ORIGINAL)


def test_status_names_the_settings_file_that_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A stale Bedrock switch in ~/.claude/settings.json beats the exported profile."""
    import json as _json

    from profiles.cli import main as cli_main

    settings = Path(os.environ["HOME"]) / ".claude" / "settings.json"
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text(
        _json.dumps({"env": {"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "eu-west-1"}})
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CLAUDE_CODE_USE_ANTHROPIC_AWS", "1")
    monkeypatch.setenv("ANTHROPIC_AWS_WORKSPACE_ID", "wrkspc_01TestWorkspaceA")
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    assert cli_main(["status", "--json"]) == 0
    data = _json.loads(capsys.readouterr().out)
    assert data["provider"].startswith("Amazon Bedrock")
    assert "CLAUDE_CODE_USE_BEDROCK=1 in user settings" in data["provider"]
    assert data["region"] is None  # nothing of Claude Platform on AWS is in use
    assert not data["on_platform"]
    rows = {r["var"]: r for r in data["sources"]}
    assert rows["CLAUDE_CODE_USE_BEDROCK"]["source"].startswith("user settings")
    assert rows["AWS_REGION"]["overridden"] == [
        {"source": "the shell environment", "value": "us-east-1"}
    ]
    assert cli_main(["status"]) == 0
    text = capsys.readouterr().out
    assert "AWS_REGION" in text
    assert "hides the shell environment=us-east-1" in text


def sigv4() -> Profile:
    return Profile("dev", "sigv4", WS, "us-east-1", aws_profile="dev")


def test_status_json_masks_a_stale_key_in_the_drift(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    save_profile(sigv4())
    for k, v in {
        "CLAUDE_CODE_USE_ANTHROPIC_AWS": "1",
        "ANTHROPIC_AWS_WORKSPACE_ID": WS,
        "AWS_REGION": "us-east-1",
        "AWS_PROFILE": "dev",
        "CC_AWS_TUI_PROFILE": "dev",
        "ANTHROPIC_AWS_API_KEY": KEY,
        "AWS_SECRET_ACCESS_KEY": AWS_SECRET,
    }.items():
        monkeypatch.setenv(k, v)
    assert main(["status", "--json"]) == 0
    out = capsys.readouterr().out
    assert "ANTHROPIC_AWS_API_KEY" in json.loads(out)["drift"]
    assert KEY not in out
    assert AWS_SECRET not in out


def test_apply_never_shows_the_users_aws_secret_keys(
    capsys: pytest.CaptureFixture[str],
) -> None:
    save_profile(sigv4())
    settings = Path(os.environ["HOME"]) / ".claude" / "settings.json"
    settings.parent.mkdir(parents=True)
    settings.write_text(json.dumps({"env": {"AWS_SECRET_ACCESS_KEY": AWS_SECRET}}))
    assert main(["apply", "dev", "--scope", "user", "--dry-run"]) == 0
    captured = capsys.readouterr()
    assert "AWS_SECRET_ACCESS_KEY" in captured.out  # the diff does show the removal
    assert AWS_SECRET not in captured.out + captured.err


def test_apply_says_what_another_settings_file_would_still_override(
    repo: Path, user_file: Path, cli: Cli, profiles: None
) -> None:
    """Local settings beat user settings: applying to user cannot win over them."""
    local = repo / ".claude" / "settings.local.json"
    local.parent.mkdir(parents=True, exist_ok=True)
    local.write_text('{"env": {"ANTHROPIC_AWS_WORKSPACE_ID": "wrkspc_01LocalOverride"}}')

    run = cli("apply", "sso", "--scope", "user")
    err = run.err

    assert run.code == 0, err
    assert (
        f"local settings ({local}) sets ANTHROPIC_AWS_WORKSPACE_ID=wrkspc_01LocalOverride;"
        f" the profile's is {WS}, and beats the user settings"
    ) in err
    assert "cc-aws-tui apply sso --scope local" in err


@pytest.mark.usefixtures("profiles")
def test_apply_offers_a_status_line_writes_it_on_request_and_unapply_takes_it_back(
    cli: Cli, user_file: Path
) -> None:
    user_file.write_text('{"theme": "dark"}\n')
    first = cli("apply", "sso", "--scope", "user")
    assert "no status line: --statusline adds one" in first.err
    assert "statusLine" not in json.loads(user_file.read_text())

    assert cli("apply", "sso", "--scope", "user", "--statusline").code == 0
    line = json.loads(user_file.read_text())["statusLine"]
    assert line["type"] == "command"
    assert line["command"].endswith(" statusline")

    assert cli("unapply", "--scope", "user").code == 0
    assert "statusLine" not in json.loads(user_file.read_text())


@pytest.mark.usefixtures("profiles")
def test_apply_statusline_says_when_it_keeps_the_users_own(cli: Cli, user_file: Path) -> None:
    """--statusline never replaces a statusLine of the user's, and says so instead of
    doing nothing in silence."""
    own = {"type": "command", "command": "~/bin/my-line"}
    user_file.write_text(json.dumps({"statusLine": own}) + "\n")

    run = cli("apply", "sso", "--scope", "user", "--statusline")

    assert run.code == 0, run.err
    assert json.loads(user_file.read_text())["statusLine"] == own
    assert "kept your statusLine" in run.err


@pytest.mark.usefixtures("profiles")
def test_apply_isolates_by_default_and_env_keeps_aws_profile(cli: Cli, user_file: Path) -> None:
    run = cli("apply", "sso", "--scope", "user")
    data = json.loads(user_file.read_text())
    assert "AWS_PROFILE" not in data["env"]
    assert data["awsCredentialExport"].endswith(" credentials sso")
    assert "isolated: Claude Code gets AWS credentials from" in run.err

    assert cli("apply", "sso", "--scope", "user", "--credentials", "env").code == 0
    data = json.loads(user_file.read_text())
    assert data["env"]["AWS_PROFILE"] == "dev-sso"
    assert "awsCredentialExport" not in data
    # The next apply without --credentials keeps what the file was given last.
    assert cli("apply", "sso", "--scope", "user").code == 0
    assert json.loads(user_file.read_text())["env"]["AWS_PROFILE"] == "dev-sso"

    assert cli("unapply", "--scope", "user").code == 0
    assert "awsCredentialExport" not in json.loads(user_file.read_text())
