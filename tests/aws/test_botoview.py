"""Tests for profiles.aws.botoview (and the parser in profiles.aws.ini): the AWS files as
botocore (the AWS CLI, and the live checks' credentials) reads them, without botocore.

That view is what `AwsProfile.differences` compares Claude Code's with; it is checked here
against configparser and against botocore itself.
"""

from __future__ import annotations

import configparser
import shlex
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from profiles.aws import botoview
from profiles.aws import ini as aws_ini
from profiles.aws.botoview import botocore_profiles
from profiles.aws.ini import AwsConfigError
from profiles.aws.model import AwsProfile, ProfileKind
from profiles.aws.sso import login_command_text
from tests.aws.awsfiles import SECRET, SESSION_TOKEN, AwsFiles


def cli_profiles() -> dict[str, AwsProfile]:
    """The profiles botocore sees, by name."""
    return {p.name: p for p in botocore_profiles()}


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
    dev = cli_profiles()["dev"]
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
    assert botoview.load_config_file(aws.config)[1] == {
        "corp": {
            "sso_start_url": "https://corp.awsapps.com/start",
            "sso_region": "us-east-1",
            "sso_registration_scopes": "sso:account:access",
        }
    }


def test_sso_legacy_start_url(aws: AwsFiles) -> None:
    aws.write_config(
        "[profile legacy]\n"
        "sso_start_url = https://d-abc123.awsapps.com/start\n"
        "sso_region = us-west-2\n"
        "sso_account_id = 123456789012\n"
        "sso_role_name = ReadOnly\n"
    )
    legacy = cli_profiles()["legacy"]
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
    assert cli_profiles()["login-only"].kind is ProfileKind.SSO


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
    found = cli_profiles()
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
    ec2 = cli_profiles()["ec2"]
    assert ec2.kind is ProfileKind.ASSUME_ROLE
    assert ec2.credential_source == "Ec2InstanceMetadata"
    assert ec2.source_profile is None


def test_credential_process(aws: AwsFiles) -> None:
    aws.write_config(f"[profile proc]\ncredential_process = /usr/bin/get-creds --key {SECRET}\n")
    proc = cli_profiles()["proc"]
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
    web = cli_profiles()["web"]
    assert web.kind is ProfileKind.WEB_IDENTITY
    assert web.role_arn == "arn:aws:iam::123456789012:role/Web"


def test_static_keys_only_in_credentials_file(aws: AwsFiles) -> None:
    aws.write_credentials(
        f"[ci]\naws_access_key_id = AKIACI\naws_secret_access_key = {SECRET}\n"
        f"aws_session_token = {SESSION_TOKEN}\n"
    )
    ci = cli_profiles()["ci"]
    assert ci.kind is ProfileKind.STATIC
    assert ci.source_files == (aws.credentials,)
    assert ci.region is None


def test_static_keys_in_config_file(aws: AwsFiles) -> None:
    aws.write_config(
        f"[profile cfgkeys]\naws_access_key_id = AKIA\naws_secret_access_key = {SECRET}\n"
    )
    assert cli_profiles()["cfgkeys"].kind is ProfileKind.STATIC


def test_region_only_is_unknown(aws: AwsFiles) -> None:
    aws.write_config("[profile bare]\nregion = ap-southeast-2\noutput = json\n")
    bare = cli_profiles()["bare"]
    assert bare.kind is ProfileKind.UNKNOWN
    assert bare.region == "ap-southeast-2"


def test_profile_in_both_files_is_merged(aws: AwsFiles) -> None:
    aws.write_config("[profile both]\nregion = eu-west-3\noutput = json\n")
    aws.write_credentials(
        f"[both]\naws_access_key_id = AKIABOTH\naws_secret_access_key = {SECRET}\n"
    )
    both = cli_profiles()["both"]
    assert both.kind is ProfileKind.STATIC
    assert both.region == "eu-west-3"
    assert both.source_files == (aws.config, aws.credentials)


def test_credentials_file_keys_override_config_file_keys(aws: AwsFiles) -> None:
    # botocore Session.full_config: profile.update(credentials-file section).
    aws.write_config("[profile both]\nregion = eu-west-3\n")
    aws.write_credentials("[both]\nregion = us-east-2\n")
    assert cli_profiles()["both"].region == "us-east-2"


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
    assert cli_profiles()["x"].kind is kind


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
    found = cli_profiles()
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
    names = set(cli_profiles())
    # Every credentials-file section is a profile, named verbatim.
    assert names == {"spaced", "with space", "single quoted", "profile odd", " padded "}


def test_later_section_for_same_profile_replaces_earlier(aws: AwsFiles) -> None:
    aws.write_config("[default]\nregion = us-east-1\n[profile default]\noutput = json\n")
    [default] = botocore_profiles()
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
    c = cli_profiles()["c"]
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
    found = cli_profiles()
    assert set(found) == {"n", "own"}  # [DEFAULT] is not a profile
    assert found["n"].region == "inherited"
    assert found["own"].region == "mine"


def test_empty_values_read_as_none(aws: AwsFiles) -> None:
    aws.write_config("[profile e]\nregion =\nrole_arn:\n")
    e = cli_profiles()["e"]
    assert e.region is None
    assert e.role_arn is None


def test_multiline_value_continues(aws: AwsFiles) -> None:
    aws.write_config("[profile m]\nregion = us-east-1\n  more\n")
    assert cli_profiles()["m"].region == "us-east-1\nmore"


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
        botocore_profiles()
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
        botocore_profiles()


def test_invalid_utf8_reports_line(aws: AwsFiles) -> None:
    aws.config.parent.mkdir(parents=True)
    aws.config.write_bytes(b"[default]\nregion = us-east-1\nsso_role_name = caf\xe9\n")
    with pytest.raises(AwsConfigError) as info:
        botocore_profiles()
    assert info.value.line == 3
    assert "not valid UTF-8" in str(info.value)


def test_sso_sessions_raise_on_malformed_config(aws: AwsFiles) -> None:
    aws.write_config("[sso-session s]\nnope\n")
    with pytest.raises(AwsConfigError, match=r":2: "):
        botoview.load_config_file(aws.config)


# --------------------------------------------------------------------------- secrets


def test_secrets_never_in_repr_or_str_of_results(aws: AwsFiles) -> None:
    aws.write_config(f"[profile p]\nregion = us-east-1\naws_secret_access_key = {SECRET}\n")
    aws.write_credentials(
        f"[p]\naws_access_key_id = AKIAP\naws_secret_access_key = {SECRET}\n"
        f"aws_session_token = {SESSION_TOKEN}\n"
        f"[q]\naws_access_key_id = AKIAQ\naws_secret_access_key = {SECRET}\n"
    )
    found = botocore_profiles()
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
        botocore_profiles()
    for rendered in (str(info.value), repr(info.value), str(info.value.args)):
        assert SECRET not in rendered
    assert info.value.__cause__ is None
    assert info.value.__suppress_context__ or info.value.__context__ is None


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
    found = botocore_profiles()
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
    assert botoview.shlex_words(text) == expected


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
            botocore_profiles()
        return
    found = {p.name: p for p in botocore_profiles()}
    assert set(found) == set(expected["profiles"])
    for name, values in expected["profiles"].items():
        region = values.get("region")
        assert found[name].region == (region if isinstance(region, str) and region else None)
    assert set(botoview.load_config_file(aws.config)[1]) == set(expected["sso_sessions"])
