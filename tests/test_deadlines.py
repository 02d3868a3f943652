"""`--timeout` is a deadline for the whole call (issue 8, part 6), tried as an attacker would.

- a loopback server that answers one byte every 0.5 s and never finishes: in the status line
  and headers, or after complete headers in the body;
- a server whose every page is slow and says there is one more page;
- a secret command and a `credential_process` that hang, each with a grandchild, written in
  real files in tmp (the profiles store, `~/.aws/config`).

Each call must return within the timeout plus a small overhead, and no child it started may be
left running. The commands run in a fresh interpreter with a timeout of our own, so a call that
never returns fails the test instead of hanging the suite.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from profiles.cli import main
from profiles.core.deadline import Deadline, DeadlineExceeded
from profiles.core.schema import Profile
from profiles.platform.engine import run_checks
from tests.fakeplatform import TEST_API_KEY, WORKSPACE_A

TIMEOUT = 2.0
SLACK = 1.0  # what the brief allows above the timeout
TRICKLE_EVERY = 0.5


# --------------------------------------------------------------------------- servers


class TrickleServer:
    """Accepts connections and sends one byte every 0.5 s, forever (until stopped).

    `headers_first`: send a complete `200` head with a large Content-Length at once, then
    trickle the body; otherwise the status line itself trickles.
    """

    def __init__(self, *, headers_first: bool) -> None:
        self.headers_first = headers_first
        self.stopping = threading.Event()
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.1)
        self.connections = 0
        threading.Thread(target=self._serve, daemon=True, name="trickle").start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def _serve(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._trickle, args=(conn,), daemon=True).start()

    def _trickle(self, conn: socket.socket) -> None:
        with conn:
            try:
                conn.recv(65536)  # the request
                if self.headers_first:
                    conn.sendall(
                        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                        b"Content-Length: 1000000\r\n\r\n{"
                    )
                    filler = b' "a": "' + b"x" * 100000
                else:
                    filler = b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 100000
                for byte in filler:
                    if self.stopping.wait(TRICKLE_EVERY):
                        return
                    conn.sendall(bytes([byte]))
            except OSError:
                return  # the client hung up: what a deadline does

    def stop(self) -> None:
        self.stopping.set()
        self.sock.close()


@pytest.fixture(params=[False, True], ids=["trickling-head", "trickling-body"])
def trickle(request: pytest.FixtureRequest) -> Iterator[TrickleServer]:
    server = TrickleServer(headers_first=request.param)
    yield server
    server.stop()


class EndlessPages:
    """Every page takes 0.8 s, holds one item and says there is another page."""

    def __init__(self, delay: float = 0.8) -> None:
        self.pages = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                outer.pages += 1
                time.sleep(delay)
                n = outer.pages
                body = json.dumps(
                    {"data": [{"id": f"item-{n}", "name": f"w{n}"}], "has_more": True,
                     "last_id": f"item-{n}"}
                ).encode()  # fmt: skip
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: Any, client_address: Any) -> None:
                pass  # the client hung up at its deadline: expected

        self.httpd = Server(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


# --------------------------------------------------------------------------- helpers


def add_keyed(base_url: str, name: str = "keyed", *extra: str) -> None:
    args = ["add", name, "--auth", "api-key", "--workspace", WORKSPACE_A,
            "--region", "us-east-1", "--base-url", base_url, *extra]  # fmt: skip
    if "--api-key-command" not in extra:
        args.append("--api-key-stdin")
        with pytest.MonkeyPatch.context() as mp:
            import io

            mp.setattr("sys.stdin", io.StringIO(TEST_API_KEY + "\n"))
            assert main(args) == 0
    else:
        assert main(args) == 0


def timed_cli(*args: str) -> tuple[float, subprocess.CompletedProcess[str]]:
    """`cc-aws-tui ARGS` in a fresh interpreter; fails (not hangs) if it never returns."""
    started = time.monotonic()
    try:
        proc = subprocess.run(
            [sys.executable, "-c", "import sys; from profiles.cli import main; sys.exit(main())",
             *args],
            capture_output=True, text=True, timeout=TIMEOUT + 15, check=False,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        pytest.fail(f"`cc-aws-tui {' '.join(args)}` did not return within {TIMEOUT + 15:g}s")
    return time.monotonic() - started, proc


def startup_seconds() -> float:
    """What a fresh interpreter costs here before the call starts (busy CI machines vary)."""
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "-c", "import profiles.cli, botocore.session"], check=True, timeout=30
    )
    return time.monotonic() - started


def hanging_command(pidfile: Path) -> str:
    """A shell that starts a grandchild and waits on it: `sleep 60 & wait`, pids recorded."""
    return f"sleep 60 & echo $$ $! > {pidfile}; wait"


def recorded_pids(pidfile: Path) -> list[int]:
    for _ in range(50):
        if pidfile.exists() and pidfile.read_text().strip():
            return [int(p) for p in pidfile.read_text().split()]
        time.sleep(0.05)
    pytest.fail(f"the command never wrote {pidfile}")


def alive(pid: int) -> bool:
    """Running (a zombie waiting for a reaper counts as dead)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def assert_all_dead(pids: list[int]) -> None:
    for _ in range(20):  # SIGKILL is asynchronous: give the kernel a moment
        if not any(alive(p) for p in pids):
            return
        time.sleep(0.05)
    left = [p for p in pids if alive(p)]
    for pid in left:  # do not leave them to the next test either
        os.kill(pid, 9)
    pytest.fail(f"left running after the call returned: pids {left}")


