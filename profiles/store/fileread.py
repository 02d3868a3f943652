"""Reading a file cc-aws-tui does not control: regular files only, with a size cap.

`~/.aws/config`, Claude Code's settings files, team files and our own TOML files can be
anything a path can name: a FIFO (open() blocks forever), `/dev/zero` (read() never ends), a
directory, a huge file. Every reader goes through `read_regular`, which opens without blocking,
checks what it opened (fstat of the open descriptor, so a swap after the check cannot fool
it), and reads at most `limit` bytes. Standard library only: this is on the export path.
"""

from __future__ import annotations

import os
import stat

TYPE_CHECKING = False  # not typing's: this is the export path
if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path
    from typing import Final

DEFAULT_LIMIT: Final = 4 * 1024 * 1024  # far above any real config file


class UnreadableFile(OSError):
    """A path we refuse to read; `str()` is one line naming the path and why."""

    def __init__(self, path: Path | str, why: str) -> None:
        super().__init__(f"{path}: {why}")
        self.path = str(path)
        self.why = why

    def __str__(self) -> str:
        return f"{self.path}: {self.why}"


def read_regular(
    path: Path | str,
    limit: int = DEFAULT_LIMIT,
    *,
    check: Callable[[os.stat_result], None] | None = None,
) -> bytes | None:
    """The bytes of `path`, or None when it does not exist.

    Raises `UnreadableFile` for anything but a regular file (FIFO, device, socket,
    directory), for a file larger than `limit`, and for one that cannot be opened.
    A symlink is followed (dotfiles managers link these files) to a regular file only.
    `check`, if given, sees the fstat of the very descriptor that is read, before any byte
    is (owner and mode checks, see `trust`); it raises an `UnreadableFile` to refuse.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise UnreadableFile(path, "is a directory, not a file") from None
    except OSError as exc:
        raise UnreadableFile(path, f"cannot read: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFile(path, f"is {_kind(info.st_mode)}, not a regular file")
        if info.st_size > limit:
            raise UnreadableFile(path, f"is larger than {limit // 1024} KiB: not a config file")
        if check is not None:
            check(info)
        chunks: list[bytes] = []
        size = 0
        while True:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            size += len(chunk)
            if size > limit:  # grew while we read it
                raise UnreadableFile(path, f"is larger than {limit // 1024} KiB: not a config file")
            chunks.append(chunk)
        return b"".join(chunks)
    except UnreadableFile:
        raise
    except OSError as exc:
        raise UnreadableFile(path, f"cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"
