"""`cc-aws-tui login NAME`, Claude Code's `awsAuthRefresh`: nothing at all while the SSO token
is valid (a recording `aws` on PATH proves it ran nothing), `aws sso login --profile P` when it
is not, and then the cached credentials of every profile drawing on P dropped. For other AWS
profiles: the cache dropped, nothing run."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from profiles.aws import credcache
from profiles.aws.creds import Resolved
from tests.cli.isolating import FakeAws, failed, struct_of
from tests.cliutil import Cli
from tests.servers import AwsFiles, FakeSsoPortal

ROLE_ARN = "arn:aws:iam::123456789012:role/ClaudeModel"


def cache(
    name: str, aws_profile: str, chain: list[str] | None = None, seconds: float = 3600
) -> None:
    """A cached entry for `name`, as a `credentials` call leaves it (no network), valid for
    `seconds` more."""
    import time

    resolved = Resolved("ASIACACHED0000000001", "cached/secret/0001xxxxxxxxxxxxxxxxxxxxxxx",
                        "CachedToken//0001=", time.time() + seconds, method="sso")  # fmt: skip
    chain_ = credcache.chain_of(aws_profile)
    if chain is not None:
        chain_.names = chain
    credcache.store(name, aws_profile, resolved, chain_, credcache.files_signature())


@pytest.fixture
def sso_files(aws_files: AwsFiles, sigv4: Callable[..., object]) -> AwsFiles:
    """`dev` and `dev2` on the SSO profile `dev-sso`, `model` on a role assumed with it,
    `other` on static keys."""
    aws_files.add_sso_session("corp")
    aws_files.add_sso_profile("dev-sso", session="corp")
    aws_files.add_assume_role("role", ROLE_ARN, "dev-sso")
    aws_files.add_static("keys")
    sigv4("dev", "dev-sso")
    sigv4("dev2", "dev-sso")
    sigv4("model", "role")
    sigv4("other", "keys")
    return aws_files


def test_a_valid_token_runs_nothing(cli: Cli, sso_files: AwsFiles, fake_aws: FakeAws) -> None:
    sso_files.write_sso_token(session="corp")
    cache("dev", "dev-sso")
    for name in ("dev", "model"):
        r = cli(f"login {name}")
        assert (r.code, r.out, r.err) == (0, "", "")
    # Also once the cached role credentials ran out (Claude Code runs awsAuthRefresh when
    # they expire, every hour): `credentials` renews them from the valid token by itself, so
    # there is no browser to open.
    cache("dev", "dev-sso", seconds=60)
    assert credcache.load_valid("dev", "dev-sso") is None
    r = cli("login dev")
    assert (r.code, r.out, r.err) == (0, "", "")
    assert fake_aws.calls == []


@pytest.mark.parametrize("token", ["expired", "missing"])
def test_an_expired_token_logs_in_and_drops_the_cache(
    cli: Cli, sso_files: AwsFiles, fake_aws: FakeAws, token: str
) -> None:
    if token == "expired":
        sso_files.write_sso_token(session="corp", expires_in=dt.timedelta(hours=-1))
    for name, aws_profile in (("dev", "dev-sso"), ("dev2", "dev-sso"), ("other", "keys")):
        cache(name, aws_profile)
    cache("model", "role", ["role", "dev-sso"])
    r = cli("login dev")
    assert r.code == 0, r.err
    assert fake_aws.calls == ["sso login --profile dev-sso"]
    # Every profile drawing on dev-sso (a role on top of it too); not the others.
    assert credcache.cached_names() == ["other"]


def test_a_role_on_sso_logs_in_with_the_sso_profile(
    cli: Cli, sso_files: AwsFiles, fake_aws: FakeAws
) -> None:
    assert cli("login model").code == 0
    assert fake_aws.calls == ["sso login --profile dev-sso"]


def test_after_login_credentials_work_again(
    cli: Cli, sso_files: AwsFiles, sso_portal: FakeSsoPortal, fake_aws: FakeAws
) -> None:
    """The refresh as Claude Code drives it: credentials fails (no token), login logs in (the
    fake `aws` caches a fresh token, as the real one does), credentials succeeds, and the next
    login runs nothing."""
    token = sso_files.write_sso_token(session="corp")
    fake_aws.token_path, fake_aws.token_text = token, token.read_text()
    fake_aws.install()
    token.unlink()
    assert "cc-aws-tui login dev" in failed(cli("credentials dev"))
    assert cli("login dev").code == 0
    assert fake_aws.calls == ["sso login --profile dev-sso"]
    struct_of(cli("credentials dev"))
    assert cli("login dev").code == 0
    assert len(fake_aws.calls) == 1


def test_a_refused_token_logs_in_although_it_looks_valid(
    cli: Cli, sso_files: AwsFiles, sso_portal: FakeSsoPortal, fake_aws: FakeAws
) -> None:
    """A revoked token still looks valid in the token cache; the portal's refusal, seen by
    `credentials`, is what makes `login` log in."""
    sso_files.write_sso_token(session="corp", access_token="revoked-token-0001")
    r = cli("login dev")
    assert (r.code, fake_aws.calls) == (0, [])
    line = failed(cli("credentials dev"))
    assert "refused the cached token" in line
    assert "cc-aws-tui login dev" in line
    assert cli("login dev").code == 0
    assert fake_aws.calls == ["sso login --profile dev-sso"]
    status = credcache.read_status("dev")
    assert status is None  # dropped with the rest once logged in


def test_force(cli: Cli, sso_files: AwsFiles, fake_aws: FakeAws) -> None:
    sso_files.write_sso_token(session="corp")
    assert cli("login dev --force").code == 0
    assert fake_aws.calls == ["sso login --profile dev-sso"]


def test_the_exit_status_is_aws_s(cli: Cli, sso_files: AwsFiles, fake_aws: FakeAws) -> None:
    cache("dev", "dev-sso")
    fake_aws.exit_code = 3
    fake_aws.install()
    r = cli("login dev")
    assert r.code == 3
    assert credcache.cached_names() == ["dev"]  # a failed login drops nothing


def test_without_the_aws_cli(
    cli: Cli, sso_files: AwsFiles, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    line = failed(cli("login dev"), 127)
    assert "the AWS CLI (`aws`) is not installed or not on PATH" in line
    assert "aws sso login --profile dev-sso" in line


def test_other_aws_profiles_drop_the_cache_and_run_nothing(
    cli: Cli, sso_files: AwsFiles, fake_aws: FakeAws
) -> None:
    cache("other", "keys")
    cache("dev", "dev-sso")
    r = cli("login other")
    assert (r.code, r.out) == (0, "")
    assert r.err == "dropped the cached credentials of profile 'other'\n"
    assert credcache.cached_names() == ["dev"]
    assert fake_aws.calls == []


def test_refuses_what_credentials_refuses(cli: Cli, sigv4: Callable[..., object]) -> None:
    sigv4("chain", None)
    assert "names no AWS profile" in failed(cli("login chain"), 2)
    assert "no profile named 'nope'" in failed(cli("login nope"), 2)
