"""The live checks against real loopback servers: the fake platform, moto's STS, a fake SSO portal.

Every profile kind (static keys, SSO with a cached token, assume-role, API key, gateway) is run
end to end, and every failure row of platform-facts must come back with its remedy. The fake
platform recomputes each SigV4 signature with botocore, so a passing check proves the request
was signed exactly as AWS would verify it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

from profiles.core.schema import Profile
from profiles.platform.checks import CheckResult, Report, run_checks
from profiles.platform.client import Auth, PlatformClient, PlatformError
from tests.fakeplatform import (
    GATEWAY_TOKEN,
    TEMP_ACCESS_KEY,
    TEMP_SECRET_KEY,
    TEMP_SESSION_TOKEN,
    TEST_ACCESS_KEY,
    TEST_API_KEY,
    TEST_SECRET_KEY,
    WORKSPACE_A,
    WORKSPACE_ARCHIVED,
    FakePlatformServer,
    RecordedRequest,
    fake_platform,
    fake_platform_factory,
)
from tests.servers import (
    ACCOUNT_ID,
    SSO_ACCESS_TOKEN,
    SSO_ROLE,
    AwsFiles,
    FakeSsoPortal,
    aws_files,
    moto_server,
    sso_portal,
    sts_endpoint,
    trust_moto_sts,
)

# Fixtures used by name.
__all__ = [
    "aws_files",
    "fake_platform",
    "fake_platform_factory",
    "moto_server",
    "sso_portal",
    "sts_endpoint",
]

ALL_SECRETS = (
    TEST_SECRET_KEY,
    TEMP_SECRET_KEY,
    TEMP_SESSION_TOKEN,
    TEST_API_KEY,
    GATEWAY_TOKEN,
    SSO_ACCESS_TOKEN,
)
STALE_KEY = "sk-ant-api03-stale-key-from-an-old-shell-0000"
BOGUS_ACCESS_KEY = "AKIABOGUSAMBIENTKEY00"
BOGUS_SECRET_KEY = "bogus/ambient/secret/key/from/the/shell/00"
SCOPE_RE = re.compile(
    r"Credential=(?P<akid>[^/]+)/(?P<date>\d{8})/(?P<region>[^/]+)/(?P<service>[^/]+)/aws4_request"
)

pytestmark = pytest.mark.usefixtures("sts_endpoint")


# --------------------------------------------------------------------------- helpers


def sigv4(fake: FakePlatformServer, aws_profile: str | None = "static", **kw: Any) -> Profile:
    """A SigV4 profile pointed at the fake platform."""
    values: dict[str, Any] = {
        "name": "dev",
        "auth": "sigv4",
        "workspace_id": WORKSPACE_A,
        "region": "us-east-1",
        "aws_profile": aws_profile,
        "base_url": fake.base_url,
    }
    values.update(kw)
    return Profile(**values)


def api_key(base_url: str, **kw: Any) -> Profile:
    values: dict[str, Any] = {
        "name": "keyed",
        "auth": "api-key",
        "workspace_id": WORKSPACE_A,
        "region": "us-east-1",
        "api_key_store": "file",
        "base_url": base_url,
    }
    values.update(kw)
    return Profile(**values)


def statuses(report: Report) -> dict[str, str]:
    return {r.id: r.status for r in report.ordered()}


def result(report: Report, check_id: str) -> CheckResult:
    return report.results[check_id]


def remedy(report: Report, check_id: str) -> str:
    text = report.results[check_id].remedy
    assert text, f"{check_id} has no remedy: {report.results[check_id]}"
    return text


def scope(request: RecordedRequest) -> dict[str, str]:
    m = SCOPE_RE.search(request.headers.get("authorization", ""))
    assert m, f"not SigV4-signed: {request!r}"
    return m.groupdict()


def platform_requests(fake: FakePlatformServer, path: str = "/v1/models") -> list[RecordedRequest]:
    return [r for r in fake.requests if r.path == path]


def assert_no_secret(report: Report, *extra: str) -> None:
    """No secret in any result, the JSON report or the report's repr."""
    texts = [json.dumps(report.to_json()), repr(report)]
    texts += [f"{r.summary} {r.remedy}" for r in report.results.values()]
    for text in texts:
        for secret in (*ALL_SECRETS, *extra):
            assert secret not in text


