"""Drive the real Claude Code CLI and read back what it sent.

`RealClient.run(script, ...)` runs a bash script (cc-aws-tui commands, then `claude -p ...`) in
a fresh network and mount namespace (`tests.realclient.inside`): nothing can leave the machine,
and the platform's default endpoints are served on loopback by the fake platform. The result
lists every request; `Sent` reads one `POST /v1/messages` as the client meant it: provider,
endpoint, SigV4 identity / region / service, workspace, key, model and cache TTL.

The client comes from `.ci/npm` (installed by `.ci/run`; `npm ci` there does it by hand), or the
directory `CC_AWS_TUI_TEST_NPM` names. Where it is missing, or namespaces cannot be made, the
tests fail in CI and are skipped elsewhere, with the reason.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
CLAUDE_VERSION = "2.1.328"
PLATFORM = "Claude Platform on AWS"
BEDROCK = "Amazon Bedrock"
ANTHROPIC_API = "the Anthropic API"
SERVICE = "aws-external-anthropic"
_CRED_RE = re.compile(r"Credential=(?P<akid>[^/]+)/\d{8}/(?P<region>[^/]+)/(?P<service>[^/,]+)/")


def npm_root() -> Path:
    given = os.environ.get("CC_AWS_TUI_TEST_NPM")
    return Path(given) if given else ROOT / ".ci" / "npm"


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"the real Claude Code client is required in CI: {reason}", pytrace=False)
    pytest.skip(reason)


@dataclass(frozen=True)
class Sent:
    """One request for a model (`/v1/messages` or a Bedrock invoke), as the client sent it."""

    provider: str
    host: str
    auth: str  # "sigv4", "api-key" or "unsigned"
    access_key_id: str | None
    region: str | None
    service: str | None
    session_token: bool
    workspace: str | None
    api_key: str | None
    bearer: str | None
    model: str | None
    cache_ttl: str | None  # "1h" when every cache_control asks for it, else "5m"
    status: int | None

    @classmethod
    def parse(cls, request: dict[str, Any]) -> Sent:
        headers: dict[str, str] = request["headers"]
        host = headers.get("host", "").split(":")[0]
        authorization = headers.get("authorization", "")
        cred = _CRED_RE.search(authorization) if authorization.startswith("AWS4-") else None
        # By what was sent, not where: a stale base URL still gets a Claude Platform request.
        if "/model/" in request["path"]:
            provider = BEDROCK
        elif "anthropic-workspace-id" in headers or (cred and cred["service"] == SERVICE):
            provider = PLATFORM
        elif host == "api.anthropic.com":
            provider = ANTHROPIC_API
        else:
            provider = f"elsewhere ({host})"
        bearer = authorization[7:] if authorization.startswith("Bearer ") else None
        auth = "sigv4" if cred else "api-key" if "x-api-key" in headers else "unsigned"
        body = request.get("body") if isinstance(request.get("body"), dict) else {}
        text = json.dumps(body)
        ttl = None
        if '"cache_control"' in text:
            ttl = "1h" if '"ttl": "1h"' in text else "5m"
        model = body.get("model")
        if model is None and "/model/" in request["path"]:
            model = request["path"].split("/model/")[1].split("/")[0]
        return cls(
            provider=provider,
            host=host,
            auth=auth,
            access_key_id=cred["akid"] if cred else None,
            region=cred["region"] if cred else None,
            service=cred["service"] if cred else None,
            session_token="x-amz-security-token" in headers,
            workspace=headers.get("anthropic-workspace-id"),
            api_key=headers.get("x-api-key"),
            bearer=bearer,
            model=model,
            cache_ttl=ttl,
            status=request.get("status"),
        )


@dataclass(frozen=True)
class ClientRun:
    rc: int
    stdout: str
    stderr: str
    timed_out: bool
    requests: tuple[dict[str, Any], ...]
    portal_requests: int = 0  # GetRoleCredentials calls the fake SSO portal answered

    @property
    def sent(self) -> list[Sent]:
        """Every model request, in the order received (platform first, then elsewhere)."""
        return [
            Sent.parse(r)
            for r in self.requests
            if r["method"] == "POST" and (r["path"] == "/v1/messages" or "/invoke" in r["path"])
        ]

    @property
    def main(self) -> Sent:
        """The request for the conversation itself (the one with the prompt's model)."""
        sent = self.sent
        assert sent, f"the client sent no model request; {self.explain()}"
        return sent[-1]

    @property
    def tool_results(self) -> list[str]:
        """What the client's tools sent back to the model (agent mode), in order."""
        out: list[str] = []
        for r in self.requests:
            body = r.get("body")
            if r["method"] != "POST" or not isinstance(body, dict):
                continue
            for message in body.get("messages") or []:
                for block in message.get("content") or []:
                    if isinstance(block, dict) and block.get("type") == "tool_result":
                        content = block.get("content")
                        if isinstance(content, list):
                            content = "".join(
                                c.get("text", "") for c in content if isinstance(c, dict)
                            )
                        if isinstance(content, str) and content not in out:
                            out.append(content)
        return out

    def agent_env(self) -> dict[str, str]:
        """The environment the agent's Bash tool saw (`env` run by the tool)."""
        assert self.tool_results, f"no tool_result came back; {self.explain()}"
        env: dict[str, str] = {}
        for line in self.tool_results[-1].splitlines():
            name, sep, value = line.partition("=")
            if sep and name.replace("_", "").isalnum():
                env[name] = value
        return env

    def explain(self) -> str:
        return (
            f"exit {self.rc}{' (timed out)' if self.timed_out else ''};"
            f" stdout={self.stdout[-800:]!r}; stderr={self.stderr[-800:]!r}"
        )


class RealClient:
    """The installed client; `run` one scenario in a namespace of its own."""

    def __init__(self, binary: Path) -> None:
        self.binary = binary

    def run(
        self,
        script: str,
        *,
        env: dict[str, str],
        cwd: Path,
        region: str,
        work: Path,
        timeout: float = 90,
        agent_command: str | None = None,
        aws_servers: bool = False,
    ) -> ClientRun:
        bin_dir = work / "client-bin"
        bin_dir.mkdir(exist_ok=True)
        if not (bin_dir / "claude").exists():
            (bin_dir / "claude").symlink_to(self.binary)
        env = {**env, "PATH": f"{bin_dir}:{env['PATH']}"}
        spec = work / "netns-spec.json"
        out = work / "netns-out.json"
        spec.write_text(
            json.dumps(
                {"script": script, "env": env, "cwd": str(cwd), "region": region,
                 "timeout": timeout, "agent_command": agent_command,
                 "aws_servers": aws_servers}
            )
        )  # fmt: skip
        proc = subprocess.run(
            ["unshare", "--net", "--mount", "--", sys.executable, "-m",
             "tests.realclient.inside", str(spec), str(out)],
            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
            capture_output=True, text=True, timeout=timeout + 60,
        )  # fmt: skip
        assert proc.returncode == 0, f"the namespace driver failed: {proc.stderr[-2000:]}"
        data = json.loads(out.read_text())
        return ClientRun(
            data["rc"], data["stdout"], data["stderr"], data["timed_out"],
            tuple(data["requests"]), data.get("portal_requests", 0),
        )  # fmt: skip


def find_client() -> RealClient:
    """The client, checked: the pinned version, and namespaces that work here."""
    package = npm_root() / "node_modules" / "@anthropic-ai" / "claude-code"
    binary = package / "bin" / "claude.exe"
    if not binary.is_file():
        _unavailable(f"Claude Code is not installed at {binary} (cd .ci/npm && npm ci)")
    version = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=60)
    if not version.stdout.startswith(CLAUDE_VERSION):
        _unavailable(f"{binary} is {version.stdout.strip()!r}, not {CLAUDE_VERSION}")
    if shutil.which("unshare") is None or shutil.which("ip") is None:
        _unavailable("unshare (util-linux) and ip (iproute2) are needed")
    probe = subprocess.run(
        ["unshare", "--net", "--mount", "--", "ip", "link", "set", "lo", "up"],
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    if probe.returncode != 0:
        _unavailable(f"cannot make a network namespace here: {probe.stderr.strip()}")
    return RealClient(binary)
