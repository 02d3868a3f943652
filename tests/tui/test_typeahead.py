"""Keys typed ahead take effect in order, as if typed slowly (issue 12).

Each test sends its keys in one burst, the way a terminal delivers keys typed faster than the
app reacts (tmux, a paste of keystrokes, a fast typist): every key reaches the app's queue
before the first has been handled. `pilot.press` waits for the app to go idle between keys,
so it cannot show this; `burst` hands the keys to the driver all at once.
"""

from __future__ import annotations

import asyncio
import functools
import unicodedata
from collections.abc import Callable, Coroutine
from typing import Any, ClassVar

import pytest
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Collapsible, Input, RadioButton, Static, Switch

from tests.tui.harness import settle
from tui.app import make_app
from tui.screens.auth import AuthScreen
from tui.screens.aws_profile import AwsProfileScreen
from tui.screens.models import ModelsScreen
from tui.screens.workspace import WorkspaceScreen
from tui.state import Draft

pytestmark = pytest.mark.usefixtures("offline")

SIZE = (80, 24)
BASE_URL = "http://127.0.0.1:9/gateway"


async def burst(pilot: Pilot[Any], *keys: str) -> None:
    """Deliver every key to the app at once (no pause between them), then settle."""
    driver = pilot.app._driver
    assert driver is not None
    for key in keys:
        char = key if len(key) == 1 else None
        if key == "space":
            char = " "
        elif len(key) == 1 and not key.isalnum():
            key = unicodedata.name(key).lower().replace(" ", "_").replace("-", "_")
        event = events.Key(key, char)
        event.set_sender(pilot.app)
        driver.send_message(event)
    await settle(pilot)


def typed(text: str) -> list[str]:
    return list(text)


def synchronously(test: Callable[[], Coroutine[Any, Any, None]]) -> Callable[[], None]:
    """Run an async test body in its own event loop (the suite has no async plugin)."""

    @functools.wraps(test)
    def run() -> None:
        asyncio.run(test())

    return run


@synchronously
async def test_enter_then_ctrl_n_on_step_one_reaches_step_two() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, AuthScreen)
        await burst(pilot, "enter", "ctrl+n")
        assert isinstance(app.screen, AwsProfileScreen), app.screen


@synchronously
async def test_a_whole_step_typed_ahead_lands_on_the_next_screen() -> None:
    """Down Enter ctrl+n, then the API key typed before its screen is shown."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await burst(pilot, "down", "enter", "ctrl+n", *typed("sk-ant-api03-typed-ahead-0001"))
        field = app.screen.query_one("#api-key Input", Input)
        assert field.value == "sk-ant-api03-typed-ahead-0001"


@synchronously
async def test_tab_enter_tab_and_a_url_typed_in_one_go_keep_the_url() -> None:
    draft = Draft(auth="api-key", region="us-east-1", workspace_id="wrkspc_01TestWorkspaceA")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(WorkspaceScreen(draft, 3, 6))
        await settle(pilot)
        # Focus starts on the workspace ID; Tab: "Advanced"; Enter opens it; Tab: base URL.
        await burst(pilot, "tab", "enter", "tab", *typed(BASE_URL))
        assert app.screen.query_one("#base-url", Input).value == BASE_URL


@synchronously
async def test_up_then_enter_on_the_ttl_changes_it() -> None:
    draft = Draft(auth="api-key", workspace_id="wrkspc_01TestWorkspaceA", region="us-east-1")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(ModelsScreen(draft, 4, 6))
        await settle(pilot)
        screen = app.screen
        # From the first model field, back-tab to the TTL's radio set, Up to "1 hour", Enter.
        app.set_focus(screen.query_one("#ttl-5m", RadioButton).parent)  # type: ignore[arg-type]
        await settle(pilot)
        await burst(pilot, "down", "enter", "up", "enter")
        assert not screen.query_one("#ttl-1h", RadioButton).value
        await burst(pilot, "down", "enter")
        assert screen.query_one("#ttl-1h", RadioButton).value
        updated = screen.updated_draft()  # type: ignore[attr-defined]
        assert updated is not None
        assert updated.cache_ttl == "1h"


class _SlowStep(Screen[None]):
    """A screen whose ctrl+t takes a while (a loaded machine, a slow handler) and then moves
    the focus: a key typed after it belongs to the field it moves to."""

    BINDINGS: ClassVar[list[Binding | tuple[str, str] | tuple[str, str, str]]] = [
        Binding("ctrl+t", "slow_move", "Move", priority=True)
    ]

    def compose(self) -> ComposeResult:
        yield Input(id="first")
        yield Input(id="second")

    async def action_slow_move(self) -> None:
        await asyncio.sleep(1.2)  # the app's work, not the test waiting: longer than a round
        self.query_one("#second", Input).focus()


@synchronously
async def test_a_key_waits_for_a_slow_handler_before_it() -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.app.push_screen(_SlowStep())
        await settle(pilot)
        await burst(pilot, "ctrl+t", *typed("abc"))
        screen = pilot.app.screen
        assert screen.query_one("#first", Input).value == ""
        assert screen.query_one("#second", Input).value == "abc"


class _Folded(Screen[None]):
    """A field, then a folded section holding another field and a switch (the workspace
    step's Advanced section, reduced to what Tab sees)."""

    def compose(self) -> ComposeResult:
        yield Input(id="outside")
        with Collapsible(title="Advanced", collapsed=True):
            yield Static("A field")
            yield Input(id="inside")
            with Horizontal():
                yield Switch(id="switch")
                yield Static("A switch")


@synchronously
async def test_tab_after_unfolding_reaches_the_first_field_inside() -> None:
    """Tab goes in screen order, read from the layout: a key handled before the unfolded
    section was laid out skipped its first field (the fast SigV4 setup lost its base URL)."""
    async with make_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.app.push_screen(_Folded())
        await settle(pilot)
        pilot.app.screen.query_one("#outside", Input).focus()
        await settle(pilot)
        await burst(pilot, "tab", "enter", "tab", *typed("xy"))
        assert pilot.app.screen.query_one("#inside", Input).value == "xy"
