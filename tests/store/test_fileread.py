"""fileread.read_regular: a FIFO, a device, a directory or a huge file is refused at once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from profiles.store.fileread import UnreadableFile, read_regular


def test_reads_a_regular_file_and_follows_a_link(tmp_path: Path) -> None:
    target = tmp_path / "real"
    target.write_bytes(b"[default]\nregion = eu-west-3\n")
    link = tmp_path / "link"
    link.symlink_to(target)
    assert read_regular(link) == target.read_bytes()


def test_missing_file_reads_as_none(tmp_path: Path) -> None:
    assert read_regular(tmp_path / "nope") is None


def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "config"
    os.mkfifo(fifo)
    with pytest.raises(UnreadableFile, match=r"named pipe \(FIFO\), not a regular file"):
        read_regular(fifo)


def test_device_is_refused() -> None:
    with pytest.raises(UnreadableFile, match="is a device"):
        read_regular("/dev/zero")


def test_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFile, match="is a directory"):
        read_regular(tmp_path)


def test_oversized_file_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big"
    big.write_bytes(b"x" * 2048)
    with pytest.raises(UnreadableFile, match="larger than 1 KiB") as info:
        read_regular(big, limit=1024)
    assert str(info.value).startswith(f"{big}: ")
