"""A FIFO or a device where a config file should be (issue 8, part 10b).

`open()` on a FIFO blocks until someone writes to it, and `/dev/zero` never ends: both used to
hang `aws-profiles`, `status`, `add` and the TUI's profile discovery (or grow until
MemoryError). Every file we do not control is now read as a regular file only, with a size
cap. The CLI runs as a subprocess with a short timeout and a 2 GiB address-space limit, so
the old behaviour fails the test instead of hanging it or eating the machine's memory.

Per command, what a FIFO/device costs:
- `aws-profiles`, `add --aws-profile X` without `--region`, `import --from-file`, and every
  command reading profiles.toml/secrets.toml: exit 2, one line naming the file.
- `status`: it can go on without the AWS config (the region only), so it exits 0 and says on
  a `!` line which file it could not read.
- the SSO token cache and state.json are caches: a FIFO there reads as "no token" / "never
  validated", at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import resource
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from profiles.aws.ini import AwsConfigError
from profiles.aws.profiles import discover_aws_profiles
from profiles.aws.sso import sso_token_status
from profiles.store import history

pytestmark = pytest.mark.skipif(os.name != "posix", reason="FIFOs and /dev/zero are POSIX")

FIFO_WHY = "is a named pipe (FIFO), not a regular file"
DEVICE_WHY = "is a device, not a regular file"
QUICK = 10.0  # seconds: a run that takes this long has hung


def _limit_memory() -> None:
    two_gib = 2 * 1024**3
    resource.setrlimit(resource.RLIMIT_AS, (two_gib, two_gib))


def run_cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).with_name("cc-aws-tui")
    command = [str(script)] if script.exists() else [
        sys.executable, "-c", "import sys; from profiles.cli import main; sys.exit(main())"
    ]  # fmt: skip
    return subprocess.run(
        [*command, *args],
        capture_output=True,
        text=True,
        timeout=QUICK,
        env={**os.environ, **env},
        stdin=subprocess.DEVNULL,
        preexec_fn=_limit_memory,
    )


def one_error_line(stderr: str) -> str:
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("cc-aws-tui: error: "), stderr
    return lines[0]


def release(fifo: Path) -> None:
    """Open the FIFO's write end once, so a reader the old code left blocked in open()
    wakes up (and the test ends) instead of hanging the whole run."""
    with contextlib.suppress(OSError):
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))


@contextlib.contextmanager
def released(fifo: Path) -> Iterator[None]:
    try:
        yield
    finally:
        release(fifo)


def returns_at_once(fn: Callable[[], Any], fifo: Path) -> Any:
    """`fn()` run in a thread that must finish within QUICK seconds."""
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # handed to the test below
            box["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    with released(fifo):
        thread.start()
        thread.join(QUICK)
        assert not thread.is_alive(), f"{fn} hung on the FIFO {fifo}"
    if "error" in box:
        raise box["error"]
    return box.get("value")


@pytest.fixture
def fifo_config() -> Iterator[Path]:
    """A FIFO at AWS_CONFIG_FILE (~/.aws/config of the isolated HOME)."""
    path = Path(os.environ["AWS_CONFIG_FILE"])
    os.mkfifo(path)
    with released(path):
        yield path


# --- AWS config and credentials -----------------------------------------------------------


def test_aws_profiles_refuses_a_fifo_config_at_once(fifo_config: Path) -> None:
    proc = run_cli("aws-profiles")
    assert (proc.returncode, proc.stdout) == (2, "")
    assert one_error_line(proc.stderr) == f"cc-aws-tui: error: {fifo_config}: {FIFO_WHY}"


def test_aws_profiles_refuses_dev_zero_as_credentials_at_once() -> None:
    proc = run_cli("aws-profiles", AWS_SHARED_CREDENTIALS_FILE="/dev/zero")
    assert (proc.returncode, proc.stdout) == (2, "")
    assert one_error_line(proc.stderr) == f"cc-aws-tui: error: /dev/zero: {DEVICE_WHY}"
    assert "MemoryError" not in proc.stderr


def test_status_goes_on_without_a_fifo_config_and_says_why(fifo_config: Path) -> None:
    proc = run_cli("status", AWS_PROFILE="dev", CLAUDE_CODE_USE_ANTHROPIC_AWS="1")
    assert proc.returncode == 0, proc.stderr
    assert (
        f"! cannot read the AWS config, so no region from it: {fifo_config}: {FIFO_WHY}\n"
        in proc.stdout
    )


def test_status_goes_on_without_dev_zero_credentials() -> None:
    proc = run_cli(
        "status",
        AWS_PROFILE="dev",
        CLAUDE_CODE_USE_ANTHROPIC_AWS="1",
        AWS_SHARED_CREDENTIALS_FILE="/dev/zero",
    )
    assert proc.returncode == 0, proc.stderr
    assert f"/dev/zero: {DEVICE_WHY}" in proc.stdout


def test_add_with_an_aws_profile_refuses_a_fifo_config_and_saves_nothing(
    fifo_config: Path, config_dir: Path
) -> None:
    proc = run_cli(
        "add", "dev", "--auth", "sigv4", "--aws-profile", "x", "--workspace", "wrkspc_01Test"
    )
    assert (proc.returncode, proc.stdout) == (2, "")
    line = one_error_line(proc.stderr)
    assert f"cannot read the AWS config: {fifo_config}: {FIFO_WHY}" in line
    assert not (config_dir / "profiles.toml").exists()


def test_tui_profile_discovery_raises_at_once_on_a_fifo(fifo_config: Path) -> None:
    with pytest.raises(AwsConfigError) as info:
        returns_at_once(discover_aws_profiles, fifo_config)
    assert str(info.value) == f"{fifo_config}: {FIFO_WHY}"


def test_tui_aws_profile_screen_shows_the_fifo_and_keeps_the_default_chain(
    fifo_config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from textual.widgets import OptionList, Static

    from tui.app import CcAwsTuiApp, make_app
    from tui.screens.aws_profile import AwsProfileScreen
    from tui.state import Draft

    monkeypatch.setattr(CcAwsTuiApp, "_push_step", lambda self, step: None)

    async def main() -> tuple[str, list[str | None]]:
        app = make_app(check_timeout=5.0)
        async with app.run_test(size=(100, 32)) as pilot:
            await app.push_screen(AwsProfileScreen(Draft(auth="sigv4"), 2, 6))
            await pilot.pause()
            try:
                await asyncio.wait_for(app.workers.wait_for_complete(), QUICK)
            finally:
                release(fifo_config)  # the app's exit must not wait on a blocked worker
            await pilot.pause()
            options = app.screen.query_one("#aws-profiles", OptionList).options
            error = app.screen.query_one("#aws-config-error", Static)
            return str(error.render()), [o.id for o in options]

    text, option_ids = asyncio.run(main())
    assert f"{fifo_config}: {FIFO_WHY}" in " ".join(text.split())
    assert option_ids == ["default-chain"]


def test_sso_token_cache_fifo_reads_as_missing_at_once(tmp_path: Path) -> None:
    from profiles.aws.profiles import AwsProfile, ProfileKind
    from profiles.aws.sso import sso_cache_path

    profile = AwsProfile(name="dev", kind=ProfileKind.SSO, sso_session="corp")
    cache = sso_cache_path(profile)
    cache.parent.mkdir(parents=True)
    os.mkfifo(cache)
    assert returns_at_once(lambda: sso_token_status(profile), cache) == "missing"


# --- our own files ------------------------------------------------------------------------


def test_profiles_toml_fifo_is_one_line_at_once(config_dir: Path) -> None:
    config_dir.mkdir(mode=0o700)
    fifo = config_dir / "profiles.toml"
    os.mkfifo(fifo, 0o600)
    with released(fifo):
        proc = run_cli("list")
    assert (proc.returncode, proc.stdout) == (2, "")
    assert one_error_line(proc.stderr) == f"cc-aws-tui: error: {fifo}: {FIFO_WHY}"


def test_secrets_toml_linked_to_dev_zero_fails_export_at_once(config_dir: Path) -> None:
    config_dir.mkdir(mode=0o700)
    (config_dir / "profiles.toml").write_text(
        'schema = 1\n\n[profiles.key]\nauth = "api-key"\napi_key_store = "file"\n'
        'workspace_id = "wrkspc_key1"\nregion = "eu-west-1"\n'
    )
    secrets = config_dir / "secrets.toml"
    secrets.symlink_to("/dev/zero")
    proc = run_cli("export", "key")
    assert (proc.returncode, proc.stdout) == (2, "")
    assert one_error_line(proc.stderr) == f"cc-aws-tui: error: {secrets}: {DEVICE_WHY}"


def test_state_json_fifo_reads_as_never_validated(config_dir: Path) -> None:
    config_dir.mkdir(mode=0o700)
    fifo = config_dir / "state.json"
    os.mkfifo(fifo, 0o600)
    assert returns_at_once(history.load, fifo) == {}


def test_import_from_a_fifo_team_file_is_one_line_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "team.toml"
    os.mkfifo(fifo)
    with released(fifo):
        proc = run_cli("import", "dev", "--from-file", str(fifo), "--aws-profile", "x")
    assert (proc.returncode, proc.stdout) == (2, "")
    assert one_error_line(proc.stderr) == f"cc-aws-tui: error: {fifo}: {FIFO_WHY}"


def test_import_from_dev_zero_is_one_line_at_once() -> None:
    proc = run_cli("import", "dev", "--from-file", "/dev/zero", "--aws-profile", "x")
    assert (proc.returncode, proc.stdout) == (2, "")
    assert one_error_line(proc.stderr) == f"cc-aws-tui: error: /dev/zero: {DEVICE_WHY}"
