"""The TUI against hostile text (issue 8, parts 5 and 8), driven by Pilot.

A server that quotes the key it received, a server body and AWS profile names carrying
terminal escapes, bidi overrides and Textual markup: the rendered screen (the SVG screenshot,
which holds exactly the characters Textual would send to the terminal) and state.json must
show none of it raw. Plain functions running `asyncio.run`; waits are on workers and the
message queue, never on time.
"""

from __future__ import annotations

import asyncio
import base64
import html
import json
import os
import re
from collections import defaultdict
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from pydantic import SecretStr
from textual.message import Message
from textual.notifications import Notify
from textual.pilot import Pilot
from textual.widgets import OptionList, Select, Static

from profiles.core.envplan import mask
from profiles.core.schema import Profile
from profiles.usecases.edit import save_profile
from tests.fakeplatform import TEST_API_KEY, WORKSPACE_A, FakePlatformServer
from tests.servers import HOSTILE
from tests.tui.harness import settle
from tui.app import CcAwsTuiApp, make_app
from tui.screens.aws_profile import AwsProfileScreen
from tui.screens.models import ModelsScreen
from tui.screens.save import SaveScreen
from tui.screens.validate import ValidateProfileScreen
from tui.screens.workspace import WorkspaceScreen
from tui.state import Draft

REVOKED_KEY = "sk-ant-api03-revoked-key-echoed-back-0042"
RAW = ("\x1b", "\x9b", "\u202e", "\u2066")
Scenario = Callable[[CcAwsTuiApp, Pilot[int]], Awaitable[None]]


def run(scenario: Scenario) -> list[Message]:
    """Run `scenario` against a fresh app; return the messages the app processed."""
    seen: list[Message] = []

    async def main() -> None:
        app = make_app(check_timeout=5.0)
        async with app.run_test(size=(120, 40), message_hook=seen.append) as pilot:
            await scenario(app, pilot)

    asyncio.run(main())
    return seen


def screen(app: CcAwsTuiApp) -> str:
    """Every character on screen, as Textual would send it to the terminal, line by line (from
    the SVG screenshot: one <text> per styled run, spaces as U+00A0)."""
    rows: dict[int, list[tuple[float, str]]] = defaultdict(list)
    pattern = r'<text[^>]*x="([\d.]+)"[^>]*clip-path="url\(#[^)]*-line-(\d+)\)"[^>]*>(.*?)</text>'
    for m in re.finditer(pattern, app.export_screenshot(), re.S):
        rows[int(m.group(2))].append((float(m.group(1)), html.unescape(m.group(3))))
    lines = ("".join(t for _, t in sorted(rows[n])) for n in sorted(rows))
    return "\n".join(lines).replace("\xa0", " ")


def assert_no_raw_controls(text: str) -> None:
    for char in RAW:
        assert char not in text, f"raw {char!r} on screen"


