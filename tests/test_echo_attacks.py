"""A server that quotes the secrets it received (issue 8, part 5), and one that sends terminal
escapes (part 8), against the CLI as a user runs it.

The fake platform's `echo_secrets` mode puts every secret header it received (`x-api-key`,
`authorization`, `x-amz-security-token`) into its 401/403 error messages and into the names
of what it lists (model display names, workspace names). Whatever the command, the secret must
not reach stdout or stderr; its mask must (so the echo really happened and was caught).
"""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import pytest

from profiles.cli import main
from profiles.core.envplan import mask
from tests.fakeplatform import (
    GATEWAY_TOKEN,
    TEMP_ACCESS_KEY,
    TEMP_SECRET_KEY,
    TEMP_SESSION_TOKEN,
    TEST_API_KEY,
    WORKSPACE_A,
    FakePlatformServer,
)
from tests.servers import HOSTILE, AwsFiles

pytestmark = pytest.mark.usefixtures("sts_endpoint")

REVOKED_KEY = "sk-ant-api03-revoked-key-echoed-back-0042"
Run = Callable[..., tuple[int, str, str]]


def forms(secret: str) -> list[str]:
    """The secret and the shapes an echo may take; none may appear in any output."""
    return [
        secret,
        quote(secret, safe=""),
        base64.b64encode(secret.encode()).decode(),
        secret[: len(secret) * 2 // 3],  # a truncated echo
    ]


def assert_hidden(text: str, *secrets: str) -> None:
    for secret in secrets:
        for form in forms(secret):
            assert form not in text, f"{form[:10]}… reached the output"


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Run:
    def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
        capsys.readouterr()
        with pytest.MonkeyPatch.context() as mp:
            if stdin is not None:
                mp.setattr("sys.stdin", io.StringIO(stdin))
            code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def echo(fake_platform: FakePlatformServer) -> FakePlatformServer:
    fake_platform.echo_secrets = True
    return fake_platform


def add_key_profile(cli: Run, fake: FakePlatformServer, key: str = TEST_API_KEY) -> None:
    code, _, err = cli(
        "add", "keyed", "--auth", "api-key", "--api-key-stdin", "--workspace", WORKSPACE_A,
        "--region", "us-east-1", "--base-url", fake.base_url, stdin=key + "\n",
    )  # fmt: skip
    assert code == 0, err


LIVE = [
    ("validate",),
    ("validate", "--json"),
    ("models",),
    ("models", "--json"),
    ("workspaces",),
    ("workspaces", "--json"),
]


def shown(out: str) -> str:
    """What a person reads: JSON output decoded (its escapes undone), text as it is."""
    try:
        return json.dumps(json.loads(out), ensure_ascii=False)
    except ValueError:
        return out


@pytest.mark.parametrize("argv", LIVE, ids=" ".join)
def test_a_key_echoed_in_listed_names_is_masked(
    cli: Run, echo: FakePlatformServer, argv: Any
) -> None:
    add_key_profile(cli, echo)
    code, out, err = cli(*argv, "keyed")
    assert code == 0, out + err
    assert_hidden(out + err, TEST_API_KEY)
    assert_hidden(shown(out), TEST_API_KEY)
    # The echo was there and was masked: the names are still shown, with the mask.
    assert mask(TEST_API_KEY) in shown(out)


@pytest.mark.parametrize("argv", LIVE, ids=" ".join)
def test_a_key_echoed_in_a_401_is_masked(cli: Run, echo: FakePlatformServer, argv: Any) -> None:
    add_key_profile(cli, echo, REVOKED_KEY)
    code, out, err = cli(*argv, "keyed")
    assert code == 1, out + err
    assert_hidden(out + err, REVOKED_KEY)
    assert_hidden(shown(out), REVOKED_KEY)
    assert mask(REVOKED_KEY) in shown(out) + err  # the error was shown, the key masked


@pytest.mark.parametrize("argv", LIVE, ids=" ".join)
def test_a_gateway_token_echoed_as_bearer_is_masked(
    cli: Run, echo: FakePlatformServer, argv: Any
) -> None:
    echo.gateway_mode = True
    code, _, err = cli(
        "add", "gw", "--auth", "sigv4", "--gateway-signs", "--gateway-token-stdin",
        "--workspace", WORKSPACE_A, "--region", "us-east-1", "--base-url", echo.base_url,
        stdin=GATEWAY_TOKEN + "\n",
    )  # fmt: skip
    assert code == 0, err
    code, out, err = cli(*argv, "gw")
    assert code == 0, out + err
    assert_hidden(out + err, GATEWAY_TOKEN)
    assert_hidden(shown(out), GATEWAY_TOKEN)
    assert f"Bearer {mask(GATEWAY_TOKEN)}" in shown(out)
    assert any(r.headers.get("authorization") == f"Bearer {GATEWAY_TOKEN}" for r in echo.requests)


@pytest.mark.parametrize("denied", [False, True], ids=["200", "403"])
@pytest.mark.parametrize("argv", LIVE, ids=" ".join)
def test_an_aws_session_token_echoed_is_masked(
    cli: Run, echo: FakePlatformServer, aws_files: AwsFiles, argv: Any, denied: bool
) -> None:
    aws_files.add_static("temp", TEMP_ACCESS_KEY, TEMP_SECRET_KEY, session_token=TEMP_SESSION_TOKEN)
    if denied:
        echo.denied_access_keys.add(TEMP_ACCESS_KEY)
    code, _, err = cli(
        "add", "dev", "--auth", "sigv4", "--aws-profile", "temp", "--workspace", WORKSPACE_A,
        "--region", "us-east-1", "--base-url", echo.base_url,
    )  # fmt: skip
    assert code == 0, err
    code, out, err = cli(*argv, "dev")
    assert code == (1 if denied else 0), out + err
    assert_hidden(out + err, TEMP_SESSION_TOKEN, TEMP_SECRET_KEY)
    assert_hidden(shown(out), TEMP_SESSION_TOKEN, TEMP_SECRET_KEY)
    assert mask(TEMP_SESSION_TOKEN) in shown(out) + err
    assert any("x-amz-security-token" in r.headers for r in echo.requests)


# --- part 8: terminal escapes from a server ---------------------------------------------------

RAW = ("\x1b", "\x07", "\x9b", "\u202e", "\u2066")


def assert_no_raw_controls(text: str) -> None:
    for char in RAW:
        assert char not in text, f"raw {char!r} reached the terminal"


@pytest.mark.parametrize("argv", LIVE, ids=" ".join)
def test_escapes_in_listed_names_are_shown_escaped(
    cli: Run, fake_platform: FakePlatformServer, argv: Any
) -> None:
    fake_platform.models[0]["display_name"] = f"Fable {HOSTILE}"
    fake_platform.workspaces[0]["name"] = f"Team {HOSTILE}"
    add_key_profile(cli, fake_platform)
    code, out, err = cli(*argv, "keyed")
    assert code == 0, out + err
    assert_no_raw_controls(out + err)
    if argv[-1] == "--json":
        assert json.loads(out)  # still JSON, the characters escaped by the encoder
    else:
        assert "\\x1b[2J" in out  # shown escaped: the user sees what the server sent


@pytest.mark.parametrize("argv", LIVE, ids=" ".join)
def test_escapes_in_a_server_error_are_shown_escaped(
    cli: Run, hostile_server: str, argv: Any
) -> None:
    code, _, err = cli(
        "add", "keyed", "--auth", "api-key", "--api-key-stdin", "--workspace", WORKSPACE_A,
        "--region", "us-east-1", "--base-url", hostile_server, stdin=TEST_API_KEY + "\n",
    )  # fmt: skip
    assert code == 0, err
    code, out, err = cli(*argv, "keyed")
    assert code == 1, out + err
    assert_no_raw_controls(out + err)
    assert "502" in out + err


# --- part 8: terminal escapes from files ----------------------------------------------------

EVIL_NAME = "evil\x1b]0;pwned\x07"
RTL_NAME = "rtl\u202eexe.sh"


@pytest.fixture
def hostile_aws_config(aws_files: AwsFiles) -> AwsFiles:
    """AWS files with an OSC title sequence and a right-to-left override in section names,
    and a CSI sequence in a region: in ~/.aws/credentials, where Claude Code takes a name as
    it is, and in ~/.aws/config, where only the AWS CLI reads such names (one it alone sees:
    named in a note)."""
    aws_files.credentials.write_text(
        f"[{EVIL_NAME}]\nregion = us-east-1\n[{RTL_NAME}]\nregion = eu-west-1\x1b[31m\n",
        encoding="utf-8",
    )
    aws_files.config.write_text(
        f"[profile {EVIL_NAME}]\nregion = us-east-1\n"
        f"[profile {RTL_NAME}]\nregion = eu-west-1\x1b[31m\n"
        f'[profile "cli-only\x1b[2J"]\nregion = us-east-1\n',
        encoding="utf-8",
    )
    return aws_files


@pytest.mark.parametrize("argv", [("aws-profiles",), ("aws-profiles", "--json")], ids=" ".join)
@pytest.mark.usefixtures("hostile_aws_config")
def test_aws_profile_names_with_escapes_are_shown_escaped(cli: Run, argv: Any) -> None:
    code, out, err = cli(*argv)
    assert code == 0, err
    assert_no_raw_controls(out + err)
    if argv[-1] == "--json":
        names = {p["name"] for p in json.loads(out)}
        assert names == {EVIL_NAME, RTL_NAME}  # the data is exact; only its display is escaped
    else:
        assert "evil\\x1b]0;pwned\\x07" in out
        assert "rtl\\u202eexe.sh" in out
        assert "eu-west-1\\x1b[31m" in out
    assert "only the AWS CLI sees (Claude Code does not): cli-only\\x1b[2J" in err


@pytest.fixture
def hostile_settings(isolated_env: Any) -> Any:
    """~/.claude/settings.json whose env values carry a CSI clear-screen and a bidi override."""
    path = isolated_env / "home" / ".claude" / "settings.json"
    path.parent.mkdir(parents=True)
    env = {
        "CLAUDE_CODE_USE_ANTHROPIC_AWS": "1",
        "AWS_REGION": "us-\x1b[2Jeast-1",
        "ANTHROPIC_AWS_WORKSPACE_ID": "wrkspc_\u202eabc",
        "ANTHROPIC_AWS_BASE_URL": "https://gw.example.com/\x9b2J",
    }
    path.write_text(json.dumps({"env": env}), encoding="utf-8")
    return path


@pytest.mark.parametrize("argv", [("status",), ("status", "--json")], ids=" ".join)
@pytest.mark.usefixtures("hostile_settings")
def test_settings_values_with_escapes_are_shown_escaped(
    cli: Run, argv: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = cli(*argv)
    assert code == 0, err
    assert_no_raw_controls(out + err)
    if argv[-1] != "--json":
        assert "us-\\x1b[2Jeast-1" in out


def test_apply_dry_run_shows_the_settings_file_escaped(
    cli: Run, fake_platform: FakePlatformServer, hostile_settings: Any
) -> None:
    add_key_profile(cli, fake_platform)
    code, out, err = cli("apply", "keyed", "--scope", "user", "--dry-run")
    assert code == 0, err
    assert_no_raw_controls(out + err)
    assert_hidden(out + err, TEST_API_KEY)
    assert "wrkspc_\\u202eabc" in out  # the settings' text, shown escaped


def test_a_single_request_masks_an_echoed_key_in_its_error(echo: FakePlatformServer) -> None:
    """`PlatformClient.request` on its own (not only through `_paginate`) masks the echo."""
    from profiles.core.schema import Profile
    from profiles.platform.client import Auth, PlatformClient, PlatformError

    profile = Profile(
        name="keyed",
        auth="api-key",
        workspace_id=WORKSPACE_A,
        region="us-east-1",
        base_url=echo.base_url,
        api_key_store="file",
    )
    client = PlatformClient(profile, Auth(api_key=REVOKED_KEY), timeout=5)
    with pytest.raises(PlatformError) as info:
        client.request("GET", "/v1/models")
    assert mask(REVOKED_KEY) in info.value.message  # the echo happened and was caught
    assert_hidden(info.value.message, REVOKED_KEY)
