"""Tests for profiles.aws.profiles: the AWS profiles as Claude Code reads them (the JavaScript
SDK), and what the AWS CLI (botocore) reads differently.

What a test asserts by hand is also checked against the SDK itself where it is about files
(`agrees`, the `js_oracle` fixture): the realistic files below, random files, and the cases
the reader of before got wrong.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from profiles.aws import paths as aws_paths
from profiles.aws.ini import AwsConfigError
from profiles.aws.profiles import (
    AwsProfile,
    ProfileKind,
    SsoSession,
    discover_aws_profiles,
    read_aws_profiles,
    sso_sessions,
)
from tests.aws.awsfiles import SECRET, SESSION_TOKEN, AwsFiles

Agrees = Callable[[], None]

# --------------------------------------------------------------------------- files & env


def test_missing_files_give_no_profiles(aws: AwsFiles) -> None:
    assert discover_aws_profiles() == []
    assert sso_sessions() == []


def test_directory_instead_of_file_is_ignored(aws: AwsFiles) -> None:
    aws.config.mkdir(parents=True)
    assert discover_aws_profiles() == []


def test_oversized_config_is_refused_with_its_size_cap(aws: AwsFiles) -> None:
    # A FIFO and /dev/zero are tested as subprocesses (with a memory cap) in
    # tests/test_unreadable_files.py; a plain huge file is refused by its size alone.
    aws.config.parent.mkdir(parents=True, exist_ok=True)
    with aws.config.open("wb") as fh:
        fh.truncate(5 * 1024 * 1024)  # sparse: costs no disk
    with pytest.raises(AwsConfigError, match=r"config: is larger than 4096 KiB"):
        discover_aws_profiles()
    with pytest.raises(AwsConfigError, match=r"config: is larger than 4096 KiB"):
        sso_sessions()


def test_env_vars_choose_the_files_at_call_time(
    aws: AwsFiles, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    aws.write_config("[profile home-config]\nregion = us-east-1\n")
    other = tmp_path / "elsewhere"
    other.mkdir()
    (other / "cfg").write_text("[profile other-config]\nregion = eu-west-1\n")
    (other / "creds").write_text(
        f"[other-creds]\naws_access_key_id = AKIAOTHER\naws_secret_access_key = {SECRET}\n"
    )
    assert [p.name for p in discover_aws_profiles()] == ["home-config"]
    monkeypatch.setenv("AWS_CONFIG_FILE", str(other / "cfg"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(other / "creds"))
    found = discover_aws_profiles()
    assert [p.name for p in found] == ["other-config", "other-creds"]
    assert found[0].source_files == (other / "cfg",)
    assert found[1].source_files == (other / "creds",)
    assert [p.differences for p in found] == [(), ()]


def _tilde_and_dollar(aws: AwsFiles, monkeypatch: pytest.MonkeyPatch) -> None:
    (aws.home / "my").mkdir()
    (aws.home / "my" / "config").write_text("[profile tilde]\nregion = eu-west-1\n")
    (aws.home / "my" / "credentials").write_text(
        f"[dollar]\naws_access_key_id = AKIA1\naws_secret_access_key = {SECRET}\n"
    )
    monkeypatch.setenv("AWS_CONFIG_FILE", "~/my/config")
    monkeypatch.setenv("MY_AWS_DIR", str(aws.home / "my"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "$MY_AWS_DIR/credentials")
    monkeypatch.chdir(aws.home)


def test_env_var_paths_expand_only_a_leading_tilde(
    aws: AwsFiles, monkeypatch: pytest.MonkeyPatch
) -> None:
    _tilde_and_dollar(aws, monkeypatch)
    found = read_aws_profiles()
    # Claude Code opens "$MY_AWS_DIR/credentials" as it is (a relative path); the AWS CLI
    # expands the variable.
    assert [p.name for p in found.profiles] == ["tilde"]
    assert found.cli_only == ("dollar",)
    assert found.notes == (
        f"credentials file: Claude Code reads $MY_AWS_DIR/credentials, "
        f"the AWS CLI {aws.home}/my/credentials",
    )
    assert aws_paths.js_config_path() == aws.home / "my" / "config"
    assert aws_paths.default_credentials_path() == aws.home / "my" / "credentials"


def test_env_var_paths_agree(
    aws: AwsFiles, monkeypatch: pytest.MonkeyPatch, agrees: Agrees
) -> None:
    _tilde_and_dollar(aws, monkeypatch)
    agrees()


def test_an_empty_env_var_means_the_default_file(
    aws: AwsFiles, monkeypatch: pytest.MonkeyPatch, agrees: Agrees
) -> None:
    aws.write_config("[default]\nregion = us-west-2\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", "")
    [default] = read_aws_profiles().profiles  # botocore reads no file for "" at all
    assert default.source_files == (aws.home / ".aws" / "config",)
    assert default.differences == ("the AWS CLI does not see this profile",)
    agrees()


def test_defaults_to_home_dot_aws_when_env_unset(
    aws: AwsFiles, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AWS_CONFIG_FILE")
    monkeypatch.delenv("AWS_SHARED_CREDENTIALS_FILE")
    aws.write_config("[default]\nregion = us-west-2\n")
    aws.write_credentials(
        f"[default]\naws_access_key_id = AKIAD\naws_secret_access_key = {SECRET}\n"
    )
    assert aws_paths.js_config_path() == aws.home / ".aws" / "config"
    assert aws_paths.js_credentials_path() == aws.home / ".aws" / "credentials"
    [default] = discover_aws_profiles()
    assert default.source_files == (aws.config, aws.credentials)


def test_explicit_paths_beat_env(aws: AwsFiles, tmp_path: Path) -> None:
    aws.write_config("[profile from-env]\nregion = r\n")
    explicit = tmp_path / "explicit-config"
    explicit.write_text("[profile from-arg]\nregion = r\n")
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


@pytest.mark.parametrize(
    ("config", "credentials", "kind", "cli_kind"),
    [
        pytest.param(
            "role_arn = arn:aws:iam::1:role/r\nsource_profile = x\n",
            "aws_access_key_id = AKIA\naws_secret_access_key = s\n",
            ProfileKind.ASSUME_ROLE,
            ProfileKind.ASSUME_ROLE,
            id="assume-role beats static keys",
        ),
        pytest.param(
            "role_arn = arn:aws:iam::1:role/r\nsource_profile = x\n"
            "credential_source = Environment\n",
            "aws_access_key_id = AKIA\naws_secret_access_key = s\n",
            ProfileKind.STATIC,
            ProfileKind.ASSUME_ROLE,
            id="with both sources the role is not assumed",
        ),
        pytest.param(
            "role_arn = arn:aws:iam::1:role/r\nsource_profile = x\nweb_identity_token_file = /t\n",
            "",
            ProfileKind.ASSUME_ROLE,
            ProfileKind.WEB_IDENTITY,
            id="a source beats a token file",
        ),
        pytest.param(
            "role_arn = arn:aws:iam::1:role/r\nweb_identity_token_file = /t\n"
            "aws_access_key_id = AKIA\naws_secret_access_key = s\n",
            "",
            ProfileKind.STATIC,
            ProfileKind.WEB_IDENTITY,
            id="static keys beat web identity",
        ),
        pytest.param(
            "credential_process = /bin/x\naws_access_key_id = AKIA\naws_secret_access_key = s\n",
            "",
            ProfileKind.STATIC,
            ProfileKind.PROCESS,
            id="config-file keys beat credential_process",
        ),
        pytest.param(
            "sso_start_url = https://u\nsso_region = r\nsso_account_id = 1\nsso_role_name = n\n"
            "credential_process = /bin/x\n",
            "",
            ProfileKind.PROCESS,
            ProfileKind.SSO,
            id="credential_process beats sso",
        ),
        pytest.param(
            "sso_region = r\n", "", ProfileKind.SSO, ProfileKind.UNKNOWN, id="any sso key is sso"
        ),
        pytest.param(
            "login_session = arn:aws:iam::1:user/me\n",
            "",
            ProfileKind.LOGIN,
            ProfileKind.LOGIN,
            id="aws login",
        ),
        pytest.param(
            "aws_access_key_id = AKIA\n",
            "",
            ProfileKind.UNKNOWN,
            ProfileKind.STATIC,
            id="a key id without its secret is no credential",
        ),
        pytest.param(
            "region = r\n", "", ProfileKind.UNKNOWN, ProfileKind.UNKNOWN, id="region only"
        ),
    ],
)
def test_kind_follows_the_javascript_sdk(
    aws: AwsFiles, config: str, credentials: str, kind: ProfileKind, cli_kind: ProfileKind
) -> None:
    """The order of @aws-sdk/credential-provider-ini's resolveProfileData (as bundled in
    Claude Code 2.1.328); where botocore's chain picks another provider, a difference says so."""
    aws.write_config("[profile x]\n" + config + "[profile y]\nregion = r\n")
    if credentials:
        aws.write_credentials("[x]\n" + credentials)
    x = aws.profiles()["x"]
    assert x.kind is kind
    if kind == cli_kind:
        assert not any(f.startswith("credentials:") for f in x.differences)
    else:
        words = {ProfileKind.STATIC: "static keys", ProfileKind.PROCESS: "credential_process",
                 ProfileKind.SSO: "SSO", ProfileKind.ASSUME_ROLE: "an assumed role",
                 ProfileKind.WEB_IDENTITY: "web identity",
                 ProfileKind.UNKNOWN: "no credentials of its own"}  # fmt: skip
        assert f"credentials: Claude Code uses {words[kind]}, the AWS CLI {words[cli_kind]}" in (
            x.differences
        )


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
    assert found["lost-source"].issues == ("source_profile 'ghost' is not defined",)
    assert found["no-source"].issues == (
        "role_arn is set without source_profile or credential_source",
    )
    assert found["half-sso"].issues == ("SSO profile is missing sso_region, sso_role_name",)
    assert found["both-sources"].issues == (
        "both source_profile and credential_source are set: role_arn is unused",
    )
    assert found["half-key"].issues == ("aws_access_key_id is set without aws_secret_access_key",)
    mismatch = found["mismatch"]
    assert mismatch.issues == ("sso_region differs between the profile and its sso-session",)
    assert mismatch.sso_region == "us-east-1"  # the sso-session's is the one used


