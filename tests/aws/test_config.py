"""Tests for profiles.aws (ini, profiles, sso): AWS profile discovery without boto3/botocore.

Every test points HOME, AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE at tmp_path, so the
real ~/.aws is never read.
"""

from __future__ import annotations

import configparser
import hashlib
import json
import shlex
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from profiles.aws import ini as aws_ini
from profiles.aws import paths as aws_paths
from profiles.aws import profiles as aws_profiles
from profiles.aws.ini import AwsConfigError
from profiles.aws.profiles import (
    AwsProfile,
    ProfileKind,
    SsoSession,
    discover_aws_profiles,
    sso_sessions,
)
from profiles.aws.sso import login_command_text, sso_cache_path, sso_token_status

SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY"
SESSION_TOKEN = "IQoJb3JpZ2luX2VjEFAKESESSIONTOKEN"


@dataclass
class AwsFiles:
    home: Path
    config: Path
    credentials: Path

    def write_config(self, text: str) -> None:
        self.config.parent.mkdir(parents=True, exist_ok=True)
        self.config.write_text(text, encoding="utf-8")

    def write_credentials(self, text: str) -> None:
        self.credentials.parent.mkdir(parents=True, exist_ok=True)
        self.credentials.write_text(text, encoding="utf-8")

    def profiles(self) -> dict[str, AwsProfile]:
        return {p.name: p for p in discover_aws_profiles()}

    @property
    def sso_cache(self) -> Path:
        return self.home / ".aws" / "sso" / "cache"


@pytest.fixture
def aws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AwsFiles:
    home = tmp_path / "aws-home"  # our own, whatever conftest.py sets up
    home.mkdir()
    files = AwsFiles(home, home / ".aws" / "config", home / ".aws" / "credentials")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(files.config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(files.credentials))
    return files


# --------------------------------------------------------------------------- files & env


def test_missing_files_give_no_profiles(aws: AwsFiles) -> None:
    assert discover_aws_profiles() == []
    assert sso_sessions() == []


def test_directory_instead_of_file_is_ignored_like_botocore(aws: AwsFiles) -> None:
    aws.config.mkdir(parents=True)
    assert discover_aws_profiles() == []


def test_oversized_config_is_refused_with_its_size_cap(aws: AwsFiles) -> None:
    # A FIFO and /dev/zero are tested as subprocesses (with a memory cap) in
    # tests/test_unreadable_files.py; a plain huge file is refused by its size alone.
    aws.config.parent.mkdir(parents=True, exist_ok=True)
    with aws.config.open("wb") as fh:
        fh.truncate(5 * 1024 * 1024)  # sparse: costs no disk
    with pytest.raises(AwsConfigError, match=r"config: is larger than 4096 KiB"):
        sso_sessions()


