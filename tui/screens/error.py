"""A file we cannot use: say which, where and what to do; change nothing."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from profiles.core.redact import safe


class ErrorScreen(Screen[None]):
    CSS_PATH = "../css/error.tcss"  # loaded when the screen is first shown
    BINDINGS: ClassVar[list[Binding | tuple[str, str] | tuple[str, str, str]]] = [
        Binding("q,escape", "app.quit", "Quit"),
    ]

    def __init__(self, title: str, detail: str) -> None:
        super().__init__()
        self._title = title
        self._detail = detail

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="error-box"):
            # The detail quotes the file (its text may hold escapes or markup): shown safe.
            yield Static(safe(self._title), id="error-title", markup=False)
            yield Static(safe(self._detail), id="error-detail", markup=False)
            yield Static(
                "Nothing was changed. Fix the file in an editor, then start cc-aws-tui again.",
                id="error-hint",
            )
        yield Footer()
