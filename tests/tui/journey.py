"""The journey tests' user: the app started as `cc-aws-tui` starts it (`journey`), what a user
at the keyboard can do and see (`User`), the steps a user takes through the wizard, and the
profiles the home-screen journeys start from. Plain helpers, imported by name; the `saved`
fixture is in conftest.py."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from textual import events
from textual.message import Message
from textual.notifications import Notify
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Button, DataTable, Input, OptionList, Select, Static

from profiles.cli import main as cli_main
from profiles.core.schema import Profile
from profiles.store import paths
from tests.fakeplatform import WORKSPACE_A, WORKSPACE_B, FakePlatformServer
from tests.tui.harness import settle, svg_text
from tui.app import CcAwsTuiApp, make_app
from tui.screens.auth import AuthScreen
from tui.screens.aws_profile import AwsProfileScreen
from tui.screens.base import StepScreen
from tui.screens.home import HomeScreen
from tui.screens.save import SaveScreen
from tui.screens.validate import ValidateStepScreen
from tui.widgets.checklist import CheckList

SIZE = (100, 32)
CHECK_TIMEOUT = 5.0  # one deadline for the whole run, a credential child included
STALE_KEY = "sk-ant-api03-revoked-key-for-tests-0009"
SIGV4_CHECKS = ("env", "credentials", "identity", "platform", "models", "workspaces")
KEY_CHECKS = ("env", "secret", "platform", "models", "workspaces")


# --- harness -----------------------------------------------------------------------------------


def flat(text: str) -> str:
    """Whitespace runs (including line wraps) as one space, so phrases can be searched."""
    return " ".join(text.split())


@dataclass
class User:
    """The app under test, and what a user at the keyboard can do and see."""

    app: CcAwsTuiApp
    pilot: Pilot[int]
    notes: list[str] = field(default_factory=list)
    seen: list[str] = field(default_factory=list)
    """Every screenshot `look()` took (SVG and text), for the never-show-a-secret checks."""

    @property
    def screen(self) -> Screen[Any]:
        return self.app.screen

    async def settle(self) -> None:
        """Let every worker finish and its messages be handled (the harness's `settle`)."""
        await settle(self.pilot)

    async def on(self, screen_type: type[Screen[Any]]) -> None:
        """Wait until the app settles, and check that it shows a `screen_type`."""
        await self.settle()
        assert isinstance(self.screen, screen_type), f"on {type(self.screen).__name__}"

    async def press(self, *keys: str) -> None:
        await self.pilot.press(*keys)

    async def type(self, text: str) -> None:
        await self.pilot.press(*text)

    async def paste(self, text: str) -> None:
        """A bracketed paste from the terminal: it goes to the focused widget."""
        self.app.post_message(events.Paste(text))
        await self.pilot.pause()

    async def click(self, selector: str, offset: tuple[int, int] = (0, 0)) -> None:
        """Scroll the widget into view (as a user would) and click it."""
        target = self.screen.query_one(selector)
        target.scroll_visible(animate=False, immediate=True)
        await self.pilot.pause()
        x, y = target.region.offset + offset
        under, _ = self.screen.get_widget_at(x, y)
        assert under is target or target in under.ancestors, f"{selector} is covered by {under}"
        await self.pilot.click(selector, offset)
        await self.pilot.pause()

    async def next(self) -> None:
        """ctrl+n: the step's Next (Save on the last step). Follow it with `on(...)`."""
        assert self.next_enabled(), f"Next is disabled on {type(self.screen).__name__}"
        await self.press("ctrl+n")

    def next_enabled(self) -> bool:
        return not self.screen.query_one("#next", Button).disabled

    def look(self) -> str:
        """What the terminal shows now, as text."""
        svg = self.app.export_screenshot()
        text = svg_text(svg)
        self.seen += [svg, text]
        return text

    def static(self, selector: str) -> str:
        return str(self.screen.query_one(selector, Static).render())

    def value(self, selector: str) -> str:
        return self.screen.query_one(selector, Input).value

    def checks(self) -> dict[str, str]:
        """Each shown check's status (pass/warn/fail/skip), by id."""
        results = self.screen.query_one(CheckList).results()
        return {check_id: r.status for check_id, r in results.items()}

    def home_rows(self) -> dict[str, dict[str, str]]:
        """The home table: each row's cells by column label, by profile name. The current
        profile's mark is in the column labelled " "."""
        table = self.screen.query_one("#profiles", DataTable)
        labels = [str(column.label).strip() for column in table.ordered_columns]
        rows: dict[str, dict[str, str]] = {}
        for i in range(table.row_count):
            cells = dict(zip(labels, (str(c) for c in table.get_row_at(i)), strict=True))
            rows[cells["Name"]] = cells
        return rows


Scenario = Callable[[User], Awaitable[None]]


def journey(scenario: Scenario, *, check_timeout: float = CHECK_TIMEOUT) -> User:
    """Start the app as `cc-aws-tui` does and run the scenario; returns what the user saw
    (`user.app.return_code` is the exit code once the app has quit)."""
    app = make_app(check_timeout=check_timeout)
    notes: list[str] = []
    users: list[User] = []

    def hook(message: Message) -> None:
        if isinstance(message, Notify):
            notes.append(f"{message.notification.title}: {message.notification.message}")

    async def main() -> None:
        async with app.run_test(size=SIZE, message_hook=hook) as pilot:
            users.append(User(app, pilot, notes))
            await users[0].settle()
            await scenario(users[0])

    asyncio.run(main())
    return users[0]


# --- steps a user takes ------------------------------------------------------------------------


async def choose_auth(user: User, choice: str) -> None:
    await user.on(AuthScreen)
    await user.click(f"#{choice}")
    await user.next()


async def pick_aws_profile(user: User, words: str, expect: str) -> None:
    """Filter the AWS profiles by typing, check what matched, Enter."""
    await user.on(AwsProfileScreen)
    await user.type(words)
    await user.settle()
    assert expect in user.static("#aws-count"), user.static("#aws-count")
    await user.press("enter")
    await user.settle()


async def set_base_url(user: User, url: str) -> None:
    """Advanced → base URL: paste it; leaving the field lists the workspaces there."""
    await user.click("#advanced CollapsibleTitle")
    await user.click("#base-url")
    await user.paste(url)
    await user.press("tab")
    await user.settle()


async def pick_workspace(user: User, workspace_id: str) -> None:
    """Click the workspace in the live list."""
    ws_list = user.screen.query_one("#ws-list", OptionList)
    assert ws_list.display, user.static("#ws-status")
    ids = [o.id for o in ws_list.options]
    assert workspace_id in ids, ids
    # One row per option, inside the list's top border.
    await user.click("#ws-list", offset=(4, 1 + ids.index(workspace_id)))
    assert user.value("#workspace-id") == workspace_id


async def choose_region(user: User, region: str) -> None:
    """Open the region menu, type to jump to the region, Enter."""
    await user.click("#region")
    await user.type(region[:4])  # enough to jump to it
    await user.press("enter")
    await user.settle()
    assert user.screen.query_one("#region", Select).value == region


async def replace_text(user: User, selector: str, text: str) -> None:
    await user.click(selector)
    await user.press("end", "ctrl+u")
    await user.type(text)


async def save_as(user: User, name: str) -> None:
    await user.on(SaveScreen)
    if user.value("#name") != name:
        await replace_text(user, "#name", name)
    await user.press("enter")
    await user.on(HomeScreen)


async def through_to_validate(user: User) -> None:
    """Next on each pre-filled step until the checklist has run."""
    await user.settle()
    for _ in range(4):  # auth, credentials, workspace, models
        if isinstance(user.screen, ValidateStepScreen):
            return
        assert isinstance(user.screen, StepScreen), type(user.screen).__name__
        await user.next()
        await user.settle()
    assert isinstance(user.screen, ValidateStepScreen), type(user.screen).__name__


def export_vars(name: str, capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    """`cc-aws-tui export NAME`, as {variable: value} from its `export X=...;` lines."""
    capsys.readouterr()
    assert cli_main(["export", name]) == 0
    found: dict[str, str] = {}
    for m in re.finditer(r"^export (\w+)=(.*);$", capsys.readouterr().out, re.MULTILINE):
        value = m.group(2)
        if value.startswith("'") and value.endswith("'"):
            value = value[1:-1]
        found[m.group(1)] = value
    return found


def files_text() -> tuple[str, str]:
    return (
        paths.profiles_file().read_text(encoding="utf-8"),
        paths.secrets_file().read_text(encoding="utf-8") if paths.secrets_file().exists() else "",
    )


def sigv4_profile(server: FakePlatformServer, name: str = "alpha", **changes: Any) -> Profile:
    profile = Profile(
        name=name,
        auth="sigv4",
        workspace_id=WORKSPACE_A,
        region="us-east-1",
        aws_profile="dev",
        base_url=server.base_url,
        models={"sonnet": "claude-sonnet-5"},
        aws_auth_refresh="my-refresh-command",
    )
    return profile.replace(**changes)


def key_profile(server: FakePlatformServer, name: str = "beta", **changes: Any) -> Profile:
    profile = Profile(
        name=name,
        auth="api-key",
        workspace_id=WORKSPACE_B,
        region="us-east-1",
        base_url=server.base_url,
        api_key_store="file",
        models={"haiku": "claude-haiku-4-5"},
        cache_ttl="1h",
    )
    return profile.replace(**changes)


async def select_row(user: User, name: str) -> None:
    """Move the home table's cursor to `name` with the arrow keys."""
    await user.on(HomeScreen)
    table = user.screen.query_one("#profiles", DataTable)
    table.focus()
    target = table.get_row_index(name)
    for _ in range(table.row_count):
        if table.cursor_row == target:
            break
        await user.press("down" if table.cursor_row < target else "up")
    assert table.cursor_row == target
    await user.settle()
