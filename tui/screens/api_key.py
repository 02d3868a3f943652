"""Step (API key): the workspace API key, masked, checked for shape as it is typed or pasted,
and where it is kept: the 0600 secrets file, the keyring, or a key command (a command that
prints the key, such as a password manager's CLI; only the command is saved).

The key never leaves the draft's `SecretStr`: it is not logged, not notified, not shown
unless the user reveals it. The choice is the store's own (`Profile.api_key_store` and
`api_key_command`); saving goes through the core's `save_profile` as the CLI's `add` does.
"""

from __future__ import annotations

from pydantic import SecretStr
from textual import on, work
from textual.app import ComposeResult
from textual.widgets import Input, RadioSet, Static

from profiles.core.rules import check_api_key
from tui.screens.base import StepScreen
from tui.state import Draft
from tui.widgets.masked_input import MaskedInput
from tui.widgets.toggles import RadioButton
from tui.widgets.validators import Rule

NEW_KEY_NOTE = (
    "Paste it with your terminal's paste shortcut; ctrl+r shows or hides it. It is never "
    "written to profiles.toml or a log."
)
KEEP_KEY_NOTE = "Leave empty to keep the stored key; type or paste a key to replace it."
MOVE_KEY_NOTE = "Type or paste the key again to keep it in the place chosen below."
STORES: tuple[tuple[str, str], ...] = (
    ("file", "The secrets file (secrets.toml, readable only by you)"),
    ("keyring", "Your keyring (the system's password store)"),
    ("command", "A key command: a command that prints the key (e.g. a password manager)"),
)
COMMAND_NOTE = "Run each time the profile is exported; only the command is saved."
KEYRING_CHECKING = "Looking for a keyring…"


class ApiKeyScreen(StepScreen):
    CSS_PATH = "../css/credentials.tcss"  # loaded when the screen is first shown
    STEP = "api_key"
    TITLE_TEXT = "Your workspace API key"
    PURPOSE = "Copy it from AWS Console → Claude Platform on AWS → API keys (it starts sk-ant-)."

    def __init__(self, draft: Draft, position: int, total: int) -> None:
        super().__init__(draft, position, total)
        self._stored_store: str | None = None  # editing: where the saved key is kept
        self._keyring_problem: str | None = None  # why the keyring cannot be used, once known
        self._rule = Rule(check_api_key)

    def compose_body(self) -> ComposeResult:
        yield Static("API key", id="api-key-label", classes="field-label")
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
        yield Static("Keep it in", classes="field-label")
        with RadioSet(id="key-store"):
            for store, label in STORES:
                yield RadioButton(
                    label,
                    id=f"store-{store}",
                    value=self.draft.api_key_store == store,
                    disabled=store == "keyring" and self.draft.api_key_store != "keyring",
                )
        yield Static(KEYRING_CHECKING, id="keyring-why", classes="field-note", markup=False)
        yield Static("Key command", id="key-command-label", classes="field-label")
        yield Input(
            self.draft.api_key_command or "",
            placeholder="op read op://vault/claude/api-key",
            id="key-command",
        )
        yield Static(COMMAND_NOTE, id="key-command-note", classes="field-note")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#api-key-error").display = False
        self._show_store()
        if self._store() == "command":
            self.query_one("#key-command", Input).focus()
        else:
            self.query_one("#api-key", MaskedInput).focus()
        self._look_for_keyring()
        if self.draft.original_name is not None:
            self._look_for_stored_key(self.draft.original_name)

    @work(thread=True, exclusive=True, exit_on_error=False, group="keyring")
    def _look_for_keyring(self) -> None:
        """Is a keyring backend usable here? (imports keyring, may ask D-Bus)"""
        from profiles.store import secrets

        problem = secrets.keyring_unusable()
        self.app.call_from_thread(self._keyring_known, problem)

    def _keyring_known(self, problem: str | None) -> None:
        if not self.is_mounted:
            return
        self._keyring_problem = problem
        self.query_one("#store-keyring", RadioButton).disabled = problem is not None
        why = self.query_one("#keyring-why", Static)
        why.update(f"The keyring is not offered: {problem}." if problem else "")
        why.display = problem is not None
        self.refresh_valid()

    @work(thread=True, exclusive=True, exit_on_error=False, group="stored-key")
    def _look_for_stored_key(self, name: str) -> None:
        """Editing: does the saved profile have a key to keep? (reads profiles.toml)"""
        from profiles.store.files import ConfigError, read_doc

        try:
            stored = read_doc().profiles.get(name)
        except ConfigError:
            return
        if stored is not None and stored.auth == "api-key" and stored.api_key_store is not None:
            self.app.call_from_thread(self._stored_key_found, stored.api_key_store)

    def _stored_key_found(self, store: str) -> None:
        if not self.is_mounted:
            return
        self._stored_store = store
        self.query_one("#api-key-input", Input).placeholder = "(stored key kept)"
        self._show_store()
        self.refresh_valid()

    def _store(self) -> str:
        # The buttons' own values, not RadioSet.pressed_button: that one lags until the
        # Changed message is handled, and keys typed ahead would see the old choice.
        pressed = next((b.id for b in self.query(RadioButton) if b.value), None)
        return (pressed or "store-file").removeprefix("store-")

    def _keeps_stored_key(self, store: str) -> bool:
        """An empty key field keeps the saved key: only where it already is (file/keyring)."""
        return store in ("file", "keyring") and store == self._stored_store

    def _show_store(self) -> None:
        store = self._store()
        by_command = store == "command"
        for selector in ("#api-key-label", "#api-key", "#api-key-note"):
            self.query_one(selector).display = not by_command
        if by_command:
            self.query_one("#api-key-error").display = False
        for selector in ("#key-command-label", "#key-command", "#key-command-note"):
            self.query_one(selector).display = by_command
        note = NEW_KEY_NOTE
        if self._stored_store is not None:
            note = KEEP_KEY_NOTE if self._keeps_stored_key(store) else MOVE_KEY_NOTE
        self.query_one("#api-key-note", Static).update(note)
        if self._keyring_problem is None:
            self.query_one("#keyring-why").display = False

    @on(RadioSet.Changed, "#key-store")
    def _store_changed(self) -> None:
        self._show_store()
        self.refresh_valid()

    @on(Input.Changed, "#key-command")
    def _command_changed(self) -> None:
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
    @on(Input.Submitted, "#key-command")
    def _submitted(self) -> None:
        self.action_next()

    def updated_draft(self) -> Draft | None:
        store = self._store()
        if store == "command":
            command = self.query_one("#key-command", Input).value.strip()
            if not command:
                return None
            return self.draft.model_copy(
                update={"api_key": None, "api_key_store": "command", "api_key_command": command}
            )
        if store == "keyring" and self._keyring_problem is not None:
            return None
        value = self.query_one("#api-key-input", Input).value
        update: dict[str, object] = {"api_key_store": store, "api_key_command": None}
        if not value.strip():
            if self._keeps_stored_key(store):
                return self.draft.model_copy(update={**update, "api_key": None})
            return None
        if not self._rule.validate(value).is_valid:
            return None
        return self.draft.model_copy(update={**update, "api_key": SecretStr(check_api_key(value))})
