"""Where cc-aws-tui keeps its files: one place, overridable for tests and power users."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "cc-aws-tui"
CONFIG_DIR_ENV = "CC_AWS_TUI_CONFIG_DIR"


def config_dir() -> Path:
    """The directory holding profiles.toml and secrets.toml.

    `CC_AWS_TUI_CONFIG_DIR` wins; otherwise the platform's user config dir
    (e.g. `~/.config/cc-aws-tui` on Linux).
    """
    override = os.environ.get(CONFIG_DIR_ENV)
    if override:
        return Path(override).expanduser()
    # Imported here: the override (tests, power users) should not pay for it.
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME, appauthor=False))


def profiles_file() -> Path:
    return config_dir() / "profiles.toml"


def secrets_file() -> Path:
    return config_dir() / "secrets.toml"


def lock_file() -> Path:
    return config_dir() / ".lock"
