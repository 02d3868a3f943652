"""Clear to a newcomer (issue 12): what the wizard says when nothing happens, where it is, and
what its choices look like without colour."""

from __future__ import annotations

import pytest

from tests.tui.harness import screen_text
from tests.tui.steps import Run, drive
from tui.screens.auth import AuthScreen
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
