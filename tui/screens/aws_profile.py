"""Step (SigV4): which AWS profile signs the requests.

The profiles come from the shared AWS config and credentials files (read in a thread worker)
into an `AwsProfileList` (tui/widgets/aws_profile_list.py), which the filter above it narrows
in memory. An SSO profile whose token has expired offers `aws sso login` (ctrl+l).
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
from collections.abc import Callable
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult, SuspendNotSupported
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Button, Input, OptionList, Static

from profiles.aws.ini import AwsConfigError
from profiles.aws.profiles import AwsProfile, AwsProfiles, ProfileKind, read_aws_profiles
from profiles.aws.sso import (
    SsoTokenStatus,
    login_command,
    login_command_text,
    needs_login,
    sso_statuses,
)
from profiles.core.redact import safe
from profiles.core.rules import check_aws_profile, check_region
from tui.screens.base import StepScreen
from tui.state import Draft
from tui.widgets.aws_profile_list import (
    DEFAULT_CHAIN_ID,
    AwsProfileList,
    Entry,
    describe,
)

CHAIN_LINE = "Default chain: the AWS SDK finds them (AWS_PROFILE, env keys, a role)."


class AwsProfileScreen(StepScreen):
    CSS_PATH = "../css/credentials.tcss"  # loaded when the screen is first shown
    STEP = "aws_profile"
    TITLE_TEXT = "Which AWS credentials should sign the requests?"
    PURPOSE = "Pick an AWS profile (type to filter), or let the AWS SDK find credentials itself."

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+l", "sso_login", "SSO login"),
        Binding("f5", "recheck", "Re-check"),
        Binding("down", "move_cursor('down')", show=False),
        Binding("up", "move_cursor('up')", show=False),
        Binding("pagedown", "move_cursor('page_down')", show=False),
        Binding("pageup", "move_cursor('page_up')", show=False),
    ]

    def __init__(self, draft: Draft, position: int, total: int) -> None:
        super().__init__(draft, position, total)
        self._sso_status: dict[str, SsoTokenStatus] = {}
        self._list = AwsProfileList(id="aws-profiles")

    # --- layout ----------------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        yield Input(placeholder="Type to filter by name, kind or region", id="aws-filter")
        yield Static("", id="aws-config-error", classes="field-error", markup=False)
        yield self._list
        yield Static("Reading ~/.aws/config …", id="aws-count", classes="field-note")
        yield Static("", id="aws-detail", classes="field-note", markup=False)
        with Horizontal(id="sso-box"):
            yield Static("", id="sso-warning", markup=False)
            yield Button("Log in (ctrl+l)", id="sso-login", variant="warning", compact=True)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#aws-config-error").display = False
        self.query_one("#sso-box").display = False
        self._list.loading = True
        self.query_one("#aws-filter", Input).focus()
        self._discover()

    # --- discovery (file IO in a thread) ---------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="aws-discover")
    def _discover(self) -> None:
        try:
            found = read_aws_profiles()
        except AwsConfigError as exc:
            self.app.call_from_thread(self._loaded_profiles, AwsProfiles([]), {}, str(exc))
            return
        statuses = sso_statuses(found.profiles)
        self.app.call_from_thread(self._loaded_profiles, found, statuses, None)

    def _loaded_profiles(
        self,
        found: AwsProfiles,
        statuses: dict[str, SsoTokenStatus],
        error: str | None,
    ) -> None:
        if not self.is_mounted:
            return
        self._sso_status = statuses
        self._list.load(
            found.profiles, self.draft.aws_profile, self.draft.aws_profile_kind, found.cli_only
        )
        error_box = self.query_one("#aws-config-error", Static)
        if error is not None:
            error_box.update(
                f"{safe(error)}\nFix the file to pick one of its profiles; the default credential "
                "chain still works."
            )
        elif found.notes:  # whole files the AWS CLI and Claude Code read differently
            error_box.update("\n".join(f"⚠ {safe(note)}" for note in found.notes))
        error_box.display = error is not None or bool(found.notes)
        self._list.loading = False
        self._apply_filter(keep=self._list.option_id_for(self.draft.aws_profile))

    # --- filtering -------------------------------------------------------------------------

    @on(Input.Changed, "#aws-filter")
    def _filter_changed(self) -> None:
        if self._list.loaded:
            self._apply_filter()

    def _apply_filter(self, keep: str | None = None) -> None:
        """Show the profiles matching every word of the filter, and say how many match."""
        terms = self.query_one("#aws-filter", Input).value.casefold().split()
        matches = self._list.apply_filter(terms, keep)
        total = len(self._list.entries)
        text = f"{total:,} AWS profiles"
        if terms:
            text = f"{matches:,} of {text} match"
        if self._list.differing:
            text += f" · ⚠ {self._list.differing:,} read differently by the AWS CLI"
        self.query_one("#aws-count", Static).update(text)

    def action_move_cursor(self, how: str) -> None:
        """Arrows and page keys typed in the filter move the list's cursor."""
        option_list = self._list
        moves: dict[str, Callable[[], None]] = {
            "up": option_list.action_cursor_up,
            "down": option_list.action_cursor_down,
            "page_up": option_list.action_page_up,
            "page_down": option_list.action_page_down,
        }
        moves[how]()

    # --- the highlighted choice ------------------------------------------------------------

    @on(OptionList.OptionHighlighted, "#aws-profiles")
    def _highlight_changed(self, event: OptionList.OptionHighlighted) -> None:
        self._list.render_more(event.option_index)
        choice = self._list.choice()
        detail = self.query_one("#aws-detail", Static)
        if choice == DEFAULT_CHAIN_ID:
            detail.update(CHAIN_LINE)
        elif isinstance(choice, Entry):
            detail.update(safe(describe(choice)))
        else:
            detail.update("")
        self._show_sso_warning()
        self.refresh_valid()

    # --- SSO token -------------------------------------------------------------------------

    def on_screen_resume(self) -> None:
        """Back on this step (a login elsewhere may have happened): check the tokens again."""
        self.action_recheck()

    def action_recheck(self) -> None:
        """The SSO tokens are read again (f5, or on coming back to the step)."""
        if self._list.loaded:  # before that, the discovery reads them
            self._recheck_sso()

    @work(thread=True, exclusive=True, exit_on_error=False, group="sso-status")
    def _recheck_sso(self) -> None:
        # Reads the (never mutated) list the discovery built; no arguments, so the worker's
        # description does not repr thousands of profiles.
        statuses = sso_statuses([e.profile for e in self._list.entries if e.profile is not None])
        self.app.call_from_thread(self._sso_checked, statuses)

    def _sso_checked(self, statuses: dict[str, SsoTokenStatus]) -> None:
        if not self.is_mounted:
            return
        self._sso_status = statuses
        self._show_sso_warning()

    def _login_target(self) -> AwsProfile | None:
        """The highlighted SSO profile when its token is expired or missing."""
        choice = self._list.choice()
        if not isinstance(choice, Entry) or choice.profile is None:
            return None
        if not needs_login(choice.profile, self._sso_status.get(choice.name)):
            return None
        return choice.profile

    def _show_sso_warning(self) -> None:
        target = self._login_target()
        if target is not None:
            state = "has expired" if self._sso_status[target.name] == "expired" else "is missing"
            self.query_one("#sso-warning", Static).update(
                f"⚠ SSO token {state}: {login_command_text(target.name)}"
            )
        box = self.query_one("#sso-box")
        if box.display != (target is not None):
            box.display = target is not None
            self.refresh_bindings()  # the footer shows ctrl+l only while it applies

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "sso_login":
            return self._login_target() is not None
        return super().check_action(action, parameters)

    @on(Button.Pressed, "#sso-login")
    def action_sso_login(self) -> None:
        profile = self._login_target()
        if profile is None:
            return
        command = login_command_text(profile.name)
        aws = shutil.which("aws")
        if aws is None:
            self.notify(
                f"The AWS CLI (aws) is not on PATH. Run this in a shell, then come back:"
                f"\n{command}",
                title="SSO login",
                severity="warning",
                timeout=20,
                markup=False,
            )
            return
        try:
            # ctrl+c in the AWS CLI: back to the app; the re-check tells the state.
            with self.app.suspend(), contextlib.suppress(KeyboardInterrupt):
                subprocess.run([aws, *login_command(profile.name)[1:]], check=False)
        except SuspendNotSupported:
            self.notify(
                f"This terminal cannot be handed over. Run this in a shell:\n{command}",
                title="SSO login",
                severity="warning",
                timeout=20,
                markup=False,
            )
            return
        except OSError as exc:
            self.notify(f"{command} failed to start: {exc}", severity="error", markup=False)
        self._recheck_sso()

    # --- choosing --------------------------------------------------------------------------

    @on(OptionList.OptionSelected, "#aws-profiles")
    @on(Input.Submitted, "#aws-filter")
    def _chosen(self) -> None:
        self.action_next()

    def updated_draft(self) -> Draft | None:
        choice = self._list.choice()
        if choice is None:
            return None
        if choice == DEFAULT_CHAIN_ID:
            return self.draft.model_copy(update={"aws_profile": None, "aws_profile_kind": None})
        assert isinstance(choice, Entry)
        try:
            name = check_aws_profile(choice.name)
        except ValueError:
            return None
        update: dict[str, object] = {"aws_profile": name, "aws_profile_kind": choice.kind}
        if not self.draft.region and choice.region:
            with contextlib.suppress(ValueError):  # else the workspace step asks for it
                update["region"] = check_region(choice.region)
        # The login command filled in for the previously chosen profile follows the choice
        # (back from a later step, or editing); one the user wrote is kept.
        previous = self.draft.aws_profile
        filled = previous is not None and self.draft.aws_auth_refresh == (
            login_command_text(previous)
        )
        if filled or not self.draft.aws_auth_refresh:
            update["aws_auth_refresh"] = ""
            if choice.kind == ProfileKind.SSO:
                update["aws_auth_refresh"] = login_command_text(
                    choice.profile.name if choice.profile is not None else name
                )
        return self.draft.model_copy(update=update)
