"""Pilot tests of the credential steps: AWS profile picker, API key, workspace and region.

Each test pushes one step screen on the real app (built by `make_app`) and watches what the
step posts up (`StepCompleted`) through `run_test(message_hook=...)`. The app's own move to
the next step is recorded instead of performed, so these tests do not depend on the other
steps' screens.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import statistics
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from pydantic import SecretStr
from textual.message import Message
from textual.notifications import Notify
from textual.pilot import Pilot
from textual.widgets import Button, Input, OptionList, Static

from profiles.aws.profiles import discover_aws_profiles
from profiles.aws.sso import sso_cache_path
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
    fake_platform,
)
from tui.app import CcAwsTuiApp, make_app
from tui.messages import StepCompleted
from tui.screens.api_key import ApiKeyScreen
from tui.screens.aws_profile import AwsProfileScreen
from tui.screens.base import StepScreen
from tui.screens.workspace import WorkspaceScreen
from tui.state import Draft
from tui.widgets.masked_input import MaskedInput

# Re-exported fixture: pytest finds it by name in this module.
__all__ = ["fake_platform"]

SIZE = (100, 32)

SSO_CONFIG = """\
[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1

[profile dev]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = Developer
region = eu-west-1

[profile ops-admin]
role_arn = arn:aws:iam::111122223333:role/Admin
source_profile = prod
region = us-east-2

[profile prod]
region = us-west-2
"""

PROD_CREDENTIALS = """\
[prod]
aws_access_key_id = AKIAEXAMPLEPROD00001
aws_secret_access_key = not-a-real-secret
"""


# --- harness -------------------------------------------------------------------------------


@dataclass
class Run:
    """What a test run saw: the app, the steps it completed and the notifications."""

    app: CcAwsTuiApp
    pilot: Pilot[int]
    completed: list[StepCompleted] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def screen(self) -> StepScreen:
        screen = self.app.screen
        assert isinstance(screen, StepScreen)
        return screen

    def text(self, selector: str) -> str:
        return str(self.screen.query_one(selector, Static).render())

    def next_enabled(self) -> bool:
        return not self.screen.query_one("#next", Button).disabled

    async def settle(self) -> None:
        await self.pilot.pause()
        await self.app.workers.wait_for_complete()
        await self.pilot.pause()


@pytest.fixture
def pushed_steps(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the steps the app would push next instead of pushing them."""
    steps: list[str] = []
    monkeypatch.setattr(CcAwsTuiApp, "_push_step", lambda self, step: steps.append(step))
    return steps


def drive(screen: Callable[[], StepScreen], scenario: Callable[[Run], Awaitable[None]]) -> None:
    """Start the app, push the step screen, settle, run the scenario."""

    async def main() -> None:
        app = make_app(check_timeout=5.0)
        completed: list[StepCompleted] = []
        notes: list[str] = []

        def hook(message: Message) -> None:
            if isinstance(message, StepCompleted):
                completed.append(message)
            elif isinstance(message, Notify):
                notes.append(f"{message.notification.title}: {message.notification.message}")

        async with app.run_test(size=SIZE, message_hook=hook) as pilot:
            run = Run(app, pilot, completed, notes)
            await app.push_screen(screen())
            await run.settle()
            await scenario(run)

    asyncio.run(main())


def aws_file(env: str, text: str) -> Path:
    path = Path(os.environ[env])
    path.write_text(text, encoding="utf-8")
    return path


def write_sso_token(profile_name: str, expires_at: str) -> Path:
    profile = next(p for p in discover_aws_profiles() if p.name == profile_name)
    path = sso_cache_path(profile)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"accessToken": "x", "expiresAt": expires_at}), encoding="utf-8")
    return path


def option_ids(run: Run) -> list[str | None]:
    return [o.id for o in run.screen.query_one("#aws-profiles", OptionList).options]


def highlighted_id(run: Run) -> str | None:
    option = run.screen.query_one("#aws-profiles", OptionList).highlighted_option
    return option.id if option is not None else None


