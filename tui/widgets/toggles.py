"""Radio buttons and checkboxes whose glyph says their state, not only their colour.

Textual draws a selected and an unselected radio button with the same ● (and a checkbox with
the same X), told apart by colour alone: under NO_COLOR or on a monochrome terminal they look
alike. These draw ● / ○ and ✓ / a blank, so the state reads without colour.
"""

from __future__ import annotations

from textual.widgets import Checkbox as _Checkbox
from textual.widgets import RadioButton as _RadioButton


class RadioButton(_RadioButton):
    """A radio button drawn ● when selected and ○ when not."""

    # Textual draws self.BUTTON_INNER: read from the instance, it follows the value.
    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]
        return "●" if self.value else "○"


class Checkbox(_Checkbox):
    """A checkbox drawn ✓ when ticked and blank when not."""

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]
        return "✓" if self.value else " "
