"""Validate: the live checklist, for the wizard's draft and for a saved profile.

Both screens share `ValidationPanel`, which runs the core's `run_checks` in a thread worker
and streams each result into a `CheckList`. A run is cancellable (`c`, or leaving the screen)
and re-runnable (`r`). Results travel back with `post_message` (thread-safe, never blocks the
check threads, and is dropped once the panel is gone) and carry a run number, so a result of
a cancelled run can never land in the next one.

In the wizard, Next is enabled only when nothing failed; warnings do not block. After a
failure the first failed check gets a "Fix: <step>" button that jumps back to the step that
can fix it, and `s` ("Save anyway") goes on deliberately: a profile can be right before it
works (IAM not granted yet, offline), but Enter alone must not carry a broken one through.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Static
from textual.worker import Worker, WorkerState

from profiles.core.deadline import Deadline
from profiles.core.redact import safe
from profiles.core.schema import Profile
from profiles.platform.results import CheckResult, Report
from tui.messages import JumpToStep, ProfileAction, StepCompleted
from tui.screens.base import StepScreen
from tui.state import Draft, draft_secrets
from tui.widgets.checklist import CheckList

STEP_LABELS = {
    "api_key": "API key",
    "aws_profile": "AWS profile",
    "workspace": "workspace and region",
    "models": "models",
}
_HTTP = re.compile(r"HTTP (\d{3})\b")


# --- what to check, and what a failure points at (no widgets here) ---------------------------


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


def fix_step(result: CheckResult, profile: Profile) -> str | None:
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


# --- the shared panel ------------------------------------------------------------------------


class _Arrived(Message, bubble=False):
    def __init__(self, run: int, result: CheckResult) -> None:
        super().__init__()
        self.run = run
        self.result = result


class _Ended(Message, bubble=False):
    def __init__(self, run: int, report: Report) -> None:
        super().__init__()
        self.run = run
        self.report = report


class ValidationPanel(Vertical):
    """Status line, checklist and the Fix button; runs the checks for one `Job`."""

    class Finished(Message):
        """A run ended: `report` is None when it was cancelled or could not run."""

        def __init__(self, report: Report | None) -> None:
            super().__init__()
            self.report = report

    class FixRequested(Message):
        def __init__(self, step: str) -> None:
            super().__init__()
            self.step = step

    def __init__(self, job: Job | str, *, fix_prefix: str = "Fix") -> None:
        super().__init__(id="validation")
        self.job = job
        self.fix_prefix = fix_prefix
        self.running = False
        self.ended = False
        self.report: Report | None = None
        self.fix_target: str | None = None
        self._run = 0
        self._cancel = threading.Event()
        self._worker: Worker[None] | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="validate-status", markup=False)
        yield CheckList(id="checklist")
        with Horizontal(id="fix-bar"):
            yield Button("Fix", id="fix", variant="warning")

    def on_mount(self) -> None:
        self.query_one("#fix-bar").display = False
        self.run()

    def on_unmount(self) -> None:
        self._cancel.set()

    @property
    def checklist(self) -> CheckList:
        return self.query_one(CheckList)

    def _status(self, text: str, kind: str) -> None:
        status = self.query_one("#validate-status", Static)
        status.update(text)
        for k in ("running", "ok", "warn", "fail"):
            status.set_class(k == kind, f"-{k}")

    def run(self) -> None:
        """Start a run (a running one is cancelled first)."""
        self._cancel.set()
        self._run += 1
        self._cancel = threading.Event()
        self.report, self.fix_target, self.ended = None, None, False
        self.query_one("#fix-bar").display = False
        if isinstance(self.job, str):
            self.checklist.reset(())
            self._status(f"Cannot check yet: {self.job}", "fail")
            self.running, self.ended = False, True
            self.post_message(self.Finished(None))
            return
        self.running = True
        self.checklist.reset(expected_checks(self.job.profile))
        self._status("Checking live… (c cancels)", "running")
        timeout = float(getattr(self.app, "check_timeout", 10.0))
        self._worker = self._check(self.job, self._run, self._cancel, timeout)

    def cancel(self) -> None:
        if not self.running:
            return
        self._cancel.set()
        self._run += 1
        if self._worker is not None:
            self._worker.cancel()
        self.running, self.ended = False, True
        self.checklist.stop("cancelled")
        self._status("Cancelled. Press r to run the checks again.", "warn")
        self.post_message(self.Finished(None))

    @work(thread=True, exclusive=True, exit_on_error=False, group="checks")
    def _check(self, job: Job, run: int, cancel: threading.Event, timeout: float) -> None:
        # Never touches a widget: everything goes back as messages, dropped once cancelled.
        def on_result(result: CheckResult) -> None:
            if not cancel.is_set():
                self.post_message(_Arrived(run, result))

        report = execute(job, timeout=timeout, on_result=on_result, cancel=cancel)
        if not cancel.is_set():
            self.post_message(_Ended(run, report))

    @on(_Arrived)
    def _arrived(self, message: _Arrived) -> None:
        if message.run == self._run:
            self.checklist.set_result(message.result)

    @on(_Ended)
    def _ended(self, message: _Ended) -> None:
        if message.run != self._run or isinstance(self.job, str):
            return
        report = message.report
        for result in report.ordered():  # any row a message missed
            self.checklist.set_result(result)
        self.running, self.ended, self.report = False, True, report
        failed = [r for r in report.ordered() if r.status == "fail"]
        warnings = sum(r.status == "warn" for r in report.ordered())
        if failed:
            noun = "check" if len(failed) == 1 else "checks"
            self._status(f"{len(failed)} {noun} failed: see what to do below.", "fail")
            self.fix_target = fix_step(failed[0], self.job.profile)
        elif warnings:
            self._status(f"Ready, with {warnings} warning(s) to read below.", "warn")
        else:
            self._status("Ready: every check passed.", "ok")
        if self.fix_target is not None:
            button = self.query_one("#fix", Button)
            button.label = f"{self.fix_prefix}: {STEP_LABELS[self.fix_target]}"
            self.query_one("#fix-bar").display = True
        self.post_message(self.Finished(report))

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        if event.worker is not self._worker or event.state != WorkerState.ERROR:
            return
        self.running, self.ended = False, True
        self.checklist.stop("not run")
        error = event.worker.error
        self._status(safe(f"The checks stopped: {type(error).__name__}: {error}"), "fail")
        self.post_message(self.Finished(None))

    @on(Button.Pressed, "#fix")
    def _fix(self, event: Button.Pressed) -> None:
        event.stop()
        if self.fix_target is not None:
            self.post_message(self.FixRequested(self.fix_target))


# --- the wizard step -------------------------------------------------------------------------


def draft_job(draft: Draft) -> Job | str:
    try:
        # An unnamed draft is checked as "NAME", which reads as a placeholder in remedies.
        profile = draft.to_profile(name=draft.name or "NAME")
    except ValueError as exc:
        return str(exc)
    return Job(profile, secrets=lambda deadline: draft_secrets(draft, profile, timeout=deadline))


class ValidateStepScreen(StepScreen):
    CSS_PATH = "../css/finish.tcss"  # loaded when the screen is first shown
    STEP = "validate"
    TITLE_TEXT = "Check that it works"
    PURPOSE = "Live checks against Claude Platform on AWS; each problem comes with what to do."

    BINDINGS: ClassVar[list[Binding | tuple[str, str] | tuple[str, str, str]]] = [
        Binding("r", "rerun", "Re-run"),
        Binding("c", "cancel", "Cancel checks"),
        Binding("s", "save_anyway", "Save anyway"),
    ]

    def compose_body(self) -> ComposeResult:
        self.panel = ValidationPanel(draft_job(self.draft), fix_prefix="Fix")
        yield self.panel

    def updated_draft(self) -> Draft | None:
        report = self.panel.report
        if self.panel.running or report is None or not report.ok:
            return None
        return self._with_outcome(report)

    def _with_outcome(self, report: Report | None) -> Draft:
        """The draft carrying this run's outcome, recorded for the profile once it is saved."""
        if report is None:
            return self.draft
        return self.draft.model_copy(update={"checked": (report.ok, summarize(report))})

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "rerun":
            return not self.panel.running
        if action == "cancel":
            return self.panel.running
        if action == "save_anyway":  # after a failed or cancelled run of a complete draft
            runnable = isinstance(self.panel.job, Job)
            return runnable and self.panel.ended and self.updated_draft() is None
        return True

    def action_rerun(self) -> None:
        self.panel.run()
        self._changed()

    def action_cancel(self) -> None:
        self.panel.cancel()

    def action_save_anyway(self) -> None:
        if self.check_action("save_anyway", ()):
            self.post_message(StepCompleted(self.STEP, self._with_outcome(self.panel.report)))

    @on(ValidationPanel.Finished)
    def _changed(self) -> None:
        self.refresh_valid()
        self.refresh_bindings()
        if self.panel.fix_target is not None:
            # After the refresh that shows the button, so scrolling to it uses the new layout.
            self.call_after_refresh(self.query_one("#fix", Button).focus)
        elif self.updated_draft() is not None:
            self.call_after_refresh(self.query_one("#next", Button).focus)

    @on(ValidationPanel.FixRequested)
    def _fix(self, message: ValidationPanel.FixRequested) -> None:
        self.post_message(JumpToStep(message.step))


