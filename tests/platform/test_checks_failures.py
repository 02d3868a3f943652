"""Every failure row of platform-facts comes back with its remedy, against the loopback fakes:
refusals the platform sends (IAM, keys, region, clock, workspace, federation), warnings about
the shell, and network failures (a hung or dropped server, nothing listening, TLS, DNS).
"""

from __future__ import annotations

import datetime as dt
import socket
import threading
import time
from collections.abc import Callable

import pytest

from profiles.platform.engine import run_checks
from tests.fakeplatform import (
    TEST_ACCESS_KEY,
    TEST_API_KEY,
    WORKSPACE_A,
    WORKSPACE_ARCHIVED,
    FakePlatformServer,
)
from tests.platform.checking import (
    BOGUS_ACCESS_KEY,
    BOGUS_SECRET_KEY,
    STALE_KEY,
    api_key,
    assert_no_secret,
    platform_requests,
    remedy,
    result,
    run,
    scope,
    sigv4,
)
from tests.servers import ACCOUNT_ID, AwsFiles

pytestmark = pytest.mark.usefixtures("sts_endpoint")


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
    assert (
        "the shell environment sets ANTHROPIC_AWS_API_KEY=sk-ant-…" in result(report, "env").summary
    )
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
    for var in ("ANTHROPIC_AWS_API_KEY", "AWS_REGION", "ANTHROPIC_AWS_WORKSPACE_ID"):
        assert var in env
    # Claude Code signs with AWS_PROFILE when the key variables are set too (the JavaScript
    # SDK's chain, tests/realclient): they do not change what it would do.
    assert "AWS_ACCESS_KEY_ID" not in env
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
