"""Where cc-aws-tui keeps its files: one place, overridable for tests and power users.

`CC_AWS_TUI_CONFIG_DIR` wins; otherwise platformdirs' user config dir (`~/.config/cc-aws-tui`
on Linux, honouring `$XDG_CONFIG_HOME`). Importing platformdirs costs about twice the
interpreter's own start (it loads tempfile, shutil and random), and `pathlib` pulls in
`urllib.parse` and `ipaddress`: the export path pays for neither. On Linux the XDG rule
platformdirs applies is computed here directly (tests/store/test_paths.py checks the two agree
for every case), and the `*_str` forms give the export path plain strings; everything else
uses the `Path` forms.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # not typing's: this is the export path
if TYPE_CHECKING:
    from pathlib import Path

APP_NAME = "cc-aws-tui"
CONFIG_DIR_ENV = "CC_AWS_TUI_CONFIG_DIR"


def config_dir_str() -> str:
    """The directory holding profiles.toml and secrets.toml, as a string."""
    override = os.environ.get(CONFIG_DIR_ENV)
    if override:
        return os.path.expanduser(override)
    fast = _linux_xdg_config_dir()
    if fast is not None:
        return fast
    from platformdirs import user_config_dir

    return user_config_dir(APP_NAME, appauthor=False)


def _linux_xdg_config_dir() -> str | None:
    """platformdirs' answer on Linux for the ordinary cases (None: ask platformdirs)."""
    if not sys.platform.startswith("linux"):
        return None
    xdg = os.environ.get("XDG_CONFIG_HOME", "")
    if os.path.isabs(xdg):
        return os.path.join(xdg, APP_NAME)
    home = os.environ.get("HOME", "")
    if not os.path.isabs(home):
        return None  # platformdirs has its own fallbacks for an unset or relative HOME
    return os.path.join(home, ".config", APP_NAME)


def profiles_file_str() -> str:
    return os.path.join(config_dir_str(), "profiles.toml")


def secrets_file_str() -> str:
    return os.path.join(config_dir_str(), "secrets.toml")


def config_dir() -> Path:
    """The directory holding profiles.toml and secrets.toml."""
    from pathlib import Path

    return Path(config_dir_str())


def profiles_file() -> Path:
    return config_dir() / "profiles.toml"


def secrets_file() -> Path:
    return config_dir() / "secrets.toml"


def lock_file() -> Path:
    return config_dir() / ".lock"
