"""The live checklist panel: runs one validation `Job` in a thread worker and shows it.

A status line, a `CheckList` the results stream into, and a "Fix: <step>" button after a
failure. A run is cancellable and re-runnable. Results travel back with `post_message`
(thread-safe, never blocks the check threads, and is dropped once the panel is gone) and carry
a run number, so a result of a cancelled run can never land in the next one.
"""

from __future__ import annotations

import threading

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Static
from textual.worker import Worker, WorkerState

from profiles.core.redact import safe
from profiles.platform.results import CheckResult, Report
from profiles.usecases.validate import Job, execute, expected_checks, fix_step
from tui.widgets.checklist import CheckList

STEP_LABELS = {
    "api_key": "API key",
    "aws_profile": "AWS profile",
    "workspace": "workspace and region",
    "models": "models",
}


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
