"""The live and discovery commands as a user runs them: validate, models, workspaces,
aws-profiles, status. Their stdout and exit codes are an API (0 ok, 1 a check failed, 2 usage or
configuration), so the tests read them exactly as a script would.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from profiles.claude.resolve import SHELL, Layer
from profiles.claude.status import resolve
from profiles.cli import main
from profiles.core import envplan
from profiles.store.files import read_doc
from tests.fakeplatform import (
    GATEWAY_TOKEN,
    TEST_ACCESS_KEY,
    TEST_API_KEY,
    TEST_SECRET_KEY,
    WORKSPACE_A,
    WORKSPACE_B,
    FakePlatformServer,
)
from tests.servers import (
    ACCOUNT_ID,
    SSO_ACCESS_TOKEN,
    AwsFiles,
    FakeSsoPortal,
)

SECRETS = (TEST_SECRET_KEY, TEST_API_KEY, GATEWAY_TOKEN, SSO_ACCESS_TOKEN)
CHECK_KEYS = {"id", "title", "status", "summary", "remedy", "seconds"}

pytestmark = pytest.mark.usefixtures("sts_endpoint")


Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Run:
    """Run `cc-aws-tui ARGS`; returns (exit code, stdout, stderr). Never leaks a secret."""

    def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
        capsys.readouterr()
        if stdin is not None:
            with pytest.MonkeyPatch.context() as mp:
                mp.setattr("sys.stdin", io.StringIO(stdin))
                code = main(list(args))
        else:
            code = main(list(args))
        out, err = capsys.readouterr()
        for secret in SECRETS:
            assert secret not in out
            assert secret not in err
        return code, out, err

    return run


def add_sigv4(cli: Run, fake: FakePlatformServer, name: str = "dev", *extra: str) -> None:
    code, _, err = cli(
        "add", name, "--auth", "sigv4", "--aws-profile", "static", "--workspace", WORKSPACE_A,
        "--region", "us-east-1", "--base-url", fake.base_url, *extra,
    )  # fmt: skip
    assert code == 0, err


def add_api_key(cli: Run, fake: FakePlatformServer, name: str = "keyed") -> None:
    code, _, err = cli(
        "add", name, "--auth", "api-key", "--api-key-stdin", "--workspace", WORKSPACE_A,
        "--region", "us-east-1", "--base-url", fake.base_url,
        stdin=TEST_API_KEY + "\n",
    )  # fmt: skip
    assert code == 0, err


def check_lines(out: str) -> dict[str, str]:
    """title -> mark, for each checklist line."""
    marks = {}
    for line in out.splitlines():
        if line[:2] in ("✓ ", "! ", "✗ ", "- "):
            title = line[2:].split("  ")[0].strip()
            marks[title] = line[0]
    return marks


def report_wall_time(label: str, seconds: float, capsys: pytest.CaptureFixture[str]) -> None:
    with capsys.disabled():
        print(f"\n[wall time] {label}: {seconds:.2f} s")


# --------------------------------------------------------------------------- validate


def test_validate_healthy_profile_prints_a_checklist_and_exits_0(
    cli: Run,
    fake_platform: FakePlatformServer,
    aws_files: AwsFiles,
    capsys: pytest.CaptureFixture[str],
) -> None:
    aws_files.add_static("static")
    add_sigv4(cli, fake_platform)

    started = time.monotonic()
    code, out, err = cli("validate", "dev")
    wall = time.monotonic() - started
    report_wall_time("validate, healthy server", wall, capsys)

    assert code == 0, out + err
    lines = out.splitlines()
    assert lines[0] == f"dev: sigv4 (static), {WORKSPACE_A}, us-east-1"
    assert check_lines(out) == {
        "Environment": "✓",
        "AWS credentials": "✓",
        "AWS identity": "✓",
        "Claude Platform on AWS": "✓",
        "Model pins": "✓",
        "Workspaces": "✓",
    }
    assert "→" not in out  # no remedies when all is well
    assert lines[-1].startswith("ready (")
    assert f"account {ACCOUNT_ID}" in out
    assert err == ""


def test_validate_uses_the_current_profile_by_default(
    cli: Run, fake_platform: FakePlatformServer
) -> None:
    add_api_key(cli, fake_platform)

    code, out, _ = cli("validate")

    assert code == 0
    assert out.startswith("keyed: api-key (API key)")
    assert check_lines(out)["Secrets"] == "✓"
    assert fake_platform.requests[0].headers["x-api-key"] == TEST_API_KEY


def test_validate_failure_shows_the_remedy_under_the_line_and_exits_1(
    cli: Run, fake_platform: FakePlatformServer, aws_files: AwsFiles
) -> None:
    aws_files.add_static("static")
    add_sigv4(cli, fake_platform)
    fake_platform.denied_access_keys.add(TEST_ACCESS_KEY)

    code, out, _ = cli("validate", "dev")

    assert code == 1
    lines = out.splitlines()
    marks = check_lines(out)
    assert marks["Claude Platform on AWS"] == "✗"
    assert marks["Workspaces"] == "!"
    failed = next(i for i, ln in enumerate(lines) if ln.startswith("✗ Claude Platform on AWS"))
    assert lines[failed + 1].lstrip().startswith("→ ")
    assert "AnthropicInferenceAccess" in lines[failed + 1]
    assert lines[-1].startswith("not ready (")


def test_validate_warnings_only_exit_0(
    cli: Run,
    fake_platform: FakePlatformServer,
    aws_files: AwsFiles,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    aws_files.add_static("static")
    add_sigv4(cli, fake_platform)
    monkeypatch.setenv("CLAUDE_CODE_USE_BEDROCK", "1")
    fake_platform.deny_list_workspaces = True

    code, out, _ = cli("validate", "dev")

    assert code == 0
    marks = check_lines(out)
    assert marks["Environment"] == "!"
    assert marks["Workspaces"] == "!"
    assert "CLAUDE_CODE_USE_BEDROCK" in out
    assert 'eval "$(cc-aws-tui export dev)"' in out
    assert out.splitlines()[-1].startswith("ready (")


def test_validate_warns_where_the_aws_cli_reads_the_aws_profile_differently(
    cli: Run, fake_platform: FakePlatformServer, aws_files: AwsFiles
) -> None:
    # The live checks get credentials through botocore: they pass, but the AWS CLI reads the
    # region with its comment, which Claude Code does not.
    aws_files.add_static("static", region=None)
    aws_files.config.write_text("[profile static]\nregion = us-east-1 # primary\n")
    add_sigv4(cli, fake_platform)
    warning = (
        "the AWS CLI and Claude Code read this profile differently: region: Claude Code uses "
        "us-east-1, the AWS CLI uses a value that is not a region name"
    )

    code, out, err = cli("validate", "dev")

    assert code == 0, out + err
    lines = out.splitlines()
    credentials = next(i for i, ln in enumerate(lines) if ln.startswith("✓ AWS credentials"))
    assert lines[credentials + 1].split(None, 3) == ["!", "AWS", "profile", warning]
    assert lines[-1].startswith("ready (")
    code, out, _ = cli("validate", "dev", "--json")
    assert code == 0
    assert json.loads(out)["aws_profile_warnings"] == [warning]


def test_validate_expired_sso_exits_1_with_the_login_command(
    cli: Run, fake_platform: FakePlatformServer, aws_files: AwsFiles, sso_portal: FakeSsoPortal
) -> None:
    import datetime as dt

    aws_files.add_sso_session("corp")
    aws_files.add_sso_profile("sso-dev", session="corp")
    aws_files.write_sso_token(session="corp", expires_in=-dt.timedelta(minutes=5))
    code, _, err = cli(
        "add", "sso", "--auth", "sigv4", "--aws-profile", "sso-dev", "--workspace", WORKSPACE_A,
        "--base-url", fake_platform.base_url, "--auth-refresh", "aws sso login --profile sso-dev",
    )  # fmt: skip
    assert code == 0, err  # region taken from [profile sso-dev]

    code, out, _ = cli("validate", "sso")

    assert code == 1
    assert check_lines(out)["AWS credentials"] == "✗"
    assert check_lines(out)["Claude Platform on AWS"] == "-"
    assert "→ run `aws sso login --profile sso-dev` (Claude Code re-runs it itself" in out


@pytest.mark.parametrize(
    "argv",
    [
        ("validate", "nope"),
        ("validate",),  # no profile saved, none current
        ("models", "nope"),
        ("workspaces", "nope"),
    ],
)
def test_validate_unknown_profile_exits_2(cli: Run, argv: tuple[str, ...]) -> None:
    code, out, err = cli(*argv)

    assert code == 2
    assert out == ""
    assert "cc-aws-tui: error:" in err


@pytest.mark.parametrize("timeout", ["0", "-1", "soon"])
def test_validate_bad_timeout_is_a_usage_error(cli: Run, timeout: str) -> None:
    with pytest.raises(SystemExit) as exc:
        cli("validate", "dev", "--timeout", timeout)

    assert exc.value.code == 2


def test_validate_broken_profiles_file_exits_2(cli: Run, config_dir: Any) -> None:
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "profiles.toml").write_text("schema = 1\n[profiles.dev]\nauth = 'x'\n")

    code, out, err = cli("validate", "dev")

    assert code == 2
    assert out == ""
    assert "profiles.toml" in err


def test_validate_json_shape(
    cli: Run, fake_platform: FakePlatformServer, aws_files: AwsFiles
) -> None:
    aws_files.add_static("static")
    add_sigv4(cli, fake_platform, "dev", "--opus", "claude-opus-4-8")

    code, out, err = cli("validate", "dev", "--json")

    assert code == 0, err
    data = json.loads(out)
    assert set(data) == {
        "profile", "ok", "seconds", "checks", "identity", "models", "workspaces",
        "aws_profile_warnings",
    }  # fmt: skip
    assert data["aws_profile_warnings"] == []
    assert data["profile"] == "dev"
    assert data["ok"] is True
    assert isinstance(data["seconds"], float)
    assert [c["id"] for c in data["checks"]] == [
        "env",
        "credentials",
        "identity",
        "platform",
        "models",
        "workspaces",
    ]
    for check in data["checks"]:
        assert set(check) == CHECK_KEYS
        assert check["status"] in ("pass", "warn", "fail", "skip")
        assert isinstance(check["seconds"], float)
    titles = {c["id"]: c["title"] for c in data["checks"]}
    assert titles["platform"] == "Claude Platform on AWS"
    assert data["identity"]["account"] == ACCOUNT_ID
    assert "claude-opus-4-8" in data["models"]
    assert {"id": WORKSPACE_A, "name": "Test Workspace A", "archived": False} in data["workspaces"]


def test_validate_json_on_failure_exits_1_with_the_remedy(
    cli: Run, fake_platform: FakePlatformServer
) -> None:
    add_api_key(cli, fake_platform)
    fake_platform.api_keys.clear()  # the saved key was revoked

    code, out, _ = cli("validate", "keyed", "--json")

    assert code == 1
    data = json.loads(out)
    assert data["ok"] is False
    platform = next(c for c in data["checks"] if c["id"] == "platform")
    assert platform["status"] == "fail"
    assert "regenerate" in platform["remedy"]
    assert data["models"] is None


def test_validate_timeout_is_honoured_against_a_hung_server(
    cli: Run,
    fake_platform: FakePlatformServer,
    aws_files: AwsFiles,
    capsys: pytest.CaptureFixture[str],
) -> None:
    aws_files.add_static("static")
    add_sigv4(cli, fake_platform)
    fake_platform.delay_seconds = 60

    started = time.monotonic()
    # 3 s, not 1: the AWS credentials are resolved in a child Python of their own, which on a
    # loaded two-core machine can take most of a second before the platform call starts.
    code, out, _ = cli("validate", "dev", "--timeout", "3")
    wall = time.monotonic() - started
    report_wall_time("validate --timeout 3, hung server", wall, capsys)

    assert wall < 4.5, wall
    assert code == 1
    assert check_lines(out)["Claude Platform on AWS"] == "✗"
    assert "no answer from" in out
    assert "within 3s" in out


@pytest.mark.parametrize("hung", [False, True], ids=["healthy", "hung"])
def test_validate_wall_time_in_a_fresh_process(
    hung: bool,
    cli: Run,
    fake_platform: FakePlatformServer,
    aws_files: AwsFiles,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """What a user waits for: interpreter start, botocore's import and the checks.

    The checks' own time (the report's `seconds`) is bounded tightly; the wall time, which
    includes starting Python on a possibly busy machine, only loosely (far below the hang).
    """
    aws_files.add_static("static")
    add_sigv4(cli, fake_platform)
    fake_platform.delay_seconds = 60 if hung else 0

    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-c", "import sys; from profiles.cli import main; sys.exit(main())",
         "validate", "dev", "--timeout", "1" if hung else "5", "--json"],
        capture_output=True, text=True, timeout=30, check=False,
    )  # fmt: skip
    wall = time.monotonic() - started
    label = "hung server" if hung else "healthy server"
    report_wall_time(
        f"`cc-aws-tui validate dev --timeout {1 if hung else 5}` in a fresh process, {label}",
        wall,
        capsys,
    )

    assert proc.returncode == (1 if hung else 0), proc.stdout + proc.stderr
    assert proc.stderr == ""
    checks_seconds = json.loads(proc.stdout)["seconds"]
    # Healthy: well inside the 5 s deadline (no step waited on it), whatever the load of a
    # parallel test run; the figure itself is reported above, not asserted.
    assert checks_seconds < (2.5 if hung else 4.0), checks_seconds
    assert wall < 15, wall


# --------------------------------------------------------------------------- models, workspaces


def test_models_lists_ids_and_names(
    cli: Run, fake_platform: FakePlatformServer, aws_files: AwsFiles
) -> None:
    aws_files.add_static("static")
    add_sigv4(cli, fake_platform)

    code, out, _ = cli("models", "dev")

    assert code == 0
    rows = [line.split(None, 1) for line in out.splitlines()]
    assert rows[0] == ["claude-fable-5", "Claude Fable 5"]
    assert ["claude-haiku-4-5", "Claude Haiku 4.5"] in rows
    assert len(rows) == len(fake_platform.models)
    assert fake_platform.requests[-1].headers["anthropic-workspace-id"] == WORKSPACE_A


def test_models_json(cli: Run, fake_platform: FakePlatformServer) -> None:
    add_api_key(cli, fake_platform)

    code, out, _ = cli("models", "keyed", "--json")

    assert code == 0
    data = json.loads(out)
    assert [m["id"] for m in data] == [m["id"] for m in fake_platform.models]
    assert data[0]["display_name"] == "Claude Fable 5"


def test_models_denied_exits_1_with_the_remedy(cli: Run, fake_platform: FakePlatformServer) -> None:
    add_api_key(cli, fake_platform)
    fake_platform.denied_api_keys.add(TEST_API_KEY)

    code, out, err = cli("models", "keyed")

    assert code == 1
    assert out == ""
    assert "CallWithBearerToken" in err


def test_models_with_expired_sso_exits_1(
    cli: Run, fake_platform: FakePlatformServer, aws_files: AwsFiles, sso_portal: FakeSsoPortal
) -> None:
    import datetime as dt

    aws_files.add_sso_profile("static")  # legacy SSO profile under the name add_sigv4 uses
    aws_files.write_sso_token(expires_in=-dt.timedelta(hours=2))
    add_sigv4(cli, fake_platform)

    code, out, err = cli("models", "dev")

    assert code == 1
    assert out == ""
    assert "aws sso login --profile static" in err
    assert fake_platform.requests == []


def test_workspaces_lists_ids_and_names(
    cli: Run, fake_platform: FakePlatformServer, aws_files: AwsFiles
) -> None:
    aws_files.add_static("static")
    add_sigv4(cli, fake_platform)

    code, out, _ = cli("workspaces", "dev")

    assert code == 0
    rows = [line.split(None, 1) for line in out.splitlines()]
    assert rows == [[WORKSPACE_A, "Test Workspace A"], [WORKSPACE_B, "Test Workspace B"]]
    assert "anthropic-workspace-id" not in fake_platform.requests[-1].headers


def test_workspaces_json(cli: Run, fake_platform: FakePlatformServer) -> None:
    add_api_key(cli, fake_platform)

    code, out, _ = cli("workspaces", "keyed", "--json")

    assert code == 0
    data = json.loads(out)
    assert [w["id"] for w in data] == [WORKSPACE_A, WORKSPACE_B]
    assert data[0]["name"] == "Test Workspace A"


def test_workspaces_forbidden_exits_1_and_names_the_action(
    cli: Run, fake_platform: FakePlatformServer
) -> None:
    add_api_key(cli, fake_platform)
    fake_platform.deny_list_workspaces = True

    code, _, err = cli("workspaces", "keyed")

    assert code == 1
    assert "ListWorkspaces" in err


# --------------------------------------------------------------------------- aws-profiles


def write_aws_profiles(aws_files: AwsFiles) -> None:
    aws_files.add_static("static", region="eu-west-1")
    aws_files.add_sso_session("corp")
    aws_files.add_sso_profile("sso-dev", session="corp", region="us-east-1")
    aws_files.add_sso_profile("sso-legacy", region="us-west-2")
    aws_files.add_assume_role(
        "role", f"arn:aws:iam::{ACCOUNT_ID}:role/R", "static", region="ap-south-1"
    )


def test_aws_profiles_lists_kind_and_region(cli: Run, aws_files: AwsFiles) -> None:
    write_aws_profiles(aws_files)

    code, out, _ = cli("aws-profiles")

    assert code == 0
    rows = {line.split()[0]: line.split()[1:] for line in out.splitlines()}
    assert rows["static"][:2] == ["static", "eu-west-1"]
    assert rows["sso-dev"] == ["sso", "us-east-1", "corp"]
    assert rows["sso-legacy"][:2] == ["sso", "us-west-2"]
    assert rows["sso-legacy"][2].startswith("https://")
    assert rows["role"][:2] == ["assume-role", "ap-south-1"]
    assert TEST_SECRET_KEY not in out


def test_aws_profiles_json(cli: Run, aws_files: AwsFiles) -> None:
    write_aws_profiles(aws_files)

    code, out, _ = cli("aws-profiles", "--json")

    assert code == 0
    data = {p["name"]: p for p in json.loads(out)}
    assert set(data) == {"static", "sso-dev", "sso-legacy", "role"}
    assert set(data["sso-dev"]) == {
        "name", "kind", "region", "sso_session", "sso_start_url", "issues", "differences"
    }  # fmt: skip
    assert data["sso-dev"]["kind"] == "sso"
    assert data["sso-dev"]["sso_session"] == "corp"
    assert data["role"]["kind"] == "assume-role"
    assert data["static"] == {
        "name": "static",
        "kind": "static",
        "region": "eu-west-1",
        "sso_session": None,
        "sso_start_url": None,
        "issues": [],
        "differences": [],
    }


def test_aws_profiles_none(cli: Run) -> None:
    code, out, err = cli("aws-profiles")

    assert code == 0
    assert out == ""
    assert "no AWS profiles" in err
    assert cli("aws-profiles", "--json")[1].strip() == "[]"


def test_aws_profiles_notes_what_the_aws_cli_reads_differently(
    cli: Run, aws_files: AwsFiles
) -> None:
    # Claude Code reads every line here; the AWS CLI refuses the file (a line that is not a
    # setting) and reads `[profile "my dev"]`, which Claude Code skips.
    aws_files.config.write_text(
        "[profile ok]\nregion = us-east-1 # primary\nthis line is broken\n"
        '[profile "my dev"]\nregion = eu-west-1\n'
    )

    code, out, err = cli("aws-profiles")

    assert code == 0, err
    assert out.split() == ["ok", "unknown", "us-east-1"]
    assert err.splitlines() == [
        f"⚠ ok: the AWS CLI and Claude Code read this profile differently: the AWS CLI refuses "
        f"{aws_files.config}:3: expected 'key = value', a [section] header or a comment",
    ]
    code, out, _ = cli("aws-profiles", "--json")
    [ok] = json.loads(out)
    assert ok["differences"] == [
        f"the AWS CLI refuses {aws_files.config}:3: expected 'key = value', a [section] header "
        "or a comment"
    ]


def test_aws_profiles_names_profiles_only_the_aws_cli_sees(cli: Run, aws_files: AwsFiles) -> None:
    aws_files.config.write_text('[profile "my dev"]\nregion = eu-west-1\n[profile ok]\nk = v\n')

    code, out, err = cli("aws-profiles")

    assert code == 0
    assert out.split() == ["ok", "unknown", "-"]
    assert err == "⚠ only the AWS CLI sees (Claude Code does not): my dev\n"


def test_aws_profiles_unreadable_config_exits_2_naming_the_file(
    cli: Run, aws_files: AwsFiles
) -> None:
    aws_files.config.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(aws_files.config)  # would block a reader forever

    code, out, err = cli("aws-profiles")

    assert code == 2
    assert out == ""
    assert f"{aws_files.config}: is a named pipe (FIFO)" in err
    assert "Traceback" not in err


# --------------------------------------------------------------------------- status


def set_environ(monkeypatch: pytest.MonkeyPatch, env: Mapping[str, str]) -> None:
    """Make os.environ exactly `env` for this test."""
    for name in list(os.environ):
        if name not in env:
            monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)


def status_rows(out: str) -> dict[str, str]:
    rows = {}
    for line in out.splitlines():
        if not line.startswith("! "):
            key, _, value = line.partition(" ")
            rows[key] = value.strip()
    return rows


def exported(name: str, secrets: Mapping[str, str] | None = None) -> dict[str, str]:
    """This process's environment after `eval "$(cc-aws-tui export NAME)"`."""
    profile = read_doc().profiles[name]
    return envplan.plan_env(profile, secrets or {}).apply(dict(os.environ))