def test_env_vars_choose_the_files_at_call_time(
    aws: AwsFiles, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    aws.write_config("[profile home-config]\nregion = us-east-1\n")
    other = tmp_path / "elsewhere"
    other.mkdir()
    (other / "cfg").write_text("[profile other-config]\nregion = eu-west-1\n")
    (other / "creds").write_text("[other-creds]\naws_access_key_id = AKIAOTHER\n")

    assert [p.name for p in discover_aws_profiles()] == ["home-config"]
    monkeypatch.setenv("AWS_CONFIG_FILE", str(other / "cfg"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(other / "creds"))
    found = discover_aws_profiles()
    assert [p.name for p in found] == ["other-config", "other-creds"]
    assert found[0].source_files == (other / "cfg",)
    assert found[1].source_files == (other / "creds",)


def test_env_var_paths_expand_tilde_and_vars(
    aws: AwsFiles, monkeypatch: pytest.MonkeyPatch
) -> None:
    (aws.home / "my").mkdir()
    (aws.home / "my" / "config").write_text("[profile tilde]\n")
    (aws.home / "my" / "credentials").write_text("[dollar]\naws_access_key_id = AKIA1\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", "~/my/config")
    monkeypatch.setenv("MY_AWS_DIR", str(aws.home / "my"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "$MY_AWS_DIR/credentials")
    assert set(aws.profiles()) == {"tilde", "dollar"}
    assert aws_paths.default_config_path() == aws.home / "my" / "config"


def test_defaults_to_home_dot_aws_when_env_unset(
    aws: AwsFiles, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AWS_CONFIG_FILE")
    monkeypatch.delenv("AWS_SHARED_CREDENTIALS_FILE")
    aws.write_config("[default]\nregion = us-west-2\n")
    aws.write_credentials("[default]\naws_access_key_id = AKIADEFAULT\n")
    assert aws_paths.default_config_path() == aws.home / ".aws" / "config"
    assert aws_paths.default_credentials_path() == aws.home / ".aws" / "credentials"
    [default] = discover_aws_profiles()
    assert default.source_files == (aws.config, aws.credentials)


def test_explicit_paths_beat_env(aws: AwsFiles, tmp_path: Path) -> None:
    aws.write_config("[profile from-env]\n")
    explicit = tmp_path / "explicit-config"
    explicit.write_text("[profile from-arg]\n")
    names = [p.name for p in discover_aws_profiles(config_file=explicit)]
    assert names == ["from-arg"]
    assert discover_aws_profiles(explicit, tmp_path / "nope")[0].source_files == (explicit,)


# --------------------------------------------------------------------------- kinds


def test_sso_via_sso_session(aws: AwsFiles) -> None:
    aws.write_config(
        "[profile dev]\n"
        "sso_session = corp\n"
        "sso_account_id = 111122223333\n"
        "sso_role_name = Developer\n"
        "region = eu-central-1\n"
        "\n"
        "[sso-session corp]\n"
        "sso_start_url = https://corp.awsapps.com/start\n"
        "sso_region = us-east-1\n"
        "sso_registration_scopes = sso:account:access\n"
    )
    dev = aws.profiles()["dev"]
    assert dev == AwsProfile(
        name="dev",
        kind=ProfileKind.SSO,
        region="eu-central-1",
        sso_session="corp",
        sso_start_url="https://corp.awsapps.com/start",
        sso_region="us-east-1",
        sso_account_id="111122223333",
        sso_role_name="Developer",
        source_files=(aws.config,),
    )
    assert dev.kind == "sso"  # StrEnum: compares as a plain string
    assert sso_sessions() == [
        SsoSession(
            name="corp",
            start_url="https://corp.awsapps.com/start",
            region="us-east-1",
            registration_scopes="sso:account:access",
        )
    ]


def test_sso_legacy_start_url(aws: AwsFiles) -> None:
    aws.write_config(
        "[profile legacy]\n"
        "sso_start_url = https://d-abc123.awsapps.com/start\n"
        "sso_region = us-west-2\n"
        "sso_account_id = 123456789012\n"
        "sso_role_name = ReadOnly\n"
    )
    legacy = aws.profiles()["legacy"]
    assert legacy.kind is ProfileKind.SSO
    assert legacy.sso_session is None
    assert legacy.sso_start_url == "https://d-abc123.awsapps.com/start"
    assert legacy.sso_region == "us-west-2"
    assert legacy.issues == ()


def test_sso_session_without_role_is_still_sso_for_login(aws: AwsFiles) -> None:
    # botocore's SSO credential provider skips it, but `aws sso login --profile` works.
    aws.write_config(
        "[profile login-only]\nsso_session = corp\n"
        "[sso-session corp]\nsso_start_url = https://x.awsapps.com/start\nsso_region = us-east-1\n"
    )
    assert aws.profiles()["login-only"].kind is ProfileKind.SSO


def test_assume_role_with_source_profile(aws: AwsFiles) -> None:
    aws.write_config(
        "[profile base]\nregion = us-east-1\n"
        "[profile admin]\n"
        "role_arn = arn:aws:iam::123456789012:role/Admin\n"
        "source_profile = base\n"
    )
    aws.write_credentials(
        f"[base]\naws_access_key_id = AKIABASE\naws_secret_access_key = {SECRET}\n"
    )
    found = aws.profiles()
    admin = found["admin"]
    assert admin.kind is ProfileKind.ASSUME_ROLE
    assert admin.role_arn == "arn:aws:iam::123456789012:role/Admin"
    assert admin.source_profile == "base"
    assert admin.credential_source is None
    assert admin.issues == ()
    assert found["base"].kind is ProfileKind.STATIC


def test_assume_role_with_credential_source(aws: AwsFiles) -> None:
    aws.write_config(
        "[profile ec2]\n"
        "role_arn = arn:aws:iam::123456789012:role/Worker\n"
        "credential_source = Ec2InstanceMetadata\n"
    )
    ec2 = aws.profiles()["ec2"]
    assert ec2.kind is ProfileKind.ASSUME_ROLE
    assert ec2.credential_source == "Ec2InstanceMetadata"
    assert ec2.source_profile is None


def test_credential_process(aws: AwsFiles) -> None:
    aws.write_config(f"[profile proc]\ncredential_process = /usr/bin/get-creds --key {SECRET}\n")
    proc = aws.profiles()["proc"]
    assert proc.kind is ProfileKind.PROCESS
    # The command line may embed a secret: it is not kept.
    assert SECRET not in repr(proc)


def test_web_identity(aws: AwsFiles) -> None:
    aws.write_config(
        "[profile web]\n"
        "role_arn = arn:aws:iam::123456789012:role/Web\n"
        "web_identity_token_file = /var/run/token\n"
        "role_session_name = me\n"
    )
    web = aws.profiles()["web"]
    assert web.kind is ProfileKind.WEB_IDENTITY
    assert web.role_arn == "arn:aws:iam::123456789012:role/Web"


def test_static_keys_only_in_credentials_file(aws: AwsFiles) -> None:
    aws.write_credentials(
        f"[ci]\naws_access_key_id = AKIACI\naws_secret_access_key = {SECRET}\n"
        f"aws_session_token = {SESSION_TOKEN}\n"
    )
    ci = aws.profiles()["ci"]
    assert ci.kind is ProfileKind.STATIC
    assert ci.source_files == (aws.credentials,)
    assert ci.region is None


def test_static_keys_in_config_file(aws: AwsFiles) -> None:
    aws.write_config(
        f"[profile cfgkeys]\naws_access_key_id = AKIA\naws_secret_access_key = {SECRET}\n"
    )
    assert aws.profiles()["cfgkeys"].kind is ProfileKind.STATIC


def test_region_only_is_unknown(aws: AwsFiles) -> None:
    aws.write_config("[profile bare]\nregion = ap-southeast-2\noutput = json\n")
    bare = aws.profiles()["bare"]
    assert bare.kind is ProfileKind.UNKNOWN
    assert bare.region == "ap-southeast-2"


def test_profile_in_both_files_is_merged(aws: AwsFiles) -> None:
    aws.write_config("[profile both]\nregion = eu-west-3\noutput = json\n")
    aws.write_credentials(
        f"[both]\naws_access_key_id = AKIABOTH\naws_secret_access_key = {SECRET}\n"
    )
    both = aws.profiles()["both"]
    assert both.kind is ProfileKind.STATIC
    assert both.region == "eu-west-3"
    assert both.source_files == (aws.config, aws.credentials)


def test_credentials_file_keys_override_config_file_keys(aws: AwsFiles) -> None:
    # botocore Session.full_config: profile.update(credentials-file section).
    aws.write_config("[profile both]\nregion = eu-west-3\n")
    aws.write_credentials("[both]\nregion = us-east-2\n")
    assert aws.profiles()["both"].region == "us-east-2"


# --------------------------------------------------------------------------- precedence


@pytest.mark.parametrize(
    ("config", "credentials", "kind"),
    [
        pytest.param(
            "role_arn = arn:aws:iam::1:role/r\nsource_profile = x\n",
            "aws_access_key_id = AKIA\naws_secret_access_key = s\n",
            ProfileKind.ASSUME_ROLE,
            id="assume-role beats static keys",
        ),
        pytest.param(
            "role_arn = arn:aws:iam::1:role/r\nsource_profile = x\nweb_identity_token_file = /t\n",
            "",
            ProfileKind.WEB_IDENTITY,
            id="a token file turns assume-role into web identity",
        ),
        pytest.param(
            "sso_start_url = https://u\nsso_region = r\nsso_account_id = 1\nsso_role_name = n\n"
            "credential_process = /bin/x\n",
            "aws_access_key_id = AKIA\naws_secret_access_key = s\n",
            ProfileKind.SSO,
            id="sso beats credentials file and process",
        ),
        pytest.param(
            "credential_process = /bin/x\n",
            "aws_access_key_id = AKIA\naws_secret_access_key = s\n",
            ProfileKind.STATIC,
            id="credentials-file keys beat credential_process",
        ),
        pytest.param(
            "credential_process = /bin/x\naws_access_key_id = AKIA\naws_secret_access_key = s\n",
            "",
            ProfileKind.PROCESS,
            id="credential_process beats config-file keys",
        ),
        pytest.param(
            "sso_start_url = https://u\nsso_region = r\n",
            "aws_access_key_id = AKIA\naws_secret_access_key = s\n",
            ProfileKind.STATIC,
            id="login-only sso loses to static keys",
        ),
        pytest.param(
            "role_arn = arn:aws:iam::1:role/r\naws_access_key_id = AKIA\n",
            "",
            ProfileKind.UNKNOWN,
            id="role_arn without a source is broken",
        ),
    ],
)
def test_kind_precedence_follows_botocore_chain(
    aws: AwsFiles, config: str, credentials: str, kind: ProfileKind
) -> None:
    aws.write_config("[profile x]\n" + config)
    if credentials:
        aws.write_credentials("[x]\n" + credentials)
    assert aws.profiles()["x"].kind is kind


def test_issues_name_problems_without_values(aws: AwsFiles) -> None:
    aws.write_config(
        "[profile lost-session]\nsso_session = nowhere\nsso_account_id = 1\nsso_role_name = r\n"
        "[profile lost-source]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = ghost\n"
        "[profile no-source]\nrole_arn = arn:aws:iam::1:role/r\n"
        "[profile half-sso]\nsso_start_url = https://u\nsso_account_id = 1\n"
        "[profile both-sources]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = half-sso\n"
        "credential_source = Environment\n"
        "[profile mismatch]\nsso_session = s\nsso_region = eu-west-1\nsso_role_name = r\n"
        "[sso-session s]\nsso_start_url = https://s\nsso_region = us-east-1\n"
    )
    aws.write_credentials("[half-key]\naws_access_key_id = AKIA\n")
    found = aws.profiles()
    assert found["lost-session"].issues == ("sso-session 'nowhere' is not defined",)
    assert found["lost-session"].sso_session == "nowhere"
    assert found["lost-source"].issues == ("source_profile 'ghost' is not defined",)
    assert found["no-source"].issues == (
        "role_arn is set without source_profile or credential_source",
    )
    assert found["half-sso"].issues == ("SSO profile is missing sso_region, sso_role_name",)
    assert found["both-sources"].issues == ("both source_profile and credential_source are set",)
    assert found["half-key"].issues == ("aws_access_key_id is set without aws_secret_access_key",)
    mismatch = found["mismatch"]
    assert mismatch.issues == ("sso_region differs between the profile and its sso-session",)
    assert mismatch.sso_region == "us-east-1"  # the sso-session wins, as in botocore


# --------------------------------------------------------------------------- parsing rules


def test_sorted_default_first_then_by_name(aws: AwsFiles) -> None:
    aws.write_config("[profile zeta]\n[profile Beta]\n[default]\n[profile alpha]\n")
    aws.write_credentials("[gamma]\n")
    assert [p.name for p in discover_aws_profiles()] == [
        "default",
        "alpha",
        "Beta",
        "gamma",
        "zeta",
    ]


def test_section_names_follow_botocore(aws: AwsFiles) -> None:
    aws.write_config(
        "[profile  spaced ]\n"
        '[profile "with space"]\n'
        "[profile 'single quoted']\n"
        "[profile]\n"  # no name: ignored
        "[profile a b]\n"  # two names: ignored
        "[profile 'unbalanced]\n"  # shlex error: ignored
        "[plugins]\n"
        "cli_legacy_plugin_path = /x\n"
        "[preview]\n"
        "[services my-services]\n"
        "s3 =\n"
        "  endpoint_url = http://localhost:4566\n"
        "[ default ]\n"  # not exactly "default": ignored
    )
    aws.write_credentials("[profile odd]\n[ padded ]\n")
    names = set(aws.profiles())
    # Every credentials-file section is a profile, named verbatim.
    assert names == {"spaced", "with space", "single quoted", "profile odd", " padded "}


def test_later_section_for_same_profile_replaces_earlier(aws: AwsFiles) -> None:
    aws.write_config("[default]\nregion = us-east-1\n[profile default]\noutput = json\n")
    [default] = discover_aws_profiles()
    assert default.region is None  # [profile default] replaced [default] wholesale


def test_comments_delimiters_and_case(aws: AwsFiles) -> None:
    aws.write_config(
        "# leading comment\n"
        "; another\n"
        "[profile c]\n"
        "   # indented comment\n"
        "REGION: us-east-1 # not a comment: botocore keeps inline text\n"
        "Role_Arn=arn:aws:iam::1:role/r\n"
        "credential_source   =   Environment\n"
    )
    c = aws.profiles()["c"]
    assert c.region == "us-east-1 # not a comment: botocore keeps inline text"
    assert c.kind is ProfileKind.ASSUME_ROLE
    assert c.credential_source == "Environment"


def test_nested_blocks_default_section_and_crlf(aws: AwsFiles) -> None:
    aws.write_config(
        "[DEFAULT]\r\n"
        "region = inherited\r\n"
        "[profile n]\r\n"
        "s3 =\r\n"
        "    addressing_style = path\r\n"
        "\r\n"
        "    signature_version = s3v4\r\n"
        "[profile own]\r\n"
        "region = mine\r\n"
    )
    found = aws.profiles()
    assert set(found) == {"n", "own"}  # [DEFAULT] is not a profile
    assert found["n"].region == "inherited"
    assert found["own"].region == "mine"


def test_empty_values_read_as_none(aws: AwsFiles) -> None:
    aws.write_config("[profile e]\nregion =\nrole_arn:\n")
    e = aws.profiles()["e"]
    assert e.region is None
    assert e.role_arn is None


def test_multiline_value_continues(aws: AwsFiles) -> None:
    aws.write_config("[profile m]\nregion = us-east-1\n  more\n")
    assert aws.profiles()["m"].region == "us-east-1\nmore"


# --------------------------------------------------------------------------- malformed files


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        pytest.param(
            "[profile a]\nregion = x\nthis is not a setting\n",
            3,
            "expected 'key = value'",
            id="line without delimiter",
        ),
        pytest.param(
            "region = x\n[profile a]\n",
            1,
            "before any settings",
            id="key before any section",
        ),
        pytest.param(
            "# fine\n\n  region = x\n",
            3,
            "before any settings",
            id="key before any section after comments",
        ),
        pytest.param(
            "[profile a]\n[profile b]\nregion = x\n[profile a]\n",
            4,
            "section [profile a] is defined twice (first on line 1)",
            id="duplicate section",
        ),
        pytest.param(
            "[profile a]\nregion = x\nRegion = y\n",
            3,
            "key 'region' is set twice in section [profile a]",
            id="duplicate key",
        ),
        pytest.param(
            "[profile a]\n= value\n",
            2,
            "expected 'key = value'",
            id="empty key",
        ),
        pytest.param(
            "[profile a]\nbad one\nbad two\nbad three\n",
            2,
            "(2 more malformed line(s) follow)",
            id="several bad lines report the first",
        ),
        pytest.param(
            "[profile a]\nbad\n[profile a]\n",
            3,
            "defined twice",
            id="duplicate section stops before pending bad lines, like configparser",
        ),
        pytest.param(
            "[profile a]\ns3 =\n  addressing_style = path\n\n  oops\n",
            5,
            "nested block of 's3' in section [profile a]",
            id="bad nested block",
        ),
        pytest.param(
            "\ufeff[default]\nregion = x\n",
            1,
            "byte-order mark",
            id="BOM",
        ),
    ],
)
def test_malformed_config_reports_path_and_line(
    aws: AwsFiles, text: str, line: int, fragment: str
) -> None:
    aws.write_config(text)
    with pytest.raises(AwsConfigError) as info:
        discover_aws_profiles()
    err = info.value
    assert isinstance(err, ValueError)
    assert err.path == aws.config
    assert err.line == line
    assert str(err).startswith(f"{aws.config}:{line}: ")
    assert fragment in str(err)
    assert "\n" not in str(err)
    assert "Traceback" not in str(err)


def test_malformed_credentials_file_names_that_file(aws: AwsFiles) -> None:
    aws.write_config("[default]\n")
    aws.write_credentials("[default]\naws_access_key_id = AKIA\n[default]\n")
    with pytest.raises(
        AwsConfigError, match=r"credentials:3: section \[default\] is defined twice"
    ):
        discover_aws_profiles()


def test_invalid_utf8_reports_line(aws: AwsFiles) -> None:
    aws.config.parent.mkdir(parents=True)
    aws.config.write_bytes(b"[default]\nregion = us-east-1\nsso_role_name = caf\xe9\n")
    with pytest.raises(AwsConfigError) as info:
        discover_aws_profiles()
    assert info.value.line == 3
    assert "not valid UTF-8" in str(info.value)


def test_sso_sessions_raises_on_malformed_config(aws: AwsFiles) -> None:
    aws.write_config("[sso-session s]\nnope\n")
    with pytest.raises(AwsConfigError, match=r":2: "):
        sso_sessions()


# --------------------------------------------------------------------------- secrets


def test_secrets_never_in_repr_or_str_of_results(aws: AwsFiles) -> None:
    aws.write_config(f"[profile p]\nregion = us-east-1\naws_secret_access_key = {SECRET}\n")
    aws.write_credentials(
        f"[p]\naws_access_key_id = AKIAP\naws_secret_access_key = {SECRET}\n"
        f"aws_session_token = {SESSION_TOKEN}\n"
        f"[q]\naws_access_key_id = AKIAQ\naws_secret_access_key = {SECRET}\n"
    )
    found = discover_aws_profiles()
    assert [p.kind for p in found] == [ProfileKind.STATIC, ProfileKind.STATIC]
    for text in (repr(found), str(found), *(str(vars_of(p)) for p in found)):
        assert SECRET not in text
        assert SESSION_TOKEN not in text


def vars_of(profile: AwsProfile) -> dict[str, object]:
    return {name: getattr(profile, name) for name in profile.__slots__}


@pytest.mark.parametrize(
    "text",
    [
        f"[p]\naws_secret_access_key {SECRET}\n",  # missing "="
        f"aws_secret_access_key = {SECRET}\n[p]\n",  # before any section
        f"[p]\naws_secret_access_key = {SECRET}\naws_secret_access_key = {SECRET}\n",
        f"[p]\ns3 =\n  {SECRET}\n",
        f"[p]\n{SECRET}\n",
    ],
)
def test_secrets_never_in_errors(aws: AwsFiles, text: str) -> None:
    aws.write_credentials(text)
    with pytest.raises(AwsConfigError) as info:
        discover_aws_profiles()
    for rendered in (str(info.value), repr(info.value), str(info.value.args)):
        assert SECRET not in rendered
    assert info.value.__cause__ is None
    assert info.value.__suppress_context__ or info.value.__context__ is None


# --------------------------------------------------------------------------- SSO token cache


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


# --------------------------------------------------------------------------- properties

profile_names = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="]"),
    min_size=1,
    max_size=20,
).filter(lambda name: name != "DEFAULT")


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(names=st.lists(profile_names, min_size=1, max_size=6, unique=True))
def test_profile_names_round_trip(aws: AwsFiles, names: list[str]) -> None:
    # Config file: shell-quoted after "profile"; credentials file: verbatim.
    aws.write_config(
        "".join(f"[profile {shlex.quote(n)}]\nregion = r-{i}\n" for i, n in enumerate(names))
    )
    aws.write_credentials(
        "".join(f"[{n}]\naws_access_key_id = AKIA{i}\n" for i, n in enumerate(names))
    )
    found = discover_aws_profiles()
    assert sorted(p.name for p in found) == sorted(names)
    for profile in found:
        index = names.index(profile.name)
        assert profile.region == f"r-{index}"
        assert profile.source_files == (aws.config, aws.credentials)
        assert shlex.split(login_command_text(profile.name))[-1] == profile.name


