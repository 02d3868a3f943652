"""`cc-aws-tui claude` (issue 11): Claude Code started with the profile through --settings.

A stand-in `claude` (a script) records what it was given; the real client's behaviour with
the same settings is in tests/realclient/test_isolation.py.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.cliutil import console_script

KEY = "sk-ant-api03-launcher-test-key-000000000001"


@pytest.fixture
def fake_claude(tmp_path: Path) -> Path:
    """Writes its argv, the --settings value (read from the file when it is one) and whether
    that file exists, then exits with $FAKE_CLAUDE_EXIT."""
    script = tmp_path / "bin" / "claude"
    script.parent.mkdir()
    record = tmp_path / "record.json"
    script.write_text(
        "#!/usr/bin/env python3\n"
        "import json, os, sys\n"
        "value = sys.argv[sys.argv.index('--settings') + 1]\n"
        "is_file = os.path.isfile(value)\n"
        "settings = json.load(open(value)) if is_file else json.loads(value)\n"
        "mode = oct(os.stat(value).st_mode & 0o777) if is_file else None\n"
        f"json.dump({{'argv': sys.argv[1:], 'settings': settings, 'file': value if is_file else"
        f" None, 'mode': mode}}, open({str(record)!r}, 'w'))\n"
        "sys.exit(int(os.environ.get('FAKE_CLAUDE_EXIT', '0')))\n"
    )
    script.chmod(0o755)
    return script


def run(
    *args: str, env: dict[str, str] | None = None, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [console_script(), *args], capture_output=True, text=True, input=stdin,
        env={**os.environ, **(env or {})}, timeout=60,
    )  # fmt: skip


def recorded(fake_claude: Path) -> dict[str, object]:
    return json.loads((fake_claude.parent.parent / "record.json").read_text())


@pytest.mark.usefixtures("isolated_env")
def test_an_isolated_profile_goes_as_json_and_the_exit_status_is_claudes(
    fake_claude: Path, aws_files: object
) -> None:
    added = run("add", "dev", "--auth", "sigv4", "--aws-profile", "team",
                "--workspace", "wrkspc_01TestWorkspaceA", "--region", "eu-west-1")  # fmt: skip
    assert added.returncode == 0, added.stderr

    proc = run("claude", "dev", "--claude", str(fake_claude), "--", "-p", "hi",
               env={"FAKE_CLAUDE_EXIT": "3"})  # fmt: skip

    assert proc.returncode == 3, proc.stderr
    got = recorded(fake_claude)
    assert got["argv"][-2:] == ["-p", "hi"]  # type: ignore[index]
    settings = got["settings"]
    assert isinstance(settings, dict)
    assert settings["awsCredentialExport"].endswith(" credentials dev")
    assert "AWS_PROFILE" not in settings["env"]
    assert settings["env"]["CLAUDE_CODE_USE_BEDROCK"] == ""  # the shell cannot get in the way
    assert got["file"] is None
    assert not (Path(os.environ["HOME"]) / ".claude").exists()  # no settings file touched


@pytest.mark.usefixtures("isolated_env")
def test_a_key_never_goes_on_the_command_line(fake_claude: Path, config_dir: Path) -> None:
    assert run("add", "key", "--auth", "api-key", "--api-key-stdin",
               "--workspace", "wrkspc_01TestWorkspaceA", "--region", "eu-west-1",
               stdin=KEY + "\n").returncode == 0  # fmt: skip

    proc = run("claude", "key", "--claude", str(fake_claude))

    assert proc.returncode == 0, proc.stderr
    got = recorded(fake_claude)
    assert KEY not in json.dumps(got["argv"])  # /proc/PID/cmdline is readable by everyone
    assert got["settings"]["env"]["ANTHROPIC_AWS_API_KEY"] == KEY  # type: ignore[index]
    assert got["mode"] == "0o600"
    assert not Path(str(got["file"])).exists()  # removed when the client exited
    assert KEY not in proc.stdout + proc.stderr


def test_no_claude_on_path_is_one_clear_line(isolated_env: Path) -> None:
    assert run("add", "dev", "--auth", "sigv4", "--workspace", "wrkspc_01TestWorkspaceA",
               "--region", "eu-west-1").returncode == 0  # fmt: skip
    proc = run("claude", "dev", env={"PATH": "/nonexistent"})
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.count("\n") == 1
    assert "claude: command not found on PATH" in proc.stderr


@pytest.mark.usefixtures("isolated_env")
@pytest.mark.parametrize("signum", [signal.SIGHUP, signal.SIGTERM])
def test_a_hangup_or_term_reaches_claude_and_the_key_file_is_removed(
    tmp_path: Path, signum: int
) -> None:
    """The terminal closing (SIGHUP) must not leave the file holding the key behind."""
    assert run("add", "key", "--auth", "api-key", "--api-key-stdin",
               "--workspace", "wrkspc_01TestWorkspaceA", "--region", "eu-west-1",
               stdin=KEY + "\n").returncode == 0  # fmt: skip
    where = tmp_path / "settings-path"
    script = tmp_path / "slow-claude"
    script.write_text(
        "#!/usr/bin/env python3\n"
        "import sys, time\n"
        f"open({str(where)!r}, 'w').write(sys.argv[sys.argv.index('--settings') + 1])\n"
        "time.sleep(30)\n"
    )
    script.chmod(0o755)
    proc = subprocess.Popen(
        [console_script(), "claude", "key", "--claude", str(script)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        for _ in range(300):
            if where.exists() and where.read_text():
                break
            time.sleep(0.05)
        settings = Path(where.read_text())
        assert settings.exists()
        proc.send_signal(signum)
        _out, err = proc.communicate(timeout=20)
    finally:
        proc.kill()
    assert proc.returncode == 128 + signum, err
    assert not settings.exists()
    assert not settings.parent.exists()
