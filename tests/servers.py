"""Loopback AWS servers and AWS-file helpers for the live-check tests.

- moto's ``ThreadedMotoServer`` for STS (``GetCallerIdentity``, ``AssumeRole``), one per test
  session; ``sts_endpoint`` points ``AWS_ENDPOINT_URL_STS`` at it for one test.
- ``FakeSsoPortal``: moto has no IAM Identity Center portal, so this is a tiny stdlib server
  answering botocore's ``sso.GetRoleCredentials``
  (``GET /federation/credentials?role_name=R&account_id=A`` with header
  ``x-amz-sso_bearer_token``, as in ``botocore/data/sso/2019-06-10/service-2.json``).
  ``sso_portal`` points ``AWS_ENDPOINT_URL_SSO`` (and ``..._SSO_OIDC``, so a token refresh
  can never leave loopback) at it.
- ``AwsFiles``: writes ``~/.aws/config``, ``~/.aws/credentials`` and the SSO token cache the
  way ``aws configure`` / ``aws sso login`` do.
- ``trust_moto_sts(fake)``: makes a ``FakePlatformServer`` accept the temporary credentials
  moto's STS mints (moto draws them at random, so the fake looks them up in moto's backend).

Test modules import the fixtures by name (pytest finds them in the importing module).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.fakeplatform import (
    TEMP_ACCESS_KEY,
    TEMP_SECRET_KEY,
    TEMP_SESSION_TOKEN,
    TEST_ACCESS_KEY,
    TEST_SECRET_KEY,
    FakeCredential,
    FakePlatformServer,
)

__all__ = [
    "ACCOUNT_ID",
    "SSO_ACCESS_TOKEN",
    "SSO_ROLE",
    "SSO_START_URL",
    "AwsFiles",
    "FakeSsoPortal",
    "RoleGrant",
    "aws_files",
    "moto_server",
    "sso_portal",
    "sts_endpoint",
    "trust_moto_sts",
]

ACCOUNT_ID = "123456789012"  # moto's default account, and the fake platform's
SSO_START_URL = "https://d-9067fake00.awsapps.com/start"
SSO_ROLE = "ClaudeDeveloper"
# What `aws sso login` caches; the portal trusts it. Obviously fake, never a real token.
SSO_ACCESS_TOKEN = "fake-sso-access-token-0001"


# --------------------------------------------------------------------------- moto (STS)


@pytest.fixture(scope="session")
def moto_server() -> Iterator[str]:
    """moto's server on loopback for the whole session; yields its base URL."""
    from moto.server import ThreadedMotoServer

    # werkzeug's access log goes to stderr for every request: keep test output quiet.
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def sts_endpoint(moto_server: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Route every botocore STS call of this test (identity, AssumeRole) to moto."""
    monkeypatch.setenv("AWS_ENDPOINT_URL_STS", moto_server)
    return moto_server


class _MotoBackedCredentials(dict[str, FakeCredential]):
    """The fake platform's credential table, falling back to the keys moto's STS handed out."""

    def get(self, key: str, default: Any = None) -> Any:
        found = super().get(key)
        if found is not None:
            return found
        from moto.sts.models import sts_backends

        for account_id in list(sts_backends):
            for backend in list(sts_backends[account_id].values()):
                for role in backend.assumed_roles:
                    if role.access_key_id == key:
                        return FakeCredential(
                            role.secret_access_key, role.session_token, arn=role.arn
                        )
        return default


def trust_moto_sts(fake: FakePlatformServer) -> FakePlatformServer:
    """Let `fake` accept any credentials minted by moto's AssumeRole (with their token)."""
    fake.credentials = _MotoBackedCredentials(fake.credentials)
    return fake


# --------------------------------------------------------------------------- SSO portal


@dataclass(frozen=True)
class RoleGrant:
    """Role credentials the portal hands out for one (account, role) to one bearer token."""

    account_id: str
    role_name: str
    access_key: str
    secret_key: str
    session_token: str
    expires_in: dt.timedelta = dt.timedelta(hours=1)


@dataclass
class PortalRequest:
    path: str
    query: dict[str, list[str]]
    token: str | None
    status: int = 0


@dataclass
class FakeSsoPortal:
    """The IAM Identity Center portal's GetRoleCredentials, on loopback.

    `tokens` maps a bearer token (the cached SSO access token) to the grants it unlocks.
    An unknown token gets 401 UnauthorizedException, as the real portal answers an expired
    or revoked token; a known token asking for a role it lacks gets 403 ForbiddenException.
    """

    tokens: dict[str, list[RoleGrant]] = field(default_factory=dict)
    delay_seconds: float = 0.0
    requests: list[PortalRequest] = field(default_factory=list)
    _httpd: ThreadingHTTPServer | None = None
    _stopping: threading.Event = field(default_factory=threading.Event)

    def grant(self, token: str, grant: RoleGrant) -> None:
        self.tokens.setdefault(token, []).append(grant)

    @property
    def url(self) -> str:
        assert self._httpd is not None, "portal not started"
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def start(self) -> FakeSsoPortal:
        portal = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass  # the default access log would go to stderr

            def do_GET(self) -> None:
                portal._handle(self)

            def do_POST(self) -> None:
                # SSO-OIDC CreateToken (a refresh) and anything else: not served here.
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                portal.requests.append(PortalRequest(self.path, {}, None, 404))
                portal._send(self, 404, {"message": "not served"}, "ResourceNotFoundException")

        class Server(ThreadingHTTPServer):
            daemon_threads = True

        self._httpd = Server(("127.0.0.1", 0), Handler)
        threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            daemon=True,
            name="fake-sso-portal",
        ).start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()

    @staticmethod
    def _send(
        handler: BaseHTTPRequestHandler, status: int, payload: Any, error: str | None = None
    ) -> None:
        data = json.dumps(payload).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        if error:
            handler.send_header("x-amzn-ErrorType", error)
        handler.end_headers()
        handler.wfile.write(data)

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        split = urlsplit(handler.path)
        query = parse_qs(split.query)
        token = handler.headers.get("x-amz-sso_bearer_token")
        record = PortalRequest(split.path, query, token)
        self.requests.append(record)
        if self.delay_seconds and self._stopping.wait(self.delay_seconds):
            return
        if split.path != "/federation/credentials":
            record.status = 404
            self._send(handler, 404, {"message": "not found"}, "ResourceNotFoundException")
            return
        grants = self.tokens.get(token or "")
        if grants is None:
            record.status = 401
            self._send(
                handler,
                401,
                {"message": "Session token not found or invalid"},
                "UnauthorizedException",
            )
            return
        role = query.get("role_name", [""])[0]
        account = query.get("account_id", [""])[0]
        for g in grants:
            if (g.account_id, g.role_name) == (account, role):
                expires = dt.datetime.now(dt.UTC) + g.expires_in
                record.status = 200
                self._send(
                    handler,
                    200,
                    {
                        "roleCredentials": {
                            "accessKeyId": g.access_key,
                            "secretAccessKey": g.secret_key,
                            "sessionToken": g.session_token,
                            "expiration": int(expires.timestamp() * 1000),
                        }
                    },
                )
                return
        record.status = 403
        self._send(handler, 403, {"message": "No access"}, "ForbiddenException")