def test_sorted_default_first_then_by_name(aws: AwsFiles) -> None:
    aws.write_config(
        "[profile zeta]\nk = v\n[profile Beta]\nk = v\n[default]\nk = v\n[profile alpha]\nk = v\n"
    )
    aws.write_credentials("[gamma]\nk = v\n")
    assert [p.name for p in discover_aws_profiles()] == [
        "default",
        "alpha",
        "Beta",
        "gamma",
        "zeta",
    ]


# --------------------------------------------------------------------------- realistic files

# id -> (config, credentials, {profile: (region, kind, differences)}, profiles only the CLI sees)
Expected = dict[str, tuple[str | None, ProfileKind, tuple[str, ...]]]
REALISTIC: dict[str, tuple[str, str, Expected, tuple[str, ...]]] = {
    "sso sessions": (
        "[default]\nregion = us-east-1\noutput = json\n\n"
        "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\n"
        "sso_region = us-east-1\nsso_registration_scopes = sso:account:access\n\n"
        "[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\n"
        "sso_role_name = Developer\nregion = eu-central-1\n\n"
        "[profile legacy]\nsso_start_url = https://d-abc123.awsapps.com/start\n"
        "sso_region = us-west-2\nsso_account_id = 123456789012\nsso_role_name = ReadOnly\n",
        "",
        {
            "default": ("us-east-1", ProfileKind.UNKNOWN, ()),
            "dev": ("eu-central-1", ProfileKind.SSO, ()),
            "legacy": (None, ProfileKind.SSO, ()),
        },
        (),
    ),
    "role chains": (
        "[profile base]\nregion = us-east-1\n"
        "[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/Admin\nsource_profile = base\n"
        "[profile deep]\nrole_arn = arn:aws:iam::210987654321:role/Deep\nsource_profile = admin\n"
        "role_session_name = me\nexternal_id = x-1\n"
        "[profile ec2]\nrole_arn = arn:aws:iam::1:role/Worker\n"
        "credential_source = Ec2InstanceMetadata\n",
        f"[base]\naws_access_key_id = AKIABASE\naws_secret_access_key = {SECRET}\n",
        {
            "base": ("us-east-1", ProfileKind.STATIC, ()),
            "admin": (None, ProfileKind.ASSUME_ROLE, ()),
            "deep": (None, ProfileKind.ASSUME_ROLE, ()),
            "ec2": (None, ProfileKind.ASSUME_ROLE, ()),
        },
        (),
    ),
    "credential_process with a comment": (
        "[profile vault]\n"
        "credential_process = /usr/local/bin/aws-vault export --format=json dev # via vault\n"
        "region = eu-west-1\n",
        "",
        {"vault": ("eu-west-1", ProfileKind.PROCESS, ("credential_process differs",))},
        (),
    ),
    "BOM and CRLF": (
        "\ufeff[default]\r\nregion = eu-west-2\r\n[profile dev]\r\nregion = eu-west-3\r\n",
        "",
        {
            "default": (
                "eu-west-2",
                ProfileKind.UNKNOWN,
                (
                    "the AWS CLI refuses {config}:1: file starts with a UTF-8 byte-order mark "
                    "(BOM); save it without one",
                ),
            ),
            "dev": (
                "eu-west-3",
                ProfileKind.UNKNOWN,
                (
                    "the AWS CLI refuses {config}:1: file starts with a UTF-8 byte-order mark "
                    "(BOM); save it without one",
                ),
            ),
        },
        (),
    ),
    "inline comments": (
        "[profile dev] ; the team's\nregion = eu-west-1 # Ireland\noutput = json;yaml\n",
        f"[dev] # keys\naws_access_key_id = AKIADEV ; rotated\naws_secret_access_key = {SECRET}\n",
        {
            "dev": (
                "eu-west-1",
                ProfileKind.STATIC,
                (
                    "region: Claude Code uses eu-west-1, "
                    "the AWS CLI uses a value that is not a region name",
                    "aws_access_key_id differs",
                ),
            )
        },
        (),
    ),
    "a section and a key given twice": (
        "[profile dev]\nregion = us-east-1\n[profile ops]\nregion = us-east-2\n"
        "[profile dev]\nregion = eu-north-1\nsso_session = corp\n",
        "",
        {
            "dev": (
                "eu-north-1",
                ProfileKind.SSO,
                (
                    "the AWS CLI refuses {config}:5: section [profile dev] is defined twice "
                    "(first on line 1)",
                ),
            ),
            "ops": (
                "us-east-2",
                ProfileKind.UNKNOWN,
                (
                    "the AWS CLI refuses {config}:5: section [profile dev] is defined twice "
                    "(first on line 1)",
                ),
            ),
        },
        (),
    ),
    "[default] and [profile default]": (
        "[profile default]\nregion = eu-west-1\n[default]\nregion = us-east-1\noutput = json\n",
        "",
        {
            "default": (
                "eu-west-1",
                ProfileKind.UNKNOWN,
                ("region: Claude Code uses eu-west-1, the AWS CLI uses us-east-1",),
            )
        },
        (),
    ),
    "region in both files": (
        "[profile dev]\nregion = eu-west-3\n[profile ops]\nregion = eu-west-3\n"
        "[profile qa]\nregion = eu-west-3\n",
        f"[dev]\nregion = ap-south-1\naws_access_key_id = AKIADEV\n"
        f"aws_secret_access_key = {SECRET}\n"
        "[ops]\nregion =\n[qa]\nRegion = us-west-1\n",
        {
            "dev": ("ap-south-1", ProfileKind.STATIC, ()),  # the credentials file wins, in both
            "ops": (
                "eu-west-3",
                ProfileKind.UNKNOWN,
                ("region: Claude Code uses eu-west-3, the AWS CLI finds none",),
            ),
            "qa": (
                "eu-west-3",
                ProfileKind.UNKNOWN,
                ("region: Claude Code uses eu-west-3, the AWS CLI uses us-west-1",),
            ),
        },
        (),
    ),
    "names and sections one of them skips": (
        '[profile "my dev"]\nregion = r1\n[profile  spaced ]\nregion = r2\n[profile empty]\n'
        "[profile ok]\nregion = r3\n[plugins]\nendpoint = awscli_plugin_endpoint\n",
        "[profile oops]\nregion = r4\n",
        {
            "ok": ("r3", ProfileKind.UNKNOWN, ()),
            "profile.oops": ("r4", ProfileKind.UNKNOWN, ("the AWS CLI does not see this profile",)),
        },
        ("empty", "my dev", "profile oops", "spaced"),
    ),
    "nested blocks, services and continuation lines": (
        "[default]\nregion = us-east-1\ns3 =\n  addressing_style = path\n"
        "services = local\n[services local]\ns3 =\n  endpoint_url = http://localhost:4566\n"
        "[profile wrapped]\nregion = eu-west-1\n  output = json\n",
        "",
        {
            "default": ("us-east-1", ProfileKind.UNKNOWN, ()),
            "wrapped": (
                "eu-west-1",
                ProfileKind.UNKNOWN,
                (
                    "region: Claude Code uses eu-west-1, the AWS CLI uses a value that is not a "
                    "region name",
                ),
            ),
        },
        (),
    ),
}