def run(profile: Profile, **kw: Any) -> Report:
    kw.setdefault("timeout", 5.0)
    kw.setdefault("environ", {})
    report = run_checks(profile, **kw)
    assert_no_secret(report, *(kw.get("secrets") or {}).values())
    return report


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
        "env": "pass",
        "platform": "pass",
        "models": "pass",
        "workspaces": "pass",
    }
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


# --------------------------------------------------------------------------- failure rows


def test_iam_denied_names_the_managed_policy(
    fake_platform: FakePlatformServer, aws_files: AwsFiles
) -> None:
    aws_files.add_static("static")
    fake_platform.denied_access_keys.add(TEST_ACCESS_KEY)

    report = run(sigv4(fake_platform))

    assert not report.ok
    platform = result(report, "platform")
    assert platform.status == "fail"
    assert "403" in platform.summary
    assert "not authorized to perform" in platform.summary
    assert "AnthropicInferenceAccess" in remedy(report, "platform")
    # No model list: pins (if any) are unchecked, workspaces only warn.
    assert result(report, "workspaces").status == "warn"


def test_api_key_denied_names_call_with_bearer_token(fake_platform: FakePlatformServer) -> None:
    fake_platform.denied_api_keys.add(TEST_API_KEY)

    report = run(api_key(fake_platform.base_url), secrets={"api_key": TEST_API_KEY})

    assert result(report, "platform").status == "fail"
    text = remedy(report, "platform")
    assert "CallWithBearerToken" in text
    assert "regenerate" in text


def test_bad_api_key_says_regenerate(fake_platform: FakePlatformServer) -> None:
    report = run(api_key(fake_platform.base_url), secrets={"api_key": STALE_KEY})

    platform = result(report, "platform")
    assert platform.status == "fail"
    assert "401" in platform.summary
    text = remedy(report, "platform")
    assert "regenerate" in text
    assert "API keys" in text


def test_unknown_access_key_says_refresh_the_credentials(
    fake_platform: FakePlatformServer, aws_files: AwsFiles
) -> None:
    aws_files.add_static("static", "AKIAUNKNOWNTOTHEFAKE0", "some/secret")

    report = run(sigv4(fake_platform))

    assert result(report, "platform").status == "fail"
    assert "security token" in result(report, "platform").summary
    assert "aws sso login --profile static" in remedy(report, "platform")


def test_wrong_region_gives_the_signature_region_remedy(
    fake_platform: FakePlatformServer, aws_files: AwsFiles
) -> None:
    aws_files.add_static("static")

    report = run(sigv4(fake_platform, region="eu-west-1"))

    assert "eu-west-1" in scope(platform_requests(fake_platform)[0])["region"]
    platform = result(report, "platform")
    assert platform.status == "fail"
    assert "signature" in platform.summary
    text = remedy(report, "platform")
    assert "eu-west-1" in text
    assert "region" in text


def test_wrong_secret_key_remedy_also_points_at_the_secret(
    fake_platform: FakePlatformServer, aws_files: AwsFiles
) -> None:
    """AWS answers a wrong secret with the same generic signature error as a wrong region:
    the remedy must not send the user after the region alone."""
    aws_files.add_static("static", TEST_ACCESS_KEY, "rotated/away/secret/key/value/xxxxxxxxx")

    report = run(sigv4(fake_platform))

    platform = result(report, "platform")
    assert platform.status == "fail"
    assert "does not match" in platform.summary
    text = remedy(report, "platform")
    assert "region" in text
    assert "secret access key" in text
    assert "static" in text
    assert_no_secret(report, "rotated/away/secret/key/value/xxxxxxxxx")


