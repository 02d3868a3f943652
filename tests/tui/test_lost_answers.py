"""No answers lost without asking, and the keys panel opens and closes like a panel (issue 12):
"New profile" from the palette and ctrl+q in the middle of the wizard ask what Esc asks; F1
toggles the keys panel; Esc closes it without stepping back."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import HelpPanel

from tests.tui.harness import settle
from tui.app import CcAwsTuiApp, make_app
from tui.screens.api_key import ApiKeyScreen
from tui.screens.auth import AuthScreen
from tui.screens.base import StepScreen
from tui.screens.confirm import ConfirmScreen
from tui.state import Draft

pytestmark = pytest.mark.usefixtures("offline")

SIZE = (80, 24)


async def on_step_two(pilot: Pilot[Any]) -> CcAwsTuiApp:
    """A first-run wizard, API key chosen on step 1 and confirmed with Next."""
    app = pilot.app
    assert isinstance(app, CcAwsTuiApp)
    await settle(pilot)
    await pilot.press("down", "enter")
    await settle(pilot)
    await pilot.press("ctrl+n")
    await settle(pilot)
    assert isinstance(app.screen, ApiKeyScreen)
    return app


async def palette_new_profile(pilot: Pilot[Any]) -> None:
    await pilot.press("ctrl+p")
    await settle(pilot)
    await pilot.press(*"New profile")
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


def test_new_profile_from_the_palette_asks_then_starts_clean() -> None:
    async def main() -> None:
        async with make_app().run_test(size=SIZE) as pilot:
            app = await on_step_two(pilot)
            await palette_new_profile(pilot)
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press("escape")  # keep the answers
            await settle(pilot)
            assert isinstance(app.screen, ApiKeyScreen)
            assert app.draft.auth == "api-key"

            await palette_new_profile(pilot)
            await pilot.press("tab", "enter")  # Discard
            await settle(pilot)
            assert isinstance(app.screen, AuthScreen)
            assert [type(s) for s in app.screen_stack if isinstance(s, StepScreen)] == [AuthScreen]
            assert app.draft == Draft()
            # The fresh wizard goes on (no stale draft: "auth: Input should be ...").
            await pilot.press("down", "enter")
            await settle(pilot)
            await pilot.press("ctrl+n")
            await settle(pilot)
            assert isinstance(app.screen, ApiKeyScreen)

    asyncio.run(main())


def test_ctrl_q_mid_wizard_asks_before_the_answers_are_lost() -> None:
    async def main() -> None:
        async with make_app().run_test(size=SIZE) as pilot:
            app = await on_step_two(pilot)
            await pilot.press("ctrl+q")
            await settle(pilot)
            assert isinstance(app.screen, ConfirmScreen)
            assert app.is_running
            await pilot.press("tab", "enter")
            await settle(pilot)
            assert not app.is_running

    asyncio.run(main())


def test_ctrl_q_with_nothing_answered_quits_at_once() -> None:
    async def main() -> None:
        async with make_app().run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("ctrl+q")
            await settle(pilot)
            assert not pilot.app.is_running

    asyncio.run(main())


def test_f1_toggles_the_keys_panel_and_esc_closes_it_without_stepping_back() -> None:
    async def main() -> None:
        async with make_app().run_test(size=SIZE) as pilot:
            app = await on_step_two(pilot)
            await pilot.press("f1")
            await settle(pilot)
            assert app.screen.query(HelpPanel)
            await pilot.press("f1")
            await settle(pilot)
            assert not app.screen.query(HelpPanel)
            await pilot.press("f1")
            await settle(pilot)
            await pilot.press("escape")
            await settle(pilot)
            assert not app.screen.query(HelpPanel)
            assert isinstance(app.screen, ApiKeyScreen)
            await pilot.press("escape")  # now Esc steps back
            await settle(pilot)
            assert isinstance(app.screen, AuthScreen)

    asyncio.run(main())