# --------------------------------------------------------------------------- Deadline


def test_deadline_counts_down_and_expires() -> None:
    deadline = Deadline(0.2)
    assert 0.0 < deadline.remaining() <= 0.2
    assert not deadline.expired
    deadline.check()
    time.sleep(0.25)
    assert deadline.expired
    assert deadline.remaining() == 0.0
    with pytest.raises(DeadlineExceeded, match=r"took over 0\.2s"):
        deadline.check()
    assert Deadline.of(deadline) is deadline
    assert Deadline.of(3).seconds == 3.0


# --------------------------------------------------------------------------- trickling servers


@pytest.mark.parametrize("command", ["validate", "models", "workspaces"])
def test_trickling_server_cannot_stretch_the_timeout(
    command: str, trickle: TrickleServer, capsys: pytest.CaptureFixture[str]
) -> None:
    add_keyed(trickle.base_url)
    overhead = startup_seconds()

    wall, proc = timed_cli(command, "keyed", "--timeout", f"{TIMEOUT:g}")

    with capsys.disabled():
        print(f"\n[wall time] {command} --timeout {TIMEOUT:g}, {trickle.headers_first=}: "
              f"{wall:.2f} s (interpreter start {overhead:.2f} s)")  # fmt: skip
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert f"within {TIMEOUT:g}s" in proc.stdout + proc.stderr
    assert TEST_API_KEY not in proc.stdout + proc.stderr
    assert wall - overhead <= TIMEOUT + SLACK, (wall, overhead)


def test_validate_report_time_is_bounded_by_the_timeout(trickle: TrickleServer) -> None:
    """In process: the report's own clock, without any interpreter start."""
    profile = Profile(
        name="keyed", auth="api-key", workspace_id=WORKSPACE_A, region="us-east-1",
        api_key_store="file", base_url=trickle.base_url,
    )  # fmt: skip

    started = time.monotonic()
    report = run_checks(profile, secrets={"api_key": TEST_API_KEY}, timeout=TIMEOUT, environ={})
    wall = time.monotonic() - started

    assert wall <= TIMEOUT + 0.6, wall
    assert report.results["platform"].status == "fail"
    assert f"within {TIMEOUT:g}s" in report.results["platform"].summary


