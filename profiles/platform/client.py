"""A small client for the Claude Platform on AWS API: the requests Claude Code makes, no more.

Signed with botocore's `SigV4Auth` (service `aws-external-anthropic`, the workspace's region)
and sent by `profiles.platform.transport`, which ends every request by its deadline, trusting
the CAs Claude Code would (`profiles.platform.tls`). The official SDK's `AnthropicAWS` does the
same but costs ~1.2 s and ~79 MB to import; nothing here needs it.

Imported only by the live checks and the TUI's workers, never on the export path.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from profiles.core.deadline import Deadline
from profiles.core.redact import Redactor
from profiles.core.schema import Profile

if TYPE_CHECKING:
    from profiles.platform.tls import Trust

SERVICE = "aws-external-anthropic"
ANTHROPIC_VERSION = "2023-06-01"
USER_AGENT = "cc-aws-tui"


class PlatformError(Exception):
    """A failed call. `kind` is how it failed: http, timeout, dns, tls, connect, protocol.

    The message never contains a secret of the client that raised it: a server may quote the
    key it received, so the client's calls raise `redacted` copies (see `_paginate`).
    """

    def __init__(
        self,
        kind: str,
        message: str,
        *,
        status: int | None = None,
        error_type: str | None = None,
        url: str = "",
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.status = status
        self.error_type = error_type
        self.message = message
        self.url = url

    def redacted(self, redactor: Redactor) -> PlatformError:
        """A copy with every secret of `redactor` masked in the message (and the URL)."""
        return PlatformError(
            self.kind,
            redactor(self.message),
            status=self.status,
            error_type=None if self.error_type is None else redactor(self.error_type),
            url=redactor(self.url),
        )


@dataclass(frozen=True)
class Auth:
    """How to authenticate a call: exactly what Claude Code would send for the profile."""

    credentials: Any | None = None  # botocore Credentials (frozen) for SigV4
    api_key: str | None = None
    gateway_token: str | None = None
    sign: bool = True  # False when a gateway signs (CLAUDE_CODE_SKIP_ANTHROPIC_AWS_AUTH)


def auth_headers(profile: Profile, auth: Auth) -> dict[str, str]:
    """The non-SigV4 auth headers (SigV4 is added when the request is signed)."""
    headers: dict[str, str] = {}
    if auth.gateway_token:
        # Claude Code sends ANTHROPIC_AUTH_TOKEN both ways (observed).
        headers["authorization"] = f"Bearer {auth.gateway_token}"
        headers["x-api-key"] = auth.gateway_token
    if profile.auth == "api-key" and auth.api_key:
        headers["x-api-key"] = auth.api_key  # Claude Code's header for the workspace key
    return headers


class PlatformClient:
    """Calls the API for one profile. Safe to share between threads once built.

    `deadline` bounds every call made through the client together (the checks share one);
    without it each public call gets `timeout` seconds of its own, all pages included.
    `environ` is where `NODE_EXTRA_CA_CERTS` is read (default: this process's environment).
    """

    def __init__(
        self,
        profile: Profile,
        auth: Auth,
        *,
        timeout: float = 10.0,
        deadline: Deadline | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self.profile = profile
        self.auth = auth
        self.base_url = profile.effective_base_url
        self.timeout = deadline.seconds if deadline is not None else timeout
        self.deadline = deadline
        self._environ = os.environ if environ is None else environ
        self._trust: Trust | None = None
        self._trust_lock = threading.Lock()

    @property
    def trust(self) -> Trust | None:
        """The `tls.Trust` of an https endpoint (built once, on first use); None over http."""
        if not self.base_url.startswith("https:"):
            return None
        with self._trust_lock:
            if self._trust is None:
                from profiles.platform import tls

                self._trust = tls.trust(self._environ)
            return self._trust

    def _headers(self, method: str, url: str, body: bytes, workspace: bool) -> dict[str, str]:
        headers = {
            "anthropic-version": ANTHROPIC_VERSION,
            "accept": "application/json",
            "user-agent": USER_AGENT,
        }
        if workspace and self.profile.workspace_id:
            headers["anthropic-workspace-id"] = self.profile.workspace_id
        if body:
            headers["content-type"] = "application/json"
        headers.update(auth_headers(self.profile, self.auth))
        if self.profile.auth == "sigv4" and self.auth.sign and self.auth.credentials is not None:
            headers = sign(method, url, headers, body, self.auth.credentials, self.profile.region)
        return headers

    def request(
        self,
        method: str,
        path: str,
        query: Mapping[str, Any] | None = None,
        body: Any = None,
        *,
        workspace: bool = True,
        deadline: Deadline | None = None,
    ) -> Any:
        """One call; `workspace=False` for account-scoped calls (listing workspaces)."""
        from profiles.platform import transport

        deadline = deadline or self.deadline or Deadline(self.timeout)
        url = self.base_url + path
        if query:
            url += "?" + urlencode({k: v for k, v in query.items() if v is not None})
        data = json.dumps(body).encode() if body is not None else b""
        headers = self._headers(method, url, data, workspace)
        trust = self.trust
        context = trust.context if trust is not None else None
        try:
            status, raw = transport.send(
                method, url, data or None, headers, deadline, context=context
            )
        except transport.TransportError as exc:
            raise self._network_error(exc, url) from None
        return _decode(status, raw, url, self.redactor)

    def _network_error(self, exc: Any, url: str) -> PlatformError:
        """The transport's failure as a PlatformError; a TLS failure says what was trusted."""
        message = exc.message
        trust = self.trust
        if exc.kind == "tls" and trust is not None:
            message += f" (TLS trust: {trust.description})"
        return PlatformError(exc.kind, message, url=url)

    @cached_property
    def redactor(self) -> Redactor:
        """Every secret this client sends: what a server quotes back is masked with it."""
        creds = self.auth.credentials
        return Redactor(
            (
                self.auth.api_key,
                self.auth.gateway_token,
                getattr(creds, "secret_key", None),
                getattr(creds, "token", None),
            )
        )

    def list_models(self, limit: int = 1000) -> list[dict[str, Any]]:
        return self._paginate("/v1/models", {"limit": limit})

    def list_workspaces(self, limit: int = 100) -> list[dict[str, Any]]:
        # Account-scoped: callable before a workspace is chosen (the TUI's picker).
        return self._paginate("/v1/organizations/workspaces", {"limit": limit}, workspace=False)

    def _paginate(
        self, path: str, query: dict[str, Any], *, workspace: bool = True, max_pages: int = 20
    ) -> list[Any]:
        items: list[Any] = []
        deadline = self.deadline or Deadline(self.timeout)  # one deadline for every page
        for _ in range(max_pages):
            try:
                page = self.request("GET", path, query, workspace=workspace, deadline=deadline)
            except PlatformError as exc:
                raise exc.redacted(self.redactor) from None
            if not isinstance(page, dict):
                raise PlatformError("protocol", "the server's answer is not an object", url=path)
            # What a server lists (names, display names) may quote the key it received.
            items.extend(self.redactor.scrub(page.get("data", [])))
            if not page.get("has_more") or not page.get("last_id"):
                break
            query = {**query, "after_id": page["last_id"]}
        return items


def sign(
    method: str, url: str, headers: Mapping[str, str], body: bytes, credentials: Any, region: str
) -> dict[str, str]:
    """SigV4 headers as Claude Code sends them: x-amz-date, x-amz-content-sha256, token."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest

    request = AWSRequest(method=method, url=url, data=body, headers=dict(headers))
    # Plain SigV4Auth does not add the payload hash header; the service expects it signed.
    request.headers["x-amz-content-sha256"] = hashlib.sha256(body).hexdigest()
    SigV4Auth(credentials, SERVICE, region).add_auth(request)
    return dict(request.headers.items())


def _decode(status: int, raw: bytes, url: str, redactor: Redactor | None = None) -> Any:
    """The JSON of a 2xx answer, or a PlatformError quoting the server's error message
    (masked with `redactor` when given; `_paginate` masks it in any case)."""
    try:
        payload = json.loads(raw) if raw else {}
    except ValueError:
        payload = None
    if 200 <= status < 300:
        if payload is None:
            raise PlatformError(
                "protocol", "the server's answer is not JSON", status=status, url=url
            )
        return payload
    error_type, message = None, ""
    if isinstance(payload, dict):
        err = payload.get("error")
        if isinstance(err, dict):
            error_type, message = err.get("type"), str(err.get("message", ""))
        elif "message" in payload or "Message" in payload:
            message = str(payload.get("message") or payload.get("Message"))
    if not message:
        message = raw[:200].decode("utf-8", "replace").strip() or f"HTTP {status}"
    if redactor is not None:
        message = redactor(message)
    error_type = None if error_type is None else str(error_type)[:100]
    raise PlatformError("http", message, status=status, error_type=error_type, url=url)