def key_forms(key: str) -> list[str]:
    return [key, base64.b64encode(key.encode()).decode(), key[: len(key) * 2 // 3]]


def save_home_profile(base_url: str, key: str = TEST_API_KEY) -> Profile:
    profile = Profile(
        name="home",
        auth="api-key",
        workspace_id=WORKSPACE_A,
        region="us-east-1",
        base_url=base_url,
        api_key_store="file",
    )
    save_profile(profile, {"api_key": key})
    return profile


# --- part 5: a key echoed back -----------------------------------------------------------------


def test_home_check_against_an_echoing_server_keeps_the_key_off_screen_and_out_of_state(
    fake_platform: FakePlatformServer, config_dir: Path
) -> None:
    fake_platform.echo_secrets = True  # 401 "... (x-api-key: <key>)"
    save_home_profile(fake_platform.base_url, REVOKED_KEY)

    async def scenario(app: CcAwsTuiApp, pilot: Pilot[int]) -> None:
        await settle(pilot)
        await pilot.press("v")  # the home screen's check
        await settle(pilot)
        assert isinstance(app.screen, ValidateProfileScreen)
        text = screen(app)
        for form in key_forms(REVOKED_KEY):
            assert form not in text
        assert mask(REVOKED_KEY) in text  # the server's message is shown, the key masked
        assert "401" in text

    run(scenario)
    assert fake_platform.requests, "the check reached the server"
    state = (config_dir / "state.json").read_text(encoding="utf-8")
    summary = json.loads(state)["validation"]["home"]["summary"]
    for form in key_forms(REVOKED_KEY):
        assert form not in state
    assert mask(REVOKED_KEY) in summary


def test_workspace_picker_masks_a_key_echoed_in_workspace_names(
    fake_platform: FakePlatformServer,
) -> None:
    fake_platform.echo_secrets = True  # 200, names "Test Workspace A [x-api-key: <key>]"
    draft = Draft(
        auth="api-key",
        api_key=SecretStr(TEST_API_KEY),
        region=fake_platform.region,
        base_url=fake_platform.base_url,
    )

    async def scenario(app: CcAwsTuiApp, pilot: Pilot[int]) -> None:
        await app.push_screen(WorkspaceScreen(draft, 3, 6))
        await settle(pilot)
        prompts = [str(o.prompt) for o in app.screen.query_one("#ws-list", OptionList).options]
        assert len(prompts) == 2
        assert all(mask(TEST_API_KEY) in p and TEST_API_KEY not in p for p in prompts)
        for form in key_forms(TEST_API_KEY):
            assert form not in screen(app)

    run(scenario)


# --- part 8: escapes and markup from servers and files ---------------------------------------


def test_checklist_shows_a_server_body_escaped(hostile_server: str) -> None:
    profile = save_home_profile(hostile_server)

    async def scenario(app: CcAwsTuiApp, pilot: Pilot[int]) -> None:
        await settle(pilot)
        await app.push_screen(ValidateProfileScreen(profile))
        await settle(pilot)
        text = screen(app)
        assert_no_raw_controls(text)
        assert "\\x1b[2J" in text  # shown, escaped
        assert "[bold red]markup[/bold red]" in text  # literally, not as markup

    run(scenario)


def test_workspace_picker_shows_server_names_escaped(fake_platform: FakePlatformServer) -> None:
    fake_platform.workspaces[0]["name"] = f"Team {HOSTILE}"
    fake_platform.workspaces[1]["name"] = "[bold red]loud[/bold red]"
    draft = Draft(
        auth="api-key",
        api_key=SecretStr(TEST_API_KEY),
        region=fake_platform.region,
        base_url=fake_platform.base_url,
    )

    async def scenario(app: CcAwsTuiApp, pilot: Pilot[int]) -> None:
        await app.push_screen(WorkspaceScreen(draft, 3, 6))
        await settle(pilot)
        text = screen(app)
        assert_no_raw_controls(text)
        assert "Team \\x1b[2J" in text
        assert "[bold red]loud[/bold red]" in text

    run(scenario)


def test_aws_profile_picker_shows_names_escaped_and_markup_literally() -> None:
    # In the credentials file, where Claude Code takes section names as they are.
    Path(os.environ["AWS_SHARED_CREDENTIALS_FILE"]).write_text(
        "[evil\x1b]0;pwned\x07]\nregion = us-east-1\n"
        "[rtl\u202eexe.sh]\nregion = eu-west-1\x1b[31m\n"
        "[[b]loud[/b]]\nregion = us-west-2\n",
        encoding="utf-8",
    )

    async def scenario(app: CcAwsTuiApp, pilot: Pilot[int]) -> None:
        await app.push_screen(AwsProfileScreen(Draft(auth="sigv4"), 2, 6))
        await settle(pilot)
        option_list = app.screen.query_one("#aws-profiles", OptionList)
        assert option_list.option_count == 4  # the default chain and the three profiles
        for index in range(option_list.option_count):  # each one's detail line too
            option_list.highlighted = index
            await pilot.pause()
            text = screen(app)
            assert_no_raw_controls(text)
        assert "evil\\x1b]0;pwned\\x07" in text
        assert "rtl\\u202eexe.sh" in text
        assert "[b]loud[/b]" in text

    run(scenario)


def test_toasts_are_shown_escaped_and_never_as_markup() -> None:
    """Every toast goes through the app's `notify` (widgets' `notify` calls it)."""

    async def scenario(app: CcAwsTuiApp, pilot: Pilot[int]) -> None:
        app.screen.notify(f"settings say {HOSTILE} [bold red]loud[/bold red]", title=HOSTILE)
        await settle(pilot)

    toasts = [m.notification for m in run(scenario) if isinstance(m, Notify)]
    assert len(toasts) == 1
    toast = toasts[0]
    assert_no_raw_controls(toast.message + toast.title)
    assert not toast.markup  # a toast's text quotes files and servers: never markup
    assert toast.message.startswith("settings say \\x1b[2J")
    assert toast.message.endswith("[bold red]loud[/bold red]")


def test_settings_preview_shows_the_file_escaped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Save step's preview quotes ~/.claude/settings.json, whose values may hold escapes
    (the writer keeps non-ASCII as it is, so a bidi override reaches the diff raw)."""
    monkeypatch.chdir(tmp_path)
    settings = Path(os.environ["HOME"]) / ".claude" / "settings.json"
    settings.parent.mkdir(parents=True)
    settings.write_text(json.dumps({"env": {"EDITOR": "vim\u202e\u2066 \x1b[2J"}}))
    draft = Draft(
        name="dev",
        auth="sigv4",
        aws_profile="dev",
        workspace_id=WORKSPACE_A,
        region="us-east-1",
    )

    async def scenario(app: CcAwsTuiApp, pilot: Pilot[int]) -> None:
        await app.push_screen(SaveScreen(draft, 6, 6))
        await pilot.pause()
        app.screen.query_one("#settings-scope", Select).value = "user"
        await settle(pilot)
        diff = str(app.screen.query_one("#settings-diff", Static).render())
        assert "EDITOR" in diff
        assert_no_raw_controls(diff)
        assert_no_raw_controls(screen(app))

    run(scenario)


def test_models_step_shows_server_ids_and_names_escaped(
    fake_platform: FakePlatformServer,
) -> None:
    fake_platform.models[0]["id"] = f"claude-fable-5{HOSTILE}"
    fake_platform.models[1]["display_name"] = f"Opus {HOSTILE} [bold red]loud[/bold red]"
    draft = Draft(
        auth="api-key",
        api_key=SecretStr(TEST_API_KEY),
        workspace_id=WORKSPACE_A,
        region=fake_platform.region,
        base_url=fake_platform.base_url,
    )

    async def scenario(app: CcAwsTuiApp, pilot: Pilot[int]) -> None:
        await app.push_screen(ModelsScreen(draft, 4, 6))
        await settle(pilot)
        offered = str(app.screen.query_one("#models-offered", Static).render())
        assert "claude-fable-5\\x1b[2J" in offered
        await pilot.click("#model-opus")
        await pilot.press(*"claude-o")  # the suggestion shows the listed ID
        await pilot.press("right")  # accept it: the display name note appears
        await settle(pilot)
        note = str(app.screen.query_one("#model-opus-note", Static).render())
        assert note.startswith("Opus \\x1b[2J")
        assert note.endswith("[bold red]loud[/bold red]")
        assert_no_raw_controls(screen(app))

    run(scenario)
