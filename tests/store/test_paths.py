"""paths.py computes platformdirs' Linux answer itself (the export path does not import
platformdirs): the two must agree in every case it handles, and it defers in the others."""

from __future__ import annotations

import sys

import pytest
from platformdirs import user_config_dir

from profiles.store import paths

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux rule")


@pytest.mark.parametrize(
    ("xdg", "home"),
    [
        (None, "/home/ann"),
        ("/srv/xdg", "/home/ann"),
        ("", "/home/ann"),
        ("relative/xdg", "/home/ann"),
        ("/srv/xdg/", "/home/ann"),
        (None, "/home/ann/"),
    ],
)
def test_the_linux_rule_is_platformdirs_rule(
    xdg: str | None, home: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(paths.CONFIG_DIR_ENV, raising=False)
    monkeypatch.setenv("HOME", home)
    if xdg is None:
        monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_CONFIG_HOME", xdg)
    fast = paths._linux_xdg_config_dir()
    assert fast is not None
    assert fast == user_config_dir(paths.APP_NAME, appauthor=False)
    assert paths.config_dir_str() == fast


def test_a_relative_home_is_left_to_platformdirs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(paths.CONFIG_DIR_ENV, raising=False)
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.setenv("HOME", "not/absolute")
    assert paths._linux_xdg_config_dir() is None


def test_the_override_wins(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    monkeypatch.setenv(paths.CONFIG_DIR_ENV, "~/elsewhere")
    monkeypatch.setenv("HOME", "/home/ann")
    assert paths.config_dir_str() == "/home/ann/elsewhere"
