"""Journeys through the home screen's actions on saved profiles: edit, duplicate, delete, use,
validate, copy. Driven by keys and clicks against the loopback fakes (see test_journeys.py).
"""

from __future__ import annotations

import pytest
from textual.widgets import Input, RadioButton

from profiles.core.schema import Profile
from profiles.store import history
from profiles.store.files import read_doc, read_secrets
from profiles.usecases.edit import save_profile
from tests.fakeplatform import TEST_API_KEY, WORKSPACE_A, FakePlatformServer
from tests.servers import AwsFiles
from tests.tui.journey import (
    KEY_CHECKS,
    SIGV4_CHECKS,
    User,
    choose_region,
    journey,
    save_as,
    select_row,
    sigv4_profile,
    through_to_validate,
)
from tui.screens.api_key import ApiKeyScreen
from tui.screens.auth import AuthScreen
from tui.screens.aws_profile import AwsProfileScreen
from tui.screens.confirm import ConfirmScreen
from tui.screens.home import HomeScreen
from tui.screens.models import ModelsScreen
from tui.screens.save import SaveScreen
from tui.screens.validate import ValidateProfileScreen, ValidateStepScreen
from tui.screens.workspace import WorkspaceScreen

# No internet: the `offline` fixture (tests/tui/conftest.py) refuses every host but loopback.
pytestmark = pytest.mark.usefixtures("offline")


# --- 5. The home screen's actions on saved profiles --------------------------------------------


def test_edit_opens_the_wizard_prefilled_and_saves_the_new_region(
    fake_platform: FakePlatformServer, aws_files: AwsFiles, sts_endpoint: str
) -> None:
    aws_files.add_static("dev")
    # Saved with the wrong region: the workspace is in us-east-1.
    save_profile(sigv4_profile(fake_platform, region="eu-west-1"), make_current=True)

    async def scenario(user: User) -> None:
        await select_row(user, "alpha")
        assert user.home_rows()["alpha"]["Region"] == "eu-west-1"
        await user.press("e")

        await user.on(AuthScreen)
        assert user.screen.query_one("#sigv4", RadioButton).value  # pre-filled: SigV4
        await user.next()
        await user.on(AwsProfileScreen)
        assert "dev: static" in user.static("#aws-detail")  # the saved AWS profile
        await user.next()

        await user.on(WorkspaceScreen)
        assert user.value("#workspace-id") == WORKSPACE_A
        assert user.value("#base-url") == fake_platform.base_url
        await choose_region(user, "us-east-1")
        assert user.value("#workspace-id") == WORKSPACE_A  # kept
        await user.next()

        await user.on(ModelsScreen)
        assert user.value("#model-sonnet") == "claude-sonnet-5"
        assert user.value("#auth-refresh") == "my-refresh-command"
        await user.next()

        await user.on(ValidateStepScreen)
        assert user.checks() == dict.fromkeys(SIGV4_CHECKS, "pass")
        await user.next()

        await user.on(SaveScreen)
        assert user.value("#name") == "alpha"
        assert not user.screen.query_one("#clash").display  # its own name is no clash
        await user.press("enter")

        await user.on(HomeScreen)
        row = user.home_rows()["alpha"]
        assert row["Region"] == "us-east-1"
        assert row["Checked"].startswith("✓")

    journey(scenario)

    assert read_doc().profiles == {"alpha": sigv4_profile(fake_platform)}


def test_duplicate_sigv4_saves_a_copy_with_the_same_settings(
    fake_platform: FakePlatformServer, saved: dict[str, Profile]
) -> None:
    async def scenario(user: User) -> None:
        await select_row(user, "alpha")
        await user.press("d")
        await user.on(AuthScreen)
        await through_to_validate(user)
        assert user.checks() == dict.fromkeys(SIGV4_CHECKS, "pass")
        await user.next()
        await user.on(SaveScreen)
        assert user.value("#name") == "alpha-copy"
        await user.press("enter")
        await user.on(HomeScreen)
        assert set(user.home_rows()) == {"alpha", "alpha-copy", "beta"}

    journey(scenario)

    doc = read_doc()
    assert doc.profiles["alpha-copy"] == saved["alpha"].replace(name="alpha-copy")
    assert doc.profiles["alpha"] == saved["alpha"]
    assert doc.current == "alpha"  # a copy does not become current by itself


