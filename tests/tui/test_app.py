"""The app itself: a crash report never shows a secret."""

from __future__ import annotations

import os

import pytest

KEY = "sk-ant-api03-REVIEWREVIEWREVIEW-0001"


def test_the_crash_report_shows_no_local_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    """Textual's crash report prints every frame's locals by default; a frame may hold a key."""
    from rich.console import Console

    from tui.app import make_app

    app = make_app()
    monkeypatch.setattr(app, "bell", lambda: None)
    monkeypatch.setattr(app, "_close_messages_no_wait", lambda: None)
    try:
        secret_in_a_local = KEY
        raise RuntimeError(f"boom {len(secret_in_a_local)}")
    except RuntimeError:
        app._fatal_error()
    console = Console(width=120, record=True, file=open(os.devnull, "w"))  # noqa: SIM115
    for renderable in app._exit_renderables:
        console.print(renderable)
    report = console.export_text()
    assert f"boom {len(KEY)}" in report
    assert KEY not in report
