"""Tests of the fake Claude Platform on AWS server beyond SigV4: API keys, required headers,
authorization, routes and the faults it can inject. As in test_fakeplatform.py, most tests
forge a single defect and expect the matching AWS-style refusal.
"""

from __future__ import annotations

import json
import time

import pytest
import urllib3
from urllib3.exceptions import ProtocolError, ReadTimeoutError

from tests.fakecalls import COUNT_BODY, base_headers, error_of, signed_call
from tests.fakeplatform import (
    ANTHROPIC_VERSION,
    DEFAULT_MODELS,
    GATEWAY_TOKEN,
    TEST_ACCESS_KEY,
    TEST_API_KEY,
    WORKSPACE_A,
    WORKSPACE_ARCHIVED,
    WORKSPACE_B,
    FakePlatformServer,
)

# ----------------------------------------------------------------------------- API keys


@pytest.mark.parametrize(
    "auth_header",
    [{"x-api-key": TEST_API_KEY}, {"Authorization": f"Bearer {TEST_API_KEY}"}],
    ids=["x-api-key", "bearer"],
)
def test_api_key_is_accepted_both_ways(
    http: urllib3.PoolManager, fake_platform: FakePlatformServer, auth_header: dict[str, str]
) -> None:
    response = http.request(
        "GET", fake_platform.url("/v1/models"), headers={**base_headers(), **auth_header}
    )

    assert response.status == 200
    assert fake_platform.last_request.auth == "api_key"


@pytest.mark.parametrize(
    "auth_header",
    [{"x-api-key": "sk-ant-bad"}, {"Authorization": "Bearer sk-ant-bad"}, {}],
    ids=["x-api-key", "bearer", "none"],
)
def test_bad_or_missing_key_is_401(
    http: urllib3.PoolManager, fake_platform: FakePlatformServer, auth_header: dict[str, str]
) -> None:
    response = http.request(
        "GET", fake_platform.url("/v1/models"), headers={**base_headers(), **auth_header}
    )

    assert response.status == 401
    assert error_of(response)["type"] == "authentication_error"


def test_bad_key_message(http: urllib3.PoolManager, fake_platform: FakePlatformServer) -> None:
    response = http.request(
        "GET", fake_platform.url("/v1/models"), headers={**base_headers(), "x-api-key": "nope"}
    )

    assert error_of(response) == {"type": "authentication_error", "message": "invalid x-api-key"}


def test_gateway_tokens_only_count_in_gateway_mode(
    http: urllib3.PoolManager, fake_platform: FakePlatformServer
) -> None:
    # Claude Code sends ANTHROPIC_AUTH_TOKEN both as bearer and as x-api-key.
    headers = {
        **base_headers(),
        "Authorization": f"Bearer {GATEWAY_TOKEN}",
        "x-api-key": GATEWAY_TOKEN,
    }
    url = fake_platform.url("/v1/models")
    assert http.request("GET", url, headers=headers).status == 401

    fake_platform.gateway_mode = True
    assert http.request("GET", url, headers=headers).status == 200
    assert fake_platform.last_request.auth == "gateway"


def test_recorded_requests_hide_secrets_in_repr(
    http: urllib3.PoolManager, fake_platform: FakePlatformServer
) -> None:
    http.request(
        "GET",
        fake_platform.url("/v1/models"),
        headers={**base_headers(), "x-api-key": TEST_API_KEY},
    )

    recorded = fake_platform.last_request
    assert recorded.headers["x-api-key"] == TEST_API_KEY
    assert TEST_API_KEY not in repr(recorded)
    fake_platform.clear_requests()
    assert fake_platform.requests == []


# ----------------------------------------------------------------------------- headers


