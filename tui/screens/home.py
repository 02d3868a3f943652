"""Home: the saved profiles, the current one marked, and what you can do with them.

The Settings column lists the Claude Code settings files each profile was applied to, as the
core judges them (claude.sync.applied_states): a scope's name, `scope:project` for a project
other than the working directory's, ⚠ when the file drifted (it no longer holds what the
profile would write now), ✗ when it cannot be re-applied to. For the selected profile a line
under the table says why, and `r` re-applies it (after a confirmation).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from rich.markup import escape as escape_markup
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from profiles.core import envplan
from profiles.core.redact import safe
from profiles.core.schema import Profile
from profiles.store import history
from profiles.store.files import ConfigError, read_doc, read_secrets
from tui.messages import ProfileAction

if TYPE_CHECKING:
    from profiles.claude.sync import AppliedState

_MARKS: Mapping[str, str] = {"in-step": "", "drifted": " ⚠", "unusable": " ✗"}


def applied_cell(states: Iterable[AppliedState]) -> str:
    """The Settings cell: each file a profile was applied to, marked when it is not in step."""
    labels = []
    for s in states:
        where = s.scope if s.here or s.project is None else f"{s.scope}:{s.project.name}"
        labels.append(where + _MARKS[s.state])
    return ", ".join(labels) or "-"


def drift_text(name: str, states: Iterable[AppliedState]) -> str:
    """What the line under the table says for the selected profile: each file not in step,
    and why; empty when every file holds the profile."""
    lines = []
    for s in states:
        if s.state == "drifted":
            what = f" ({', '.join(s.keys)})" if s.keys else ""
            lines.append(f"⚠ {s.path} ({s.scope}): {s.reason}{what}. r re-applies {name}.")
        elif s.state == "unusable":
            lines.append(f"✗ {s.path} ({s.scope}): {s.reason}")
    return "\n".join(lines)


def credentials_cell(profile: Profile, file_secrets: Any) -> str:
    if profile.auth == "sigv4":
        if profile.gateway_signs:
            return "gateway signs"
        return profile.aws_profile or "default chain"
    if profile.api_key_store == "file":
        value = (file_secrets.get(profile.name) or {}).get("api_key")
        return envplan.mask(value) if isinstance(value, str) else "key missing"
    return f"key in {profile.api_key_store}"


def credential_cells(profiles: Mapping[str, Profile]) -> dict[str, str]:
    """The Credentials column. secrets.toml is read here and only masked values leave, so no
    secret sits in a caller's locals (a crash report would print them)."""
    file_secrets = read_secrets()
    return {name: credentials_cell(p, file_secrets) for name, p in profiles.items()}


# The table's columns (key, header), and which are left out below a terminal width so that
# Name, Region, Checked and Settings stay in view without scrolling sideways.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("marker", " "),
    ("name", "Name"),
    ("auth", "Auth"),
    ("credentials", "Credentials"),
    ("workspace", "Workspace"),
    ("region", "Region"),
    ("pins", "Pins"),
    ("ttl", "TTL"),
    ("checked", "Checked"),
    ("settings", "Settings"),
)
DROPPED: tuple[tuple[int, frozenset[str]], ...] = (
    (124, frozenset()),
    (100, frozenset({"workspace"})),
    (80, frozenset({"workspace", "auth", "pins"})),
    (0, frozenset({"workspace", "auth", "pins", "credentials", "ttl"})),
)


def columns_for(width: int) -> list[str]:
    """The keys of the columns shown in a terminal `width` cells wide."""
    dropped = next(d for least, d in DROPPED if width >= least)
    return [key for key, _ in COLUMNS if key not in dropped]


def age(seconds: float) -> str:
    if seconds < 90:
        return "just now"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min ago"
    if seconds < 129600:
        return f"{seconds / 3600:.0f} h ago"
    return f"{seconds / 86400:.0f} d ago"


# What "current" changes: what `export` without a name prints, never the shell already open.
CURRENT_LINE = "New shells and a bare `cc-aws-tui export` use it; open shells keep theirs."


