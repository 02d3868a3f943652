"""The commands that change a profile (`add --force`, `import --force`, `rename`, `rm`) say, one
line per Claude Code settings file it had been applied to, what became of it (stderr, like the
rest of their report), and leave stdout empty. A file that could not be updated gets a ⚠ line
with the command that does it; the exit status stays 0, since the profile change succeeded."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from profiles.claude import record
from tests.applied import SYNC_WS, USER_SETTINGS, AppliedDev
from tests.cliutil import Cli

ADD_DEV = f"add dev --auth sigv4 --aws-profile dev-sso --workspace {SYNC_WS} --force"
KEY = "sk-ant-api03-Zx9Yw8Vu7Ts6Rq5Po4Nm-f3Qa"
KEY2 = "sk-ant-api03-Second0Key1Value2Here-Wx7Y"


def env_of(path: Path) -> dict[str, Any]:
    env: dict[str, Any] = json.loads(path.read_text())["env"]
    return env


@pytest.fixture(autouse=True)
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands run outside the project: its file is found from the record."""
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")


def test_add_force_re_applies_and_says_so(cli: Cli, applied_dev: AppliedDev) -> None:
    r = cli(f"{ADD_DEV} --region eu-west-3 --opus claude-opus-4-8")

    assert (r.code, r.out) == (0, "")
    keys = "(AWS_REGION, ANTHROPIC_DEFAULT_OPUS_MODEL)"
    lines = r.err.splitlines()
    assert f"updated {applied_dev.user} (user): re-applied profile 'dev' {keys}" in lines
    assert f"updated {applied_dev.local} (local): re-applied profile 'dev' {keys}" in lines
    assert sum(line.startswith("  previous file kept in ") for line in lines) == 2
    for path in (applied_dev.user, applied_dev.local):
        assert env_of(path)["AWS_REGION"] == "eu-west-3"
        assert env_of(path)["ANTHROPIC_DEFAULT_OPUS_MODEL"] == "claude-opus-4-8"
    assert json.loads(applied_dev.user.read_text())["model"] == "opus"


def test_add_force_with_a_new_key_writes_it_and_never_prints_it(
    cli: Cli, git_project: Path
) -> None:
    add = f"add k --auth api-key --api-key-stdin --workspace {SYNC_WS} --region us-east-1"
    assert cli(add, stdin=KEY + "\n").code == 0
    assert cli("apply k --scope user").code == 0

    r = cli(f"{add} --force", stdin=KEY2 + "\n")

    assert (r.code, r.out) == (0, "")
    user = Path.home() / ".claude" / "settings.json"
    assert env_of(user)["ANTHROPIC_AWS_API_KEY"] == KEY2
    assert f"updated {user} (user): re-applied profile 'k' (ANTHROPIC_AWS_API_KEY)" in r.err
    assert KEY2 not in r.err
    assert KEY not in r.err


def test_import_force_re_applies(
    cli: Cli, applied_dev: AppliedDev, monkeypatch: pytest.MonkeyPatch
) -> None:
    for var, value in {
        "CLAUDE_CODE_USE_ANTHROPIC_AWS": "1",
        "ANTHROPIC_AWS_WORKSPACE_ID": SYNC_WS,
        "AWS_REGION": "eu-west-3",
        "AWS_PROFILE": "dev-sso",
    }.items():
        monkeypatch.setenv(var, value)

    r = cli("import dev --from-env --force")

    assert r.code == 0
    assert f"updated {applied_dev.user} (user): re-applied profile 'dev' (AWS_REGION)" in r.err
    assert env_of(applied_dev.local)["AWS_REGION"] == "eu-west-3"


def test_rename_rewrites_the_credential_command_and_moves_the_record(
    cli: Cli, applied_dev: AppliedDev
) -> None:
    r = cli("rename dev prod")

    assert (r.code, r.out) == (0, "")
    lines = r.err.splitlines()
    assert lines[0] == "renamed 'dev' to 'prod'"
    for path, scope in ((applied_dev.user, "user"), (applied_dev.local, "local")):
        assert f"updated {path} ({scope}): re-applied profile 'prod' (awsCredentialExport)" in lines
        assert json.loads(path.read_text())["awsCredentialExport"].endswith(" credentials prod")
    assert set(record.applied_files("prod")) == {str(applied_dev.user), str(applied_dev.local)}


def test_rm_takes_the_profile_back(cli: Cli, applied_dev: AppliedDev) -> None:
    r = cli("rm dev")

    assert (r.code, r.out) == (0, "")
    assert f"updated {applied_dev.user} (user): took back profile 'dev' (" in r.err
    assert f"updated {applied_dev.local} (local): took back profile 'dev' (" in r.err
    assert json.loads(applied_dev.user.read_text()) == json.loads(USER_SETTINGS)
    assert not applied_dev.local.exists()


def test_a_file_that_cannot_be_updated_is_a_warning_with_its_fix(
    cli: Cli, applied_dev: AppliedDev
) -> None:
    broken = b'{"env": {}, "env": {}}\n'  # a key given twice: not strict JSON
    applied_dev.local.write_bytes(broken)

    r = cli(f"{ADD_DEV} --region eu-west-3")

    assert (r.code, r.out) == (0, "")  # the profile was saved
    [warning] = [line for line in r.err.splitlines() if line.startswith("⚠")]
    assert warning.startswith(f"⚠ not updated {applied_dev.local} (local): {applied_dev.local}:")
    assert warning.endswith(
        f"; fix that, then run: cd {applied_dev.project} && cc-aws-tui apply dev --scope local"
    )
    assert applied_dev.local.read_bytes() == broken
    assert env_of(applied_dev.user)["AWS_REGION"] == "eu-west-3"

    r = cli("rm dev")
    assert r.code == 0
    assert f"cd {applied_dev.project} && cc-aws-tui unapply --scope local" in r.err
    assert applied_dev.local.read_bytes() == broken


def test_a_profile_applied_nowhere_adds_no_line(cli: Cli) -> None:
    add = f"add solo --auth sigv4 --workspace {SYNC_WS} --region us-east-1"
    assert cli(add).code == 0
    r = cli(f"{add} --force")
    assert r.err.splitlines() == [
        "saved profile 'solo'. Apply it: eval \"$(cc-aws-tui export solo)\""
    ]