def test_clock_skew_says_sync_the_clock(
    fake_platform_factory: Callable[..., FakePlatformServer], aws_files: AwsFiles
) -> None:
    aws_files.add_static("static")
    fake = fake_platform_factory(clock=lambda: dt.datetime.now(dt.UTC) + dt.timedelta(hours=1))

    report = run(sigv4(fake))

    assert "Signature expired" in result(report, "platform").summary
    assert "clock" in remedy(report, "platform")


@pytest.mark.parametrize(
    ("workspace", "status"),
    [
        ("wrkspc_01NotInThisRegion", "404"),  # valid shape, unknown here
        ("wrkspc-malformed", "400"),  # an unsaved draft can hold anything
        (WORKSPACE_ARCHIVED, "404"),
    ],
)
def test_workspace_problems_point_to_the_console(
    workspace: str, status: str, fake_platform: FakePlatformServer, aws_files: AwsFiles
) -> None:
    aws_files.add_static("static")

    report = run(sigv4(fake_platform, workspace_id=workspace))

    platform = result(report, "platform")
    assert platform.status == "fail"
    assert status in platform.summary
    text = remedy(report, "platform")
    assert "Workspaces" in text
    assert "per region" in text
    assert workspace in text
    # The listing still works and shows the workspace is not among those visible.
    assert result(report, "workspaces").status == "warn"


def test_outbound_federation_disabled(
    fake_platform: FakePlatformServer, aws_files: AwsFiles
) -> None:
    aws_files.add_static("static")
    fake_platform.outbound_federation_disabled = True

    report = run(sigv4(fake_platform))

    assert result(report, "platform").status == "fail"
    assert "aws iam enable-outbound-web-identity-federation" in remedy(report, "platform")


@pytest.mark.parametrize("var", ["CLAUDE_CODE_USE_BEDROCK", "CLAUDE_CODE_USE_FOUNDRY"])
def test_other_provider_set_is_a_warning(
    var: str, fake_platform: FakePlatformServer, aws_files: AwsFiles
) -> None:
    aws_files.add_static("static")

    report = run(sigv4(fake_platform), environ={var: "1"})

    env = result(report, "env")
    assert env.status == "warn"
    assert var in env.summary
    assert "cc-aws-tui export dev" in remedy(report, "env")
    assert report.ok  # warnings only


def test_falsy_provider_switch_is_not_a_conflict(
    fake_platform: FakePlatformServer, aws_files: AwsFiles
) -> None:
    aws_files.add_static("static")

    report = run(sigv4(fake_platform), environ={"CLAUDE_CODE_USE_BEDROCK": "0"})

    assert result(report, "env").status == "pass"


def test_stale_api_key_in_the_shell_warns_for_a_sigv4_profile(
    fake_platform: FakePlatformServer, aws_files: AwsFiles
) -> None:
    aws_files.add_static("static")

    report = run(sigv4(fake_platform), environ={"ANTHROPIC_AWS_API_KEY": STALE_KEY})

    env = result(report, "env")
    assert env.status == "warn"
    assert "ANTHROPIC_AWS_API_KEY" in env.summary
    assert report.ok
    assert_no_secret(report, STALE_KEY)


def test_other_api_key_in_the_shell_warns_for_an_api_key_profile(
    fake_platform: FakePlatformServer,
) -> None:
    report = run(
        api_key(fake_platform.base_url),
        secrets={"api_key": TEST_API_KEY},
        environ={"ANTHROPIC_AWS_API_KEY": STALE_KEY},
    )

    assert result(report, "env").status == "warn"
    assert "different key" in result(report, "env").summary
    # Validated with the profile's key, not the shell's.
    assert platform_requests(fake_platform)[0].headers["x-api-key"] == TEST_API_KEY
    assert report.ok


