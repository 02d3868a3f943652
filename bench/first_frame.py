"""Start an app headless and report when its first frame is up (used by bench.py).

Prints `FIRST_FRAME <unix time> <CPU seconds used>` at that moment, so the caller measures from
the process launch to the first frame itself, not to the end of the app's shutdown.

python bench/first_frame.py app       # cc-aws-tui, through the same factory as the CLI
python bench/first_frame.py minimal   # a minimal Textual app, the yardstick
"""

from __future__ import annotations

import sys
import time


async def _exit_now(pilot: object) -> None:
    # auto_pilot runs once the app is ready, i.e. its first screen has been composed
    # and painted.
    print(f"FIRST_FRAME {time.time():.6f} {time.process_time():.6f}", flush=True)
    pilot.app.exit()  # type: ignore[attr-defined]


def main() -> None:
    if sys.argv[1:] == ["minimal"]:
        from textual.app import App, ComposeResult
        from textual.widgets import Footer, Header, Static

        class Minimal(App[None]):
            def compose(self) -> ComposeResult:
                yield Header()
                yield Static("hello")
                yield Footer()

        Minimal().run(headless=True, auto_pilot=_exit_now)
    else:
        from tui.app import make_app

        make_app().run(headless=True, auto_pilot=_exit_now)


if __name__ == "__main__":
    main()