def aws_screen(draft: Draft | None = None) -> Callable[[], StepScreen]:
    return lambda: AwsProfileScreen(draft or Draft(auth="sigv4"), 2, 6)


# --- AWS profile picker --------------------------------------------------------------------


def test_filter_narrows_the_list_and_enter_completes_with_that_profile(
    pushed_steps: list[str],
) -> None:
    aws_file("AWS_CONFIG_FILE", SSO_CONFIG)
    aws_file("AWS_SHARED_CREDENTIALS_FILE", PROD_CREDENTIALS)

    async def scenario(run: Run) -> None:
        assert len(option_ids(run)) == 4  # default chain + dev, ops-admin, prod
        assert highlighted_id(run) == "default-chain"
        assert run.text("#aws-count") == "3 AWS profiles"
        await run.pilot.press(*"prod")
        await run.settle()
        assert len(option_ids(run)) == 2  # the default chain stays, one profile matches
        assert "prod" in run.text("#aws-detail")
        assert run.text("#aws-count") == "1 of 3 AWS profiles match"
        await run.pilot.press("enter")
        await run.settle()
        assert [c.draft.aws_profile for c in run.completed] == ["prod"]

    drive(aws_screen(), scenario)


def test_selecting_a_static_profile_posts_its_name_kind_and_region(
    pushed_steps: list[str],
) -> None:
    aws_file("AWS_CONFIG_FILE", SSO_CONFIG)
    aws_file("AWS_SHARED_CREDENTIALS_FILE", PROD_CREDENTIALS)

    async def scenario(run: Run) -> None:
        await run.pilot.press(*"prod", "enter")
        await run.settle()
        assert len(run.completed) == 1
        done = run.completed[0]
        assert done.step == "aws_profile"
        assert done.draft.aws_profile == "prod"
        assert done.draft.aws_profile_kind == "static"
        assert done.draft.region == "us-west-2"
        assert done.draft.aws_auth_refresh == ""
        assert run.app.draft == done.draft
        assert pushed_steps[-1] == "workspace"

    drive(aws_screen(), scenario)


def test_filter_matches_kind_and_region_words_and_arrows_move_from_the_filter(
    pushed_steps: list[str],
) -> None:
    aws_file("AWS_CONFIG_FILE", SSO_CONFIG)
    aws_file("AWS_SHARED_CREDENTIALS_FILE", PROD_CREDENTIALS)

    async def scenario(run: Run) -> None:
        await run.pilot.press(*"us-")
        await run.settle()
        # ops-admin (us-east-2) and prod (us-west-2); the first match is highlighted
        assert len(option_ids(run)) == 3
        first = highlighted_id(run)
        await run.pilot.press("down")  # focus stays in the filter
        assert isinstance(run.app.focused, Input)
        assert highlighted_id(run) != first
        await run.pilot.press("ctrl+u", *"sso")
        await run.settle()
        assert len(option_ids(run)) == 2  # dev is the SSO profile
        await run.pilot.press(*"zzz")
        await run.settle()
        assert option_ids(run) == ["default-chain"]
        assert highlighted_id(run) == "default-chain"

    drive(aws_screen(), scenario)


def test_sso_profile_prefills_region_and_aws_auth_refresh(pushed_steps: list[str]) -> None:
    aws_file("AWS_CONFIG_FILE", SSO_CONFIG)
    write_sso_token("dev", "2099-01-01T00:00:00Z")

    async def scenario(run: Run) -> None:
        await run.pilot.press(*"dev")
        await run.settle()
        assert not run.screen.query_one("#sso-box").display  # token valid: no warning
        await run.pilot.press("ctrl+n")
        await run.settle()
        done = run.completed[-1].draft
        assert (done.aws_profile, done.aws_profile_kind) == ("dev", "sso")
        assert done.region == "eu-west-1"
        assert done.aws_auth_refresh == "aws sso login --profile dev"

    drive(aws_screen(), scenario)


