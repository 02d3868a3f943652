"""End to end: the installed `cc-aws-tui` in a real terminal (tmux), driven by keystrokes only.

The wizard creates an API-key profile against the loopback fake platform (the base URL is set
in the workspace step's Advanced section before a region is picked, so nothing ever goes to
the real endpoint and validation passes without internet), saves it, and the app is quit with
ctrl+q. Then bash evaluates `cc-aws-tui export NAME` and the resulting environment is checked.

Every step waits for the screen (bounded polling of `tmux capture-pane`), never for a fixed
time. The `*_typed_as_fast_as_tmux_sends` tests send each setup at 80x24 and 60x20 with no
wait between keys at all (the app applies keys typed ahead in order, tui/typeahead.py): they
wait only for the app's start, the live checks and the save, and print the keystroke count
and the wall time. The first test still goes one reaction at a time (`press`, `settle`,
`wait_next_enabled`) because it also captures screens for the README.

With CC_AWS_TUI_WRITE_CAPTURES=1 the wizard's first screen and the home screen are written to
`tests/e2e/captures/` as plain text (for the README); by default nothing is written.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest

from tests.fakeplatform import TEST_API_KEY, WORKSPACE_A, FakePlatformServer
from tests.servers import AwsFiles

COLUMNS, LINES = 100, 32
TIMEOUT = 20.0  # seconds any one expected screen may take to appear
POLL = 0.1
NAME = "e2e-dev"
REGION = "eu-west-3"  # not the first region in the list: picked by typing, not by default
OPUS = "claude-opus-4-8"
CAPTURES = Path(__file__).with_name("captures")
# Read at import: the autouse fixture clears every CC_AWS_TUI_* variable before a test runs.
WRITE_CAPTURES = os.environ.get("CC_AWS_TUI_WRITE_CAPTURES") == "1"
SGR = re.compile(r"\x1b\[[0-9;:]*m")
NAV_ROW = re.compile(r"\s*Back\s+Next\s*")  # the wizard's Back / Next buttons
# Passed through from the autouse `isolated_env` fixture (tests/conftest.py): everything the
# app reads lives under tmp_path, and no test touches the developer's keyring.
PASSED_THROUGH = (
    "HOME",
    "XDG_CONFIG_HOME",
    "AWS_CONFIG_FILE",
    "AWS_SHARED_CREDENTIALS_FILE",
    "CC_AWS_TUI_CONFIG_DIR",
    "PYTHON_KEYRING_BACKEND",
    "CC_AWS_TUI_TEST_KEYRING",
    "PYTHONPATH",
)
# No user config; the app's terminal is an xterm (tmux would say tmux-256color), no status
# line, and the pane stays after the app exits so that its exit status can be read.
TMUX_CONF = """\
set -g default-terminal xterm-256color
set -g remain-on-exit on
set -g status off
"""


def require(program: str) -> str:
    """The program's path; missing skips locally but fails in CI (`.ci/run` installs tmux)."""
    path = shutil.which(program)
    if path is None:
        message = f"{program} is not installed"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}, but CI must have it (see .ci/run)")
        pytest.skip(message)
    return path


def installed_script() -> str:
    """The `cc-aws-tui` console script, preferring the one installed next to this Python
    (a version manager's shim on PATH would work too, but slower and less surely)."""
    here = shutil.which("cc-aws-tui", path=str(Path(sys.executable).parent))
    return here or require("cc-aws-tui")


