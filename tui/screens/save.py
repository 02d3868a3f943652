"""Step: name the profile, preview exactly what `export` will print, and save.

Name clash: saving a new profile under a taken name would replace that profile and its
secrets, so it needs an explicit "Replace the existing profile" tick (blocking outright would
force a detour through the home screen when replacing is what you want; saying nothing would
lose a profile). Renaming an edited profile onto another one's name is blocked: that would
merge two profiles' secrets. Replacing also needs every stored secret typed in this session,
or the replaced profile's old key would silently stay.

The preview is rendered from the core's `plan_env` and `masked_plan`: a secret typed in this
session is passed only to be masked, and a stored one is never read (it shows as "…").
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, Label, Static

from profiles.core.envplan import masked_plan, plan_env
from profiles.core.rules import check_name
from profiles.core.shellcode import apply_line, format_plan
from profiles.store.files import ConfigError, read_doc
from profiles.usecases.edit import secrets_to_retype
from tui.screens.base import StepScreen
from tui.state import Draft
from tui.widgets.settings_target import SettingsTarget
from tui.widgets.toggles import Checkbox
from tui.widgets.validators import Rule
from tui.words import COPY_TIMEOUT, COPY_TITLE, copied

NAME_RULE = Rule(check_name)
STORED = "stored"  # stands in for a secret not typed now; masked_plan shows it as "…"
PREVIEW_NOTE = (
    "Secrets are masked here (… is a stored one); the real export prints them. Run "
    "`cc-aws-tui export NAME` any time to see it."
)

SETTINGS_WIN = "Claude Code's settings files beat the shell: a value set there wins."


def preview(draft: Draft, name: str) -> str:
    """The posix export lines for the draft saved as `name`, secrets masked."""
    try:
        profile = draft.to_profile(name=name)
    except ValueError as exc:
        return f"(not ready: {exc})"
    typed = draft.secrets()
    secrets = {kind: typed.get(kind, STORED) for kind in profile.secret_kinds()}
    return format_plan(masked_plan(plan_env(profile, secrets)), "posix").rstrip("\n")


class SaveScreen(StepScreen):
    CSS_PATH = "../css/finish.tcss"  # loaded when the screen is first shown
    STEP = "save"
    TITLE_TEXT = "Name and save"
    PURPOSE = "Saved profiles are applied in a shell with one line."
    NEXT_LABEL = "Save"

    BINDINGS: ClassVar[list[Binding | tuple[str, str] | tuple[str, str, str]]] = [
        Binding("ctrl+y", "copy_eval", "Copy eval line"),
    ]

    def __init__(self, draft: Draft, position: int, total: int) -> None:
        super().__init__(draft, position, total)
        self.existing: set[str] = set()

    def compose_body(self) -> ComposeResult:
        yield Label("Profile name", classes="field-label")
        yield Input(self._initial_name(), id="name", validators=[NAME_RULE])
        yield Static("", id="name-error", classes="field-error", markup=False)
        yield Static("", id="clash", markup=False)
        yield Checkbox("Replace the existing profile", id="replace")
        yield Checkbox("Make it the current profile", self.draft.make_current, id="make-current")
        yield Label("Apply it in a shell", classes="field-label")
        with Horizontal(id="eval-row"):
            yield Static("", id="eval-line", markup=False)
            yield Button("Copy", id="copy")
        yield Label("What the export prints", classes="field-label")
        with VerticalScroll(id="preview-box"):  # a scrollbar shows when it does not fit
            yield Static("", id="preview", markup=False)
        yield Static(PREVIEW_NOTE, classes="help", markup=False)
        question = "Also write it to Claude Code's settings?"
        yield Label(question, id="settings-question", classes="field-label")
        yield Static(SETTINGS_WIN, id="settings-win", classes="field-note", markup=False)
        yield SettingsTarget(self.draft.settings_scope, id="settings")

    def _initial_name(self) -> str:
        if self.draft.name:
            return self.draft.name
        for candidate in (self.draft.aws_profile, "default"):
            if candidate and NAME_RULE.validate(candidate).is_valid:
                return candidate
        return "default"

    def on_mount(self) -> None:
        try:
            self.existing = set(read_doc().profiles)
        except ConfigError:
            self.existing = set()  # the app shows a broken file before the wizard opens
        self._name_changed()
        self.query_one("#name", Input).focus()

    # --- state ------------------------------------------------------------------------------

    def _typed_name(self) -> str | None:
        value = self.query_one("#name", Input).value
        return value if NAME_RULE.validate(value).is_valid else None

    def _clash(self, name: str | None) -> bool:
        return name is not None and name in self.existing and name != self.draft.original_name

    def _clash_text(self, name: str) -> str:
        if self.draft.original_name is not None:
            return (
                f"A profile called {name} already exists. Pick another name (renaming onto it "
                "would mix two profiles; delete it from the home screen first)."
            )
        try:
            missing = secrets_to_retype(self.draft.to_profile(name=name), self.draft.secrets())
        except ValueError:
            missing = []
        if missing:
            return (
                f"A profile called {name} already exists. To replace it, enter the secret "
                "again first (or pick another name)."
            )
        return f"A profile called {name} already exists: saving replaces it and its secrets."

    def _can_replace(self, name: str) -> bool:
        if self.draft.original_name is not None:
            return False
        try:
            return not secrets_to_retype(self.draft.to_profile(name=name), self.draft.secrets())
        except ValueError:
            return False

    def updated_draft(self) -> Draft | None:
        name = self._typed_name()
        if name is None:
            return None
        update: dict[str, object] = {
            "name": name,
            "make_current": self.query_one("#make-current", Checkbox).value,
        }
        if self._clash(name):
            if not (self._can_replace(name) and self.query_one("#replace", Checkbox).value):
                return None
            update["replace_existing"] = True
        target = self.query_one(SettingsTarget)
        if not target.ready:
            return None
        update["settings_scope"] = target.scope
        update["settings_credentials"] = target.credentials
        draft = self.draft.model_copy(update=update)
        try:
            draft.to_profile()
        except ValueError:
            return None
        return draft

    # --- events -----------------------------------------------------------------------------

    @on(Input.Changed, "#name")
    def _name_changed(self) -> None:
        value = self.query_one("#name", Input).value
        check = NAME_RULE.validate(value)
        error = self.query_one("#name-error", Static)
        error.update("" if check.is_valid else "; ".join(check.failure_descriptions))
        error.display = not check.is_valid
        name = self._typed_name()
        clash = self.query_one("#clash", Static)
        clash.display = self._clash(name)
        self.query_one("#replace", Checkbox).display = name is not None and (
            self._clash(name) and self._can_replace(name)
        )
        if name is not None and self._clash(name):
            clash.update(self._clash_text(name))
        shown = name or "NAME"
        self.query_one("#preview", Static).update(preview(self.draft, shown))
        try:
            self.query_one(SettingsTarget).show_for(self.draft.to_profile(name=shown))
        except ValueError:
            self.query_one(SettingsTarget).show_for(None)
        self.query_one("#eval-line", Static).update(apply_line(shown))
        self.refresh_valid()

    @on(Checkbox.Changed)
    @on(SettingsTarget.Changed)
    def _checked(self) -> None:
        self.refresh_valid()

    @on(Input.Submitted, "#name")
    def _submitted(self) -> None:
        self.action_next()

    @on(Button.Pressed, "#copy")
    def action_copy_eval(self) -> None:
        name = self._typed_name()
        if name is None:
            self.notify("Enter a valid profile name first", severity="warning")
            return
        line = apply_line(name)
        self.app.copy_to_clipboard(line)
        self.notify(copied(line), title=COPY_TITLE, timeout=COPY_TIMEOUT)
