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
