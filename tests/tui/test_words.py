"""Clear to a newcomer (issue 12): what the wizard says when nothing happens, where it is, and
what its choices look like without colour."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from textual.screen import Screen
from textual.widgets import Static

from tests.tui.harness import screen_text
from tests.tui.steps import Run, drive
from tui.screens.auth import AuthScreen
from tui.screens.home import HomeScreen
from tui.state import Draft

pytestmark = pytest.mark.usefixtures("offline")


def test_ctrl_n_with_nothing_chosen_says_why() -> None:
    """Step 1 has no pre-selection (Esc on an untouched wizard must not ask to discard), so
    ctrl+n with nothing picked says how to pick instead of doing nothing silently."""

    async def scenario(run: Run) -> None:
        assert not run.screen.query_one("#auth-why").display
        await run.pilot.press("ctrl+n")
        await run.settle()
        assert run.completed == []
        assert run.screen.query_one("#auth-why").display
        assert "Choose one first" in run.text("#auth-why")
        await run.pilot.press("enter", "ctrl+n")
        await run.settle()
        assert [m.draft.auth for m in run.completed] == ["sigv4"]

    drive(lambda: AuthScreen(Draft(), 1, 6), scenario)


def test_editing_says_which_profile() -> None:
    """Editing a saved profile says so on every step; a new profile reads "Step 1 of 6"."""

    async def scenario(run: Run) -> None:
        assert run.text("#progress").endswith("Editing dev · step 1 of 6")

    drive(lambda: AuthScreen(Draft(original_name="dev", name="dev", auth="sigv4"), 1, 6), scenario)

    async def new(run: Run) -> None:
        assert run.text("#progress").endswith("  Step 1 of 6")

    drive(lambda: AuthScreen(Draft(), 1, 6), new)


def test_choices_differ_by_glyph_without_colour() -> None:
    """Under NO_COLOR a selected and an unselected radio button must not look alike."""

    async def scenario(run: Run) -> None:
        await run.pilot.press("enter")
        await run.settle()
        lines = screen_text(run.app).splitlines()
        sigv4 = next(line for line in lines if "SigV4 with AWS credentials" in line)
        api_key = next(line for line in lines if "Workspace API key" in line)
        assert sigv4.replace("SigV4 with AWS credentials", "") != api_key.replace(
            "Workspace API key", ""
        )
        assert "●" in sigv4
        assert "○" in api_key

    drive(lambda: AuthScreen(Draft(), 1, 6), scenario)


def test_checkbox_glyph_follows_its_value() -> None:
    from tui.widgets.toggles import Checkbox

    box = Checkbox("Make it the current profile", False)
    assert box.BUTTON_INNER == " "
    box.value = True
    assert box.BUTTON_INNER == "✓"


def test_confirm_dialog_footer_shows_its_own_keys() -> None:
    """The confirm dialog's footer lists its keys, not the home screen's (n New, q Quit)."""
    from tui.screens.confirm import ConfirmScreen

    async def scenario(run: Run) -> None:
        await run.app.push_screen(ConfirmScreen("Delete profile dev?", "Gone.", "Delete"))
        await run.settle()
        footer = screen_text(run.app).splitlines()[-1]
        assert "Cancel" in footer
        assert "Quit" not in footer
        assert "New" not in footer

    from tui.screens.home import HomeScreen

    drive(HomeScreen, scenario)


def _explained_steps() -> list[tuple[Callable[[], Screen[Any]], str, str]]:
    from tui.screens.aws_profile import AwsProfileScreen
    from tui.screens.models import ModelsScreen
    from tui.screens.save import SaveScreen
    from tui.screens.workspace import WorkspaceScreen

    sigv4 = Draft(
        name="dev", auth="sigv4", workspace_id="wrkspc_01TestWorkspaceA", region="us-east-1"
    )
    gateway = Draft(auth="sigv4", region="us-east-1", base_url="http://127.0.0.1:9")
    return [
        (lambda: AwsProfileScreen(Draft(auth="sigv4"), 2, 6), "#aws-detail", "Default chain:"),
        (lambda: WorkspaceScreen(gateway, 3, 6), "#gateway-signs-note", "signs for you"),
        (lambda: ModelsScreen(sigv4, 4, 6), "#aliases-note", "Claude Code's model aliases"),
        (lambda: SaveScreen(sigv4, 6, 6), "#settings-win", "settings files beat the shell"),
        (HomeScreen, "#home-hint", "bare `cc-aws-tui export` use it; open shells keep"),
    ]


@pytest.mark.parametrize("index", range(5), ids=["chain", "gateway", "aliases", "settings", "home"])
def test_each_term_is_explained_in_one_line_at_80_columns(index: int) -> None:
    """Default chain, gateway signing, the model aliases, what wins over the shell and what
    "current" changes: each explained where it appears, in one line at 80 columns."""
    from profiles.core.schema import Profile
    from profiles.usecases.edit import save_profile
    from tests.tui.harness import settle
    from tui.app import make_app

    save_profile(Profile("dev", "sigv4", "wrkspc_01TestWorkspaceA", "us-east-1"), make_current=True)
    screen, selector, words = _explained_steps()[index]

    async def main() -> None:
        app = make_app(check_timeout=5.0)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            if screen is not HomeScreen:
                await app.push_screen(screen())
            await settle(pilot)
            line = app.screen.query_one(selector, Static)
            text = str(line.render())
            assert words in text, text
            explained = next(ln for ln in text.splitlines() if words in ln)
            assert len(explained) <= 76  # inside the body's margins at 80 columns
            # it is laid out unwrapped: one row per line of its text
            assert line.size.height == len(text.splitlines())
            assert line.display

    asyncio.run(main())
