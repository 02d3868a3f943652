"""Whole journeys through the TUI, driven from `make_app()` by keys and clicks as a user would.

Every journey talks to loopback servers only: the fake Claude Platform on AWS (its base URL
typed into the workspace step's Advanced section, or saved in the profile), moto's STS and a
fake SSO portal. A guard refuses to resolve any host but loopback, so nothing here can reach
the internet: the wizard's first workspace listing, against the default endpoint, fails fast
and says so, exactly as it would offline.

Long values (base URLs, workspace IDs, tokens, the tail of the API key) are pasted, as a user
would paste them (a bracketed paste from the terminal); everything else is typed key by key.
The tests are plain functions running `asyncio.run` (no async pytest plugin); they wait on
workers and the message queue (`wait_for_complete`, `pause`), never on time.

This module: the wizard from first run to export, one journey per kind of profile. The home
screen's actions are in test_journeys_home.py; failures, leaving, broken files in
test_journeys_errors.py.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from textual.widgets import Button

from profiles.core.schema import Profile
from profiles.store import history, paths
from profiles.store.files import read_doc, read_secrets
from tests.fakeplatform import (
    GATEWAY_TOKEN,
    TEMP_ACCESS_KEY,
    TEST_ACCESS_KEY,
    TEST_API_KEY,
    WORKSPACE_A,
    WORKSPACE_B,
    FakePlatformServer,
)
from tests.servers import SSO_ACCESS_TOKEN, AwsFiles, FakeSsoPortal
from tests.tui.journey import (
    KEY_CHECKS,
    SIGV4_CHECKS,
    User,
    choose_auth,
    choose_region,
    export_vars,
    files_text,
    flat,
    journey,
    pick_aws_profile,
    pick_workspace,
    replace_text,
    save_as,
    set_base_url,
    through_to_validate,
)
from tui.screens.api_key import ApiKeyScreen
from tui.screens.aws_profile import AwsProfileScreen
from tui.screens.home import HomeScreen
from tui.screens.models import ModelsScreen
from tui.screens.save import SaveScreen
from tui.screens.validate import ValidateStepScreen
from tui.screens.workspace import WorkspaceScreen

# No internet: the `offline` fixture (tests/tui/conftest.py) refuses every host but loopback.
pytestmark = pytest.mark.usefixtures("offline")


# --- 1. SigV4 with a static AWS profile --------------------------------------------------------


def test_sigv4_static_profile_from_first_run_to_export(
    fake_platform: FakePlatformServer,
    aws_files: AwsFiles,
    sts_endpoint: str,
    offline: list[str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    aws_files.add_static(
        "prod-admin", "AKIAEXAMPLEPROD00001", "not/a/real/secret", region="us-west-2"
    )
    aws_files.add_static("dev")
    aws_files.add_static("devops-ro", region="eu-west-1")

    async def scenario(user: User) -> None:
        await choose_auth(user, "sigv4")
        await pick_aws_profile(user, "dev east", "1 of 3 AWS profiles match")

        await user.on(WorkspaceScreen)
        assert user.value("#workspace-id") == ""
        # Offline, the default endpoint cannot be reached: the step says so in one line.
        assert "Cannot list workspaces: cannot resolve" in flat(user.look())
        await set_base_url(user, fake_platform.base_url)
        assert user.static("#endpoint") == f"Requests go to {fake_platform.base_url} (override)"
        assert user.static("#ws-status").startswith("2 workspace(s) in us-east-1")
        await pick_workspace(user, WORKSPACE_B)
        await user.next()

        await user.on(ModelsScreen)
        assert "Offered here: claude-fable-5" in user.look()
        await user.click("#model-opus")
        await user.type("c")
        await user.settle()
        await user.press("right")  # accept the suggestion: the opus family comes first
        assert user.value("#model-opus") == "claude-opus-4-8"
        await user.click("#ttl-1h")
        await user.next()

        await user.on(ValidateStepScreen)
        assert user.checks() == dict.fromkeys(SIGV4_CHECKS, "pass")
        text = user.look()
        assert "Ready: every check passed." in text
        assert "✓ AWS identity" in text
        await user.next()

        await user.on(SaveScreen)
        assert user.value("#name") == "dev"  # offered: the AWS profile's name
        assert "export ENABLE_PROMPT_CACHING_1H=1;" in user.static("#preview")
        await user.press("enter")

        await user.on(HomeScreen)
        row = user.home_rows()["dev"]
        assert row[""] == "●"  # current
        # At 100 columns the table leaves the workspace out (it fits from 124); the file has it.
        assert "Workspace" not in row
        assert [row[c] for c in ("Auth", "Credentials", "Region", "TTL")] == [
            "sigv4",
            "dev",
            "us-east-1",
            "1h",
        ]
        assert read_doc().profiles["dev"].workspace_id == WORKSPACE_B
        assert "opus" in row["Pins"]
        assert row["Checked"].startswith("✓")  # the wizard's validation, recorded on save
        assert "Current profile: dev." in user.static("#home-hint")
        assert any(n.startswith("Saved dev:") for n in user.notes)

    journey(scenario)

    doc = read_doc()
    assert doc.current == "dev"
    assert doc.profiles["dev"] == Profile(
        name="dev",
        auth="sigv4",
        workspace_id=WORKSPACE_B,
        region="us-east-1",
        aws_profile="dev",
        base_url=fake_platform.base_url,
        models={"opus": "claude-opus-4-8"},
        cache_ttl="1h",
    )
    assert history.load()["dev"]["ok"] is True
    exported = export_vars("dev", capsys)
    assert exported == {
        "CLAUDE_CODE_USE_ANTHROPIC_AWS": "1",
        "ANTHROPIC_AWS_WORKSPACE_ID": WORKSPACE_B,
        "AWS_REGION": "us-east-1",
        "AWS_PROFILE": "dev",
        "ANTHROPIC_AWS_BASE_URL": fake_platform.base_url,
        "ANTHROPIC_DEFAULT_OPUS_MODEL": "claude-opus-4-8",
        "ENABLE_PROMPT_CACHING_1H": "1",
        "CC_AWS_TUI_PROFILE": "dev",
        "CC_AWS_TUI_AWS_PROFILE": "dev",
    }
    # Signed as Claude Code would sign, with the static key; the default endpoint was never
    # reached (only refused by the offline guard).
    signed = [r for r in fake_platform.requests if r.path.startswith("/v1/")]
    assert signed
    assert {r.auth for r in signed} == {"sigv4"}
    assert all(TEST_ACCESS_KEY in r.headers["authorization"] for r in signed)
    assert set(offline) == {"aws-external-anthropic.us-east-1.api.aws"}
    assert fake_platform.errors == []


# --- 2. SigV4 with SSO -------------------------------------------------------------------------


@pytest.fixture
def sso_profile(aws_files: AwsFiles, sso_portal: FakeSsoPortal, sts_endpoint: str) -> AwsFiles:
    """An sso-session profile `sso-dev` (the portal hands out the fake platform's temporary
    credentials for it) next to a static one."""
    aws_files.add_static("static-admin", region="us-west-2")
    aws_files.add_sso_session("corp")
    aws_files.add_sso_profile("sso-dev", session="corp")
    return aws_files


@contextlib.contextmanager
def headless_suspend() -> Iterator[None]:
    """`App.suspend` for the headless driver, which cannot hand the terminal over."""
    yield


def test_sso_expired_token_warns_fails_with_the_login_then_fix_login_and_validate(
    fake_platform: FakePlatformServer,
    sso_profile: AwsFiles,
    sso_portal: FakeSsoPortal,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Expired token: warned on the AWS-profile step, ✗ with `aws sso login --profile X` on
    the checklist; Fix goes back to the AWS-profile step, whose login action (a stand-in
    `aws` on PATH) caches a valid token; then the same profile validates ✓ with the portal's
    temporary credentials and is saved, the answers of the later steps intact."""
    # What `aws sso login` will write, then the expired token it replaces.
    fresh = sso_profile.write_sso_token(session="corp").read_text(encoding="utf-8")
    token_file = sso_profile.write_sso_token(
        session="corp", access_token="expired-token", expires_in=dt.timedelta(hours=-1)
    )
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "fresh.json").write_text(fresh, encoding="utf-8")
    calls = tmp_path / "aws-calls.txt"
    aws = bin_dir / "aws"
    aws.write_text(
        f"#!/bin/sh\necho \"$@\" >> '{calls}'\ncat '{bin_dir}/fresh.json' > '{token_file}'\n"
    )
    aws.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")

    async def scenario(user: User) -> None:
        monkeypatch.setattr(user.app, "suspend", headless_suspend)
        await choose_auth(user, "sigv4")
        await user.on(AwsProfileScreen)
        await user.type("sso")
        await user.settle()
        assert "sso-dev: SSO" in user.static("#aws-detail")
        text = flat(user.look())
        assert "⚠ SSO token has expired: aws sso login --profile sso-dev" in text
        assert "^l SSO login" in text  # the footer offers the login
        await user.press("enter")  # a warning, not a blocker

        await user.on(WorkspaceScreen)
        await set_base_url(user, fake_platform.base_url)
        # No credentials, no list: the step says why, and the ID is typed instead.
        assert "has expired or is missing" in user.static("#ws-status")
        await user.click("#workspace-id")
        await user.paste(WORKSPACE_A)
        await user.next()

        await user.on(ModelsScreen)
        assert user.static("#models-offered").startswith("Model list unavailable:")
        # For SSO, Claude Code's awsAuthRefresh is offered with the login command.
        assert user.value("#auth-refresh") == "aws sso login --profile sso-dev"
        await user.next()

        await user.on(ValidateStepScreen)
        checks = user.checks()
        assert checks["credentials"] == "fail"
        assert {checks[i] for i in ("identity", "platform", "models", "workspaces")} == {"skip"}
        text = flat(user.look())
        assert "✗ AWS credentials the SSO session of the AWS profile 'sso-dev' has expired" in text
        assert "→ run `aws sso login --profile sso-dev`" in text
        assert not user.next_enabled()
        assert str(user.screen.query_one("#fix", Button).label) == "Fix: AWS profile"
        await user.click("#fix")

        await user.on(AwsProfileScreen)  # back where the AWS profile is chosen
        assert user.screen.query_one("#sso-box").display
        await user.click("#sso-login")  # runs `aws sso login`, then re-checks the token
        await user.settle()
        assert not user.screen.query_one("#sso-box").display
        await user.next()

        # The answers given after this step are still there.
        await user.on(WorkspaceScreen)
        assert user.value("#workspace-id") == WORKSPACE_A
        assert user.value("#base-url") == fake_platform.base_url
        assert user.static("#ws-status").startswith("2 workspace(s) in us-east-1")
        await through_to_validate(user)
        assert user.checks() == dict.fromkeys(SIGV4_CHECKS, "pass")
        assert "(temporary)" in user.look()
        await user.next()
        await save_as(user, "sso-dev")

    journey(scenario)

    assert calls.read_text().split() == ["sso", "login", "--profile", "sso-dev"]
    saved = read_doc().profiles["sso-dev"]
    assert (saved.aws_profile, saved.workspace_id) == ("sso-dev", WORKSPACE_A)
    assert saved.base_url == fake_platform.base_url
    assert saved.aws_auth_refresh == "aws sso login --profile sso-dev"
    # The portal was only ever asked with the fresh token; the platform saw its temporary key.
    assert {r.token for r in sso_portal.requests} == {SSO_ACCESS_TOKEN}
    signed = [r for r in fake_platform.requests if r.auth == "sigv4"]
    assert signed
    assert all(TEMP_ACCESS_KEY in r.headers["authorization"] for r in signed)


