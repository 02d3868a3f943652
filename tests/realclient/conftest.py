"""Fixtures for the real-client tests: the client itself, and a machine of its own (a HOME
with AWS files, a git project, a config directory) for each scenario."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.fakeplatform import TEMP_ACCESS_KEY, TEMP_SECRET_KEY, TEMP_SESSION_TOKEN
from tests.realclient.harness import ClientRun, RealClient, find_client

REGION = "eu-west-1"
# The user's own AWS identity (unknown to the platform): what a polluted shell signs with.
USER_ACCESS_KEY = "AKIAUSERSOWNIDENTITY"
USER_SECRET_KEY = "users/own/secret/key/not/the/models/0001"
DEFAULT_ACCESS_KEY = "AKIADEFAULTPROFILE01"


@pytest.fixture(scope="session")
def real_client() -> RealClient:
    return find_client()


@dataclass
class Machine:
    """One user's machine: HOME (AWS files, ~/.claude), a git project, cc-aws-tui's config."""

    root: Path
    home: Path
    project: Path
    client: RealClient

    def env(self, extra: Mapping[str, str] = {}) -> dict[str, str]:
        """A clean login shell's environment, plus `extra`."""
        venv_bin = Path(sys.executable).parent
        return {
            "PATH": f"{venv_bin}:/usr/local/bin:/usr/bin:/bin",
            "HOME": str(self.home),
            "LANG": "C.UTF-8",
            "TERM": "dumb",
            # Harness only: a refused request fails at once instead of after minutes of
            # back-off. It changes nothing of where requests go or how they are signed.
            "CLAUDE_CODE_MAX_RETRIES": "0",
            **extra,
        }

    def run(
        self,
        script: str,
        *,
        shell: Mapping[str, str] = {},
        region: str = REGION,
        agent_command: str | None = None,
        aws_servers: bool = False,
    ) -> ClientRun:
        return self.client.run(
            "set -e\n" + script,
            env=self.env(shell),
            cwd=self.project,
            region=region,
            work=self.root,
            agent_command=agent_command,
            aws_servers=aws_servers,
        )

    def write(self, relative: str, text: str) -> Path:
        path = self.home / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return path


@pytest.fixture
def machine(tmp_path: Path, real_client: RealClient) -> Machine:
    home = tmp_path / "home"
    project = home / "src" / "app"
    project.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    (project / ".gitignore").write_text(".claude/settings.local.json\n")
    m = Machine(tmp_path, home, project, real_client)
    # The model's identity: temporary credentials from a credential_process (as a role or SSO
    # gives them), so `cc-aws-tui credentials` needs no STS inside the namespace.
    payload = {
        "Version": 1, "AccessKeyId": TEMP_ACCESS_KEY, "SecretAccessKey": TEMP_SECRET_KEY,
        "SessionToken": TEMP_SESSION_TOKEN, "Expiration": "2099-01-01T00:00:00Z",
    }  # fmt: skip
    script = m.write(
        "bin/model-creds", f"#!{sys.executable}\nprint({json.dumps(json.dumps(payload))})\n"
    )
    script.chmod(0o755)
    m.write(
        ".aws/config",
        f"[default]\nregion = us-east-1\n\n[profile model]\nregion = {REGION}\n"
        f"credential_process = {script}\n\n[profile mine]\nregion = us-west-2\n",
    )
    m.write(
        ".aws/credentials",
        f"[default]\naws_access_key_id = {DEFAULT_ACCESS_KEY}\n"
        "aws_secret_access_key = default/secret/0001\n\n"
        f"[mine]\naws_access_key_id = {USER_ACCESS_KEY}\n"
        f"aws_secret_access_key = {USER_SECRET_KEY}\n",
    )
    return m
