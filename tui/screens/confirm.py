"""A yes/no dialog (delete a profile, discard unsaved answers, re-apply a profile)."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Static


class ConfirmScreen(ModalScreen[bool]):
    CSS_PATH = "../css/dialog.tcss"  # loaded when the screen is first shown
    BINDINGS: ClassVar[list[Binding | tuple[str, str] | tuple[str, str, str]]] = [
        Binding("escape", "dismiss(False)", "Cancel"),
        Binding("tab", "app.focus_next", "Other button"),
    ]

    def __init__(self, title: str, detail: str, confirm_label: str) -> None:
        super().__init__()
        self._title = title
        self._detail = detail
        self._confirm = confirm_label

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            # Literal text: a detail may quote paths from a repository, brackets and all.
            yield Static(self._title, id="dialog-title", markup=False)
            yield Static(self._detail, id="dialog-detail", markup=False)
            with Horizontal(id="dialog-buttons"):
                yield Button("Cancel", id="cancel")
                yield Button(self._confirm, id="confirm", variant="error")
        # Its own footer: without it the screen below shows through with keys that do
        # nothing here.
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()

    @on(Button.Pressed, "#confirm")
    def _yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def _no(self) -> None:
        self.dismiss(False)
