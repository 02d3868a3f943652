"""Snapshot tests (pytest-textual-snapshot): every screen of the TUI at 100×32 and 80×24, and
the key screens (home, AWS profile, models, save) at 60×20 as well.

Snapshots are for looks; behaviour is asserted by the Pilot tests beside this file. Each test
builds the app with `make_app` (the CLI's own factory), brings it into one state in
`run_before` (saved profiles and AWS files written first, then the screen pushed as the app
would push it, and every thread worker awaited), and compares the screenshot with the SVG under
`__snapshots__/test_snapshots/`. Each docstring says what the snapshot must show: read it
before accepting a changed SVG.

What keeps the screenshots identical from run to run:
- Live data comes from the loopback fake platform, standing in for the *default* endpoint of
  every region (`PlatformClient` is pointed at it when a profile has no base URL). So the
  screens show the real `https://aws-external-anthropic.REGION.api.aws`, never a random port.
  Any other host lookup is refused, so a stray request fails fast instead of hanging.
- `settle` waits until no worker runs (discovery, listings, checks, settings previews) and
  their messages are handled; the checklist's spinner is frozen when headless; Textual has no
  global cursor-blink switch (TEXTUAL_CURSOR_BLINK is not read by Textual 8), so `settle`
  turns `cursor_blink` off on every Input. It also finishes the scroll that brings a focused
  widget into view, which Textual animates from a layout that can be stale (see `settle`).
- "Checked" ages are recorded relative to now with wide margins ("2 h ago", "just now").
- Paths that reach the screen are fixed: the broken profiles.toml is read through a relative
  config dir, and the settings preview runs with HOME at a path that does not exist (the
  preview is a dry run: it reads, never writes).

Update with `python -m pytest tests/tui/test_snapshots.py --snapshot-update`, then look at
every changed SVG (the failure report shows old and new side by side).
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from textual.pilot import Pilot
from textual.widgets import DataTable, Select

from profiles.aws.profiles import discover_aws_profiles
from profiles.aws.sso import sso_cache_path
from profiles.core.schema import Profile
from profiles.platform.client import Auth, PlatformClient
from profiles.store import history
from profiles.usecases.edit import save_profile
from tests.fakeplatform import (
    GATEWAY_TOKEN,
    TEMP_SECRET_KEY,
    TEMP_SESSION_TOKEN,
    TEST_ACCESS_KEY,
    TEST_API_KEY,
    TEST_SECRET_KEY,
    WORKSPACE_A,
    WORKSPACE_B,
    FakePlatformServer,
)
from tests.tui.harness import settle
from tui.app import CcAwsTuiApp, make_app, step_screen, steps_for
from tui.screens.home import HomeScreen
from tui.state import Draft

Size = tuple[int, int]
SnapCompare = Callable[..., bool]
RunBefore = Callable[[Pilot[Any]], Awaitable[None]]
Snap = Callable[[CcAwsTuiApp, RunBefore], bool]

SNAPSHOTS = Path(__file__).parent / "__snapshots__" / "test_snapshots"
# Every secret any test here puts into the app: none may ever appear in a snapshot.
SECRETS = (TEST_API_KEY, TEST_SECRET_KEY, TEMP_SECRET_KEY, TEMP_SESSION_TOKEN, GATEWAY_TOKEN)
ABSENT_HOME = "/home/you"  # HOME while the settings preview runs; must not exist

AWS_CONFIG = """\
[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1

[profile dev]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = Developer
region = eu-west-1

[profile ops-admin]
role_arn = arn:aws:iam::111122223333:role/Admin
source_profile = prod
region = us-east-2

[profile prod]
region = us-east-1

[profile build]
credential_process = /usr/local/bin/build-credentials
region = ap-southeast-2
"""
AWS_CREDENTIALS = f"""\
[prod]
aws_access_key_id = {TEST_ACCESS_KEY}
aws_secret_access_key = {TEST_SECRET_KEY}
"""
BROKEN_PROFILES_TOML = """\
current = "work"

[profiles.work]
auth = "sigv4
workspace_id = "wrkspc_01TestWorkspaceA"
"""


# Nothing here may reach the internet (the `offline` fixture, tests/tui/conftest.py).
pytestmark = pytest.mark.usefixtures("offline")


# --- fixtures --------------------------------------------------------------------------------

# The key screens are also snapshotted at 60×20: small, but they must stay usable.
KEY_SCREEN_SIZES = pytest.mark.parametrize(
    "size", [(100, 32), (80, 24), (60, 20)], ids=["100x32", "80x24", "60x20"]
)


@pytest.fixture(params=[(100, 32), (80, 24)], ids=["100x32", "80x24"])
def size(request: pytest.FixtureRequest) -> Size:
    """Every screen is snapshotted at both sizes."""
    value: Size = request.param
    return value


@pytest.fixture
def platform(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakePlatformServer]:
    """The fake platform, answering for the default endpoint of every region.

    Profiles keep no base URL, so what the screens show is the real default endpoint; only
    the client underneath sends its requests to the fake's random port.
    """
    with FakePlatformServer() as server:
        original = PlatformClient.__init__

        def routed(self: PlatformClient, profile: Profile, auth: Auth, **kwargs: Any) -> None:
            original(self, profile, auth, **kwargs)
            if profile.base_url is None:
                self.base_url = server.base_url

        monkeypatch.setattr(PlatformClient, "__init__", routed)
        yield server


@pytest.fixture
def snap(snap_compare: SnapCompare, size: Size) -> Snap:
    """`snap_compare` at this test's size, refusing any screenshot that shows a secret.

    The screenshot is checked as it is taken, so a leak fails even in a `--snapshot-update`
    run (which writes the SVG files only when the session ends).
    """

    def compare(app: CcAwsTuiApp, run_before: RunBefore) -> bool:
        shots: list[str] = []
        export = app.export_screenshot

        def capture(*args: Any, **kwargs: Any) -> str:
            svg = export(*args, **kwargs)
            shots.append(svg)
            return svg

        app.export_screenshot = capture  # type: ignore[method-assign]
        matched = snap_compare(app, terminal_size=size, run_before=run_before)
        assert len(shots) == 1, "the screenshot was not taken: did run_before fail?"
        assert_no_secret(shots[0], "the screenshot")
        return matched

    return compare


# --- helpers ---------------------------------------------------------------------------------


async def push_step(pilot: Pilot[Any], step: str, draft: Draft) -> None:
    """Show one wizard step for `draft`, numbered as the app numbers it, and settle."""
    steps = steps_for(draft)
    await pilot.app.push_screen(step_screen(step, draft, steps.index(step) + 1, len(steps)))
    await settle(pilot)


def write_aws_files(home: Path) -> None:
    """~/.aws/config and credentials with four profiles; dev's SSO token expired in 2020."""
    (home / ".aws" / "config").write_text(AWS_CONFIG, encoding="utf-8")
    (home / ".aws" / "credentials").write_text(AWS_CREDENTIALS, encoding="utf-8")
    dev = next(p for p in discover_aws_profiles() if p.name == "dev")
    token = sso_cache_path(dev)
    token.parent.mkdir(parents=True, exist_ok=True)
    token.write_text(
        json.dumps({"accessToken": "expired", "expiresAt": "2020-01-01T00:00:00Z"}),
        encoding="utf-8",
    )


def save_home_profiles() -> None:
    """Four saved profiles: key-prod current (its key masked), dev-sso validated ✓ 2 h ago,
    key-prod failed ✗ just now, the others never checked."""
    save_profile(
        Profile(
            name="dev-sso",
            auth="sigv4",
            workspace_id=WORKSPACE_A,
            region="eu-west-1",
            aws_profile="dev",
            models={"opus": "claude-opus-4-8"},
            cache_ttl="1h",
            aws_auth_refresh="aws sso login --profile dev",
        )
    )
    save_profile(
        Profile(
            name="key-prod",
            auth="api-key",
            workspace_id=WORKSPACE_B,
            region="us-east-1",
            api_key_store="file",
        ),
        {"api_key": TEST_API_KEY},
        make_current=True,
    )
    save_profile(
        Profile(
            name="gateway",
            auth="sigv4",
            workspace_id=WORKSPACE_A,
            region="us-west-2",
            base_url="https://gateway.example.com",
            gateway_signs=True,
        )
    )
    save_profile(Profile(name="ci", auth="sigv4", workspace_id=WORKSPACE_B, region="us-east-1"))
    now = time.time()
    # Ages are shown rounded: 2 h reads "2 h ago" for ±30 min, "just now" lasts 90 s.
    history.record("dev-sso", True, "ready", when=now - 2 * 3600)
    history.record("key-prod", False, "Platform: HTTP 401", when=now)


def key_draft(**update: Any) -> Draft:
    """An api-key draft as the wizard has it after the API key step (key typed this session)."""
    draft = Draft(
        auth="api-key",
        api_key=SecretStr(TEST_API_KEY),
        workspace_id=WORKSPACE_A,
        region="us-east-1",
    )
    return draft.model_copy(update=update)


def screen_lines(svg: str) -> list[str]:
    """A snapshot's text, line by line (the SVG splits lines into styled runs)."""
    rows: dict[int, list[tuple[float, str]]] = defaultdict(list)
    pattern = r'<text[^>]*x="([\d.]+)"[^>]*clip-path="url\(#[^)]*-line-(\d+)\)"[^>]*>(.*?)</text>'
    for m in re.finditer(pattern, svg, re.S):
        text = html.unescape(m.group(3)).replace("\xa0", " ")
        rows[int(m.group(2))].append((float(m.group(1)), text))
    return ["".join(text for _, text in sorted(rows[n])) for n in sorted(rows)]


def assert_no_secret(svg: str, where: str) -> None:
    """No secret used here, whole or its distinctive middle, in the SVG or its text."""
    text = "\n".join(screen_lines(svg))
    needles = set(SECRETS) | {s[8:-5] for s in SECRETS}
    leaked = sorted(n for n in needles if n in svg or n in text)
    assert not leaked, f"{where} shows a secret: {leaked}"


# --- home ------------------------------------------------------------------------------------


@KEY_SCREEN_SIZES
def test_home_with_profiles(snap: Snap) -> None:
    """Home with four saved profiles, sorted by name, the cursor on the first (ci).

    Must show, with no horizontal scrollbar: the columns Name, Auth, Credentials, Region,
    Pins, TTL, Checked, Settings at 100×32 (Workspace left out to fit) and Name, Credentials,
    Region, TTL, Checked, Settings at 80×24; ● in the first column of key-prod only (the
    current profile); key-prod's key masked as sk-ant-…0001; "dev" for dev-sso, "gateway
    signs" for gateway, "default chain" for ci; dev-sso's pinned alias "opus" (100×32); the
    hint "Current profile: key-prod. In a shell: eval ..."; the footer's bindings
    (New, Edit, Dup, Del, Use, Check, Copy, Quit, Keys; Keys is cut at 80×24). At 60×20:
    Name, Region, Checked and Settings, every profile's row, the hint wrapped.
    """
    save_home_profiles()
    assert snap(make_app(), settle)


def test_home_scrolled_right(snap: Snap) -> None:
    """The same home table asked to scroll to its right end: it fits, so nothing moves.

    Must show: the marker and Name columns in place; TTL (1h for dev-sso, 5m for the
    others); Checked "✓ 2 h ago" for dev-sso, "✗ just now" for key-prod, "-" for ci and
    gateway; "Settings" with "-" for every profile (none written to a Claude Code settings
    file; the "…" placeholder is gone).
    """
    save_home_profiles()

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        table = pilot.app.screen.query_one(DataTable)
        table.scroll_to(x=table.max_scroll_x, animate=False, immediate=True)
        await settle(pilot)

    assert snap(make_app(), run_before)


def test_home_empty(snap: Snap) -> None:
    """Home with no profile saved (reached when the wizard is left before saving).

    Must show: "No profiles yet. Press n to create one with the wizard.", an empty table with
    its column headers, no "Current profile" hint, the footer's bindings.
    """

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.app.push_screen(HomeScreen())
        await settle(pilot)

    assert snap(make_app(), run_before)


def test_confirm_delete(snap: Snap) -> None:
    """The delete confirmation over the home screen, after pressing x on the first row (ci).

    Must show: a centred dialog "Delete profile ci?" with "Its stored secrets are deleted
    with it.", Cancel (focused) and Delete buttons; the home screen dimmed behind it.
    """
    save_home_profiles()

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)

    assert snap(make_app(), run_before)


