"""What the TUI shows of the core's errors is in plain words (issue 12): no errno codes, no
pydantic phrasing, no AWS CLI setting names."""

from __future__ import annotations

import asyncio

import pytest

from profiles.platform.results import ORDER, CheckResult
from tests.tui.harness import screen_text
from tui.widgets.checklist import CheckRow
from tui.words import plain


@pytest.mark.parametrize(
    ("fact", "words"),
    [
        ("<urlopen error [Errno 111] Connection refused>", "connection refused"),
        ("GET /v1/models: [Errno -2] Name or service not known", "GET /v1/models: host not found"),
        ("auth: Input should be 'sigv4' or 'api-key'", "auth: must be 'sigv4' or 'api-key'"),
        (
            "profile dev not in the shared-credentials-file",
            "profile dev not in the AWS credentials file",
        ),
    ],
)
def test_plain_words(fact: str, words: str) -> None:
    assert plain(fact) == words


def test_a_check_row_words_an_os_error() -> None:
    """A failed check quoting the OS's error shows it in words, not "[Errno 111]"."""
    from textual.app import App, ComposeResult

    class One(App[None]):
        def compose(self) -> ComposeResult:
            yield CheckRow(ORDER[0])

    async def main() -> None:
        app = One()
        async with app.run_test(size=(100, 10)) as pilot:
            row = app.query_one(CheckRow)
            row.show(
                CheckResult(
                    row.check_id,
                    "fail",
                    "cannot reach the endpoint: [Errno 111] Connection refused",
                    remedy="Is the server up?",
                )
            )
            await pilot.pause()
            text = screen_text(app)
            assert "connection refused" in text
            assert "Errno" not in text

    asyncio.run(main())
