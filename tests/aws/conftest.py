"""Fixtures for the AWS tests: shared files of our own (`aws`) and the JavaScript SDK itself
as the oracle (`js_oracle`, `agrees`). HOME, AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE
point into tmp_path, so the real ~/.aws is never read."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from profiles.aws.profiles import discover_aws_profiles
from tests.aws.awsfiles import AwsFiles
from tests.aws.oracle import JsOracle, aws_env, missing, oracle_view, reader_view


@pytest.fixture
def aws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AwsFiles:
    home = tmp_path / "aws-home"  # our own, whatever the top conftest.py sets up
    home.mkdir()
    files = AwsFiles(home, home / ".aws" / "config", home / ".aws" / "credentials")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(files.config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(files.credentials))
    return files


@pytest.fixture(scope="session")
def js_oracle() -> Iterator[JsOracle]:
    """`node tests/aws/js_oracle.cjs`: the pinned @smithy packages, one process per worker.
    Missing node or packages: an error in CI, a skip (with the reason) elsewhere."""
    why = missing()
    if why is not None:
        if os.environ.get("CI"):
            pytest.fail(f"the JavaScript SDK oracle cannot run: {why}")
        pytest.skip(f"the JavaScript SDK oracle cannot run: {why}")
    oracle = JsOracle()
    yield oracle
    oracle.close()


@pytest.fixture
def agrees(js_oracle: JsOracle) -> Callable[[], None]:
    """Assert that our reader and the JavaScript SDK read the AWS files here alike: the same
    profiles, each with the same region and credential kind."""

    def check() -> None:
        theirs = oracle_view(js_oracle.ask(aws_env()))
        ours = reader_view(discover_aws_profiles)
        assert ours == theirs, ours.explain(theirs)

    return check
