"""The cc-aws-tui app: the home screen and the wizard, and the controller between them.

Screens post messages (a step is done, go back, act on a profile); this class decides what
comes next and calls the core. Blocking work (the store's lock, the keyring, the network) runs
in thread workers; the UI never waits on it.
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Callable, Iterable
from pathlib import PurePath
from typing import TYPE_CHECKING, ClassVar

from textual import events, on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import Screen

from profiles.core.redact import safe
from profiles.core.schema import Profile
from profiles.core.shellcode import apply_line
from profiles.store.files import ConfigError, read_doc
from tui.messages import JumpToStep, ProfileAction, StepBack, StepCompleted
from tui.screens.base import StepScreen
from tui.state import Draft
from tui.typeahead import TypeAhead
from tui.words import COPY_TIMEOUT, COPY_TITLE, copied, plain

if TYPE_CHECKING:
    from profiles.claude.hooks import Credentials
    from profiles.claude.sync import Synced


def steps_for(draft: Draft) -> list[str]:
    """The wizard's steps for this draft (the second depends on the auth method)."""
    second = "api_key" if draft.auth == "api-key" else "aws_profile"
    return ["auth", second, "workspace", "models", "validate", "save"]


# step -> (module, class): each screen module is imported when its step is first shown, so
# the first frame pays only for the screens it shows.
STEP_SCREENS: dict[str, tuple[str, str]] = {
    "auth": ("tui.screens.auth", "AuthScreen"),
    "aws_profile": ("tui.screens.aws_profile", "AwsProfileScreen"),
    "api_key": ("tui.screens.api_key", "ApiKeyScreen"),
    "workspace": ("tui.screens.workspace", "WorkspaceScreen"),
    "models": ("tui.screens.models", "ModelsScreen"),
    "validate": ("tui.screens.validate", "ValidateStepScreen"),
    "save": ("tui.screens.save", "SaveScreen"),
}


def step_screen(step: str, draft: Draft, position: int, total: int) -> StepScreen:
    module, cls = STEP_SCREENS[step]
    screen_type: type[StepScreen] = getattr(importlib.import_module(module), cls)
    return screen_type(draft, position, total)


