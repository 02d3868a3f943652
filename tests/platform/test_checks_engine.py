"""The check engine's contract: one result per check, cancel, the report's JSON shape, no secret
in any error, no warnings logged while checks run concurrently.
"""

from __future__ import annotations

import json
import threading
import time

import pytest

from profiles.core.schema import Profile
from profiles.platform.client import Auth, PlatformClient, PlatformError
from profiles.platform.results import CheckResult
from tests.fakeplatform import TEMP_SESSION_TOKEN, TEST_ACCESS_KEY, TEST_API_KEY, FakePlatformServer
from tests.platform.checking import STALE_KEY, api_key, run, sigv4
from tests.servers import AwsFiles

pytestmark = pytest.mark.usefixtures("sts_endpoint")


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
    from profiles.platform.checks import check_env

    profile = Profile("dev", "sigv4", "wrkspc_01TestWorkspaceA", "us-east-1", aws_profile="dev")
    result = check_env(profile, {"AWS_PROFILE": "prod"}, {})
    assert result.status == "warn"
    assert "the shell environment sets AWS_PROFILE=prod; the profile's is dev" in result.summary
    assert check_env(profile, {"AWS_PROFILE": "dev"}, {}).status == "pass"
