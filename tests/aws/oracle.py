"""The JavaScript SDK as the oracle for how Claude Code reads the AWS files, and the two views
to compare: what `js_oracle.cjs` (the real npm packages) answers and what our readers say.
Plain helpers, imported by name; the `js_oracle` fixture (conftest.py) starts the process."""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from profiles.aws.profiles import AwsProfile, js_kind

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("js_oracle.cjs")
DATA = Path(__file__).with_name("data")
NPM_ENV = "CC_AWS_TUI_TEST_NPM"
PACKAGES = ("@smithy/shared-ini-file-loader", "@smithy/node-config-provider", "@smithy/core")
# The variables that choose what the SDKs read; everything else of ours is left alone.
AWS_VARS = (
    "HOME", "USERPROFILE", "HOMEDRIVE", "HOMEPATH",
    "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_PROFILE", "AWS_REGION",
)  # fmt: skip


def npm_dir() -> Path:
    """The directory holding `node_modules` with the pinned packages (`.ci/npm`, or the env)."""
    return Path(os.environ.get(NPM_ENV) or ROOT / ".ci" / "npm")


def missing() -> str | None:
    """Why the oracle cannot run here (no node, no packages), or None."""
    if shutil.which("node") is None:
        return "node is not installed (CI installs it with npm: .ci/run)"
    base = npm_dir() / "node_modules"
    for package in PACKAGES:
        if not (base / package / "package.json").is_file():
            return f"{package} is not installed in {base} (cd .ci/npm && npm ci)"
    return None


class JsOracle:
    """One `node js_oracle.cjs` process answering request after request."""

    def __init__(self) -> None:
        self._proc = subprocess.Popen(
            ["node", str(SCRIPT), str(npm_dir())],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )

    def ask(
        self, env: Mapping[str, str], cwd: Path | None = None, timeout: float = 30.0
    ) -> dict[str, Any]:
        """What the JavaScript SDK reads with environment `env` (HOME, AWS_CONFIG_FILE, ...),
        relative paths taken from `cwd` (default: the current directory)."""
        assert self._proc.stdin is not None
        assert self._proc.stdout is not None
        request = {"env": dict(env), "cwd": str(cwd or Path.cwd())}
        self._proc.stdin.write(json.dumps(request) + "\n")
        self._proc.stdin.flush()
        ready, _, _ = select.select([self._proc.stdout], [], [], timeout)
        if not ready:
            raise TimeoutError(f"the JavaScript oracle gave no answer in {timeout:g}s")
        line = self._proc.stdout.readline()
        if not line:
            raise RuntimeError(f"the JavaScript oracle stopped (exit {self._proc.poll()})")
        answer: dict[str, Any] = json.loads(line)
        if "error" in answer:
            raise RuntimeError(f"the JavaScript oracle failed: {answer['error']}")
        return answer

    def close(self) -> None:
        if self._proc.stdin is not None:
            self._proc.stdin.close()
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()


def aws_env(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The variables of `environ` (default: ours) that decide what the SDKs read."""
    environ = os.environ if environ is None else environ
    return {k: environ[k] for k in AWS_VARS if k in environ}


@contextmanager
def environment(env: Mapping[str, str]) -> Iterator[None]:
    """Run our reader with exactly these AWS_VARS set (the others unset), then restore."""
    saved = {k: os.environ.get(k) for k in AWS_VARS}
    try:
        for key in AWS_VARS:
            os.environ.pop(key, None)
        os.environ.update(env)
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


# --------------------------------------------------------------------------- the two views


@dataclass(frozen=True)
class View:
    """What a reader says matters to Claude Code: profile -> (region, credential kind)."""

    profiles: dict[str, tuple[str | None, str]]
    refused: str | None = None  # the reader refused the files (Claude Code reads them)

    def explain(self, other: View) -> str:
        if self.refused or other.refused:
            return f"refused: {self.refused or other.refused}"
        lines = []
        for name in sorted(set(self.profiles) | set(other.profiles)):
            mine, theirs = self.profiles.get(name), other.profiles.get(name)
            if mine != theirs:
                lines.append(f"{name!r}: ours {mine}, the JavaScript SDK {theirs}")
        return "; ".join(lines)


def oracle_view(answer: Mapping[str, Any]) -> View:
    """The JavaScript SDK's answer as a View: the kind follows from its own kind inputs."""
    return View(
        {p["name"]: (p["region"], str(js_kind(p["kind_inputs"]))) for p in answer["profiles"]}
    )


Reader = Callable[[], list[AwsProfile]]


def reader_view(read: Reader) -> View:
    """A reader's (ours, or the botocore-semantics one) answer as a View."""
    from profiles.aws.ini import AwsConfigError

    try:
        found = read()
    except AwsConfigError as exc:
        return View({}, refused=str(exc))
    return View({p.name: (p.region, str(p.kind)) for p in found})


def kind_inputs(section: Mapping[str, object]) -> dict[str, str]:
    """Our merged section's kind inputs, shaped as the oracle prints them (secrets as <set>)."""
    keys = (
        "role_arn", "source_profile", "credential_source", "role_session_name", "external_id",
        "mfa_serial", "web_identity_token_file", "credential_process", "sso_session",
        "sso_start_url", "sso_account_id", "sso_region", "sso_role_name", "login_session",
        "aws_access_key_id", "aws_secret_access_key", "aws_session_token", "aws_account_id",
    )  # fmt: skip
    secret = {"aws_secret_access_key", "aws_session_token"}
    return {
        k: ("<set>" if k in secret else str(section[k]))
        for k in keys
        if isinstance(section.get(k), str)
    }


# --------------------------------------------------------------------------- the shared suites


def load_suite(name: str) -> list[dict[str, Any]]:
    """The `tests` of one vendored suite (tests/aws/data/NAME.json)."""
    data = json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))
    tests: list[dict[str, Any]] = data["tests"]
    return tests
