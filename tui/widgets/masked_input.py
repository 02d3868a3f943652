"""A secret field: an `Input(password=True)` with a Show/Hide toggle (button or ctrl+r).

The value is masked unless the user reveals it, so a screenshot or snapshot never shows a
secret by accident. The inner `Input` posts the usual `Input.Changed` / `Input.Submitted`
(give it an id with `input_id` to handle them with `@on(Input.Changed, "#that-id")`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.validation import Validator
from textual.widget import Widget
from textual.widgets import Button, Input


class MaskedInput(Widget):
    """An input for secrets, masked until revealed."""

    DEFAULT_CSS = """
    MaskedInput {
        layout: horizontal;
        height: auto;
        width: 1fr;
    }
    MaskedInput > Input {
        width: 1fr;
    }
    MaskedInput > .masked-toggle {
        width: 8;
        min-width: 8;
        margin: 1 0 0 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "toggle_reveal", "Show/hide", show=True),
    ]

    revealed: reactive[bool] = reactive(False, init=False)
    """Whether the value is shown in clear."""

    def __init__(
        self,
        value: str = "",
        *,
        placeholder: str = "",
        validators: Validator | Iterable[Validator] | None = None,
        input_id: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(id=id, classes=classes, disabled=disabled)
        self._initial = value
        self._placeholder = placeholder
        self._validators = validators
        self._input_id = input_id

    def compose(self) -> ComposeResult:
        yield Input(
            self._initial,
            placeholder=self._placeholder,
            password=True,
            validators=self._validators,
            id=self._input_id,
        )
        toggle = Button("Show", classes="masked-toggle", compact=True)
        toggle.can_focus = False  # Tab goes from the field to the next field; ctrl+r toggles
        yield toggle

    @property
    def input(self) -> Input:
        """The inner `Input`."""
        return self.query_one(Input)

    @property
    def value(self) -> str:
        return self.input.value

    @value.setter
    def value(self, value: str) -> None:
        self.input.value = value

    def focus(self, scroll_visible: bool = True) -> MaskedInput:
        self.input.focus(scroll_visible)
        return self

    def action_toggle_reveal(self) -> None:
        self.revealed = not self.revealed

    def watch_revealed(self, revealed: bool) -> None:
        self.input.password = not revealed
        self.query_one(".masked-toggle", Button).label = "Hide" if revealed else "Show"

    @on(Button.Pressed, ".masked-toggle")
    def _toggle_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_toggle_reveal()
        self.input.focus()  # a click lands on the scroll container; keep typing in the field
