"""Latency of one filter keystroke in the AWS-profile picker over 2,000 AWS profiles.

Run by bench.py in a subprocess of its own (so this app's imports and threads do not touch
the other timings); it can also be run by hand:

    python bench/filter_latency.py [--keys 20] [--json]

It writes 2,000 AWS profiles (half SSO, half credential_process, as in a large organisation)
to a throwaway AWS config, runs the app headless at 100x32 through the CLI's factory
(`make_app().run_test`), opens the picker and types into its filter, alternating a character
and backspace so that every keystroke really re-filters (2,000 -> some -> 2,000). Two timings
per keystroke, each the median of `--keys` keystrokes after a few unmeasured ones:

- key -> frame: from the key event entering the app (as the terminal driver delivers it) to
  the first frame rendered with the new filter applied, terminal bytes included (headless
  Textual renders the frame but skips building the bytes; they are built here). This is the
  delay the user sees, bar the terminal's own drawing, and what the target line refers to.
- Pilot settle: `await pilot.press(key); await pilot.pause()`. Pilot's idle detection sleeps
  in steps of 20 ms (three times at least, ~60 ms per key), so this reads high; it is kept as
  the plain, tool-agnostic measure.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.pilot import Pilot
    from textual.widgets import Static

    from tui.app import CcAwsTuiApp

PROFILES = 2000
WARMUP = 4  # keystrokes before the measured ones (first paint of the options, caches)
TYPED = "0123456789"  # one character per pair, each matching a different subset
MATCHES = re.compile(rf"([\d,]+) of {PROFILES:,} AWS profiles match")
ALL = f"{PROFILES:,} AWS profiles"
FRAME_TIMEOUT = 10.0  # seconds: a keystroke that never shows is an error, not a hang


def write_aws_config(path: Path, count: int) -> None:
    """`count` AWS profiles in one config file."""
    lines = ["[sso-session corp]", "sso_start_url = https://corp.example/start",
             "sso_region = us-east-1", ""]  # fmt: skip
    for i in range(count):
        name = f"team{i % 37}-{'svc' if i % 2 else 'app'}{i}"
        if i % 2:
            lines += [f"[profile {name}]", "sso_session = corp", "sso_account_id = 111122223333",
                      "sso_role_name = Developer", f"region = eu-west-{1 + i % 3}", ""]  # fmt: skip
        else:
            lines += [f"[profile {name}]", "credential_process = /bin/true",
                      "region = us-east-1", ""]  # fmt: skip
    path.write_text("\n".join(lines))


def isolate(tmp: Path) -> None:
    """Point HOME, the AWS files and our config at `tmp`; write the profiles there."""
    for name in list(os.environ):
        if name.startswith(("AWS_", "ANTHROPIC_", "CLAUDE_CODE_", "CC_AWS_TUI_")):
            del os.environ[name]
    home = tmp / "home"
    (home / ".aws").mkdir(parents=True)
    config = home / ".aws" / "config"
    write_aws_config(config, PROFILES)
    os.environ.update(
        HOME=str(home),
        AWS_CONFIG_FILE=str(config),
        AWS_SHARED_CREDENTIALS_FILE=str(home / ".aws" / "credentials"),
        CC_AWS_TUI_CONFIG_DIR=str(tmp / "config"),
        TEXTUAL_CURSOR_BLINK="0",
    )


def keystrokes(count: int) -> list[str]:
    """`count` keys: a character, backspace, the next character, backspace, ..."""
    pairs = (count + 1) // 2
    return [k for c in (TYPED * pairs)[:pairs] for k in (c, "backspace")][:count]


def filtered(key: str, text: str) -> bool:
    """Whether the picker's count line says `key` has been applied."""
    if key == "backspace":
        return text == ALL
    match = MATCHES.fullmatch(text)  # a real re-filter: some, not all, profiles match
    return match is not None and 0 < int(match[1].replace(",", "")) < PROFILES