@pytest.mark.parametrize(
    ("workspace", "status", "fragment"),
    [
        (None, 400, "anthropic-workspace-id: header is required"),
        ("workspace-a", 400, "malformed"),
        ("wrkspc_bad-chars", 400, "malformed"),
        ("wrkspc_01Nowhere", 404, "wrkspc_01Nowhere not found"),
        (WORKSPACE_ARCHIVED, 404, "archived"),
    ],
)
def test_workspace_header_is_enforced(
    http: urllib3.PoolManager,
    fake_platform: FakePlatformServer,
    workspace: str | None,
    status: int,
    fragment: str,
) -> None:
    headers = {**base_headers(workspace), "x-api-key": TEST_API_KEY}
    for path in ("/v1/models", "/v1/models/claude-opus-4-8"):
        response = http.request("GET", fake_platform.url(path), headers=headers)
        assert response.status == status
        assert fragment in error_of(response)["message"]
    response = http.request(
        "POST", fake_platform.url("/v1/messages/count_tokens"), headers=headers, body=COUNT_BODY
    )
    assert response.status == status


def test_missing_anthropic_version_is_400(
    http: urllib3.PoolManager, fake_platform: FakePlatformServer
) -> None:
    headers = {"anthropic-workspace-id": WORKSPACE_A, "x-api-key": TEST_API_KEY}

    response = http.request("GET", fake_platform.url("/v1/models"), headers=headers)

    assert response.status == 400
    assert "anthropic-version" in error_of(response)["message"]


# ----------------------------------------------------------------------------- authorization


def test_denied_principal_gets_iam_style_403(
    http: urllib3.PoolManager, fake_platform: FakePlatformServer
) -> None:
    fake_platform.denied_access_keys.add(TEST_ACCESS_KEY)

    response = signed_call(http, fake_platform, "GET", "/v1/models")

    assert response.status == 403
    error = error_of(response)
    assert error["type"] == "permission_error"
    assert error["message"].startswith("User: arn:aws:sts::123456789012:assumed-role/")
    assert "is not authorized to perform: aws-external-anthropic:ListModels" in error["message"]
    assert f"workspace/{WORKSPACE_A}" in error["message"]


def test_denied_api_key_gets_403(
    http: urllib3.PoolManager, fake_platform: FakePlatformServer
) -> None:
    fake_platform.denied_api_keys.add(TEST_API_KEY)
    headers = {**base_headers(), "x-api-key": TEST_API_KEY}

    response = http.request(
        "POST", fake_platform.url("/v1/messages/count_tokens"), headers=headers, body=COUNT_BODY
    )

    assert response.status == 403
    assert (
        "is not authorized to perform: aws-external-anthropic:CountTokens"
        in (error_of(response)["message"])
    )


def test_list_workspaces_can_be_denied_alone(
    http: urllib3.PoolManager, fake_platform: FakePlatformServer
) -> None:
    fake_platform.deny_list_workspaces = True

    response = signed_call(http, fake_platform, "GET", "/v1/organizations/workspaces")
    assert response.status == 403
    assert "aws-external-anthropic:ListWorkspaces on resource: *" in error_of(response)["message"]
    assert response.headers["x-amzn-ErrorType"] == "AccessDeniedException"

    assert signed_call(http, fake_platform, "GET", "/v1/models").status == 200


def test_outbound_federation_disabled(
    http: urllib3.PoolManager, fake_platform: FakePlatformServer
) -> None:
    fake_platform.outbound_federation_disabled = True

    response = signed_call(http, fake_platform, "GET", "/v1/models")

    assert response.status == 403
    assert error_of(response) == {
        "type": "permission_error",
        "message": "Outbound web identity federation is disabled for your account",
    }


# ----------------------------------------------------------------------------- routes


def test_workspaces_hide_archived_unless_asked(
    http: urllib3.PoolManager, fake_platform: FakePlatformServer
) -> None:
    # Account-scoped: no workspace header needed.
    headers = {"anthropic-version": ANTHROPIC_VERSION, "x-api-key": TEST_API_KEY}
    url = fake_platform.url("/v1/organizations/workspaces")

    active = http.request("GET", url, headers=headers).json()
    everything = http.request("GET", url + "?include_archived=true", headers=headers).json()

    assert [w["id"] for w in active["data"]] == [WORKSPACE_A, WORKSPACE_B]
    assert all(w["archived_at"] is None for w in active["data"])
    assert [w["id"] for w in everything["data"]] == [WORKSPACE_A, WORKSPACE_B, WORKSPACE_ARCHIVED]
    assert everything["data"][-1]["archived_at"] is not None
    assert set(everything["data"][0]) >= {"id", "name", "created_at", "archived_at"}


