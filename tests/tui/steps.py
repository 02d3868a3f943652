"""The step-screen tests' driver: push one step screen on the real app and watch what it posts
up (`drive`, `Run`), plus the AWS files and SSO tokens those steps read. Plain helpers,
imported by name; the `pushed_steps` fixture is in conftest.py."""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

from textual.message import Message
from textual.notifications import Notify
from textual.pilot import Pilot
from textual.widgets import Button, OptionList, Static

from profiles.aws.profiles import discover_aws_profiles
from profiles.aws.sso import sso_cache_path
from tests.tui.harness import settle
from tui.app import CcAwsTuiApp, make_app
from tui.messages import StepCompleted
from tui.screens.aws_profile import AwsProfileScreen
from tui.screens.base import StepScreen
from tui.state import Draft

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
        await settle(self.pilot)


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
