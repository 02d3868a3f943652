"""Step: model pins, prompt-cache TTL and (SigV4) Claude Code's awsAuthRefresh command.

Each alias is pinned by typing an ID (suggestions come from the workspace's live model list,
loaded in a thread worker) or left empty, which keeps Claude Code's default. An ID that is
well-formed but not in the loaded list gets a warning, not a block: the list may be
incomplete, and the validate step checks the pins again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, RadioSet, Static

from profiles.core.redact import safe
from profiles.core.rules import check_model_id, check_one_line
from profiles.core.schema import MODEL_ALIASES
from tui.screens.base import StepScreen
from tui.state import Draft
from tui.widgets.toggles import RadioButton
from tui.widgets.validators import Rule
from tui.words import plain

MODEL_RULE = Rule(check_model_id, optional=True)
REFRESH_RULE = Rule(lambda v: check_one_line(v, "the awsAuthRefresh command"), optional=True)
ALIASES_LINE = "These are Claude Code's model aliases: a pin maps one to a model ID."
TTL_NOTE = (
    "Prompt caching: cache writes cost 1.25× the base input price with the 5-minute TTL and "
    "2× with 1 hour; cache reads cost 0.1× either way. 1 hour pays off when you often pause "
    "for more than 5 minutes in a session."
)
REFRESH_NOTE = (
    "Claude Code runs this command when the AWS credentials expire, then retries "
    "(for SSO: aws sso login --profile NAME). Leave it empty for none."
)
UNLISTED_NOTE = "! not offered in this workspace's list: allowed, but validation will flag it"
SHOWN = 8  # model IDs listed in the "Offered here" line


@dataclass(frozen=True)
class ModelList:
    """The outcome of loading the live list: models (id -> display name), or why not."""

    names: dict[str, str] = field(default_factory=dict)
    reason: str | None = None


def fetch_models(draft: Draft, timeout: float) -> ModelList:
    """GET /v1/models for the draft, exactly as Claude Code would authenticate. Blocking."""
    from profiles.core.deadline import Deadline
    from profiles.platform.listing import list_models
    from profiles.store.secrets import SecretError
    from tui.state import draft_secrets

    try:
        profile = draft.to_profile(name=draft.name or "draft")
    except ValueError as exc:
        return ModelList(reason=f"the profile is not complete yet ({exc})")
    deadline = Deadline(timeout)  # secret command, credentials and every page share it
    try:
        secrets = draft_secrets(draft, profile, timeout=deadline)
    except SecretError as exc:
        return ModelList(reason=str(exc))
    names, why = list_models(profile, secrets, deadline)
    return ModelList(reason=why) if names is None else ModelList(names=names)


def for_alias(alias: str, ids: list[str]) -> list[str]:
    """Suggestion order for one alias: its own family first (newest first, as listed)."""
    return sorted(ids, key=lambda i: alias not in i)


class ModelsLoaded(Message, bubble=False):
    def __init__(self, models: ModelList) -> None:
        super().__init__()
        self.models = models


class ModelsScreen(StepScreen):
    CSS_PATH = "../css/finish.tcss"  # loaded when the screen is first shown
    STEP = "models"
    TITLE_TEXT = "Models and prompt cache"
    PURPOSE = "Pin what fable/opus/sonnet/haiku mean, or leave them to Claude Code's defaults."

    BINDINGS: ClassVar[list[BindingType]] = [Binding("f5", "reload_models", "Reload list")]

    def __init__(self, draft: Draft, position: int, total: int) -> None:
        super().__init__(draft, position, total)
        self.models: ModelList | None = None

    def compose_body(self) -> ComposeResult:
        # Server and botocore messages land here: never parse them as markup.
        yield Static(
            "Loading the models offered in this workspace…", id="models-offered", markup=False
        )
        yield Static(ALIASES_LINE, id="aliases-note", classes="field-note")
        for alias in MODEL_ALIASES:
            with Horizontal(classes="model-row"):
                yield Label(alias, classes="model-alias")
                yield Input(
                    self.draft.models.get(alias, ""),
                    placeholder="unpinned: Claude Code's default",
                    id=f"model-{alias}",
                    classes="model-input",
                    validators=[MODEL_RULE],
                    valid_empty=True,
                    suggester=SuggestFromList([]),
                )
                yield Static("", id=f"model-{alias}-note", classes="model-note", markup=False)
        yield Label("Prompt-cache TTL", classes="field-label")
        with RadioSet(id="ttl"):
            yield RadioButton(
                "5 minutes (default)", id="ttl-5m", value=self.draft.cache_ttl != "1h"
            )
            yield RadioButton("1 hour", id="ttl-1h", value=self.draft.cache_ttl == "1h")
        yield Static(TTL_NOTE, id="ttl-note", classes="help")
        if self._uses_refresh():
            yield Label("awsAuthRefresh (optional)", classes="field-label")
            placeholder = f"aws sso login --profile {self.draft.aws_profile or 'NAME'}"
            yield Input(
                self.draft.aws_auth_refresh,
                placeholder=placeholder,
                id="auth-refresh",
                validators=[REFRESH_RULE],
                valid_empty=True,
            )
            yield Static("", id="auth-refresh-error", classes="field-error", markup=False)
            yield Static(REFRESH_NOTE, classes="help")

    def _uses_refresh(self) -> bool:
        return self.draft.auth == "sigv4" and not self.draft.gateway_signs

    def on_mount(self) -> None:
        for alias in MODEL_ALIASES:
            self._update_note(alias)
        self.query_one("#model-fable", Input).focus()
        self.load_models(float(getattr(self.app, "check_timeout", 10.0)))

    def on_screen_resume(self) -> None:
        """Back on this step: a list that could not be loaded is tried again."""
        if self.models is not None and self.models.reason is not None:
            self.action_reload_models()

    def action_reload_models(self) -> None:
        """Load the live model list again (f5): the server may be back, the token renewed."""
        self.query_one("#models-offered", Static).update(
            "Loading the models offered in this workspace…"
        )
        self.load_models(float(getattr(self.app, "check_timeout", 10.0)))

    @work(thread=True, exclusive=True, exit_on_error=False, group="models")
    def load_models(self, timeout: float) -> None:
        self.post_message(ModelsLoaded(fetch_models(self.draft, timeout)))

    @on(ModelsLoaded)
    def _loaded(self, message: ModelsLoaded) -> None:
        self.models = message.models
        offered = self.query_one("#models-offered", Static)
        ids = list(message.models.names)
        if message.models.reason is not None:
            offered.update(
                f"Model list unavailable: {safe(plain(message.models.reason))}."
                " Type an ID or leave it unpinned."
            )
            offered.add_class("-unavailable")
        elif not ids:
            offered.update("This workspace lists no models. Type an ID or leave it unpinned.")
            offered.add_class("-unavailable")
        else:
            more = f" … (+{len(ids) - SHOWN})" if len(ids) > SHOWN else ""
            shown = ", ".join(safe(i, multiline=False) for i in ids[:SHOWN])
            offered.update(f"Offered here: {shown}{more}")
            offered.remove_class("-unavailable")
        # Suggest only what could be pinned: an ID from the server is shown as typed text.
        pinnable = [i for i in ids if MODEL_RULE.validate(i).is_valid]
        for alias in MODEL_ALIASES:
            self.query_one(f"#model-{alias}", Input).suggester = SuggestFromList(
                for_alias(alias, pinnable)
            )
            self._update_note(alias)

    def _update_note(self, alias: str) -> None:
        value = self.query_one(f"#model-{alias}", Input).value
        note = self.query_one(f"#model-{alias}-note", Static)
        check = MODEL_RULE.validate(value)
        names = self.models.names if self.models else {}
        kind, text = "", ""
        if not check.is_valid:
            kind, text = "error", "; ".join(check.failure_descriptions)
        elif value.strip() and names and value not in names:
            kind, text = "warning", UNLISTED_NOTE
        elif value in names:
            text = names[value]
        note.update(safe(text))
        note.display = bool(text)  # an empty note takes no row where notes go under fields
        note.set_class(kind == "error", "field-error")
        note.set_class(kind == "warning", "-warning")

    @on(Input.Changed, ".model-input")
    def _model_changed(self, event: Input.Changed) -> None:
        alias = (event.input.id or "").removeprefix("model-")
        self._update_note(alias)
        self.refresh_valid()

    @on(Input.Changed, "#auth-refresh")
    def _refresh_changed(self, event: Input.Changed) -> None:
        check = REFRESH_RULE.validate(event.value)
        error = "" if check.is_valid else "; ".join(check.failure_descriptions)
        self.query_one("#auth-refresh-error", Static).update(error)
        self.refresh_valid()

    @on(RadioSet.Changed, "#ttl")
    def _ttl_changed(self) -> None:
        self.refresh_valid()

    def updated_draft(self) -> Draft | None:
        models: dict[str, str] = {}
        for alias in MODEL_ALIASES:
            value = self.query_one(f"#model-{alias}", Input).value
            if not MODEL_RULE.validate(value).is_valid:
                return None
            if value.strip():
                models[alias] = value
        refresh = ""
        if self._uses_refresh():
            refresh = self.query_one("#auth-refresh", Input).value
            if not REFRESH_RULE.validate(refresh).is_valid:
                return None
        # The button's own value: RadioSet.pressed_button lags until its message is handled.
        ttl = "1h" if self.query_one("#ttl-1h", RadioButton).value else "5m"
        return self.draft.model_copy(
            update={"models": models, "cache_ttl": ttl, "aws_auth_refresh": refresh}
        )
