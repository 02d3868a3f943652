"""Step (API key): the workspace API key, masked, checked for shape as it is typed or pasted.

The key never leaves the draft's `SecretStr`: it is not logged, not notified, not shown
unless the user reveals it.
"""

from __future__ import annotations

from pydantic import SecretStr
from textual import on, work
from textual.app import ComposeResult
from textual.widgets import Input, Static

from profiles.core.rules import check_api_key
from tui.screens.base import StepScreen
from tui.state import Draft
from tui.widgets.masked_input import MaskedInput
from tui.widgets.validators import Rule

NEW_KEY_NOTE = (
    "Paste it with your terminal's paste shortcut; ctrl+r shows or hides it. It is saved "
    "outside profiles.toml (the 0600 secrets file or your keyring), never in a log."
)
KEEP_KEY_NOTE = "Leave empty to keep the stored key; type or paste a key to replace it."


class ApiKeyScreen(StepScreen):
    CSS_PATH = "../css/credentials.tcss"  # loaded when the screen is first shown
    STEP = "api_key"
    TITLE_TEXT = "Your workspace API key"
    PURPOSE = "Copy it from AWS Console → Claude Platform on AWS → API keys (it starts sk-ant-)."

    def __init__(self, draft: Draft, position: int, total: int) -> None:
        super().__init__(draft, position, total)
        self._has_stored_key = False
        self._rule = Rule(check_api_key)

    def compose_body(self) -> ComposeResult:
        yield Static("API key", classes="field-label")
        initial = self.draft.api_key.get_secret_value() if self.draft.api_key else ""
        yield MaskedInput(
            initial,
            placeholder="sk-ant-…",
            validators=[self._rule],
            input_id="api-key-input",
            id="api-key",
        )
        yield Static("", id="api-key-error", classes="field-error", markup=False)
        yield Static(NEW_KEY_NOTE, id="api-key-note", classes="field-note")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#api-key-error").display = False
        self.query_one("#api-key", MaskedInput).focus()
        if self.draft.original_name is not None:
            self._look_for_stored_key(self.draft.original_name)

    @work(thread=True, exclusive=True, exit_on_error=False, group="stored-key")
    def _look_for_stored_key(self, name: str) -> None:
        """Editing: does the saved profile have a key to keep? (reads profiles.toml)"""
        from profiles.store.files import ConfigError, read_doc

        try:
            stored = read_doc().profiles.get(name)
        except ConfigError:
            return
        if stored is not None and stored.auth == "api-key" and stored.api_key_store is not None:
            self.app.call_from_thread(self._stored_key_found)

    def _stored_key_found(self) -> None:
        if not self.is_mounted:
            return
        self._has_stored_key = True
        self.query_one("#api-key-note", Static).update(KEEP_KEY_NOTE)
        self.query_one("#api-key-input", Input).placeholder = "(stored key kept)"
        self.refresh_valid()

    @on(Input.Changed, "#api-key-input")
    def _key_changed(self, event: Input.Changed) -> None:
        error = ""
        if event.value.strip() and event.validation_result is not None:
            failures = event.validation_result.failure_descriptions
            error = failures[0] if failures else ""
        line = self.query_one("#api-key-error", Static)
        line.update(error)
        line.display = bool(error)
        self.refresh_valid()

    @on(Input.Submitted, "#api-key-input")
    def _submitted(self) -> None:
        self.action_next()

    def updated_draft(self) -> Draft | None:
        value = self.query_one("#api-key-input", Input).value
        if not value.strip():
            if self._has_stored_key:
                return self.draft.model_copy(update={"api_key": None})
            return None
        if not self._rule.validate(value).is_valid:
            return None
        update: dict[str, object] = {"api_key": SecretStr(check_api_key(value))}
        if self.draft.api_key_store == "command":
            # A typed key replaces the command that produced the old one.
            update.update(api_key_store="file", api_key_command=None)
        return self.draft.model_copy(update=update)
