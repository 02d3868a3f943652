"""The TUI keeps Claude Code's settings in step with the profiles: after an edit, a rename or a
deletion a notification says which settings files were updated; the home screen marks a
profile whose applied settings drifted (edited by hand, or the profile changed outside
cc-aws-tui) and re-applies it with `r`, after a confirmation."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any

import pytest
from textual.message import Message
from textual.notifications import Notify

from profiles.claude import record
from profiles.store.files import read_doc
from profiles.store.transaction import transaction
from tests.applied import USER_SETTINGS, AppliedDev
from tests.tui.journey import User, journey, select_row
from tui.app import make_app
from tui.screens.confirm import ConfirmScreen
from tui.screens.home import HomeScreen
from tui.state import Draft

pytestmark = pytest.mark.usefixtures("offline")
TITLE = "Claude Code settings"


def env_of(path: Path) -> dict[str, Any]:
    env: dict[str, Any] = json.loads(path.read_text())["env"]
    return env


def hand_edit(path: Path, **env: str) -> None:
    data = json.loads(path.read_text())
    data["env"].update(env)
    path.write_text(json.dumps(data, indent=2))


def save_from_the_wizard(draft: Draft) -> list[tuple[str, str, str]]:
    """Save `draft` as the wizard's Save does; the notifications shown (title, message,
    severity)."""
    notes: list[tuple[str, str, str]] = []

    def hook(message: Message) -> None:
        if isinstance(message, Notify):
            n = message.notification
            notes.append((n.title, n.message, n.severity))

    async def run() -> None:
        app = make_app()
        async with app.run_test(size=(100, 32), message_hook=hook) as pilot:
            await app.save_draft(draft).wait()
            await pilot.pause()

    asyncio.run(run())
    return notes


@pytest.fixture
def in_project(applied_dev: AppliedDev, monkeypatch: pytest.MonkeyPatch) -> AppliedDev:
    """The app runs in the project, so its local file is the one Claude Code reads here."""
    monkeypatch.chdir(applied_dev.project)
    return applied_dev


def test_an_edit_re_applies_and_the_notification_names_each_file(
    applied_dev: AppliedDev,
) -> None:
    draft = Draft.from_profile(applied_dev.profile).model_copy(update={"region": "eu-west-3"})

    notes = save_from_the_wizard(draft)

    assert env_of(applied_dev.user)["AWS_REGION"] == "eu-west-3"
    assert env_of(applied_dev.local)["AWS_REGION"] == "eu-west-3"
    assert json.loads(applied_dev.user.read_text())["model"] == "opus"
    [(_, message, severity)] = [n for n in notes if n[0] == TITLE]
    assert message.splitlines() == [
        f"updated {applied_dev.user} (user): re-applied profile 'dev' (AWS_REGION)",
        f"updated {applied_dev.local} (local): re-applied profile 'dev' (AWS_REGION)",
    ]
    assert severity == "information"


def test_a_rename_in_the_wizard_moves_the_record(applied_dev: AppliedDev) -> None:
    draft = Draft.from_profile(applied_dev.profile).model_copy(update={"name": "prod"})

    notes = save_from_the_wizard(draft)

    assert list(read_doc().profiles) == ["prod"]
    assert set(record.applied_files("prod")) == {str(applied_dev.user), str(applied_dev.local)}
    [(_, message, _)] = [n for n in notes if n[0] == TITLE]
    # `cc-aws-tui credentials dev` in awsCredentialExport follows the rename.
    assert f"updated {applied_dev.user} (user): re-applied profile 'prod'" in message


def test_a_file_that_cannot_be_updated_is_a_warning(applied_dev: AppliedDev) -> None:
    applied_dev.local.write_bytes(b"{broken")
    draft = Draft.from_profile(applied_dev.profile).model_copy(update={"region": "eu-west-3"})

    notes = save_from_the_wizard(draft)

    assert applied_dev.local.read_bytes() == b"{broken"
    [(_, message, severity)] = [n for n in notes if n[0] == TITLE]
    assert severity == "warning"
    assert f"⚠ not updated {applied_dev.local} (local): " in message
    assert f"cd {applied_dev.project} && cc-aws-tui apply dev --scope local" in message


def test_deleting_from_home_takes_it_back_and_says_so(in_project: AppliedDev) -> None:
    async def scenario(user: User) -> None:
        await select_row(user, "dev")
        await user.press("x")
        await user.on(ConfirmScreen)
        await user.click("#confirm")
        await user.on(HomeScreen)

    user = journey(scenario)

    assert json.loads(in_project.user.read_text()) == json.loads(USER_SETTINGS)
    assert not in_project.local.exists()
    notes = "\n".join(user.notes)
    assert f"{TITLE}: updated {in_project.user} (user): took back profile 'dev' (" in notes
    assert f"updated {in_project.local} (local): took back profile 'dev' (" in notes


def test_home_marks_a_hand_edit_and_re_applies_after_confirming(in_project: AppliedDev) -> None:
    hand_edit(in_project.user, AWS_REGION="ap-south-1")

    async def scenario(user: User) -> None:
        await select_row(user, "dev")
        assert user.home_rows()["dev"]["Settings"] == "user ⚠, local"
        drift = user.static("#home-drift")
        assert drift == (
            f"⚠ {in_project.user} (user): it no longer holds what profile 'dev' would write"
            " (AWS_REGION). r re-applies dev."
        )
        assert "r Re-apply" in user.look()

        await user.press("r")
        await user.on(ConfirmScreen)
        assert user.static("#dialog-title") == "Re-apply dev to Claude Code's settings?"
        assert user.static("#dialog-detail").startswith(f"{in_project.user} (user): AWS_REGION\n")
        await user.press("escape")  # cancelled: nothing written
        await user.on(HomeScreen)
        assert env_of(in_project.user)["AWS_REGION"] == "ap-south-1"

        await user.press("r")
        await user.on(ConfirmScreen)
        await user.click("#confirm")
        await user.on(HomeScreen)
        assert user.home_rows()["dev"]["Settings"] == "user, local"
        assert not user.screen.query_one("#home-drift").display
        assert "r Re-apply" not in user.look()

    user = journey(scenario)

    assert env_of(in_project.user)["AWS_REGION"] == "us-east-1"
    assert json.loads(in_project.user.read_text())["model"] == "opus"
    assert (
        f"{TITLE}: updated {in_project.user} (user): re-applied profile 'dev' (AWS_REGION)\n"
        f"unchanged {in_project.local} (local): it already holds profile 'dev'"
    ) in user.notes


def test_home_marks_a_profile_changed_outside_cc_aws_tui(in_project: AppliedDev) -> None:
    with transaction() as tx:  # as a hand edit of profiles.toml would: no re-apply
        tx.put(in_project.profile.replace(models={"opus": "claude-opus-4-8"}))

    async def scenario(user: User) -> None:
        await select_row(user, "dev")
        assert user.home_rows()["dev"]["Settings"] == "user ⚠, local ⚠"
        assert "(ANTHROPIC_DEFAULT_OPUS_MODEL)" in user.static("#home-drift")
        await user.press("r")
        await user.on(ConfirmScreen)
        await user.click("#confirm")
        await user.on(HomeScreen)
        assert user.home_rows()["dev"]["Settings"] == "user, local"

    journey(scenario)

    assert env_of(in_project.local)["ANTHROPIC_DEFAULT_OPUS_MODEL"] == "claude-opus-4-8"


def test_in_step_or_broken_offers_no_re_apply(in_project: AppliedDev) -> None:
    in_project.local.write_bytes(b"{broken")

    async def scenario(user: User) -> None:
        await select_row(user, "dev")
        assert user.home_rows()["dev"]["Settings"] == "user, local ✗"
        assert user.static("#home-drift").startswith(f"✗ {in_project.local} (local): ")
        assert "Re-apply" not in user.look()
        await user.press("r")
        await user.settle()
        assert isinstance(user.screen, HomeScreen)  # nothing to confirm

    journey(scenario)

    assert in_project.local.read_bytes() == b"{broken"


def test_a_file_in_another_project_is_labelled_with_it(
    applied_dev: AppliedDev, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)

    async def scenario(user: User) -> None:
        await select_row(user, "dev")
        assert user.home_rows()["dev"]["Settings"] == f"user, local:{applied_dev.project.name}"

    journey(scenario)


def test_a_project_name_is_shown_literally(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from profiles.claude.apply import apply
    from profiles.core.schema import Profile
    from profiles.usecases.edit import save_profile

    profile = Profile("dev", "sigv4", "wrkspc_01AbCdEf23GhIj", "us-east-1")
    save_profile(profile)
    project = tmp_path / "[b]x"  # not a repository: the directory is the project
    project.mkdir()
    apply(profile, {}, "local", cwd=project)
    monkeypatch.chdir(tmp_path)

    async def scenario(user: User) -> None:
        await select_row(user, "dev")
        # The settings states arrive from a worker started after the first paint, and the
        # table measures the new width when it is next idle: look until both have happened
        # (a deadline, not a sleep; a loaded machine needs more than one round).
        deadline = time.monotonic() + 5
        while "local:[b]x" not in (shown := user.look()) and time.monotonic() < deadline:
            await user.settle()
        assert "local:[b]x" in shown

    journey(scenario)
