"""Raw requests to the fake platform, for the tests of the fake itself: a urllib3 pool with no
retries (the `http` fixture; this module is a plugin named in tests/conftest.py), the headers
every call needs, a SigV4-signed call, and the AWS-style error read back."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

import pytest
import urllib3

from tests.fakeplatform import (
    ANTHROPIC_VERSION,
    TEST_ACCESS_KEY,
    TEST_SECRET_KEY,
    WORKSPACE_A,
    FakePlatformServer,
    sign_request,
)

COUNT_BODY = json.dumps(
    {"model": "claude-sonnet-4-6", "messages": [{"role": "user", "content": "Hello there"}]}
).encode()


@pytest.fixture(scope="module")
def http() -> Iterator[urllib3.PoolManager]:
    # No retries: a retry would hide exactly the failures these tests look for.
    with urllib3.PoolManager(retries=False, timeout=urllib3.Timeout(5.0)) as pool:
        yield pool


def base_headers(workspace: str | None = WORKSPACE_A) -> dict[str, str]:
    headers = {"anthropic-version": ANTHROPIC_VERSION}
    if workspace is not None:
        headers["anthropic-workspace-id"] = workspace
    return headers


def signed_call(
    http: urllib3.PoolManager,
    server: FakePlatformServer,
    method: str,
    path: str,
    *,
    body: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    **sign_options: Any,
) -> urllib3.BaseHTTPResponse:
    """Sign like Claude Code does (SigV4 with x-amz-content-sha256) and send."""
    url = server.url(path)
    all_headers = {**base_headers(), **(headers or {})}
    if body is not None:
        all_headers["content-type"] = "application/json"
    signed = sign_request(
        method,
        url,
        all_headers,
        body,
        sign_options.pop("access_key", TEST_ACCESS_KEY),
        sign_options.pop("secret_key", TEST_SECRET_KEY),
        region=sign_options.pop("region", server.region),
        **sign_options,
    )
    return http.request(method, url, headers=signed, body=body)


def error_of(response: urllib3.BaseHTTPResponse) -> dict[str, str]:
    payload = response.json()
    assert payload["type"] == "error"
    return payload["error"]  # type: ignore[no-any-return]
