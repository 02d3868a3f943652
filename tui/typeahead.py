"""Keys typed ahead take effect in order, as if typed slowly.

Textual hands each key on at once: a priority binding (ctrl+n) acts in the app's own loop, a
focus move (Tab) is queued on the app, and every other key is queued on the focused widget,
each widget with its own queue. Keys that arrive together are therefore applied out of order:
ctrl+n runs before the Enter that chose an answer reached its radio button, letters land in
the widget a Tab is leaving, and a key that arrives between `push_screen` and the new
screen's mount and focus goes to a screen with nothing focused and is lost.

`TypeAhead` holds a key while the app is still reacting to the previous one, and lets it go
only once the app, the current screen and its widgets have handled every message that key
set off (a new screen mounted and focused included) and the screen has been laid out again.
Workers are not waited for: a listing that takes a second must not hold up typing.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from typing import TYPE_CHECKING, Any

from textual import events

if TYPE_CHECKING:
    from textual.app import App
    from textual.message_pump import MessagePump

# How long a key may wait for the previous one to be handled, all rounds together; then it
# goes anyway (a stuck widget delays keys, never stops them). Generous: on a loaded machine
# a round takes well over half a second, and a key let go early is a key lost.
SETTLE_DEADLINE = 5.0
MAX_ROUNDS = 50  # a key's chain of messages is a few links long; this bounds a busy loop


class TypeAhead:
    """The app's keys, released one at a time once the previous one has been handled."""

    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self._held: deque[events.Key] = deque()
        self._released: events.Key | None = None
        self._feeding = False

    def hold(self, event: events.Key) -> bool:
        """Whether the app must leave `event` for now (it is handed back later, in order)."""
        if event is self._released:
            self._released = None
            return False
        self._held.append(event)
        if not self._feeding:
            self._feeding = True
            # A failure here (the app shutting down under a key) must not end the app: the
            # held keys go with the next key typed.
            self.app.run_worker(
                self._feed(), name="typeahead", group="typeahead", exit_on_error=False
            )
        return True

    async def _feed(self) -> None:
        try:
            while self._held:
                await self._settled()
                self._released = self._held.popleft()
                self.app.post_message(self._released)
        finally:
            self._feeding = False

    async def _settled(self) -> None:
        """Wait until the app, its screen and the screen's widgets have nothing queued and
        the screen and focus stopped changing (bounded: a stuck widget delays keys, never
        stops them)."""
        app = self.app
        deadline = time.monotonic() + SETTLE_DEADLINE
        for _ in range(MAX_ROUNDS):
            left = deadline - time.monotonic()
            if left <= 0:
                return
            before = self._state()
            pumps: list[MessagePump] = [app, *app.screen.walk_children(with_self=True)]
            await _drain(pumps, left)
            if self._state() == before and all(p._message_queue.empty() for p in pumps):
                return

    def _state(self) -> tuple[object, ...]:
        screen = self.app.screen
        return (screen, screen.is_mounted, len(screen.walk_children()), self.app.focused)


async def _drain(pumps: list[MessagePump], timeout: float) -> None:
    """Wait until each of `pumps` has handled what it had queued when this was called and the
    screen has been laid out and painted since, or `timeout` seconds have passed.

    Laid out matters: Tab moves the focus in screen order, read from the widgets' regions, and
    a widget just shown (a Collapsible expanded) has no region until the next layout; a Tab
    handled before it would skip that widget."""
    left = 0
    done = asyncio.Event()

    def one_done() -> None:
        nonlocal left
        left -= 1
        if left == 0:
            done.set()

    for pump in pumps:
        if pump.is_running and pump.call_after_refresh(one_done):
            left += 1
    if left:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(done.wait(), timeout)
