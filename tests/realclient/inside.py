"""Run inside a network namespace of its own: serve the platform, run a scenario, record.

Started by `tests.realclient.harness` as
`unshare --net --mount -- python -m tests.realclient.inside SPEC OUT`. Here, with only loopback:

* the platform's default endpoints (`aws-external-anthropic.<region>.api.aws`) resolve to
  127.0.0.1 (an /etc/hosts bind-mounted in this mount namespace only) and are served over TLS
  on port 443 by the project's fake platform, which verifies SigV4 by recomputing it;
* the other providers' hosts (Bedrock, the Anthropic API, a stale gateway) resolve to 127.0.0.2,
  where a recorder answers every request with a 400 (never retried): a request there is proof
  that the client went somewhere else;
* the certificate comes from a private CA made here, trusted through NODE_EXTRA_CA_CERTS;
* the scenario (a bash script: cc-aws-tui commands, then `claude -p`) runs with a deadline,
  its process group killed when the deadline passes.

The spec (JSON): script, env, cwd, region, timeout. The result (JSON): rc, stdout, stderr,
timed_out, and every request both servers received.
"""

from __future__ import annotations

import json
import os
import signal
import ssl
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from tests.certs import make_ca
from tests.fakeplatform import (
    DEFAULT_MODELS,
    TEMP_ACCESS_KEY,
    TEMP_SECRET_KEY,
    TEMP_SESSION_TOKEN,
    ApiError,
    FakePlatformServer,
)

PLATFORM_IP = "127.0.0.1"
DECOY_IP = "127.0.0.2"
REGIONS = ("us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-northeast-1")
# Claude Code 2.1.328 asks for this model when nothing pins one (platform-facts).
UNPINNED_MODEL = "claude-opus-5-5"
STALE_GATEWAY = "stale-gateway.test"


def platform_host(region: str) -> str:
    return f"aws-external-anthropic.{region}.api.aws"


def decoy_hosts() -> list[str]:
    return [
        "api.anthropic.com",
        STALE_GATEWAY,
        *(f"bedrock-runtime.{r}.amazonaws.com" for r in REGIONS),
        *(f"bedrock.{r}.amazonaws.com" for r in REGIONS),
    ]


class _Decoy(FakePlatformServer):
    """Records everything, answers 400: the client does not retry a 400."""

    def _dispatch(self, handler: Any, record: Any) -> tuple[int, Any, Any]:
        raise ApiError(400, "invalid_request_error", "decoy: not this endpoint")


class _AwsServers:
    """moto's STS and the project's fake SSO portal, here on loopback: what SSO and role
    profiles resolve against. The platform trusts what they hand out; botocore is pointed at
    them through the `AWS_ENDPOINT_URL_*` variables of the scenario's environment."""

    def __init__(self, platform: FakePlatformServer, env: dict[str, str]) -> None:
        import logging

        from moto.server import ThreadedMotoServer

        from tests.servers import (
            ACCOUNT_ID,
            SSO_ACCESS_TOKEN,
            SSO_ROLE,
            FakeSsoPortal,
            RoleGrant,
            trust_moto_sts,
        )  # fmt: skip

        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        self.moto = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self.moto.start()
        host, port = self.moto.get_host_and_port()
        self.portal = FakeSsoPortal().start()
        self.portal.grant(
            SSO_ACCESS_TOKEN,
            RoleGrant(ACCOUNT_ID, SSO_ROLE, TEMP_ACCESS_KEY, TEMP_SECRET_KEY, TEMP_SESSION_TOKEN),
        )
        trust_moto_sts(platform)
        env["AWS_ENDPOINT_URL_STS"] = f"http://{host}:{port}"
        env["AWS_ENDPOINT_URL_SSO"] = env["AWS_ENDPOINT_URL_SSO_OIDC"] = self.portal.url

    def stop(self) -> None:
        self.portal.stop()
        self.moto.stop()


def _requests(server: FakePlatformServer, name: str) -> list[dict[str, Any]]:
    out = []
    for r in server.requests:
        try:
            body = r.json() if r.body else None
        except ValueError:
            body = None
        out.append(
            {
                "server": name,
                "method": r.method,
                "path": r.path,
                "query": r.raw_query,
                "headers": r.headers,
                "body": body,
                "status": r.status,
                "auth": r.auth,
            }
        )
    return out


def main(spec_path: str, out_path: str) -> int:
    spec = json.loads(Path(spec_path).read_text())
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    work = Path(tempfile.mkdtemp(prefix="netns-"))
    names = [platform_host(r) for r in REGIONS]
    ca, cert, key = make_ca(work, [*names, *decoy_hosts()])
    hosts = work / "hosts"
    decoys = " ".join(decoy_hosts())
    hosts.write_text(f"127.0.0.1 localhost\n{PLATFORM_IP} {' '.join(names)}\n{DECOY_IP} {decoys}\n")
    subprocess.run(["mount", "--bind", str(hosts), "/etc/hosts"], check=True)
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert, key)
    models = [
        *DEFAULT_MODELS,
        {
            "id": UNPINNED_MODEL,
            "display_name": "Unpinned default",
            "created_at": "2026-11-01T00:00:00Z",
        },
    ]
    platform = FakePlatformServer(
        region=spec.get("region", "us-east-1"),
        models=models,
        host=PLATFORM_IP,
        port=443,
        tls=tls,
        agent_command=spec.get("agent_command"),
    )
    decoy = _Decoy(host=DECOY_IP, port=443, tls=tls)
    env = dict(spec["env"])
    env["NODE_EXTRA_CA_CERTS"] = str(ca)
    result: dict[str, Any] = {"timed_out": False}
    aws = _AwsServers(platform, env) if spec.get("aws_servers") else None
    with platform, decoy:
        proc = subprocess.Popen(
            ["bash", "-c", spec["script"]],
            env=env,
            cwd=spec.get("cwd"),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        try:
            out, err = proc.communicate(timeout=spec.get("timeout", 60))
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            out, err = proc.communicate()
            result["timed_out"] = True
        result.update(rc=proc.returncode, stdout=out, stderr=err)
        result["requests"] = _requests(platform, "platform") + _requests(decoy, "decoy")
        if aws is not None:
            result["portal_requests"] = len(aws.portal.requests)
            aws.stop()
    Path(out_path).write_text(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
