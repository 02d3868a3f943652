"""fsutil.atomic_write and sweep_temps: a file is created O_EXCL|O_NOFOLLOW and renamed into
place, no directory's mode is touched, and only our own leftover temp files are swept."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from profiles.store import fsutil

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX modes and links")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


@pytest.fixture
def umask_077() -> Iterator[None]:
    old = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(old)


def test_atomic_write_leaves_the_directory_mode_alone(tmp_path: Path, umask_077: None) -> None:
    """A shared sticky directory (like /tmp, or a link planted into one) keeps its mode."""
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o1777)
    fsutil.atomic_write(shared / "f.json", "{}\n", 0o644)
    assert mode(shared) == 0o1777
    assert mode(shared / "f.json") == 0o644  # exactly the mode asked, whatever the umask
    assert (shared / "f.json").read_text() == "{}\n"
    assert sorted(os.listdir(shared)) == ["f.json"]


def test_atomic_write_does_not_create_directories(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        fsutil.atomic_write(tmp_path / "missing" / "f", "x")
    assert not (tmp_path / "missing").exists()


def test_a_link_planted_at_the_temp_name_is_not_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    victim = tmp_path / "victim"
    victim.write_text("keep me\n")
    monkeypatch.setattr(fsutil.os, "urandom", lambda n: b"\0" * n)
    planted = tmp_path / f".f.{'00' * 6}.tmp"
    planted.symlink_to(victim)
    with pytest.raises(FileExistsError):
        fsutil.atomic_write(tmp_path / "f", "secret\n")
    assert victim.read_text() == "keep me\n"
    assert planted.is_symlink()
    assert not (tmp_path / "f").exists()


def test_a_symlinked_target_stays_a_link(tmp_path: Path) -> None:
    real = tmp_path / "dotfiles" / "settings.json"
    real.parent.mkdir()
    real.write_text("old\n")
    link = tmp_path / "settings.json"
    link.symlink_to(real)
    fsutil.atomic_write(link, "new\n", 0o644)
    assert link.is_symlink()
    assert real.read_text() == "new\n"


def test_sweep_takes_only_our_own_regular_temp_files(tmp_path: Path) -> None:
    ours = tmp_path / ".secrets.toml.0123456789ab.tmp"
    ours.write_text("api_key = 'x'\n")
    keep = {
        ".secrets.toml.short.tmp": "not our pattern",
        ".other.toml.0123456789ab.tmp": "not a name we were asked for",
        "secrets.toml": "the real file",
    }
    for name, text in keep.items():
        (tmp_path / name).write_text(text)
    link = tmp_path / ".profiles.toml.ba9876543210.tmp"
    link.symlink_to(tmp_path / "secrets.toml")
    foreign = tmp_path / ".profiles.toml.aaaaaaaaaaaa.tmp"
    foreign.write_text("someone else's")
    if os.geteuid() == 0:
        os.chown(foreign, 65534, 65534)
    removed = fsutil.sweep_temps(tmp_path, ("secrets.toml", "profiles.toml"))
    if os.geteuid() == 0:  # the other user's file stays
        assert removed == [ours.name]
        assert foreign.exists()
    else:  # could not chown: that file is ours too
        assert sorted(removed) == sorted([ours.name, foreign.name])
    assert not ours.exists()
    for name, text in keep.items():
        assert (tmp_path / name).read_text() == text
    assert link.is_symlink()


def test_a_lock_file_planted_as_a_link_is_not_followed(tmp_path: Path) -> None:
    """`.lock -> elsewhere` must neither create nor lock a file at the link's target."""
    config = tmp_path / "config"
    config.mkdir(mode=0o700)
    victim = tmp_path / "victim"
    (config / ".lock").symlink_to(victim)
    with pytest.raises(OSError, match="symbolic links"), fsutil.file_lock(config / ".lock"):
        pass
    assert not victim.exists()
