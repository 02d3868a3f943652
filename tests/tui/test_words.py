"""Clear to a newcomer (issue 12): what the wizard says when nothing happens, where it is, and
what its choices look like without colour."""

from __future__ import annotations

import pytest

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
