"""What every wizard step shares: header, body, Back/Next, bindings, the draft it edits.

A step gets the current draft (attributes down). It says whether its inputs are valid
(`updated_draft` returns None while they are not, and Next stays disabled), and on Next it
posts `StepCompleted` with the updated draft (messages up); the app moves the wizard on.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Header

from tui.messages import StepBack, StepCompleted
from tui.state import Draft
from tui.widgets.step_header import StepHeader

NARROW = 80  # columns below which a note beside a field goes under it (CSS: .-narrow)


class StepScreen(Screen[None]):
    STEP: ClassVar[str] = ""
    TITLE_TEXT: ClassVar[str] = ""
    PURPOSE: ClassVar[str] = ""
    NEXT_LABEL: ClassVar[str] = "Next"

    BINDINGS: ClassVar[list[Binding | tuple[str, str] | tuple[str, str, str]]] = [
        Binding("escape", "back", "Back"),
        Binding("ctrl+n", "next", "Next", show=True, priority=True),
    ]

    def __init__(self, draft: Draft, position: int, total: int) -> None:
        super().__init__()
        # The footer says what ctrl+n does here ("Save" on the last step).
        self._bindings.key_to_bindings["ctrl+n"] = [
            Binding("ctrl+n", "next", self.NEXT_LABEL, priority=True)
        ]
        self.draft = draft
        self.position = position
        self.total = total

    def compose(self) -> ComposeResult:
        self._fit_width(self.app.size.width)
        yield Header()
        with VerticalScroll(id="step-body"):
            yield StepHeader(
                self.TITLE_TEXT,
                self.PURPOSE,
                self.position,
                self.total,
                editing=self.draft.original_name,
            )
            yield from self.compose_body()
        with Horizontal(id="nav"):
            yield Button("Back", id="back")
            yield Button(self.NEXT_LABEL, id="next", variant="primary")
        yield Footer()

    def on_resize(self, event: events.Resize) -> None:
        self._fit_width(event.size.width)

    def _fit_width(self, width: int) -> None:
        self.set_class(width < NARROW, "-narrow")

    def compose_body(self) -> ComposeResult:
        raise NotImplementedError
        yield  # pragma: no cover

    def updated_draft(self) -> Draft | None:
        """The draft with this step's answers, or None while they are not valid."""
        raise NotImplementedError

    def on_mount(self) -> None:
        self.refresh_valid()

    def refresh_valid(self) -> None:
        self.query_one("#next", Button).disabled = self.updated_draft() is None

    @on(Button.Pressed, "#next")
    def action_next(self) -> None:
        draft = self.updated_draft()
        if draft is not None:
            self.post_message(StepCompleted(self.STEP, draft))
        else:
            self.explain_not_ready()

    def explain_not_ready(self) -> None:
        """Next was asked for while the answers are not valid: a step may say why."""

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        # Esc with the keys panel open closes the panel, and only that.
        from textual.widgets import HelpPanel

        if self.query(HelpPanel):
            self.app.action_hide_help_panel()
            return
        self.post_message(StepBack(self.STEP))
