"""The F1 keys panel, listing this app's keys only.

Textual's HelpPanel lists every active binding, so a focused Input or a scrolling container
adds a screenful of generic keys (pgup, home, end, "Move cursor left a word") that bury the
few this app defines. This panel is Textual's, with a table that keeps only the bindings the
app, its screens and its own widgets declare (modules under `tui.`).
"""

from __future__ import annotations

from collections import defaultdict

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.dom import DOMNode
from textual.widgets import HelpPanel, KeyPanel
from textual.widgets._key_panel import BindingsTable


def is_ours(namespace: DOMNode) -> bool:
    """A binding declared by this app (its App, a screen or a widget of ours)."""
    return type(namespace).__module__.partition(".")[0] == "tui"


class AppBindingsTable(BindingsTable):
    def render_bindings_table(self) -> Table:
        key_style = self.get_component_rich_style("bindings-table--key")
        description_style = self.get_component_rich_style("bindings-table--description")
        table = Table(padding=(0, 0), show_header=False, box=None)
        table.add_column("", justify="right")
        table.add_column("")
        by_action: defaultdict[str, list[Binding]] = defaultdict(list)
        for namespace, binding, _enabled, _tooltip in self.screen.active_bindings.values():
            if is_ours(namespace) and binding.description and not binding.system:
                by_action[binding.action].append(binding)
        for bindings in by_action.values():
            keys = " ".join(dict.fromkeys(self.app.get_key_display(b) for b in bindings))
            table.add_row(
                Text(keys, style=key_style, end=""),
                Text(f" {bindings[0].description}", style=description_style, end=""),
            )
        return table


class AppKeyPanel(KeyPanel, can_focus=False):
    def compose(self) -> ComposeResult:
        yield AppBindingsTable(shrink=True, expand=False)


class KeysPanel(HelpPanel):
    """Textual's help panel with this app's keys only (and no generic widget help)."""

    def compose(self) -> ComposeResult:
        yield AppKeyPanel(id="keys-help")