# --- a saved profile, from the home screen ---------------------------------------------------


class ValidateProfileScreen(Screen[None]):
    CSS_PATH = "../css/finish.tcss"  # loaded when the screen is first shown
    BINDINGS: ClassVar[list[Binding | tuple[str, str] | tuple[str, str, str]]] = [
        Binding("escape", "close", "Close"),
        Binding("r", "rerun", "Re-run"),
        Binding("c", "cancel", "Cancel checks"),
        Binding("e", "edit", "Edit profile"),
    ]

    def __init__(self, profile: Profile) -> None:
        super().__init__()
        self.profile = profile

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="validate-profile-body"):
            yield Static(
                f"Validating profile {safe(self.profile.name)}", id="validate-title", markup=False
            )
            self.panel = ValidationPanel(
                Job(self.profile, record_as=self.profile.name), fix_prefix="Edit profile"
            )
            yield self.panel
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "rerun":
            return not self.panel.running
        if action == "cancel":
            return self.panel.running
        return True

    def action_close(self) -> None:
        self.panel.cancel()
        self.dismiss()

    def action_rerun(self) -> None:
        self.panel.run()
        self.refresh_bindings()

    def action_cancel(self) -> None:
        self.panel.cancel()

    def action_edit(self) -> None:
        self.panel.cancel()
        self.dismiss()
        self.app.post_message(ProfileAction("edit", self.profile.name))

    @on(ValidationPanel.Finished)
    def _finished(self, message: ValidationPanel.Finished) -> None:
        self.refresh_bindings()
        if message.report is None:
            return
        record = getattr(self.app, "record_result", None)
        if callable(record):
            record(self.profile.name, message.report.ok)

    @on(ValidationPanel.FixRequested)
    def _fix(self) -> None:
        self.action_edit()
