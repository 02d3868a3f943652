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
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import html
import os
import re
import socket
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.message import Message
from textual.notifications import Notify
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Button, DataTable, Input, OptionList, RadioButton, Select, Static

from profiles.cli import main as cli_main
from profiles.core.schema import Profile
from profiles.store import history, paths
from profiles.store.files import read_doc, read_secrets
from profiles.usecases.edit import save_profile
from tests.fakeplatform import (
    GATEWAY_TOKEN,
    TEMP_ACCESS_KEY,
    TEST_ACCESS_KEY,
    TEST_API_KEY,
    WORKSPACE_A,
    WORKSPACE_B,
    FakePlatformServer,
    fake_platform,
    fake_platform_factory,
)
from tests.servers import (
    SSO_ACCESS_TOKEN,
    AwsFiles,
    FakeSsoPortal,
    aws_files,
    moto_server,
    sso_portal,
    sts_endpoint,
)
from tui.app import CcAwsTuiApp, make_app
from tui.screens.api_key import ApiKeyScreen
from tui.screens.auth import AuthScreen
from tui.screens.aws_profile import AwsProfileScreen
from tui.screens.base import StepScreen
from tui.screens.confirm import ConfirmScreen
from tui.screens.error import ErrorScreen
from tui.screens.home import HomeScreen
from tui.screens.models import ModelsScreen
from tui.screens.save import SaveScreen
from tui.screens.validate import ValidateProfileScreen, ValidateStepScreen
from tui.screens.workspace import WorkspaceScreen
from tui.widgets.checklist import CheckList

# Fixtures used by name.
__all__ = [
    "aws_files",
    "fake_platform",
    "fake_platform_factory",
    "moto_server",
    "sso_portal",
    "sts_endpoint",
]

SIZE = (100, 32)
CHECK_TIMEOUT = 5.0  # one deadline for the whole run, a credential child included
CELL_WIDTH = 12.2  # px per terminal cell in Textual's SVG export
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
STALE_KEY = "sk-ant-api03-revoked-key-for-tests-0009"
SIGV4_CHECKS = ("env", "credentials", "identity", "platform", "models", "workspaces")
KEY_CHECKS = ("env", "secret", "platform", "models", "workspaces")


# --- no internet -------------------------------------------------------------------------------


# What the app may try and be refused: the default endpoint (listed before a base URL is
# typed) and the instance metadata service (the default credential chain's last resort).
EXPECTED_REFUSALS = re.compile(r"aws-external-anthropic\.[a-z0-9-]+\.api\.aws|169\.254\.169\.254")


