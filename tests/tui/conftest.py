"""Fixtures for the TUI tests: `offline`, which keeps the app off the internet, and `saved`, the
two working profiles the home-screen journeys start from; `pushed_steps`, which records the steps
the app would push next instead of pushing them."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from typing import Any

import pytest

from profiles.core.schema import Profile
from profiles.usecases.edit import save_profile
from tests.fakeplatform import TEST_API_KEY, FakePlatformServer
from tests.servers import AwsFiles
from tests.tui.journey import key_profile, sigv4_profile
from tui.app import CcAwsTuiApp

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
# What the app may try and be refused: the default endpoint (listed before a base URL is
# typed) and the instance metadata service (the default credential chain's last resort).
EXPECTED_REFUSALS = re.compile(r"aws-external-anthropic\.[a-z0-9-]+\.api\.aws|169\.254\.169\.254")


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Refuse to resolve any host but loopback; yields the hosts that were refused. A module
    turns it on for every test with `pytestmark = pytest.mark.usefixtures("offline")`."""
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


@pytest.fixture
def pushed_steps(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the steps the app would push next instead of pushing them."""
    steps: list[str] = []
    monkeypatch.setattr(CcAwsTuiApp, "_push_step", lambda self, step: steps.append(step))
    return steps
