"""`?` and F1 (issue 12): `?` types into an input like any other character, and the F1 keys
panel lists this app's keys, not the generic ones of Textual's inputs and scrolling views."""

from __future__ import annotations

import asyncio

import pytest
from rich.table import Table
from textual.widgets import Input

from profiles.core.schema import Profile
from profiles.usecases.edit import save_profile
from tests.tui.harness import settle
from tui.app import make_app
from tui.screens.models import ModelsScreen
from tui.screens.save import SaveScreen
from tui.state import Draft

pytestmark = pytest.mark.usefixtures("offline")

DRAFT = Draft(name="dev", auth="sigv4", region="us-east-1", workspace_id="wrkspc_01TestWorkspaceA")
GENERIC = ("pgup", "pgdn", "Page Up", "Scroll", "Move cursor", "Go to start", "home", "end")


@pytest.mark.parametrize("step", [ModelsScreen, SaveScreen])
def test_question_mark_types_into_an_input(step: type[ModelsScreen | SaveScreen]) -> None:
    async def main() -> None:
        app = make_app(check_timeout=5.0)
        async with app.run_test(size=(100, 32)) as pilot:
            await app.push_screen(step(DRAFT, 4, 6))
            await settle(pilot)
            field = app.focused
            assert isinstance(field, Input)
            field.value = ""
            await pilot.press("a", "?", "b")
            await settle(pilot)
            assert field.value == "a?b"
            assert not app.screen.query("HelpPanel")  # `?` did not open the keys panel

    asyncio.run(main())


def panel_keys(app: object) -> str:
    from textual.app import App

    assert isinstance(app, App)
    table = app.screen.query_one("#keys-help BindingsTable")
    rendered = table.render()
    assert isinstance(rendered, Table)
    cells = [str(c) for column in rendered.columns for c in column.cells]
    return "\n".join(cells)


def test_f1_lists_only_this_apps_keys_on_a_step_and_on_home() -> None:
    save_profile(Profile("dev", "sigv4", "wrkspc_01TestWorkspaceA", "us-east-1"))

    async def main() -> None:
        app = make_app(check_timeout=5.0)
        async with app.run_test(size=(100, 32)) as pilot:
            await settle(pilot)
            await pilot.press("f1")
            await settle(pilot)
            home = panel_keys(app)
            assert "Edit" in home
            assert "Quit" in home
            assert not [g for g in GENERIC if g in home], home
            await pilot.press("f1")
            await app.push_screen(ModelsScreen(DRAFT, 4, 6))
            await settle(pilot)
            assert isinstance(app.focused, Input)  # an input's many keys are active here
            await pilot.press("f1")
            await settle(pilot)
            step = panel_keys(app)
            assert "Next" in step
            assert "Reload list" in step
            assert not [g for g in GENERIC if g in step], step

    asyncio.run(main())