@pytest.fixture(autouse=True)
def offline(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Refuse to resolve any host but loopback; yields the hosts that were refused."""
    refused: list[str] = []
    real = socket.getaddrinfo

    def guarded(host: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else host
        if name is not None and name not in LOOPBACK:
            refused.append(str(name))
            raise socket.gaierror(socket.EAI_NONAME, f"offline test: {name} refused")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", guarded)
    yield refused
    assert [h for h in refused if not EXPECTED_REFUSALS.fullmatch(h)] == []


# --- harness -----------------------------------------------------------------------------------


def screen_text(svg: str) -> str:
    """A screenshot (SVG) as plain text, line by line."""
    rows: dict[int, list[tuple[float, str]]] = defaultdict(list)
    pattern = r'<text[^>]*x="([\d.]+)"[^>]*clip-path="url\(#[^)]*-line-(\d+)\)"[^>]*>(.*?)</text>'
    for m in re.finditer(pattern, svg, re.DOTALL):
        text = html.unescape(m.group(3)).replace("\xa0", " ")
        rows[int(m.group(2))].append((float(m.group(1)), text))
    lines = []
    for n in sorted(rows):
        line = ""
        for x, text in sorted(rows[n]):
            line = line.ljust(round(x / CELL_WIDTH)) + text
        lines.append(line.rstrip())
    return "\n".join(lines)


def flat(text: str) -> str:
    """Whitespace runs (including line wraps) as one space, so phrases can be searched."""
    return " ".join(text.split())


@dataclass
class User:
    """The app under test, and what a user at the keyboard can do and see."""

    app: CcAwsTuiApp
    pilot: Pilot[int]
    notes: list[str] = field(default_factory=list)
    seen: list[str] = field(default_factory=list)
    """Every screenshot `look()` took (SVG and text), for the never-show-a-secret checks."""

    @property
    def screen(self) -> Screen[Any]:
        return self.app.screen

    async def settle(self) -> None:
        """Let every worker finish and the messages they posted be handled (a pause runs the
        event loop until the process is idle, so chains of messages are handled in one)."""
        for _ in range(5):  # bounded: a handled result may start another worker
            await self.pilot.pause()
            await self.app.workers.wait_for_complete()
            await self.pilot.pause()
            if all(w.is_finished for w in self.app.workers):
                return
        raise AssertionError(f"workers still running: {list(self.app.workers)}")

    async def on(self, screen_type: type[Screen[Any]]) -> None:
        """Wait until the app settles, and check that it shows a `screen_type`."""
        await self.settle()
        assert isinstance(self.screen, screen_type), f"on {type(self.screen).__name__}"

    async def press(self, *keys: str) -> None:
        await self.pilot.press(*keys)

    async def type(self, text: str) -> None:
        await self.pilot.press(*text)

    async def paste(self, text: str) -> None:
        """A bracketed paste from the terminal: it goes to the focused widget."""
        self.app.post_message(events.Paste(text))
        await self.pilot.pause()

    async def click(self, selector: str, offset: tuple[int, int] = (0, 0)) -> None:
        """Scroll the widget into view (as a user would) and click it."""
        target = self.screen.query_one(selector)
        target.scroll_visible(animate=False, immediate=True)
        await self.pilot.pause()
        x, y = target.region.offset + offset
        under, _ = self.screen.get_widget_at(x, y)
        assert under is target or target in under.ancestors, f"{selector} is covered by {under}"
        await self.pilot.click(selector, offset)
        await self.pilot.pause()

    async def next(self) -> None:
        """ctrl+n: the step's Next (Save on the last step). Follow it with `on(...)`."""
        assert self.next_enabled(), f"Next is disabled on {type(self.screen).__name__}"
        await self.press("ctrl+n")

    def next_enabled(self) -> bool:
        return not self.screen.query_one("#next", Button).disabled

    def look(self) -> str:
        """What the terminal shows now, as text."""
        svg = self.app.export_screenshot()
        text = screen_text(svg)
        self.seen += [svg, text]
        return text

    def static(self, selector: str) -> str:
        return str(self.screen.query_one(selector, Static).render())

    def value(self, selector: str) -> str:
        return self.screen.query_one(selector, Input).value

    def checks(self) -> dict[str, str]:
        """Each shown check's status (pass/warn/fail/skip), by id."""
        results = self.screen.query_one(CheckList).results()
        return {check_id: r.status for check_id, r in results.items()}

    def home_rows(self) -> dict[str, dict[str, str]]:
        """The home table: each row's cells by column label, by profile name. The current
        profile's mark is in the column labelled " "."""
        table = self.screen.query_one("#profiles", DataTable)
        labels = [str(column.label).strip() for column in table.ordered_columns]
        rows: dict[str, dict[str, str]] = {}
        for i in range(table.row_count):
            cells = dict(zip(labels, (str(c) for c in table.get_row_at(i)), strict=True))
            rows[cells["Name"]] = cells
        return rows


Scenario = Callable[[User], Awaitable[None]]


def journey(scenario: Scenario, *, check_timeout: float = CHECK_TIMEOUT) -> User:
    """Start the app as `cc-aws-tui` does and run the scenario; returns what the user saw
    (`user.app.return_code` is the exit code once the app has quit)."""
    app = make_app(check_timeout=check_timeout)
    notes: list[str] = []
    users: list[User] = []

    def hook(message: Message) -> None:
        if isinstance(message, Notify):
            notes.append(f"{message.notification.title}: {message.notification.message}")

    async def main() -> None:
        async with app.run_test(size=SIZE, message_hook=hook) as pilot:
            users.append(User(app, pilot, notes))
            await users[0].settle()
            await scenario(users[0])

    asyncio.run(main())
    return users[0]


# --- steps a user takes ------------------------------------------------------------------------


async def choose_auth(user: User, choice: str) -> None:
    await user.on(AuthScreen)
    await user.click(f"#{choice}")
    await user.next()


async def pick_aws_profile(user: User, words: str, expect: str) -> None:
    """Filter the AWS profiles by typing, check what matched, Enter."""
    await user.on(AwsProfileScreen)
    await user.type(words)
    await user.settle()
    assert expect in user.static("#aws-count"), user.static("#aws-count")
    await user.press("enter")
    await user.settle()


async def set_base_url(user: User, url: str) -> None:
    """Advanced → base URL: paste it; leaving the field lists the workspaces there."""
    await user.click("#advanced CollapsibleTitle")
    await user.click("#base-url")
    await user.paste(url)
    await user.press("tab")
    await user.settle()


async def pick_workspace(user: User, workspace_id: str) -> None:
    """Click the workspace in the live list."""
    ws_list = user.screen.query_one("#ws-list", OptionList)
    assert ws_list.display, user.static("#ws-status")
    ids = [o.id for o in ws_list.options]
    assert workspace_id in ids, ids
    # One row per option, inside the list's top border.
    await user.click("#ws-list", offset=(4, 1 + ids.index(workspace_id)))
    assert user.value("#workspace-id") == workspace_id


async def choose_region(user: User, region: str) -> None:
    """Open the region menu, type to jump to the region, Enter."""
    await user.click("#region")
    await user.type(region[:4])  # enough to jump to it
    await user.press("enter")
    await user.settle()
    assert user.screen.query_one("#region", Select).value == region


async def replace_text(user: User, selector: str, text: str) -> None:
    await user.click(selector)
    await user.press("end", "ctrl+u")
    await user.type(text)


async def save_as(user: User, name: str) -> None:
    await user.on(SaveScreen)
    if user.value("#name") != name:
        await replace_text(user, "#name", name)
    await user.press("enter")
    await user.on(HomeScreen)


async def through_to_validate(user: User) -> None:
    """Next on each pre-filled step until the checklist has run."""
    await user.settle()
    for _ in range(4):  # auth, credentials, workspace, models
        if isinstance(user.screen, ValidateStepScreen):
            return
        assert isinstance(user.screen, StepScreen), type(user.screen).__name__
        await user.next()
        await user.settle()
    assert isinstance(user.screen, ValidateStepScreen), type(user.screen).__name__


def export_vars(name: str, capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    """`cc-aws-tui export NAME`, as {variable: value} from its `export X=...;` lines."""
    capsys.readouterr()
    assert cli_main(["export", name]) == 0
    found: dict[str, str] = {}
    for m in re.finditer(r"^export (\w+)=(.*);$", capsys.readouterr().out, re.MULTILINE):
        value = m.group(2)
        if value.startswith("'") and value.endswith("'"):
            value = value[1:-1]
        found[m.group(1)] = value
    return found


def files_text() -> tuple[str, str]:
    return (
        paths.profiles_file().read_text(encoding="utf-8"),
        paths.secrets_file().read_text(encoding="utf-8") if paths.secrets_file().exists() else "",
    )


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
        assert [row[c] for c in ("Auth", "Credentials", "Workspace", "Region", "TTL")] == [
            "sigv4",
            "dev",
            WORKSPACE_B,
            "us-east-1",
            "1h",
        ]
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
        assert user.checks() == dict.fromkeys(KEY_CHECKS, "pass")
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


# --- 5. The home screen's actions on saved profiles --------------------------------------------


def sigv4_profile(server: FakePlatformServer, name: str = "alpha", **changes: Any) -> Profile:
    profile = Profile(
        name=name,
        auth="sigv4",
        workspace_id=WORKSPACE_A,
        region="us-east-1",
        aws_profile="dev",
        base_url=server.base_url,
        models={"sonnet": "claude-sonnet-5"},
        aws_auth_refresh="my-refresh-command",
    )
    return profile.replace(**changes)


def key_profile(server: FakePlatformServer, name: str = "beta", **changes: Any) -> Profile:
    profile = Profile(
        name=name,
        auth="api-key",
        workspace_id=WORKSPACE_B,
        region="us-east-1",
        base_url=server.base_url,
        api_key_store="file",
        models={"haiku": "claude-haiku-4-5"},
        cache_ttl="1h",
    )
    return profile.replace(**changes)


@pytest.fixture
def saved(
    fake_platform: FakePlatformServer, aws_files: AwsFiles, sts_endpoint: str
) -> dict[str, Profile]:
    """alpha (SigV4, AWS profile `dev`, current) and beta (API key), both working."""
    aws_files.add_static("dev")
    alpha, beta = sigv4_profile(fake_platform), key_profile(fake_platform)
    save_profile(alpha, make_current=True)
    save_profile(beta, {"api_key": TEST_API_KEY})
    return {"alpha": alpha, "beta": beta}


async def select_row(user: User, name: str) -> None:
    """Move the home table's cursor to `name` with the arrow keys."""
    await user.on(HomeScreen)
    table = user.screen.query_one("#profiles", DataTable)
    table.focus()
    target = table.get_row_index(name)
    for _ in range(table.row_count):
        if table.cursor_row == target:
            break
        await user.press("down" if table.cursor_row < target else "up")
    assert table.cursor_row == target
    await user.settle()


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
        assert user.checks() == dict.fromkeys(KEY_CHECKS, "pass")
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
        assert user.checks() == dict.fromkeys(KEY_CHECKS, "pass")
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
        assert 'Copied to the clipboard: eval "$(cc-aws-tui export alpha)"' in user.notes

    journey(scenario)

    assert copied == ['eval "$(cc-aws-tui export beta)"', 'eval "$(cc-aws-tui export alpha)"']


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
