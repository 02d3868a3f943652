"""Layout at real terminal sizes (issue 12, "Hidden or stale"): what must be on screen without
scrolling, and that nothing is cut off silently."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path

import pytest
from textual.widgets import Select, Static

from tests.tui.harness import settle
from tui.app import make_app
from tui.screens.save import SaveScreen
from tui.state import Draft

pytestmark = pytest.mark.usefixtures("offline")


def sigv4_draft() -> Draft:
    return Draft(
        name="dev",
        auth="sigv4",
        aws_profile="dev",
        workspace_id="wrkspc_01TestWorkspaceA",
        region="us-east-1",
        models={"opus": "claude-opus-4-8", "sonnet": "claude-sonnet-5", "haiku": "claude-x"},
    )


def test_a_long_diff_is_cut_with_a_count() -> None:
    from tui.widgets.settings_target import DIFF_LINES, shown_diff

    diff = "\n".join(f"line {i}" for i in range(DIFF_LINES + 20))
    shown = shown_diff(diff).splitlines()
    assert len(shown) == DIFF_LINES
    assert shown[-1] == "… 21 more lines (not shown)"
    assert shown_diff("a\nb") == "a\nb"


def test_the_settings_diff_is_never_clipped_silently(
    isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A diff longer than the box: every line shown is whole, and the last one says how many
    more there are (today the box cut them off at 14 lines, silently)."""
    from tui.widgets import settings_target

    monkeypatch.setattr(settings_target, "DIFF_LINES", 20, raising=False)
    settings = Path(os.environ["HOME"]) / ".claude" / "settings.json"
    settings.parent.mkdir(parents=True)
    env = {f"ANTHROPIC_STALE_{i}": "x" for i in range(3)}
    settings.write_text(json.dumps({f"key{i}": i for i in range(30)} | {"env": env}, indent=2))

    async def main() -> None:
        app = make_app()
        async with app.run_test(size=(100, 60)) as pilot:
            await app.push_screen(SaveScreen(sigv4_draft(), 6, 6))
            await pilot.pause()
            app.screen.query_one("#settings-scope", Select).value = "user"
            await settle(pilot)
            box = app.screen.query_one("#settings-diff", Static)
            text = str(box.render())
            rows = box.content_region.height
            assert rows >= len(text.splitlines()), "the diff box cuts off lines"
            assert text.splitlines()[-1].endswith("more lines (not shown)")

    asyncio.run(main())


@pytest.mark.parametrize(
    ("size", "wanted"),
    [
        ((100, 32), ["Name", "Credentials", "Region", "Pins", "Checked", "Settings"]),
        ((80, 24), ["Name", "Credentials", "Region", "Checked", "Settings"]),
        ((60, 20), ["Name", "Region", "Checked", "Settings"]),
    ],
    ids=["100x32", "80x24", "60x20"],
)
def test_home_table_fits_the_width(
    isolated_env: Path, size: tuple[int, int], wanted: list[str]
) -> None:
    """The home table drops its less needed columns to fit: no sideways scrolling to reach
    Checked and Settings (today Pins was cut at 100 columns and Settings 28 presses away)."""
    from profiles.core.schema import Profile
    from profiles.usecases.edit import save_profile
    from tests.tui.harness import screen_text

    save_profile(
        Profile(name="dev-sso", auth="sigv4", workspace_id="wrkspc_01TestWorkspaceA",
                region="eu-west-1", aws_profile="dev")
    )  # fmt: skip

    async def main() -> None:
        app = make_app()
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            header = next(line for line in screen_text(app).splitlines() if "Name" in line)
            for column in wanted:
                assert column in header.split(), f"{column} is not in view: {header!r}"
            text = screen_text(app)
            assert "dev-sso" in text
            assert "eu-west-1" in text
            table = app.screen.query_one("#profiles")
            assert table.max_scroll_x == 0, "the table still scrolls sideways"

    asyncio.run(main())