class CcAwsTuiApp(App[int]):
    # The shared look; each wizard screen brings its own file when first shown, so the first
    # frame parses only what it displays.
    CSS_PATH: ClassVar[list[str | PurePath]] = ["css/app.tcss"]
    TITLE = "cc-aws-tui"
    SUB_TITLE = "Claude Code on Claude Platform on AWS"

    BINDINGS: ClassVar[list[Binding | tuple[str, str] | tuple[str, str, str]]] = [
        Binding("f1", "show_help_panel", "Keys"),
        Binding("question_mark", "show_help_panel", "Keys", show=False),
    ]

    def __init__(self, *, check_timeout: float = 10.0) -> None:
        super().__init__()
        self.check_timeout = check_timeout
        self.draft = Draft()
        self._initial_draft = Draft()
        self.last_results: dict[str, bool] = {}
        self._typeahead = TypeAhead(self)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every toast (widgets' `notify` lands here, passing markup=True by default): toasts
        quote files, servers and errors, so secrets are masked, control characters escaped,
        the core's facts worded for this app (`plain`), and the text is always shown
        literally (`markup` is accepted and ignored)."""
        del markup
        super().notify(
            safe(plain(message)),
            title=safe(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    async def on_event(self, event: events.Event) -> None:
        # Keys typed ahead wait their turn (see tui/typeahead.py).
        is_typed = isinstance(event, events.Key) and not event.is_forwarded
        if is_typed and self._typeahead.hold(event):  # type: ignore[arg-type]
            return
        await super().on_event(event)

    # --- start -----------------------------------------------------------------------------

    def _fatal_error(self) -> None:
        """Textual's crash report, minus the local variables it prints by default: a frame's
        locals may hold a key. (Overrides a private method; Textual is pinned exactly.)"""
        import rich
        from rich.segment import Segments
        from rich.traceback import Traceback

        self.bell()
        traceback = Traceback(show_locals=False, width=None, suppress=[rich])
        self._exit_renderables.append(
            Segments(self.console.render(traceback, self.console.options))
        )
        self._close_messages_no_wait()

    def on_mount(self) -> None:
        # Each screen is imported on the path that shows it: the wizard's first frame does not
        # pay for the home screen's table, nor either for the error screen.
        try:
            doc = read_doc()
        except ConfigError as exc:
            from tui.screens.error import ErrorScreen

            self.push_screen(ErrorScreen("profiles.toml cannot be used", str(exc)))
            return
        if doc.profiles:
            from tui.screens.home import HomeScreen

            self.push_screen(HomeScreen())
        else:
            # Straight into the wizard; the home screen is built when the wizard is left, so
            # the first frame pays for one screen, not two.
            self.start_wizard(Draft())

    # --- the wizard ------------------------------------------------------------------------

    def start_wizard(self, draft: Draft) -> None:
        self.draft = draft
        self._initial_draft = draft
        self._push_step("auth")

    def _push_step(self, step: str) -> None:
        steps = steps_for(self.draft)
        self.push_screen(step_screen(step, self.draft, steps.index(step) + 1, len(steps)))

    def _wizard_screens(self) -> list[StepScreen]:
        return [s for s in self.screen_stack if isinstance(s, StepScreen)]

    def leave_wizard(self) -> None:
        from tui.screens.home import HomeScreen

        self._drop_wizard()
        if any(isinstance(s, HomeScreen) for s in self.screen_stack):
            self.refresh_home()
        else:
            self.push_screen(HomeScreen())

    @on(StepCompleted)
    def _step_completed(self, message: StepCompleted) -> None:
        self.draft = message.draft
        if message.step == "save":
            self.save_draft(message.draft)
            return
        steps = steps_for(self.draft)
        self._push_step(steps[steps.index(message.step) + 1])

    def _resume_step(self) -> None:
        """Back on an earlier step (Back, or a failed check's Fix): it goes on from the latest
        answers, not from the draft it was first shown with, so the later steps keep theirs."""
        if isinstance(self.screen, StepScreen):
            self.screen.draft = self.draft

    @on(StepBack)
    def _step_back(self, message: StepBack) -> None:
        if len(self._wizard_screens()) > 1:
            self.pop_screen()
            self._resume_step()
            return
        self._unless_discarded(self.leave_wizard)

    def _has_unsaved_answers(self) -> bool:
        if not self._wizard_screens():
            return False
        # Unsaved answers include one given on this step but not yet confirmed with Next.
        screen = self.screen
        answered = screen.updated_draft() if isinstance(screen, StepScreen) else None
        return (answered or self.draft) != self._initial_draft

    def _unless_discarded(self, then: Callable[[], object]) -> None:
        """Do `then` now when no answers would be lost, else once the user agrees to discard
        them: the one question Esc, "New profile" and quitting ask in the middle of the wizard."""
        if not self._has_unsaved_answers():
            then()
            return
        from tui.screens.confirm import ConfirmScreen

        def answer(discard: bool | None) -> None:
            if discard:
                then()

        self.push_screen(
            ConfirmScreen("Discard this profile?", "Your answers so far are not saved.", "Discard"),
            answer,
        )

    async def action_quit(self) -> None:
        self._unless_discarded(self.exit)

    def action_show_help_panel(self) -> None:
        """F1 shows the keys panel (this app's keys only) and hides it again."""
        from textual.widgets import HelpPanel

        from tui.widgets.keys_panel import KeysPanel

        if self.screen.query(HelpPanel):
            self.action_hide_help_panel()
        else:
            self.screen.mount(KeysPanel())

    def _drop_wizard(self) -> None:
        """Leave the wizard's screens without saving (the answers were let go)."""
        for _ in self._wizard_screens():
            self.pop_screen()

    @on(JumpToStep)
    def _jump(self, message: JumpToStep) -> None:
        while isinstance(self.screen, StepScreen) and message.step != self.screen.STEP:
            if len(self._wizard_screens()) <= 1:
                break
            self.pop_screen()
        self._resume_step()

    @work(thread=True, exclusive=True, exit_on_error=False, group="store")
    def save_draft(self, draft: Draft) -> None:
        from profiles.usecases.edit import save_profile, update_profile

        try:
            profile = draft.to_profile()
            if (
                draft.original_name is not None
            ):  # one transaction: renamed and changed, or left as it was
                edited = update_profile(
                    draft.original_name, profile, draft.secrets(), make_current=draft.make_current
                )
            else:
                edited = save_profile(
                    profile,
                    draft.secrets(),
                    replace=draft.replace_existing,
                    make_current=draft.make_current,
                )
        except (ConfigError, ValueError) as exc:
            self.call_from_thread(self.notify, str(exc), title="Not saved", severity="error")
            return
        except Exception as exc:  # keyring and OS errors: say so, never crash the app
            self.call_from_thread(
                self.notify, f"{type(exc).__name__}: {exc}", title="Not saved", severity="error"
            )
            return
        if draft.checked is not None:
            from profiles.store import history

            with contextlib.suppress(Exception):  # a cache: a lock timeout must not stop us
                history.record(profile.name, *draft.checked)
        self.call_from_thread(self.notify_settings, edited.settings)
        if draft.settings_scope:
            self._write_settings(profile, draft.settings_scope, draft.settings_credentials)
        self.call_from_thread(self._saved, profile)

    def _write_settings(self, profile: Profile, scope: str, credentials: Credentials) -> None:
        """After a save, from the save worker: write the profile into Claude Code's settings."""
        from profiles.claude.apply import apply
        from profiles.store.secrets import SecretError, resolve_all

        try:
            change = apply(profile, resolve_all(profile), scope, credentials=credentials)
        except (ConfigError, SecretError) as exc:
            reason: str = str(exc)
        except Exception as exc:  # lock timeouts, OS errors: say so, keep the wizard going
            reason = f"{type(exc).__name__}: {exc}"
        else:
            done = f"Written to {change.path}" if change.written else f"{change.path} had it"
            self.call_from_thread(self.notify, " ".join((done, *change.notes)), title="Claude Code")
            return
        self.call_from_thread(
            self.notify,
            f"Profile saved, but Claude Code's settings were not changed: {reason}",
            severity="warning",
        )

    def _saved(self, profile: Profile) -> None:
        self.notify(
            f"Apply it in a shell: {apply_line(profile.name)}",
            title=f"Saved {profile.name}",
        )
        self.leave_wizard()

    # --- the home screen's actions ---------------------------------------------------------

    def refresh_home(self) -> None:
        from tui.screens.home import HomeScreen

        for screen in self.screen_stack:
            if isinstance(screen, HomeScreen):
                screen.reload()

    @on(ProfileAction)
    def _profile_action(self, message: ProfileAction) -> None:
        action, name = message.action, message.name
        if action == "new":
            # From the palette in the middle of the wizard: a fresh wizard, never one on top
            # of the old screens and their draft.
            def restart() -> None:
                self._drop_wizard()
                self.start_wizard(Draft())

            self._unless_discarded(restart)
            return
        if name is None:
            self.notify("No profile selected", severity="warning")
            return
        if action == "copy":
            line = apply_line(name)
            self.copy_to_clipboard(line)  # the apply line holds the name only, never a secret
            self.notify(copied(line), title=COPY_TITLE, timeout=COPY_TIMEOUT)
            return
        if action == "delete":
            self._confirm_delete(name)
            return
        if action == "reapply":
            self._confirm_reapply(name)
            return
        try:
            profile = read_doc().profiles[name]
        except (ConfigError, KeyError) as exc:
            self.notify(str(exc), severity="error")
            return
        if action in ("edit", "duplicate"):
            self.start_wizard(Draft.from_profile(profile, copy=action == "duplicate"))
        elif action == "use":
            self.run_store_op("use", name)
        elif action == "validate":
            from tui.screens.validate import ValidateProfileScreen

            self.push_screen(ValidateProfileScreen(profile))

    def _confirm_delete(self, name: str) -> None:
        from tui.screens.confirm import ConfirmScreen

        def answer(yes: bool | None) -> None:
            if yes:
                self.run_store_op("delete", name)

        self.push_screen(
            ConfirmScreen(
                f"Delete profile {name}?", "Its stored secrets are deleted with it.", "Delete"
            ),
            answer,
        )

    def _confirm_reapply(self, name: str) -> None:
        from tui.screens.confirm import ConfirmScreen
        from tui.screens.home import HomeScreen

        drifted = [
            s
            for screen in self.screen_stack
            if isinstance(screen, HomeScreen)
            for s in screen.applied.get(name, ())
            if s.state == "drifted"
        ]
        if not drifted:
            self.notify(f"Claude Code's settings files hold {name} as it is: nothing to re-apply")
            return
        files = "\n".join(f"{s.path} ({s.scope}): {', '.join(s.keys) or s.reason}" for s in drifted)

        def answer(yes: bool | None) -> None:
            if yes:
                self.run_store_op("reapply", name)

        self.push_screen(
            ConfirmScreen(
                f"Re-apply {name} to Claude Code's settings?",
                f"{files}\n\nThese get {name}'s values again, also where you edited them by"
                " hand; each previous file is kept in cc-aws-tui's backups.",
                "Re-apply",
            ),
            answer,
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group="store")
    def run_store_op(self, op: str, name: str) -> None:
        from profiles.usecases.edit import delete_profile, reapply_profile, set_current

        settings: tuple[Synced, ...] = ()
        try:
            if op == "delete":
                settings = delete_profile(name).settings
                done = f"Deleted {name}"
            elif op == "reapply":
                settings = reapply_profile(name)
                done = ""
            else:
                set_current(name)
                done = f"{name} is now the current profile"
        except ConfigError as exc:
            self.call_from_thread(self.notify, str(exc), severity="error")
            return
        if done:
            self.call_from_thread(self.notify, done)
        self.call_from_thread(self.notify_settings, settings)
        self.call_from_thread(self.refresh_home)

    def notify_settings(self, settings: tuple[Synced, ...]) -> None:
        """Say which Claude Code settings files a profile change updated, and which it could
        not (with the command that does it): one line each, as the CLI prints them."""
        if not settings:
            return
        failed = any(s.outcome == "not-updated" for s in settings)
        self.notify(
            "\n".join(s.summary() for s in settings),
            title="Claude Code settings",
            severity="warning" if failed else "information",
            timeout=20 if failed else None,
        )

    def record_result(self, name: str, ok: bool) -> None:
        self.last_results[name] = ok
        self.refresh_home()

    # --- command palette -------------------------------------------------------------------

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        from tui.screens.home import HomeScreen

        yield SystemCommand(
            "New profile", "Start the setup wizard", lambda: self.post_message(
                ProfileAction("new")
            )
        )  # fmt: skip
        if isinstance(screen, HomeScreen):
            for action, help_text in HomeScreen.ACTIONS.items():
                if action == "new":
                    continue
                yield SystemCommand(
                    f"{action.capitalize()} selected profile",
                    help_text,
                    lambda a=action: screen.act(a),
                )


def make_app(*, check_timeout: float = 10.0) -> CcAwsTuiApp:
    """The one factory: the CLI and the tests build the app the same way."""
    return CcAwsTuiApp(check_timeout=check_timeout)


def run_app() -> int:
    app = make_app()
    result = app.run()
    return result if isinstance(result, int) else 0