@given(st.text(alphabet=st.sampled_from(" \t\r\nab'\"\\#\x0b\x0c\xa0\u2003x"), max_size=12))
def test_section_name_split_matches_shlex(text: str) -> None:
    try:
        expected: list[str] | None = shlex.split(text)
    except ValueError:
        expected = None
    assert aws_profiles._shlex_words(text) == expected


# Lines built from the pieces configparser cares about: headers, keys with either delimiter,
# indentation, blank lines, comments and junk.
_piece = st.sampled_from(["a", "B", " ", "\t", "=", ":", "#", ";", "[", "]", "x y", "\xa0", "\x0c"])
_text = st.lists(_piece, max_size=6).map("".join)
_line = st.one_of(
    st.builds(lambda n: f"[{n}]", st.sampled_from(["a", "b", "DEFAULT", "profile x", " a", "]"])),
    st.builds(
        lambda k, d, v: f"{k}{d}{v}",
        st.sampled_from(["a", "A", "b", "key ", ""]),
        st.sampled_from(["=", ":", " = ", " :"]),
        _text,
    ),
    st.builds(lambda ws, t: ws + t, st.sampled_from([" ", "  ", "\t", "    "]), _text),
    st.sampled_from(["", "   ", "# c", "; c", "  # indented"]),
    _text,
)


