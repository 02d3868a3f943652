"""`cc-aws-tui credentials NAME`, the command Claude Code runs as `awsCredentialExport`: the STS
struct on stdout and nothing else, from the profile's AWS profile alone, against the real
parts: moto's STS (GetSessionToken, AssumeRole, AssumeRoleWithWebIdentity), the fake SSO portal,
`credential_process` scripts and static keys. Then the cache (no network, no botocore, expiry,
invalidation, file modes, planted links) and every failure (one line, nothing on stdout, no
secret)."""

from __future__ import annotations

import datetime as dt
import json
import stat
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from profiles.aws import credcache
from tests.cli.commands import run_script
from tests.cli.isolating import (
    AMBIENT,
    MOTO_SESSION_KEY,
    add_process,
    failed,
    process_output,
    quoting_sts,
    struct_of,
)
from tests.cliutil import Cli
from tests.fakeplatform import (
    TEMP_ACCESS_KEY,
    TEMP_SECRET_KEY,
    TEMP_SESSION_TOKEN,
    TEST_ACCESS_KEY,
    TEST_SECRET_KEY,
)
from tests.servers import ACCOUNT_ID, AwsFiles, FakeSsoPortal

ROLE_ARN = f"arn:aws:iam::{ACCOUNT_ID}:role/ClaudeModel"
PROCESS_KEY = "ASIAPROCESSKEY000001"
PROCESS_SECRET = "process/secret/access/key/0001xxxxxxxxxxxx"
PROCESS_TOKEN = "ProcToken//0001+fake+process+value="
# What a hostile credential_process knows and tries to get printed.
LEAKED = "leaked/secret/from/the/process/0001xxxxxxx"


def expires_in(creds: dict[str, str]) -> dt.timedelta:
    when = dt.datetime.fromisoformat(creds["Expiration"].replace("Z", "+00:00"))
    return when - dt.datetime.now(dt.UTC)


