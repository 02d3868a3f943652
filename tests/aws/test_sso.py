"""Tests for profiles.aws.sso: the SSO token cache `aws sso login` writes (which Claude Code
reads too), token status, and the one `aws sso login` command line."""

from __future__ import annotations

import hashlib
import json
import shlex
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from profiles.aws.model import AwsProfile, ProfileKind
from profiles.aws.sso import login_command_text, sso_cache_path, sso_token_status
from tests.aws.awsfiles import AwsFiles


def test_sso_cache_path_matches_sdk_vectors(aws: AwsFiles) -> None:
    legacy = AwsProfile(
        name="l", kind=ProfileKind.SSO, sso_start_url="https://d-abc123.awsapps.com/start"
    )
    # Same vector as the AWS SDKs' SSO token tests (sha1 of the start URL).
    assert sso_cache_path(legacy) == (
        aws.sso_cache / "40a89917e3175433e361b710a9d43528d7f1890a.json"
    )
    with_session = AwsProfile(
        name="s",
        kind=ProfileKind.SSO,
        sso_session="admin",
        sso_start_url="https://d-abc123.awsapps.com/start",
    )
    # sso-session profiles key on the session name (botocore SSOTokenLoader), sha1("admin").
    assert sso_cache_path(with_session).name == "d033e22ae348aeb5660fc2140aec35850c4da997.json"
    assert sso_cache_path(with_session, cache_dir=Path("/c")) == Path(
        "/c/d033e22ae348aeb5660fc2140aec35850c4da997.json"
    )


def test_sso_cache_path_rejects_non_sso_profile() -> None:
    with pytest.raises(ValueError, match="'plain' has no sso_session or sso_start_url"):
        sso_cache_path(AwsProfile(name="plain", kind=ProfileKind.STATIC))


def write_cli_token(path: Path, expires_at: str, start_url: str = "https://x/start") -> None:
    """Write a token cache file the way `aws sso login` does."""
    path.parent.mkdir(parents=True, exist_ok=True)
    token = {
        "startUrl": start_url,
        "region": "us-east-1",
        "accessToken": "aoaFAKEACCESSTOKEN",
        "expiresAt": expires_at,
        "clientId": "client",
        "clientSecret": "FAKECLIENTSECRET",
        "registrationExpiresAt": "2027-01-01T00:00:00Z",
        "refreshToken": "FAKEREFRESH",
    }
    path.write_text(json.dumps(token))


@pytest.fixture
def sso_profile(aws: AwsFiles) -> AwsProfile:
    aws.write_config(
        "[profile dev]\nsso_session = corp\nsso_account_id = 1\nsso_role_name = Dev\n"
        "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\n"
        "sso_region = us-east-1\n"
    )
    return aws.profiles()["dev"]


NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def test_sso_token_status_valid_expired_missing(aws: AwsFiles, sso_profile: AwsProfile) -> None:
    cache = aws.sso_cache / (hashlib.sha1(b"corp").hexdigest() + ".json")
    assert sso_cache_path(sso_profile) == cache
    assert sso_token_status(sso_profile, now=NOW) == "missing"

    write_cli_token(cache, "2026-11-26T10:00:00Z")
    assert sso_token_status(sso_profile, now=NOW) == "valid"
    assert sso_token_status(sso_profile, now=NOW + timedelta(hours=1)) == "expired"
    assert sso_token_status(sso_profile, now=NOW + timedelta(hours=2)) == "expired"
    # A naive `now` is UTC.
    assert sso_token_status(sso_profile, now=datetime(2026, 11, 26, 9, 59)) == "valid"
    # Default `now` is the real clock: 2026-11-26T10:00Z is past or future, never missing.
    assert sso_token_status(sso_profile) in {"valid", "expired"}


def test_sso_token_status_legacy_profile(aws: AwsFiles) -> None:
    aws.write_config(
        "[profile old]\nsso_start_url = https://d-abc123.awsapps.com/start\n"
        "sso_region = us-east-1\nsso_account_id = 1\nsso_role_name = r\n"
    )
    old = aws.profiles()["old"]
    cache = aws.sso_cache / "40a89917e3175433e361b710a9d43528d7f1890a.json"
    write_cli_token(cache, "2026-11-26T09:30:00UTC")  # AWS CLI v1 style
    assert sso_token_status(old, now=NOW) == "valid"
    write_cli_token(cache, "2026-11-26T08:59:59.5+00:00")
    assert sso_token_status(old, now=NOW) == "expired"


@pytest.mark.parametrize(
    "content",
    [
        "not json",
        "[]",
        json.dumps({"expiresAt": "2099-01-01T00:00:00Z"}),  # no accessToken
        json.dumps({"accessToken": "t"}),  # no expiresAt
        json.dumps({"accessToken": "t", "expiresAt": "tomorrow"}),
        json.dumps({"accessToken": "t", "expiresAt": 12345}),
    ],
)
def test_sso_token_status_unusable_cache_is_missing(
    aws: AwsFiles, sso_profile: AwsProfile, content: str
) -> None:
    cache = sso_cache_path(sso_profile)
    cache.parent.mkdir(parents=True)
    cache.write_text(content)
    assert sso_token_status(sso_profile, now=NOW) == "missing"


def test_login_command_text_quotes_the_name() -> None:
    profile = AwsProfile(name="my dev; rm -rf ~", kind=ProfileKind.SSO)
    command = login_command_text(profile.name)
    assert shlex.split(command) == ["aws", "sso", "login", "--profile", "my dev; rm -rf ~"]
