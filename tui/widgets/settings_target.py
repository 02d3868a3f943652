"""Choose a Claude Code settings file to write a profile into, and see the change first.

Self-contained: a scope choice, a note, and the dry-run diff of `profiles.claude.apply.apply`,
computed in a thread worker (it reads the settings file and may ask git whether the local
file is ignored). It posts `Changed` whenever the choice or its preview changes; `ready` says
whether the chosen scope can be written. No secret ever reaches it: the preview uses
placeholders, which the diff masks anyway.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.message import Message
from textual.widget import Widget
from textual.widgets import RadioSet, Select, Static

from profiles.claude.hooks import Credentials, isolates
from profiles.core.redact import safe
from profiles.core.schema import Profile
from tui.widgets.toggles import RadioButton

CHOICES: tuple[tuple[str, str], ...] = (
    ("user: ~/.claude/settings.json (every project on this machine)", "user"),
    ("local: .claude/settings.local.json here (this repository, not committed)", "local"),
    ("project: .claude/settings.json here (committed: no secrets)", "project"),
)
PLACEHOLDER = "stored"  # masked as "…" in the diff
ISOLATED = (
    "Isolated (recommended): Claude Code asks cc-aws-tui for the credentials, so the agent's"
    " own commands keep your AWS identity"
)
IN_ENV = "In the environment: AWS_PROFILE, which every command the agent runs inherits"
DIFF_LINES = 40  # diff lines shown (a new file's whole); the rest is counted, never clipped


def shown_diff(diff: str, limit: int | None = None) -> str:
    """The diff as shown: at most `limit` (DIFF_LINES) lines, the last saying how many more."""
    limit = DIFF_LINES if limit is None else limit
    lines = diff.splitlines()
    if len(lines) <= limit:
        return diff
    more = len(lines) - (limit - 1)
    return "\n".join([*lines[: limit - 1], f"… {more} more lines (not shown)"])


class SettingsTarget(Widget):
    DEFAULT_CSS: ClassVar[str] = """
    SettingsTarget { height: auto; }
    SettingsTarget #settings-note { color: $text-muted; height: auto; }
    SettingsTarget #settings-credentials { height: auto; border: none; padding: 0; }
    SettingsTarget #settings-note.-error { color: $error; }
    SettingsTarget #settings-diff { height: auto; border: round $panel; }
    """

    class Changed(Message):
        """The choice, or what writing it would change, is known anew."""

    def __init__(self, scope: str | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._initial = scope
        self._profile: Profile | None = None
        self.error: str | None = None
        self.pending = False

    def compose(self) -> ComposeResult:
        yield Select(
            CHOICES,
            prompt="No: only the shell export",
            value=self._initial if self._initial else Select.NULL,
            id="settings-scope",
        )
        with RadioSet(id="settings-credentials"):
            yield RadioButton(ISOLATED, value=True, id="credentials-isolated")
            yield RadioButton(IN_ENV, id="credentials-env")
        yield Static("", id="settings-note", markup=False)
        yield Static("", id="settings-diff", markup=False)

    def on_mount(self) -> None:
        self.query_one("#settings-diff").display = False
        self.query_one("#settings-credentials").display = False

    @property
    def credentials(self) -> Credentials:
        """How Claude Code gets AWS credentials from the chosen file (SigV4 with an AWS
        profile; anything else ignores it)."""
        pressed = self.query_one("#settings-credentials", RadioSet).pressed_button
        return "env" if pressed is not None and pressed.id == "credentials-env" else "isolated"

    @property
    def scope(self) -> str | None:
        value = self.query_one("#settings-scope", Select).value
        return value if isinstance(value, str) else None

    @property
    def ready(self) -> bool:
        """Nothing chosen, or the chosen file can be written."""
        return self.scope is None or (not self.pending and self.error is None)

    def show_for(self, profile: Profile | None) -> None:
        """Preview writing `profile` (None while the profile is not valid yet)."""
        self._profile = profile
        self._refresh()

    @on(Select.Changed, "#settings-scope")
    @on(RadioSet.Changed, "#settings-credentials")
    def _scope_changed(self) -> None:
        self._refresh()

    def _refresh(self) -> None:
        note = self.query_one("#settings-note", Static)
        diff = self.query_one("#settings-diff", Static)
        scope = self.scope
        profile = self._profile
        choice = self.query_one("#settings-credentials")
        choice.display = bool(
            scope in ("user", "local") and profile is not None and isolates(profile, "isolated")
        )
        if scope is None or self._profile is None:
            self.pending, self.error = False, None
            note.update("" if scope is None else "Complete the profile to see the change.")
            note.remove_class("-error")
            diff.display = False
            self.post_message(self.Changed())
            return
        self.pending = True
        note.update("Reading the settings file …")
        self._preview(scope, self._profile, self.credentials)
        self.post_message(self.Changed())

    @work(thread=True, exclusive=True, exit_on_error=False, group="settings-preview")
    def _preview(self, scope: str, profile: Profile, credentials: Credentials) -> None:
        from profiles.claude.apply import apply
        from profiles.store.files import ConfigError

        secrets = dict.fromkeys(profile.secret_kinds(), PLACEHOLDER)
        try:
            change = apply(profile, secrets, scope, dry_run=True, credentials=credentials)
        except ConfigError as exc:
            self.app.call_from_thread(self._show, scope, str(exc), "", error=True)
            return
        except Exception as exc:  # never leave Save disabled on an unexpected error
            reason = f"cannot preview this file ({type(exc).__name__})"
            self.app.call_from_thread(self._show, scope, reason, "", error=True)
            return
        where = (
            f"Writes {change.path} (the file as it is now is kept in cc-aws-tui's backups)."
            if change.existed
            else f"Creates {change.path}."
        )
        text = " ".join((where, *change.notes)) if change.changed else f"{change.path}: no change."
        self.app.call_from_thread(self._show, scope, text, change.diff.rstrip())

    def _show(self, scope: str, note_text: str, diff_text: str, *, error: bool = False) -> None:
        if scope != self.scope:
            return  # a preview for a choice since changed
        self.pending = False
        self.error = note_text if error else None
        note = self.query_one("#settings-note", Static)
        note.update(safe(note_text))  # notes and the diff quote the settings file
        note.set_class(error, "-error")
        diff = self.query_one("#settings-diff", Static)
        diff.update(shown_diff(safe(diff_text)))
        diff.display = bool(diff_text)
        self.post_message(self.Changed())
