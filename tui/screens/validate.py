"""Validate: the live checklist, for the wizard's draft and for a saved profile.

Both screens compose a `ValidationPanel` (tui/widgets/validation_panel.py), which runs the
core's validation (profiles/usecases/validate.py) in a thread worker and streams each result
into its checklist; `c` cancels a run (so does leaving the screen), `r` runs it again.

In the wizard, Next is enabled only when nothing failed; warnings do not block. After a
failure the first failed check gets a "Fix: <step>" button that jumps back to the step that
can fix it, and `s` ("Save anyway") goes on deliberately: a profile can be right before it
works (IAM not granted yet, offline), but Enter alone must not carry a broken one through.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Static

from profiles.core.redact import safe
from profiles.core.schema import Profile
from profiles.platform.results import Report
from profiles.usecases.validate import Job, summarize
from tui.messages import JumpToStep, ProfileAction, StepCompleted
from tui.screens.base import StepScreen
from tui.state import Draft, draft_secrets
from tui.widgets.validation_panel import ValidationPanel

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
