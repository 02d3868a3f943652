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


def core_remedies() -> list[str]:
    """What the core says when a stored secret is gone, a name is taken, a key is refused:
    its remedies name the CLI (`cc-aws-tui add … --force`)."""
    from profiles.core.schema import Profile
    from profiles.platform.client import PlatformError
    from profiles.platform.diagnose import diagnose
    from profiles.store.secrets import SecretError, resolve
    from profiles.usecases.edit import save_profile

    profile = Profile(
        "dev", "api-key", "wrkspc_01TestWorkspaceA", "us-east-1", api_key_store="file"
    )
    found = []
    try:
        resolve(profile, "api_key", {})
    except SecretError as exc:
        found.append(str(exc))
    save_profile(profile, {"api_key": "sk-ant-api03-plainwords-test-key-0001"})
    try:
        save_profile(profile, {"api_key": "sk-ant-api03-plainwords-test-key-0001"})
    except Exception as exc:
        found.append(str(exc))
    _, remedy = diagnose(PlatformError("http", "Unauthorized", status=401), profile)
    found.append(remedy or "")
    assert all("--force" in text for text in found), found
    return found


def test_cli_remedies_are_worded_for_this_app() -> None:
    """A toast and a check row never tell the user to run `cc-aws-tui add … --force`."""
    from textual.app import App, ComposeResult

    from tui.app import make_app

    remedies = core_remedies()

    class One(App[None]):
        def compose(self) -> ComposeResult:
            yield CheckRow(ORDER[0])

    async def row() -> None:
        app = One()
        async with app.run_test(size=(200, 10)) as pilot:
            app.query_one(CheckRow).show(
                CheckResult(ORDER[0], "fail", remedies[0], remedy=remedies[2])
            )
            await pilot.pause()
            text = screen_text(app)
            assert "enter it again" in text
            assert "--force" not in text
            assert "cc-aws-tui add" not in text

    asyncio.run(row())

    async def toast() -> None:
        app = make_app()
        async with app.run_test(size=(100, 32)) as pilot:
            app.notify(remedies[1], title="Not saved", severity="error")
            await pilot.pause()
            shown = [str(n.message) for n in app._notifications]
            assert "Replace the existing profile" in shown[0]
            assert "--force" not in shown[0]

    asyncio.run(toast())


def test_an_os_error_keeps_its_file() -> None:
    """The words replace the code and the OS's text, not the file it names after them."""
    fact = "cannot write: [Errno 13] Permission denied: '/home/u/.claude/settings.json'"
    assert plain(fact) == "cannot write: permission denied: '/home/u/.claude/settings.json'"


def test_error_codes_are_read_as_this_platform_numbers_them() -> None:
    """Linux's errno 8 is "exec format error" (macOS's getaddrinfo uses 8 for an unknown
    host): a code is worded only when it means that here."""
    import errno
    import socket

    fact = f"[Errno {errno.ENOEXEC}] Exec format error: '/usr/local/bin/key'"
    if errno.ENOEXEC != socket.EAI_NONAME:
        assert "host not found" not in plain(fact)
    assert plain(f"[Errno {socket.EAI_NONAME}] name unknown") == "host not found"
