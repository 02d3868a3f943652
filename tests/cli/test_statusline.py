"""`cc-aws-tui statusline` for Claude Code's `statusLine`: which profile (the exported one, the
one applied to the session's settings, the current one), what the line says, and that neither
a terminal nor an idle pipe on stdin can hold it."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from profiles.aws import credcache
from profiles.aws.creds import Resolved
from profiles.cli import statusline
from tests.applied import SYNC_WS, AppliedDev
from tests.cli.commands import WS
from tests.cliutil import Cli, console_script


def cache(name: str, seconds: float, method: str = "sso", known: bool = True) -> None:
    resolved = Resolved("ASIACACHED0000000001", "cached/secret/0001xxxxxxxxxxxxxxxxxxxxxxx",
                        "CachedToken//0001=", time.time() + seconds, method=method,
                        expiry_known=known)  # fmt: skip
    chain = credcache.Chain([name], None, [])
    credcache.store(name, name, resolved, chain, credcache.files_signature())


def run(
    stdin: str | int | None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The console script; `stdin` is text to pipe, a file descriptor to hand over, or None
    for /dev/null."""
    argv = [console_script(), "statusline"]
    if isinstance(stdin, str):
        return subprocess.run(
            argv, input=stdin, capture_output=True, text=True, timeout=30, env=env
        )
    given = subprocess.DEVNULL if stdin is None else stdin
    return subprocess.run(argv, stdin=given, capture_output=True, text=True, timeout=30, env=env)


@pytest.fixture
def three(sigv4: Callable[..., object], cli: Cli) -> None:
    """`dev` (sigv4 on dev-sso, current), `prod` (sigv4 on prod-role), `key` (API key)."""
    sigv4("dev", "dev-sso")
    sigv4("prod", "prod-role", region="eu-west-3")
    r = cli(
        "add", "key", "--auth", "api-key", "--api-key-stdin", "--workspace", WS,
        "--region", "us-west-2", stdin="sk-ant-api03-Zx9Yw8Vu7Ts6Rq5Po4Nm-f3Qa\n",
    )  # fmt: skip
    assert r.code == 0, r.err
    assert cli("use dev").code == 0


# --- what it says ------------------------------------------------------------------------------


@pytest.mark.usefixtures("three")
def test_the_line(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    assert cli("statusline").out == f"cc:dev · {WS} · us-east-1\n"  # nothing cached yet
    cache("dev", 42 * 60 + 30)
    assert cli("statusline").out == f"cc:dev · {WS} · us-east-1 · sso: expires in 42m\n"
    cache("dev", 3 * 3600 + 5 * 60 + 10, method="assume-role")
    assert cli("statusline").out.endswith(" · role: expires in 3h05m\n")
    cache("dev", -10)
    assert cli("statusline").out.endswith(" · expired: cc-aws-tui login dev\n")
    cache("dev", 3600, method="custom-process", known=False)
    assert cli("statusline").out.endswith(" · us-east-1 · process\n")
    monkeypatch.setenv("CC_AWS_TUI_PROFILE", "key")
    assert cli("statusline").out == f"cc:key · {WS} · us-west-2 · api key\n"
    r = cli("statusline")
    assert (r.code, r.err) == (0, "")


@pytest.mark.usefixtures("three")
def test_a_login_needed_is_said(cli: Cli) -> None:
    credcache.mark_needs_login("dev", "dev-sso", ["dev-sso"])
    assert cli("statusline").out.endswith(" · expired: cc-aws-tui login dev\n")


def test_no_profile_at_all(cli: Cli) -> None:
    r = cli("statusline")
    assert (r.code, r.out) == (0, "cc-aws-tui: no profile (cc-aws-tui use NAME)\n")


@pytest.mark.usefixtures("three")
def test_an_exported_name_is_shown_safely(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CC_AWS_TUI_PROFILE", "gone\x1b[2J")
    assert cli("statusline").out == "cc:gone\\x1b[2J (no such profile)\n"


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "<1m"),
        (59, "<1m"),
        (60, "1m"),
        (59 * 60 + 59, "59m"),
        (3600, "1h00m"),
        (86400, "24h00m"),
    ],
)
def test_duration(seconds: float, text: str) -> None:
    assert statusline.duration(seconds) == text