def test_error_broken_profiles_toml(
    snap: Snap, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The error screen the app opens on when profiles.toml does not parse.

    Must show: "profiles.toml cannot be used"; the file, line and column of the error
    ("cc-aws-tui/profiles.toml:4:14: Illegal character '\\n'": the unterminated string) and
    "(file left unchanged: fix it by hand)"; "Nothing was changed. Fix the file in an editor,
    then start cc-aws-tui again."; Quit in the footer.
    """
    # A relative config dir keeps the temporary directory's name off the screen.
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CC_AWS_TUI_CONFIG_DIR", "cc-aws-tui")
    (tmp_path / "cc-aws-tui").mkdir(exist_ok=True)
    (tmp_path / "cc-aws-tui" / "profiles.toml").write_text(BROKEN_PROFILES_TOML, encoding="utf-8")
    assert snap(make_app(), settle)


# --- the wizard ------------------------------------------------------------------------------


def test_auth_step(snap: Snap) -> None:
    """The wizard's first step, as a first run opens it (no profiles saved).

    Must show: "●○○○○○  Step 1 of 6", "How should Claude Code authenticate?", the two radio
    buttons (SigV4 with AWS credentials, Workspace API key) with neither chosen, the sentence
    on when to choose each (and that a key overrides SigV4), Back and a disabled Next.
    """
    assert snap(make_app(), settle)


@KEY_SCREEN_SIZES
def test_aws_profile_step(snap: Snap, isolated_env: Path) -> None:
    """The AWS profile picker with four discovered profiles, the expired SSO one highlighted.

    Must show: "Step 2 of 6"; the empty filter input; "Default credential chain ...", a
    separator, then build (process, ap-southeast-2), dev (SSO, eu-west-1, highlighted),
    ops-admin (role, us-east-2), prod (static, us-east-1); "4 AWS profiles"; dev's detail
    "dev: SSO · region eu-west-1 · sso-session corp"; the warning "⚠ SSO token has expired:
    aws sso login --profile dev" with its "Log in (ctrl+l)" button; SSO login and Re-check
    (f5) in the footer. At 60×20: all four profiles listed under the default chain (wrapped),
    then the count, dev's detail, the warning (wrapped) beside its button, Back and Next.
    """
    write_aws_files(isolated_env / "home")

    async def run_before(pilot: Pilot[Any]) -> None:
        await push_step(pilot, "aws_profile", Draft(auth="sigv4"))
        await pilot.press("down", "down")  # from the default chain: build, then dev
        await settle(pilot)

    assert snap(make_app(), run_before)


def test_api_key_step_masked(snap: Snap) -> None:
    """The API key step after the test key was typed in full.

    Must show: "Step 2 of 6", "Your workspace API key"; the key as a row of • only (never a
    character of it in clear), with the Show button beside it; no format error; the note on
    pasting and ctrl+r; Show/hide in the footer; Next enabled.
    """

    async def run_before(pilot: Pilot[Any]) -> None:
        await push_step(pilot, "api_key", Draft(auth="api-key"))
        await pilot.press(*TEST_API_KEY)
        await settle(pilot)

    assert snap(make_app(), run_before)


@pytest.mark.usefixtures("platform")
def test_workspace_step_live_list(snap: Snap) -> None:
    """The workspace step with the live list, after picking the first workspace from it.

    Must show: "Step 3 of 6" with the title on the same line (at both sizes); region
    us-east-1 and "Requests go to
    https://aws-external-anthropic.us-east-1.api.aws"; "2 workspace(s) in us-east-1: pick one
    (Enter) or type the ID."; the list with Test Workspace A (highlighted) and Test Workspace B
    and their IDs (the archived one left out); wrkspc_01TestWorkspaceA in the ID input; the
    collapsed "Advanced: endpoint and gateway"; Next enabled and focused.
    """

    async def run_before(pilot: Pilot[Any]) -> None:
        await push_step(pilot, "workspace", key_draft(workspace_id=""))
        await pilot.press("shift+tab", "down", "enter")  # to the list, first one, pick it
        await settle(pilot)

    assert snap(make_app(), run_before)


@KEY_SCREEN_SIZES
@pytest.mark.usefixtures("platform")
def test_models_step_with_live_list(snap: Snap, isolated_env: Path) -> None:
    """The models step of a SigV4 draft (static AWS profile prod), the live list loaded.

    Must show: "Step 4 of 6", "Models and prompt cache"; "Offered here: claude-fable-5,
    claude-opus-4-8, ..." (the six models of the fake); the rows fable, opus, sonnet, haiku:
    fable and sonnet unpinned (placeholder), opus pinned to claude-opus-4-8 with its name
    "Claude Opus 4.8", haiku pinned to claude-haiku-9 with the warning "! not offered in this
    workspace's list ..." beside it; the TTL choice with 5 minutes selected, the TTL cost
    note and the awsAuthRefresh field, all at 80×24 too (one-row fields). Next enabled; Reload
    list (f5) in the footer. At 60×20: each note under its field, full width (never a
    column of characters), the four rows and the TTL choice; the rest below the fold, with
    the body's scrollbar showing it.
    """
    write_aws_files(isolated_env / "home")
    draft = Draft(
        auth="sigv4",
        aws_profile="prod",
        aws_profile_kind="static",
        workspace_id=WORKSPACE_A,
        region="us-east-1",
        models={"opus": "claude-opus-4-8", "haiku": "claude-haiku-9"},
    )

    async def run_before(pilot: Pilot[Any]) -> None:
        await push_step(pilot, "models", draft)

    assert snap(make_app(), run_before)


@pytest.mark.usefixtures("platform")
def test_validate_step_mixed_results(snap: Snap, monkeypatch: pytest.MonkeyPatch) -> None:
    """The validate step after a finished live run with passes, a warning and a failure.

    Must show: "Step 5 of 6", "Check that it works" and "1 check failed: see what to do
    below." (at both sizes); the rows
    ! Environment (AWS_REGION is eu-west-1, the profile's is us-east-1) with its → remedy,
    ✓ Secrets (API key found), ✓ Claude Platform on AWS (GET /v1/models in
    wrkspc_01TestWorkspaceA: 6 models), ✗ Model pins (not offered in this workspace:
    opus=claude-opus-9) with "→ pin one of: ...", ✓ Workspaces (this one is 'Test Workspace
    A'); the "Fix: models" button; Re-run and Save anyway in the footer. No spinner: every row
    has its glyph.
    """
    monkeypatch.setenv("AWS_REGION", "eu-west-1")  # the shell disagrees: a warning

    async def run_before(pilot: Pilot[Any]) -> None:
        await push_step(pilot, "validate", key_draft(models={"opus": "claude-opus-9"}))

    assert snap(make_app(), run_before)


def test_validate_saved_profile_failure(snap: Snap) -> None:
    """Validating a saved SigV4 profile (v on the home screen) whose AWS profile is gone.

    Must show: "Validating profile ops"; "1 check failed: see what to do below."; ✓
    Environment; ✗ AWS credentials ("AWS profile 'gone' is not in ~/.aws/config or
    ~/.aws/credentials") with its → remedy; AWS identity, Claude Platform on AWS, Model pins
    and Workspaces skipped (–, "needs AWS credentials"); the "Edit profile: AWS profile"
    button; Close, Re-run and Edit profile in the footer.
    """
    save_profile(
        Profile(name="ops", auth="sigv4", workspace_id=WORKSPACE_A, region="us-east-1",
                aws_profile="gone")
    )  # fmt: skip

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)

    assert snap(make_app(), run_before)


@KEY_SCREEN_SIZES
def test_save_step(snap: Snap) -> None:
    """The save step of an api-key draft whose key was typed this session, as it opens.

    Must show: "●●●●●●  Step 6 of 6", "Name and save"; the name input holding "default"
    (focused); "Make it the current profile" ticked; the line eval "$(cc-aws-tui export
    default)" with its Copy button; the export preview's box with a scrollbar (6 lines at
    80×24, 14 at 100×32); "Also write it to Claude Code's settings?" and its choice "No: only
    the shell export"; Save and Copy eval line in the footer. At 60×20: the name, the
    current-profile tick, the eval line, the preview box with its first 3 lines and its
    scrollbar, the note, the settings question; its choice below the fold, with the body's
    scrollbar showing it.
    """

    async def run_before(pilot: Pilot[Any]) -> None:
        await push_step(pilot, "save", key_draft(models={"opus": "claude-opus-4-8"}))

    assert snap(make_app(), run_before)


def test_save_step_export_preview(snap: Snap) -> None:
    """The save step with its export preview scrolled to the end (the box scrolls inside).

    Must show: the preview box's last lines: export ANTHROPIC_AWS_API_KEY='sk-ant-…0001'
    (masked), ANTHROPIC_DEFAULT_OPUS_MODEL=claude-opus-4-8 and CC_AWS_TUI_PROFILE=default,
    with the lines before them that fit (from export CLAUDE_CODE_USE_ANTHROPIC_AWS=1 at
    100×32), its scrollbar at the bottom; the note that secrets are masked here; the settings
    question below it, the name field above it.
    """

    async def run_before(pilot: Pilot[Any]) -> None:
        await push_step(pilot, "save", key_draft(models={"opus": "claude-opus-4-8"}))
        box = pilot.app.screen.query_one("#preview-box")
        box.scroll_end(animate=False, immediate=True)
        await pilot.pause()

    assert snap(make_app(), run_before)


def test_save_step_settings_choice(snap: Snap, monkeypatch: pytest.MonkeyPatch) -> None:
    """The save step scrolled to its end, the user settings file chosen as well.

    Must show: "Also write it to Claude Code's settings?" (at 100×32) with "user:
    ~/.claude/settings.json (every project on this machine)" chosen; "Creates
    /home/you/.claude/settings.json."; the diff of that new file, whole (its last line "}"
    inside the box: nothing clipped), whose env block holds the API key masked as "…", never
    in clear; Save enabled.
    """
    assert not Path(ABSENT_HOME).exists(), f"{ABSENT_HOME} must not exist for this snapshot"
    monkeypatch.setenv("HOME", ABSENT_HOME)

    async def run_before(pilot: Pilot[Any]) -> None:
        await push_step(pilot, "save", key_draft())
        pilot.app.screen.query_one("#settings-scope", Select).value = "user"
        await settle(pilot)
        pilot.app.screen.query_one("#step-body").scroll_end(animate=False, immediate=True)
        await pilot.pause()

    assert snap(make_app(), run_before)


# --- what no committed snapshot may hold -----------------------------------------------------


def snapshot_files(config: pytest.Config) -> list[Path]:
    if config.getoption("--snapshot-update"):
        pytest.skip("the SVG files are written when this run ends; each was checked when taken")
    files = sorted(SNAPSHOTS.glob("*.svg"))
    assert files, f"no snapshots in {SNAPSHOTS}: run with --snapshot-update first"
    return files


def test_no_snapshot_shows_a_secret(pytestconfig: pytest.Config) -> None:
    """No committed snapshot holds a secret used here, whole or its distinctive middle."""
    for path in snapshot_files(pytestconfig):
        assert_no_secret(path.read_text(encoding="utf-8"), path.name)


def test_no_snapshot_shows_machine_specific_text(pytestconfig: pytest.Config) -> None:
    """No random port, temporary directory or date of a run reaches a committed snapshot."""
    today = dt.date.today().isoformat()
    for path in snapshot_files(pytestconfig):
        text = "\n".join(screen_lines(path.read_text(encoding="utf-8")))
        for needle in ("127.0.0.1", "localhost:", "/tmp/", "pytest-", today):
            assert needle not in text, f"{path.name} shows {needle!r}"
