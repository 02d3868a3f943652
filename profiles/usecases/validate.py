"""Validating a profile: which checks will run, the secrets to run them with, running them and
recording the outcome, and which part of the profile a failed check points at.

Shared by the wizard's Validate step and the home screen's validation; blocking (run it from
a worker). The results are the platform checks' own (`profiles.platform.results`).
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

from profiles.core.deadline import Deadline
from profiles.core.schema import Profile
from profiles.platform.results import CheckResult, Report

FixStep = Literal["api_key", "aws_profile", "workspace", "models"]
"""The part of a profile (and the wizard step that sets it) a failed check points at."""
_HTTP = re.compile(r"HTTP (\d{3})\b")


@dataclass(frozen=True)
class Job:
    """One validation: the profile, how to get its secrets (None: the store), where to record."""

    profile: Profile
    secrets: Callable[[Deadline], dict[str, str]] | None = None  # within the check's deadline
    record_as: str | None = None


def expected_checks(profile: Profile) -> list[str]:
    """The rows a run of `run_checks` for this profile will fill."""
    ids = ["env"]
    if profile.secret_kinds():
        ids.append("secret")
    if profile.auth == "sigv4":
        ids += ["credentials", "identity"]
    return [*ids, "platform", "models", "workspaces"]


def fix_step(result: CheckResult, profile: Profile) -> FixStep | None:
    """The wizard step that can fix a failed check, or None (e.g. the shell's environment)."""
    if result.id == "secret":
        return "api_key" if profile.auth == "api-key" else "workspace"  # gateway token
    if result.id in ("credentials", "identity"):
        return "aws_profile"
    if result.id == "models":
        return "models"
    if result.id == "workspaces":
        return "workspace"
    if result.id != "platform":
        return None
    text = result.summary.lower()
    if "outbound web identity federation is disabled" in text:
        return None  # an account setting: no step of the wizard can change it
    match = _HTTP.search(result.summary)
    status = int(match.group(1)) if match else 0
    if "workspace" in text or ("signature" in text and "does not match" in text):
        return "workspace"  # wrong or foreign workspace, or signed for the wrong region
    auth_problem = status in (401, 403) or "security token" in text
    if auth_problem:
        return "api_key" if profile.auth == "api-key" else "aws_profile"
    return "workspace"  # network, DNS, TLS, base URL, region


def aws_profile_warnings(profile: Profile) -> list[str]:
    """The ⚠ lines of a SigV4 profile's AWS profile that the AWS CLI (whose botocore gets the
    live checks their credentials) and Claude Code read differently: what passed here may
    not be what Claude Code signs with. Warnings, never a failure; offline and cheap."""
    from profiles.platform.connect import signs

    if not signs(profile):
        return []
    from profiles.aws.ini import AwsConfigError
    from profiles.aws.paths import js_profile_name
    from profiles.aws.profiles import differences_of, read_aws_profiles

    try:
        found = read_aws_profiles()
    except AwsConfigError:
        return []  # unreadable at all: the credentials check says so
    return differences_of(found, profile.aws_profile or js_profile_name())


def summarize(report: Report) -> str:
    """One secret-free line for the history (the home screen's "Checked" column)."""
    failed = [r for r in report.ordered() if r.status == "fail"]
    if failed:
        return f"{failed[0].title}: {failed[0].summary}"[:200]
    warnings = sum(r.status == "warn" for r in report.ordered())
    return f"ready, {warnings} warning(s)" if warnings else "ready"


def execute(
    job: Job,
    *,
    timeout: float,
    on_result: Callable[[CheckResult], None],
    cancel: threading.Event,
) -> Report:
    """Run the checks (blocking); record the outcome when the job says so and not cancelled."""
    from profiles.platform.engine import run_checks, stopped_at_secrets
    from profiles.store import history
    from profiles.store.secrets import SecretError

    deadline = Deadline(timeout)  # the draft's secret commands and every check share it
    secrets = None
    if job.secrets is not None:
        try:
            secrets = job.secrets(deadline)
        except SecretError as exc:
            report = Report(profile=job.profile.name)
            skipped = [i for i in expected_checks(job.profile) if i not in ("env", "secret")]
            results = stopped_at_secrets(
                job.profile, str(exc), "enter it again, then re-run", os.environ, skipped
            )
            for result in map(report.safe_result, results):
                report.results[result.id] = result
                on_result(result)
            return report
    report = run_checks(
        job.profile,
        secrets=secrets,
        timeout=timeout,
        deadline=deadline,
        on_result=on_result,
        cancel=cancel,
    )
    if job.record_as is not None and not cancel.is_set():
        history.record(job.record_as, report.ok, summarize(report), redactor=report.redactor)
    return report


def secrets_to_check(
    profile: Profile,
    typed: Mapping[str, str],
    saved_as: str | None,
    *,
    timeout: float | Deadline = 60.0,
) -> dict[str, str]:
    """The secrets to check a profile being made with: `typed` now, else its secret command's,
    else (when editing the profile saved as `saved_as`) the stored ones.

    Blocking (keyring, secret commands): call it from a worker. Raises SecretError.
    `timeout` bounds the secret commands: seconds, or the check's whole-call deadline.
    """
    from profiles.store.files import ConfigError
    from profiles.store.secrets import LABELS, SecretError, resolve, stored_secret

    out: dict[str, str] = {}
    for kind in profile.secret_kinds():
        if kind in typed:
            out[kind] = typed[kind]
            continue
        if profile.secret_store(kind) == "command":
            out[kind] = resolve(profile, kind, timeout=timeout)
            continue
        try:
            value = stored_secret(saved_as, kind, profile.secret_store(kind))
        except ConfigError as exc:
            raise SecretError(str(exc)) from None
        if value is None:
            where = "API key" if kind == "api_key" else "workspace and region (Advanced)"
            raise SecretError(f"no {LABELS[kind]} yet: enter it in the {where} step")
        out[kind] = value
    return out
