"""The use cases that edit the saved profiles (save, rename, delete): a failure part way leaves
every profile with its secret."""

from __future__ import annotations

from pathlib import Path

import pytest

from profiles.cli import main
from profiles.core.schema import Profile
from profiles.store import fsutil
from profiles.store.files import read_secrets
from profiles.usecases.edit import rename_profile, save_profile

KEY = "sk-ant-api03-REVIEWREVIEWREVIEW-0001"
WS = "wrkspc_01TestWorkspaceA"


def test_a_crash_while_saving_profiles_keeps_every_secret(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    save_profile(Profile("k", "api-key", WS, "us-east-1", api_key_store="file"), {"api_key": KEY})
    real = fsutil.atomic_write

    def fail_on_profiles(path: Path, text: str, mode: int = 0o600) -> None:
        if path.name == "profiles.toml":
            raise OSError(28, "No space left on device")
        real(path, text, mode)

    monkeypatch.setattr(fsutil, "atomic_write", fail_on_profiles)
    with pytest.raises(OSError, match="No space left"):
        rename_profile("k", "k2")
    monkeypatch.setattr(fsutil, "atomic_write", real)
    assert read_secrets()["k"]["api_key"] == KEY  # the saved profile `k` still has its key
    assert main(["export", "k"]) == 0
