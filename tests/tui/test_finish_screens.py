"""The wizard's last steps (models, validate, save) and validating a saved profile, driven by
Pilot against the loopback fake platform.

The tests are plain functions running `asyncio.run`, so they need no async pytest plugin;
they wait on workers and on the message queue (`wait_for_complete`, `pause`), never on time.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.message import Message
from textual.pilot import Pilot
from textual.widgets import Button, Checkbox, Input, Static

from profiles.core.schema import Profile
from profiles.core.shellcode import apply_line
from profiles.platform.results import CheckResult
from profiles.store import history
from profiles.usecases.edit import save_profile
from profiles.usecases.validate import fix_step
from tests.fakeplatform import (
    TEST_ACCESS_KEY,
    TEST_API_KEY,
    TEST_SECRET_KEY,
    WORKSPACE_A,
    FakePlatformServer,
)
from tests.tui.harness import key_draft, screen_text, settle
from tui.app import CcAwsTuiApp, make_app
from tui.messages import JumpToStep, StepCompleted
from tui.screens.models import ModelsScreen
from tui.screens.save import SaveScreen, preview
from tui.screens.validate import ValidateProfileScreen, ValidateStepScreen
from tui.state import Draft
from tui.widgets.checklist import FROZEN, CheckList

BAD_KEY = "sk-ant-api03-revoked-key-for-tests-0009"
Test = Callable[[CcAwsTuiApp, Pilot[int]], Awaitable[None]]


def run(test: Test, *, check_timeout: float = 5.0) -> list[Message]:
    """Run `test` against a fresh app at 100×32; return the messages the app processed."""
    seen: list[Message] = []

    async def main() -> None:
        app = make_app(check_timeout=check_timeout)
        async with app.run_test(size=(100, 32), message_hook=seen.append) as pilot:
            await test(app, pilot)

    asyncio.run(main())
    return seen


def sent(messages: list[Message], kind: type[Message]) -> list[Message]:
    return [m for m in messages if isinstance(m, kind)]


@pytest.fixture(autouse=True)
def home_profile(fake_platform: FakePlatformServer) -> Profile:
    """A saved api-key profile, so the app opens on the home screen."""
    profile = Profile(
        name="home",
        auth="api-key",
        workspace_id=WORKSPACE_A,
        region="us-east-1",
        base_url=fake_platform.base_url,
        api_key_store="file",
    )
    save_profile(profile, {"api_key": TEST_API_KEY})
    return profile


# --- models ----------------------------------------------------------------------------------


def test_models_offers_the_live_list_as_suggestions(fake_platform: FakePlatformServer) -> None:
    async def test(app: CcAwsTuiApp, pilot: Pilot[int]) -> None:
        await app.push_screen(ModelsScreen(key_draft(fake_platform), 4, 6))
        await settle(pilot)
        offered = str(app.screen.query_one("#models-offered", Static).render())
        assert offered.startswith("Offered here: claude-fable-5, claude-opus-4-8")
        app.screen.query_one("#model-opus", Input).focus()
        await pilot.press(*"claude-")
        await settle(pilot)
        await pilot.press("right")  # accepts the suggestion: the opus family comes first
        assert app.screen.query_one("#model-opus", Input).value == "claude-opus-4-8"
        await pilot.pause()
        note = str(app.screen.query_one("#model-opus-note", Static).render())
        assert note == "Claude Opus 4.8"

    run(test)


def test_models_invalid_id_keeps_next_disabled(fake_platform: FakePlatformServer) -> None:
    async def test(app: CcAwsTuiApp, pilot: Pilot[int]) -> None:
        await app.push_screen(ModelsScreen(key_draft(fake_platform), 4, 6))
        await settle(pilot)
        next_button = app.screen.query_one("#next", Button)
        assert not next_button.disabled
        await pilot.press(*"gpt-4")  # the fable input has focus
        await pilot.pause()
        assert next_button.disabled
        note = app.screen.query_one("#model-fable-note", Static)
        assert "not a Claude model ID" in str(note.render())
        assert note.has_class("field-error")
        for _ in "gpt-4":
            await pilot.press("backspace")
        await pilot.pause()
        assert not next_button.disabled

    run(test)


def test_models_unknown_but_valid_id_warns_and_is_allowed(
    fake_platform: FakePlatformServer,
) -> None:
    async def test(app: CcAwsTuiApp, pilot: Pilot[int]) -> None:
        await app.push_screen(ModelsScreen(key_draft(fake_platform), 4, 6))
        await settle(pilot)
        app.screen.query_one("#model-sonnet", Input).value = "claude-sonnet-9"
        await pilot.pause()
        note = app.screen.query_one("#model-sonnet-note", Static)
        assert note.has_class("-warning")
        assert "not offered in this workspace" in str(note.render())
        assert not app.screen.query_one("#next", Button).disabled

    run(test)


def test_models_choices_land_in_the_draft(fake_platform: FakePlatformServer) -> None:
    async def test(app: CcAwsTuiApp, pilot: Pilot[int]) -> None:
        await app.push_screen(ModelsScreen(key_draft(fake_platform), 4, 6))
        await settle(pilot)
        app.screen.query_one("#model-haiku", Input).value = "claude-haiku-4-5"
        await pilot.click("#ttl-1h")
        await pilot.press("ctrl+n")
        await pilot.pause()

    messages = run(test)
    done = [m for m in sent(messages, StepCompleted) if isinstance(m, StepCompleted)]
    assert done[0].step == "models"
    assert done[0].draft.cache_ttl == "1h"
    assert done[0].draft.models == {"haiku": "claude-haiku-4-5"}
    assert done[0].draft.aws_auth_refresh == ""


def test_models_sigv4_offers_the_prefilled_auth_refresh() -> None:
    draft = Draft(
        auth="sigv4",
        aws_profile="dev-sso",
        aws_profile_kind="sso",
        workspace_id=WORKSPACE_A,
        region="us-east-1",
        aws_auth_refresh="aws sso login --profile dev-sso",
    )

    async def test(app: CcAwsTuiApp, pilot: Pilot[int]) -> None:
        await app.push_screen(ModelsScreen(draft, 4, 6))
        await settle(pilot)
        refresh = app.screen.query_one("#auth-refresh", Input)
        assert refresh.value == "aws sso login --profile dev-sso"
        # No such AWS profile here: the list is unavailable, and the screen says why.
        offered = app.screen.query_one("#models-offered", Static)
        assert str(offered.render()).startswith("Model list unavailable:")
        assert offered.has_class("-unavailable")
        refresh.value = " padded"
        await pilot.pause()
        assert app.screen.query_one("#next", Button).disabled

    run(test)


def test_models_sigv4_lists_with_signed_requests(
    fake_platform: FakePlatformServer,
    isolated_env: Path,
) -> None:
    aws = isolated_env / "home" / ".aws"
    (aws / "credentials").write_text(
        f"[dev]\naws_access_key_id = {TEST_ACCESS_KEY}\naws_secret_access_key = {TEST_SECRET_KEY}\n"
    )
    draft = Draft(
        auth="sigv4",
        aws_profile="dev",
        workspace_id=WORKSPACE_A,
        region="us-east-1",
        base_url=fake_platform.base_url,
    )

    async def test(app: CcAwsTuiApp, pilot: Pilot[int]) -> None:
        await app.push_screen(ModelsScreen(draft, 4, 6))
        await settle(pilot)
        offered = str(app.screen.query_one("#models-offered", Static).render())
        assert offered.startswith("Offered here: claude-fable-5")

    run(test)
    assert fake_platform.last_request.auth == "sigv4"


def test_models_api_key_step_has_no_auth_refresh(fake_platform: FakePlatformServer) -> None:
    async def test(app: CcAwsTuiApp, pilot: Pilot[int]) -> None:
        await app.push_screen(ModelsScreen(key_draft(fake_platform, BAD_KEY), 4, 6))
        await settle(pilot)
        assert not app.screen.query("#auth-refresh")
        offered = str(app.screen.query_one("#models-offered", Static).render())
        assert "HTTP 401" in offered

    run(test)


# --- validate (wizard) -----------------------------------------------------------------------


def test_validate_all_pass_enables_next(fake_platform: FakePlatformServer) -> None:
    async def test(app: CcAwsTuiApp, pilot: Pilot[int]) -> None:
        await app.push_screen(ValidateStepScreen(key_draft(fake_platform), 5, 6))
        await settle(pilot)
        results = app.screen.query_one(CheckList).results()
        assert set(results) == {"env", "secret", "platform", "models", "workspaces"}
        # An API key is in the agent's environment: a warning to read, nothing to fix.
        assert {i: r.status for i, r in results.items() if r.status != "pass"} == {"env": "warn"}
        assert not app.screen.query_one("#next", Button).disabled
        assert not app.screen.query_one("#fix-bar").display
        assert "Ready, with 1 warning(s) to read below." in screen_text(app)

    run(test)


def test_validate_failure_shows_remedy_and_fix_jumps_to_the_key(
    fake_platform: FakePlatformServer,
) -> None:
    async def test(app: CcAwsTuiApp, pilot: Pilot[int]) -> None:
        await app.push_screen(ValidateStepScreen(key_draft(fake_platform, BAD_KEY), 5, 6))
        await settle(pilot)
        platform = app.screen.query_one(CheckList).results()["platform"]
        assert platform.status == "fail"
        text = screen_text(app)
        assert "✗ Claude Platform on AWS  HTTP 401" in text
        assert "→ the API key is invalid or revoked" in text
        assert BAD_KEY not in text
        assert app.screen.query_one("#next", Button).disabled
        fix = app.screen.query_one("#fix", Button)
        assert str(fix.label) == "Fix: API key"
        await pilot.click("#fix")
        await pilot.pause()

    messages = run(test)
    jumps = [m for m in sent(messages, JumpToStep) if isinstance(m, JumpToStep)]
    assert [j.step for j in jumps] == ["api_key"]


def test_validate_save_anyway_only_after_a_failure(fake_platform: FakePlatformServer) -> None:
    async def test(app: CcAwsTuiApp, pilot: Pilot[int]) -> None:
        await app.push_screen(ValidateStepScreen(key_draft(fake_platform, BAD_KEY), 5, 6))
        await settle(pilot)
        await pilot.press("ctrl+n")  # disabled: nothing happens
        await pilot.press("s")
        await pilot.pause()

    messages = run(test)
    done = [m for m in sent(messages, StepCompleted) if isinstance(m, StepCompleted)]
    assert [m.step for m in done] == ["validate"]


def test_validate_rerun_after_fixing(fake_platform: FakePlatformServer) -> None:
    async def test(app: CcAwsTuiApp, pilot: Pilot[int]) -> None:
        await app.push_screen(ValidateStepScreen(key_draft(fake_platform, BAD_KEY), 5, 6))
        await settle(pilot)
        assert app.screen.query_one("#next", Button).disabled
        fake_platform.add_api_key(BAD_KEY)  # e.g. the key's permissions were fixed
        await pilot.press("r")
        await settle(pilot)
        results = app.screen.query_one(CheckList).results()
        assert results["platform"].status == "pass"
        assert not app.screen.query_one("#next", Button).disabled
        assert not app.screen.query_one("#fix-bar").display

    run(test)


def test_validate_cancel_stops_the_run(fake_platform: FakePlatformServer) -> None:
    fake_platform.delay_seconds = 30  # the platform hangs

    async def test(app: CcAwsTuiApp, pilot: Pilot[int]) -> None:
        await app.push_screen(ValidateStepScreen(key_draft(fake_platform), 5, 6))
        await pilot.pause()
        checklist = app.screen.query_one(CheckList)
        assert checklist.pending_rows()
        # Headless: the spinner is frozen, so frames never depend on timing.
        assert not checklist.animated
        assert {r.frame for r in checklist.pending_rows()} == {FROZEN}
        assert "… Claude Platform on AWS  checking…" in screen_text(app)
        await pilot.press("c")
        await settle(pilot)
        assert not checklist.pending_rows()
        assert checklist.results()["platform"] == CheckResult("platform", "skip", "cancelled")
        assert "Cancelled" in screen_text(app)
        assert app.screen.query_one("#next", Button).disabled
        fake_platform.stop()  # lets the abandoned check thread end now, not at its timeout

    run(test, check_timeout=10.0)


def test_validate_hung_server_still_finishes(fake_platform: FakePlatformServer) -> None:
    fake_platform.delay_seconds = 30

    async def test(app: CcAwsTuiApp, pilot: Pilot[int]) -> None:
        await app.push_screen(ValidateStepScreen(key_draft(fake_platform), 5, 6))
        await settle(pilot)
        results = app.screen.query_one(CheckList).results()
        assert results["platform"].status == "fail"
        assert "within 0.5s" in results["platform"].summary
        assert str(app.screen.query_one("#fix", Button).label) == "Fix: workspace and region"

    run(test, check_timeout=0.5)


def test_validate_incomplete_draft_says_why() -> None:
    async def test(app: CcAwsTuiApp, pilot: Pilot[int]) -> None:
        await app.push_screen(ValidateStepScreen(Draft(auth="api-key"), 5, 6))
        await settle(pilot)
        assert "Cannot check yet: workspace_id" in screen_text(app)
        assert app.screen.query_one("#next", Button).disabled

    run(test)


def test_validate_a_crash_in_the_worker_is_shown_not_fatal(
    fake_platform: FakePlatformServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def boom(draft: Draft, profile: Profile, **kwargs: object) -> dict[str, str]:
        raise RuntimeError("boom")

    monkeypatch.setattr("tui.screens.validate.draft_secrets", boom)

    async def test(app: CcAwsTuiApp, pilot: Pilot[int]) -> None:
        await app.push_screen(ValidateStepScreen(key_draft(fake_platform), 5, 6))
        await settle(pilot)
        assert "The checks stopped: RuntimeError: boom" in screen_text(app)
        assert not app.screen.query_one(CheckList).pending_rows()
        assert app.screen.query_one("#next", Button).disabled

    run(test)


@pytest.mark.parametrize(
    ("check", "summary", "auth", "step"),
    [
        ("secret", "missing", "api-key", "api_key"),
        ("credentials", "no AWS credentials", "sigv4", "aws_profile"),
        ("identity", "STS rejected", "sigv4", "aws_profile"),
        ("platform", "HTTP 401: invalid x-api-key", "api-key", "api_key"),
        ("platform", "HTTP 403: User: x is not authorized to perform: y", "sigv4", "aws_profile"),
        ("platform", "HTTP 403: The request signature … does not match", "sigv4", "workspace"),
        ("platform", "HTTP 404: workspace wrkspc_x not found in region", "api-key", "workspace"),
        ("platform", "no answer from host within 10s", "sigv4", "workspace"),
        ("models", "not offered", "sigv4", "models"),
        ("workspaces", "cannot list", "sigv4", "workspace"),
        ("env", "AWS_REGION is set", "sigv4", None),
    ],
)
def test_fix_step_points_at_the_step_that_fixes_it(
    check: str, summary: str, auth: str, step: str | None
) -> None:
    profile = Profile(
        name="p",
        auth=auth,  # type: ignore[arg-type]
        workspace_id=WORKSPACE_A,
        region="us-east-1",
        api_key_store="file" if auth == "api-key" else None,
    )
    assert fix_step(CheckResult(check, "fail", summary), profile) == step


# --- validate (saved profile) ----------------------------------------------------------------


def test_validate_saved_profile_records_history(home_profile: Profile) -> None:
    async def test(app: CcAwsTuiApp, pilot: Pilot[int]) -> None:
        await app.push_screen(ValidateProfileScreen(home_profile))
        await settle(pilot)
        assert "Ready" in screen_text(app)
        assert app.last_results == {"home": True}
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ValidateProfileScreen)

    run(test)
    assert history.load()["home"]["ok"] is True
    assert history.load()["home"]["summary"] == "ready, 1 warning(s)"  # the key is exposed


def test_validate_saved_profile_failure_is_recorded(
    fake_platform: FakePlatformServer,
    home_profile: Profile,
) -> None:
    fake_platform.api_keys.clear()  # the key was revoked

    async def test(app: CcAwsTuiApp, pilot: Pilot[int]) -> None:
        await app.push_screen(ValidateProfileScreen(home_profile))
        await settle(pilot)
        assert str(app.screen.query_one("#fix", Button).label) == "Edit profile: API key"

    run(test)
    recorded = history.load()["home"]
    assert recorded["ok"] is False
    assert recorded["summary"].startswith("Claude Platform on AWS: HTTP 401")


# --- save ------------------------------------------------------------------------------------


def test_save_invalid_name_disables_save(fake_platform: FakePlatformServer) -> None:
    async def test(app: CcAwsTuiApp, pilot: Pilot[int]) -> None:
        await app.push_screen(SaveScreen(key_draft(fake_platform), 6, 6))
        await pilot.pause()
        save = app.screen.query_one("#next", Button)
        assert str(save.label) == "Save"
        assert not save.disabled
        app.screen.query_one("#name", Input).value = "bad name"
        await pilot.pause()
        assert save.disabled
        assert "not a valid profile name" in screen_text(app)

    run(test)


def test_save_name_clash_needs_explicit_replace(fake_platform: FakePlatformServer) -> None:
    async def test(app: CcAwsTuiApp, pilot: Pilot[int]) -> None:
        await app.push_screen(SaveScreen(key_draft(fake_platform), 6, 6))
        await pilot.pause()
        app.screen.query_one("#name", Input).value = "home"
        await pilot.pause()
        assert "A profile called home already exists" in screen_text(app)
        assert app.screen.query_one("#next", Button).disabled
        app.screen.query_one("#replace", Checkbox).value = True
        await pilot.pause()
        assert not app.screen.query_one("#next", Button).disabled
        screen = app.screen
        assert isinstance(screen, SaveScreen)
        draft = screen.updated_draft()
        assert draft is not None
        assert (draft.name, draft.original_name, draft.replace_existing) == ("home", None, True)

    run(test)


def test_save_renaming_an_edit_onto_another_profile_is_blocked(
    fake_platform: FakePlatformServer,
) -> None:
    draft = key_draft(fake_platform, original_name="work", name="work")

    async def test(app: CcAwsTuiApp, pilot: Pilot[int]) -> None:
        await app.push_screen(SaveScreen(draft, 6, 6))
        await pilot.pause()
        app.screen.query_one("#name", Input).value = "home"
        await pilot.pause()
        assert not app.screen.query_one("#replace", Checkbox).display
        assert app.screen.query_one("#next", Button).disabled

    run(test)


def test_save_preview_masks_the_key_and_copies_the_eval_line(
    fake_platform: FakePlatformServer,
) -> None:
    async def test(app: CcAwsTuiApp, pilot: Pilot[int]) -> None:
        await app.push_screen(SaveScreen(key_draft(fake_platform), 6, 6))
        await pilot.pause()
        app.screen.query_one("#name", Input).value = "team"
        await pilot.pause()
        preview = str(app.screen.query_one("#preview", Static).render())
        assert "export ANTHROPIC_AWS_API_KEY='sk-ant-…0001';" in preview
        assert "export CC_AWS_TUI_PROFILE=team;" in preview
        assert TEST_API_KEY not in preview
        assert TEST_API_KEY not in screen_text(app)
        assert TEST_API_KEY not in app.export_screenshot()
        assert 'eval "$(cc-aws-tui export team)"' in screen_text(app)
        await pilot.press("ctrl+y")
        assert app.clipboard == 'eval "$(cc-aws-tui export team)"'
        await pilot.press("enter")  # Enter in the name field saves
        await pilot.pause()

    messages = run(test)
    done = [m for m in sent(messages, StepCompleted) if isinstance(m, StepCompleted)]
    assert [(m.step, m.draft.name, m.draft.make_current) for m in done] == [("save", "team", True)]


def test_save_preview_of_an_edit_never_reads_the_stored_key(
    fake_platform: FakePlatformServer,
) -> None:
    draft = key_draft(fake_platform, original_name="home", name="home", api_key=None)
    text = preview(draft, "home")
    assert "export ANTHROPIC_AWS_API_KEY='…';" in text
    assert TEST_API_KEY not in text
    assert apply_line("home") == 'eval "$(cc-aws-tui export home)"'
