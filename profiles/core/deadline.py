"""One deadline for a whole call: `--timeout S` bounds everything the call does.

A `Deadline` is built once where the user's timeout enters (a command, a TUI worker) and passed
down to every step: secret commands, the AWS credential resolution, each HTTP connect, read and
page. Each step asks `remaining()` for what is left instead of starting its own clock, so the
sum can never exceed the budget.

Standard library `time` only: the export path may import this.
"""

from __future__ import annotations

import time

TYPE_CHECKING = False  # not typing's: the export path imports this module
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TypeVar

    T = TypeVar("T")


class DeadlineExceeded(TimeoutError):
    """The call's deadline passed. The message names the budget, never what was running."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"took over {seconds:g}s")
        self.seconds = seconds


class Deadline:
    """A point in monotonic time, and the budget it was made from (for messages)."""

    __slots__ = ("at", "seconds")

    def __init__(self, seconds: float) -> None:
        self.seconds = float(seconds)
        self.at = time.monotonic() + self.seconds

    @classmethod
    def of(cls, value: Deadline | float) -> Deadline:
        """`value` itself if it is a deadline, else a new one `value` seconds from now."""
        return value if isinstance(value, Deadline) else cls(value)

    def remaining(self) -> float:
        """Seconds left, never negative."""
        return max(0.0, self.at - time.monotonic())

    @property
    def expired(self) -> bool:
        return time.monotonic() >= self.at

    def check(self) -> None:
        """Raise `DeadlineExceeded` once the deadline has passed."""
        if self.expired:
            raise DeadlineExceeded(self.seconds)

    def __repr__(self) -> str:
        return f"Deadline({self.seconds:g}s, {self.remaining():.2f}s left)"


def in_thread(fn: Callable[[], T], deadline: Deadline) -> T:
    """`fn()`, run in a daemon thread and waited for until `deadline` only: for a call that
    cannot be interrupted (`getaddrinfo`, botocore's STS call). Raises `DeadlineExceeded`
    when the deadline passes first (the thread is abandoned), else `fn`'s own exception."""
    import threading

    box: dict[str, Any] = {}
    done = threading.Event()

    def target() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:
            box["error"] = exc
        finally:
            done.set()

    threading.Thread(target=target, daemon=True, name="cc-aws-tui-deadline").start()
    if not done.wait(deadline.remaining()):
        raise DeadlineExceeded(deadline.seconds)
    if "error" in box:
        raise box["error"]
    value: T = box["value"]
    return value