class HomeScreen(Screen[None]):
    CSS_PATH = "../css/home.tcss"  # loaded when the screen is first shown
    ACTIONS: ClassVar[dict[str, str]] = {
        "new": "Create a profile with the wizard",
        "edit": "Edit the selected profile",
        "duplicate": "Copy the selected profile under a new name",
        "delete": "Delete the selected profile and its secrets",
        "use": "Make the selected profile the current one",
        "validate": "Check live that the selected profile works",
        "copy": "Copy the export line of the selected profile",
        "reapply": "Apply the selected profile again to the Claude Code settings that drifted",
    }
    BINDINGS: ClassVar[list[Binding | tuple[str, str] | tuple[str, str, str]]] = [
        Binding("n", "act('new')", "New"),
        Binding("e", "act('edit')", "Edit"),
        Binding("d", "act('duplicate')", "Dup"),
        Binding("delete,x", "act('delete')", "Del"),
        Binding("u", "act('use')", "Use"),
        Binding("v", "act('validate')", "Check"),
        Binding("c", "act('copy')", "Copy"),
        # Shown only while the selected profile has a settings file that drifted.
        Binding("r", "act('reapply')", "Re-apply"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.applied: dict[str, list[AppliedState]] = {}
        """Each profile's settings files and whether they hold it, as last loaded."""
        self.shown_columns: list[str] = []
        """The keys of the table's columns, chosen for the terminal's width."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="home-empty")
        # The marker and name stay in view when the table scrolls sideways.
        yield DataTable(id="profiles", cursor_type="row", zebra_stripes=True, fixed_columns=2)
        yield Static("", id="home-drift", markup=False)
        yield Static("", id="home-hint")
        yield Footer()

    def on_mount(self) -> None:
        self._set_columns(self.app.size.width)
        self.reload()

    def on_resize(self) -> None:
        if columns_for(self.app.size.width) != self.shown_columns:
            selected = self.selected_name()  # new columns clear the rows, the cursor with them
            self._set_columns(self.app.size.width)
            self.reload(selected)
            if self.applied:
                self._show_applied(self.applied)

    def _set_columns(self, width: int) -> None:
        table = self.query_one(DataTable)
        table.clear(columns=True)
        self.shown_columns = columns_for(width)
        headers = dict(COLUMNS)
        for key in self.shown_columns:
            table.add_column(headers[key], key=key)

    def reload(self, selected: str | None = None) -> None:
        """Re-read the profiles (a small local file) and redraw the table, the cursor kept on
        `selected` (by default the row it is on)."""
        table = self.query_one(DataTable)
        selected = selected or self.selected_name()
        table.clear()
        try:
            doc = read_doc()
            credentials = credential_cells(doc.profiles)
        except ConfigError as exc:
            # The message quotes the file; Text keeps its brackets from being read as markup.
            self.query_one("#home-empty", Static).update(Text(safe(f"Cannot read profiles\n{exc}")))
            self.query_one("#home-empty").display = True
            return
        results = history.load()
        now = time.time()
        for name in sorted(doc.profiles):
            p = doc.profiles[name]
            result = results.get(name)
            checked = "-"
            if result:
                mark = "✓" if result.get("ok") else "✗"
                checked = f"{mark} {age(now - float(result.get('at', now)))}"
            # Cells are Text, never markup; what came from files is shown with controls escaped.
            cells: dict[str, object] = {
                "marker": "●" if name == doc.current else "",
                "name": Text(safe(name, multiline=False)),
                "auth": p.auth,
                "credentials": Text(safe(credentials[name], multiline=False)),
                "workspace": Text(safe(p.workspace_id, multiline=False)),
                "region": Text(safe(p.region, multiline=False)),
                "pins": ", ".join(p.models) or "-",  # which aliases are pinned; see `show`
                "ttl": p.cache_ttl,
                "checked": checked,
                "settings": "…",
            }
            table.add_row(*(cells[k] for k in self.shown_columns), key=name)
        empty = not doc.profiles
        self.query_one("#home-empty", Static).update(
            "No profiles yet. Press [b]n[/b] to create one with the wizard." if empty else ""
        )
        self.query_one("#home-empty").display = empty
        shown = escape_markup(safe(doc.current or "", multiline=False))
        current = f"Current profile: [b]{shown}[/b]. " if doc.current else ""
        hint = f'{current}In a shell: eval "$(cc-aws-tui export NAME)"'
        if doc.current:
            hint += f"\n{CURRENT_LINE}"
        self.query_one("#home-hint", Static).update(hint if not empty else "")
        # After the first paint: the worker's import would compete with it for the GIL.
        self.call_after_refresh(self.load_applied, [doc.profiles[n] for n in sorted(doc.profiles)])
        if selected is not None and selected in doc.profiles:
            table.move_cursor(row=table.get_row_index(selected))

    def selected_name(self) -> str | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return str(key.value) if key.value is not None else None

    def action_act(self, action: str) -> None:
        self.post_message(ProfileAction(action, None if action == "new" else self.selected_name()))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`r` (re-apply) is offered only while the selected profile has drifted somewhere."""
        if action == "act" and parameters == ("reapply",):
            name = self.selected_name()
            return name is not None and any(
                s.state == "drifted" for s in self.applied.get(name, ())
            )
        return True

    def act(self, action: str) -> None:
        self.action_act(action)

    @work(thread=True, exclusive=True, exit_on_error=False, group="applied-scopes")
    def load_applied(self, profiles: list[Profile]) -> None:
        """Which Claude Code settings files each profile was applied to, and whether they still
        hold it (file reads and dry runs, after the first frame: the settings modules alone
        cost ~40 ms to import). No secret is resolved for it."""
        from profiles.claude.sync import applied_states

        applied = {p.name: applied_states(p) for p in profiles}
        self.app.call_from_thread(self._show_applied, applied)

    def _show_applied(self, applied: dict[str, list[AppliedState]]) -> None:
        self.applied = applied
        table = self.query_one(DataTable)
        for name, states in applied.items():
            if name in table.rows:
                # A project's name comes from the record: its brackets are not markup.
                cell = escape_markup(safe(applied_cell(states), multiline=False))
                table.update_cell(name, "settings", cell, update_width=True)
        self._show_drift()

    @on(DataTable.RowHighlighted, "#profiles")
    def _show_drift(self) -> None:
        name = self.selected_name()
        text = drift_text(name, self.applied.get(name, ())) if name is not None else ""
        drift = self.query_one("#home-drift", Static)
        drift.update(safe(text))
        drift.display = bool(text)
        self.refresh_bindings()