# --- which profile -----------------------------------------------------------------------------


@pytest.mark.usefixtures("three")
def test_which_profile(cli: Cli, monkeypatch: pytest.MonkeyPatch, config_dir: Path) -> None:
    assert cli("statusline").out.startswith("cc:dev ·")  # the current one
    home = Path.home()
    record = {
        "schema": 1,
        "applied": {str(home / ".claude" / "settings.json"): {"profile": "prod"}},
    }
    (config_dir / statusline.APPLY_RECORD).write_text(json.dumps(record))
    assert cli("statusline").out.startswith("cc:prod ·")  # applied to the user settings
    monkeypatch.setenv("CC_AWS_TUI_PROFILE", "key")
    assert cli("statusline").out.startswith("cc:key ·")  # exported into Claude Code's shell


def test_the_applied_profile_as_apply_records_it(
    applied_dev: AppliedDev, sigv4: Callable[..., object]
) -> None:
    """`apply` itself wrote the record (user and local settings): the status line finds it
    from the session's project directory in Claude Code's JSON, local settings first."""
    sigv4("other", "other-sso")
    from profiles.usecases.edit import set_current

    set_current("other")
    env = dict(os.environ)
    session = json.dumps({"workspace": {"project_dir": str(applied_dev.project)}, "cwd": "/"})
    done = run(session, env)
    assert done.stdout == f"cc:dev · {SYNC_WS} · us-east-1\n", done.stderr
    # Outside that project the user settings' profile (dev as well) still beats the current.
    done = run(json.dumps({"cwd": "/"}), env)
    assert done.stdout.startswith("cc:dev ·")


def test_local_settings_beat_user_settings(
    cli: Cli, config_dir: Path, git_project: Path, sigv4: Callable[..., object]
) -> None:
    sigv4("user-one", "a")
    sigv4("local-one", "b")
    home = Path.home()
    applied = {
        str(home / ".claude" / "settings.json"): {"profile": "user-one"},
        str(git_project / ".claude" / "settings.local.json"): {"profile": "local-one"},
    }
    (config_dir / statusline.APPLY_RECORD).write_text(json.dumps({"schema": 1, "applied": applied}))
    sub = git_project / "src" / "deep"
    sub.mkdir(parents=True)
    assert statusline.applied_profile(str(sub)) == "local-one"
    assert statusline.applied_profile(str(home)) == "user-one"


def test_the_record_is_the_one_apply_writes() -> None:
    from profiles.claude import record

    assert statusline.APPLY_RECORD == record.STATE_FILE


# --- standard input never holds it -------------------------------------------------------------


@pytest.mark.usefixtures("three")
def test_an_idle_pipe_or_a_terminal_does_not_hang() -> None:
    # A pipe nobody writes to nor closes (Claude Code's side kept open).
    reader, writer = os.pipe()
    try:
        start = time.monotonic()
        done = run(reader)
        assert time.monotonic() - start < 10
        assert done.returncode == 0
        assert done.stdout.startswith("cc:dev ·")
    finally:
        os.close(reader)
        os.close(writer)
    # A terminal: not read at all.
    leader, follower = pty.openpty()
    try:
        done = run(follower)
        assert (done.returncode, done.stdout.startswith("cc:dev ·")) == (0, True)
    finally:
        os.close(leader)
        os.close(follower)
    # Nothing at all, and garbage.
    assert run(None).stdout.startswith("cc:dev ·")
    assert run("not json {").stdout.startswith("cc:dev ·")


def test_stdin_is_read_only_while_ready() -> None:
    """Claude Code writes its JSON and keeps the pipe open: the object is read, no EOF
    awaited."""
    reader, writer = os.pipe()
    try:
        os.write(writer, b'{"cwd": "/tmp", "model": {"display_name": "Opus"}}')
        with os.fdopen(os.dup(reader), "rb", buffering=0) as fh:
            start = time.monotonic()
            import sys

            old = sys.stdin
            sys.stdin = fh
            try:
                data = statusline.read_session()
            finally:
                sys.stdin = old
            assert time.monotonic() - start < statusline.STDIN_WAIT
        assert data["cwd"] == "/tmp"
    finally:
        os.close(reader)
        os.close(writer)