@pytest.mark.parametrize("case", REALISTIC)
def test_realistic_files(aws: AwsFiles, case: str) -> None:
    config, credentials, expected, cli_only = REALISTIC[case]
    aws.write_config(config)
    aws.write_credentials(credentials)
    found = read_aws_profiles()
    got = {p.name: (p.region, p.kind, p.differences) for p in found.profiles}
    want = {
        name: (region, kind, tuple(f.format(config=aws.config) for f in facts))
        for name, (region, kind, facts) in expected.items()
    }
    assert got == want
    assert found.cli_only == cli_only


@pytest.mark.parametrize("case", REALISTIC)
def test_realistic_files_agree(aws: AwsFiles, case: str, agrees: Agrees) -> None:
    config, credentials, _, _ = REALISTIC[case]
    aws.write_config(config)
    aws.write_credentials(credentials)
    agrees()


# The cases the reader of before (botocore's rules) got wrong: each fails on the old main.
MAIN_GOT_WRONG = {
    "BOM": ("\ufeff[profile dev]\nregion = eu-west-3\n", "", "eu-west-3"),
    "inline comment": ("[profile dev]\nregion = eu-west-3 ; primary\n", "", "eu-west-3"),
    "section given twice": (
        "[profile dev]\nregion = us-east-1\n[profile dev]\nregion = eu-west-3\n", "", "eu-west-3"
    ),
    "key given twice": ("[profile dev]\nregion = us-east-1\nregion = eu-west-3\n", "", "eu-west-3"),
    "region in both files, empty in the credentials file": (
        "[profile dev]\nregion = eu-west-3\n", "[dev]\nregion =\n", "eu-west-3"
    ),
    "region in both files, Region in the credentials file": (
        "[profile dev]\nregion = eu-west-3\n", "[dev]\nRegion = us-west-1\n", "eu-west-3"
    ),
    "[default] and [profile default]": (
        "[profile dev]\nregion = r\n[profile default]\nregion = eu-west-3\n[default]\n"
        "region = us-east-1\n",
        "",
        "eu-west-3",
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", MAIN_GOT_WRONG)
def test_what_the_reader_of_before_got_wrong(aws: AwsFiles, case: str) -> None:
    """Seen with the real Claude Code 2.1.328 too (for the BOM, the comment, the empty region
    and the credentials file winning): it signed for the region asserted here."""
    config, credentials, region = MAIN_GOT_WRONG[case]
    aws.write_config(config)
    aws.write_credentials(credentials)
    name = "default" if "default" in case else "dev"
    assert aws.profiles()[name].region == region


@pytest.mark.parametrize("case", MAIN_GOT_WRONG)
def test_what_the_reader_of_before_got_wrong_agrees(
    aws: AwsFiles, case: str, agrees: Agrees
) -> None:
    config, credentials, _ = MAIN_GOT_WRONG[case]
    aws.write_config(config)
    aws.write_credentials(credentials)
    agrees()


# --------------------------------------------------------------------------- differences


def test_the_cli_refusing_a_file_is_a_difference_of_every_profile(aws: AwsFiles) -> None:
    aws.write_config("[profile a]\nregion = r\n")
    aws.write_credentials(f"[b]\naws_access_key_id = A\naws_secret_access_key = {SECRET}\n[b]\n")
    fact = (
        f"the AWS CLI refuses {aws.credentials}:4: section [b] is defined twice (first on line 1)"
    )
    assert [p.differences for p in discover_aws_profiles()] == [(fact,), (fact,)]


def test_sso_differences_name_the_setting(aws: AwsFiles) -> None:
    aws.write_config(
        "[profile dev]\nsso_session = corp\nsso_account_id = 1\nsso_role_name = Dev # was Ops\n"
        "[sso-session corp]\nsso_start_url = https://corp/start\nsso_region = us-east-1\n"
    )
    assert aws.profiles()["dev"].differences == ("sso_role_name differs",)


def test_an_ignored_file_is_a_note(aws: AwsFiles) -> None:
    aws.write_config("[profile a]\nregion = r\n[__proto__]\n")
    found = read_aws_profiles()
    assert found.profiles == []
    assert found.cli_only == ("a",)
    assert found.notes == (
        f"Claude Code ignores {aws.config} as a whole (a section is named __proto__)",
    )


def test_secrets_never_in_results(aws: AwsFiles) -> None:
    aws.write_config(
        f"[profile p]\nregion = us-east-1\naws_secret_access_key = {SECRET} # old\n"
        f"credential_process = /bin/creds --key {SECRET}\n"
        # botocore reads the indented line as more of the region: never quoted.
        f"[profile leak]\nregion = us-east-1\n  aws_secret_access_key = {SECRET}\n"
    )
    aws.write_credentials(
        f"[p]\naws_access_key_id = AKIAP\naws_secret_access_key = {SECRET}\n"
        f"aws_session_token = {SESSION_TOKEN} ; x\n"
        f"[q]\naws_access_key_id = AKIAQ\naws_secret_access_key = {SECRET}\n"
    )
    found = read_aws_profiles()
    leak, p, q = found.profiles
    assert [p.kind, q.kind] == [ProfileKind.STATIC, ProfileKind.STATIC]
    assert p.differences == ("aws_session_token differs",)
    assert leak.differences == (
        "region: Claude Code uses us-east-1, the AWS CLI uses a value that is not a region name",
    )
    for text in (repr(found), str(found), *(repr(vars_of(p)) for p in found.profiles)):
        assert SECRET not in text
        assert SESSION_TOKEN not in text


def vars_of(profile: AwsProfile) -> dict[str, object]:
    return {name: getattr(profile, name) for name in profile.__slots__}


# --------------------------------------------------------------------------- properties

_js_name = st.text(alphabet="abcXYZ019_-@+.%:/", min_size=1, max_size=12)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(names=st.lists(_js_name, min_size=1, max_size=6, unique=True))
def test_profile_names_round_trip(aws: AwsFiles, agrees: Agrees, names: list[str]) -> None:
    aws.write_config("".join(f"[profile {n}]\nregion = r-{i}\n" for i, n in enumerate(names)))
    aws.write_credentials(
        "".join(
            f"[{n}]\naws_access_key_id = AKIA{i}\naws_secret_access_key = s\n"
            for i, n in enumerate(names)
        )
    )
    found = discover_aws_profiles()
    assert sorted(p.name for p in found) == sorted(names)
    for profile in found:
        assert profile.region == f"r-{names.index(profile.name)}"
        assert profile.kind is ProfileKind.STATIC
        assert profile.source_files == (aws.config, aws.credentials)
    agrees()


_section = st.sampled_from(
    ["default", "profile default", "profile a", 'profile "b"', "profile  c", "profile d e",
     "sso-session s", "a", "b", "services x", " default"]
)  # fmt: skip
_setting = st.sampled_from(
    [
        "region = us-east-1", "region = eu-west-1 # c", "Region = ap-south-1", "region =",
        "role_arn = arn:aws:iam::1:role/r", "source_profile = a", "credential_source = Environment",
        "web_identity_token_file = /t", "credential_process = /bin/x ; y",
        "sso_session = s", "sso_start_url = https://u", "sso_region = us-east-1",
        "sso_account_id = 1", "sso_role_name = r", "login_session = me",
        "aws_access_key_id = AKIA", "aws_secret_access_key = s", "s3 =", "  region = nested",
        "  more", "# comment", "junk", "",
    ]
)  # fmt: skip
_ini = st.lists(st.tuples(_section, st.lists(_setting, max_size=5)), max_size=5).map(
    lambda secs: "".join(f"[{n}]\n" + "".join(f"{x}\n" for x in body) for n, body in secs)
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(config=_ini, credentials=_ini)
def test_random_files_agree(aws: AwsFiles, agrees: Agrees, config: str, credentials: str) -> None:
    """Profiles, regions and credential kinds as the JavaScript SDK reads them, on random files
    made of what real ones hold (duplicates, comments, blocks, every kind of setting)."""
    aws.write_config(config)
    aws.write_credentials(credentials)
    agrees()


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
                    credentials.append(
                        f"[p{i}]\naws_access_key_id = AKIA\naws_secret_access_key = {SECRET}\n"
                    )
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
    assert all(p.differences == () for p in found)  # both views compared, all alike
    with capsys.disabled():
        print(f"\n2,000 AWS profiles discovered in {best * 1000:.1f} ms (best of 5)")
    assert best < 1.0, f"2,000 profiles took {best:.3f}s"
