"""The live checks trust what Claude Code trusts (issue 8, part 10e).

A real HTTPS server on loopback whose certificate is signed by a private CA made here (as a
gateway behind a company CA): without `NODE_EXTRA_CA_CERTS` the platform check fails TLS, as
Claude Code would; with it, it passes and says what was trusted; a path Node cannot load is
named in a warning (Node warns and goes on with its default roots).
"""

from __future__ import annotations

import io
import json
import os
import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from profiles.cli import main
from profiles.core.schema import Profile
from profiles.platform.engine import run_checks
from tests.certs import make_ca
from tests.fakeplatform import TEST_API_KEY, WORKSPACE_A

MODELS = {"data": [{"id": "claude-sonnet-5", "type": "model"}], "has_more": False}


@dataclass
class PrivateCa:
    ca_pem: Path
    base_url: str


@pytest.fixture
def private_ca(tmp_path: Path) -> Iterator[PrivateCa]:
    """An HTTPS 'gateway' on loopback serving GET /v1/models, its cert from a private CA."""
    ca_pem, cert_pem, key_pem = make_ca(tmp_path)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            body = json.dumps(MODELS if self.path.startswith("/v1/models") else {}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    class Server(ThreadingHTTPServer):
        daemon_threads = True

        def handle_error(self, request: Any, client_address: Any) -> None:
            pass  # a client refusing our certificate is what some tests expect

    httpd = Server(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_pem, key_pem)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield PrivateCa(ca_pem, f"https://127.0.0.1:{httpd.server_address[1]}")
    finally:
        httpd.shutdown()
        httpd.server_close()


def keyed(base_url: str) -> Profile:
    return Profile(
        name="keyed", auth="api-key", workspace_id=WORKSPACE_A, region="us-east-1",
        api_key_store="file", base_url=base_url,
    )  # fmt: skip


def check(profile: Profile, environ: dict[str, str]) -> Any:
    report = run_checks(profile, secrets={"api_key": TEST_API_KEY}, timeout=5, environ=environ)
    return report.results["platform"]


def test_private_ca_fails_without_node_extra_ca_certs(private_ca: PrivateCa) -> None:
    platform = check(keyed(private_ca.base_url), {})

    assert platform.status == "fail"
    assert "TLS" in platform.summary
    assert "certificate" in platform.summary
    assert "TLS trust: system store" in platform.summary
    assert "NODE_EXTRA_CA_CERTS" in platform.remedy


def test_private_ca_passes_with_node_extra_ca_certs_and_says_so(private_ca: PrivateCa) -> None:
    env = {"NODE_EXTRA_CA_CERTS": str(private_ca.ca_pem)}

    platform = check(keyed(private_ca.base_url), env)

    assert platform.status == "pass", platform
    assert f"TLS trust: system store + NODE_EXTRA_CA_CERTS={private_ca.ca_pem}" in platform.summary


def test_validate_reads_node_extra_ca_certs_from_the_environment(
    private_ca: PrivateCa, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(TEST_API_KEY + "\n"))
    args = ["add", "keyed", "--auth", "api-key", "--api-key-stdin", "--workspace", WORKSPACE_A]
    assert main([*args, "--region", "us-east-1", "--base-url", private_ca.base_url]) == 0
    monkeypatch.setenv("NODE_EXTRA_CA_CERTS", str(private_ca.ca_pem))
    capsys.readouterr()

    code = main(["validate", "keyed", "--timeout", "5"])
    out = capsys.readouterr().out

    assert "TLS trust: system store + NODE_EXTRA_CA_CERTS=" in out
    assert "✓ Claude Platform on AWS" in out
    assert code == 0, out


@pytest.mark.parametrize("kind", ["missing", "not-pem", "fifo"])
def test_unloadable_node_extra_ca_certs_is_a_clear_warning(
    private_ca: PrivateCa, tmp_path: Path, kind: str
) -> None:
    bad = tmp_path / f"bad-{kind}.pem"
    if kind == "not-pem":
        bad.write_text("this is not a certificate\n")
    elif kind == "fifo":
        os.mkfifo(bad)  # would block a naive open(): must be refused, not hang
    why = {"missing": "no such file", "not-pem": "no PEM certificate", "fifo": "FIFO"}[kind]

    platform = check(keyed(private_ca.base_url), {"NODE_EXTRA_CA_CERTS": str(bad)})

    # Node skips the file and goes on: the private CA is then not trusted, and we say why.
    assert platform.status == "fail"
    assert f"NODE_EXTRA_CA_CERTS={bad} was not loaded" in platform.remedy
    assert why in platform.remedy


def test_unloadable_extra_certs_warn_even_when_the_server_is_trusted(
    private_ca: PrivateCa, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The call works (the CA is in the system store) but Claude Code would warn: so do we."""
    monkeypatch.setenv("SSL_CERT_FILE", str(private_ca.ca_pem))  # the store, as OpenSSL reads it
    environ = {"NODE_EXTRA_CA_CERTS": str(tmp_path / "typo.pem")}

    platform = check(keyed(private_ca.base_url), environ)

    assert platform.status == "warn", platform
    assert "typo.pem was not loaded (no such file)" in platform.remedy