def test_models_pagination_walks_every_page(
    http: urllib3.PoolManager, fake_platform: FakePlatformServer
) -> None:
    seen: list[str] = []
    after: str | None = None
    for _ in range(10):  # bounded: a pagination bug must fail, not hang
        path = "/v1/models?limit=4" + (f"&after_id={after}" if after else "")
        page = signed_call(http, fake_platform, "GET", path).json()
        seen += [m["id"] for m in page["data"]]
        if not page["has_more"]:
            break
        after = page["last_id"]

    assert seen == [m["id"] for m in DEFAULT_MODELS]
    assert len(fake_platform.requests) == 2


@pytest.mark.parametrize("query", ["limit=0", "limit=abc", "after_id=claude-nope"])
def test_bad_pagination_query_is_400(
    http: urllib3.PoolManager, fake_platform: FakePlatformServer, query: str
) -> None:
    response = signed_call(http, fake_platform, "GET", f"/v1/models?{query}")

    assert response.status == 400


def test_get_model(http: urllib3.PoolManager, fake_platform: FakePlatformServer) -> None:
    found = signed_call(http, fake_platform, "GET", "/v1/models/claude-opus-4-8")
    missing = signed_call(http, fake_platform, "GET", "/v1/models/claude-nope-1")

    assert found.status == 200
    assert found.json()["id"] == "claude-opus-4-8"
    assert missing.status == 404
    assert error_of(missing)["type"] == "not_found_error"


def test_unknown_route_is_404(http: urllib3.PoolManager, fake_platform: FakePlatformServer) -> None:
    response = signed_call(http, fake_platform, "GET", "/v1/nothing-here")

    assert response.status == 404
    assert error_of(response)["type"] == "not_found_error"


def test_messages_returns_canned_reply_and_stream(
    http: urllib3.PoolManager, fake_platform: FakePlatformServer
) -> None:
    body = json.loads(COUNT_BODY) | {"max_tokens": 16}
    plain = signed_call(
        http, fake_platform, "POST", "/v1/messages?beta=true", body=json.dumps(body).encode()
    )
    stream = signed_call(
        http,
        fake_platform,
        "POST",
        "/v1/messages?beta=true",
        body=json.dumps(body | {"stream": True}).encode(),
    )

    assert plain.status == 200
    assert plain.json()["content"][0]["text"] == fake_platform.canned_reply
    assert stream.headers["content-type"] == "text/event-stream"
    assert b"event: message_stop" in stream.data


# ----------------------------------------------------------------------------- faults


def test_delay_times_out_client_and_stop_is_fast(http: urllib3.PoolManager) -> None:
    server = FakePlatformServer(delay_seconds=30).start()
    try:
        with pytest.raises(ReadTimeoutError):
            http.request(
                "GET",
                server.url("/v1/models"),
                headers={**base_headers(), "x-api-key": TEST_API_KEY},
                timeout=urllib3.Timeout(connect=1.0, read=0.2),
            )
    finally:
        started = time.monotonic()
        server.stop()
        stop_took = time.monotonic() - started

    assert stop_took < 1.0
    assert len(server.requests) == 1
    assert server.requests[0].status is None


def test_dropped_connection_is_a_protocol_error(
    http: urllib3.PoolManager, fake_platform: FakePlatformServer
) -> None:
    fake_platform.drop_connections = True

    with pytest.raises(ProtocolError):
        http.request(
            "GET",
            fake_platform.url("/v1/models"),
            headers={**base_headers(), "x-api-key": TEST_API_KEY},
        )

    fake_platform.drop_connections = False
    response = http.request(
        "GET",
        fake_platform.url("/v1/models"),
        headers={**base_headers(), "x-api-key": TEST_API_KEY},
    )
    assert response.status == 200


def test_server_is_single_use() -> None:
    server = FakePlatformServer()
    with server:
        assert server.base_url.startswith("http://127.0.0.1:")
    with pytest.raises(RuntimeError):
        server.start()
