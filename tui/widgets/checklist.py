"""A live checklist: one row per check, a spinner while it runs, then ✓ / ! / ✗ / – and why.

Reusable and self-contained (its look is in `DEFAULT_CSS`). It knows nothing of how checks run:
the owner calls `reset(ids)` when a run starts and `set_result(result)` as each one ends.

The spinner is one timer for the whole list, running only while a row is pending. It is frozen
to a static "…" when nobody can watch it move: when the app is headless (Pilot and snapshot
tests, so frames never depend on timing), when the user asked for no animation
(`TEXTUAL_ANIMATIONS=none`), or when `CheckList.ANIMATE` is set to False.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.timer import Timer
from textual.widget import Widget

from profiles.core.redact import safe
from profiles.platform.results import ORDER, TITLES, CheckResult
from tui.words import plain

GLYPHS = {"pass": "✓", "warn": "!", "fail": "✗", "skip": "–"}
SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
FROZEN = "…"
TITLE_WIDTH = max(len(t) for t in TITLES.values()) + 1  # two spaces before the summary, as the CLI


class CheckRow(Widget):
    """One check: glyph, title, summary, and the remedy under a warning or failure."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "check-row--pending",
        "check-row--pass",
        "check-row--warn",
        "check-row--fail",
        "check-row--skip",
        "check-row--title",
        "check-row--muted",
        "check-row--remedy",
    }

    def __init__(self, check_id: str) -> None:
        super().__init__(id=f"check-{check_id}")
        self.check_id = check_id
        self.result: CheckResult | None = None
        self.frame = FROZEN

    @property
    def pending(self) -> bool:
        return self.result is None

    def show(self, result: CheckResult | None, frame: str = FROZEN) -> None:
        self.result = result
        self.frame = frame
        self.set_class(result is None, "-pending")
        for status in GLYPHS:
            self.set_class(result is not None and result.status == status, f"-{status}")
        self.refresh(layout=True)

    def tick(self, frame: str) -> None:
        self.frame = frame
        self.refresh()

    def render(self) -> RenderableType:
        style = self.get_component_rich_style
        result = self.result
        if result is None:
            glyph = Text(self.frame, style=style("check-row--pending"))
            details = Text("checking…", style=style("check-row--muted"))
        else:
            glyph = Text(GLYPHS[result.status], style=style(f"check-row--{result.status}"))
            muted = result.status == "skip"
            # Results are made safe where they are produced (checks.Report.safe_result); a
            # result built elsewhere (`stop`, a test) is made safe here all the same.
            summary = safe(plain(result.summary), multiline=False)
            details = Text(summary, style=style("check-row--muted") if muted else "")
            if result.remedy and result.status in ("warn", "fail"):
                remedy = safe(plain(result.remedy), multiline=False)
                details.append(f"\n→ {remedy}", style=style("check-row--remedy"))
        grid = Table.grid(padding=(0, 1), expand=True)
        grid.add_column(width=1, no_wrap=True)
        grid.add_column(width=TITLE_WIDTH, no_wrap=True)
        grid.add_column(ratio=1)
        grid.add_row(glyph, Text(TITLES[self.check_id], style=style("check-row--title")), details)
        return grid


class CheckList(Widget):
    """Rows for the checks of one run, in the engine's order."""

    DEFAULT_CSS = """
    CheckList { height: auto; }
    CheckRow { height: auto; padding: 0 1; }
    CheckRow > .check-row--pending { color: $accent; }
    CheckRow > .check-row--pass { color: $success; text-style: bold; }
    CheckRow > .check-row--warn { color: $warning; text-style: bold; }
    CheckRow > .check-row--fail { color: $error; text-style: bold; }
    CheckRow > .check-row--skip { color: $text-muted; }
    CheckRow > .check-row--title { text-style: bold; }
    CheckRow > .check-row--muted { color: $text-muted; }
    CheckRow > .check-row--remedy { color: $text-warning; }
    """

    ANIMATE: ClassVar[bool] = True
    """Set to False to freeze every spinner (the glyph stays "…")."""
    INTERVAL: ClassVar[float] = 0.08

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._frame = 0
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        # Every possible row exists from the start; a run shows the ones it needs. Nothing is
        # mounted later, so a result can never arrive before its row.
        for check_id in ORDER:
            row = CheckRow(check_id)
            row.display = False
            yield row

    @property
    def animated(self) -> bool:
        app = self.app
        return self.ANIMATE and not app.is_headless and app.animation_level != "none"

    def on_mount(self) -> None:
        if self.animated:
            self._timer = self.set_interval(self.INTERVAL, self._tick, pause=True)

    def row(self, check_id: str) -> CheckRow:
        return self.query_one(f"#check-{check_id}", CheckRow)

    def reset(self, ids: Iterable[str]) -> None:
        """Start a run: the rows of `ids` (any order; shown in ORDER) become pending."""
        wanted = set(ids)
        for row in self.query(CheckRow):
            row.display = row.check_id in wanted
            row.show(None, self._glyph())
        self._sync_timer()

    def set_result(self, result: CheckResult) -> None:
        row = self.row(result.id)
        row.display = True
        row.show(result)
        self._sync_timer()

    def stop(self, summary: str = "cancelled") -> None:
        """End a run early: pending rows become skipped with `summary`."""
        for row in self.pending_rows():
            row.show(CheckResult(row.check_id, "skip", summary))
        self._sync_timer()

    def pending_rows(self) -> list[CheckRow]:
        return [r for r in self.query(CheckRow) if r.display and r.pending]

    def results(self) -> dict[str, CheckResult]:
        """The results shown so far, by check id."""
        return {r.check_id: r.result for r in self.query(CheckRow) if r.display and r.result}

    def _glyph(self) -> str:
        return SPINNER[self._frame % len(SPINNER)] if self._timer is not None else FROZEN

    def _sync_timer(self) -> None:
        if self._timer is None:
            return
        if self.pending_rows():
            self._timer.resume()
        else:
            self._timer.pause()

    def _tick(self) -> None:
        self._frame += 1
        glyph = self._glyph()
        for row in self.pending_rows():
            row.tick(glyph)
