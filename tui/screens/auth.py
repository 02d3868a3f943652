"""Step: SigV4 or a workspace API key."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.widgets import RadioSet, Static

from tui.screens.base import StepScreen
from tui.state import Draft
from tui.widgets.toggles import RadioButton

SIGV4_HELP = (
    "Sign each request with your AWS credentials (SSO, roles, access keys). Choose this when "
    "you already use the AWS CLI: nothing long-lived to store, and IAM decides what you may do."
)
NOT_CHOSEN = "Choose one first: ↑/↓ to move, Enter or Space to pick, then ctrl+n."
API_KEY_HELP = (
    "Use a workspace API key (sk-ant-…) from AWS Console → Claude Platform on AWS → API keys. "
    "Simple where there are no AWS credentials. Note: a key in the environment overrides "
    "SigV4."
)


class AuthScreen(StepScreen):
    STEP = "auth"
    TITLE_TEXT = "How should Claude Code authenticate?"
    PURPOSE = "Pick one; you can change it later by editing the profile."

    def compose_body(self) -> ComposeResult:
        with RadioSet(id="auth"):
            yield RadioButton(
                "SigV4 with AWS credentials", id="sigv4", value=self.draft.auth == "sigv4"
            )
            yield RadioButton("Workspace API key", id="api-key", value=self.draft.auth == "api-key")
        yield Static(SIGV4_HELP, id="sigv4-help", classes="help")
        yield Static(API_KEY_HELP, id="api-key-help", classes="help")
        yield Static("", id="auth-why", classes="field-error")

    def explain_not_ready(self) -> None:
        why = self.query_one("#auth-why", Static)
        why.update(NOT_CHOSEN)
        why.display = True

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#auth-why").display = False
        self.query_one(RadioSet).focus()

    def _choice(self) -> str | None:
        # The buttons' own values, not RadioSet.pressed_button: that one is updated only once
        # the Changed message is handled, so Enter then ctrl+n typed fast would see no choice.
        return next((b.id for b in self.query(RadioButton) if b.value), None)

    def updated_draft(self) -> Draft | None:
        choice = self._choice()
        if choice not in ("sigv4", "api-key"):
            return None
        return self.draft.model_copy(update={"auth": choice})

    @on(RadioSet.Changed)
    def _changed(self) -> None:
        self.query_one("#auth-why").display = False
        self.refresh_valid()
