"""Tests never see the developer's machine: HOME, AWS files and our config dir live in tmp_path,
and every variable that could change what Claude Code or the AWS SDK resolves is cleared."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pytest

from tests import cliutil
from tests.applied import SYNC_WS, USER_SETTINGS, AppliedDev

ROOT = Path(__file__).resolve().parent.parent
# The loopback servers' fixtures (fake_platform, aws_files, sts_endpoint, ...) and the raw
# client the fake's own tests use (http), for every module.
pytest_plugins = ("tests.fakeplatform", "tests.servers", "tests.fakecalls")
_CLEARED_PREFIXES = ("AWS_", "ANTHROPIC_", "CLAUDE_CODE_", "CC_AWS_TUI_")
_CLEARED = {"ENABLE_PROMPT_CACHING_1H", "PYTHON_KEYRING_BACKEND", "XDG_CONFIG_HOME"}


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in list(os.environ):
        if name.startswith(_CLEARED_PREFIXES) or name in _CLEARED:
            monkeypatch.delenv(name, raising=False)
    home = tmp_path / "home"
    (home / ".aws").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(home / ".aws" / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(home / ".aws" / "credentials"))
    monkeypatch.setenv("CC_AWS_TUI_CONFIG_DIR", str(tmp_path / "cc-aws-tui"))
    # A file-backed keyring of our own: no test ever touches the developer's real keyring.
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "tests.keyring_backend.FileKeyring")
    monkeypatch.setenv("CC_AWS_TUI_TEST_KEYRING", str(tmp_path / "keyring.json"))
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    return tmp_path


@pytest.fixture
def config_dir(isolated_env: Path) -> Path:
    return isolated_env / "cc-aws-tui"


@pytest.fixture(name="console_script")
def console_script_fixture() -> str:
    """The installed `cc-aws-tui` console script (the venv's, beside this Python)."""
    return cliutil.console_script()


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> cliutil.Cli:
    """Run `cc-aws-tui ARGS` in this process. `cli("list --json")` is split like a shell would;
    several arguments are passed as they are. `stdin` is what standard input holds. Modules that
    check every output for their own secrets define their own `cli`."""
    from profiles.cli import main

    def run(*args: str, stdin: str = "") -> cliutil.Run:
        argv = cliutil.sh(args[0]) if len(args) == 1 else list(args)
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        capsys.readouterr()
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse: --help, usage errors
            code = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
        out, err = capsys.readouterr()
        return cliutil.Run(code, out, err)

    return run


# --- Claude Code settings a profile was applied to (claude.sync and its callers) ------------


@pytest.fixture
def git_project(tmp_path: Path) -> Path:
    """A git repository whose .gitignore ignores .claude/settings.local.json."""
    import shutil
    import subprocess

    if shutil.which("git") is None:
        pytest.skip("needs git")
    root = tmp_path / "project"
    root.mkdir()
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    (root / ".gitignore").write_text(".claude/settings.local.json\n")
    return root


@pytest.fixture
def applied_dev(git_project: Path) -> AppliedDev:
    from profiles.claude.apply import apply
    from profiles.core.schema import Profile
    from profiles.usecases.edit import save_profile

    profile = Profile("dev", "sigv4", SYNC_WS, "us-east-1", aws_profile="dev-sso")
    save_profile(profile, make_current=True)
    user = Path.home() / ".claude" / "settings.json"
    user.parent.mkdir(parents=True, exist_ok=True)
    user.write_text(USER_SETTINGS)
    assert apply(profile, {}, "user").written
    local = apply(profile, {}, "local", cwd=git_project)
    assert local.written
    return AppliedDev(profile, user, local.path, git_project)
