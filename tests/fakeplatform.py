"""A loopback HTTP server that imitates the Claude Platform on AWS API, for tests.

It verifies SigV4 the way AWS does (recomputing the signature with botocore), accepts workspace
API keys as ``x-api-key`` or ``Authorization: Bearer``, enforces the workspace and version
headers, and can inject IAM denials, delays and dropped connections. Every request is recorded
so tests can assert what a client actually sent.

Typical use::

    with FakePlatformServer() as fake:
        urllib3.request("GET", fake.base_url + "/v1/models", headers={...})
        assert fake.requests[-1].headers["anthropic-workspace-id"] == WORKSPACE_A

or through the ``fake_platform`` fixture (``from tests.fakeplatform import fake_platform`` in a
conftest).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import itertools
import json
import re
import socket
import ssl
import sys
import threading
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from botocore.auth import SIGV4_TIMESTAMP, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.compat import HTTPHeaders
from botocore.credentials import Credentials

__all__ = [
    "ANTHROPIC_VERSION",
    "DEFAULT_MODELS",
    "GATEWAY_TOKEN",
    "SERVICE_NAME",
    "TEMP_ACCESS_KEY",
    "TEMP_SECRET_KEY",
    "TEMP_SESSION_TOKEN",
    "TEST_ACCESS_KEY",
    "TEST_API_KEY",
    "TEST_SECRET_KEY",
    "WORKSPACE_A",
    "WORKSPACE_ARCHIVED",
    "WORKSPACE_B",
    "ApiError",
    "FakeCredential",
    "FakePlatformServer",
    "RecordedRequest",
    "fake_platform",
    "fake_platform_factory",
    "sign_request",
]

SERVICE_NAME = "aws-external-anthropic"
ANTHROPIC_VERSION = "2023-06-01"
DEFAULT_REGION = "us-east-1"
DEFAULT_ACCOUNT_ID = "123456789012"

# Static test identities. Obviously fake so they can never be mistaken for real secrets.
TEST_ACCESS_KEY = "AKIAFAKEPLATFORM0001"
TEST_SECRET_KEY = "fakeplatform/static/secret/key/0001xxxxxx"
TEMP_ACCESS_KEY = "ASIAFAKEPLATFORM0002"
TEMP_SECRET_KEY = "fakeplatform/temporary/secret/key/0002xxx"
TEMP_SESSION_TOKEN = "FakePlatformSessionToken//0002+fake+token="
TEST_API_KEY = "sk-ant-api03-fakeplatform-test-key-0001"
GATEWAY_TOKEN = "fake-gateway-token-0001"

WORKSPACE_A = "wrkspc_01TestWorkspaceA"
WORKSPACE_B = "wrkspc_01TestWorkspaceB"
WORKSPACE_ARCHIVED = "wrkspc_01TestWorkspaceOld"

# Newest first, as the real list is ordered.
DEFAULT_MODELS: tuple[dict[str, Any], ...] = tuple(
    {"id": model_id, "display_name": name, "created_at": created_at}
    for model_id, name, created_at in (
        ("claude-fable-5", "Claude Fable 5", "2026-09-30T00:00:00Z"),
        ("claude-opus-4-8", "Claude Opus 4.8", "2026-08-05T00:00:00Z"),
        ("claude-opus-4-7", "Claude Opus 4.7", "2026-05-20T00:00:00Z"),
        ("claude-sonnet-5", "Claude Sonnet 5", "2026-07-15T00:00:00Z"),
        ("claude-sonnet-4-6", "Claude Sonnet 4.6", "2026-02-17T00:00:00Z"),
        ("claude-haiku-4-5", "Claude Haiku 4.5", "2025-10-15T00:00:00Z"),
    )
)

WORKSPACE_ID_RE = re.compile(r"^wrkspc_[A-Za-z0-9]+$")
_AUTH_RE = re.compile(r"^AWS4-HMAC-SHA256\s+(?P<params>.+)$", re.DOTALL)
_SIGNATURE_MISMATCH = (
    "The request signature we calculated does not match the signature you provided. "
    "Check your AWS Secret Access Key and signing method. "
    "Consult the service documentation for details."
)
_INVALID_TOKEN = "The security token included in the request is invalid."
# Redacted in reprs so a failing assertion never prints a credential.
_SECRET_HEADERS = frozenset({"authorization", "x-api-key", "x-amz-security-token"})


def _default_workspaces() -> list[dict[str, Any]]:
    return [
        {
            "id": WORKSPACE_A,
            "type": "workspace",
            "name": "Test Workspace A",
            "created_at": "2026-01-10T09:00:00Z",
            "archived_at": None,
            "display_color": "#6C5BB9",
        },
        {
            "id": WORKSPACE_B,
            "type": "workspace",
            "name": "Test Workspace B",
            "created_at": "2026-02-11T09:00:00Z",
            "archived_at": None,
            "display_color": "#D97757",
        },
        {
            "id": WORKSPACE_ARCHIVED,
            "type": "workspace",
            "name": "Old Workspace",
            "created_at": "2025-06-01T09:00:00Z",
            "archived_at": "2026-03-01T09:00:00Z",
            "display_color": "#8A8A8A",
        },
    ]


@dataclass(frozen=True)
class FakeCredential:
    """An IAM credential the server knows. A set ``session_token`` makes it temporary."""

    secret_key: str
    session_token: str | None = None
    arn: str | None = None


@dataclass
class RecordedRequest:
    """One request as the server received it. Headers are keyed by lower-case name."""

    method: str
    path: str
    raw_query: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    status: int | None = None
    """Status sent back; ``None`` if the connection was dropped or is still in flight."""
    auth: str | None = None
    """How the request authenticated: ``"sigv4"``, ``"api_key"``, ``"gateway"`` or ``None``."""

    def json(self) -> Any:
        return json.loads(self.body)

    def __repr__(self) -> str:
        shown = {k: ("<redacted>" if k in _SECRET_HEADERS else v) for k, v in self.headers.items()}
        return (
            f"RecordedRequest(method={self.method!r}, path={self.path!r}, "
            f"raw_query={self.raw_query!r}, headers={shown!r}, body={len(self.body)} bytes, "
            f"status={self.status!r}, auth={self.auth!r})"
        )


class ApiError(Exception):
    """Ends request handling with an Anthropic-shaped error body."""

    def __init__(
        self, status: int, error_type: str, message: str, aws_error_type: str | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.error_type = error_type
        self.message = message
        # AWS front ends name the failure in ``x-amzn-ErrorType``; clients may key off it.
        self.aws_error_type = aws_error_type


@dataclass
class _Principal:
    kind: str  # "sigv4" | "api_key" | "gateway"
    key: str  # access key id or the token itself (never sent back)
    arn: str


@dataclass
class _Route:
    action: str  # IAM action, used in AccessDenied messages
    workspace_scoped: bool
    handler: Callable[[_Ctx], tuple[int, Any]]


@dataclass
class _Ctx:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: Mapping[str, str]
    body: bytes
    workspace_id: str | None = None
    path_params: dict[str, str] = field(default_factory=dict)


class _VerifyingSigV4Auth(SigV4Auth):  # type: ignore[misc]  # botocore ships no stubs
    """SigV4Auth that canonicalises exactly the headers the client declared as signed.

    botocore's own ``headers_to_sign`` takes every header minus a blacklist, which would break
    verification as soon as a client sends an unsigned header (or signs a blacklisted one).
    """

    def __init__(
        self, credentials: Credentials, service: str, region: str, signed: list[str]
    ) -> None:
        super().__init__(credentials, service, region)
        self._signed = signed

    def headers_to_sign(self, request: AWSRequest) -> HTTPHeaders:
        header_map = HTTPHeaders()
        for name in self._signed:
            for value in request.headers.get_all(name) or []:
                header_map[name] = value
        return header_map


class _FixedTimeSigV4Auth(SigV4Auth):  # type: ignore[misc]  # botocore ships no stubs
    """SigV4Auth signing at a chosen instant, so tests can forge stale or future requests."""

    def __init__(
        self, credentials: Credentials, service: str, region: str, when: dt.datetime
    ) -> None:
        super().__init__(credentials, service, region)
        self._when = when

    def add_auth(self, request: AWSRequest) -> None:
        # Mirrors SigV4Auth.add_auth, minus its call to the wall clock.
        request.context["timestamp"] = self._when.strftime(SIGV4_TIMESTAMP)
        self._modify_request_before_signing(request)
        canonical = self.canonical_request(request)
        signature = self.signature(self.string_to_sign(request, canonical), request)
        self._inject_signature_to_request(request, signature)


def sign_request(
    method: str,
    url: str,
    headers: Mapping[str, str] | None = None,
    body: bytes | str | None = None,
    access_key: str = TEST_ACCESS_KEY,
    secret_key: str = TEST_SECRET_KEY,
    session_token: str | None = None,
    region: str = DEFAULT_REGION,
    service: str = SERVICE_NAME,
    *,
    when: dt.datetime | None = None,
    content_sha256: bool = True,
) -> dict[str, str]:
    """Sign a request with botocore's SigV4Auth and return all headers to send.

    ``when`` signs at a fixed instant (UTC); ``content_sha256`` adds ``x-amz-content-sha256``
    before signing, as Claude Code does on the wire.
    """
    data = body.encode() if isinstance(body, str) else (body or b"")
    request = AWSRequest(method=method, url=url, headers=dict(headers or {}), data=data)
    if content_sha256:
        request.headers["X-Amz-Content-SHA256"] = hashlib.sha256(data).hexdigest()
    creds = Credentials(access_key, secret_key, session_token)
    signer: SigV4Auth
    if when is None:
        signer = SigV4Auth(creds, service, region)
    else:
        signer = _FixedTimeSigV4Auth(creds, service, region, when.astimezone(dt.UTC))
    signer.add_auth(request)
    return dict(request.headers.items())


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True  # a stuck handler must never keep the test process alive
    platform: FakePlatformServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hung up (timeout tests, dropped connections) is expected, not an error.
        if isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    protocol_version = "HTTP/1.1"  # keep-alive, like the real front end
    timeout = 30  # an idle keep-alive connection cannot pin a thread forever
    # Headers and body go out in separate writes; with Nagle on, keep-alive requests stall on
    # the peer's delayed ACK (~40 ms each).
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        # Silence: the default access log goes to stderr and could show query strings or keys.
        pass

    def setup(self) -> None:
        super().setup()
        self.server.platform._track(self.connection, add=True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.platform._track(self.connection, add=False)

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def do_PUT(self) -> None:
        self._handle()

    def do_DELETE(self) -> None:
        self._handle()

    def do_PATCH(self) -> None:
        self._handle()

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass  # skip trailers
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _drop(self) -> None:
        # Close without a byte of response: the client sees a reset / remote disconnect.
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def _handle(self) -> None:
        platform = self.server.platform
        body = self._read_body()
        split = urlsplit(self.path)
        headers: dict[str, str] = {}
        for name in self.headers:
            lname = name.lower()
            if lname not in headers:
                headers[lname] = ", ".join(self.headers.get_all(name) or [])
        record = RecordedRequest(
            method=self.command,
            path=split.path,
            raw_query=split.query,
            query=parse_qs(split.query, keep_blank_values=True),
            headers=headers,
            body=body,
        )
        platform._record(record)

        if platform.delay_seconds > 0 and platform._stopping.wait(platform.delay_seconds):
            self._drop()  # shutting down: abandon the request rather than answer late
            return
        if platform.drop_connections:
            self._drop()
            return

        extra_headers: dict[str, str] = {}
        payload: Any
        try:
            status, payload, principal = platform._dispatch(self, record)
            record.auth = principal.kind
        except ApiError as err:
            status = err.status
            payload = {"type": "error", "error": {"type": err.error_type, "message": err.message}}
            if err.aws_error_type:
                extra_headers["x-amzn-ErrorType"] = err.aws_error_type
        except Exception:
            # A bug in the fake must fail loudly, not look like a network problem.
            platform._record_error(traceback.format_exc())
            status = 500
            payload = {"type": "error", "error": {"type": "api_error", "message": "fake crashed"}}
        if platform.echo_secrets:
            payload = platform._echo(status, payload, headers)
        record.status = status
        if isinstance(payload, _SSE):
            self._send_sse(status, payload)
        else:
            self._send_json(status, payload, extra_headers)

    def _common_headers(self) -> None:
        request_id = self.server.platform._next_request_id()
        self.send_header("request-id", request_id)
        self.send_header("x-amzn-RequestId", request_id)

    def _send_json(self, status: int, payload: Any, extra: Mapping[str, str]) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self._common_headers()
        for name, value in extra.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _send_sse(self, status: int, events: _SSE) -> None:
        data = b"".join(
            f"event: {name}\ndata: {json.dumps(obj)}\n\n".encode() for name, obj in events.events
        )
        self.send_response(status)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Content-Length", str(len(data)))
        self._common_headers()
        self.end_headers()
        self.wfile.write(data)


@dataclass
class _SSE:
    events: list[tuple[str, dict[str, Any]]]


class FakePlatformServer:
    """Loopback imitation of Claude Platform on AWS. Every knob is a plain attribute.

    Attributes may be changed while the server runs (each request reads them afresh).
    """

    def __init__(
        self,
        *,
        region: str = DEFAULT_REGION,
        account_id: str = DEFAULT_ACCOUNT_ID,
        workspaces: Iterable[Mapping[str, Any]] | None = None,
        models: Iterable[Mapping[str, Any]] | None = None,
        credentials: Mapping[str, str | FakeCredential] | None = None,
        api_keys: Iterable[str] | None = None,
        gateway_tokens: Iterable[str] | None = None,
        gateway_mode: bool = False,
        denied_access_keys: Iterable[str] = (),
        denied_api_keys: Iterable[str] = (),
        deny_list_workspaces: bool = False,
        outbound_federation_disabled: bool = False,
        delay_seconds: float = 0.0,
        drop_connections: bool = False,
        echo_secrets: bool = False,
        require_content_sha256: bool = True,
        verbose_scope_errors: bool = False,
        max_clock_skew: dt.timedelta = dt.timedelta(minutes=5),
        anthropic_versions: Iterable[str] = (ANTHROPIC_VERSION,),
        clock: Callable[[], dt.datetime] = _utcnow,
        canned_reply: str = "Hello from the fake Claude Platform on AWS.",
        agent_command: str | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        self.region = region
        self.account_id = account_id
        self.workspaces: list[dict[str, Any]] = (
            [dict(w) for w in workspaces] if workspaces is not None else _default_workspaces()
        )
        self.models: list[dict[str, Any]] = [
            {"type": "model", **m} for m in (models if models is not None else DEFAULT_MODELS)
        ]
        if credentials is None:
            credentials = {
                TEST_ACCESS_KEY: FakeCredential(TEST_SECRET_KEY),
                TEMP_ACCESS_KEY: FakeCredential(TEMP_SECRET_KEY, TEMP_SESSION_TOKEN),
            }
        self.credentials: dict[str, FakeCredential] = {
            akid: c if isinstance(c, FakeCredential) else FakeCredential(c)
            for akid, c in credentials.items()
        }
        self.api_keys: set[str] = set(api_keys) if api_keys is not None else {TEST_API_KEY}
        self.gateway_tokens: set[str] = (
            set(gateway_tokens) if gateway_tokens is not None else {GATEWAY_TOKEN}
        )
        self.gateway_mode = gateway_mode
        self.denied_access_keys: set[str] = set(denied_access_keys)
        self.denied_api_keys: set[str] = set(denied_api_keys)
        self.deny_list_workspaces = deny_list_workspaces
        self.outbound_federation_disabled = outbound_federation_disabled
        self.delay_seconds = delay_seconds
        self.drop_connections = drop_connections
        # A hostile or careless server: quotes the secret headers it received in error
        # messages and in the names of what it lists (see `_echo`).
        self.echo_secrets = echo_secrets
        self.require_content_sha256 = require_content_sha256
        # The real service answers a wrong service/region with the generic signature error
        # (platform-facts.md); the AWS-standard "Credential should be scoped..." is opt-in.
        self.verbose_scope_errors = verbose_scope_errors
        self.max_clock_skew = max_clock_skew
        self.anthropic_versions: set[str] = set(anthropic_versions)
        self.clock = clock
        self.canned_reply = canned_reply
        # Agent mode: the first reply asks the client to run this with its Bash tool; the
        # tool_result comes back in the next request (how a test sees the agent's environment).
        self.agent_command = agent_command

        self._host = host
        self._port = port
        self._tls = tls
        self._lock = threading.Lock()
        self._requests: list[RecordedRequest] = []
        self._errors: list[str] = []
        self._connections: set[socket.socket] = set()
        self._ids = itertools.count(1)
        self._stopping = threading.Event()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._routes: list[tuple[str, re.Pattern[str], _Route]] = [
            ("GET", re.compile(r"^/v1/models$"), _Route("ListModels", True, self._list_models)),
            (
                "GET",
                re.compile(r"^/v1/models/(?P<model_id>[^/]+)$"),
                _Route("GetModel", True, self._get_model),
            ),
            (
                "GET",
                re.compile(r"^/v1/organizations/workspaces$"),
                _Route("ListWorkspaces", False, self._list_workspaces),
            ),
            (
                "POST",
                re.compile(r"^/v1/messages/count_tokens$"),
                _Route("CountTokens", True, self._count_tokens),
            ),
            (
                "POST",
                re.compile(r"^/v1/messages$"),
                _Route("CreateInference", True, self._create_message),
            ),
        ]

    # ----------------------------------------------------------------- lifecycle

    def start(self) -> FakePlatformServer:
        if self._httpd is not None:
            raise RuntimeError("FakePlatformServer is single-use; create a new one")
        httpd = _HTTPServer((self._host, self._port), _Handler)
        if self._tls is not None:
            httpd.socket = self._tls.wrap_socket(
                httpd.socket, server_side=True, do_handshake_on_connect=False
            )
        httpd.platform = self
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.05},  # shutdown() waits at most one poll
            name="fake-platform",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving. Wakes delayed handlers and closes open connections; returns fast."""
        self._stopping.set()
        if self._httpd is None:
            return
        self._httpd.shutdown()
        self._httpd.server_close()
        with self._lock:
            conns = list(self._connections)
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> FakePlatformServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("server not started")
        return int(self._httpd.server_address[1])

    @property
    def host(self) -> str:
        return self._host

    @property
    def base_url(self) -> str:
        scheme = "https" if self._tls is not None else "http"
        return f"{scheme}://{self._host}:{self.port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    # ----------------------------------------------------------------- configuration helpers

    def add_credentials(
        self,
        access_key: str,
        secret_key: str,
        session_token: str | None = None,
        arn: str | None = None,
    ) -> None:
        """Trust an IAM key pair, e.g. one minted by moto's STS. A token makes it temporary."""
        self.credentials[access_key] = FakeCredential(secret_key, session_token, arn)

    def add_api_key(self, key: str) -> None:
        self.api_keys.add(key)

    def add_workspace(self, workspace_id: str, name: str, *, archived: bool = False) -> None:
        self.workspaces.append(
            {
                "id": workspace_id,
                "type": "workspace",
                "name": name,
                "created_at": "2026-04-01T09:00:00Z",
                "archived_at": "2026-05-01T09:00:00Z" if archived else None,
                "display_color": "#6C5BB9",
            }
        )

    # ----------------------------------------------------------------- recorded traffic

    @property
    def requests(self) -> list[RecordedRequest]:
        """A snapshot of every request received so far, oldest first."""
        with self._lock:
            return list(self._requests)

    @property
    def last_request(self) -> RecordedRequest:
        with self._lock:
            return self._requests[-1]

    def clear_requests(self) -> None:
        with self._lock:
            self._requests.clear()

    def _record(self, record: RecordedRequest) -> None:
        with self._lock:
            self._requests.append(record)

    @property
    def errors(self) -> list[str]:
        """Tracebacks of crashes inside the fake itself; tests can assert this stays empty."""
        with self._lock:
            return list(self._errors)

    def _record_error(self, text: str) -> None:
        with self._lock:
            self._errors.append(text)

    def _track(self, conn: socket.socket, *, add: bool) -> None:
        with self._lock:
            if add:
                self._connections.add(conn)
            else:
                self._connections.discard(conn)

    def _next_request_id(self) -> str:
        return f"req_fake{next(self._ids):08d}"

    # ----------------------------------------------------------------- request pipeline

    @staticmethod
    def _echo(status: int, payload: Any, headers: Mapping[str, str]) -> Any:
        """`payload` quoting every secret header received, as a hostile server would."""
        quoted = "; ".join(f"{h}: {headers[h]}" for h in sorted(_SECRET_HEADERS) if h in headers)
        if not quoted or not isinstance(payload, dict):
            return payload
        if status >= 400 and isinstance(payload.get("error"), dict):
            error = payload["error"]
            return {**payload, "error": {**error, "message": f"{error['message']} ({quoted})"}}
        if isinstance(payload.get("data"), list):
            data = [
                {
                    **item,
                    **{k: f"{item[k]} [{quoted}]" for k in ("name", "display_name") if k in item},
                }
                for item in payload["data"]
            ]
            return {**payload, "data": data}
        return payload

    def _dispatch(self, handler: _Handler, record: RecordedRequest) -> tuple[int, Any, _Principal]:
        headers = record.headers
        principal = self._authenticate(handler, record)

        if principal.kind == "sigv4" and self.outbound_federation_disabled:
            raise ApiError(
                403,
                "permission_error",
                "Outbound web identity federation is disabled for your account",
                "AccessDeniedException",
            )

        version = headers.get("anthropic-version")
        if not version:
            raise ApiError(400, "invalid_request_error", "anthropic-version: header is required")
        if version not in self.anthropic_versions:
            raise ApiError(
                400, "invalid_request_error", f"anthropic-version: invalid version {version!r}"
            )

        route, params = self._match(record.method, record.path)
        ctx = _Ctx(
            method=record.method,
            path=record.path,
            query=record.query,
            headers=headers,
            body=record.body,
            path_params=params,
        )

        if route.workspace_scoped:
            ctx.workspace_id = self._workspace_header(headers)
        self._authorize(principal, route, ctx.workspace_id)
        if route.workspace_scoped and ctx.workspace_id is not None:
            self._require_known_workspace(ctx.workspace_id)

        status, payload = route.handler(ctx)
        return status, payload, principal

    def _match(self, method: str, path: str) -> tuple[_Route, dict[str, str]]:
        path_known = False
        for route_method, pattern, route in self._routes:
            m = pattern.match(path)
            if m:
                path_known = True
                if route_method == method:
                    return route, m.groupdict()
        if path_known:
            raise ApiError(405, "invalid_request_error", f"Method {method} not allowed")
        raise ApiError(404, "not_found_error", f"Not found: {path}")

    # ----------------------------------------------------------------- authentication

    def _authenticate(self, handler: _Handler, record: RecordedRequest) -> _Principal:
        headers = record.headers
        authorization = headers.get("authorization", "")
        tokens: list[str] = []
        if "x-api-key" in headers:
            tokens.append(headers["x-api-key"].strip())
        sigv4 = authorization.startswith("AWS4-HMAC-SHA256")
        if authorization[:7].lower() == "bearer ":
            tokens.append(authorization[7:].strip())
        elif authorization and not sigv4:
            raise ApiError(
                401,
                "authentication_error",
                "Unsupported Authorization scheme",
                "IncompleteSignature",
            )

        principal: _Principal | None = None
        # Every credential presented must be valid: a stale key next to a good one is a bug.
        for token in tokens:
            principal = self._check_token(token)
        if sigv4:
            principal = self._verify_sigv4(handler, record)
        if principal is None:
            raise ApiError(
                401,
                "authentication_error",
                "Missing authentication: send x-api-key, a bearer token or a SigV4 signature",
                "MissingAuthenticationTokenException",
            )
        return principal

    def _check_token(self, token: str) -> _Principal:
        if token in self.api_keys:
            return _Principal(
                "api_key",
                token,
                f"arn:aws:sts::{self.account_id}:assumed-role/ClaudePlatformApiKey/api-key",
            )
        if self.gateway_mode and token in self.gateway_tokens:
            return _Principal(
                "gateway", token, f"arn:aws:sts::{self.account_id}:assumed-role/Gateway/gateway"
            )
        raise ApiError(401, "authentication_error", "invalid x-api-key")

    def _verify_sigv4(self, handler: _Handler, record: RecordedRequest) -> _Principal:
        headers = record.headers
        params = self._parse_authorization(headers["authorization"])
        credential = params["Credential"].split("/")
        if len(credential) != 5 or credential[4] != "aws4_request":
            raise ApiError(
                403,
                "authentication_error",
                "Credential should be of the form AKID/yyyymmdd/region/service/aws4_request",
                "IncompleteSignatureException",
            )
        akid, scope_date, scope_region, scope_service, _ = credential
        signed = [h.strip().lower() for h in params["SignedHeaders"].split(";") if h.strip()]

        if "host" not in signed:
            raise ApiError(
                403,
                "authentication_error",
                "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
                "InvalidSignatureException",
            )
        amz_date = headers.get("x-amz-date")
        if not amz_date or "x-amz-date" not in signed:
            raise ApiError(
                403,
                "authentication_error",
                "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' "
                "header, and it must be signed.",
                "IncompleteSignatureException",
            )
        for name in signed:
            if name not in headers:
                raise ApiError(
                    403,
                    "authentication_error",
                    f"Signed header '{name}' is missing from the request.",
                    "IncompleteSignatureException",
                )

        if scope_service != SERVICE_NAME:
            raise self._scope_error(
                f"Credential should be scoped to correct service: '{SERVICE_NAME}'."
            )
        if scope_region != self.region:
            raise self._scope_error(
                f"Credential should be scoped to a valid region, not '{scope_region}'."
            )
        try:
            signed_at = dt.datetime.strptime(amz_date, SIGV4_TIMESTAMP).replace(tzinfo=dt.UTC)
        except ValueError:
            raise ApiError(
                403,
                "authentication_error",
                f"Invalid X-Amz-Date '{amz_date}': expected yyyyMMdd'T'HHmmss'Z'.",
                "IncompleteSignatureException",
            ) from None
        if scope_date != amz_date[:8]:
            raise ApiError(
                403,
                "authentication_error",
                "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date "
                f"from HTTP: '{scope_date}' != '{amz_date[:8]}', from '{amz_date}'.",
                "InvalidSignatureException",
            )
        now = self.clock()
        if abs(now - signed_at) > self.max_clock_skew:
            stamp = now.strftime(SIGV4_TIMESTAMP)
            if signed_at < now:
                earliest = (now - self.max_clock_skew).strftime(SIGV4_TIMESTAMP)
                message = (
                    f"Signature expired: {amz_date} is now earlier than {earliest} "
                    f"({stamp} - 5 min.)"
                )
            else:
                latest = (now + self.max_clock_skew).strftime(SIGV4_TIMESTAMP)
                message = (
                    f"Signature not yet current: {amz_date} is still later than {latest} "
                    f"({stamp} + 5 min.)"
                )
            raise ApiError(403, "authentication_error", message, "InvalidSignatureException")

        known = self.credentials.get(akid)
        if known is None:
            raise ApiError(
                403, "authentication_error", _INVALID_TOKEN, "UnrecognizedClientException"
            )
        token = headers.get("x-amz-security-token")
        # Temporary keys need their exact token; a token on a long-term key is just as invalid.
        if token is not None or known.session_token is not None:
            if token is None or known.session_token is None:
                raise ApiError(
                    403, "authentication_error", _INVALID_TOKEN, "UnrecognizedClientException"
                )
            if not hmac.compare_digest(token.encode(), known.session_token.encode()):
                raise ApiError(
                    403, "authentication_error", _INVALID_TOKEN, "UnrecognizedClientException"
                )

        body_hash = hashlib.sha256(record.body).hexdigest()
        claimed_hash = headers.get("x-amz-content-sha256")
        if claimed_hash is None and self.require_content_sha256:
            raise ApiError(
                403,
                "authentication_error",
                "Missing required header for this request: x-amz-content-sha256",
                "InvalidSignatureException",
            )
        if claimed_hash is not None and claimed_hash != body_hash:
            raise ApiError(
                403,
                "authentication_error",
                "The provided 'x-amz-content-sha256' header does not match what was computed.",
                "InvalidSignatureException",
            )

        # Recompute with botocore from what actually arrived: the client's Host header,
        # the raw path and query, the declared signed headers and the received body.
        request = AWSRequest(
            method=record.method,
            url=f"http://{headers['host']}{handler.path}",
            headers=HTTPHeaders(),
            data=record.body,
        )
        for name in handler.headers:
            for value in handler.headers.get_all(name) or []:
                request.headers[name] = value
        request.context["timestamp"] = amz_date
        signer = _VerifyingSigV4Auth(
            Credentials(akid, known.secret_key, known.session_token),
            scope_service,
            scope_region,
            signed,
        )
        canonical = signer.canonical_request(request)
        expected = signer.signature(signer.string_to_sign(request, canonical), request)
        if not hmac.compare_digest(expected.encode(), params["Signature"].strip().encode()):
            raise ApiError(
                403, "authentication_error", _SIGNATURE_MISMATCH, "InvalidSignatureException"
            )

        arn = known.arn or f"arn:aws:sts::{self.account_id}:assumed-role/FakePlatformTester/{akid}"
        return _Principal("sigv4", akid, arn)

    def _scope_error(self, verbose: str) -> ApiError:
        message = verbose if self.verbose_scope_errors else _SIGNATURE_MISMATCH
        return ApiError(403, "authentication_error", message, "InvalidSignatureException")

    @staticmethod
    def _parse_authorization(value: str) -> dict[str, str]:
        m = _AUTH_RE.match(value.strip())
        params: dict[str, str] = {}
        if m:
            for part in m.group("params").split(","):
                key, sep, val = part.strip().partition("=")
                if sep:
                    params[key.strip()] = val.strip()
        for required in ("Credential", "SignedHeaders", "Signature"):
            if required not in params:
                raise ApiError(
                    403,
                    "authentication_error",
                    f"Authorization header requires '{required}' parameter. "
                    f"Authorization=AWS4-HMAC-SHA256 ...",
                    "IncompleteSignatureException",
                )
        return params

    # ----------------------------------------------------------------- authorization & workspace

    def _authorize(self, principal: _Principal, route: _Route, workspace_id: str | None) -> None:
        denied = (principal.kind == "sigv4" and principal.key in self.denied_access_keys) or (
            principal.kind in ("api_key", "gateway") and principal.key in self.denied_api_keys
        )
        if route.action == "ListWorkspaces" and self.deny_list_workspaces:
            denied = True
        if not denied:
            return
        resource = (
            f"arn:aws:{SERVICE_NAME}:{self.region}:{self.account_id}:workspace/{workspace_id}"
            if workspace_id
            else "*"
        )
        raise ApiError(
            403,
            "permission_error",
            f"User: {principal.arn} is not authorized to perform: "
            f"{SERVICE_NAME}:{route.action} on resource: {resource} "
            "because no identity-based policy allows the "
            f"{SERVICE_NAME}:{route.action} action",
            "AccessDeniedException",
        )

    @staticmethod
    def _workspace_header(headers: Mapping[str, str]) -> str:
        workspace_id = headers.get("anthropic-workspace-id", "").strip()
        if not workspace_id:
            raise ApiError(
                400, "invalid_request_error", "anthropic-workspace-id: header is required"
            )
        if not WORKSPACE_ID_RE.match(workspace_id):
            raise ApiError(
                400,
                "invalid_request_error",
                f"anthropic-workspace-id: malformed workspace ID {workspace_id!r}; "
                "expected 'wrkspc_' followed by letters and digits",
            )
        return workspace_id

    def _require_known_workspace(self, workspace_id: str) -> None:
        for ws in self.workspaces:
            if ws["id"] == workspace_id:
                if ws.get("archived_at"):
                    raise ApiError(404, "not_found_error", f"workspace {workspace_id} is archived")
                return
        raise ApiError(
            404,
            "not_found_error",
            f"workspace {workspace_id} not found in region {self.region}",
        )

    # ----------------------------------------------------------------- route handlers

    @staticmethod
    def _paginate(items: list[dict[str, Any]], query: dict[str, list[str]]) -> dict[str, Any]:
        raw_limit = query.get("limit", ["20"])[-1]
        try:
            limit = int(raw_limit)
        except ValueError:
            limit = 0
        if not 1 <= limit <= 1000:
            raise ApiError(
                400, "invalid_request_error", "limit: must be an integer between 1 and 1000"
            )
        ids = [item["id"] for item in items]

        def position(param: str) -> int:
            wanted = query[param][-1]
            if wanted not in ids:
                raise ApiError(400, "invalid_request_error", f"{param}: unknown id {wanted!r}")
            return ids.index(wanted)

        if "before_id" in query and "after_id" not in query:
            # The page that ends just before ``before_id``; "more" means more further back.
            end = position("before_id")
            start = max(0, end - limit)
            page, has_more = items[start:end], start > 0
        else:
            start = position("after_id") + 1 if "after_id" in query else 0
            page, has_more = items[start : start + limit], start + limit < len(items)
        return {
            "data": page,
            "has_more": has_more,
            "first_id": page[0]["id"] if page else None,
            "last_id": page[-1]["id"] if page else None,
        }

    def _list_models(self, ctx: _Ctx) -> tuple[int, Any]:
        return 200, self._paginate(list(self.models), ctx.query)

    def _get_model(self, ctx: _Ctx) -> tuple[int, Any]:
        model_id = ctx.path_params["model_id"]
        for model in self.models:
            if model["id"] == model_id:
                return 200, model
        raise ApiError(404, "not_found_error", f"model: {model_id}")

    def _list_workspaces(self, ctx: _Ctx) -> tuple[int, Any]:
        include_archived = ctx.query.get("include_archived", ["false"])[-1].lower() == "true"
        items = [w for w in self.workspaces if include_archived or not w.get("archived_at")]
        return 200, self._paginate(items, ctx.query)

    def _json_body(self, ctx: _Ctx) -> dict[str, Any]:
        try:
            body = json.loads(ctx.body or b"null")
        except ValueError:
            raise ApiError(400, "invalid_request_error", "request body is not valid JSON") from None
        if not isinstance(body, dict):
            raise ApiError(400, "invalid_request_error", "request body must be a JSON object")
        model = body.get("model")
        if not isinstance(model, str) or not model:
            raise ApiError(400, "invalid_request_error", "model: field required")
        if model not in {m["id"] for m in self.models}:
            raise ApiError(404, "not_found_error", f"model: {model}")
        if not isinstance(body.get("messages"), list):
            raise ApiError(400, "invalid_request_error", "messages: field required")
        return body

    @staticmethod
    def _crude_token_count(body: Mapping[str, Any]) -> int:
        # About four characters per token plus a little per-message overhead: enough for tests.
        def text_of(value: Any) -> str:
            if isinstance(value, str):
                return value
            if isinstance(value, list):
                return " ".join(text_of(v) for v in value)
            if isinstance(value, dict):
                return text_of(value.get("text", "")) + text_of(value.get("content", ""))
            return ""

        messages = body.get("messages", [])
        chars = len(text_of(body.get("system", ""))) + len(text_of(messages))
        return max(1, chars // 4 + 3 * len(messages))

    def _count_tokens(self, ctx: _Ctx) -> tuple[int, Any]:
        return 200, {"input_tokens": self._crude_token_count(self._json_body(ctx))}

    @staticmethod
    def _has_tool_result(body: Mapping[str, Any]) -> bool:
        for message in body.get("messages") or []:
            content = message.get("content") if isinstance(message, dict) else None
            if isinstance(content, list) and any(
                isinstance(b, dict) and b.get("type") == "tool_result" for b in content
            ):
                return True
        return False

    def _tool_use(self, body: Mapping[str, Any], message_id: str) -> tuple[int, Any]:
        """A streamed reply that asks for the Bash tool to run `agent_command`."""
        block = {"type": "tool_use", "id": f"toolu_{message_id}", "name": "Bash", "input": {}}
        usage = {"input_tokens": self._crude_token_count(body), "output_tokens": 0}
        start = {
            "id": message_id, "type": "message", "role": "assistant", "model": body["model"],
            "content": [], "stop_reason": None, "stop_sequence": None, "usage": usage,
        }  # fmt: skip
        arguments = json.dumps({"command": self.agent_command, "description": "show env"})
        events: list[tuple[str, dict[str, Any]]] = [
            ("message_start", {"type": "message_start", "message": start}),
            ("content_block_start",
             {"type": "content_block_start", "index": 0, "content_block": block}),
            ("content_block_delta",
             {"type": "content_block_delta", "index": 0,
              "delta": {"type": "input_json_delta", "partial_json": arguments}}),
            ("content_block_stop", {"type": "content_block_stop", "index": 0}),
            ("message_delta",
             {"type": "message_delta", "delta": {"stop_reason": "tool_use", "stop_sequence": None},
              "usage": {"output_tokens": 20}}),
            ("message_stop", {"type": "message_stop"}),
        ]  # fmt: skip
        return 200, _SSE(events)

    def _create_message(self, ctx: _Ctx) -> tuple[int, Any]:
        body = self._json_body(ctx)
        message_id = f"msg_fake{next(self._ids):08d}"
        if self.agent_command and body.get("stream") and not self._has_tool_result(body):
            tools = {t.get("name") for t in body.get("tools") or [] if isinstance(t, dict)}
            if "Bash" in tools:
                return self._tool_use(body, message_id)
        input_tokens = self._crude_token_count(body)
        output_tokens = max(1, len(self.canned_reply) // 4)
        usage = {"input_tokens": input_tokens, "output_tokens": output_tokens}
        message: dict[str, Any] = {
            "id": message_id,
            "type": "message",
            "role": "assistant",
            "model": body["model"],
            "content": [{"type": "text", "text": self.canned_reply}],
            "stop_reason": "end_turn",
            "stop_sequence": None,
            "usage": usage,
        }
        if not body.get("stream"):
            return 200, message
        # Claude Code streams: emit the minimal well-formed event sequence.
        start = {
            **message,
            "content": [],
            "stop_reason": None,
            "usage": {**usage, "output_tokens": 0},
        }
        events: list[tuple[str, dict[str, Any]]] = [
            ("message_start", {"type": "message_start", "message": start}),
            (
                "content_block_start",
                {
                    "type": "content_block_start",
                    "index": 0,
                    "content_block": {"type": "text", "text": ""},
                },
            ),
            (
                "content_block_delta",
                {
                    "type": "content_block_delta",
                    "index": 0,
                    "delta": {"type": "text_delta", "text": self.canned_reply},
                },
            ),
            ("content_block_stop", {"type": "content_block_stop", "index": 0}),
            (
                "message_delta",
                {
                    "type": "message_delta",
                    "delta": {"stop_reason": "end_turn", "stop_sequence": None},
                    "usage": {"output_tokens": output_tokens},
                },
            ),
            ("message_stop", {"type": "message_stop"}),
        ]
        return 200, _SSE(events)


@pytest.fixture
def fake_platform() -> Iterator[FakePlatformServer]:
    """A started FakePlatformServer with the default identities; stopped after the test."""
    with FakePlatformServer() as server:
        yield server


@pytest.fixture
def fake_platform_factory() -> Iterator[Callable[..., FakePlatformServer]]:
    """Build started servers with custom options (e.g. another region); all stopped after."""
    servers: list[FakePlatformServer] = []

    def make(**options: Any) -> FakePlatformServer:
        server = FakePlatformServer(**options).start()
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()
