"""Tests of the fake Claude Platform on AWS server: it must reject exactly what AWS rejects.

A fake that accepts a bad signature would let client bugs through, so most tests here are
negative: each one forges a single defect and expects the matching AWS-style refusal.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Iterator, Mapping
from typing import Any

import pytest
import urllib3
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from urllib3.exceptions import ProtocolError, ReadTimeoutError

from tests.fakeplatform import (
    ANTHROPIC_VERSION,
    DEFAULT_MODELS,
    GATEWAY_TOKEN,
    TEMP_ACCESS_KEY,
    TEMP_SECRET_KEY,
    TEMP_SESSION_TOKEN,
    TEST_ACCESS_KEY,
    TEST_API_KEY,
    TEST_SECRET_KEY,
    WORKSPACE_A,
    WORKSPACE_ARCHIVED,
    WORKSPACE_B,
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


# ----------------------------------------------------------------------------- SigV4


def test_signed_list_models_returns_paginated_shape(
    http: urllib3.PoolManager, fake_platform: FakePlatformServer
) -> None:
    response = signed_call(http, fake_platform, "GET", "/v1/models?limit=3")

    assert response.status == 200, response.data
    payload = response.json()
    assert set(payload) == {"data", "has_more", "first_id", "last_id"}
    assert [m["id"] for m in payload["data"]] == [m["id"] for m in DEFAULT_MODELS[:3]]
    assert all(m["type"] == "model" and m["display_name"] for m in payload["data"])
    assert payload["has_more"] is True
    assert payload["first_id"] == "claude-fable-5"
    assert payload["last_id"] == "claude-opus-4-7"
    recorded = fake_platform.last_request
    assert recorded.auth == "sigv4"
    assert recorded.query == {"limit": ["3"]}
    assert "aws-external-anthropic/aws4_request" in recorded.headers["authorization"]
    assert fake_platform.errors == []


def test_wrong_secret_is_a_signature_mismatch(
    http: urllib3.PoolManager, fake_platform: FakePlatformServer
) -> None:
    response = signed_call(http, fake_platform, "GET", "/v1/models", secret_key="not-the-secret")

    assert response.status == 403
    assert "does not match the signature you provided" in error_of(response)["message"]
    assert response.headers["x-amzn-ErrorType"] == "InvalidSignatureException"


def test_unknown_access_key_is_an_invalid_token(
    http: urllib3.PoolManager, fake_platform: FakePlatformServer
) -> None:
    response = signed_call(
        http, fake_platform, "GET", "/v1/models", access_key="AKIAUNKNOWNUNKNOWN00"
    )

    assert response.status == 403
    assert error_of(response) == {
        "type": "authentication_error",
        "message": "The security token included in the request is invalid.",
    }


@pytest.mark.parametrize(
    ("option", "value", "verbose_hint"),
    [
        ("service", "bedrock", "correct service: 'aws-external-anthropic'"),
        ("region", "eu-west-1", "valid region, not 'eu-west-1'"),
    ],
)
def test_wrong_scope_is_rejected_generically_by_default(
    http: urllib3.PoolManager,
    fake_platform: FakePlatformServer,
    option: str,
    value: str,
    verbose_hint: str,
) -> None:
    options: dict[str, Any] = {option: value}
    response = signed_call(http, fake_platform, "GET", "/v1/models", **options)

    # platform-facts.md: the real service gives no helpful hint for a wrong scope.
    assert response.status == 403
    assert "does not match the signature you provided" in error_of(response)["message"]

    fake_platform.verbose_scope_errors = True
    response = signed_call(http, fake_platform, "GET", "/v1/models", **options)
    assert response.status == 403
    assert verbose_hint in error_of(response)["message"]


def test_server_in_another_region_wants_that_region(
    http: urllib3.PoolManager, fake_platform_factory: Any
) -> None:
    server = fake_platform_factory(region="eu-west-1")

    assert signed_call(http, server, "GET", "/v1/models").status == 200
    assert signed_call(http, server, "GET", "/v1/models", region="us-east-1").status == 403


@pytest.mark.parametrize(
    ("offset", "message"),
    [
        (dt.timedelta(minutes=-10), "Signature expired"),
        (dt.timedelta(minutes=10), "Signature not yet current"),
    ],
)
def test_request_signed_outside_five_minutes_is_rejected(
    http: urllib3.PoolManager,
    fake_platform: FakePlatformServer,
    offset: dt.timedelta,
    message: str,
) -> None:
    when = dt.datetime.now(dt.UTC) + offset
    response = signed_call(http, fake_platform, "GET", "/v1/models", when=when)

    assert response.status == 403
    assert error_of(response)["message"].startswith(message)


def test_request_signed_a_minute_ago_is_accepted(
    http: urllib3.PoolManager, fake_platform: FakePlatformServer
) -> None:
    when = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)

    assert signed_call(http, fake_platform, "GET", "/v1/models", when=when).status == 200


def test_signed_count_tokens_succeeds(
    http: urllib3.PoolManager, fake_platform: FakePlatformServer
) -> None:
    response = signed_call(
        http, fake_platform, "POST", "/v1/messages/count_tokens", body=COUNT_BODY
    )

    assert response.status == 200, response.data
    assert response.json()["input_tokens"] > 0
    assert fake_platform.last_request.json()["model"] == "claude-sonnet-4-6"


def test_tampered_body_is_rejected(
    http: urllib3.PoolManager, fake_platform: FakePlatformServer
) -> None:
    url = fake_platform.url("/v1/messages/count_tokens")
    headers = sign_request("POST", url, base_headers(), COUNT_BODY)
    tampered = COUNT_BODY.replace(b"Hello", b"Hullo")

    response = http.request("POST", url, headers=headers, body=tampered)

    assert response.status == 403
    assert "x-amz-content-sha256" in error_of(response)["message"]


def test_tampered_body_with_recomputed_hash_header_is_rejected(
    http: urllib3.PoolManager, fake_platform: FakePlatformServer
) -> None:
    # An attacker who also fixes the hash header still cannot fix the signature.
    url = fake_platform.url("/v1/messages/count_tokens")
    tampered = COUNT_BODY.replace(b"Hello", b"Hullo")
    headers = sign_request("POST", url, base_headers(), COUNT_BODY)
    headers["X-Amz-Content-SHA256"] = sign_request("POST", url, {}, tampered)[
        "X-Amz-Content-SHA256"
    ]

    response = http.request("POST", url, headers=headers, body=tampered)

    assert response.status == 403
    assert "does not match the signature you provided" in error_of(response)["message"]


def test_missing_content_hash_header_is_rejected_unless_relaxed(
    http: urllib3.PoolManager, fake_platform: FakePlatformServer
) -> None:
    # Plain botocore SigV4Auth does not add x-amz-content-sha256; Claude Code does.
    response = signed_call(http, fake_platform, "GET", "/v1/models", content_sha256=False)
    assert response.status == 403

    fake_platform.require_content_sha256 = False
    response = signed_call(http, fake_platform, "GET", "/v1/models", content_sha256=False)
    assert response.status == 200


@pytest.mark.parametrize(
    ("token", "expected"),
    [(None, 403), ("wrong-token", 403), (TEMP_SESSION_TOKEN, 200)],
)
def test_temporary_credentials_need_their_session_token(
    http: urllib3.PoolManager,
    fake_platform: FakePlatformServer,
    token: str | None,
    expected: int,
) -> None:
    response = signed_call(
        http,
        fake_platform,
        "GET",
        "/v1/models",
        access_key=TEMP_ACCESS_KEY,
        secret_key=TEMP_SECRET_KEY,
        session_token=token,
    )

    assert response.status == expected
    if expected == 403:
        assert "security token included in the request is invalid" in error_of(response)["message"]


def test_session_token_on_long_term_key_is_rejected(
    http: urllib3.PoolManager, fake_platform: FakePlatformServer
) -> None:
    response = signed_call(http, fake_platform, "GET", "/v1/models", session_token="stray")

    assert response.status == 403


def test_query_string_is_part_of_the_signature(
    http: urllib3.PoolManager, fake_platform: FakePlatformServer
) -> None:
    path = "/v1/models?limit=2&after_id=claude-opus-4-8"
    assert signed_call(http, fake_platform, "GET", path).status == 200

    url = fake_platform.url("/v1/models?limit=2")
    headers = sign_request("GET", url, base_headers())
    response = http.request("GET", url.replace("limit=2", "limit=5"), headers=headers)
    assert response.status == 403


def test_only_declared_signed_headers_count(
    http: urllib3.PoolManager, fake_platform: FakePlatformServer
) -> None:
    url = fake_platform.url("/v1/models")
    headers = sign_request("GET", url, base_headers())

    # Headers added after signing (proxies, user agents) do not break the signature...
    extra = {**headers, "x-request-note": "added later", "user-agent": "test/1.0"}
    assert http.request("GET", url, headers=extra).status == 200

    # ...but changing a signed one does.
    changed = {**headers, "anthropic-workspace-id": WORKSPACE_B}
    response = http.request("GET", url, headers=changed)
    assert response.status == 403
    assert "does not match the signature you provided" in error_of(response)["message"]


def test_missing_signed_header_is_rejected(
    http: urllib3.PoolManager, fake_platform: FakePlatformServer
) -> None:
    url = fake_platform.url("/v1/models")
    headers = sign_request("GET", url, {**base_headers(), "x-custom": "1"})
    del headers["x-custom"]

    response = http.request("GET", url, headers=headers)

    assert response.status == 403
    assert "'x-custom' is missing" in error_of(response)["message"]


def test_canonical_request_uses_the_host_the_client_signed(
    http: urllib3.PoolManager, fake_platform: FakePlatformServer
) -> None:
    # Signed for localhost but sent to 127.0.0.1 with a matching Host header: valid.
    signed_url = f"http://localhost:{fake_platform.port}/v1/models"
    headers = sign_request("GET", signed_url, base_headers())
    sent_url = fake_platform.url("/v1/models")
    with_host = {**headers, "Host": f"localhost:{fake_platform.port}"}
    assert http.request("GET", sent_url, headers=with_host).status == 200

    # The same signature arriving with the real Host header no longer matches.
    assert http.request("GET", sent_url, headers=headers).status == 403


def test_moto_sts_credentials_can_be_trusted(
    http: urllib3.PoolManager, fake_platform: FakePlatformServer
) -> None:
    boto3 = pytest.importorskip("boto3")
    moto = pytest.importorskip("moto")
    with moto.mock_aws():
        sts = boto3.client(
            "sts",
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        creds = sts.assume_role(
            RoleArn="arn:aws:iam::123456789012:role/Dev", RoleSessionName="tester"
        )["Credentials"]
    options = {
        "access_key": creds["AccessKeyId"],
        "secret_key": creds["SecretAccessKey"],
        "session_token": creds["SessionToken"],
    }
    assert signed_call(http, fake_platform, "GET", "/v1/models", **options).status == 403

    fake_platform.add_credentials(
        creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"]
    )
    assert signed_call(http, fake_platform, "GET", "/v1/models", **options).status == 200


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(text=st.text(max_size=200), flip=st.integers(min_value=0))
def test_any_signed_body_passes_and_any_flipped_byte_fails(
    http: urllib3.PoolManager, fake_platform: FakePlatformServer, text: str, flip: int
) -> None:
    body = json.dumps(
        {"model": "claude-haiku-4-5", "messages": [{"role": "user", "content": text}]}
    ).encode()
    url = fake_platform.url("/v1/messages/count_tokens")
    headers = sign_request("POST", url, base_headers(), body)

    assert http.request("POST", url, headers=headers, body=body).status == 200

    index = flip % len(body)
    tampered = body[:index] + bytes([body[index] ^ 0x01]) + body[index + 1 :]
    assert http.request("POST", url, headers=headers, body=tampered).status == 403


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
