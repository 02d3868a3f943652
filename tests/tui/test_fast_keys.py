"""Keys typed faster than messages are handled must still count (found driving the real app in
tmux: Enter then ctrl+n in one burst left the wizard on step 1)."""

from __future__ import annotations

import asyncio

from textual.widgets import RadioButton

from tui.app import make_app
from tui.screens.auth import AuthScreen
from tui.screens.models import ModelsScreen
from tui.state import Draft


def test_auth_choice_counts_before_radioset_handles_its_message() -> None:
    async def main() -> None:
        app = make_app()
        async with app.run_test(size=(100, 32)) as pilot:
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, AuthScreen)
            assert screen.updated_draft() is None
            # No pause: RadioSet.pressed_button has not caught up yet, the button has.
            screen.query_one("#api-key", RadioButton).value = True
            draft = screen.updated_draft()
            assert draft is not None
            assert draft.auth == "api-key"

    asyncio.run(main())


def test_ttl_choice_counts_before_radioset_handles_its_message() -> None:
    draft = Draft(auth="api-key", workspace_id="wrkspc_01TestWorkspaceA", region="us-east-1")

    async def main() -> None:
        app = make_app()
        async with app.run_test(size=(100, 32)) as pilot:
            await app.push_screen(ModelsScreen(draft, 4, 6))
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, ModelsScreen)
            screen.query_one("#ttl-1h", RadioButton).value = True
            updated = screen.updated_draft()
            assert updated is not None
            assert updated.cache_ttl == "1h"
            await app.workers.wait_for_complete()

    asyncio.run(main())