def test_existing_region_and_refresh_command_are_kept(pushed_steps: list[str]) -> None:
    aws_file("AWS_CONFIG_FILE", SSO_CONFIG)
    draft = Draft(auth="sigv4", region="ap-south-1", aws_auth_refresh="my-refresh")

    async def scenario(run: Run) -> None:
        await run.pilot.press(*"dev", "enter")
        await run.settle()
        done = run.completed[-1].draft
        assert (done.region, done.aws_auth_refresh) == ("ap-south-1", "my-refresh")

    drive(aws_screen(draft), scenario)


def test_default_chain_sets_no_aws_profile(pushed_steps: list[str]) -> None:
    aws_file("AWS_CONFIG_FILE", SSO_CONFIG)
    draft = Draft(auth="sigv4", aws_profile="dev", aws_profile_kind="sso")

    async def scenario(run: Run) -> None:
        assert highlighted_id(run) != "default-chain"  # editing: the saved choice first
        await run.pilot.press("up")  # from the filter, the arrows move the list's cursor
        await run.settle()
        assert highlighted_id(run) == "default-chain"
        assert "AWS_PROFILE" in run.text("#aws-detail")
        await run.pilot.press("ctrl+n")
        await run.settle()
        done = run.completed[-1].draft
        assert done.aws_profile is None
        assert done.aws_profile_kind is None

    drive(aws_screen(draft), scenario)


def test_saved_profile_missing_from_the_files_is_offered_not_swapped(
    pushed_steps: list[str],
) -> None:
    aws_file("AWS_CONFIG_FILE", SSO_CONFIG)
    draft = Draft(auth="sigv4", aws_profile="gone", aws_profile_kind="static")

    async def scenario(run: Run) -> None:
        assert highlighted_id(run) == "missing"
        assert "not in ~/.aws/config" in run.text("#aws-detail")
        await run.pilot.press("ctrl+n")
        await run.settle()
        done = run.completed[-1].draft
        assert (done.aws_profile, done.aws_profile_kind) == ("gone", "static")

    drive(aws_screen(draft), scenario)


def test_broken_config_shows_file_and_line_and_default_chain_still_works(
    pushed_steps: list[str],
) -> None:
    config = aws_file("AWS_CONFIG_FILE", "[profile ok]\nregion = us-east-1\nthis line is bad\n")

    async def scenario(run: Run) -> None:
        error = run.screen.query_one("#aws-config-error", Static)
        assert error.display
        assert f"{config}:3:" in run.text("#aws-config-error")
        assert "default credential chain still works" in run.text("#aws-config-error")
        assert option_ids(run) == ["default-chain"]
        assert run.next_enabled()
        await run.pilot.press("enter")
        await run.settle()
        assert run.completed[-1].draft.aws_profile is None

    drive(aws_screen(), scenario)


def test_expired_sso_token_shows_a_warning_and_the_login_binding(
    pushed_steps: list[str],
) -> None:
    aws_file("AWS_CONFIG_FILE", SSO_CONFIG)
    write_sso_token("dev", "2020-01-01T00:00:00Z")

    async def scenario(run: Run) -> None:
        assert run.screen.check_action("sso_login", ()) is False
        await run.pilot.press(*"dev")
        await run.settle()
        assert run.screen.query_one("#sso-box").display
        warning = run.text("#sso-warning")
        assert "has expired" in warning
        assert "aws sso login --profile dev" in warning
        assert run.screen.check_action("sso_login", ()) is True
        assert run.next_enabled()  # a warning, not a blocker: awsAuthRefresh can fix it later

    drive(aws_screen(), scenario)


def test_missing_sso_token_shows_a_warning(pushed_steps: list[str]) -> None:
    aws_file("AWS_CONFIG_FILE", SSO_CONFIG)

    async def scenario(run: Run) -> None:
        await run.pilot.press(*"dev")
        await run.settle()
        assert "is missing" in run.text("#sso-warning")

    drive(aws_screen(), scenario)


def test_sso_login_without_the_aws_cli_notifies_the_command(
    pushed_steps: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    aws_file("AWS_CONFIG_FILE", SSO_CONFIG)
    write_sso_token("dev", "2020-01-01T00:00:00Z")
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))

    async def scenario(run: Run) -> None:
        await run.pilot.press(*"dev")
        await run.settle()
        await run.pilot.press("ctrl+l")
        await run.settle()
        assert any(
            "not on PATH" in note and "aws sso login --profile dev" in note for note in run.notes
        )

    drive(aws_screen(), scenario)


