"""The home screen: what it shows when the saved files are broken."""

from __future__ import annotations

import asyncio
import html
import os
from pathlib import Path

from profiles.core.schema import Profile
from profiles.usecases.edit import save_profile

KEY = "sk-ant-api03-REVIEWREVIEWREVIEW-0001"
WS = "wrkspc_01TestWorkspaceA"


def sigv4() -> Profile:
    return Profile("dev", "sigv4", WS, "us-east-1", aws_profile="dev")


def test_home_survives_bad_secrets(config_dir: Path) -> None:
    """A broken secrets.toml shows as a message on the home screen, not a crash."""
    from tui.app import make_app

    save_profile(sigv4())
    (config_dir / "secrets.toml").write_text(f'k = "{KEY}"\n')
    os.chmod(config_dir / "secrets.toml", 0o600)  # a private file, as cc-aws-tui writes it

    async def run() -> str:
        app = make_app()
        async with app.run_test(size=(100, 32)) as pilot:
            await pilot.pause()
            # The SVG writes spaces as &#160;: compare plain text.
            return html.unescape(app.export_screenshot()).replace("\xa0", " ")

    screen = asyncio.run(run())
    assert "must be a table" in screen
    assert KEY not in screen


def test_toasts_do_not_cover_the_current_profile_hint() -> None:
    """A toast ("dev is now the current profile") stands above the hint it is about."""
    import asyncio

    from textual.widgets._toast import Toast

    from profiles.core.schema import Profile
    from profiles.usecases.edit import save_profile
    from tests.tui.harness import settle
    from tui.app import make_app

    save_profile(Profile("dev", "sigv4", "wrkspc_01TestWorkspaceA", "us-east-1"), make_current=True)

    async def main() -> None:
        app = make_app()
        for size in ((100, 32), (80, 24), (60, 20)):
            async with app.run_test(size=size, notifications=True) as pilot:
                await settle(pilot)
                app.notify("dev is now the current profile")
                app.notify("A second toast, so they stack", severity="warning")
                await settle(pilot)
                hint = app.screen.query_one("#home-hint").region
                assert hint.height >= 2, hint
                toasts = [t.region for t in app.screen.query(Toast)]
                assert len(toasts) == 2
                assert all(not t.overlaps(hint) for t in toasts), (size, hint, toasts)
            app = make_app()

    asyncio.run(main())


def test_copy_shows_the_line_to_select_and_says_it_may_not_have_arrived() -> None:
    """`c` copies with OSC 52, which may not reach the clipboard: the line is on screen."""
    import asyncio

    from profiles.core.schema import Profile
    from profiles.usecases.edit import save_profile
    from tests.tui.harness import screen_text, settle
    from tui.app import make_app

    save_profile(Profile("dev", "sigv4", "wrkspc_01TestWorkspaceA", "us-east-1"), make_current=True)

    async def main() -> None:
        app = make_app()
        async with app.run_test(size=(100, 32), notifications=True) as pilot:
            await settle(pilot)
            await pilot.press("c")
            await settle(pilot)
            text = " ".join(screen_text(app).split())
            assert 'eval "$(cc-aws-tui export dev)"' in text
            assert "may not have arrived" in text
            assert "Copied" not in text

    asyncio.run(main())


def test_a_resize_that_changes_the_columns_keeps_the_selected_profile() -> None:
    """Narrowing the terminal drops columns (the table is rebuilt): the cursor stays put."""
    from tests.tui.harness import settle
    from tui.app import make_app
    from tui.screens.home import HomeScreen, columns_for

    for name in ("alpha", "beta", "gamma"):
        save_profile(Profile(name, "sigv4", "wrkspc_01TestWorkspaceA", "us-east-1"))

    async def main() -> None:
        app = make_app()
        async with app.run_test(size=(130, 32)) as pilot:
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, HomeScreen)
            await pilot.press("down", "down")
            await settle(pilot)
            assert screen.selected_name() == "gamma"
            await pilot.resize_terminal(90, 32)
            await settle(pilot)
            assert screen.shown_columns == columns_for(90)
            assert screen.selected_name() == "gamma"

    asyncio.run(main())
