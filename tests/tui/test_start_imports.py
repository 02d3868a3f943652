"""The TUI's first frame pays only for what it shows (issue 12, speed): the AWS SDK, pydantic,
tomlkit, the Claude Code settings modules and the other screens are imported when used, never
on the way to the first frame. Like tests/cli/test_import_hygiene.py: the app is started in a
fresh interpreter, headless, and sys.modules is read at its first frame."""

from __future__ import annotations

import json
import subprocess
import sys

from profiles.cli import main

# The app is built and run to its first frame (auto_pilot runs once the first screen is up),
# then sys.modules is reported; stdout is Textual's while it runs, hence sys.__stdout__.
PROBE = """
import json, sys
from tui.app import make_app
imported = sorted(sys.modules)
async def at_first_frame(pilot):
    report = {"imported": imported, "screen": type(pilot.app.screen).__name__,
              "at_frame": sorted(sys.modules),
              "css": sorted({path.rsplit("/", 1)[-1] for path, _ in pilot.app.stylesheet.source
                             if path.endswith(".tcss")})}
    print(json.dumps(report), file=sys.__stdout__, flush=True)
    pilot.app.exit()
make_app().run(headless=True, auto_pilot=at_first_frame)
"""

# Never before the first frame, whichever screen it is.
HEAVY = (
    "boto3", "botocore", "pydantic", "tomlkit", "anthropic", "keyring", "httpx", "urllib3",
    "requests", "profiles.aws", "profiles.claude", "profiles.usecases", "profiles.platform",
)  # fmt: skip
# The wizard's screens: loaded when their step is first shown (tui/app.py STEP_SCREENS).
LATER_STEPS = (
    "tui.screens.aws_profile", "tui.screens.api_key", "tui.screens.workspace",
    "tui.screens.models", "tui.screens.validate", "tui.screens.save", "tui.screens.confirm",
)  # fmt: skip
# Screens other than the one shown, and what only they need.
HOME_ONLY = ("tui.screens.home", "textual.widgets._data_table")
WIZARD_ONLY = ("tui.screens.auth", *LATER_STEPS)


def start() -> dict[str, object]:
    proc = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, input=""
    )
    report: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
    return report


def loaded(modules: object, banned: tuple[str, ...]) -> list[str]:
    """The banned modules (or their submodules) among `modules`."""
    assert isinstance(modules, list)
    return sorted(m for m in modules if any(m == b or m.startswith(b + ".") for b in banned))


def test_importing_the_app_loads_no_screen_and_nothing_heavy() -> None:
    report = start()
    assert loaded(report["imported"], (*HEAVY, *HOME_ONLY, *WIZARD_ONLY)) == []


def test_the_wizards_first_frame_loads_only_its_first_step() -> None:
    """First run (no profiles): the wizard's first step, without the home screen's table."""
    report = start()
    assert report["screen"] == "AuthScreen"  # guard the guard: it measured the wizard
    assert loaded(report["at_frame"], (*HEAVY, *HOME_ONLY, *LATER_STEPS)) == []
    # Each screen's rules come with it (tui/css/*.tcss on CSS_PATH): only the shared ones here.
    assert report["css"] == ["app.tcss"]


def test_the_home_screens_first_frame_loads_no_wizard_step() -> None:
    """A saved profile: the home screen, its settings column filled in after the first frame."""
    assert main(["add", "dev", "--auth", "sigv4", "--aws-profile", "dev",
                 "--workspace", "wrkspc_01Test", "--region", "us-east-1"]) == 0  # fmt: skip
    report = start()
    assert report["screen"] == "HomeScreen"
    assert loaded(report["at_frame"], (*HEAVY, *WIZARD_ONLY)) == []
    assert report["css"] == ["app.tcss", "home.tcss"]


def test_the_probe_would_notice_a_heavy_import() -> None:
    """Guard the guard: what the probe reports is what the process holds."""
    assert loaded(["pydantic.main", "tui.screens.home", "tomlkitten"], HEAVY + HOME_ONLY) == [
        "pydantic.main",
        "tui.screens.home",
    ]
