"""claude.sync: a changed profile is re-applied to every settings file it was applied to (taken
back when deleted, its record moved when renamed), file by file, never raising for one; and
the drift the home screen shows is judged without resolving a secret."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from profiles.claude import record
from profiles.claude.apply import apply
from profiles.claude.sync import applied_states, resync
from profiles.claude.write import changed_keys
from profiles.core.schema import Profile
from profiles.store.secrets import SecretError
from tests.applied import SYNC_WS, USER_SETTINGS, AppliedDev

KEY = "sk-ant-api03-Zx9Yw8Vu7Ts6Rq5Po4Nm-f3Qa"
KEY2 = "sk-ant-api03-Second0Key1Value2Here-Wx7Y"


def env_of(path: Path) -> dict[str, Any]:
    env: dict[str, Any] = json.loads(path.read_text())["env"]
    return env


def users_own(path: Path) -> dict[str, Any]:
    """What the user wrote in the user file (tests/conftest.py USER_SETTINGS), as it is now."""
    data = json.loads(path.read_text())
    return {
        "model": data.get("model"),
        "permissions": data.get("permissions"),
        "timeout": data.get("env", {}).get("BASH_DEFAULT_TIMEOUT_MS"),
    }


USERS_OWN = {
    "model": "opus",
    "permissions": {"allow": ["Bash(npm run test:*)"]},
    "timeout": "120000",
}


def no_secrets(profile: Profile) -> Mapping[str, str]:
    return {}


@pytest.fixture
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The working directory is outside the project: the project's file is found from the
    record, not from where the command runs."""
    here = tmp_path / "elsewhere"
    here.mkdir()
    monkeypatch.chdir(here)
    return here


@pytest.mark.usefixtures("elsewhere")
def test_an_edit_is_re_applied_to_the_user_and_the_local_file(applied_dev: AppliedDev) -> None:
    edited = applied_dev.profile.replace(region="eu-west-3", models={"opus": "claude-opus-4-8"})
    results = resync("dev", edited, no_secrets)

    for path in (applied_dev.user, applied_dev.local):
        env = env_of(path)
        assert env["AWS_REGION"] == "eu-west-3"
        assert env["ANTHROPIC_DEFAULT_OPUS_MODEL"] == "claude-opus-4-8"
        assert "AWS_PROFILE" not in env  # isolated: awsCredentialExport signs
    assert users_own(applied_dev.user) == USERS_OWN
    assert {(r.scope, r.path, r.outcome) for r in results} == {
        ("user", applied_dev.user, "updated"),
        ("local", applied_dev.local, "updated"),
    }
    assert [r.change.keys for r in results if r.change] == [
        ("AWS_REGION", "ANTHROPIC_DEFAULT_OPUS_MODEL")
    ] * 2
    line = next(r for r in results if r.scope == "user").summary()
    assert line == (
        f"updated {applied_dev.user} (user): re-applied profile 'dev'"
        " (AWS_REGION, ANTHROPIC_DEFAULT_OPUS_MODEL)"
    )
    assert record.applied_files("dev")[str(applied_dev.local)]["env"]["AWS_REGION"] == "eu-west-3"


def test_nothing_changed_is_reported_unchanged(applied_dev: AppliedDev) -> None:
    before = applied_dev.user.read_bytes()
    results = resync("dev", applied_dev.profile, no_secrets)
    assert [r.outcome for r in results] == ["unchanged", "unchanged"]
    assert applied_dev.user.read_bytes() == before
    assert "it already holds profile 'dev'" in results[0].summary()


@pytest.mark.usefixtures("elsewhere")
def test_a_rename_moves_the_record_and_keeps_the_files(applied_dev: AppliedDev) -> None:
    user_before, local_before = applied_dev.user.read_bytes(), applied_dev.local.read_bytes()
    results = resync("dev", applied_dev.profile.replace(name="prod"), no_secrets)

    # Isolated: awsCredentialExport names the profile (`cc-aws-tui credentials dev`), so a
    # rename must rewrite it, or Claude Code would ask for a profile that is gone.
    assert [r.outcome for r in results] == ["updated", "updated"]
    assert record.applied_files("dev") == {}
    assert set(record.applied_files("prod")) == {str(applied_dev.user), str(applied_dev.local)}
    for path, before in ((applied_dev.user, user_before), (applied_dev.local, local_before)):
        after = json.loads(path.read_text())
        assert after["awsCredentialExport"].endswith(" credentials prod")
        assert {**after, "awsCredentialExport": None} == {
            **json.loads(before),
            "awsCredentialExport": None,
        }


@pytest.mark.usefixtures("elsewhere")
def test_a_deletion_takes_the_profile_back(applied_dev: AppliedDev) -> None:
    results = resync("dev", None, no_secrets)

    assert json.loads(applied_dev.user.read_text()) == json.loads(USER_SETTINGS)
    assert not applied_dev.local.exists()  # apply had created it; now empty
    assert record.applied_files("dev") == {}
    assert [r.outcome for r in results] == ["updated", "updated"]
    took_back = f"updated {applied_dev.user} (user): took back profile 'dev' ("
    assert results[0].summary().startswith(took_back + "CLAUDE_CODE_USE_ANTHROPIC_AWS, ")