# --- 3. API key --------------------------------------------------------------------------------


def test_api_key_typed_masked_validated_and_kept_out_of_profiles_toml(
    fake_platform: FakePlatformServer, capsys: pytest.CaptureFixture[str]
) -> None:
    async def scenario(user: User) -> None:
        await choose_auth(user, "api-key")

        await user.on(ApiKeyScreen)
        await user.type("sk-ant")
        assert "•" * 6 in user.look()  # masked as it is typed
        await user.type("-")
        await user.paste(TEST_API_KEY.removeprefix("sk-ant-"))  # the rest from the clipboard
        assert user.value("#api-key-input") == TEST_API_KEY
        assert "•" * len(TEST_API_KEY) in user.look()
        await user.next()

        await user.on(WorkspaceScreen)
        assert user.static("#endpoint") == "Pick a region to see the endpoint."
        await choose_region(user, "us-east-1")
        await set_base_url(user, fake_platform.base_url)
        user.look()
        await pick_workspace(user, WORKSPACE_A)
        await user.next()

        await user.on(ModelsScreen)
        assert not user.screen.query("#auth-refresh")  # SigV4 only
        user.look()
        await user.next()

        await user.on(ValidateStepScreen)
        assert user.checks() == {**dict.fromkeys(KEY_CHECKS, "pass"), "env": "warn"}  # key exposed
        assert "✓ Secrets API key found" in flat(user.look())
        await user.next()

        await user.on(SaveScreen)
        assert "export ANTHROPIC_AWS_API_KEY='sk-ant-…0001';" in user.static("#preview")
        user.look()
        await replace_text(user, "#name", "team")
        await user.press("enter")

        await user.on(HomeScreen)
        assert user.home_rows()["team"]["Credentials"] == "sk-ant-…0001"
        user.look()

    user = journey(scenario)

    seen = "\n".join(user.seen + user.notes)
    assert len(user.seen) >= 14
    assert TEST_API_KEY not in seen
    assert TEST_API_KEY[7:] not in seen  # nor its secret part, in any rendering
    profiles_toml, secrets_toml = files_text()
    assert TEST_API_KEY not in profiles_toml
    assert TEST_API_KEY in secrets_toml
    assert read_secrets()["team"] == {"api_key": TEST_API_KEY}
    assert read_doc().profiles["team"].api_key_store == "file"
    assert paths.secrets_file().stat().st_mode & 0o077 == 0
    assert export_vars("team", capsys)["ANTHROPIC_AWS_API_KEY"] == TEST_API_KEY
    assert {r.auth for r in fake_platform.requests} == {"api_key"}


