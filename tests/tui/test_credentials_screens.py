"""Pilot tests of the credential steps: API key, workspace and region (the AWS profile picker is
in test_aws_profile.py).

Each test pushes one step screen on the real app (built by `make_app`) and watches what the
step posts up (`StepCompleted`) through `run_test(message_hook=...)`. The app's own move to
the next step is recorded instead of performed, so these tests do not depend on the other
steps' screens.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pydantic import SecretStr
from textual.widgets import Button, Input, OptionList

from profiles.core.schema import Profile
from profiles.usecases.edit import save_profile
from tests.fakeplatform import (
    TEST_ACCESS_KEY,
    TEST_API_KEY,
    TEST_SECRET_KEY,
    WORKSPACE_A,
    WORKSPACE_ARCHIVED,
    WORKSPACE_B,
    FakePlatformServer,
)
from tests.tui.steps import (
    Run,
    aws_file,
    drive,
)
from tui.screens.api_key import ApiKeyScreen
from tui.screens.base import StepScreen
from tui.screens.workspace import WorkspaceScreen
from tui.state import Draft
from tui.widgets.masked_input import MaskedInput
from tui.widgets.toggles import RadioButton

# --- API key -------------------------------------------------------------------------------


def key_screen(draft: Draft | None = None) -> Callable[[], StepScreen]:
    return lambda: ApiKeyScreen(draft or Draft(auth="api-key"), 2, 6)


def test_api_key_is_masked_until_revealed_and_checked_as_typed(pushed_steps: list[str]) -> None:
    async def scenario(run: Run) -> None:
        field_ = run.screen.query_one("#api-key-input", Input)
        assert field_.password
        assert not run.next_enabled()
        await run.pilot.press(*"not-a-key")
        await run.settle()
        assert "sk-ant-" in run.text("#api-key-error")
        assert not run.next_enabled()
        field_.value = ""
        await run.settle()
        assert run.text("#api-key-error") == ""
        field_.insert_text_at_cursor(TEST_API_KEY)
        await run.settle()
        assert run.text("#api-key-error") == ""
        assert run.next_enabled()
        assert TEST_API_KEY not in run.app.export_screenshot()
        assert "Show" in str(run.screen.query_one(".masked-toggle", Button).label)
        await run.pilot.press("ctrl+r")
        assert not field_.password
        assert "Hide" in str(run.screen.query_one(".masked-toggle", Button).label)
        await run.pilot.click(".masked-toggle")
        assert field_.password
        await run.pilot.press("enter")
        await run.settle()
        done = run.completed[-1].draft
        assert isinstance(done.api_key, SecretStr)
        assert done.api_key.get_secret_value() == TEST_API_KEY
        assert TEST_API_KEY not in repr(done)
        assert all(TEST_API_KEY not in note for note in run.notes)

    drive(key_screen(), scenario)


def test_api_key_paste_event_fills_the_masked_field(pushed_steps: list[str]) -> None:
    from textual import events

    async def scenario(run: Run) -> None:
        field_ = run.screen.query_one("#api-key-input", Input)
        field_.post_message(events.Paste(TEST_API_KEY + "\n"))
        await run.settle()
        assert field_.value.strip() == TEST_API_KEY
        assert run.next_enabled()

    drive(key_screen(), scenario)


def test_editing_an_api_key_profile_can_keep_the_stored_key(pushed_steps: list[str]) -> None:
    saved = Profile(
        name="work", auth="api-key", workspace_id=WORKSPACE_A, region="us-east-1",
        api_key_store="file",
    )  # fmt: skip
    save_profile(saved, {"api_key": TEST_API_KEY})
    draft = Draft.from_profile(saved)

    async def scenario(run: Run) -> None:
        assert "Leave empty to keep the stored key" in run.text("#api-key-note")
        assert run.next_enabled()
        assert run.screen.query_one("#api-key-input", Input).value == ""
        await run.pilot.press("ctrl+n")
        await run.settle()
        assert run.completed[-1].draft.api_key is None

    drive(key_screen(draft), scenario)


def test_keyring_is_offered_only_when_usable_and_says_why_not(
    pushed_steps: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no keyring backend the keyring choice cannot be picked, and the step says why."""
    from profiles.store import secrets

    monkeypatch.setattr(secrets, "keyring_unusable", lambda: "no keyring backend is available")

    async def scenario(run: Run) -> None:
        assert run.screen.query_one("#store-keyring", RadioButton).disabled
        assert run.screen.query_one("#store-file", RadioButton).value
        assert "not offered: no keyring backend" in run.text("#keyring-why")

    drive(key_screen(), scenario)

    async def usable(run: Run) -> None:
        assert not run.screen.query_one("#store-keyring", RadioButton).disabled
        assert not run.screen.query_one("#keyring-why").display

    monkeypatch.setattr(secrets, "keyring_unusable", lambda: None)
    drive(key_screen(), usable)