def watch_frames(app: CcAwsTuiApp, count: Static) -> list[tuple[float, str]]:
    """Record (time, count line) for every frame the app renders, building its bytes."""
    from textual._compositor import CompositorUpdate

    frames: list[tuple[float, str]] = []
    display: Callable[..., None] = app._display

    def display_and_record(screen: Any, renderable: Any) -> None:
        display(screen, renderable)
        if isinstance(renderable, CompositorUpdate):
            renderable.render_segments(app.console)  # what a real terminal would be sent
            frames.append((time.perf_counter(), str(count.render())))

    app._display = display_and_record  # type: ignore[method-assign]
    return frames


async def key_to_frame(
    app: CcAwsTuiApp, frames: list[tuple[float, str]], key: str
) -> tuple[float, float]:
    """Deliver `key` as the terminal driver would; wall and CPU time to the first frame
    showing it applied."""
    from textual import events

    assert app._driver is not None
    frames.clear()
    event = events.Key(key, key if len(key) == 1 else None)
    event.set_sender(app)
    w0, c0 = time.perf_counter(), time.process_time()
    app._driver.send_message(event)
    deadline = w0 + FRAME_TIMEOUT
    while True:
        shown = next((t for t, text in frames if filtered(key, text)), None)
        if shown is not None:
            return shown - w0, time.process_time() - c0
        if time.perf_counter() > deadline:
            raise SystemExit(f"no frame showed {key!r} applied within {FRAME_TIMEOUT:.0f} s")
        await asyncio.sleep(0.0005)


async def pilot_settle(pilot: Pilot[int], count: Static, key: str) -> tuple[float, float]:
    """`press` then `pause` (the settle point): wall and CPU time."""
    w0, c0 = time.perf_counter(), time.process_time()
    await pilot.press(key)
    await pilot.pause()
    wall, cpu = time.perf_counter() - w0, time.process_time() - c0
    if not filtered(key, str(count.render())):
        raise SystemExit(f"after {key!r} the picker says {count.render()!r}")
    return wall, cpu


def summary(samples: list[tuple[float, float]]) -> dict[str, float]:
    wall = [w for w, _ in samples]
    return {
        "median_ms": statistics.median(wall) * 1000,
        "max_ms": max(wall) * 1000,
        "cpu_median_ms": statistics.median(c for _, c in samples) * 1000,
    }


async def measure(keys: int) -> dict[str, Any]:
    from textual.widgets import OptionList, Static

    from tui.app import make_app
    from tui.screens.aws_profile import AwsProfileScreen
    from tui.state import Draft

    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        screen = AwsProfileScreen(Draft(auth="sigv4"), 2, 6)
        await app.push_screen(screen)
        await app.workers.wait_for_complete()  # the AWS files are read in a thread worker
        await pilot.pause()
        count = screen.query_one("#aws-count", Static)
        if str(count.render()) != ALL:
            raise SystemExit(f"the picker did not load the profiles: {count.render()}")
        option_list = screen.query_one("#aws-profiles", OptionList)

        frames = watch_frames(app, count)
        to_frame = []
        for n, key in enumerate(keystrokes(WARMUP + keys)):
            sample = await key_to_frame(app, frames, key)
            await pilot.pause()  # let the app go idle before the next key
            if n >= WARMUP:
                to_frame.append(sample)

        settle = []
        for n, key in enumerate(keystrokes(WARMUP + keys)):
            sample = await pilot_settle(pilot, count, key)
            if n >= WARMUP:
                settle.append(sample)
        if option_list.option_count < 2:
            raise SystemExit("the option list is empty")
    return {
        "profiles": PROFILES,
        "keys": keys,
        "key_to_frame": summary(to_frame),
        "pilot_settle": summary(settle),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keys", type=int, default=20, help="measured keystrokes")
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    with tempfile.TemporaryDirectory() as tmp:
        isolate(Path(tmp))
        result = asyncio.run(measure(args.keys))
    if args.json:
        print(json.dumps(result))
        return 0
    print(f"filter keystroke over {result['profiles']:,} AWS profiles, {args.keys} keystrokes")
    for label, key in (("key -> frame", "key_to_frame"), ("Pilot settle", "pilot_settle")):
        r = result[key]
        print(
            f"  {label:<14} median {r['median_ms']:6.1f} ms  max {r['max_ms']:6.1f} ms  "
            f"(CPU median {r['cpu_median_ms']:.1f} ms)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
