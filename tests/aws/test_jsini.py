"""Tests for profiles.aws.jsini: the AWS files parsed and merged as the JavaScript SDK does.

The rules are spelled out case by case below, then checked wholesale against the SDK itself
(`js_oracle`) on generated files: every section and every key, not only what follows from them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from profiles.aws import jsini
from profiles.aws.ini import AwsConfigError
from tests.aws.oracle import JsOracle


@pytest.mark.parametrize(
    ("text", "sections"),
    [
        pytest.param("\ufeff[default]\nregion = x\n", {"default": {"region": "x"}}, id="BOM"),
        pytest.param("[default]\r\nregion = x\r\n", {"default": {"region": "x"}}, id="CRLF"),
        pytest.param("[default]\rregion = x\n", {}, id="a lone CR does not end a line"),
        pytest.param(
            "[default] # c\nregion = us-east-1 # primary\nurl = https://x#frag\nk = a;b\n",
            {"default": {"region": "us-east-1", "url": "https://x#frag", "k": "a;b"}},
            id="comments start at # or ; after whitespace",
        ),
        pytest.param(
            "[default]\nregion = x\n[default]\nregion = y\noutput = json\n",
            {"default": {"region": "y", "output": "json"}},
            id="a section given twice is merged, the later key wins",
        ),
        pytest.param(
            "region = early\n[p]\nkey: value\nnot a setting\n= no key\nRegion = R\n",
            {"p": {"Region": "R"}},
            id="no errors: odd lines are skipped, keys keep their case",
        ),
        pytest.param(
            "[p]\ns3 =\n  max_concurrent_requests = 10\n\n  addressing_style = path\nregion = r\n"
            "  indented = yes\n",
            {
                "p": {
                    "s3.max_concurrent_requests": "10",
                    "s3.addressing_style": "path",
                    "region": "r",
                    "indented": "yes",
                }
            },
            id="key = starts a block; indented lines never continue a value",
        ),
        pytest.param(
            "[p]\nregion =\n",
            {},
            id="an empty value stores nothing and a section without settings does not exist",
        ),
        pytest.param(
            '[profile a]\nk = 1\n[profile "b"]\nk = 2\n[profile  c]\nk = 3\n[profile d e]\nk = 4\n'
            "[foo bar]\nk = 5\n[profile\tf]\nk = 6\n[profile.g]\nk = 7\n[]\nk = 8\n",
            {
                "profile.a": {"k": "1"},
                "profile.b": {"k": "2"},
                "profile  c": {"k": "3"},
                "profile d e": {"k": "4"},
                "profile.f": {"k": "6"},
                "profile.g": {"k": "7"},
            },
            id="section names",
        ),
        pytest.param(
            "[toString]\nk = 1\n[constructor]\nk = 2\n[p]\n__proto__ = x\ntoString = y\n",
            {"p": {"toString": "y"}},
            id="names JavaScript objects already have",
        ),
    ],
)
def test_parse(text: str, sections: jsini.Sections) -> None:
    assert jsini.parse(text) == sections


@pytest.mark.parametrize("header", ["[__proto__]", "[profile __proto__]"])
def test_a_section_named_proto_makes_the_whole_file_ignored(header: str) -> None:
    with pytest.raises(jsini.IgnoredFile):
        jsini.parse(f"[default]\nregion = x\n{header}\n")


def test_config_data_keeps_profiles_sessions_and_services() -> None:
    raw = jsini.parse(
        "[profile default]\noutput = json\n[default]\nregion = x\n[profile dev]\nregion = y\n"
        "[sso-session corp]\nsso_region = z\n[services s]\ns3 =\n  endpoint_url = u\n"
        "[plugins]\np = 1\n"
    )
    assert jsini.config_data(raw) == {
        "default": {"output": "json"},  # [profile default] replaces [default] whole
        "dev": {"region": "y"},
        "sso-session.corp": {"sso_region": "z"},
        "services.s": {"s3.endpoint_url": "u"},
    }


def test_load_merges_credentials_over_config(tmp_path: Path) -> None:
    (tmp_path / "config").write_text(
        "[profile dev]\nregion = eu-west-3\noutput = json\n[sso-session s]\nsso_region = r\n"
    )
    (tmp_path / "credentials").write_text(
        "[dev]\nregion = ap-south-1\naws_access_key_id = A\n[profile odd]\nk = v\n"
    )
    files = jsini.load(tmp_path / "config", tmp_path / "credentials")
    assert files.merged["dev"] == {
        "region": "ap-south-1",
        "output": "json",
        "aws_access_key_id": "A",
    }
    assert files.region("dev") == "ap-south-1"  # the credentials file wins, as in Claude Code
    assert files.profile_names() == ["dev", "profile.odd"]
    assert files.sso_sessions() == {"s": {"sso_region": "r"}}


def test_load_reads_bad_utf8_like_node_and_refuses_a_fifo(tmp_path: Path) -> None:
    import os

    (tmp_path / "config").write_bytes(b"[default]\nsso_role_name = caf\xe9\n")
    files = jsini.load(tmp_path / "config", tmp_path / "missing")
    assert files.merged == {"default": {"sso_role_name": "caf\ufffd"}}
    os.mkfifo(tmp_path / "fifo")
    with pytest.raises(AwsConfigError, match="not a regular file"):
        jsini.load(tmp_path / "fifo", tmp_path / "missing")


def test_an_ignored_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "credentials").write_text("[ok]\nk = v\n[__proto__]\n")
    files = jsini.load(tmp_path / "missing", tmp_path / "credentials")
    assert files.merged == {}
    assert files.ignored == (tmp_path / "credentials",)


# --------------------------------------------------------------------------- vs the SDK

_names = st.sampled_from(
    [
        "default", "profile default", "profile a", 'profile "a"', "profile  a", "profile a b",
        "profilea", "profile.b", "sso-session s", "services x", "plugins", " default",
        "foo bar", "toString", "profile toString", "", "a]b", "profile x@y.z:1/2%3+4",
    ]
)  # fmt: skip
_keys = st.sampled_from(["region", "Region", "sso_session", "k", "s3", "a b", "", "__proto__"])
_values = st.sampled_from(["", "v", "us-east-1 # c", "x;y", "a ; b", "#", "w=z", " \xa0pad "])
_space = st.sampled_from(["", " ", "\t", "  ", "\u3000", "\ufeff"])
_line = st.one_of(
    st.builds(lambda sp, n, c: f"{sp}[{n}]{c}", _space, _names, st.sampled_from(["", " # c", ";"])),
    st.builds(
        lambda sp, k, d, v: f"{sp}{k}{d}{v}",
        _space,
        _keys,
        st.sampled_from(["=", " = ", ":"]),
        _values,
    ),
    st.sampled_from(["", "# comment", "; comment", "   ", "junk", "[unclosed", "]"]),
)
_file = st.builds(
    lambda bom, lines, crlf: ("\ufeff" if bom else "") + ("\r\n" if crlf else "\n").join(lines),
    st.booleans(),
    st.lists(_line, max_size=14),
    st.booleans(),
)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(config=_file, credentials=_file)
def test_sections_are_the_sdks(
    js_oracle: JsOracle, tmp_path_factory: pytest.TempPathFactory, config: str, credentials: str
) -> None:
    root = tmp_path_factory.mktemp("files")
    (root / "config").write_text(config, encoding="utf-8")
    (root / "credentials").write_text(credentials, encoding="utf-8")
    answer = js_oracle.ask(
        {
            "HOME": str(root),
            "AWS_CONFIG_FILE": str(root / "config"),
            "AWS_SHARED_CREDENTIALS_FILE": str(root / "credentials"),
        },
        root,
    )
    files = jsini.load(root / "config", root / "credentials")
    assert files.config == answer["config"]
    assert files.credentials == answer["credentials"]
    assert files.merged == answer["merged"]
    assert files.sso_sessions() == answer["sso_sessions"]
    assert {n: files.region(n) for n in files.profile_names()} == {
        p["name"]: p["region"] for p in answer["profiles"]
    }
