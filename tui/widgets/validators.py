"""Input validation with the core's own rules, so the TUI never re-states a field rule."""

from __future__ import annotations

from collections.abc import Callable

from textual.validation import ValidationResult, Validator


class Rule(Validator):
    """Valid when `check(value)` does not raise ValueError; its message is the failure text.

    `optional` accepts an empty value (e.g. an unpinned model, no base URL).
    """

    def __init__(self, check: Callable[[str], object], *, optional: bool = False) -> None:
        super().__init__()
        self._check = check
        self._optional = optional

    def validate(self, value: str) -> ValidationResult:
        if self._optional and not value.strip():
            return self.success()
        try:
            self._check(value)
        except ValueError as exc:
            return self.failure(str(exc))
        return self.success()