@settings(max_examples=500, deadline=None)
@given(st.lists(_line, max_size=12), st.booleans())
def test_parser_matches_configparser(lines: list[str], start_with_header: bool) -> None:
    """The fast parser agrees with configparser.RawConfigParser (botocore's parser)."""
    text = "\n".join(["[s]", *lines] if start_with_header else lines) + "\n"
    parser = configparser.RawConfigParser()
    expected_line: int | None = None
    try:
        parser.read_string(text)
    except configparser.MissingSectionHeaderError as exc:
        expected_line = exc.lineno
    except configparser.ParsingError as exc:
        expected_line = exc.errors[0][0]
    except (configparser.DuplicateSectionError, configparser.DuplicateOptionError) as exc:
        expected_line = exc.lineno

    path = Path("/virtual/config")
    if expected_line is not None:
        with pytest.raises(AwsConfigError) as info:
            aws_ini.parse_ini(aws_ini.split_lines(text), path)
        assert info.value.line == expected_line
        return
    raw = aws_ini.parse_ini(aws_ini.split_lines(text), path)
    assert list(raw.sections) == parser.sections()
    assert raw.sections == {s: dict(parser.items(s)) for s in parser.sections()}


_section_names = st.sampled_from(
    [
        "default",
        "profile a",
        "profile  b ",
        'profile "c d"',
        "profile a b",
        "profilex y",
        "sso-session s",
        "plugins",
        "DEFAULT",
        " default",
    ]
)
_settings = st.sampled_from(
    [
        "region = us-east-1",
        "region: eu-west-1 # inline",
        "REGION=",
        "sso_session = s",
        "sso_start_url = https://u",
        "aws_access_key_id = AKIA",
        "s3 =\n  addressing_style = path",
        "s3 =\n  broken",
        "  continued",
        "",
        "# comment",
        "junk",
    ]
)
# Mostly well-formed (distinct sections and settings), so both outcomes get exercised.
_ini = st.lists(
    st.tuples(_section_names, st.lists(_settings, max_size=3, unique=True)),
    max_size=5,
    unique_by=lambda section: section[0],
).map(lambda secs: "".join(f"[{n}]\n" + "".join(f"{x}\n" for x in body) for n, body in secs))


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(config=_ini, credentials=_ini)
def test_agrees_with_botocore(aws: AwsFiles, config: str, credentials: str) -> None:
    """Same profiles, regions and errors as botocore's own loader, when botocore is installed."""
    botocore_session = pytest.importorskip("botocore.session")
    botocore_exceptions = pytest.importorskip("botocore.exceptions")
    aws.write_config(config)
    aws.write_credentials(credentials)
    try:
        expected = botocore_session.Session().full_config
    except botocore_exceptions.ConfigParseError:
        with pytest.raises(AwsConfigError):
            discover_aws_profiles()
        return
    found = {p.name: p for p in discover_aws_profiles()}
    assert set(found) == set(expected["profiles"])
    for name, values in expected["profiles"].items():
        region = values.get("region")
        assert found[name].region == (region if isinstance(region, str) and region else None)
    assert [s.name for s in sso_sessions()] == sorted(expected["sso_sessions"])


