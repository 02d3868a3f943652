"""The TUI test harness, shared by every test under tests/tui: wait for the app to settle, and
read the screen as text. Plain helpers, imported by name (fixtures live in conftest.py)."""

from __future__ import annotations

import html
import re
from collections import defaultdict
from typing import Any

from pydantic import SecretStr
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input

from tests.fakeplatform import TEST_API_KEY, WORKSPACE_A, FakePlatformServer
from tui.state import Draft

CELL_WIDTH = 12.2  # px per terminal cell in Textual's SVG export
SETTLE_ROUNDS = 10  # worker -> message -> new worker chains are two or three links long


async def settle(pilot: Pilot[Any]) -> None:
    """Let every worker finish and the messages they posted be handled (a pause runs the event
    loop until the process is idle, so chains of messages are handled in one); then stop every
    cursor blinking and finish any scroll to the focused widget, so two screenshots of the same
    state are the same."""
    app = pilot.app
    for _ in range(SETTLE_ROUNDS):  # bounded: a handled result may start another worker
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        await app.animator.wait_until_complete()
        if all(w.is_finished for w in app.workers):
            break
    else:
        raise AssertionError(f"workers still running: {list(app.workers)}")
    for screen in app.screen_stack:
        for field in screen.query(Input):
            field.cursor_blink = False
    # Focusing a widget out of view scrolls to it with an animation, measured on the layout of
    # that moment (stale when the widget was shown in the same handler): finish that scroll the
    # same way every time.
    await pilot.wait_for_scheduled_animations()
    focused = app.focused
    if focused is not None and not app.screen.can_view_entire(focused):
        app.screen.scroll_to_center(focused, animate=False, immediate=True)
    await pilot.pause()


def svg_text(svg: str) -> str:
    """A screenshot (SVG) as plain text, line by line, each run at its column."""
    rows: dict[int, list[tuple[float, str]]] = defaultdict(list)
    pattern = r'<text[^>]*x="([\d.]+)"[^>]*clip-path="url\(#[^)]*-line-(\d+)\)"[^>]*>(.*?)</text>'
    for m in re.finditer(pattern, svg, re.DOTALL):
        text = html.unescape(m.group(3)).replace("\xa0", " ")
        rows[int(m.group(2))].append((float(m.group(1)), text))
    lines = []
    for n in sorted(rows):
        line = ""
        for x, text in sorted(rows[n]):
            line = line.ljust(round(x / CELL_WIDTH)) + text
        lines.append(line.rstrip())
    return "\n".join(lines)


def screen_text(app: App[Any]) -> str:
    """What the app's terminal shows now, as plain text."""
    return svg_text(app.export_screenshot())


def sigv4_draft(**update: Any) -> Draft:
    """A finished SigV4 draft, as the save step receives it (opus pinned); `update` changes
    fields, e.g. more pins."""
    draft = Draft(
        name="dev",
        auth="sigv4",
        aws_profile="dev",
        workspace_id="wrkspc_01TestWorkspaceA",
        region="us-east-1",
        models={"opus": "claude-opus-4-8"},
    )
    return draft.model_copy(update=update)


def key_draft(server: FakePlatformServer, key: str = TEST_API_KEY, **update: object) -> Draft:
    """A finished API-key draft whose requests go to the fake platform `server`."""
    draft = Draft(
        auth="api-key",
        api_key=SecretStr(key),
        workspace_id=WORKSPACE_A,
        region="us-east-1",
        base_url=server.base_url,
    )
    return draft.model_copy(update=update)
