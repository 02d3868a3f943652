"""Step (SigV4): which AWS profile signs the requests.

The profiles come from the shared AWS config and credentials files (read in a thread worker).
Typing filters them in memory; each profile's option is built once, so a keystroke only
re-selects which of the prebuilt options are shown, which keeps 2,000 profiles fluid.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult, SuspendNotSupported
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from profiles.aws.ini import AwsConfigError
from profiles.aws.profiles import AwsProfile, ProfileKind, discover_aws_profiles
from profiles.aws.sso import (
    SsoTokenStatus,
    login_command,
    login_command_text,
    sso_cache_path,
    sso_token_status,
)
from profiles.core.redact import safe
from profiles.core.schema import check_aws_profile, check_region
from tui.screens.base import StepScreen
from tui.state import Draft

DEFAULT_CHAIN_ID = "default-chain"
DEFAULT_CHAIN_LABEL = "Default credential chain (AWS_PROFILE, env keys, instance role)"
DEFAULT_CHAIN_HELP = (
    "Claude Code will use whatever the AWS SDK finds when it starts: AWS_PROFILE, "
    "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or an instance / container role."
)
BADGES: dict[str, str] = {
    ProfileKind.SSO: "SSO",
    ProfileKind.STATIC: "static",
    ProfileKind.ASSUME_ROLE: "role",
    ProfileKind.PROCESS: "process",
    ProfileKind.WEB_IDENTITY: "web-id",
    ProfileKind.UNKNOWN: "?",
}
NAME_WIDTH = 36
CHUNK = 100  # options added to the list at a time


@dataclass(frozen=True, slots=True)
class _Entry:
    """One choosable AWS profile: its option (built once) and the text the filter searches."""

    name: str
    kind: str | None
    region: str | None
    profile: AwsProfile | None  # None: the draft's profile, not found in the files
    option: Option
    haystack: str


def _entry(index: int, profile: AwsProfile, width: int) -> _Entry:
    badge = BADGES.get(profile.kind, "?")
    region = profile.region or ""
    # Names and regions come from ~/.aws/config: shown with control characters escaped
    # (Content never parses them as markup).
    prompt = Content.assemble(
        (safe(profile.name, multiline=False).ljust(width), "bold"),
        "  ",
        (badge.ljust(8), "$accent" if profile.kind == ProfileKind.SSO else "$text-muted"),
        (safe(region, multiline=False), "$text-muted"),
        ("  ⚠" if profile.issues else "", "$warning"),
    )
    haystack = f"{profile.name} {badge} {profile.kind} {region}".casefold()
    option = Option(prompt, f"p{index}")
    return _Entry(profile.name, str(profile.kind), profile.region, profile, option, haystack)


def sso_statuses(profiles: list[AwsProfile]) -> dict[str, SsoTokenStatus]:
    """The SSO token status of each SSO profile, by name. Reads each token cache file once:
    thousands of profiles usually share a handful of SSO sessions."""
    by_file: dict[Path, SsoTokenStatus] = {}
    statuses: dict[str, SsoTokenStatus] = {}
    for profile in profiles:
        if profile.kind != ProfileKind.SSO:
            continue
        try:
            path = sso_cache_path(profile)
        except ValueError:  # neither sso_session nor sso_start_url: its issues say so
            continue
        if path not in by_file:
            by_file[path] = sso_token_status(profile)
        statuses[profile.name] = by_file[path]
    return statuses


def _missing_entry(name: str, kind: str | None) -> _Entry:
    prompt = Content.assemble(
        (safe(name, multiline=False), "bold"), ("  not found in the AWS config files", "$warning")
    )
    return _Entry(name, kind, None, None, Option(prompt, "missing"), name.casefold())


class AwsProfileScreen(StepScreen):
    CSS_PATH = "../css/credentials.tcss"  # loaded when the screen is first shown
    STEP = "aws_profile"
    TITLE_TEXT = "Which AWS credentials should sign the requests?"
    PURPOSE = "Pick an AWS profile (type to filter), or let the AWS SDK find credentials itself."

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+l", "sso_login", "SSO login"),
        Binding("down", "move_cursor('down')", show=False),
        Binding("up", "move_cursor('up')", show=False),
        Binding("pagedown", "move_cursor('page_down')", show=False),
        Binding("pageup", "move_cursor('page_up')", show=False),
    ]

    def __init__(self, draft: Draft, position: int, total: int) -> None:
        super().__init__(draft, position, total)
        self._entries: list[_Entry] = []
        self._by_id: dict[str, int] = {}  # option id -> index in _entries
        self._shown: list[int] | None = None  # indices in _entries matching the filter
        self._rendered = 0  # how many of them are options so far
        self._loaded = False
        self._sso_status: dict[str, SsoTokenStatus] = {}
        self._default_option = Option(DEFAULT_CHAIN_LABEL, DEFAULT_CHAIN_ID)

    # --- layout ----------------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        yield Input(placeholder="Type to filter by name, kind or region", id="aws-filter")
        yield Static("", id="aws-config-error", classes="field-error", markup=False)
        yield OptionList(self._default_option, id="aws-profiles")
        yield Static("Reading ~/.aws/config …", id="aws-count", classes="field-note")
        yield Static("", id="aws-detail", classes="field-note", markup=False)
        with Horizontal(id="sso-box"):
            yield Static("", id="sso-warning", markup=False)
            yield Button("Log in (ctrl+l)", id="sso-login", variant="warning", compact=True)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#aws-config-error").display = False
        self.query_one("#sso-box").display = False
        self.query_one("#aws-profiles", OptionList).loading = True
        self.query_one("#aws-filter", Input).focus()
        self._discover()

    # --- discovery (file IO in a thread) ---------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="aws-discover")
    def _discover(self) -> None:
        try:
            profiles = discover_aws_profiles()
        except AwsConfigError as exc:
            self.app.call_from_thread(self._loaded_profiles, [], {}, str(exc))
            return
        statuses = sso_statuses(profiles)
        self.app.call_from_thread(self._loaded_profiles, profiles, statuses, None)

    def _loaded_profiles(
        self,
        profiles: list[AwsProfile],
        statuses: dict[str, SsoTokenStatus],
        error: str | None,
    ) -> None:
        if not self.is_mounted:
            return
        self._sso_status = statuses
        width = min(NAME_WIDTH, max((len(p.name) for p in profiles), default=0))
        self._entries = [_entry(i, p, width) for i, p in enumerate(profiles)]
        wanted = self.draft.aws_profile
        if wanted is not None and all(e.name != wanted for e in self._entries):
            self._entries.insert(0, _missing_entry(wanted, self.draft.aws_profile_kind))
        self._by_id = {e.option.id or "": i for i, e in enumerate(self._entries)}
        self._loaded = True
        error_box = self.query_one("#aws-config-error", Static)
        if error is not None:
            error_box.update(
                f"{safe(error)}\nFix the file to pick one of its profiles; the default credential "
                "chain still works."
            )
        error_box.display = error is not None
        option_list = self.query_one("#aws-profiles", OptionList)
        option_list.loading = False
        self._shown = None
        self._apply_filter(keep=self._initial_option_id())

    def _initial_option_id(self) -> str:
        if self.draft.aws_profile is None:
            return DEFAULT_CHAIN_ID
        for entry in self._entries:
            if entry.name == self.draft.aws_profile:
                return entry.option.id or DEFAULT_CHAIN_ID
        return DEFAULT_CHAIN_ID

    # --- filtering -------------------------------------------------------------------------

    @on(Input.Changed, "#aws-filter")
    def _filter_changed(self) -> None:
        if self._loaded:
            self._apply_filter()

    def _apply_filter(self, keep: str | None = None) -> None:
        """Show the profiles matching every word of the filter; keep the highlight if it can.

        Only the first `CHUNK` matches become options (more are added as the cursor nears the
        end): the option list measures each option it holds, and that cost must not grow with
        the number of profiles.
        """
        option_list = self.query_one("#aws-profiles", OptionList)
        if keep is None:
            current = option_list.highlighted_option
            keep = current.id if current is not None else None
        terms = self.query_one("#aws-filter", Input).value.casefold().split()
        entries = self._entries
        shown = [i for i, e in enumerate(entries) if all(t in e.haystack for t in terms)]
        total = len(entries)
        self.query_one("#aws-count", Static).update(
            f"{len(shown):,} of {total:,} AWS profiles match"
            if terms
            else f"{total:,} AWS profiles"
        )
        if shown == self._shown:
            if terms and shown and option_list.highlighted == 0:
                option_list.highlighted = 1  # a filter points at its first match
            return
        self._shown = shown
        # Keep the highlighted profile while it matches; otherwise a filter points at the
        # first match (the default chain stays first, but is not what you are typing).
        position: int | None = None  # in `shown`
        if keep is not None and keep in self._by_id:
            with contextlib.suppress(ValueError):
                position = shown.index(self._by_id[keep])
        self._rendered = min(len(shown), max(CHUNK, (position or 0) + CHUNK))
        option_list.set_options(
            [self._default_option, None, *(entries[i].option for i in shown[: self._rendered])]
        )
        if position is not None:
            option_list.highlighted = position + 1
        elif keep == DEFAULT_CHAIN_ID and not terms:
            option_list.highlighted = 0
        else:
            option_list.highlighted = 1 if terms and shown else 0

    def _render_more(self, highlighted: int) -> None:
        """Near the end of the options shown so far: add the next chunk of matches."""
        shown = self._shown or []
        if self._rendered >= len(shown) or highlighted < self._rendered - CHUNK // 4:
            return
        more = shown[self._rendered : self._rendered + CHUNK]
        self.query_one("#aws-profiles", OptionList).add_options(
            [self._entries[i].option for i in more]
        )
        self._rendered += len(more)

    def action_move_cursor(self, how: str) -> None:
        """Arrows and page keys typed in the filter move the list's cursor."""
        option_list = self.query_one("#aws-profiles", OptionList)
        moves: dict[str, Callable[[], None]] = {
            "up": option_list.action_cursor_up,
            "down": option_list.action_cursor_down,
            "page_up": option_list.action_page_up,
            "page_down": option_list.action_page_down,
        }
        moves[how]()

    # --- the highlighted choice ------------------------------------------------------------

    def _highlighted(self) -> _Entry | str | None:
        """The highlighted entry, DEFAULT_CHAIN_ID for the default chain, None for nothing."""
        option = self.query_one("#aws-profiles", OptionList).highlighted_option
        if option is None or not self._loaded:
            return None
        if option.id == DEFAULT_CHAIN_ID:
            return DEFAULT_CHAIN_ID
        index = self._by_id.get(option.id or "")
        return self._entries[index] if index is not None else None

    @on(OptionList.OptionHighlighted, "#aws-profiles")
    def _highlight_changed(self, event: OptionList.OptionHighlighted) -> None:
        self._render_more(event.option_index)
        choice = self._highlighted()
        detail = self.query_one("#aws-detail", Static)
        if choice == DEFAULT_CHAIN_ID:
            detail.update(DEFAULT_CHAIN_HELP)
        elif isinstance(choice, _Entry):
            detail.update(safe(self._describe(choice)))
        else:
            detail.update("")
        self._show_sso_warning()
        self.refresh_valid()

    @staticmethod
    def _describe(entry: _Entry) -> str:
        profile = entry.profile
        if profile is None:
            return (
                f"{entry.name!r} is not in ~/.aws/config or ~/.aws/credentials any more: "
                "keep it only if it will exist where Claude Code runs."
            )
        parts = [f"{profile.name}: {BADGES.get(profile.kind, '?')}"]
        parts.append(f"region {profile.region}" if profile.region else "no region set")
        if profile.sso_session:
            parts.append(f"sso-session {profile.sso_session}")
        if profile.role_arn:
            parts.append(profile.role_arn)
        text = " · ".join(parts)
        try:
            check_aws_profile(profile.name)
        except ValueError as exc:
            return f"{text}\n⚠ {exc}"
        if profile.issues:
            text += "\n⚠ " + "; ".join(profile.issues)
        return text

    # --- SSO token -------------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="sso-status")
    def _recheck_sso(self) -> None:
        # Reads the (never mutated) list the discovery built; no arguments, so the worker's
        # description does not repr thousands of profiles.
        statuses = sso_statuses([e.profile for e in self._entries if e.profile is not None])
        self.app.call_from_thread(self._sso_checked, statuses)

    def _sso_checked(self, statuses: dict[str, SsoTokenStatus]) -> None:
        if not self.is_mounted:
            return
        self._sso_status = statuses
        self._show_sso_warning()

    def _login_target(self) -> AwsProfile | None:
        """The highlighted SSO profile when its token is expired or missing."""
        choice = self._highlighted()
        if not isinstance(choice, _Entry) or choice.profile is None:
            return None
        if choice.profile.kind != ProfileKind.SSO:
            return None
        if self._sso_status.get(choice.name) not in ("expired", "missing"):
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
        choice = self._highlighted()
        if choice is None:
            return None
        if choice == DEFAULT_CHAIN_ID:
            return self.draft.model_copy(update={"aws_profile": None, "aws_profile_kind": None})
        assert isinstance(choice, _Entry)
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
