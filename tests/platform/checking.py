"""What the live-check tests share: the secrets no report may show, profiles pointed at the
loopback fakes, and ways to read a Report. Plain helpers, imported by name."""

from __future__ import annotations

import json
import re
from typing import Any

from profiles.core.schema import Profile
from profiles.platform.engine import run_checks
from profiles.platform.results import CheckResult, Report
from tests.fakeplatform import (
    GATEWAY_TOKEN,
    TEMP_SECRET_KEY,
    TEMP_SESSION_TOKEN,
    TEST_API_KEY,
    TEST_SECRET_KEY,
    WORKSPACE_A,
    FakePlatformServer,
    RecordedRequest,
)
from tests.servers import SSO_ACCESS_TOKEN

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