def test_all_pages_share_one_deadline(capsys: pytest.CaptureFixture[str]) -> None:
    """Each page is quick enough alone (0.8 s < 2 s); twenty of them are not."""
    server = EndlessPages()
    try:
        add_keyed(server.base_url)
        overhead = startup_seconds()
        wall, proc = timed_cli("workspaces", "keyed", "--timeout", f"{TIMEOUT:g}")
    finally:
        server.stop()

    with capsys.disabled():
        print(f"\n[wall time] workspaces --timeout 2, 0.8 s pages: {wall:.2f} s, "
              f"{server.pages} pages")  # fmt: skip
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert wall - overhead <= TIMEOUT + SLACK, (wall, overhead)
    assert server.pages <= 3


# --------------------------------------------------------------------------- hanging children


def test_hanging_secret_command_is_killed_with_its_grandchild(
    isolated_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pidfile = isolated_env / "secret.pids"
    add_keyed("http://127.0.0.1:9", "keyed", "--api-key-command", hanging_command(pidfile))
    overhead = startup_seconds()

    wall, proc = timed_cli("validate", "keyed", "--timeout", f"{TIMEOUT:g}")
    pids = recorded_pids(pidfile)

    with capsys.disabled():
        print(f"\n[wall time] validate --timeout 2, hanging api_key_command: {wall:.2f} s")
    assert_all_dead(pids)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert f"its command took over {TIMEOUT:g}s" in proc.stdout
    assert wall - overhead <= TIMEOUT + SLACK, (wall, overhead)


def test_models_bounds_the_secret_command_too(isolated_env: Path) -> None:
    """`models` used to run the command with its own 60 s, ignoring --timeout."""
    pidfile = isolated_env / "secret.pids"
    add_keyed("http://127.0.0.1:9", "keyed", "--api-key-command", hanging_command(pidfile))
    overhead = startup_seconds()

    wall, proc = timed_cli("models", "keyed", "--timeout", f"{TIMEOUT:g}")

    assert_all_dead(recorded_pids(pidfile))
    assert proc.returncode != 0
    assert "its command took over" in proc.stderr
    assert wall - overhead <= TIMEOUT + SLACK, (wall, overhead)


def test_hanging_credential_process_is_killed_with_its_group(isolated_env: Path) -> None:
    pidfile = isolated_env / "creds.pids"
    config = Path(os.environ["AWS_CONFIG_FILE"])
    config.write_text(
        "[profile hangs]\nregion = us-east-1\n"
        f"credential_process = sh -c '{hanging_command(pidfile)}'\n"
    )
    profile = Profile(
        name="dev", auth="sigv4", workspace_id=WORKSPACE_A, region="us-east-1",
        aws_profile="hangs", base_url="http://127.0.0.1:9",
    )  # fmt: skip

    started = time.monotonic()
    report = run_checks(profile, timeout=TIMEOUT, environ={})
    wall = time.monotonic() - started
    pids = recorded_pids(pidfile)

    assert_all_dead(pids)
    assert wall <= TIMEOUT + SLACK, wall
    credentials = report.results["credentials"]
    assert credentials.status == "fail"
    assert f"within {TIMEOUT:g}s" in credentials.summary


def test_tui_model_list_is_bounded_too(trickle: TrickleServer) -> None:
    """The wizard's models step (a worker thread): same deadline, same server."""
    from pydantic import SecretStr

    from tui.screens.models import fetch_models
    from tui.state import Draft

    draft = Draft(
        name="keyed", auth="api-key", api_key=SecretStr(TEST_API_KEY), workspace_id=WORKSPACE_A,
        region="us-east-1", base_url=trickle.base_url,
    )  # fmt: skip

    box: dict[str, Any] = {}
    started = time.monotonic()
    worker = threading.Thread(target=lambda: box.update(listed=fetch_models(draft, TIMEOUT)))
    worker.daemon = True
    worker.start()
    worker.join(TIMEOUT + 15)  # a worker that never ends fails the test, not the suite
    wall = time.monotonic() - started

    assert "listed" in box, f"fetch_models did not return within {TIMEOUT + 15:g}s"
    listed = box["listed"]
    assert listed.reason is not None
    assert f"within {TIMEOUT:g}s" in listed.reason
    assert wall <= TIMEOUT + SLACK, wall


def test_tui_validate_panel_bounds_a_drafts_secret_command_and_the_checks(
    isolated_env: Path, trickle: TrickleServer
) -> None:
    """The validate step's worker: the draft's secret command and the checks share one
    deadline (the command used to get 60 s of its own before the checks started)."""
    import threading as th

    from profiles.usecases.validate import execute
    from tui.screens.validate import draft_job
    from tui.state import Draft

    pidfile = isolated_env / "draft.pids"
    draft = Draft(
        name="keyed", auth="api-key", api_key_store="command",
        api_key_command=hanging_command(pidfile), workspace_id=WORKSPACE_A,
        region="us-east-1", base_url=trickle.base_url,
    )  # fmt: skip
    job = draft_job(draft)
    assert not isinstance(job, str), job
    box: dict[str, Any] = {}

    started = time.monotonic()
    worker = th.Thread(
        target=lambda: box.update(
            report=execute(job, timeout=TIMEOUT, on_result=lambda r: None, cancel=th.Event())
        ),
        daemon=True,
    )
    worker.start()
    worker.join(TIMEOUT + 15)
    wall = time.monotonic() - started

    assert_all_dead(recorded_pids(pidfile))  # first: it also kills what a failure left
    assert "report" in box, f"the validate worker did not return within {TIMEOUT + 15:g}s"
    assert box["report"].results["secret"].status == "fail"
    assert wall <= TIMEOUT + SLACK, wall


def test_a_hanging_dns_lookup_cannot_stretch_the_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    """getaddrinfo ignores socket timeouts: a resolver that never answers (simulated here, as
    no loopback server can make the system resolver hang) must not hold the call."""
    release = threading.Event()
    real = socket.getaddrinfo

    def stuck(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host == "gateway.example.test":
            release.wait(30)
            raise socket.gaierror(socket.EAI_AGAIN, "resolver timed out")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", stuck)
    profile = Profile(
        name="keyed", auth="api-key", workspace_id=WORKSPACE_A, region="us-east-1",
        api_key_store="file", base_url="https://gateway.example.test",
    )  # fmt: skip

    started = time.monotonic()
    try:
        report = run_checks(profile, secrets={"api_key": TEST_API_KEY}, timeout=TIMEOUT, environ={})
    finally:
        wall = time.monotonic() - started
        release.set()

    assert wall <= TIMEOUT + 0.6, wall
    assert report.results["platform"].status == "fail"
    assert f"within {TIMEOUT:g}s" in report.results["platform"].summary


def test_credential_child_never_imports_from_the_current_directory(
    isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cloned repository with its own `profiles/` and `botocore/`: running validate inside
    it must not run them (`python -m` puts the current directory first on sys.path)."""
    from profiles.platform.checks import check_credentials

    repo = isolated_env / "cloned-repo"
    marker = isolated_env / "pwned"
    payload = f"open({str(marker)!r}, 'w').write('ran')\n"
    for package in ("profiles", "botocore"):
        (repo / package).mkdir(parents=True)
        (repo / package / "__init__.py").write_text(payload)
    (repo / "profiles" / "aws_creds.py").write_text(payload)
    Path(os.environ["AWS_SHARED_CREDENTIALS_FILE"]).write_text(
        "[static]\naws_access_key_id = AKIAEXAMPLE000000001\n"
        "aws_secret_access_key = not/a/real/secret/key/000000000000000\n"
    )
    monkeypatch.chdir(repo)
    profile = Profile(
        name="dev", auth="sigv4", workspace_id=WORKSPACE_A, region="us-east-1",
        aws_profile="static", base_url="http://127.0.0.1:9",
    )  # fmt: skip

    result, credentials = check_credentials(profile, TIMEOUT)

    assert not marker.exists(), "code from the current directory ran"
    assert result.status == "pass", result
    assert credentials.access_key == "AKIAEXAMPLE000000001"