@pytest.mark.parametrize("store", ["keyring", "command"])
def test_api_key_kept_in_the_keyring_or_by_a_key_command_as_chosen(
    store: str,
    fake_platform: FakePlatformServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The API-key step offers the store's three places; the saved profile holds the choice,
    the key is never in secrets.toml, and export still prints it."""
    key_file = tmp_path / "key.txt"
    key_file.write_text(TEST_API_KEY + "\n")
    command = f"cat {key_file}"

    async def scenario(user: User) -> None:
        await choose_auth(user, "api-key")

        await user.on(ApiKeyScreen)
        await user.click(f"#store-{store}")
        await user.settle()
        if store == "command":
            assert not user.screen.query_one("#api-key").display  # no key to type
            await user.click("#key-command")
            await user.paste(command)
        else:
            await user.click("#api-key-input")
            await user.paste(TEST_API_KEY)
        user.look()
        await user.next()

        await user.on(WorkspaceScreen)
        await choose_region(user, "us-east-1")
        await set_base_url(user, fake_platform.base_url)
        if store == "command":  # the list needs a key in hand: the command runs at the check
            await user.click("#workspace-id")
            await user.paste(WORKSPACE_A)
        else:
            await pick_workspace(user, WORKSPACE_A)
        await user.next()
        await user.on(ModelsScreen)
        await user.next()

        await user.on(ValidateStepScreen)
        assert user.checks()["platform"] == "pass"
        await user.next()
        await save_as(user, "vault")

    user = journey(scenario)

    assert TEST_API_KEY not in "\n".join(user.seen + user.notes)
    saved = read_doc().profiles["vault"]
    assert saved.api_key_store == store
    assert saved.api_key_command == (command if store == "command" else None)
    profiles_toml, secrets_toml = files_text()
    assert TEST_API_KEY not in profiles_toml
    assert TEST_API_KEY not in secrets_toml
    assert export_vars("vault", capsys)["ANTHROPIC_AWS_API_KEY"] == TEST_API_KEY


# --- 4. A gateway that signs -------------------------------------------------------------------


def test_gateway_signs_skips_aws_credentials_and_exports_the_token(
    fake_platform_factory: Callable[..., FakePlatformServer],
    capsys: pytest.CaptureFixture[str],
) -> None:
    gateway = fake_platform_factory(gateway_mode=True)

    async def scenario(user: User) -> None:
        await choose_auth(user, "sigv4")
        await user.on(AwsProfileScreen)
        assert user.static("#aws-count") == "0 AWS profiles"
        await user.next()  # the default credential chain

        await user.on(WorkspaceScreen)
        await choose_region(user, "us-east-1")
        await user.click("#advanced CollapsibleTitle")
        await user.click("#base-url")
        await user.paste(gateway.base_url)
        # Leaving the field lists the workspaces there; the list showing up moves the switch
        # down, so a click that also blurs the field can land where the switch was.
        await user.press("tab")
        await user.settle()
        await user.click("#gateway-signs")
        await user.click("#gateway-token-input")
        await user.paste(GATEWAY_TOKEN)
        assert "•" * len(GATEWAY_TOKEN) in user.look()
        await user.press("tab")
        await user.settle()
        await pick_workspace(user, WORKSPACE_A)
        await user.next()

        await user.on(ModelsScreen)
        assert not user.screen.query("#auth-refresh")  # the gateway refreshes credentials
        await user.next()

        await user.on(ValidateStepScreen)
        assert user.checks() == {
            **dict.fromkeys(SIGV4_CHECKS, "pass"),
            "secret": "pass",
            "credentials": "skip",
            "identity": "skip",
        }
        assert "the gateway signs requests" in user.look()
        await user.next()
        await save_as(user, "gw")
        assert user.home_rows()["gw"]["Credentials"] == "gateway signs"
        user.look()

    user = journey(scenario)

    # Nothing was ever signed. Only the listing asked before the token was typed went without
    # it (and was refused); from then on every request carried the token.
    requests = gateway.requests
    for request in requests:
        assert not request.headers.get("authorization", "").startswith("AWS4-HMAC-SHA256")
        assert "x-amz-date" not in request.headers
        assert "x-amz-security-token" not in request.headers
    first = next(i for i, r in enumerate(requests) if r.auth == "gateway")
    assert {(r.path, r.status) for r in requests[:first]} <= {("/v1/organizations/workspaces", 401)}
    assert {r.auth for r in requests[first:]} == {"gateway"}
    assert {r.headers["authorization"] for r in requests[first:]} == {f"Bearer {GATEWAY_TOKEN}"}
    assert "/v1/models" in {r.path for r in requests[first:]}
    assert GATEWAY_TOKEN not in "\n".join(user.seen + user.notes)
    assert GATEWAY_TOKEN not in files_text()[0]  # profiles.toml
    assert read_secrets()["gw"] == {"gateway_token": GATEWAY_TOKEN}
    saved = read_doc().profiles["gw"]
    assert (saved.aws_profile, saved.gateway_signs, saved.gateway_token_store) == (
        None,
        True,
        "file",
    )
    exported = export_vars("gw", capsys)
    assert exported["CLAUDE_CODE_SKIP_ANTHROPIC_AWS_AUTH"] == "1"
    assert exported["ANTHROPIC_AUTH_TOKEN"] == GATEWAY_TOKEN
    assert exported["ANTHROPIC_AWS_BASE_URL"] == gateway.base_url
    assert "AWS_PROFILE" not in exported
