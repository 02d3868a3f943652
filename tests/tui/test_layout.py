"""Layout at real terminal sizes (issue 12, "Hidden or stale"): what must be on screen without
scrolling, and that nothing is cut off silently."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Footer, Select, Static

from tests.tui.harness import settle, sigv4_draft
from tui.app import make_app
from tui.screens.save import SaveScreen
from tui.state import Draft

pytestmark = pytest.mark.usefixtures("offline")


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
            await app.push_screen(
                SaveScreen(
                    sigv4_draft(
                        models={
                            "opus": "claude-opus-4-8",
                            "sonnet": "claude-sonnet-5",
                            "haiku": "claude-x",
                        }
                    ),
                    6,
                    6,
                )
            )
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


# --- what each wizard step shows without scrolling -------------------------------------------

AWS_CONFIG = """\
[profile dev]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = Developer
region = eu-west-1

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1

[profile ops-admin]
role_arn = arn:aws:iam::111122223333:role/Admin
source_profile = prod

[profile prod]
region = us-east-1

[profile build]
credential_process = /usr/local/bin/build-credentials
"""
HEADER = ["#title", "#purpose", "#next"]
KEY_DRAFT = Draft(auth="api-key", workspace_id="wrkspc_01TestWorkspaceA", region="us-east-1")
SIGV4_DRAFT = Draft(
    auth="sigv4",
    aws_profile="prod",
    aws_profile_kind="static",
    workspace_id="wrkspc_01TestWorkspaceA",
    region="us-east-1",
)
# step -> (the draft it opens with, what must be whole on screen as it opens)
STEPS: dict[str, tuple[Draft, list[str]]] = {
    "auth": (Draft(), ["#sigv4", "#api-key", "#sigv4-help", "#api-key-help"]),
    "api_key": (Draft(auth="api-key"), ["#api-key", "#api-key-note"]),
    "aws_profile": (Draft(auth="sigv4"), ["#aws-filter", "#aws-profiles", "#aws-count"]),
    "workspace": (
        KEY_DRAFT.model_copy(update={"workspace_id": ""}),
        ["#region", "#endpoint", "#ws-status", "#workspace-id", "#advanced"],
    ),
    "models": (
        SIGV4_DRAFT,
        [
            "#models-offered",
            "#model-fable",
            "#model-opus",
            "#model-sonnet",
            "#model-haiku",
            "#ttl",
            "#ttl-note",
            "#auth-refresh",
        ],
    ),
    "validate": (KEY_DRAFT, ["#validate-status", "#checklist"]),
    "save": (
        KEY_DRAFT,
        [
            "#name",
            "#make-current",
            "#eval-line",
            "#preview-box",
            "#settings-question",
            "#settings-scope",
        ],
    ),
}


def not_in_view(app: Any, selectors: list[str]) -> list[str]:
    """The selectors whose widget is not wholly on screen as it is now: scrolled out of the step
    body, under the Back/Next bar or the footer, or cut at the right edge."""
    screen = app.screen
    body = screen.query_one("#step-body")
    footer = screen.query_one(Footer).region
    missing = []
    for selector in selectors:
        widget = screen.query_one(selector)
        region = widget.region
        inside_body = body in widget.ancestors
        bottom = body.region.bottom if inside_body else footer.y
        top = body.region.y if inside_body else 0
        if not (region.height and region.y >= top and region.bottom <= bottom
                and region.right <= screen.region.right):  # fmt: skip
            missing.append(f"{selector} at {region} (limit rows {top}..{bottom})")
    return missing


async def open_step(pilot: Any, step: str, draft: Draft) -> None:
    from tui.app import step_screen, steps_for

    steps = steps_for(draft)
    await pilot.app.push_screen(step_screen(step, draft, steps.index(step) + 1, len(steps)))
    await settle(pilot)


@pytest.mark.parametrize("step", list(STEPS))
def test_each_step_fits_80x24(isolated_env: Path, step: str) -> None:
    """At 80×24 each step opens with its question, its fields, what the user decides (the TTL
    note, the settings question, the export preview) and Next in view: nothing to scroll to."""
    (isolated_env / "home" / ".aws" / "config").write_text(AWS_CONFIG, encoding="utf-8")
    draft, wanted = STEPS[step]

    async def main() -> None:
        app = make_app()
        async with app.run_test(size=(80, 24)) as pilot:
            await open_step(pilot, step, draft)
            assert not_in_view(app, HEADER + wanted) == []

    asyncio.run(main())


def test_save_step_at_100x32_shows_the_settings_question_and_the_preview(
    isolated_env: Path,
) -> None:
    """At 100×32 the save step shows the settings question and most of the export preview
    (today both were below the fold)."""

    async def main() -> None:
        app = make_app()
        async with app.run_test(size=(100, 32)) as pilot:
            await open_step(pilot, "save", KEY_DRAFT)
            wanted = ["#settings-question", "#settings-scope", "#preview-box"]
            assert not_in_view(app, HEADER + wanted) == []
            preview = app.screen.query_one("#preview", Static)
            box = app.screen.query_one("#preview-box")
            lines = len(str(preview.render()).splitlines())
            assert box.content_region.height * 2 > lines, "less than half the preview shows"

    asyncio.run(main())


def test_a_preview_taller_than_its_box_shows_a_scrollbar(isolated_env: Path) -> None:
    """Where the export preview must scroll, it says so: its box shows a scrollbar."""

    async def main() -> None:
        app = make_app()
        async with app.run_test(size=(80, 24)) as pilot:
            await open_step(pilot, "save", KEY_DRAFT)
            box = app.screen.query_one("#preview-box")
            preview = app.screen.query_one("#preview", Static)
            assert preview.region.height > box.content_region.height, "it fits: test nothing"
            assert box.show_vertical_scrollbar

    asyncio.run(main())


# --- 60x20 stays usable ----------------------------------------------------------------------


def test_the_aws_profile_step_lists_the_profiles_at_60x20(isolated_env: Path) -> None:
    """At 60×20 the picker shows every profile of a four-profile config, not only the default
    chain row (today the list's border and padding left it two rows of profiles or none)."""
    from tests.tui.harness import screen_text

    (isolated_env / "home" / ".aws" / "config").write_text(AWS_CONFIG, encoding="utf-8")

    async def main() -> None:
        app = make_app()
        async with app.run_test(size=(60, 20)) as pilot:
            await open_step(pilot, "aws_profile", Draft(auth="sigv4"))
            assert not_in_view(app, ["#aws-profiles", "#next"]) == []
            text = screen_text(app).replace("▌", " ")  # the field bar on the left
            words = [line.split() for line in text.splitlines()]
            for name in ("build", "dev", "ops-admin", "prod"):
                assert any(name in line for line in words), f"{name} is not listed"

    asyncio.run(main())


def test_a_note_beside_a_narrow_field_goes_under_it(isolated_env: Path) -> None:
    """At 60×20 a model pin's note goes under its field, full width: beside a 42-column field
    it was a column of a few characters per row."""

    async def main() -> None:
        app = make_app()
        draft = SIGV4_DRAFT.model_copy(update={"models": {"haiku": "not a model id!"}})
        async with app.run_test(size=(60, 20)) as pilot:
            await open_step(pilot, "models", draft)
            note = app.screen.query_one("#model-haiku-note", Static)
            field = app.screen.query_one("#model-haiku")
            assert str(note.render()).strip(), "no note to look at"
            assert note.region.width >= 40, f"the note is {note.region.width} columns wide"
            assert note.region.y > field.region.y, "the note is not under its field"
            # Wide enough, the note stays beside the field, as at 80 columns.
            await pilot.resize_terminal(100, 32)
            await settle(pilot)
            assert note.region.y == field.region.y

    asyncio.run(main())
