"""One HTTP(S) request that ends by its deadline, whatever the server does.

Socket timeouts alone bound each *operation*, not the call: a server that sends one byte every
half second never trips a 2 s read timeout, in the status line, the headers, the TLS handshake
or the body. So each phase runs against the same `Deadline`:

- DNS: `getaddrinfo` cannot be interrupted, so it runs in a daemon thread we stop waiting for
  at the deadline; the connection then goes to the address it found (the URL's host still
  names the TLS server and the Host header);
- connect, TLS, request, status, headers and body: the socket's timeout is what is left, and
  a watchdog timer shuts the socket down at the deadline, which ends any blocked read at once;
- the body is read in chunks (`read1`), checking the deadline and a size cap between them.

Standard library only (`http.client`, `ssl`, `socket`); imported by the live calls only.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from profiles.core.deadline import Deadline

MAX_BODY = 16 * 1024 * 1024  # far above a page of models or workspaces


class TransportError(Exception):
    """How a request failed: `kind` is timeout, dns, connect, tls or protocol."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


class _Watchdog:
    """Shuts `sock` down when the deadline passes; `fired` says it did."""

    def __init__(self, deadline: Deadline) -> None:
        self.sock: socket.socket | None = None
        self.fired = False
        self._lock = threading.Lock()
        self._timer = threading.Timer(deadline.remaining(), self._fire)
        self._timer.daemon = True
        self._timer.start()

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self.sock = sock
            if self.fired:
                _shutdown(sock)

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            if self.sock is not None:
                _shutdown(self.sock)

    def cancel(self) -> None:
        self._timer.cancel()


def _shutdown(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # not connected yet, or closed already
        sock.shutdown(socket.SHUT_RDWR)


def send(
    method: str,
    url: str,
    body: bytes | None,
    headers: Mapping[str, str],
    deadline: Deadline,
    *,
    context: ssl.SSLContext | None = None,
) -> tuple[int, bytes]:
    """Send one request; the status and the whole body, or `TransportError` by the deadline.

    `context` is the `ssl.SSLContext` for https URLs.
    """
    parts = urlsplit(url)
    https = parts.scheme == "https"
    host = parts.hostname or ""
    port = parts.port or (443 if https else 80)
    netloc = parts.netloc.rsplit("@", 1)[-1]
    # The Host header as botocore signs it: no port when it is the scheme's default.
    host_header = netloc.removesuffix(":443" if https else ":80")
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")

    def timed_out() -> TransportError:
        return TransportError("timeout", f"no answer from {netloc} within {deadline.seconds:g}s")

    addresses = _resolve(host, port, deadline, timed_out)
    watchdog = _Watchdog(deadline)
    sock: socket.socket | None = None
    try:
        sock = _connect(addresses, netloc, deadline, watchdog, timed_out)
        if https:
            try:
                tls = (context or ssl.create_default_context()).wrap_socket(
                    sock, server_hostname=host, do_handshake_on_connect=False
                )
                sock = tls
                watchdog.watch(tls)
                tls.settimeout(max(0.001, deadline.remaining()))
                tls.do_handshake()
            except ssl.SSLCertVerificationError as exc:
                if watchdog.fired:
                    raise timed_out() from None
                why = exc.verify_message or exc.reason or "certificate rejected"
                raise TransportError("tls", f"TLS with {netloc} failed: {why}") from None
            except ssl.SSLError as exc:
                if watchdog.fired:
                    raise timed_out() from None
                raise TransportError(
                    "tls", f"TLS with {netloc} failed: {exc.reason or type(exc).__name__}"
                ) from None
        answer = _exchange(sock, host, port, method, target, body, headers, host_header, deadline)
        if watchdog.fired:  # a read cut short by the watchdog can look like an end
            raise timed_out()
        return answer
    except (TimeoutError, OSError) as exc:
        if watchdog.fired or deadline.expired or isinstance(exc, TimeoutError):
            raise timed_out() from None
        raise TransportError(
            "protocol", f"{netloc} closed the connection without answering"
        ) from None
    except _Incomplete:
        if watchdog.fired or deadline.expired:
            raise timed_out() from None
        raise TransportError("protocol", f"{netloc} closed the connection mid-answer") from None
    except _TooLarge:
        raise TransportError(
            "protocol", f"{netloc} sent more than {MAX_BODY // (1024 * 1024)} MiB"
        ) from None
    finally:
        watchdog.cancel()
        if sock is not None:
            sock.close()


class _Incomplete(Exception):
    pass


class _TooLarge(Exception):
    pass


def _exchange(
    sock: socket.socket,
    host: str,
    port: int,
    method: str,
    target: str,
    body: bytes | None,
    headers: Mapping[str, str],
    host_header: str,
    deadline: Deadline,
) -> tuple[int, bytes]:
    import http.client

    conn = http.client.HTTPConnection(host, port)
    conn.sock = sock  # ours: connected (and wrapped) under the deadline
    try:
        sock.settimeout(max(0.001, deadline.remaining()))
        conn.request(method, target, body=body, headers={"host": host_header, **headers})
        resp = conn.getresponse()
        chunks: list[bytes] = []
        size = 0
        while True:
            sock.settimeout(max(0.001, deadline.remaining()))
            chunk = resp.read1(65536)
            if not chunk:
                break
            size += len(chunk)
            if size > MAX_BODY:
                raise _TooLarge
            chunks.append(chunk)
            if deadline.expired:
                raise TimeoutError
        if resp.length or deadline.expired:
            raise _Incomplete  # fewer bytes than Content-Length: cut short
        return resp.status, b"".join(chunks)
    except http.client.IncompleteRead:
        raise _Incomplete from None
    except http.client.RemoteDisconnected:
        raise ConnectionResetError from None
    except http.client.HTTPException:
        raise _Incomplete from None
    finally:
        conn.sock = None  # closed by `send`


def _resolve(host: str, port: int, deadline: Deadline, timed_out: Any) -> list[tuple[Any, ...]]:
    """`getaddrinfo`, waited for until the deadline only (it cannot be interrupted)."""
    from profiles.core.deadline import DeadlineExceeded, in_thread

    try:
        found = in_thread(lambda: socket.getaddrinfo(host, port, type=socket.SOCK_STREAM), deadline)
    except DeadlineExceeded:
        raise timed_out() from None
    except OSError:
        found = []
    if not found:
        raise TransportError("dns", f"cannot resolve {host}")
    return found


def _connect(
    addresses: list[tuple[Any, ...]],
    netloc: str,
    deadline: Deadline,
    watchdog: _Watchdog,
    timed_out: Any,
) -> socket.socket:
    last: OSError | None = None
    for family, kind, proto, _name, address in addresses:
        if deadline.expired:
            raise timed_out()
        sock = socket.socket(family, kind, proto)
        try:
            watchdog.watch(sock)
            sock.settimeout(max(0.001, deadline.remaining()))
            sock.connect(address)
            return sock
        except OSError as exc:
            sock.close()
            if isinstance(exc, TimeoutError) or watchdog.fired:
                raise timed_out() from None
            last = exc
    why = (last.strerror if last is not None else None) or "no address"
    raise TransportError("connect", f"cannot connect to {netloc}: {why}")
