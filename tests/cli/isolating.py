"""What the tests of `credentials`, `login` and `statusline` share: the STS struct read back
from stdout, a fake `aws` CLI that records its calls, an STS that refuses by quoting the key it
was sent, and a port nobody listens on. Plain helpers, imported by name; the fixtures built on
them (`fake_aws`, `quoting_sts`, `dead_endpoint`, `sigv4`) are in tests/cli/conftest.py."""

from __future__ import annotations

import json
import re
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from tests.cliutil import Run

ISO_UTC = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
STRUCT_KEYS = ["AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration"]
# moto's GetSessionToken hands out these (its fixed example credentials).
MOTO_SESSION_KEY = "AKIAIOSFODNN7EXAMPLE"
# The user's own identity in their shell: must never come out of `credentials`.
AMBIENT = {
    "AWS_PROFILE": "mine",
    "AWS_ACCESS_KEY_ID": "AKIAAMBIENTUSERKEY01",
    "AWS_SECRET_ACCESS_KEY": "ambient/user/secret/key/never/exported/01",
    "AWS_SESSION_TOKEN": "AmbientUserSessionToken//never+exported01",
}


def struct_of(run: Run) -> dict[str, str]:
    """The credentials of a successful call, checking the output is exactly the struct: one
    JSON line on stdout, nothing on stderr."""
    assert run.code == 0, run.err
    assert run.err == ""
    assert run.out.endswith("\n"), run.out
    assert run.out.count("\n") == 1, run.out
    data = json.loads(run.out)
    assert list(data) == ["Credentials"]
    creds: dict[str, str] = data["Credentials"]
    assert list(creds) == STRUCT_KEYS
    assert all(isinstance(v, str) and v for v in creds.values())
    assert ISO_UTC.fullmatch(creds["Expiration"]), creds["Expiration"]
    return creds


def failed(run: Run, code: int = 1) -> str:
    """The one stderr line of a failed call (nothing on stdout)."""
    assert run.code == code, (run.code, run.err)
    assert run.out == ""
    return run.error_line


@dataclass
class FakeAws:
    """An `aws` on PATH that records each call's arguments (one line each) and exits with
    `exit_code`; `sso login` writes `token_text` to `token_path` first, as the real one
    caches a fresh token."""

    bin_dir: Path
    log: Path
    exit_code: int = 0
    token_path: Path | None = None
    token_text: str = ""

    def install(self) -> FakeAws:
        self.bin_dir.mkdir(parents=True, exist_ok=True)
        script = self.bin_dir / "aws"
        token = ""
        if self.token_path is not None:
            payload = self.bin_dir / "token.json"
            payload.write_text(self.token_text)
            token = (
                f'if [ "$1 $2" = "sso login" ]; then mkdir -p "{self.token_path.parent}"'
                f' && cp "{payload}" "{self.token_path}"; fi\n'
            )
        script.write_text(
            f'#!/bin/sh\nprintf "%s\\n" "$*" >> "{self.log}"\n{token}exit {self.exit_code}\n'
        )
        script.chmod(0o755)
        return self

    @property
    def calls(self) -> list[str]:
        return self.log.read_text().splitlines() if self.log.exists() else []


@contextmanager
def quoting_sts(secret: str) -> Iterator[str]:
    """An STS that refuses every call with an error message quoting `secret` (a hostile or
    careless server echoing what it holds); yields its URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            body = (
                "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code>"
                f"<Message>The security token {secret} is invalid</Message></Error>"
                "<RequestId>1</RequestId></ErrorResponse>"
            ).encode()
            self.send_response(403)
            self.send_header("Content-Type", "text/xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def dead_port() -> int:
    """A loopback port nothing listens on (bound, then closed: connecting is refused)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


def add_process(config: Path, name: str, script: Path, body: str) -> None:
    """An AWS profile whose `credential_process` is the Python script `body` (written to
    `script`), in the config file `config`."""
    import sys

    script.write_text(body)
    with config.open("a", encoding="utf-8") as fh:
        fh.write(
            f"[profile {name}]\ncredential_process = {sys.executable} {script}\n"
            "region = us-east-1\n\n"
        )


def process_output(**fields: Any) -> str:
    """A credential_process script printing `{"Version": 1, **fields}`."""
    return f"import json\nprint(json.dumps({{'Version': 1, **{fields!r}}}))\n"