def test_aws_region_differing_is_a_warning(
    fake_platform: FakePlatformServer, aws_files: AwsFiles
) -> None:
    aws_files.add_static("static")

    report = run(sigv4(fake_platform), environ={"AWS_REGION": "eu-central-1"})

    env = result(report, "env")
    assert env.status == "warn"
    assert "eu-central-1" in env.summary
    assert "us-east-1" in env.summary
    # The profile's region is the one signed for.
    assert scope(platform_requests(fake_platform)[0])["region"] == "us-east-1"
    assert report.ok


def test_ambient_environment_does_not_leak_into_what_is_validated(
    fake_platform: FakePlatformServer, aws_files: AwsFiles, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stale key and bogus AWS keys in the process: the profile's own credentials are used."""
    aws_files.add_static("static")
    for name, value in {
        "ANTHROPIC_AWS_API_KEY": STALE_KEY,
        "AWS_ACCESS_KEY_ID": BOGUS_ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": BOGUS_SECRET_KEY,
        "AWS_REGION": "ap-south-1",
        "ANTHROPIC_AWS_WORKSPACE_ID": "wrkspc_01SomethingElse",
    }.items():
        monkeypatch.setenv(name, value)

    report = run_checks(sigv4(fake_platform), timeout=5.0)  # environ: the real os.environ

    assert report.ok, report.ordered()
    assert result(report, "platform").status == "pass"
    env = result(report, "env").summary
    for var in ("ANTHROPIC_AWS_API_KEY", "AWS_ACCESS_KEY_ID", "AWS_REGION"):
        assert var in env
    for request in fake_platform.requests:
        assert scope(request)["akid"] == TEST_ACCESS_KEY
        assert scope(request)["region"] == "us-east-1"
        assert "x-api-key" not in request.headers
    assert platform_requests(fake_platform)[0].headers["anthropic-workspace-id"] == WORKSPACE_A
    assert_no_secret(report, STALE_KEY, BOGUS_SECRET_KEY)


def test_ambient_aws_profile_does_not_leak_into_the_identity_check(
    fake_platform: FakePlatformServer, aws_files: AwsFiles, monkeypatch: pytest.MonkeyPatch
) -> None:
    """AWS_PROFILE naming a profile that does not exist must not break STS for a profile that
    names its own AWS profile."""
    aws_files.add_static("static")
    monkeypatch.setenv("AWS_PROFILE", "ghost")

    report = run_checks(sigv4(fake_platform), timeout=5.0)

    assert result(report, "identity").status == "pass", result(report, "identity")
    assert report.identity is not None
    assert report.identity["account"] == ACCOUNT_ID


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


# --------------------------------------------------------------------------- network failures


def test_hung_server_hits_the_timeout_and_the_checks_still_return(
    fake_platform: FakePlatformServer, aws_files: AwsFiles
) -> None:
    aws_files.add_static("static")
    fake_platform.delay_seconds = 30
    # One deadline for the whole run: it must leave STS time to answer after the credentials.
    timeout = 2.0

    started = time.monotonic()
    report = run(sigv4(fake_platform), timeout=timeout)
    elapsed = time.monotonic() - started

    assert elapsed < timeout + 1.5, elapsed
    platform = result(report, "platform")
    assert platform.status == "fail"
    assert f"within {timeout:g}s" in platform.summary
    assert "network" in remedy(report, "platform")
    assert result(report, "workspaces").status == "warn"
    assert result(report, "identity").status == "pass"  # STS answered; only the platform hung


def test_checks_run_concurrently(fake_platform: FakePlatformServer, aws_files: AwsFiles) -> None:
    """Models and workspaces each wait 1 s: together about 1 s, not 2."""
    aws_files.add_static("static")
    run(sigv4(fake_platform))  # warm up botocore's loaders
    fake_platform.delay_seconds = 1.0

    report = run(sigv4(fake_platform))

    assert report.ok
    both = result(report, "platform").seconds + result(report, "workspaces").seconds
    assert both >= 2.0
    # One after the other would take at least the sum; overlapped, about one delay. The
    # credentials come first (a child process of their own): not part of the overlap.
    remote = report.seconds - result(report, "credentials").seconds
    assert remote < both - 0.5, (remote, both)


def test_dropped_connection_fails_with_a_connection_remedy(
    fake_platform: FakePlatformServer, aws_files: AwsFiles
) -> None:
    aws_files.add_static("static")
    fake_platform.drop_connections = True

    report = run(sigv4(fake_platform))

    platform = result(report, "platform")
    assert platform.status == "fail"
    assert "closed the connection" in platform.summary
    text = remedy(report, "platform")
    assert fake_platform.base_url in text
    assert "gateway is running" in text


def test_nothing_listening_fails_with_a_connection_remedy() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    base_url = f"http://127.0.0.1:{port}"  # closed again: connections are refused

    report = run(api_key(base_url), secrets={"api_key": TEST_API_KEY})

    platform = result(report, "platform")
    assert platform.status == "fail"
    assert "cannot connect" in platform.summary
    assert base_url in remedy(report, "platform")


def test_tls_failure_fails_with_a_certificate_remedy(fake_platform: FakePlatformServer) -> None:
    """https to a server that speaks plain http: the handshake fails."""
    base_url = f"https://127.0.0.1:{fake_platform.port}"

    report = run(api_key(base_url), secrets={"api_key": TEST_API_KEY})

    platform = result(report, "platform")
    assert platform.status == "fail"
    assert "TLS" in platform.summary
    assert "CA" in remedy(report, "platform")


def _dns_fails_fast(host: str) -> bool:
    box: dict[str, bool] = {}

    def lookup() -> None:
        try:
            socket.getaddrinfo(host, 443)
            box["failed"] = False
        except OSError:
            box["failed"] = True

    thread = threading.Thread(target=lookup, daemon=True)
    thread.start()
    thread.join(3)
    return box.get("failed", False)


def test_dns_failure_fails_with_a_region_or_base_url_remedy() -> None:
    host = "nonexistent.invalid"  # RFC 2606: `.invalid` never resolves
    if not _dns_fails_fast(host):
        pytest.skip("this sandbox's resolver hangs or answers for .invalid")

    report = run(api_key(f"https://{host}"), secrets={"api_key": TEST_API_KEY}, timeout=3.0)

    platform = result(report, "platform")
    assert platform.status == "fail"
    assert f"cannot resolve {host}" in platform.summary
    text = remedy(report, "platform")
    assert "region" in text
    assert f"https://{host}" in text


# --------------------------------------------------------------------------- engine contract


def test_on_result_is_called_once_per_check(
    fake_platform: FakePlatformServer, aws_files: AwsFiles
) -> None:
    aws_files.add_static("static")
    seen: list[CheckResult] = []
    lock = threading.Lock()

    def collect(r: CheckResult) -> None:
        with lock:
            seen.append(r)

    report = run(sigv4(fake_platform, models={"opus": "claude-opus-4-8"}), on_result=collect)

    ids = [r.id for r in seen]
    assert sorted(ids) == sorted(report.results)
    assert len(ids) == len(set(ids))
    assert {r.id: r for r in seen} == report.results
    assert all(r.seconds >= 0 for r in seen)


def test_on_result_once_per_check_when_checks_time_out(
    fake_platform: FakePlatformServer, aws_files: AwsFiles
) -> None:
    aws_files.add_static("static")
    fake_platform.delay_seconds = 30
    seen: list[str] = []

    report = run(sigv4(fake_platform), timeout=0.5, on_result=lambda r: seen.append(r.id))
    time.sleep(0.5)  # a late thread must not report again

    assert sorted(seen) == sorted(report.results)
    assert len(seen) == len(set(seen))


def test_cancel_stops_reporting_and_sends_nothing(fake_platform: FakePlatformServer) -> None:
    cancel = threading.Event()
    seen: list[str] = []

    def first_only(r: CheckResult) -> None:
        seen.append(r.id)
        cancel.set()

    run(
        api_key(fake_platform.base_url),
        secrets={"api_key": TEST_API_KEY},
        on_result=first_only,
        cancel=cancel,
    )

    assert seen == ["secret"]
    assert fake_platform.requests == []


def test_cancelled_before_start_reports_nothing(
    fake_platform: FakePlatformServer, aws_files: AwsFiles
) -> None:
    aws_files.add_static("static")
    cancel = threading.Event()
    cancel.set()
    seen: list[str] = []

    run(sigv4(fake_platform), on_result=lambda r: seen.append(r.id), cancel=cancel)

    assert seen == []
    assert fake_platform.requests == []


def test_report_json_shape(fake_platform: FakePlatformServer, aws_files: AwsFiles) -> None:
    aws_files.add_static("static")

    data = run(sigv4(fake_platform)).to_json()

    assert set(data) == {"profile", "ok", "seconds", "checks", "identity", "models", "workspaces"}
    assert data["profile"] == "dev"
    assert data["ok"] is True
    assert [c["id"] for c in data["checks"]] == [
        "env",
        "credentials",
        "identity",
        "platform",
        "models",
        "workspaces",
    ]
    for check in data["checks"]:
        assert set(check) == {"id", "title", "status", "summary", "remedy", "seconds"}
    assert set(data["identity"]) == {"account", "arn", "user_id"}
    json.dumps(data)  # serialisable as is


@pytest.mark.parametrize(
    ("setup", "secret"),
    [
        ("bad-key", STALE_KEY),
        ("denied-key", TEST_API_KEY),
        ("good-key", TEST_API_KEY),
    ],
)
def test_platform_errors_never_carry_the_key(
    setup: str, secret: str, fake_platform: FakePlatformServer
) -> None:
    if setup == "denied-key":
        fake_platform.denied_api_keys.add(TEST_API_KEY)
    client = PlatformClient(
        api_key(fake_platform.base_url, workspace_id="wrkspc_01Unknown"),
        Auth(api_key=secret),
        timeout=5,
    )

    with pytest.raises(PlatformError) as info:
        client.list_models()

    for text in (str(info.value), repr(info.value), info.value.message, info.value.url):
        assert secret not in text


def test_sigv4_errors_never_carry_the_secret_key(fake_platform: FakePlatformServer) -> None:
    from botocore.credentials import Credentials

    creds = Credentials(TEST_ACCESS_KEY, "wrong/secret/key/value", TEMP_SESSION_TOKEN)
    client = PlatformClient(sigv4(fake_platform), Auth(credentials=creds.get_frozen_credentials()))

    with pytest.raises(PlatformError) as info:
        client.list_models()

    assert info.value.status == 403
    for text in (str(info.value), repr(info.value)):
        assert "wrong/secret/key/value" not in text
        assert TEMP_SESSION_TOKEN not in text


def test_concurrent_checks_log_no_warnings(
    fake_platform: FakePlatformServer, aws_files: AwsFiles, caplog: pytest.LogCaptureFixture
) -> None:
    """Models and workspaces share one connection pool; a pool of one logged "Connection pool
    is full" (a WARNING, which Python prints on stderr when nothing configures logging)."""
    aws_files.add_static("static")
    fake_platform.delay_seconds = 0.2  # both requests in flight at once

    with caplog.at_level("WARNING"):
        report = run(sigv4(fake_platform))

    assert report.ok
    assert [r.getMessage() for r in caplog.records if r.levelname == "WARNING"] == []


def test_env_warns_when_the_shell_names_another_aws_profile() -> None:
    """Claude Code signs as the shell's AWS_PROFILE, not the saved one, until it is exported."""
    from profiles.core.schema import Profile
    from profiles.platform.checks import check_env

    profile = Profile("dev", "sigv4", "wrkspc_01TestWorkspaceA", "us-east-1", aws_profile="dev")
    result = check_env(profile, {"AWS_PROFILE": "prod"}, {})
    assert result.status == "warn"
    assert "AWS_PROFILE is prod" in result.summary
    assert check_env(profile, {"AWS_PROFILE": "dev"}, {}).status == "pass"