def test_a_key_command_replaces_the_key_field(pushed_steps: list[str]) -> None:
    """ "A key command" hides the key field and asks for the command; Next needs one."""

    async def scenario(run: Run) -> None:
        assert not run.screen.query_one("#key-command").display
        await run.pilot.click("#store-command")
        await run.settle()
        assert not run.screen.query_one("#api-key").display
        assert run.screen.query_one("#key-command").display
        assert not run.next_enabled()
        await run.pilot.click("#key-command")
        await run.pilot.press(*"pass show claude")
        await run.settle()
        await run.pilot.press("enter")
        await run.settle()
        done = run.completed[-1].draft
        assert (done.api_key_store, done.api_key_command, done.api_key) == (
            "command",
            "pass show claude",
            None,
        )

    drive(key_screen(), scenario)


def test_switching_a_sigv4_profile_to_api_key_needs_a_key(pushed_steps: list[str]) -> None:
    saved = Profile(name="aws", auth="sigv4", workspace_id=WORKSPACE_A, region="us-east-1")
    save_profile(saved)
    draft = Draft.from_profile(saved).model_copy(update={"auth": "api-key"})

    async def scenario(run: Run) -> None:
        assert "Leave empty" not in run.text("#api-key-note")
        assert not run.next_enabled()

    drive(key_screen(draft), scenario)


# --- workspace and region ------------------------------------------------------------------


def ws_screen(draft: Draft) -> Callable[[], StepScreen]:
    return lambda: WorkspaceScreen(draft, 3, 6)


def api_key_draft(server: FakePlatformServer, **update: object) -> Draft:
    return Draft(
        auth="api-key",
        api_key=SecretStr(TEST_API_KEY),
        region=server.region,
        base_url=server.base_url,
        **update,  # type: ignore[arg-type]
    )


def ws_ids(run: Run) -> list[str | None]:
    return [o.id for o in run.screen.query_one("#ws-list", OptionList).options]


def test_workspaces_are_listed_live_and_picking_one_fills_the_id(
    pushed_steps: list[str], fake_platform: FakePlatformServer
) -> None:
    async def scenario(run: Run) -> None:
        assert run.screen.query_one("#ws-list").display
        assert ws_ids(run) == [WORKSPACE_A, WORKSPACE_B]  # the archived one is hidden
        assert WORKSPACE_ARCHIVED not in ws_ids(run)
        assert "2 workspace(s)" in run.text("#ws-status")
        assert fake_platform.base_url in run.text("#endpoint")
        assert not run.next_enabled()
        option_list = run.screen.query_one("#ws-list", OptionList)
        option_list.focus()
        option_list.highlighted = 1
        await run.pilot.press("enter")
        await run.settle()
        assert run.screen.query_one("#workspace-id", Input).value == WORKSPACE_B
        assert run.next_enabled()
        await run.pilot.press("ctrl+n")
        await run.settle()
        done = run.completed[-1].draft
        assert done.workspace_id == WORKSPACE_B
        assert done.region == fake_platform.region
        assert done.base_url == fake_platform.base_url.rstrip("/")
        assert done.gateway_token is None
        assert done.gateway_token_store is None

    drive(ws_screen(api_key_draft(fake_platform)), scenario)


def test_sigv4_static_profile_lists_workspaces(
    pushed_steps: list[str], fake_platform: FakePlatformServer
) -> None:
    aws_file(
        "AWS_SHARED_CREDENTIALS_FILE",
        f"[ci]\naws_access_key_id = {TEST_ACCESS_KEY}\naws_secret_access_key = {TEST_SECRET_KEY}\n",
    )
    draft = Draft(
        auth="sigv4", aws_profile="ci", region=fake_platform.region,
        base_url=fake_platform.base_url,
    )  # fmt: skip

    async def scenario(run: Run) -> None:
        assert ws_ids(run) == [WORKSPACE_A, WORKSPACE_B]
        assert fake_platform.requests[-1].auth == "sigv4"
        assert run.screen.query_one("#gateway-signs-row").display

    drive(ws_screen(draft), scenario)


def test_listing_denied_shows_why_and_a_typed_id_still_works(
    pushed_steps: list[str], fake_platform: FakePlatformServer
) -> None:
    fake_platform.deny_list_workspaces = True

    async def scenario(run: Run) -> None:
        assert not run.screen.query_one("#ws-list").display
        status = run.text("#ws-status")
        assert "ListWorkspaces" in status
        assert "type the workspace ID" in status
        assert not run.next_enabled()
        await run.pilot.press(*WORKSPACE_A)
        await run.settle()
        assert run.text("#workspace-error") == ""
        assert run.next_enabled()
        await run.pilot.press("enter")
        await run.settle()
        assert run.completed[-1].draft.workspace_id == WORKSPACE_A

    drive(ws_screen(api_key_draft(fake_platform)), scenario)