def test_duplicate_api_key_profile_asks_for_the_key(
    fake_platform: FakePlatformServer, saved: dict[str, Profile]
) -> None:
    async def scenario(user: User) -> None:
        await select_row(user, "beta")
        await user.press("d")
        await user.on(AuthScreen)
        assert user.screen.query_one("#api-key", RadioButton).value
        await user.next()

        await user.on(ApiKeyScreen)
        # A copy has no stored key of its own: the key must be given again.
        assert not user.next_enabled()
        assert user.screen.query_one("#api-key-input", Input).placeholder == "sk-ant-…"
        await user.paste(TEST_API_KEY)
        await through_to_validate(user)
        assert user.checks() == {**dict.fromkeys(KEY_CHECKS, "pass"), "env": "warn"}  # key exposed
        await user.next()
        await save_as(user, "beta-copy")

    journey(scenario)

    assert read_doc().profiles["beta-copy"] == saved["beta"].replace(name="beta-copy")
    assert read_secrets()["beta-copy"] == {"api_key": TEST_API_KEY}
    assert read_secrets()["beta"] == {"api_key": TEST_API_KEY}


def test_delete_asks_first_cancel_keeps_confirm_deletes_with_its_secret(
    saved: dict[str, Profile],
) -> None:
    history.record("beta", True, "ready")

    async def scenario(user: User) -> None:
        await select_row(user, "beta")
        await user.press("x")
        await user.on(ConfirmScreen)
        text = user.look()
        assert "Delete profile beta?" in text
        assert "Its stored secrets are deleted with it." in text
        await user.press("escape")  # cancel
        await user.on(HomeScreen)
        assert set(user.home_rows()) == {"alpha", "beta"}
        assert "beta" in read_doc().profiles

        await user.press("delete")
        await user.on(ConfirmScreen)
        await user.click("#cancel")
        await user.on(HomeScreen)
        assert "beta" in read_doc().profiles

        await user.press("delete")
        await user.on(ConfirmScreen)
        await user.click("#confirm")
        await user.on(HomeScreen)
        assert set(user.home_rows()) == {"alpha"}
        assert "Deleted beta" in "\n".join(user.notes)

    journey(scenario)

    assert set(read_doc().profiles) == {"alpha"}
    assert "beta" not in read_secrets()
    assert "beta" not in history.load()


def test_use_makes_the_selected_profile_current(saved: dict[str, Profile]) -> None:
    async def scenario(user: User) -> None:
        await select_row(user, "beta")
        assert [user.home_rows()[n][""] for n in ("alpha", "beta")] == ["●", ""]
        await user.press("u")
        await user.settle()
        assert [user.home_rows()[n][""] for n in ("alpha", "beta")] == ["", "●"]
        assert "Current profile: beta." in user.static("#home-hint")
        assert "beta is now the current profile" in "\n".join(user.notes)

    journey(scenario)

    assert read_doc().current == "beta"


def test_validate_shows_the_checklist_and_records_the_result(
    fake_platform: FakePlatformServer, saved: dict[str, Profile]
) -> None:
    async def scenario(user: User) -> None:
        await select_row(user, "beta")
        assert user.home_rows()["beta"]["Checked"] == "-"  # never checked
        await user.press("v")
        await user.on(ValidateProfileScreen)
        assert user.checks() == {**dict.fromkeys(KEY_CHECKS, "pass"), "env": "warn"}  # key exposed
        assert "Validating profile beta" in user.look()
        await user.press("escape")
        await user.on(HomeScreen)
        assert user.home_rows()["beta"]["Checked"] == "✓ just now"

        fake_platform.api_keys.clear()  # the key is revoked
        await user.press("v")
        await user.on(ValidateProfileScreen)
        assert user.checks()["platform"] == "fail"
        await user.press("escape")
        await user.on(HomeScreen)
        assert user.home_rows()["beta"]["Checked"] == "✗ just now"
        assert user.home_rows()["alpha"]["Checked"] == "-"

    journey(scenario)

    assert history.load()["beta"]["ok"] is False


def test_copy_puts_the_eval_line_on_the_clipboard(
    saved: dict[str, Profile], monkeypatch: pytest.MonkeyPatch
) -> None:
    copied: list[str] = []

    async def scenario(user: User) -> None:
        monkeypatch.setattr(user.app, "copy_to_clipboard", copied.append)
        await select_row(user, "beta")
        await user.press("c")
        await select_row(user, "alpha")
        await user.press("c")
        # OSC 52 says nothing back: the toast does not claim the copy arrived, says why it
        # may not have, and shows the line itself to select by hand.
        note = user.notes[-1]
        assert note.startswith('Sent to the clipboard: eval "$(cc-aws-tui export alpha)"\n')
        assert "may not have arrived" in note
        assert "OSC 52" in note
        assert "set-clipboard" in note

    user = journey(scenario)

    assert copied == ['eval "$(cc-aws-tui export beta)"', 'eval "$(cc-aws-tui export alpha)"']
    assert TEST_API_KEY not in "\n".join(user.notes)  # beta's key is never in the line