def test_module_does_not_import_the_aws_sdk() -> None:
    code = (
        "import sys, profiles.aws.profiles, profiles.aws.sso; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('boto3', 'botocore')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    ).stdout
    assert out.strip() == "[]"


# --------------------------------------------------------------------------- speed


def test_two_thousand_profiles_are_fast(aws: AwsFiles, capsys: pytest.CaptureFixture[str]) -> None:
    config: list[str] = ["[sso-session corp]\nsso_start_url = https://c/start\nsso_region = r\n"]
    credentials: list[str] = []
    expected: Counter[ProfileKind] = Counter()
    for i in range(2000):
        match i % 7:
            case 0:
                credentials.append(
                    f"[p{i}]\naws_access_key_id = AKIA{i}\naws_secret_access_key = {SECRET}\n"
                )
                expected[ProfileKind.STATIC] += 1
            case 1:
                config.append(
                    f"[profile p{i}]\nsso_session = corp\nsso_account_id = {i}\n"
                    "sso_role_name = Admin\nregion = us-east-1\n"
                )
                expected[ProfileKind.SSO] += 1
            case 2:
                config.append(
                    f"[profile p{i}]\nsso_start_url = https://l/start\nsso_region = r\n"
                    f"sso_account_id = {i}\nsso_role_name = Admin\n"
                )
                expected[ProfileKind.SSO] += 1
            case 3:
                config.append(
                    f"[profile p{i}]\nrole_arn = arn:aws:iam::{i}:role/r\nsource_profile = p0\n"
                )
                expected[ProfileKind.ASSUME_ROLE] += 1
            case 4:
                config.append(f"[profile p{i}]\ncredential_process = /bin/creds {i}\n")
                expected[ProfileKind.PROCESS] += 1
            case 5:
                config.append(
                    f"[profile p{i}]\nrole_arn = arn:aws:iam::{i}:role/w\n"
                    "web_identity_token_file = /var/run/token\n"
                )
                expected[ProfileKind.WEB_IDENTITY] += 1
            case _:
                # Half of these also get keys from the credentials file: merged profiles.
                config.append(f"[profile p{i}]\nregion = eu-west-1\ns3 =\n  a = b\n")
                if i % 2:
                    credentials.append(f"[p{i}]\naws_access_key_id = AKIA\n")
                    expected[ProfileKind.STATIC] += 1
                else:
                    expected[ProfileKind.UNKNOWN] += 1
    aws.write_config("\n".join(config))
    aws.write_credentials("\n".join(credentials))

    discover_aws_profiles()  # warm the page cache
    timings = []
    for _ in range(5):
        start = time.perf_counter()
        found = discover_aws_profiles()
        timings.append(time.perf_counter() - start)
    best = min(timings)

    assert len(found) == 2000
    assert Counter(p.kind for p in found) == expected
    with capsys.disabled():
        print(f"\n2,000 AWS profiles discovered in {best * 1000:.1f} ms (best of 5)")
    assert best < 1.0, f"2,000 profiles took {best:.3f}s"
