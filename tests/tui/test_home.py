"""The home screen: what it shows when the saved files are broken."""

from __future__ import annotations

import asyncio
import html
import os
from pathlib import Path

from profiles.core.schema import Profile
from profiles.usecases.edit import save_profile

KEY = "sk-ant-api03-REVIEWREVIEWREVIEW-0001"
WS = "wrkspc_01TestWorkspaceA"


def sigv4() -> Profile:
    return Profile("dev", "sigv4", WS, "us-east-1", aws_profile="dev")


def test_home_survives_bad_secrets(config_dir: Path) -> None:
    """A broken secrets.toml shows as a message on the home screen, not a crash."""
    from tui.app import make_app

    save_profile(sigv4())
    (config_dir / "secrets.toml").write_text(f'k = "{KEY}"\n')
    os.chmod(config_dir / "secrets.toml", 0o600)  # a private file, as cc-aws-tui writes it

    async def run() -> str:
        app = make_app()
        async with app.run_test(size=(100, 32)) as pilot:
            await pilot.pause()
            # The SVG writes spaces as &#160;: compare plain text.
            return html.unescape(app.export_screenshot()).replace("\xa0", " ")

    screen = asyncio.run(run())
    assert "must be a table" in screen
    assert KEY not in screen