def test_sso_login_runs_the_aws_cli_suspended_and_rechecks_the_token(
    pushed_steps: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    aws_file("AWS_CONFIG_FILE", SSO_CONFIG)
    token = write_sso_token("dev", "2020-01-01T00:00:00Z")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    calls = tmp_path / "aws-calls.txt"
    fresh = json.dumps({"accessToken": "y", "expiresAt": "2099-01-01T00:00:00Z"})
    script = bin_dir / "aws"
    script.write_text(f"#!/bin/sh\necho \"$@\" >> '{calls}'\necho '{fresh}' > '{token}'\n")
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    suspended: list[bool] = []

    @contextlib.contextmanager
    def fake_suspend() -> Iterator[None]:
        # The headless test driver cannot hand the terminal over; record that we asked.
        suspended.append(True)
        yield

    async def scenario(run: Run) -> None:
        monkeypatch.setattr(run.app, "suspend", fake_suspend)
        await run.pilot.press(*"dev")
        await run.settle()
        assert run.screen.query_one("#sso-box").display
        await run.pilot.click("#sso-login")
        await run.settle()
        assert suspended == [True]
        assert calls.read_text().split() == ["sso", "login", "--profile", "dev"]
        assert not run.screen.query_one("#sso-box").display  # re-checked: valid now
        assert run.screen.check_action("sso_login", ()) is False

    drive(aws_screen(), scenario)


def test_filter_latency_over_2000_profiles(
    pushed_steps: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    lines = ["[sso-session corp]", "sso_start_url = https://corp.example/start", ""]
    names = [f"team{i % 37}-{'svc' if i % 2 else 'app'}{i}" for i in range(2000)]
    for i, name in enumerate(names):
        if i % 2:
            lines += [f"[profile {name}]", "sso_session = corp", "sso_account_id = 1",
                      "sso_role_name = Dev", f"region = eu-west-{1 + i % 3}", ""]  # fmt: skip
        else:
            lines += [f"[profile {name}]", "credential_process = /bin/true",
                      "region = us-east-1", ""]  # fmt: skip
    aws_file("AWS_CONFIG_FILE", "\n".join(lines))
    typed = "team1-svc1"
    keys = [*typed, *["backspace"] * len(typed)]
    expected = sum(typed in name for name in names)
    wall: list[float] = []
    cpu: list[float] = []

    async def scenario(run: Run) -> None:
        assert run.text("#aws-count") == "2,000 AWS profiles"
        for key in keys:
            w0, c0 = time.perf_counter(), time.process_time()
            await run.pilot.press(key)
            wall.append(time.perf_counter() - w0)
            cpu.append(time.process_time() - c0)
            if len(wall) == len(typed):
                assert run.text("#aws-count") == f"{expected} of 2,000 AWS profiles match"
        await run.settle()
        assert run.text("#aws-count") == "2,000 AWS profiles"
        # The list grows as the cursor nears the end of what is shown.
        option_list = run.screen.query_one("#aws-profiles", OptionList)
        before = option_list.option_count
        assert before < 2001
        option_list.focus()
        await run.pilot.press("end")
        await run.settle()
        assert option_list.option_count > before

    drive(aws_screen(), scenario)
    with capsys.disabled():
        print(
            f"\n[filter latency, 2,000 AWS profiles, {len(keys)} keystrokes] "
            f"wall per key (incl. Pilot's idle wait): median "
            f"{statistics.median(wall) * 1e3:.0f} ms, max {max(wall) * 1e3:.0f} ms; "
            f"CPU per key: median {statistics.median(cpu) * 1e3:.0f} ms, "
            f"max {max(cpu) * 1e3:.0f} ms"
        )
    # Generous bounds: CPU is the work done per key; wall time also holds Pilot's idle waits
    # and whatever else the machine runs.
    assert max(cpu) < 0.5
    assert statistics.median(wall) < 0.5


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