@pytest.fixture
def sso_portal(isolated_env: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeSsoPortal]:
    """A started portal that trusts SSO_ACCESS_TOKEN for SSO_ROLE in ACCOUNT_ID, handing out the
    fake platform's TEMP_* credentials; botocore's SSO endpoints point at it."""
    portal = FakeSsoPortal().start()
    portal.grant(
        SSO_ACCESS_TOKEN,
        RoleGrant(ACCOUNT_ID, SSO_ROLE, TEMP_ACCESS_KEY, TEMP_SECRET_KEY, TEMP_SESSION_TOKEN),
    )
    monkeypatch.setenv("AWS_ENDPOINT_URL_SSO", portal.url)
    monkeypatch.setenv("AWS_ENDPOINT_URL_SSO_OIDC", portal.url)
    try:
        yield portal
    finally:
        portal.stop()


# --------------------------------------------------------------------------- AWS files


def _utc_stamp(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class AwsFiles:
    """The shared AWS files of the test's HOME (paths from the isolated environment)."""

    config: Path
    credentials: Path
    sso_cache: Path

    def _append(self, path: Path, text: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as fh:
            fh.write(text.strip("\n") + "\n\n")

    def _config_section(self, name: str, values: dict[str, str | None]) -> None:
        header = "default" if name == "default" else f"profile {name}"
        body = "".join(f"{k} = {v}\n" for k, v in values.items() if v is not None)
        self._append(self.config, f"[{header}]\n{body}")

    def add_static(
        self,
        name: str,
        access_key: str = TEST_ACCESS_KEY,
        secret_key: str = TEST_SECRET_KEY,
        *,
        region: str | None = "us-east-1",
        session_token: str | None = None,
    ) -> None:
        """Keys in the credentials file, region in the config file (as `aws configure`)."""
        token = f"aws_session_token = {session_token}\n" if session_token else ""
        self._append(
            self.credentials,
            f"[{name}]\naws_access_key_id = {access_key}\n"
            f"aws_secret_access_key = {secret_key}\n{token}",
        )
        if region:
            self._config_section(name, {"region": region})

    def add_assume_role(
        self, name: str, role_arn: str, source_profile: str, *, region: str = "us-east-1"
    ) -> None:
        self._config_section(
            name, {"role_arn": role_arn, "source_profile": source_profile, "region": region}
        )

    def add_sso_session(
        self, session: str, *, start_url: str = SSO_START_URL, sso_region: str = "us-east-1"
    ) -> None:
        self._append(
            self.config,
            f"[sso-session {session}]\nsso_start_url = {start_url}\n"
            f"sso_region = {sso_region}\nsso_registration_scopes = sso:account:access\n",
        )

    def add_sso_profile(
        self,
        name: str,
        *,
        session: str | None = None,
        start_url: str = SSO_START_URL,
        sso_region: str = "us-east-1",
        account_id: str = ACCOUNT_ID,
        role_name: str = SSO_ROLE,
        region: str = "us-east-1",
    ) -> None:
        """An SSO profile: with `session`, the modern `sso_session` form (add the session with
        `add_sso_session`); without, the legacy form with `sso_start_url` in the profile."""
        values: dict[str, str | None] = (
            {"sso_session": session}
            if session
            else {"sso_start_url": start_url, "sso_region": sso_region}
        )
        values.update({"sso_account_id": account_id, "sso_role_name": role_name, "region": region})
        self._config_section(name, values)

    def write_sso_token(
        self,
        *,
        session: str | None = None,
        start_url: str = SSO_START_URL,
        access_token: str = SSO_ACCESS_TOKEN,
        expires_in: dt.timedelta = dt.timedelta(hours=8),
        sso_region: str = "us-east-1",
        registration: bool = False,
    ) -> Path:
        """The token cache file `aws sso login` writes: `<sha1 of the session name>.json`
        (legacy profiles: of the start URL). A negative `expires_in` writes an expired token.

        `registration` adds the OIDC client registration and refresh token that
        `aws sso login` stores for sso-session profiles.
        """
        key = session if session is not None else start_url
        digest = hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()
        path = self.sso_cache / f"{digest}.json"
        now = dt.datetime.now(dt.UTC)
        token: dict[str, Any] = {
            "startUrl": start_url,
            "region": sso_region,
            "accessToken": access_token,
            "expiresAt": _utc_stamp(now + expires_in),
        }
        if registration:
            token.update(
                {
                    "clientId": "fake-oidc-client-id",
                    "clientSecret": "fake-oidc-client-secret",
                    "registrationExpiresAt": _utc_stamp(now + dt.timedelta(days=90)),
                    "refreshToken": "fake-sso-refresh-token",
                }
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(token), encoding="utf-8")
        return path


@pytest.fixture
def aws_files(isolated_env: Path, monkeypatch: pytest.MonkeyPatch) -> AwsFiles:
    """Writers for the test HOME's AWS files.

    botocore fixes its SSO token cache directory (`~/.aws/sso/cache`) when it is first
    imported, which in a test run happens before HOME is isolated: point it at this test's
    HOME so the cache files written here are the ones botocore reads.
    """
    import botocore.credentials
    import botocore.tokens

    home = Path.home()
    files = AwsFiles(
        config=Path(_env("AWS_CONFIG_FILE") or home / ".aws" / "config"),
        credentials=Path(_env("AWS_SHARED_CREDENTIALS_FILE") or home / ".aws" / "credentials"),
        sso_cache=home / ".aws" / "sso" / "cache",
    )
    for cls in (botocore.credentials.SSOProvider, botocore.tokens.SSOTokenProvider):
        monkeypatch.setattr(cls, "_SSO_TOKEN_CACHE_DIR", str(files.sso_cache))
    return files


def _env(name: str) -> str | None:
    return os.environ.get(name) or None


# Terminal escapes, an OSC title change, bidi overrides and a C1 CSI: what a hostile server or
# file may send to make the terminal do something or show something else.
HOSTILE = "\x1b[2J\x1b]0;pwned\x07\u202eevil\u2066\x9b31m"


@pytest.fixture
def hostile_server() -> Iterator[str]:
    """A loopback server answering every request 502 with escapes and Rich markup in its
    (non-JSON) body."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = f"bad gateway {HOSTILE} [bold red]markup[/bold red]".encode()
            self.send_response(502)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
