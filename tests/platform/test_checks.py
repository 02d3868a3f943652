"""The live checks against real loopback servers: the fake platform, moto's STS, a fake SSO portal.

Every profile kind (static keys, SSO with a cached token, assume-role, API key, gateway) is run
end to end, and the model pins and workspace listing are checked. The fake platform recomputes
each SigV4 signature with botocore, so a passing check proves the request was signed exactly as
AWS would verify it. Failure rows are in test_checks_failures.py, the engine's contract in
test_checks_engine.py.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable

import pytest

from tests.fakeplatform import (
    GATEWAY_TOKEN,
    TEMP_ACCESS_KEY,
    TEMP_SESSION_TOKEN,
    TEST_ACCESS_KEY,
    TEST_API_KEY,
    WORKSPACE_A,
    FakePlatformServer,
)
from tests.platform.checking import (
    api_key,
    assert_no_secret,
    platform_requests,
    remedy,
    result,
    run,
    scope,
    sigv4,
    statuses,
)
from tests.servers import (
    ACCOUNT_ID,
    SSO_ACCESS_TOKEN,
    SSO_ROLE,
    AwsFiles,
    FakeSsoPortal,
    trust_moto_sts,
)

pytestmark = pytest.mark.usefixtures("sts_endpoint")


# --------------------------------------------------------------------------- profile kinds


def test_static_keys_pass_every_check_and_sign_like_claude_code(
    fake_platform: FakePlatformServer, aws_files: AwsFiles
) -> None:
    aws_files.add_static("static")
    report = run(sigv4(fake_platform))

    assert statuses(report) == {
        "env": "pass",
        "credentials": "pass",
        "identity": "pass",
        "platform": "pass",
        "models": "pass",
        "workspaces": "pass",
    }
    assert report.ok
    assert "shared-credentials-file" in result(report, "credentials").summary
    assert report.identity is not None
    assert report.identity["account"] == ACCOUNT_ID
    assert report.models is not None
    assert "claude-sonnet-4-6" in report.models
    assert report.workspaces is not None
    assert {w["id"] for w in report.workspaces} >= {WORKSPACE_A}
    assert "Test Workspace A" in result(report, "workspaces").summary

    # On the wire: what Claude Code sends (platform-facts "On the wire").
    (models,) = platform_requests(fake_platform)
    assert models.status == 200
    assert models.auth == "sigv4"
    assert models.headers["anthropic-version"] == "2023-06-01"
    assert models.headers["anthropic-workspace-id"] == WORKSPACE_A
    assert scope(models) == {
        "akid": TEST_ACCESS_KEY,
        "date": models.headers["x-amz-date"][:8],
        "region": "us-east-1",
        "service": "aws-external-anthropic",
    }
    signed = re.search(r"SignedHeaders=([^,]+)", models.headers["authorization"])
    assert signed
    assert {"host", "x-amz-content-sha256", "x-amz-date"} <= set(signed.group(1).split(";"))
    assert models.headers["x-amz-content-sha256"] == (
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"  # sha256(b"")
    )
    assert "x-amz-security-token" not in models.headers  # long-term keys carry no token
    assert "x-api-key" not in models.headers
    # Listing workspaces is account-scoped: no workspace header, still signed.
    (listing,) = platform_requests(fake_platform, "/v1/organizations/workspaces")
    assert listing.status == 200
    assert "anthropic-workspace-id" not in listing.headers
    assert scope(listing)["service"] == "aws-external-anthropic"
    assert fake_platform.errors == []


@pytest.mark.parametrize("form", ["sso_session", "legacy"])
def test_sso_with_a_cached_token_signs_with_the_portals_temporary_credentials(
    form: str,
    fake_platform: FakePlatformServer,
    aws_files: AwsFiles,
    sso_portal: FakeSsoPortal,
) -> None:
    if form == "sso_session":
        aws_files.add_sso_session("corp")
        aws_files.add_sso_profile("sso-dev", session="corp")
        aws_files.write_sso_token(session="corp", registration=True)
    else:
        aws_files.add_sso_profile("sso-dev")
        aws_files.write_sso_token()

    report = run(sigv4(fake_platform, "sso-dev"))

    assert report.ok, report.ordered()
    assert statuses(report)["platform"] == "pass"
    creds = result(report, "credentials").summary
    assert "sso" in creds
    assert "temporary" in creds
    # The portal got exactly what botocore's GetRoleCredentials sends.
    (call,) = sso_portal.requests
    assert call.path == "/federation/credentials"
    assert call.query == {"role_name": [SSO_ROLE], "account_id": [ACCOUNT_ID]}
    assert call.token == SSO_ACCESS_TOKEN
    assert call.status == 200
    # The fake verified the signature made with the portal's temporary credentials.
    (models,) = platform_requests(fake_platform)
    assert models.status == 200
    assert scope(models)["akid"] == TEMP_ACCESS_KEY
    assert models.headers["x-amz-security-token"] == TEMP_SESSION_TOKEN
    signed = re.search(r"SignedHeaders=([^,]+)", models.headers["authorization"])
    assert signed
    assert "x-amz-security-token" in signed.group(1).split(";")


@pytest.mark.parametrize("form", ["sso_session", "sso_session+refresh_token", "legacy"])
@pytest.mark.parametrize("refresh", [None, "aws sso login --profile sso-dev --no-browser"])
def test_expired_sso_token_fails_with_the_login_command(
    form: str,
    refresh: str | None,
    fake_platform: FakePlatformServer,
    aws_files: AwsFiles,
    sso_portal: FakeSsoPortal,
) -> None:
    expired = dt.timedelta(hours=-1)
    if form.startswith("sso_session"):
        aws_files.add_sso_session("corp")
        aws_files.add_sso_profile("sso-dev", session="corp")
        aws_files.write_sso_token(
            session="corp",
            access_token="expired-token",
            expires_in=expired,
            registration=form.endswith("refresh_token"),
        )
    else:
        aws_files.add_sso_profile("sso-dev")
        aws_files.write_sso_token(access_token="expired-token", expires_in=expired)

    report = run(sigv4(fake_platform, "sso-dev", aws_auth_refresh=refresh))

    assert not report.ok
    assert result(report, "credentials").status == "fail"
    assert "SSO" in result(report, "credentials").summary
    text = remedy(report, "credentials")
    assert "aws sso login --profile sso-dev" in text
    if refresh:
        assert refresh in text
    else:
        assert "awsAuthRefresh" in text
    for later in ("identity", "platform", "models", "workspaces"):
        assert result(report, later).status == "skip"
    assert fake_platform.requests == []  # nothing sent with credentials that cannot exist
    if form.endswith("refresh_token"):
        # botocore tried to refresh the token (SSO-OIDC CreateToken): on loopback, refused.
        assert [r.status for r in sso_portal.requests][:1] == [404]
    assert_no_secret(report, "expired-token")


def test_sso_token_the_portal_rejects_fails_with_the_login_command(
    fake_platform: FakePlatformServer, aws_files: AwsFiles, sso_portal: FakeSsoPortal
) -> None:
    """Not expired locally, but revoked: the portal answers 401 UnauthorizedException."""
    aws_files.add_sso_session("corp")
    aws_files.add_sso_profile("sso-dev", session="corp")
    aws_files.write_sso_token(session="corp", access_token="revoked-token")

    report = run(sigv4(fake_platform, "sso-dev"))

    assert result(report, "credentials").status == "fail"
    assert "aws sso login --profile sso-dev" in remedy(report, "credentials")
    assert [r.status for r in sso_portal.requests] == [401]
    assert_no_secret(report, "revoked-token")


def test_sso_portal_that_hangs_hits_the_timeout(
    fake_platform: FakePlatformServer, aws_files: AwsFiles, sso_portal: FakeSsoPortal
) -> None:
    aws_files.add_sso_profile("sso-dev")
    aws_files.write_sso_token()
    sso_portal.delay_seconds = 10

    started = time.monotonic()
    report = run(sigv4(fake_platform, "sso-dev"), timeout=1.0)
    elapsed = time.monotonic() - started

    assert elapsed < 2.5
    assert result(report, "credentials").status == "fail"
    assert "within 1s" in result(report, "credentials").summary
    assert "network" in remedy(report, "credentials")


def test_assume_role_through_moto_sts(
    fake_platform: FakePlatformServer, aws_files: AwsFiles
) -> None:
    trust_moto_sts(fake_platform)
    aws_files.add_static("base")
    role_arn = f"arn:aws:iam::{ACCOUNT_ID}:role/ClaudeDeveloperRole"
    aws_files.add_assume_role("dev-role", role_arn, "base")

    report = run(sigv4(fake_platform, "dev-role"))

    assert report.ok, report.ordered()
    assert "assume-role" in result(report, "credentials").summary
    assert report.identity is not None
    assert ":assumed-role/ClaudeDeveloperRole/" in report.identity["arn"]
    (models,) = platform_requests(fake_platform)
    assert models.status == 200
    akid = scope(models)["akid"]
    assert akid != TEST_ACCESS_KEY  # signed with the role's keys, not the source profile's
    assert akid.startswith("ASIA")
    assert models.headers.get("x-amz-security-token")


def test_assume_role_without_the_source_profile_fails(
    fake_platform: FakePlatformServer, aws_files: AwsFiles
) -> None:
    aws_files.add_assume_role("dev-role", f"arn:aws:iam::{ACCOUNT_ID}:role/R", "missing")

    report = run(sigv4(fake_platform, "dev-role"))

    assert result(report, "credentials").status == "fail"
    assert "dev-role" in result(report, "credentials").summary
    assert fake_platform.requests == []


def test_unknown_aws_profile_fails_with_how_to_create_it(
    fake_platform: FakePlatformServer, aws_files: AwsFiles
) -> None:
    report = run(sigv4(fake_platform, "nope"))

    assert result(report, "credentials").status == "fail"
    assert "aws configure sso --profile nope" in remedy(report, "credentials")


def test_api_key_is_sent_as_x_api_key(fake_platform: FakePlatformServer) -> None:
    report = run(api_key(fake_platform.base_url), secrets={"api_key": TEST_API_KEY})

    assert statuses(report) == {
        "secret": "pass",
        "env": "warn",  # the key reaches the agent's commands (issue 11): said, not failed
        "platform": "pass",
        "models": "pass",
        "workspaces": "pass",
    }
    assert "the API key is in the agent's environment" in result(report, "env").summary
    assert "bubblewrap" in (result(report, "env").remedy or "")
    (models,) = platform_requests(fake_platform)
    assert models.auth == "api_key"
    assert models.headers["x-api-key"] == TEST_API_KEY
    assert models.headers["anthropic-version"] == "2023-06-01"
    assert models.headers["anthropic-workspace-id"] == WORKSPACE_A
    assert "authorization" not in models.headers
    assert "x-amz-date" not in models.headers


def test_api_key_is_read_from_the_profiles_store(fake_platform: FakePlatformServer) -> None:
    from profiles.usecases.edit import save_profile

    profile = api_key(fake_platform.base_url)
    save_profile(profile, {"api_key": TEST_API_KEY})

    report = run(profile)

    assert report.ok
    assert result(report, "secret").status == "pass"
    assert platform_requests(fake_platform)[0].headers["x-api-key"] == TEST_API_KEY


def test_missing_secret_fails_and_skips_the_rest(fake_platform: FakePlatformServer) -> None:
    profile = api_key(fake_platform.base_url, api_key_store="keyring")

    report = run(profile)

    assert result(report, "secret").status == "fail"
    assert all(result(report, i).status == "skip" for i in ("platform", "models", "workspaces"))
    assert fake_platform.requests == []


def test_gateway_that_signs_gets_the_token_and_no_signature(
    fake_platform_factory: Callable[..., FakePlatformServer],
) -> None:
    gateway = fake_platform_factory(gateway_mode=True)
    profile = sigv4(gateway, aws_profile=None, gateway_signs=True, gateway_token_store="file")

    report = run(profile, secrets={"gateway_token": GATEWAY_TOKEN})

    assert report.ok, report.ordered()
    assert result(report, "credentials").status == "skip"
    assert result(report, "identity").status == "skip"
    assert gateway.requests
    for request in gateway.requests:
        assert request.auth == "gateway"
        assert request.headers["authorization"] == f"Bearer {GATEWAY_TOKEN}"
        assert request.headers["x-api-key"] == GATEWAY_TOKEN
        assert "x-amz-date" not in request.headers
        assert "x-amz-content-sha256" not in request.headers
        assert "x-amz-security-token" not in request.headers
    assert platform_requests(gateway)[0].headers["anthropic-workspace-id"] == WORKSPACE_A


# --------------------------------------------------------------------------- pins & workspaces


def test_model_pins_present(fake_platform: FakePlatformServer, aws_files: AwsFiles) -> None:
    aws_files.add_static("static")
    pins = {"opus": "claude-opus-4-8", "haiku": "claude-haiku-4-5"}

    report = run(sigv4(fake_platform, models=pins))

    models = result(report, "models")
    assert models.status == "pass"
    assert "opus=claude-opus-4-8" in models.summary


def test_model_pin_missing_fails_and_offers_the_list(
    fake_platform: FakePlatformServer, aws_files: AwsFiles
) -> None:
    aws_files.add_static("static")
    pins = {"opus": "claude-opus-4-8", "sonnet": "claude-sonnet-9"}

    report = run(sigv4(fake_platform, models=pins))

    models = result(report, "models")
    assert models.status == "fail"
    assert "sonnet=claude-sonnet-9" in models.summary
    assert "opus" not in models.summary
    assert "claude-sonnet-4-6" in remedy(report, "models")
    assert not report.ok


def test_model_pins_unchecked_when_the_list_is_unavailable(
    fake_platform: FakePlatformServer, aws_files: AwsFiles
) -> None:
    aws_files.add_static("static")
    fake_platform.denied_access_keys.add(TEST_ACCESS_KEY)

    report = run(sigv4(fake_platform, models={"opus": "claude-opus-4-8"}))

    assert result(report, "models").status == "warn"


def test_workspace_listing_forbidden_is_only_a_warning(
    fake_platform: FakePlatformServer, aws_files: AwsFiles
) -> None:
    aws_files.add_static("static")
    fake_platform.deny_list_workspaces = True

    report = run(sigv4(fake_platform))

    workspaces = result(report, "workspaces")
    assert workspaces.status == "warn"
    assert "ListWorkspaces" in workspaces.summary
    assert report.workspaces is None
    assert result(report, "platform").status == "pass"
    assert report.ok


def test_workspace_listing_includes_names_and_ids(
    fake_platform: FakePlatformServer, aws_files: AwsFiles
) -> None:
    aws_files.add_static("static")

    report = run(sigv4(fake_platform))

    assert report.workspaces is not None
    names = {w["id"]: w["name"] for w in report.workspaces}
    assert names[WORKSPACE_A] == "Test Workspace A"
    assert report.to_json()["workspaces"] == report.workspaces
