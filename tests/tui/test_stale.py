"""Stale state (issue 12): what a step says about the world outside is checked again when the
user comes back to the step, or asks with f5."""

from __future__ import annotations

import datetime as dt

import pytest
from textual.widgets import Static

from tests.fakeplatform import FakePlatformServer
from tests.tui.harness import key_draft
from tests.tui.steps import SSO_CONFIG, Run, aws_file, aws_screen, drive, write_sso_token
from tui.screens.models import ModelsScreen
from tui.state import Draft

pytestmark = pytest.mark.usefixtures("offline")


def _later(days: int) -> str:
    when = dt.datetime.now(dt.UTC) + dt.timedelta(days=days)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def _sso_warning_shown(run: Run) -> bool:
    return bool(run.screen.query_one("#sso-box").display)


@pytest.mark.usefixtures("isolated_env")
def test_sso_expired_warning_goes_after_a_login_elsewhere_on_f5() -> None:
    aws_file("AWS_CONFIG_FILE", SSO_CONFIG)
    write_sso_token("dev", "2020-01-01T00:00:00Z")

    async def scenario(run: Run) -> None:
        await run.pilot.press("down")  # past the default chain: dev
        await run.settle()
        assert _sso_warning_shown(run)
        assert "has expired" in run.text("#sso-warning")
        write_sso_token("dev", _later(1))  # `aws sso login` in another terminal
        await run.pilot.press("f5")
        await run.settle()
        assert not _sso_warning_shown(run)

    drive(aws_screen(), scenario)


@pytest.mark.usefixtures("isolated_env")
def test_sso_warning_is_rechecked_on_coming_back_to_the_step() -> None:
    aws_file("AWS_CONFIG_FILE", SSO_CONFIG)
    write_sso_token("dev", "2020-01-01T00:00:00Z")

    async def scenario(run: Run) -> None:
        await run.pilot.press("down")
        await run.settle()
        assert _sso_warning_shown(run)
        screen = run.screen
        await run.app.push_screen(ModelsScreen(Draft(auth="sigv4"), 3, 6))  # on to a later step
        await run.settle()
        write_sso_token("dev", _later(1))
        run.app.pop_screen()  # Back
        await run.settle()
        assert run.app.screen is screen
        assert not _sso_warning_shown(run)

    drive(aws_screen(), scenario)


def test_model_list_unavailable_is_loaded_again_when_the_server_is_back(
    fake_platform: FakePlatformServer,
) -> None:
    fake_platform.drop_connections = True
    draft = key_draft(fake_platform)

    async def scenario(run: Run) -> None:
        offered = run.screen.query_one("#models-offered", Static)
        assert str(offered.render()).startswith("Model list unavailable")
        fake_platform.drop_connections = False
        await run.pilot.press("f5")
        await run.settle()
        assert str(offered.render()).startswith("Offered here:")
        assert not offered.has_class("-unavailable")

    drive(lambda: ModelsScreen(draft, 4, 6), scenario)


def test_model_list_unavailable_is_retried_on_coming_back(
    fake_platform: FakePlatformServer,
) -> None:
    fake_platform.drop_connections = True
    draft = key_draft(fake_platform)

    async def scenario(run: Run) -> None:
        screen = run.screen
        offered = screen.query_one("#models-offered", Static)
        assert str(offered.render()).startswith("Model list unavailable")
        await run.app.push_screen(ModelsScreen(draft, 5, 6))  # any later step
        await run.settle()
        fake_platform.drop_connections = False
        run.app.pop_screen()
        await run.settle()
        assert str(offered.render()).startswith("Offered here:")

    drive(lambda: ModelsScreen(draft, 4, 6), scenario)