def test_invalid_workspace_id_keeps_next_disabled(
    pushed_steps: list[str], fake_platform: FakePlatformServer
) -> None:
    async def scenario(run: Run) -> None:
        run.screen.query_one("#workspace-id", Input).insert_text_at_cursor("workspace-1")
        await run.settle()
        assert run.screen.query_one("#workspace-error").display
        assert "is not a workspace ID" in run.text("#workspace-error")
        assert not run.next_enabled()
        await run.pilot.press("ctrl+n")
        await run.settle()
        assert run.completed == []

    drive(ws_screen(api_key_draft(fake_platform)), scenario)


def test_editing_lists_workspaces_with_the_stored_key(
    pushed_steps: list[str], fake_platform: FakePlatformServer
) -> None:
    saved = Profile(
        name="work", auth="api-key", workspace_id=WORKSPACE_A, region=fake_platform.region,
        base_url=fake_platform.base_url, api_key_store="file",
    )  # fmt: skip
    save_profile(saved, {"api_key": TEST_API_KEY})
    draft = Draft.from_profile(saved)  # no key typed in this session

    async def scenario(run: Run) -> None:
        assert ws_ids(run) == [WORKSPACE_A, WORKSPACE_B]
        assert fake_platform.requests[-1].auth == "api_key"
        highlighted = run.screen.query_one("#ws-list", OptionList).highlighted_option
        assert highlighted is not None
        assert highlighted.id == WORKSPACE_A  # the saved one
        assert run.next_enabled()

    drive(ws_screen(draft), scenario)


def test_no_credentials_shows_why_in_one_line(pushed_steps: list[str]) -> None:
    # SigV4 with a named profile that does not exist: no network call is attempted.
    draft = Draft(auth="sigv4", aws_profile="nope", region="eu-west-3")

    async def scenario(run: Run) -> None:
        status = run.text("#ws-status")
        assert "nope" in status
        assert "type the workspace ID" in status
        assert "\n" not in status.strip()

    drive(ws_screen(draft), scenario)


def test_region_change_relists_and_updates_the_endpoint(
    pushed_steps: list[str], fake_platform: FakePlatformServer
) -> None:
    draft = Draft(auth="api-key", api_key=SecretStr(TEST_API_KEY), region="")

    async def scenario(run: Run) -> None:
        from textual.widgets import Select

        assert "Pick a region" in run.text("#ws-status")
        assert not run.next_enabled()
        select = run.screen.query_one("#region", Select)
        select.value = "eu-central-1"
        await run.settle()
        assert "aws-external-anthropic.eu-central-1.api.aws" in run.text("#endpoint")
        # Point the override at the fake, as a gateway would be: the list is fetched again.
        run.screen.query_one("#base-url", Input).value = fake_platform.base_url
        run.screen.query_one("#base-url", Input).post_message(
            Input.Submitted(run.screen.query_one("#base-url", Input), fake_platform.base_url)
        )
        await run.settle()
        assert "(override)" in run.text("#endpoint")
        assert ws_ids(run) == [WORKSPACE_A, WORKSPACE_B]

    drive(ws_screen(draft), scenario)


def test_advanced_gateway_token_is_masked_and_stored_in_a_file(
    pushed_steps: list[str], fake_platform: FakePlatformServer
) -> None:
    draft = api_key_draft(fake_platform, workspace_id=WORKSPACE_A)

    async def scenario(run: Run) -> None:
        from textual.widgets import Collapsible

        advanced = run.screen.query_one("#advanced", Collapsible)
        assert not advanced.collapsed  # the draft uses a base URL override
        assert not run.screen.query_one("#gateway-signs-row").display  # api-key: no switch
        token = run.screen.query_one("#gateway-token", MaskedInput)
        assert token.input.password
        token.input.value = "gw-token-123"
        await run.settle()
        assert "gw-token-123" not in run.app.export_screenshot()
        await run.pilot.press("ctrl+n")
        await run.settle()
        done = run.completed[-1].draft
        assert done.gateway_token is not None
        assert done.gateway_token.get_secret_value() == "gw-token-123"
        assert done.gateway_token_store == "file"

    drive(ws_screen(draft), scenario)


def test_advanced_is_collapsed_when_unused_and_a_bad_base_url_blocks_next(
    pushed_steps: list[str],
) -> None:
    draft = Draft(auth="sigv4", region="us-east-1", workspace_id=WORKSPACE_A, aws_profile="x")

    async def scenario(run: Run) -> None:
        from textual.widgets import Collapsible

        assert run.screen.query_one("#advanced", Collapsible).collapsed
        assert run.next_enabled()
        run.screen.query_one("#base-url", Input).value = "http://gateway.example.com"
        await run.settle()
        assert "plain http" in run.text("#base-url-error")
        assert not run.next_enabled()

    drive(ws_screen(draft), scenario)
