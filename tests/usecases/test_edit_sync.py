"""Every change to a profile keeps the Claude Code settings files it was applied to in step
(profiles.usecases.edit with claude.sync): saved with replace (`add --force`, a new key),
updated with a rename, renamed, deleted. The profile change is one transaction that stands
whatever becomes of a settings file; the use case says what became of each."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from profiles.claude import record
from profiles.claude.apply import apply
from profiles.core.schema import Profile
from profiles.store.files import read_doc, read_secrets
from profiles.usecases.edit import (
    delete_profile,
    reapply_profile,
    rename_profile,
    save_profile,
    update_profile,
)
from tests.applied import SYNC_WS, USER_SETTINGS, AppliedDev

KEY = "sk-ant-api03-Zx9Yw8Vu7Ts6Rq5Po4Nm-f3Qa"
KEY2 = "sk-ant-api03-Second0Key1Value2Here-Wx7Y"


def env_of(path: Path) -> dict[str, Any]:
    env: dict[str, Any] = json.loads(path.read_text())["env"]
    return env


def users_keys_kept(user: Path) -> None:
    data, original = json.loads(user.read_text()), json.loads(USER_SETTINGS)
    assert data["model"] == original["model"]
    assert data["permissions"] == original["permissions"]
    assert data["env"]["BASH_DEFAULT_TIMEOUT_MS"] == "120000"


def test_a_replacing_save_re_applies_to_user_and_local(applied_dev: AppliedDev) -> None:
    edited = save_profile(applied_dev.profile.replace(region="eu-west-3"), replace=True)

    assert env_of(applied_dev.user)["AWS_REGION"] == "eu-west-3"
    assert env_of(applied_dev.local)["AWS_REGION"] == "eu-west-3"
    users_keys_kept(applied_dev.user)
    assert [(s.scope, s.outcome) for s in edited.settings] == [
        ("user", "updated"),
        ("local", "updated"),
    ]


def test_a_new_key_is_re_applied_from_the_store(git_project: Path) -> None:
    profile = Profile("k", "api-key", SYNC_WS, "us-east-1", api_key_store="file")
    save_profile(profile, {"api_key": KEY})
    apply(profile, {"api_key": KEY}, "user")
    local = apply(profile, {"api_key": KEY}, "local", cwd=git_project).path

    edited = save_profile(profile, {"api_key": KEY2}, replace=True)

    assert read_secrets()["k"]["api_key"] == KEY2
    user = Path.home() / ".claude" / "settings.json"
    assert env_of(user)["ANTHROPIC_AWS_API_KEY"] == KEY2
    assert env_of(local)["ANTHROPIC_AWS_API_KEY"] == KEY2
    assert [s.outcome for s in edited.settings] == ["updated", "updated"]


def test_an_update_with_a_rename_re_applies_and_moves_the_record(
    applied_dev: AppliedDev, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # not in the project: its file is found from the record
    edited = update_profile("dev", applied_dev.profile.replace(name="prod", region="eu-west-3"))

    assert list(read_doc().profiles) == ["prod"]
    for path in (applied_dev.user, applied_dev.local):
        assert env_of(path)["AWS_REGION"] == "eu-west-3"
    assert record.applied_files("dev") == {}
    assert set(record.applied_files("prod")) == {str(applied_dev.user), str(applied_dev.local)}
    assert all("re-applied profile 'prod'" in s.summary() for s in edited.settings)


def test_a_rename_moves_the_record(applied_dev: AppliedDev) -> None:
    edited = rename_profile("dev", "prod")

    assert set(record.applied_files("prod")) == {str(applied_dev.user), str(applied_dev.local)}
    # The isolated apply's `cc-aws-tui credentials dev` follows the new name.
    assert [s.outcome for s in edited.settings] == ["updated", "updated"]
    export = json.loads(applied_dev.user.read_text())["awsCredentialExport"]
    assert export.endswith(" credentials prod")


def test_a_deletion_takes_the_profile_back(applied_dev: AppliedDev) -> None:
    edited = delete_profile("dev")

    assert json.loads(applied_dev.user.read_text()) == json.loads(USER_SETTINGS)
    assert not applied_dev.local.exists()  # created by apply, empty now
    assert record.applied_files("dev") == {}
    assert [s.outcome for s in edited.settings] == ["updated", "updated"]


def test_the_profile_change_stands_when_a_settings_file_cannot_be_updated(
    applied_dev: AppliedDev,
) -> None:
    broken = b"{ not json\n"
    applied_dev.local.write_bytes(broken)

    edited = save_profile(applied_dev.profile.replace(region="eu-west-3"), replace=True)

    assert read_doc().profiles["dev"].region == "eu-west-3"
    assert applied_dev.local.read_bytes() == broken
    assert env_of(applied_dev.user)["AWS_REGION"] == "eu-west-3"
    assert [(s.scope, s.outcome) for s in edited.settings] == [
        ("user", "updated"),
        ("local", "not-updated"),
    ]


def test_a_profile_applied_nowhere_runs_no_key_command(tmp_path: Path) -> None:
    ran = tmp_path / "ran"
    profile = Profile("k", "api-key", SYNC_WS, "us-east-1", api_key_store="command")
    profile = profile.replace(api_key_command=f"touch {ran}; echo {KEY}")
    save_profile(profile)
    edited = save_profile(profile.replace(region="eu-west-3"), replace=True)
    assert edited.settings == ()
    assert not ran.exists()


def test_reapply_puts_a_hand_edited_file_back_in_step(applied_dev: AppliedDev) -> None:
    data = json.loads(applied_dev.user.read_text())
    data["env"]["AWS_REGION"] = "ap-south-1"
    applied_dev.user.write_text(json.dumps(data))

    synced = reapply_profile("dev")

    assert env_of(applied_dev.user)["AWS_REGION"] == "us-east-1"
    users_keys_kept(applied_dev.user)
    assert [(s.scope, s.outcome) for s in synced] == [("user", "updated"), ("local", "unchanged")]
    change = synced[0].change
    assert change is not None
    assert any("replaced your AWS_REGION" in note for note in change.notes)
