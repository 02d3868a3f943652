"""`aws_profile_warnings`: the lines `validate` adds where the AWS CLI (botocore, which gets
the live checks their credentials) and Claude Code read a profile's AWS profile differently.
Offline, and botocore is not imported for them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from profiles.core.schema import Profile
from profiles.usecases.validate import aws_profile_warnings

WS = "wrkspc_01TestWorkspaceA"
DIFFERENTLY = "the AWS CLI and Claude Code read this profile differently"


@pytest.fixture
def config(isolated_env: Path) -> Path:
    path = isolated_env / "home" / ".aws" / "config"
    path.write_text(
        "[profile dev]\nregion = eu-west-1 # Ireland\n"
        '[profile "my dev"]\nregion = eu-west-1\n'
        "[default]\nregion = us-east-1\ncredential_process = /bin/creds\n"
        "sso_session = corp\nsso_account_id = 1\nsso_role_name = r\n"
        "[sso-session corp]\nsso_start_url = https://corp/start\nsso_region = us-east-1\n",
        encoding="utf-8",
    )
    return path


def sigv4(aws_profile: str | None, **more: object) -> Profile:
    return Profile("p", "sigv4", WS, "us-east-1", aws_profile=aws_profile, **more)  # type: ignore[arg-type]


@pytest.mark.usefixtures("config")
def test_a_fact_per_line_for_the_profiles_aws_profile() -> None:
    assert aws_profile_warnings(sigv4("dev")) == [
        f"{DIFFERENTLY}: region: Claude Code uses eu-west-1, "
        "the AWS CLI uses a value that is not a region name"
    ]
    assert aws_profile_warnings(sigv4("my dev")) == [f"{DIFFERENTLY}: Claude Code does not see it"]
    assert aws_profile_warnings(sigv4("nowhere")) == []


@pytest.mark.usefixtures("config")
def test_the_default_chain_is_aws_profile_else_default(monkeypatch: pytest.MonkeyPatch) -> None:
    default = [f"{DIFFERENTLY}: credentials: Claude Code uses credential_process, the AWS CLI SSO"]
    assert aws_profile_warnings(sigv4(None)) == default
    monkeypatch.setenv("AWS_PROFILE", "dev")
    assert aws_profile_warnings(sigv4(None)) == aws_profile_warnings(sigv4("dev"))


@pytest.mark.usefixtures("config")
def test_nothing_for_profiles_that_do_not_sign_here() -> None:
    keyed = Profile("k", "api-key", WS, "us-east-1", api_key_store="file")
    assert aws_profile_warnings(keyed) == []
    gateway = sigv4("dev", base_url="https://gw.example.com", gateway_signs=True)
    assert aws_profile_warnings(gateway) == []


def test_an_unreadable_file_is_left_to_the_credentials_check(isolated_env: Path) -> None:
    import os

    os.mkfifo(isolated_env / "home" / ".aws" / "config")
    assert aws_profile_warnings(sigv4("dev")) == []


@pytest.mark.usefixtures("config")
def test_botocore_is_not_imported() -> None:
    code = (
        "import sys; from profiles.core.schema import Profile; "
        "from profiles.usecases.validate import aws_profile_warnings; "
        "print(aws_profile_warnings(Profile('p', 'sigv4', 'wrkspc_1', 'us-east-1', "
        "aws_profile='dev'))); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('boto3', 'botocore')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.splitlines()[-1] == "[]"
    assert "region: Claude Code uses eu-west-1" in out