@pytest.mark.usefixtures("elsewhere")
def test_an_unparseable_file_is_reported_and_left_byte_identical(applied_dev: AppliedDev) -> None:
    broken = b'{"env": {"AWS_REGION": "us-east-1",}}\n'
    applied_dev.local.write_bytes(broken)

    results = resync("dev", applied_dev.profile.replace(region="eu-west-3"), no_secrets)

    assert applied_dev.local.read_bytes() == broken
    assert env_of(applied_dev.user)["AWS_REGION"] == "eu-west-3"  # the other file still is
    local = next(r for r in results if r.scope == "local")
    assert local.outcome == "not-updated"
    assert f"{applied_dev.local}:1:" in local.reason
    assert local.fix == f"cd {applied_dev.project} && cc-aws-tui apply dev --scope local"
    assert local.summary().startswith(f"⚠ not updated {applied_dev.local} (local): ")
    assert local.summary().endswith(f"; fix that, then run: {local.fix}")

    deleted = resync("dev", None, no_secrets)
    assert applied_dev.local.read_bytes() == broken
    assert [r.fix for r in deleted if r.outcome == "not-updated"] == [
        f"cd {applied_dev.project} && cc-aws-tui unapply --scope local"
    ]


def test_secrets_are_resolved_once_and_only_when_there_is_a_file(
    git_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    profile = Profile("k", "api-key", SYNC_WS, "us-east-1", api_key_store="file")
    calls: list[str] = []

    def resolve(p: Profile) -> Mapping[str, str]:
        calls.append(p.name)
        return {"api_key": KEY2}

    assert resync("k", profile, resolve) == []
    assert calls == []  # applied nowhere: no key command runs for nothing

    apply(profile, {"api_key": KEY}, "user")
    apply(profile, {"api_key": KEY}, "local", cwd=git_project)
    results = resync("k", profile, resolve)
    assert calls == ["k"]
    assert [r.outcome for r in results] == ["updated", "updated"]
    local = git_project / ".claude" / "settings.local.json"
    assert env_of(local)["ANTHROPIC_AWS_API_KEY"] == KEY2  # the rotated key
    assert record.applied_files("k")[str(local)]["env"]["ANTHROPIC_AWS_API_KEY"] == (
        record.fingerprint("ANTHROPIC_AWS_API_KEY", KEY2)
    )
    assert all(KEY2 not in r.summary() for r in results)


def test_a_secret_that_cannot_be_had_leaves_every_file_as_it_was(
    git_project: Path,
) -> None:
    profile = Profile("k", "api-key", SYNC_WS, "us-east-1", api_key_store="file")
    user = apply(profile, {"api_key": KEY}, "user").path
    local = apply(profile, {"api_key": KEY}, "local", cwd=git_project).path
    before = user.read_bytes()
    calls: list[str] = []

    def locked(p: Profile) -> Mapping[str, str]:
        calls.append(p.name)
        raise SecretError("profile 'k': its API key: the keyring failed (KeyringLocked)")

    results = resync("k", profile.replace(region="eu-west-3"), locked)
    assert user.read_bytes() == before
    assert env_of(local)["AWS_REGION"] == "us-east-1"
    assert calls == ["k"]  # asked once, not once per file
    assert [(r.outcome, r.fix) for r in results] == [
        ("not-updated", "cc-aws-tui apply k --scope user"),
        ("not-updated", f"cd {git_project} && cc-aws-tui apply k --scope local"),
    ]
    assert all("its secrets could not be had" in r.reason for r in results)
    assert all("KeyringLocked" in r.reason for r in results)


def test_a_file_applied_with_another_profile_since_is_not_touched(
    applied_dev: AppliedDev,
) -> None:
    other = Profile("prod", "sigv4", SYNC_WS, "eu-west-1", aws_profile="prod-sso")
    apply(other, {}, "user")
    before = applied_dev.user.read_bytes()
    results = resync("dev", applied_dev.profile.replace(region="eu-west-3"), no_secrets)
    assert [r.scope for r in results] == ["local"]
    assert applied_dev.user.read_bytes() == before
    assert env_of(applied_dev.user)["AWS_REGION"] == "eu-west-1"


@pytest.mark.usefixtures("elsewhere")
def test_a_project_that_is_gone_is_forgotten_and_never_recreated(applied_dev: AppliedDev) -> None:
    shutil.rmtree(applied_dev.project)
    results = resync("dev", applied_dev.profile.replace(region="eu-west-3"), no_secrets)

    assert not applied_dev.project.exists()
    local = next(r for r in results if r.scope == "local")
    assert (local.outcome, local.fix) == ("not-updated", "")
    assert local.summary() == (
        f"⚠ not updated {applied_dev.local} (local): the project {applied_dev.project} is gone"
        " (moved or deleted): cc-aws-tui no longer tracks it; if it moved, apply it there again"
    )
    assert str(applied_dev.local) not in record.applied_files("dev")
    assert env_of(applied_dev.user)["AWS_REGION"] == "eu-west-3"
    assert [r.scope for r in resync("dev", None, no_secrets)] == ["user"]  # forgotten


def test_a_file_that_now_belongs_to_another_project_is_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if shutil.which("git") is None:
        pytest.skip("needs git")
    outer = tmp_path / "outer"
    inner = outer / "inner"
    inner.mkdir(parents=True)
    profile = Profile("dev", "sigv4", SYNC_WS, "us-east-1")
    change = apply(profile, {}, "local", cwd=inner)  # no repository: inner is the project
    subprocess.run(["git", "init", "-q", str(outer)], check=True)  # now outer is
    before = change.path.read_bytes()

    results = resync("dev", profile.replace(region="eu-west-3"), no_secrets)

    assert change.path.read_bytes() == before
    assert not (outer / ".claude").exists()
    assert [(r.outcome, r.fix) for r in results] == [("not-updated", "")]
    assert f"now inside the project {outer}" in results[0].reason


def test_a_broken_record_is_reported_not_raised(applied_dev: AppliedDev) -> None:
    record.state_path().write_text("{broken")
    results = resync("dev", None, no_secrets)
    assert [(r.scope, r.path, r.outcome) for r in results] == [
        (None, record.state_path(), "not-updated")
    ]
    assert env_of(applied_dev.user)["AWS_REGION"] == "us-east-1"  # nothing was touched


# --- drift ------------------------------------------------------------------------------------


def states(profile: Profile) -> dict[str, tuple[str, tuple[str, ...]]]:
    return {s.scope: (s.state, s.keys) for s in applied_states(profile)}


def test_in_step_until_edited_by_hand_or_changed_outside(
    applied_dev: AppliedDev, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(applied_dev.project)
    assert states(applied_dev.profile) == {"user": ("in-step", ()), "local": ("in-step", ())}
    assert all(s.here for s in applied_states(applied_dev.profile))

    data = json.loads(applied_dev.user.read_text())
    data["env"]["AWS_REGION"] = "ap-south-1"  # edited by hand
    data["env"]["CLAUDE_CODE_USE_BEDROCK"] = "1"
    applied_dev.user.write_text(json.dumps(data))
    # The profile changed without cc-aws-tui re-applying it (profiles.toml edited by hand).
    changed = applied_dev.profile.replace(models={"sonnet": "claude-sonnet-5"})
    sonnet = "ANTHROPIC_DEFAULT_SONNET_MODEL"
    assert states(changed) == {
        "user": ("drifted", ("AWS_REGION", "CLAUDE_CODE_USE_BEDROCK", sonnet)),
        "local": ("drifted", (sonnet,)),
    }

    applied_dev.local.write_text("{broken")
    local = next(s for s in applied_states(changed) if s.scope == "local")
    assert local.state == "unusable"
    assert f"{applied_dev.local}:1:" in local.reason
    applied_dev.user.unlink()
    assert states(changed)["user"] == ("drifted", ())


def test_here_says_which_files_claude_code_reads_from_the_working_directory(
    applied_dev: AppliedDev, elsewhere: Path
) -> None:
    here = {s.scope: s.here for s in applied_states(applied_dev.profile)}
    assert here == {"user": True, "local": False}


def test_drift_never_resolves_a_secret(git_project: Path, tmp_path: Path) -> None:
    ran = tmp_path / "key-command-ran"
    command = f"touch {ran}; echo {KEY}"
    profile = Profile("k", "api-key", SYNC_WS, "us-east-1", api_key_store="command")
    profile = profile.replace(api_key_command=command)
    apply(profile, {"api_key": KEY}, "local", cwd=git_project)
    local = git_project / ".claude" / "settings.local.json"

    assert [(s.state, s.keys) for s in applied_states(profile)] == [("in-step", ())]
    data = json.loads(local.read_text())
    data["env"]["ANTHROPIC_AWS_API_KEY"] = KEY2  # pasted by hand
    local.write_text(json.dumps(data))
    [state] = applied_states(profile)
    assert (state.state, state.keys) == ("drifted", ("ANTHROPIC_AWS_API_KEY",))
    assert "API key" in state.reason
    assert KEY2 not in state.reason
    assert not ran.exists()


def test_changed_keys_names_env_variables_and_other_keys_in_file_order() -> None:
    before = {"model": "opus", "env": {"A": "1", "B": "2"}, "awsAuthRefresh": "x"}
    after = {"model": "opus", "env": {"B": "3", "C": "4"}}
    assert changed_keys(before, after) == ("A", "B", "C", "awsAuthRefresh")
    assert changed_keys({}, {"env": {"A": "1"}}) == ("A",)
    assert changed_keys({"env": "odd"}, {"env": {"A": "1"}}) == ("env",)
    assert changed_keys(before, before) == ()
