"""The Save step can also write the profile into Claude Code's settings (issue 5's TUI part):
it shows the change before writing, refuses a secret in committed project settings, writes on
Save, and the home screen then names the scope the profile is applied to."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
from pathlib import Path

import pytest
from pydantic import SecretStr
from textual.widgets import Button, DataTable, RadioButton, Select, Static

from tests.tui.harness import settle, sigv4_draft
from tui.app import make_app
from tui.screens.home import HomeScreen
from tui.screens.save import SaveScreen
from tui.state import Draft
from tui.widgets.settings_target import SettingsTarget

KEY = "sk-ant-api03-settingstarget-test-key-0001"


def key_draft() -> Draft:
    return Draft(
        name="team",
        auth="api-key",
        api_key=SecretStr(KEY),
        workspace_id="wrkspc_01TestWorkspaceA",
        region="us-east-1",
    )


def user_settings() -> Path:
    return Path(os.environ["HOME"]) / ".claude" / "settings.json"


@pytest.fixture(autouse=True)
def in_tmp_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A real git repository ignoring settings.local.json (a key goes only to such a file)."""
    repo = tmp_path / "repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    (repo / ".gitignore").write_text(".claude/settings.local.json\n")
    monkeypatch.chdir(repo)


def test_preview_then_save_writes_user_settings_and_home_shows_it() -> None:
    user_settings().parent.mkdir(parents=True)
    user_settings().write_text(json.dumps({"theme": "dark", "env": {"EDITOR": "vim"}}))

    async def main() -> None:
        app = make_app()
        async with app.run_test(size=(100, 40)) as pilot:
            await app.push_screen(SaveScreen(sigv4_draft(), 6, 6))
            await pilot.pause()
            app.screen.query_one("#settings-scope", Select).value = "user"
            await settle(pilot)
            target = app.screen.query_one(SettingsTarget)
            diff = str(app.screen.query_one("#settings-diff", Static).render())
            note = str(app.screen.query_one("#settings-note", Static).render())
            assert target.ready
            assert '"ANTHROPIC_AWS_WORKSPACE_ID": "wrkspc_01TestWorkspaceA"' in diff
            # Backups live in cc-aws-tui's config dir, not beside the file (issue 8).
            assert "kept in cc-aws-tui's backups" in note
            assert ".bak" not in note
            assert user_settings().read_text().count("ANTHROPIC") == 0  # nothing written yet
            assert not app.screen.query_one("#next", Button).disabled
            await pilot.click("#next")
            await settle(pilot)
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
            await settle(pilot)
            table = app.screen.query_one(DataTable)
            assert table.get_row("dev")[-1] == "user"

    asyncio.run(main())
    data = json.loads(user_settings().read_text())
    assert data["theme"] == "dark"
    assert next(iter(data["env"])) == "EDITOR"  # the user's entry keeps its place
    assert data["env"]["CLAUDE_CODE_USE_ANTHROPIC_AWS"] == "1"
    assert "AWS_PROFILE" not in data["env"]  # isolated, the default
    assert data["awsCredentialExport"].endswith(" credentials dev")
    assert data["env"]["ANTHROPIC_DEFAULT_OPUS_MODEL"] == "claude-opus-4-8"


def test_project_scope_with_a_key_is_refused_and_blocks_save() -> None:
    async def main() -> None:
        app = make_app()
        async with app.run_test(size=(100, 40)) as pilot:
            await app.push_screen(SaveScreen(key_draft(), 6, 6))
            await pilot.pause()
            app.screen.query_one("#settings-scope", Select).value = "project"
            await settle(pilot)
            target = app.screen.query_one(SettingsTarget)
            assert not target.ready
            assert target.error is not None
            assert "project" in target.error
            assert app.screen.query_one("#next", Button).disabled
            assert KEY not in app.export_screenshot()
            app.screen.query_one("#settings-scope", Select).value = "local"
            await settle(pilot)
            assert target.ready
            assert not app.screen.query_one("#next", Button).disabled
            assert KEY not in app.export_screenshot()  # the diff masks the key

    asyncio.run(main())
    assert not (Path.cwd() / ".claude" / "settings.json").exists()


def test_no_choice_writes_nothing() -> None:
    async def main() -> None:
        app = make_app()
        async with app.run_test(size=(100, 40)) as pilot:
            await app.push_screen(SaveScreen(sigv4_draft(), 6, 6))
            await pilot.pause()
            await pilot.click("#next")
            await settle(pilot)

    asyncio.run(main())
    assert not user_settings().exists()


def test_the_credentials_choice_shows_its_diff_and_is_what_save_writes() -> None:
    """Isolated by default (awsCredentialExport, no AWS_PROFILE); "in the environment" puts
    AWS_PROFILE in env. The choice is offered only where it means something."""

    async def main() -> None:
        app = make_app()
        async with app.run_test(size=(100, 40)) as pilot:
            await app.push_screen(SaveScreen(sigv4_draft(), 6, 6))
            await pilot.pause()
            choice = app.screen.query_one("#settings-credentials")
            assert not choice.display  # no settings file chosen: nothing to choose
            app.screen.query_one("#settings-scope", Select).value = "user"
            await settle(pilot)
            assert choice.display
            diff = str(app.screen.query_one("#settings-diff", Static).render())
            assert '"awsCredentialExport":' in diff
            assert '"AWS_PROFILE"' not in diff
            app.screen.query_one("#credentials-env", RadioButton).value = True
            await settle(pilot)
            assert app.screen.query_one(SettingsTarget).credentials == "env"
            diff = str(app.screen.query_one("#settings-diff", Static).render())
            assert '"AWS_PROFILE": "dev"' in diff
            assert "awsCredentialExport" not in diff
            app.screen.query_one("#settings-scope", Select).value = "project"
            await settle(pilot)
            assert not choice.display  # committed: never this machine's path
            app.screen.query_one("#settings-scope", Select).value = "user"
            await settle(pilot)
            await pilot.click("#next")
            await settle(pilot)
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)

    asyncio.run(main())
    data = json.loads(user_settings().read_text())
    assert data["env"]["AWS_PROFILE"] == "dev"
    assert "awsCredentialExport" not in data


def test_an_api_key_profile_gets_no_choice_and_a_warning() -> None:
    async def main() -> None:
        app = make_app()
        async with app.run_test(size=(100, 40)) as pilot:
            await app.push_screen(SaveScreen(key_draft(), 6, 6))
            await pilot.pause()
            app.screen.query_one("#settings-scope", Select).value = "user"
            await settle(pilot)
            assert not app.screen.query_one("#settings-credentials").display
            note = str(app.screen.query_one("#settings-note", Static).render())
            assert "every command the agent runs can read it" in note

    asyncio.run(main())


def test_the_credentials_choice_differs_by_glyph_without_colour() -> None:
    """Its radio buttons are the glyph toggles: ● chosen, ○ not, readable under NO_COLOR."""

    async def main() -> None:
        app = make_app()
        async with app.run_test(size=(100, 40)) as pilot:
            await app.push_screen(SaveScreen(sigv4_draft(), 6, 6))
            await pilot.pause()
            app.screen.query_one("#settings-scope", Select).value = "user"
            await settle(pilot)
            shown = {
                button.id: str(button.render())
                for button in app.screen.query("#settings-credentials RadioButton")
            }
            assert shown["credentials-isolated"].startswith("▐●▌")
            assert shown["credentials-env"].startswith("▐○▌")

    asyncio.run(main())
