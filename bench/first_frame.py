"""Start an app headless and report when its first frame is up (used by bench.py).

The first frame is the first time the app hands the screen it shows to its driver to be
written to the terminal (`App._display`; Textual is pinned exactly). The moment the app is
"ready" (when `auto_pilot` runs) is not that: the minimal app is ready before it has painted
anything, a pushed screen's app after, so a ratio of ready times compares different moments.

Prints `FIRST_FRAME <unix time> <CPU seconds used>` of that first frame, so the caller measures
from the process launch to the first frame itself, not to the end of the app's shutdown.

python bench/first_frame.py app       # cc-aws-tui, through the same factory as the CLI
python bench/first_frame.py minimal   # a minimal Textual app, the yardstick
"""

from __future__ import annotations

import sys
import time
from typing import Any

FRAMES: dict[int, tuple[float, float]] = {}
"""id(screen) -> (unix time, CPU seconds) of its first frame handed to the driver."""


def _record_frames() -> None:
    from textual.app import App

    display = App._display

    def recorded(self: Any, screen: Any, renderable: Any) -> None:
        if renderable is not None:
            FRAMES.setdefault(id(screen), (time.time(), time.process_time()))
        display(self, screen, renderable)

    App._display = recorded  # type: ignore[method-assign]


async def _exit_after_first_frame(pilot: Any) -> None:
    app = pilot.app
    for _ in range(1000):  # bounded: a frame comes within a few event-loop rounds
        if id(app.screen) in FRAMES:
            break
        await pilot.pause()
    else:
        raise SystemExit(f"no frame of {type(app.screen).__name__} was painted")
    at, cpu = FRAMES[id(app.screen)]
    print(f"FIRST_FRAME {at:.6f} {cpu:.6f}", flush=True)
    app.exit()


def main() -> None:
    _record_frames()
    if sys.argv[1:] == ["minimal"]:
        from textual.app import App, ComposeResult
        from textual.widgets import Footer, Header, Static

        class Minimal(App[None]):
            def compose(self) -> ComposeResult:
                yield Header()
                yield Static("hello")
                yield Footer()

        Minimal().run(headless=True, auto_pilot=_exit_after_first_frame)
    else:
        from tui.app import make_app

        make_app().run(headless=True, auto_pilot=_exit_after_first_frame)


if __name__ == "__main__":
    main()
