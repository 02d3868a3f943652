"""Pilot tests of the AWS profile picker step: the profiles it finds, SSO sign-in, and what it
posts up.

Each test pushes one step screen on the real app (built by `make_app`) and watches what the
step posts up (`StepCompleted`) through `run_test(message_hook=...)`. The app's own move to
the next step is recorded instead of performed, so these tests do not depend on the other
steps' screens.
"""

from __future__ import annotations

import contextlib
import json
import os
import statistics
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList, Static

from tests.tui.steps import (
    PROD_CREDENTIALS,
    SSO_CONFIG,
    Run,
    aws_file,
    aws_screen,
    drive,
    highlighted_id,
    option_ids,
    write_sso_token,
)
from tui.state import Draft

# --- AWS profile picker --------------------------------------------------------------------


def prompts(run: Run) -> list[str]:
    """The text of each option of the list, in order (the default chain first)."""
    options = run.screen.query_one("#aws-profiles", OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


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


def test_unreadable_config_shows_the_file_and_the_default_chain_still_works(
    pushed_steps: list[str],
) -> None:
    config = Path(os.environ["AWS_CONFIG_FILE"])
    os.mkfifo(config)  # would block a reader forever

    async def scenario(run: Run) -> None:
        error = run.screen.query_one("#aws-config-error", Static)
        assert error.display
        assert f"{config}: is a named pipe (FIFO)" in run.text("#aws-config-error")
        assert "default credential chain still works" in run.text("#aws-config-error")
        assert option_ids(run) == ["default-chain"]
        assert run.next_enabled()
        await run.pilot.press("enter")
        await run.settle()
        assert run.completed[-1].draft.aws_profile is None

    drive(aws_screen(), scenario)


def test_a_profile_the_aws_cli_reads_differently_is_marked_and_says_how(
    pushed_steps: list[str],
) -> None:
    # The AWS CLI reads the region of `odd` with its comment; Claude Code without.
    aws_file(
        "AWS_CONFIG_FILE",
        "[profile ok]\nregion = us-east-1\n[profile odd]\nregion = eu-west-1 # Ireland\n",
    )

    async def scenario(run: Run) -> None:
        assert not run.screen.query_one("#aws-config-error", Static).display
        assert run.text("#aws-count") == "2 AWS profiles · ⚠ 1 read differently by the AWS CLI"
        assert [prompt.endswith("⚠") for prompt in prompts(run)] == [False, True, False]
        await run.pilot.press(*"odd")
        await run.settle()
        detail = run.text("#aws-detail")
        assert "odd: ? · region eu-west-1" in detail
        assert (
            "⚠ the AWS CLI and Claude Code read this profile differently: region: Claude Code "
            "uses eu-west-1, the AWS CLI uses a value that is not a region name"
        ) in " ".join(detail.split())

    drive(aws_screen(), scenario)


def test_a_file_the_aws_cli_refuses_leaves_every_profile_listed(
    pushed_steps: list[str],
) -> None:
    config = aws_file("AWS_CONFIG_FILE", "[profile ok]\nregion = us-east-1\nthis line is bad\n")

    async def scenario(run: Run) -> None:
        assert not run.screen.query_one("#aws-config-error", Static).display
        assert option_ids(run) == ["default-chain", "p0"]
        await run.pilot.press(*"ok")
        await run.settle()
        assert f"the AWS CLI refuses {config}:3:" in " ".join(run.text("#aws-detail").split())
        await run.pilot.press("enter")
        await run.settle()
        assert run.completed[-1].draft.aws_profile == "ok"

    drive(aws_screen(), scenario)


def test_the_drafts_profile_only_the_aws_cli_reads_says_so(pushed_steps: list[str]) -> None:
    aws_file("AWS_CONFIG_FILE", '[profile "my dev"]\nregion = us-east-1\n')
    draft = Draft(auth="sigv4", aws_profile="my dev", aws_profile_kind="unknown")

    async def scenario(run: Run) -> None:
        assert highlighted_id(run) == "missing"
        assert prompts(run)[1].endswith("only the AWS CLI reads it")
        assert "Claude Code does not see it" in " ".join(run.text("#aws-detail").split())

    drive(aws_screen(draft), scenario)


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