class Tmux:
    """One private tmux server (its own socket and config) holding one session."""

    def __init__(self, tmp_path: Path, env: Mapping[str, str]) -> None:
        self.tmux = require("tmux")
        socket = tmp_path / "tmux.sock"
        # A socket path must fit in sockaddr_un (108 bytes); else a unique name in
        # TMUX_TMPDIR, which the environment points at tmp_path as well.
        if len(os.fsencode(socket)) < 100:
            self.server = ["-S", str(socket)]
        else:
            self.server = ["-L", f"cc-aws-tui-e2e-{uuid.uuid4().hex[:12]}"]
        self.conf = tmp_path / "tmux.conf"
        self.conf.write_text(TMUX_CONF)
        self.status_file = tmp_path / "exit-status"
        self.env = dict(env)
        self.target = "e2e"
        self.last = ""
        self.size = (COLUMNS, LINES)
        self.sent = 0  # keystrokes sent (a literal text counts one per character)

    # --- tmux commands ----------------------------------------------------------------------

    def run(self, *args: str) -> str:
        # The server is started by the first call and inherits exactly this environment.
        done = subprocess.run(
            [self.tmux, *self.server, "-f", str(self.conf), *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
        if done.returncode != 0:
            raise AssertionError(
                f"tmux {' '.join(args)} exited {done.returncode}: {done.stderr.strip()}"
                f"\n--- last screen ---\n{self.last}"
            )
        return done.stdout

    def start(self, *command: str) -> None:
        self.run(
            "new-session", "-d", "-s", self.target, "-x", str(self.size[0]),
            "-y", str(self.size[1]), "--", *command,
        )  # fmt: skip

    def kill(self) -> None:
        subprocess.run(
            [self.tmux, *self.server, "kill-server"],
            env=self.env,
            capture_output=True,
            timeout=TIMEOUT,
            check=False,
        )

    def keys(self, *keys: str) -> None:
        """Named keys (Enter, Tab, BTab, Down, C-n, ...), as tmux spells them, in one batch."""
        self.sent += len(keys)
        self.run("send-keys", "-t", self.target, *keys)

    def type(self, text: str) -> None:
        """Literal text, as if typed."""
        self.sent += len(text)
        self.run("send-keys", "-t", self.target, "-l", text)

    def capture(self) -> str:
        """The screen as plain text (kept for failure messages)."""
        self.last = self.run("capture-pane", "-p", "-t", self.target)
        return self.last

    def styled(self) -> str:
        """The screen with its colours: focus and disabled buttons show only in colour."""
        return self.run("capture-pane", "-p", "-e", "-t", self.target)

    # --- waiting ----------------------------------------------------------------------------

    def wait_until(self, done: Callable[[], bool], what: str, timeout: float = TIMEOUT) -> None:
        """Poll until `done()`; fail after `timeout` seconds, showing the last screen."""
        deadline = time.monotonic() + timeout
        while not done():
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"after {timeout:.0f} s, still waiting for {what}"
                    f"\n--- last screen ---\n{self.capture()}"
                )
            time.sleep(POLL)

    def wait_for(self, *texts: str, gone: tuple[str, ...] = ()) -> str:
        """Wait until the screen shows every one of `texts` and none of `gone`; the screen."""

        def shown() -> bool:
            screen = self.capture()
            return all(t in screen for t in texts) and not any(g in screen for g in gone)

        what = f"the screen to show {list(texts)}" + (f" without {list(gone)}" if gone else "")
        self.wait_until(shown, what)
        return self.last

    def settle(self, quiet: int = 3) -> None:
        """Wait until the screen (colours included) is the same `quiet` polls in a row.

        tmux has no synchronized output, so a frame shows as Textual writes it, in pieces;
        when the app is busy a half-written frame can stand still for a moment. Waiting for
        a few quiet polls, on top of the texts each step waits for, lets the frame finish.
        """
        seen = [self.styled()]

        def still() -> bool:
            seen.append(self.styled())
            del seen[: -(quiet + 1)]
            return len(seen) > quiet and len(set(seen)) == 1

        self.wait_until(still, "the screen to settle")

    def press(self, key: str) -> None:
        """Press a key whose only effect is a focus move, so that what is typed next goes
        where the key said: wait for a still screen, press, wait for the screen to change
        and to be still again (a change could also be the end of a frame written late)."""
        self.settle()
        before = self.styled()
        self.keys(key)
        self.wait_until(lambda: self.styled() != before, f"the screen to react to {key}")
        self.settle()

    def nav_row(self) -> str | None:
        """The Back / Next row with its colours (a disabled Next is drawn dimmed)."""
        for line in self.styled().splitlines():
            if NAV_ROW.fullmatch(SGR.sub("", line)):
                return line
        return None

    def wait_next_enabled(self, disabled: str) -> None:
        """Wait until the Next button no longer looks like `disabled` (its dimmed row).

        The step enables Next once it has taken in the answer; ctrl+n in the same instant as
        the answer can be ignored (a radio button's choice reaches the step by message).
        """
        self.wait_until(lambda: self.nav_row() not in (None, disabled), "Next to be enabled")

    def start_app(self, script: str) -> None:
        """Run `script` in the session; its exit status goes to a file when it ends.

        (tmux's own #{pane_dead_status} can stay empty for good: with libutempter, tmux can
        miss the SIGCHLD of a pane that exits while it updates utmp.)
        """
        self.start("sh", "-c", '"$0"; echo "$?" > "$1"', script, str(self.status_file))

    def wait_exited(self) -> int:
        """Wait until the app has exited; its exit status."""

        def written() -> bool:
            return self.status_file.exists() and self.status_file.read_text().endswith("\n")

        self.wait_until(written, "the app to exit")
        return int(self.status_file.read_text())


def save_capture(name: str, screen: str) -> None:
    """Write a screen for the README, only when asked to (CC_AWS_TUI_WRITE_CAPTURES=1)."""
    if not WRITE_CAPTURES:
        return
    CAPTURES.mkdir(exist_ok=True)
    text = "\n".join(line.rstrip() for line in screen.splitlines()).rstrip("\n") + "\n"
    (CAPTURES / name).write_text(text, encoding="utf-8")


@pytest.fixture
def term_env(tmp_path: Path) -> dict[str, str]:
    """An explicit environment for tmux and bash: nothing of the developer's shell leaks in."""
    script_dir = str(Path(installed_script()).parent)
    env = {
        "PATH": os.pathsep.join([script_dir, os.environ.get("PATH", os.defpath)]),
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "TEXTUAL_CURSOR_BLINK": "0",  # a still screen can be seen to settle
        "TMUX_TMPDIR": str(tmp_path),
    }
    env.update({k: os.environ[k] for k in PASSED_THROUGH if k in os.environ})
    return env


@pytest.fixture
def tmux(tmp_path: Path, term_env: dict[str, str]) -> Iterator[Tmux]:
    server = Tmux(tmp_path, term_env)
    try:
        yield server
    finally:
        server.kill()


def test_wizard_by_keystrokes_then_export_in_bash(
    tmux: Tmux,
    term_env: dict[str, str],
    fake_platform: FakePlatformServer,
) -> None:
    tmux.start_app(installed_script())

    # 1. Auth method. No profiles yet, so the wizard opens directly.
    tmux.wait_for("Step 1 of 6", "How should Claude Code authenticate?")
    tmux.wait_until(lambda: tmux.nav_row() is not None, "the Back and Next buttons")
    tmux.settle()
    save_capture("wizard.txt", tmux.capture())
    disabled = tmux.nav_row()  # nothing chosen yet: Next is disabled
    assert disabled is not None, tmux.last
    tmux.keys("Down", "Enter")  # the second radio button: workspace API key
    tmux.wait_next_enabled(disabled)
    tmux.keys("C-n")

    # 2. API key: typed, shown masked; Enter submits it.
    tmux.wait_for("Step 2 of 6", "Your workspace API key")
    tmux.settle()
    tmux.type(TEST_API_KEY)
    tmux.wait_for("•" * len(TEST_API_KEY), gone=(TEST_API_KEY,))
    tmux.keys("Enter")

    # 3. Workspace and region. The region select has focus; the endpoint is set before a
    # region is picked, so nothing is ever sent to the real endpoint.
    tmux.wait_for("Step 3 of 6", "Pick the workspace's region")
    tmux.press("Tab")  # the workspace ID (the live list is hidden while there is no region)
    tmux.type(WORKSPACE_A)
    tmux.wait_for(WORKSPACE_A)
    tmux.press("Tab")  # "Advanced: endpoint and gateway"
    tmux.keys("Enter")
    tmux.wait_for("Base URL override")
    tmux.press("Tab")
    tmux.type(fake_platform.base_url)
    tmux.wait_for(f"Requests go to {fake_platform.base_url} (override)")
    for _ in range(3):  # back up to the region select: Advanced, workspace ID, region
        tmux.press("BTab")
    tmux.keys("Enter")
    tmux.wait_for("us-east-1", "us-west-2")  # the open list
    tmux.type(REGION)  # type-to-search in the open select
    tmux.keys("Enter")
    tmux.wait_for(f"2 workspace(s) in {REGION}", "Test Workspace A")  # listed by the fake
    tmux.wait_next_enabled(disabled)
    tmux.keys("C-n")

    # 4. Models: pin opus (its display name comes from the live list); TTL stays 5 minutes.
    tmux.wait_for("Step 4 of 6", "Offered here: claude-fable-5")
    tmux.press("Tab")  # fable has focus; opus is next
    tmux.type(OPUS)
    tmux.wait_for("Claude Opus 4.8")
    tmux.wait_next_enabled(disabled)
    tmux.keys("C-n")

    # 5. Validate, live against the fake platform: Next is enabled only when nothing failed.
    # An API key is in the agent's environment: a warning to read (issue 11), nothing to fix.
    tmux.wait_for("Step 5 of 6", "Ready, with 1 warning(s) to read below.")
    tmux.wait_next_enabled(disabled)
    tmux.keys("C-n")

    # 6. Save under a name of our own (the field is prefilled with "default").
    tmux.wait_for("Step 6 of 6", "Name and save", "export default")
    tmux.settle()
    tmux.keys("C-u")  # empty the field; typing on before it is emptied could be wiped too
    tmux.wait_for('eval "$(cc-aws-tui export NAME)"')
    tmux.type(NAME)
    tmux.wait_for(f'eval "$(cc-aws-tui export {NAME})"')
    tmux.keys("C-n")

    # Home: the saved profile, current, key masked. (At 100 columns the table leaves out the
    # workspace; the export below carries it.)
    home = tmux.wait_for(f"Saved {NAME}", f"●  {NAME}", "api-key", "sk-ant-…0001")
    assert TEST_API_KEY not in home
    if WRITE_CAPTURES:  # once the "Saved" toast has gone
        tmux.wait_for(f"Current profile: {NAME}", gone=("Saved ",))
        tmux.settle()
        save_capture("home.txt", tmux.capture())

    tmux.keys("C-q")
    status = tmux.wait_exited()
    after = tmux.capture()
    assert status == 0, f"cc-aws-tui exited {status}\n--- last screen ---\n{after}"
    assert "Traceback" not in after, after

    # The export, evaluated by bash in a shell that had other providers switched on.
    bash = require("bash")
    shell_env = {
        **term_env,
        "CLAUDE_CODE_USE_BEDROCK": "1",
        "CLAUDE_CODE_USE_FOUNDRY": "1",
        "ANTHROPIC_AWS_WORKSPACE_ID": "wrkspc_01Stale",
    }
    done = subprocess.run(
        [bash, "--norc", "--noprofile", "-c", f'eval "$(cc-aws-tui export {NAME})"; env -0'],
        env=shell_env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    env = dict(item.split("=", 1) for item in done.stdout.split("\0") if "=" in item)
    expected = {
        "CLAUDE_CODE_USE_ANTHROPIC_AWS": "1",
        "ANTHROPIC_AWS_WORKSPACE_ID": WORKSPACE_A,
        "AWS_REGION": REGION,
        "ANTHROPIC_AWS_API_KEY": TEST_API_KEY,
        "ANTHROPIC_AWS_BASE_URL": fake_platform.base_url,
        "ANTHROPIC_DEFAULT_OPUS_MODEL": OPUS,
        "CC_AWS_TUI_PROFILE": NAME,
    }
    assert {k: env.get(k) for k in expected} == expected
    for unset in ("CLAUDE_CODE_USE_BEDROCK", "CLAUDE_CODE_USE_FOUNDRY", "AWS_PROFILE"):
        assert unset not in env, f"{unset}={env[unset]} survived the export"


def save_and_show(tmux: Tmux, setup: str, started: float) -> str:
    """Steps 5 and 6 of a fast setup: Next once the live checks passed, the name field emptied
    and ours typed, saved; print the keystroke count and the time since `started`, quit, and
    return what `show` says of the saved profile."""
    tmux.wait_for("Step 5 of 6", "Ready")
    tmux.keys("C-n", "C-u")
    tmux.type(NAME)
    tmux.keys("C-n")
    tmux.wait_for(f"Saved {NAME}")
    elapsed = time.monotonic() - started
    columns, lines = tmux.size
    print(f"{setup} setup at {columns}x{lines}: {tmux.sent} keystrokes, {elapsed:.2f} s")
    tmux.keys("C-q")
    assert tmux.wait_exited() == 0, tmux.capture()
    shown = subprocess.run(
        [installed_script(), "show", NAME], env=tmux.env, capture_output=True, text=True,
        timeout=TIMEOUT, check=False,
    )  # fmt: skip
    assert shown.returncode == 0, shown.stderr
    return shown.stdout


@pytest.mark.parametrize("size", [(80, 24), (60, 20)], ids=["80x24", "60x20"])
def test_api_key_setup_typed_as_fast_as_tmux_sends(
    tmux: Tmux, fake_platform: FakePlatformServer, size: tuple[int, int]
) -> None:
    """The whole API-key setup with no wait between keys: the app applies keys typed ahead in
    order (issue 12). Waits are only for what takes time outside the keyboard: the app's
    start, the live checks, the save."""
    tmux.size = size
    started = time.monotonic()
    tmux.start_app(installed_script())
    tmux.wait_for("Step 1 of 6")
    # 1-2: API key, typed; 3: workspace ID, the base URL in Advanced, then the region.
    tmux.keys("Down", "Enter", "C-n")
    tmux.type(TEST_API_KEY)
    tmux.keys("Enter", "Tab")
    tmux.type(WORKSPACE_A)
    tmux.keys("Tab", "Enter", "Tab")
    tmux.type(fake_platform.base_url)
    tmux.keys("BTab", "BTab", "BTab", "Enter")
    tmux.type(REGION)
    tmux.keys("Enter", "C-n", "Tab")  # 4: opus is the second model field
    tmux.type(OPUS)
    tmux.keys("C-n")
    # 5: the live checks run against the fake platform; Next only once they passed.
    shown = save_and_show(tmux, "API-key", started)
    assert WORKSPACE_A in shown
    assert REGION in shown
    assert fake_platform.base_url in shown


@pytest.mark.parametrize("size", [(80, 24), (60, 20)], ids=["80x24", "60x20"])
def test_sigv4_setup_typed_as_fast_as_tmux_sends(
    tmux: Tmux,
    fake_platform: FakePlatformServer,
    aws_files: AwsFiles,
    sts_endpoint: str,
    size: tuple[int, int],
) -> None:
    """The whole SigV4 setup with no wait between keys (issue 12); it prints the keystroke
    count and the wall time, from the app's start to "Saved"."""
    del sts_endpoint  # the AWS files point the `dev` profile's STS calls at moto
    aws_files.add_static("dev")
    tmux.env.update({k: os.environ[k] for k in ("AWS_ENDPOINT_URL_STS",) if k in os.environ})
    tmux.size = size
    started = time.monotonic()
    tmux.start_app(installed_script())
    tmux.wait_for("Step 1 of 6")
    tmux.keys("Enter", "C-n")  # 1: SigV4; 2: the AWS profile, found by typing its name
    tmux.type("dev")
    tmux.keys("C-n")  # 3: the region comes from the AWS profile: focus is on the ID
    tmux.type(WORKSPACE_A)
    tmux.keys("Tab", "Enter", "Tab")
    tmux.type(fake_platform.base_url)  # the region stays the AWS profile's (us-east-1)
    tmux.keys("C-n", "Tab")
    tmux.type(OPUS)
    tmux.keys("C-n")
    shown = save_and_show(tmux, "SigV4", started)
    assert "sigv4" in shown
    assert "dev" in shown
    assert "us-east-1" in shown
