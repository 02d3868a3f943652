"""The engine of the live checks: `run_checks` runs every check for a profile and streams
each result as it ends (`cc-aws-tui validate` prints them, the TUI's checklist shows them).

The timeout is a deadline for the whole run: one `Deadline` is built when the run starts and
every step (secret commands, the AWS credential chain in a child process, each HTTP connect and
read, every page) gets only what is left of it. Independent checks run concurrently in daemon
threads, so the total time is about the slowest check, never more than the deadline. Every
result leaves through one place, which masks the profile's secrets and escapes control
characters.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict

from profiles.core.deadline import Deadline
from profiles.core.redact import remember
from profiles.core.schema import Profile
from profiles.platform.checks import (
    check_credentials,
    check_env,
    check_identity,
    check_models,
    check_platform,
    check_workspaces,
)
from profiles.platform.connect import connect, signs
from profiles.platform.results import CheckResult, Report

JOIN_GRACE = 0.5  # seconds past the deadline for a check to report its own timeout
REMOTE = ("platform", "models", "workspaces")


def stopped_at_secrets(
    profile: Profile,
    why: str,
    remedy: str,
    environ: Mapping[str, str],
    skipped: Iterable[str],
) -> list[CheckResult]:
    """The rows of a run that cannot go past its secrets: the failed secret (`why`, never the
    secret itself), the environment check (with no secret to compare) and `skipped`."""
    return [
        CheckResult("secret", "fail", why, remedy),
        check_env(profile, environ, {}),
        *(CheckResult(i, "skip", "needs the secret") for i in skipped),
    ]


def run_checks(
    profile: Profile,
    *,
    secrets: Mapping[str, str] | None = None,
    timeout: float = 10.0,
    environ: Mapping[str, str] | None = None,
    on_result: Callable[[CheckResult], None] | None = None,
    cancel: threading.Event | None = None,
    deadline: Deadline | None = None,
) -> Report:
    """Run every check for `profile`; `on_result` is called (from any thread) as each ends.

    `timeout` is the deadline of the whole run, secret commands included; a caller that spent
    part of its budget already (resolving a draft's secrets) passes its `deadline` instead.
    """
    started = time.monotonic()
    deadline = deadline or Deadline(timeout)
    report = Report(profile=profile.name)
    lock = threading.Lock()
    environ = os.environ if environ is None else environ
    cancel = cancel or threading.Event()

    def emit(result: CheckResult, t0: float) -> None:
        # The one place results are produced: what leaves here is redacted and escaped.
        result = report.safe_result(
            CheckResult(**{**asdict(result), "seconds": time.monotonic() - t0})
        )
        with lock:
            report.results[result.id] = result
        if on_result is not None and not cancel.is_set():
            on_result(result)

    def skip(ids: tuple[str, ...], why: str) -> None:
        for i in ids:
            emit(CheckResult(i, "skip", why), time.monotonic())

    # Secrets first: the environment check compares a key in the shell with the profile's.
    t0 = time.monotonic()
    resolved: dict[str, str] = dict(secrets or {})
    if profile.secret_kinds() and secrets is None:
        from profiles.store.secrets import SecretError, resolve_all

        try:
            resolved = resolve_all(profile, timeout=deadline)  # a stuck password manager too
        except SecretError as exc:
            skipped = ("credentials", "identity", *REMOTE)
            rows = stopped_at_secrets(profile, str(exc), "store the secret again", environ, skipped)
            emit(rows[0], t0)
            for row in rows[1:]:
                emit(row, time.monotonic())
            report.seconds = time.monotonic() - started
            return report
    report.redactor.add(*resolved.values())
    remember(*resolved.values())
    if profile.secret_kinds():
        from profiles.store.secrets import LABELS

        kinds = ", ".join(LABELS[k] for k in profile.secret_kinds())
        emit(CheckResult("secret", "pass", f"{kinds} found"), t0)
    emit(check_env(profile, environ, resolved), time.monotonic())

    credentials = None
    signing = signs(profile)
    if signing:
        t0 = time.monotonic()
        result, credentials = check_credentials(profile, deadline)
        if credentials is not None:
            report.redactor.add(credentials.secret_key, credentials.token)
            remember(credentials.secret_key, credentials.token)
        emit(result, t0)
        if credentials is None:
            skip(("identity", *REMOTE), "needs AWS credentials")
            report.seconds = time.monotonic() - started
            return report
    elif profile.auth == "sigv4":
        skip(("credentials", "identity"), "the gateway signs requests")

    if cancel.is_set():
        report.seconds = time.monotonic() - started
        return report
    client = connect(profile, resolved, deadline, credentials=credentials, environ=environ)

    def run(check_id: str, fn: Callable[[], None]) -> threading.Thread:
        def body() -> None:
            t0 = time.monotonic()
            try:
                fn()
            except Exception as exc:  # a bug must show as a failed row, not a hang
                emit(CheckResult(check_id, "fail", f"internal error: {type(exc).__name__}"), t0)

        thread = threading.Thread(target=body, daemon=True, name=f"check-{check_id}")
        thread.start()
        return thread

    def platform_then_models() -> None:
        t0 = time.monotonic()
        result, models = check_platform(client)
        report.models = models
        emit(result, t0)
        emit(check_models(profile, models), time.monotonic())

    def identity() -> None:
        t0 = time.monotonic()
        result, info = check_identity(profile, credentials, deadline)
        report.identity = info
        emit(result, t0)

    def workspaces() -> None:
        t0 = time.monotonic()
        result, spaces = check_workspaces(client)
        report.workspaces = spaces
        emit(result, t0)

    threads = [run("platform", platform_then_models), run("workspaces", workspaces)]
    if signing:
        threads.append(run("identity", identity))
    # Each call ends itself at the deadline; the grace only lets it report so.
    backstop = deadline.at + JOIN_GRACE
    for thread in threads:
        thread.join(max(0.0, backstop - time.monotonic()))
    for check_id in ("platform", "models", "workspaces", *(("identity",) if signing else ())):
        if check_id not in report.results:
            emit(CheckResult(check_id, "fail", f"no result within {deadline.seconds:g}s"), started)
    report.seconds = time.monotonic() - started
    return report
