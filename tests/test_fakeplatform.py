"""Tests of the fake Claude Platform on AWS server: it must reject exactly what AWS rejects.

A fake that accepts a bad signature would let client bugs through, so most tests here are
negative: each one forges a single defect and expects the matching AWS-style refusal.

This module: SigV4. API keys, headers, authorization, routes and faults are in
test_fakeplatform_api.py.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import urllib3
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fakecalls import COUNT_BODY, base_headers, error_of, signed_call
from tests.fakeplatform import (
    DEFAULT_MODELS,
    TEMP_ACCESS_KEY,
    TEMP_SECRET_KEY,
    TEMP_SESSION_TOKEN,
    WORKSPACE_B,
    FakePlatformServer,
    sign_request,
)

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