def test_status_nothing_set_is_the_anthropic_api(cli: Run) -> None:
    code, out, _ = cli("status")

    assert code == 0
    assert status_rows(out)["provider"].startswith("the Anthropic API (api.anthropic.com)")
    assert '! export a profile: eval "$(cc-aws-tui export NAME)"' in out
    assert resolve([Layer(SHELL, dict(os.environ))], {}).workspace_id is None


@pytest.mark.parametrize(
    ("var", "provider"),
    [
        ("CLAUDE_CODE_USE_BEDROCK", "Amazon Bedrock"),
        ("CLAUDE_CODE_USE_FOUNDRY", "Microsoft Foundry"),
    ],
)
def test_status_other_provider_wins(
    var: str,
    provider: str,
    cli: Run,
    fake_platform: FakePlatformServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    add_sigv4(cli, fake_platform)
    set_environ(monkeypatch, {**exported("dev"), var: "1"})

    code, out, _ = cli("status")

    assert code == 0
    assert status_rows(out)["provider"].startswith(provider)
    assert "wins over Claude Platform on AWS" in out
    data = json.loads(cli("status", "--json")[1])
    assert data["provider"].startswith(provider)


def test_status_after_export_matches_the_profile(
    cli: Run, fake_platform: FakePlatformServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_sigv4(cli, fake_platform)
    env = exported("dev")
    res = resolve([Layer(SHELL, env)], read_doc().profiles)
    assert res.provider == "Claude Platform on AWS"
    assert res.matches == ("dev",)
    assert res.drift == {}
    set_environ(monkeypatch, env)

    code, out, _ = cli("status")

    assert code == 0
    rows = status_rows(out)
    assert rows["provider"] == "Claude Platform on AWS"
    assert rows["workspace"] == WORKSPACE_A
    assert rows["region"] == "us-east-1 (from AWS_REGION in the shell environment)"
    assert rows["endpoint"] == fake_platform.base_url
    assert rows["auth"] == "SigV4 with AWS profile static (AWS_PROFILE in the shell environment)"
    assert rows["profile"] == "dev (matches this environment)"
    assert "! " not in out


def test_status_after_exporting_an_api_key_profile(
    cli: Run, fake_platform: FakePlatformServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_api_key(cli, fake_platform)
    set_environ(monkeypatch, exported("keyed", {"api_key": TEST_API_KEY}))

    code, out, _ = cli("status")

    assert code == 0
    rows = status_rows(out)
    assert rows["auth"].startswith("workspace API key")
    assert rows["profile"] == "keyed (matches this environment)"
    data = json.loads(cli("status", "--json")[1])
    assert data["matches"] == ["keyed"]
    assert TEST_API_KEY not in json.dumps(data)


def test_status_lists_drift_when_a_variable_changed(
    cli: Run, fake_platform: FakePlatformServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_sigv4(cli, fake_platform)
    set_environ(monkeypatch, {**exported("dev"), "AWS_REGION": "eu-west-1"})

    code, out, _ = cli("status")

    assert code == 0
    line = status_rows(out)["profile"]
    assert line.startswith("dev was exported, but these differ now:")
    assert "AWS_REGION" in line
    data = json.loads(cli("status", "--json")[1])
    assert data["drift"]["AWS_REGION"] == {"profile": "us-east-1", "environment": "eu-west-1"}
    assert data["matches"] == []
    assert data["active_profile"] == "dev"


def test_status_region_from_the_aws_profile_when_aws_region_is_unset(
    cli: Run, aws_files: AwsFiles, monkeypatch: pytest.MonkeyPatch
) -> None:
    aws_files.add_static("team", region="eu-west-3")
    set_environ(
        monkeypatch,
        {
            **os.environ,
            "CLAUDE_CODE_USE_ANTHROPIC_AWS": "1",
            "ANTHROPIC_AWS_WORKSPACE_ID": WORKSPACE_B,
            "AWS_PROFILE": "team",
        },
    )

    code, out, _ = cli("status")

    assert code == 0
    rows = status_rows(out)
    assert rows["region"] == "eu-west-3 (from [profile team] in the AWS config)"
    assert rows["endpoint"] == "https://aws-external-anthropic.eu-west-3.api.aws"
    assert rows["auth"] == "SigV4 with AWS profile team (AWS_PROFILE in the shell environment)"
    assert rows["profile"] == "matches no saved profile"


def test_status_without_workspace_or_region_lists_the_problems(
    cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLAUDE_CODE_USE_ANTHROPIC_AWS", "true")

    code, out, _ = cli("status")

    assert code == 0
    assert "! no ANTHROPIC_AWS_WORKSPACE_ID" in out
    assert "! no region set: Claude Code signs for us-east-1" in out


def test_status_explains_credentials_as_the_javascript_sdk_does(
    cli: Run, aws_files: AwsFiles, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With AWS_PROFILE and the key variables both set, Claude Code signs with the profile
    (botocore would take the keys): tests/realclient/test_model.py shows it on the wire."""
    aws_files.add_static("team", region="eu-west-3")
    set_environ(
        monkeypatch,
        {
            **os.environ,
            "CLAUDE_CODE_USE_ANTHROPIC_AWS": "1",
            "ANTHROPIC_AWS_WORKSPACE_ID": WORKSPACE_B,
            "AWS_REGION": "eu-west-3",
            "AWS_PROFILE": "team",
            "AWS_ACCESS_KEY_ID": "AKIAOTHERIDENTITY001",
            "AWS_SECRET_ACCESS_KEY": "other/secret/key/0000000000000000000000",
        },
    )

    code, out, _ = cli("status")

    assert code == 0
    assert status_rows(out)["auth"] == (
        "SigV4 with AWS profile team (AWS_PROFILE in the shell environment)"
    )
    assert "! AWS_ACCESS_KEY_ID is set too: Claude Code signs with AWS profile team" in out


# ------------------------------------------------ validate judges what Claude Code would use


def user_settings() -> Path:
    return Path(os.environ["HOME"]) / ".claude" / "settings.json"


def test_validate_fails_when_user_settings_hold_another_workspace(
    cli: Run, fake_platform: FakePlatformServer, aws_files: AwsFiles
) -> None:
    """Settings `env` beats the shell: exporting B cannot fix A's workspace in the settings."""
    aws_files.add_static("static")
    add_sigv4(cli, fake_platform, "a")
    assert cli("apply", "a", "--scope", "user")[0] == 0
    code, _, err = cli(
        "add", "b", "--auth", "sigv4", "--aws-profile", "static", "--workspace", WORKSPACE_B,
        "--region", "us-east-1", "--base-url", fake_platform.base_url,
    )  # fmt: skip
    assert code == 0, err

    code, out, _ = cli("validate", "b")

    assert code == 1, out
    assert check_lines(out)["Environment"] == "✗"
    assert (
        f"user settings ({user_settings()}) sets ANTHROPIC_AWS_WORKSPACE_ID={WORKSPACE_A};"
        f" the profile's is {WORKSPACE_B}"
    ) in out
    assert "cc-aws-tui apply b --scope user" in out
    assert not out.rstrip().splitlines()[-1].startswith("ready")


def test_validate_a_profile_applied_to_settings_is_not_failed_for_what_they_override(
    cli: Run,
    fake_platform: FakePlatformServer,
    aws_files: AwsFiles,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    aws_files.add_static("static")
    add_sigv4(cli, fake_platform)
    assert cli("apply", "dev", "--scope", "user")[0] == 0
    for var, value in {
        "CLAUDE_CODE_USE_BEDROCK": "1",
        "ANTHROPIC_AWS_API_KEY": "sk-ant-api03-stale-key-0000000000000",
        "AWS_REGION": "eu-west-1",
        "ANTHROPIC_AWS_WORKSPACE_ID": WORKSPACE_B,
    }.items():
        monkeypatch.setenv(var, value)

    code, out, _ = cli("validate", "dev")

    assert code == 0, out
    assert check_lines(out)["Environment"] == "✓"
    assert "applied to user settings" in out


def test_validate_fails_an_applied_profile_for_a_shell_variable_nothing_overrides(
    cli: Run,
    fake_platform: FakePlatformServer,
    aws_files: AwsFiles,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An apply from before `""` entries: the shell's Bedrock switch still wins."""
    aws_files.add_static("static")
    add_sigv4(cli, fake_platform)
    assert cli("apply", "dev", "--scope", "user")[0] == 0
    from profiles.claude.record import state_path

    for path in (user_settings(), state_path()):  # as an older apply left them
        data = json.loads(path.read_text())
        env = (
            data["env"] if path == user_settings() else data["applied"][str(user_settings())]["env"]
        )
        del env["CLAUDE_CODE_USE_BEDROCK"]
        path.write_text(json.dumps(data))
    monkeypatch.setenv("CLAUDE_CODE_USE_BEDROCK", "1")

    code, out, _ = cli("validate", "dev")

    assert code == 1, out
    assert (
        "the shell environment sets CLAUDE_CODE_USE_BEDROCK=1 (Claude Code would use Amazon"
        " Bedrock)"
    ) in out
    assert "cc-aws-tui apply dev --scope user" in out


def test_validate_reports_isolation_as_claude_code_would_run_the_profile(
    cli: Run, fake_platform: FakePlatformServer, aws_files: AwsFiles
) -> None:
    aws_files.add_static("static")
    add_sigv4(cli, fake_platform)

    _, before, _ = cli("validate", "dev")
    assert cli("apply", "dev", "--scope", "user")[0] == 0
    code, after, _ = cli("validate", "dev")

    assert "not isolated: AWS_PROFILE=static reaches every command the agent runs" in before
    assert code == 0, after
    assert "isolated: Claude Code signs with `cc-aws-tui credentials dev`" in after
