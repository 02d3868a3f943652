"""Fixtures for the command-line tests: `exec` recorded instead of run (`execs`), the saved
profile shapes (`profiles`), for the tests in real shells every shape created once per
module through the real CLI (`template_config`) with a private copy of it per test
(`cli_config`), and for `credentials`/`login`/`statusline` a recording `aws` (`fake_aws`), a
dead network (`offline`) and a sigv4 profile saver (`sigv4`)."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from profiles.core.schema import Profile
from tests.cli.commands import SHAPES as COMMAND_SHAPES
from tests.cli.commands import WS as COMMAND_WS
from tests.cli.commands import ExecCall, Execed, ok
from tests.cli.isolating import FakeAws, dead_port
from tests.cliutil import Cli
from tests.realshell import FAILING, SHAPES, TIMEOUT, add_argv, isolated_base


@pytest.fixture(scope="module")
def template_config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A config dir holding every shape (plus FAILING), created through the real CLI once."""
    if shutil.which("cc-aws-tui") is None:
        pytest.fail("the cc-aws-tui console script is not on PATH (pip install -e .)")
    root = tmp_path_factory.mktemp("template")
    env = isolated_base(root)
    jobs = [add_argv(p) for p in SHAPES.values()]
    jobs.append(
        (
            [
                "cc-aws-tui",
                "add",
                FAILING,
                "--auth",
                "api-key",
                "--workspace",
                "wrkspc_1",
                "--region",
                "us-east-1",
                "--api-key-command",
                "false",
            ],
            "",
        )
    )

    def add(job: tuple[list[str], str]) -> subprocess.CompletedProcess[str]:
        argv, stdin = job
        return subprocess.run(
            argv, input=stdin, env=env, capture_output=True, text=True, timeout=TIMEOUT
        )

    with ThreadPoolExecutor(max_workers=2) as pool:
        for job, proc in zip(jobs, pool.map(add, jobs), strict=True):
            assert proc.returncode == 0, f"{job[0]}: {proc.stderr}"
            assert proc.stdout == ""
    return root / "cc-aws-tui"


@pytest.fixture
def cli_config(template_config: Path, config_dir: Path) -> Path:
    """A private copy of the template, where the autouse fixture points CC_AWS_TUI_CONFIG_DIR."""
    shutil.copytree(template_config, config_dir)
    return config_dir


@pytest.fixture
def execs(monkeypatch: pytest.MonkeyPatch) -> list[ExecCall]:
    """`exec` replaces the running process: here that would be pytest. Record the call instead
    (and fail like the real one for a command that does not exist). A module turns it on for
    every test with `pytestmark = pytest.mark.usefixtures("execs")`."""
    calls: list[ExecCall] = []

    def fake_execvpe(file: str, argv: list[str], env: Mapping[str, str]) -> None:
        if shutil.which(file, path=env.get("PATH")) is None:
            raise FileNotFoundError(2, "No such file or directory", file)
        calls.append(ExecCall(file, list(argv), dict(env)))
        raise Execed

    monkeypatch.setattr(os, "execvpe", fake_execvpe)
    return calls


@pytest.fixture
def profiles(cli: Cli) -> None:
    """A saved profile of every shape in tests/cli/commands.py, added through the CLI."""
    for args, stdin in COMMAND_SHAPES.values():
        ok(cli(args, stdin=stdin + "\n"))


# --- credentials, login, statusline (helpers in tests/cli/isolating.py) ---------------------


@pytest.fixture
def fake_aws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FakeAws:
    """A recording `aws` first on PATH (the test may set `exit_code`, `token_path` and
    `token_text`, then `install()` again)."""
    fake = FakeAws(tmp_path / "fake-bin", tmp_path / "aws-calls.log").install()
    monkeypatch.setenv("PATH", f"{fake.bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    return fake


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """Call it to send every STS and SSO request of what follows to a port nobody listens
    on: a call that still succeeds made no network request."""

    def go() -> None:
        url = f"http://127.0.0.1:{dead_port()}"
        for var in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL_SSO"):
            monkeypatch.setenv(var, url)

    return go


@pytest.fixture
def sigv4() -> Callable[..., Profile]:
    """Save a sigv4 profile naming an AWS profile: `sigv4("dev", "dev-sso")`."""
    from profiles.usecases.edit import save_profile

    def save(name: str, aws_profile: str | None, region: str = "us-east-1") -> Profile:
        profile = Profile(name, "sigv4", COMMAND_WS, region, aws_profile=aws_profile)
        save_profile(profile, replace=True)
        return profile

    return save
