"""Fixtures for the store tests: `exec` is refused in the test process (it would replace pytest)."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(autouse=True)
def no_exec_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """`exec` replaces the running process: here that would be pytest itself."""

    def refuse(*args: object) -> None:
        raise AssertionError(f"os.execvpe{args[:2]} called in the test process")

    monkeypatch.setattr(os, "execvpe", refuse)