def in_half_an_hour() -> str:
    return (dt.datetime.now(dt.UTC) + dt.timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M:%SZ")


def identity(creds: dict[str, str], sts: str) -> str:
    """The ARN moto's STS sees for these credentials."""
    import boto3

    client = boto3.client(
        "sts",
        endpoint_url=sts,
        region_name="us-east-1",
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
    )
    arn: str = client.get_caller_identity()["Arn"]
    return arn


@pytest.fixture
def sso_dev(aws_files: AwsFiles, sso_portal: FakeSsoPortal, sigv4: Callable[..., object]) -> None:
    """Profile `dev` on the SSO profile `dev-sso` (sso-session `corp`), with a valid token."""
    aws_files.add_sso_session("corp")
    aws_files.add_sso_profile("dev-sso", session="corp")
    aws_files.write_sso_token(session="corp")
    sigv4("dev", "dev-sso")


def ambient(monkeypatch: pytest.MonkeyPatch, aws_files: AwsFiles) -> None:
    """The user's own identity in the shell: AWS_PROFILE naming a profile with keys, and the
    key variables."""
    aws_files.add_static("mine", "AKIAUSERSOWNPROFILE1", "users/own/profile/secret/0001xxxxxxxxx")
    for var, value in AMBIENT.items():
        monkeypatch.setenv(var, value)


# --- what comes out, from each kind of AWS profile ----------------------------------------------


def test_static_keys_are_minted_into_session_credentials(
    cli: Cli, aws_files: AwsFiles, sts_endpoint: str, sigv4: Callable[..., object]
) -> None:
    aws_files.add_static("keys")
    sigv4("dev", "keys")
    creds = struct_of(cli("credentials dev"))
    # GetSessionToken's answer, not the long-term key: Claude Code refuses a struct without a
    # session token, and the key itself never leaves the machine's AWS files.
    assert creds["AccessKeyId"] == MOTO_SESSION_KEY
    assert TEST_SECRET_KEY not in json.dumps(creds)
    assert dt.timedelta(minutes=55) < expires_in(creds) <= dt.timedelta(hours=1, seconds=5)


@pytest.mark.usefixtures("sso_dev")
def test_sso_profile(cli: Cli, sso_portal: FakeSsoPortal) -> None:
    creds = struct_of(cli("credentials dev"))
    assert (creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"]) == (
        TEMP_ACCESS_KEY,
        TEMP_SECRET_KEY,
        TEMP_SESSION_TOKEN,
    )
    assert dt.timedelta(minutes=55) < expires_in(creds) <= dt.timedelta(hours=1)
    assert [r.status for r in sso_portal.requests] == [200]


def test_role_chain(
    cli: Cli, aws_files: AwsFiles, sts_endpoint: str, sigv4: Callable[..., object]
) -> None:
    aws_files.add_static("base")
    aws_files.add_assume_role("model", ROLE_ARN, "base")
    sigv4("dev", "model")
    creds = struct_of(cli("credentials dev"))
    assert creds["AccessKeyId"].startswith("ASIA")
    assert ":assumed-role/ClaudeModel/" in identity(creds, sts_endpoint)


def test_web_identity(
    cli: Cli, aws_files: AwsFiles, sts_endpoint: str, sigv4: Callable[..., object], tmp_path: Path
) -> None:
    token = tmp_path / "oidc-token"
    token.write_text("eyJhbGciOiJub25lIn0.eyJzdWIiOiJjaSJ9.")
    with aws_files.config.open("a") as fh:
        fh.write(f"[profile ci]\nrole_arn = {ROLE_ARN}\nweb_identity_token_file = {token}\n\n")
    sigv4("dev", "ci")
    creds = struct_of(cli("credentials dev"))
    assert ":assumed-role/ClaudeModel/" in identity(creds, sts_endpoint)


def test_credential_process(
    cli: Cli, aws_files: AwsFiles, sigv4: Callable[..., object], tmp_path: Path
) -> None:
    expiry = in_half_an_hour()
    body = process_output(
        AccessKeyId=PROCESS_KEY,
        SecretAccessKey=PROCESS_SECRET,
        SessionToken=PROCESS_TOKEN,
        Expiration=expiry,
    )
    add_process(aws_files.config, "proc", tmp_path / "proc.py", body)
    sigv4("dev", "proc")
    creds = struct_of(cli("credentials dev"))
    assert creds == {
        "AccessKeyId": PROCESS_KEY,
        "SecretAccessKey": PROCESS_SECRET,
        "SessionToken": PROCESS_TOKEN,
        "Expiration": expiry,
    }


def test_credential_process_with_long_term_keys_is_minted(
    cli: Cli,
    aws_files: AwsFiles,
    sts_endpoint: str,
    sigv4: Callable[..., object],
    tmp_path: Path,
) -> None:
    body = process_output(AccessKeyId=TEST_ACCESS_KEY, SecretAccessKey=TEST_SECRET_KEY)
    add_process(aws_files.config, "proc", tmp_path / "proc.py", body)
    sigv4("dev", "proc")
    assert struct_of(cli("credentials dev"))["AccessKeyId"] == MOTO_SESSION_KEY


def test_a_session_token_without_expiry_counts_as_an_hour(
    cli: Cli, aws_files: AwsFiles, sigv4: Callable[..., object], offline: Callable[[], None]
) -> None:
    """Temporary keys written into the credentials file by some other tool: no expiry is
    known, so the struct says an hour (what Claude Code assumes without one), and the status
    line shows no countdown it cannot know."""
    aws_files.add_static("tmp", TEMP_ACCESS_KEY, TEMP_SECRET_KEY, session_token=TEMP_SESSION_TOKEN)
    sigv4("dev", "tmp")
    offline()  # nothing to mint: no network needed
    creds = struct_of(cli("credentials dev"))
    assert creds["SessionToken"] == TEMP_SESSION_TOKEN
    assert dt.timedelta(minutes=59) < expires_in(creds) <= dt.timedelta(hours=1)
    status = credcache.read_status("dev")
    assert status is not None
    assert status["expiry_known"] is False


# --- the ambient identity never counts ----------------------------------------------------------


@pytest.mark.usefixtures("sso_dev")
def test_ambient_aws_profile_and_keys_are_ignored(
    cli: Cli, aws_files: AwsFiles, monkeypatch: pytest.MonkeyPatch
) -> None:
    ambient(monkeypatch, aws_files)
    creds = struct_of(cli("credentials dev"))
    assert creds["AccessKeyId"] == TEMP_ACCESS_KEY
    for value in AMBIENT.values():
        assert value not in json.dumps(creds)


def test_the_resolution_never_sees_the_ambient_identity(
    cli: Cli,
    aws_files: AwsFiles,
    sigv4: Callable[..., object],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A credential_process (which may call other AWS tools) runs without the user's
    AWS_PROFILE and key variables; the AWS files and endpoints still reach it."""
    seen = tmp_path / "seen.json"
    body = (
        f"import json, os\njson.dump(dict(os.environ), open({str(seen)!r}, 'w'))\n"
        + process_output(
            AccessKeyId=PROCESS_KEY, SecretAccessKey=PROCESS_SECRET, SessionToken=PROCESS_TOKEN
        )
    )
    add_process(aws_files.config, "proc", tmp_path / "proc.py", body)
    sigv4("dev", "proc")
    ambient(monkeypatch, aws_files)
    monkeypatch.setenv("AWS_DEFAULT_PROFILE", "mine")
    monkeypatch.setenv("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:9")
    struct_of(cli("credentials dev"))
    env = json.loads(seen.read_text())
    assert not {*AMBIENT, "AWS_DEFAULT_PROFILE"} & set(env)
    assert env["AWS_CONFIG_FILE"] == str(aws_files.config)
    assert env["AWS_ENDPOINT_URL_STS"] == "http://127.0.0.1:9"


def test_a_profile_without_credentials_does_not_fall_back_to_the_environment(
    cli: Cli, aws_files: AwsFiles, sigv4: Callable[..., object], monkeypatch: pytest.MonkeyPatch
) -> None:
    with aws_files.config.open("a") as fh:
        fh.write("[profile empty]\nregion = us-east-1\n\n")
    sigv4("dev", "empty")
    ambient(monkeypatch, aws_files)
    # Neither the key variables nor a container role (the chain's fallbacks) may answer.
    monkeypatch.setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:9/creds")
    line = failed(cli("credentials dev"))
    assert "AWS profile 'empty' holds no credentials" in line


# --- the cache ---------------------------------------------------------------------------------


@pytest.mark.usefixtures("sso_dev")
def test_a_warm_call_makes_no_network_request(
    cli: Cli, sso_portal: FakeSsoPortal, offline: Callable[[], None]
) -> None:
    first = struct_of(cli("credentials dev"))
    offline()
    assert struct_of(cli("credentials dev")) == first
    assert len(sso_portal.requests) == 1


@pytest.mark.usefixtures("sso_dev")
def test_cache_files_are_private_and_hold_the_source(cli: Cli, config_dir: Path) -> None:
    struct_of(cli("credentials dev"))
    folder = config_dir / "credentials"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for path in (folder / "dev.creds.json", folder / "dev.status.json"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    status = json.loads((folder / "dev.status.json").read_text())
    assert status["source"] == "sso"
    assert status["chain"] == ["dev-sso"]
    assert status["expiration"] == struct_of(cli("credentials dev"))["Expiration"]
    # The sidecar the status line reads holds no secret.
    text = (folder / "dev.status.json").read_text()
    assert TEMP_SECRET_KEY not in text
    assert TEMP_SESSION_TOKEN not in text


@pytest.mark.usefixtures("sso_dev")
def test_the_cache_stops_five_minutes_before_expiration(
    cli: Cli, config_dir: Path, sso_portal: FakeSsoPortal
) -> None:
    struct_of(cli("credentials dev"))
    path = config_dir / "credentials" / "dev.creds.json"

    def expire_in(seconds: float) -> None:
        entry = json.loads(path.read_text())
        entry["expires_at"] = time.time() + seconds
        path.write_text(json.dumps(entry))

    expire_in(credcache.REFRESH_MARGIN + 20)
    struct_of(cli("credentials dev"))
    assert len(sso_portal.requests) == 1  # still good
    expire_in(credcache.REFRESH_MARGIN - 20)
    struct_of(cli("credentials dev"))
    assert len(sso_portal.requests) == 2  # renewed
    entry = json.loads(path.read_text())
    assert entry["expires_at"] > time.time() + 50 * 60


def test_load_valid_at_the_margin(
    aws_files: AwsFiles, sso_portal: FakeSsoPortal, sso_dev: None, cli: Cli
) -> None:
    struct_of(cli("credentials dev"))
    entry = credcache.load_valid("dev", "dev-sso")
    assert entry is not None
    at = float(entry["expires_at"])
    assert credcache.load_valid("dev", "dev-sso", now=at - credcache.REFRESH_MARGIN - 1)
    assert credcache.load_valid("dev", "dev-sso", now=at - credcache.REFRESH_MARGIN) is None
    assert credcache.load_valid("dev", "other") is None  # made for another AWS profile
    assert credcache.load_valid("other", "dev-sso") is None


def test_editing_the_profile_or_its_aws_profile_invalidates_the_cache(
    cli: Cli,
    aws_files: AwsFiles,
    sts_endpoint: str,
    sigv4: Callable[..., object],
    config_dir: Path,
    offline: Callable[[], None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    aws_files.add_static("base")
    aws_files.add_assume_role("model", ROLE_ARN, "base")
    aws_files.add_assume_role("other", f"arn:aws:iam::{ACCOUNT_ID}:role/Other", "base")
    sigv4("dev", "model")
    first = struct_of(cli("credentials dev"))

    # An edit elsewhere in the AWS files keeps the entry (no network needed).
    with aws_files.config.open("a") as fh:
        fh.write("[profile unrelated]\nregion = eu-west-3\n\n")
    with monkeypatch.context() as m:
        m.setenv("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:9")
        assert struct_of(cli("credentials dev")) == first

    # A hand edit of profiles.toml pointing `dev` at another AWS profile: re-resolved.
    toml = config_dir / "profiles.toml"
    toml.write_text(toml.read_text().replace('aws_profile = "model"', 'aws_profile = "other"'))
    second = struct_of(cli("credentials dev"))
    assert ":assumed-role/Other/" in identity(second, sts_endpoint)

    # An edit of the AWS profile itself (its role): re-resolved.
    text = aws_files.config.read_text()
    aws_files.config.write_text(text.replace("role/Other", "role/Edited"))
    third = struct_of(cli("credentials dev"))
    assert ":assumed-role/Edited/" in identity(third, sts_endpoint)

    # An edit of the source profile's keys (deeper in the chain): re-resolved too.
    before = credcache.load_valid("dev", "other")
    assert before is not None
    creds = aws_files.credentials.read_text()
    aws_files.credentials.write_text(creds.replace(TEST_SECRET_KEY, TEST_SECRET_KEY[::-1]))
    assert credcache.load_valid("dev", "other") is None
    offline()
    failed(cli("credentials dev"))


@pytest.mark.usefixtures("sso_dev")
def test_saving_renaming_or_deleting_the_profile_drops_its_entry(cli: Cli) -> None:
    struct_of(cli("credentials dev"))
    assert credcache.cached_names() == ["dev"]
    assert cli("rename dev prod").code == 0
    assert credcache.cached_names() == []
    struct_of(cli("credentials prod"))
    assert cli("rm prod").code == 0
    assert credcache.cached_names() == []


@pytest.mark.usefixtures("sso_dev")
def test_a_planted_link_is_not_written_through(cli: Cli, config_dir: Path, tmp_path: Path) -> None:
    folder = config_dir / "credentials"
    folder.mkdir(mode=0o700, parents=True)
    victims = []
    for name in ("dev.creds.json", "dev.status.json"):
        victim = tmp_path / f"victim-{name}"
        victim.write_text("untouched\n")
        (folder / name).symlink_to(victim)
        victims.append(victim)
    struct_of(cli("credentials dev"))
    for victim in victims:
        assert victim.read_text() == "untouched\n"
    for name in ("dev.creds.json", "dev.status.json"):
        assert not (folder / name).is_symlink()
        assert stat.S_IMODE((folder / name).stat().st_mode) == 0o600


@pytest.mark.usefixtures("sso_dev")
def test_a_linked_cache_directory_is_refused(cli: Cli, config_dir: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "credentials").symlink_to(elsewhere)
    line = failed(cli("credentials dev"))
    assert "is a symlink" in line
    assert list(elsewhere.iterdir()) == []


# --- failures: one line, nothing on stdout, no secret ------------------------------------------


def test_refuses_profiles_that_cannot_export_credentials(
    cli: Cli, sigv4: Callable[..., object]
) -> None:
    assert "no profile named 'nope'" in failed(cli("credentials nope"), 2)
    sigv4("chain", None)
    assert "names no AWS profile" in failed(cli("credentials chain"), 2)
    r = cli(
        "add", "key", "--auth", "api-key", "--api-key-stdin", "--workspace", "wrkspc_01AbCdEf",
        "--region", "us-east-1", stdin="sk-ant-api03-Zx9Yw8Vu7Ts6Rq5Po4Nm-f3Qa\n",
    )  # fmt: skip
    assert r.code == 0, r.err
    assert "uses a workspace API key" in failed(cli("credentials key"), 2)
    assert "sk-ant-" not in failed(cli("credentials key"), 2)


def test_unknown_aws_profile(cli: Cli, sigv4: Callable[..., object]) -> None:
    sigv4("dev", "missing")
    line = failed(cli("credentials dev"), 2)
    assert "AWS profile 'missing' is not in the AWS config or credentials file" in line


@pytest.mark.parametrize("token", ["expired", "missing"])
def test_an_expired_sso_session_says_how_to_log_in(
    cli: Cli,
    aws_files: AwsFiles,
    sso_portal: FakeSsoPortal,
    sigv4: Callable[..., object],
    token: str,
) -> None:
    aws_files.add_sso_session("corp")
    aws_files.add_sso_profile("dev-sso", session="corp")
    if token == "expired":
        aws_files.write_sso_token(session="corp", expires_in=dt.timedelta(hours=-1))
    sigv4("dev", "dev-sso")
    line = failed(cli("credentials dev"))
    assert "the SSO session of the AWS profile 'dev-sso' has expired or is missing" in line
    assert "log in with `cc-aws-tui login dev` (it runs `aws sso login --profile dev-sso`)" in line


def test_a_role_on_an_sso_profile_logs_in_with_the_sso_profile(
    cli: Cli, aws_files: AwsFiles, sso_portal: FakeSsoPortal, sigv4: Callable[..., object]
) -> None:
    aws_files.add_sso_profile("dev-sso")
    aws_files.add_assume_role("model", ROLE_ARN, "dev-sso")
    sigv4("dev", "model")
    line = failed(cli("credentials dev"))
    assert "`aws sso login --profile dev-sso`" in line


@pytest.mark.parametrize(
    "body",
    [
        # Fails quoting a secret on stderr (botocore puts that in its message).
        f"import sys\nsys.stderr.write('cannot sign: {LEAKED}\\n')\nsys.exit(1)\n",
        # Prints a secret where its version goes (botocore quotes the version).
        process_output(Version=LEAKED, AccessKeyId=PROCESS_KEY, SecretAccessKey=LEAKED),
        # Prints something that is not JSON, holding the secret.
        f"print('AccessKeyId={PROCESS_KEY} SecretAccessKey={LEAKED}')\n",
    ],
    ids=["stderr", "version", "not-json"],
)
def test_a_hostile_credential_process_cannot_get_a_secret_printed(
    cli: Cli, aws_files: AwsFiles, sigv4: Callable[..., object], tmp_path: Path, body: str
) -> None:
    add_process(aws_files.config, "proc", tmp_path / "proc.py", body)
    sigv4("dev", "proc")
    r = cli("credentials dev")
    line = failed(r)
    assert LEAKED not in r.err
    assert LEAKED[:12] not in r.err
    assert "dev" in line
    assert "proc" in line


def test_a_server_quoting_a_key_back_is_masked(
    aws_files: AwsFiles, sigv4: Callable[..., object], monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a process of its own: the one process-wide registry of secrets to mask holds just
    what this call met (the keys of its AWS profile's sections)."""
    aws_files.add_static("keys")
    sigv4("dev", "keys")
    with quoting_sts(TEST_SECRET_KEY) as url:
        monkeypatch.setenv("AWS_ENDPOINT_URL_STS", url)
        r = run_script("credentials", "dev")
    line = failed(r)
    assert "GetSessionToken" in line
    assert "InvalidClientTokenId" in line
    assert TEST_SECRET_KEY not in r.err
    assert TEST_SECRET_KEY[-16:] not in r.err


def test_the_deadline_bounds_the_call(
    cli: Cli, aws_files: AwsFiles, sigv4: Callable[..., object], tmp_path: Path
) -> None:
    add_process(aws_files.config, "slow", tmp_path / "slow.py", "import time\ntime.sleep(60)\n")
    sigv4("dev", "slow")
    start = time.monotonic()
    line = failed(cli("credentials dev --timeout 1"))
    assert time.monotonic() - start < 10
    assert "within 1s" in line


@pytest.mark.parametrize(
    ("command", "setting"),
    [
        ("credentials", "awsCredentialExport"),
        ("login", "awsAuthRefresh"),
        ("statusline", "statusLine"),
    ],
)
def test_help(cli: Cli, command: str, setting: str) -> None:
    r = cli(f"{command} --help")
    assert r.code == 0
    assert setting in r.out
    assert "exit status:" in r.out


def test_usage_errors_go_to_argparse(cli: Cli) -> None:
    r = cli("credentials")
    assert r.code == 2
    assert r.out == ""
    r = cli("credentials dev --timeout 0")
    assert r.code == 2
    assert "--timeout" in r.err
    r = cli("credentials --help")
    assert r.code == 0
    assert "awsCredentialExport" in r.out


# --- the real console script -------------------------------------------------------------------


@pytest.mark.usefixtures("sso_dev")
def test_the_console_script_warm_and_cold(
    sso_portal: FakeSsoPortal, offline: Callable[[], None]
) -> None:
    cold = struct_of(run_script("credentials", "dev"))
    offline()
    assert struct_of(run_script("credentials", "dev")) == cold
    assert len(sso_portal.requests) == 1
