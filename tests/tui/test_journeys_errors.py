"""Journeys that go wrong: every validation failure shows its remedy, leaving the wizard asks
first only when there is something to lose, and a broken profiles.toml is shown and left
alone. Driven by keys and clicks against the loopback fakes (see test_journeys.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from textual.widgets import Button, RadioButton

from profiles.core.schema import Profile
from profiles.store import paths
from profiles.store.files import read_doc
from profiles.usecases.edit import save_profile
from tests.fakeplatform import TEST_ACCESS_KEY, TEST_API_KEY, FakePlatformServer
from tests.servers import AwsFiles
from tests.tui.journey import (
    CHECK_TIMEOUT,
    STALE_KEY,
    User,
    choose_auth,
    files_text,
    flat,
    journey,
    key_profile,
    select_row,
    sigv4_profile,
)
from tui.screens.api_key import ApiKeyScreen
from tui.screens.auth import AuthScreen
from tui.screens.aws_profile import AwsProfileScreen
from tui.screens.confirm import ConfirmScreen
from tui.screens.error import ErrorScreen
from tui.screens.home import HomeScreen
from tui.screens.validate import ValidateProfileScreen

# No internet: the `offline` fixture (tests/tui/conftest.py) refuses every host but loopback.
pytestmark = pytest.mark.usefixtures("offline")


# --- 6. Every validation failure shows its remedy ----------------------------------------------


@dataclass(frozen=True)
class Failure:
    """A way for a saved profile to fail, and what the validate screen must then say."""

    id: str
    arrange: Callable[[FakePlatformServer, AwsFiles], Profile]
    row: str  # the first line of the check's row: glyph, title, the summary's start
    remedy: tuple[str, ...]  # words of the remedy (under the row, after →)
    fix: str | None  # the label of the button that opens the profile to fix it
    check_timeout: float = CHECK_TIMEOUT


def _iam_denied(fake: FakePlatformServer, aws: AwsFiles) -> Profile:
    fake.denied_access_keys.add(TEST_ACCESS_KEY)
    return sigv4_profile(fake)


def _bad_key(fake: FakePlatformServer, aws: AwsFiles) -> Profile:
    profile = key_profile(fake)
    save_profile(profile, {"api_key": STALE_KEY})
    return profile


def _wrong_region(fake: FakePlatformServer, aws: AwsFiles) -> Profile:
    return sigv4_profile(fake, region="eu-west-1")


def _unknown_workspace(fake: FakePlatformServer, aws: AwsFiles) -> Profile:
    return sigv4_profile(fake, workspace_id="wrkspc_01NotInThisRegion")


def _federation_disabled(fake: FakePlatformServer, aws: AwsFiles) -> Profile:
    fake.outbound_federation_disabled = True
    return sigv4_profile(fake)


def _hung(fake: FakePlatformServer, aws: AwsFiles) -> Profile:
    fake.delay_seconds = 30  # stopping the server at the end wakes it
    return key_profile(fake)


def _list_denied(fake: FakePlatformServer, aws: AwsFiles) -> Profile:
    fake.deny_list_workspaces = True
    return sigv4_profile(fake)


def _unknown_access_key(fake: FakePlatformServer, aws: AwsFiles) -> Profile:
    aws.add_static("rotated", "AKIAUNKNOWNTOTHEFAKE0", "some/secret")
    return sigv4_profile(fake, aws_profile="rotated")


def _pin_not_offered(fake: FakePlatformServer, aws: AwsFiles) -> Profile:
    return sigv4_profile(fake, models={"opus": "claude-opus-9"})


def _secret_gone(fake: FakePlatformServer, aws: AwsFiles) -> Profile:
    profile = key_profile(fake)
    save_profile(profile, {"api_key": TEST_API_KEY})
    paths.secrets_file().write_text("", encoding="utf-8")  # then secrets.toml was emptied
    return profile


FAILURES = [
    Failure(
        "iam-denied",
        _iam_denied,
        "✗ Claude Platform on AWS HTTP 403: User: arn:aws:sts::123456789012:assumed-role",
        ("managed policy AnthropicInferenceAccess",),
        "AWS profile",
    ),
    Failure(
        "bad-key-401",
        _bad_key,
        "✗ Claude Platform on AWS HTTP 401: invalid x-api-key",
        ("the API key is invalid or revoked", "regenerate it", "API keys"),
        "API key",
    ),
    Failure(
        "wrong-region-signature",
        _wrong_region,
        "✗ Claude Platform on AWS HTTP 403: The request signature we calculated does not match",
        ("signed for eu-west-1", "the workspace's region", "AWS profile dev"),
        "workspace and region",
    ),
    Failure(
        "unknown-workspace-404",
        _unknown_workspace,
        "✗ Claude Platform on AWS HTTP 404: workspace wrkspc_01NotInThisRegion not found",
        ("check the workspace ID", "Workspaces", "workspaces are per region"),
        "workspace and region",
    ),
    Failure(
        "outbound-federation-disabled",
        _federation_disabled,
        "✗ Claude Platform on AWS HTTP 403: Outbound web identity federation is disabled",
        ("aws iam enable-outbound-web-identity-federation",),
        None,  # an account setting: nothing in the profile to edit
    ),
    Failure(
        "hung-server",
        _hung,
        "✗ Claude Platform on AWS no answer from",
        ("check the network, a proxy (HTTPS_PROXY) and the base URL",),
        "workspace and region",
        check_timeout=0.5,
    ),
    Failure(
        "list-workspaces-denied",
        _list_denied,
        "! Workspaces cannot list workspaces (needs aws-external-anthropic:ListWorkspaces)",
        ("fine for Claude Code", "AnthropicReadOnlyAccess"),
        None,  # a warning only: nothing to fix
    ),
    Failure(
        "unknown-access-key",
        _unknown_access_key,
        "✗ Claude Platform on AWS HTTP 403: The security token included in the request is",
        ("aws sso login --profile rotated",),
        "AWS profile",
    ),
    Failure(
        "pin-not-offered",
        _pin_not_offered,
        "✗ Model pins not offered in this workspace: opus=claude-opus-9",
        ("pin one of: claude-fable-5, claude-opus-4-8",),
        "models",
    ),
    Failure(
        "secret-missing",
        _secret_gone,
        "✗ Secrets profile 'beta': its API key",
        ("store the secret again",),
        "API key",
    ),
]


@pytest.mark.parametrize("failure", FAILURES, ids=[f.id for f in FAILURES])
def test_every_validation_failure_shows_its_remedy(
    failure: Failure,
    fake_platform: FakePlatformServer,
    aws_files: AwsFiles,
    sts_endpoint: str,
) -> None:
    aws_files.add_static("dev")
    profile = failure.arrange(fake_platform, aws_files)
    if profile.name not in read_doc().profiles:
        save_profile(profile, {"api_key": TEST_API_KEY} if profile.auth == "api-key" else {})

    async def scenario(user: User) -> None:
        await select_row(user, profile.name)
        await user.press("v")
        await user.on(ValidateProfileScreen)
        text = flat(user.look())
        assert failure.row in text
        for words in failure.remedy:
            assert words in text.split(failure.row, 1)[1], words
        fix_bar = user.screen.query_one("#fix-bar")
        failed = failure.row.startswith("✗")
        if failed:
            assert "failed: see what to do below." in text
        else:
            assert "Ready, with 1 warning(s) to read below." in text
        if failure.fix is None:  # a warning, or a failure no step of the wizard can fix
            assert not fix_bar.display
        else:
            assert fix_bar.display
            assert str(user.screen.query_one("#fix", Button).label) == (
                f"Edit profile: {failure.fix}"
            )
        await user.press("escape")
        await user.on(HomeScreen)
        mark = "✗" if failed else "✓"
        assert user.home_rows()[profile.name]["Checked"] == f"{mark} just now"
        fake_platform.stop()  # ends any request still held by a hung server

    journey(scenario, check_timeout=failure.check_timeout)


# --- 7. Leaving the wizard, and a broken profiles.toml -----------------------------------------


def test_escape_with_answers_asks_first_and_discard_returns_home_then_quits() -> None:
    async def scenario(user: User) -> None:
        await choose_auth(user, "api-key")
        await user.on(ApiKeyScreen)
        await user.press("escape")  # back to the first step
        await user.on(AuthScreen)
        await user.press("escape")  # out of the wizard: answers would be lost
        await user.on(ConfirmScreen)
        assert "Discard this profile?" in user.look()
        await user.press("escape")  # no: stay
        await user.on(AuthScreen)
        assert user.screen.query_one("#api-key", RadioButton).value  # the answer is still there

        await user.press("escape")
        await user.on(ConfirmScreen)
        await user.click("#confirm")  # Discard
        await user.on(HomeScreen)
        assert "No profiles yet" in user.look()
        await user.press("q")
        await user.pilot.pause()

    user = journey(scenario)

    assert user.app.return_code == 0
    assert not paths.profiles_file().exists()


def test_escape_right_after_choosing_on_the_first_step_asks_first() -> None:
    async def scenario(user: User) -> None:
        await user.on(AuthScreen)
        await user.click("#sigv4")  # answered, not yet Next
        await user.press("escape")
        await user.on(ConfirmScreen)
        await user.click("#confirm")
        await user.on(HomeScreen)

    journey(scenario)


def test_leaving_without_changes_asks_nothing_and_a_discarded_edit_changes_nothing(
    saved: dict[str, Profile],
) -> None:
    before = files_text()

    async def scenario(user: User) -> None:
        await user.on(HomeScreen)
        await user.press("n")
        await user.on(AuthScreen)
        await user.press("escape")
        await user.on(HomeScreen)  # nothing to lose: no question

        await select_row(user, "beta")
        await user.press("e")
        await user.on(AuthScreen)
        await user.next()  # unchanged, then back out: no question either
        await user.on(ApiKeyScreen)
        await user.press("escape")
        await user.on(AuthScreen)
        await user.press("escape")
        await user.on(HomeScreen)

        await user.press("e")
        await user.on(AuthScreen)
        await user.click("#sigv4")  # switch beta to SigV4 ...
        await user.next()
        await user.on(AwsProfileScreen)
        await user.press("escape")
        await user.on(AuthScreen)
        await user.press("escape")  # ... then leave
        await user.on(ConfirmScreen)
        await user.click("#confirm")
        await user.on(HomeScreen)
        assert user.home_rows()["beta"]["Auth"] == "api-key"

    journey(scenario)

    assert files_text() == before
    assert read_doc().profiles == saved


@pytest.mark.parametrize(
    ("text", "line", "what"),
    [
        ("[profiles.dev]\nauth = sigv4\n", 2, "Invalid value"),
        (
            (
                'schema = 1\n\n[profiles.dev]\nauth = "sigv4"\nworkspace_id = "wrkspc_01A"\n'
                'region = "nowhere"\n'
            ),
            6,
            "region",
        ),
    ],
    ids=["not-toml", "bad-region"],
)
def test_broken_profiles_toml_shows_file_and_line_and_is_left_alone(
    config_dir: Path, text: str, line: int, what: str
) -> None:
    config_dir.mkdir(parents=True, exist_ok=True)
    broken = config_dir / "profiles.toml"
    broken.write_text(text, encoding="utf-8")
    before = broken.stat().st_mtime_ns

    async def scenario(user: User) -> None:
        await user.on(ErrorScreen)
        shown = flat(user.look())
        assert "profiles.toml cannot be used" in shown
        assert user.static("#error-detail").startswith(f"{broken}:{line}:")
        assert what in shown
        assert "Nothing was changed. Fix the file in an editor" in shown
        await user.press("q")
        await user.pilot.pause()

    user = journey(scenario)

    assert user.app.return_code == 0
    assert broken.read_text(encoding="utf-8") == text
    assert broken.stat().st_mtime_ns == before
    assert sorted(p.name for p in config_dir.iterdir()) == ["profiles.toml"]
