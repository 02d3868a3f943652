"""The workspace step lists workspaces only once the endpoint is settled (issue 12): nothing
meant for a gateway goes to the public default endpoint first.

"Settled" (tui/screens/workspace.py): the default endpoint when nothing points to a gateway,
listed at once; else the base URL override, once it is valid and committed (Enter or leaving
the field). The `offline` fixture records every host the app tried to resolve, so a request
to the default endpoint (aws-external-anthropic.REGION.api.aws) shows up there; the fake
platform, standing in for the gateway, records what reached it.
"""

from __future__ import annotations

import pytest
from pydantic import SecretStr
from textual.widgets import Input, Select

from tests.fakeplatform import GATEWAY_TOKEN, TEST_API_KEY, FakePlatformServer
from tests.tui.steps import Run, drive
from tui.screens.workspace import WorkspaceScreen
from tui.state import Draft

pytestmark = pytest.mark.usefixtures("offline")


def to_default(refused: list[str]) -> list[str]:
    return [host for host in refused if host.startswith("aws-external-anthropic.")]


def listings(server: FakePlatformServer) -> list[str]:
    return [r.path for r in server.requests if r.path.endswith("/workspaces")]


async def commit_base_url(run: Run, url: str) -> None:
    field = run.screen.query_one("#base-url", Input)
    field.value = url
    field.post_message(Input.Submitted(field, url))
    await run.settle()


def test_a_gateway_draft_lists_nothing_until_its_base_url_is_entered(
    offline: list[str], fake_platform: FakePlatformServer
) -> None:
    """A draft with a gateway token but no base URL yet: opening the step sends nothing to the
    default endpoint (today it listed from there at once, token and all); the list comes from
    the gateway once its URL is entered."""
    draft = Draft(
        auth="api-key",
        api_key=SecretStr(TEST_API_KEY),
        region="us-east-1",
        gateway_token=SecretStr(GATEWAY_TOKEN),
    )

    async def scenario(run: Run) -> None:
        assert to_default(offline) == []
        assert "base URL" in run.text("#ws-status")
        assert listings(fake_platform) == []
        await commit_base_url(run, fake_platform.base_url)
        assert listings(fake_platform) != []
        sent = [r for r in fake_platform.requests if r.path.endswith("/workspaces")]
        assert sent[-1].headers.get("authorization") == f"Bearer {GATEWAY_TOKEN}"
        assert to_default(offline) == []

    drive(lambda: WorkspaceScreen(draft, 3, 6), scenario)


def test_an_override_being_typed_is_not_listed_from_until_committed(
    offline: list[str], fake_platform: FakePlatformServer
) -> None:
    """With an override typed but not yet submitted, picking the region lists nothing (today it
    listed from the half-typed URL); Enter in the field lists from it."""
    draft = Draft(auth="api-key", api_key=SecretStr(TEST_API_KEY), region="")

    async def scenario(run: Run) -> None:
        run.screen.query_one("#base-url", Input).value = fake_platform.base_url
        await run.settle()
        run.screen.query_one("#region", Select).value = "us-east-1"
        await run.settle()
        assert listings(fake_platform) == []
        assert to_default(offline) == []
        assert "Enter" in run.text("#ws-status")
        await commit_base_url(run, fake_platform.base_url)
        assert listings(fake_platform) != []
        assert to_default(offline) == []

    drive(lambda: WorkspaceScreen(draft, 3, 6), scenario)


def test_without_a_gateway_the_default_endpoint_is_listed_at_once(offline: list[str]) -> None:
    """Nothing points to a gateway: the step lists from the default endpoint as it opens (here
    refused, offline), with no wait for the Advanced section."""
    draft = Draft(auth="api-key", api_key=SecretStr(TEST_API_KEY), region="us-east-1")

    async def scenario(run: Run) -> None:
        assert to_default(offline) == ["aws-external-anthropic.us-east-1.api.aws"]

    drive(lambda: WorkspaceScreen(draft, 3, 6), scenario)
