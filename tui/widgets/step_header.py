"""The wizard's progress line ("Step 2 of 6", or "Editing dev · step 2 of 6" when a saved
profile is edited) and the step's title and one-line purpose."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Static


class StepHeader(Widget):
    DEFAULT_CSS = """
    StepHeader { height: auto; padding: 0 1; }
    StepHeader #top { height: auto; }
    StepHeader #progress { width: auto; color: $text-muted; padding-right: 2; }
    StepHeader #title { width: 1fr; text-style: bold; color: $accent; }
    StepHeader #purpose { color: $text; }
    """

    def __init__(
        self, title: str, purpose: str, position: int, total: int, editing: str | None = None
    ) -> None:
        super().__init__()
        self._editing = editing
        self._title = title
        self._purpose = purpose
        self._position = position
        self._total = total

    def compose(self) -> ComposeResult:
        dots = "".join("●" if i <= self._position else "○" for i in range(1, self._total + 1))
        where = f"Step {self._position} of {self._total}"
        if self._editing is not None:
            where = f"Editing {self._editing} · step {self._position} of {self._total}"
        # Literal: a profile's name is the user's text.
        with Horizontal(id="top"):  # one line for where you are and what is asked
            yield Static(f"{dots}  {where}", id="progress", markup=False)
            yield Static(self._title, id="title")
        yield Static(self._purpose, id="purpose")
