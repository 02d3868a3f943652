"""The workspaces a profile's credentials can see, to pick one with Enter or a click.

An `OptionList` (the screen's CSS and handlers see the list they always saw) showing each
workspace's name and ID; archived ones and ones without an ID are left out.
"""

from __future__ import annotations

from typing import Any

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from profiles.core.redact import safe


class WorkspaceList(OptionList):
    """One option per active workspace, its id the workspace ID."""

    def show(self, spaces: list[dict[str, Any]], current: str) -> int:
        """Show the active workspaces of a listing, highlighting `current` (a workspace ID) if
        it is one of them. Returns how many are shown (none: the options stay as they were)."""
        active = [w for w in spaces if not w.get("archived") and w.get("id")]
        if not active:
            return 0
        # Names and IDs come from the server: shown with control characters escaped.
        names = {id(w): safe(str(w.get("name") or ""), multiline=False) for w in active}
        width = max(len(n) for n in names.values())
        options: dict[str, Option] = {}
        for w in active:
            ws_id = str(w["id"])
            prompt = Content.assemble(
                (names[id(w)].ljust(width), "bold"),
                "  ",
                (safe(ws_id, multiline=False), "$text-muted"),
            )
            options.setdefault(ws_id, Option(prompt, ws_id))
        self.set_options(options.values())
        if current in options:
            self.highlighted = self.get_option_index(current)
        return len(options)
