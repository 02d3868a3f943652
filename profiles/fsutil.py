"""Careful file writing: private permissions, atomic replace, a cross-process lock."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


class LockTimeout(RuntimeError):
    pass


def ensure_private_dir(path: Path) -> None:
    """Make sure `path` exists as a directory only its user can change.

    Directories it creates (and missing parents) are created 0700. An existing one is never
    chmod'ed behind the user's back: if it (or a directory above it) is owned by someone else
    or writable by group/others, `trust.UntrustedPath` says so with the `chmod`/`chown` that
    fixes it; one merely readable by others is left as it is (the files in it are 0600).
    """
    from profiles import trust

    missing: list[Path] = []
    current = Path(os.path.abspath(path))
    while not os.path.lexists(current):
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for directory in reversed(missing):
        try:
            os.mkdir(directory, PRIVATE_DIR)
        except FileExistsError:
            continue  # created meanwhile by someone else: judged below, never chmod'ed
        if os.name == "posix":
            # mkdir's mode went through the umask: set it on the one we made (not a swap).
            fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
            try:
                os.fchmod(fd, PRIVATE_DIR)
            finally:
                os.close(fd)
    if not os.path.isdir(path):
        raise NotADirectoryError(f"{path}: not a directory; cc-aws-tui keeps its files there")
    trust.check_dir(path)


def atomic_write(path: Path, text: str, mode: int = PRIVATE_FILE) -> None:
    """Write `text` to `path` so a reader sees the old file or the new one, never a mix.

    Temp file in the same directory (same filesystem, so rename is atomic), fsync, rename,
    then fsync the directory so the rename itself survives a crash.
    """
    # A symlinked file (dotfiles) stays a link: replace its target, not the link.
    path = Path(os.path.realpath(path))
    ensure_private_dir(path.parent)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            if os.name == "posix":
                os.fchmod(fh.fileno(), mode)
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    if os.name == "posix":
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


@contextlib.contextmanager
def file_lock(path: Path, timeout: float = 10.0) -> Iterator[None]:
    """An exclusive advisory lock held for a read-modify-write of the store.

    Without it two `add`s started together would both read the old file and the second
    rename would drop the first profile.
    """
    ensure_private_dir(path.parent)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, PRIVATE_FILE)
    try:
        deadline = time.monotonic() + timeout
        while not _try_lock(fd):
            if time.monotonic() > deadline:
                raise LockTimeout(
                    f"{path.parent}: another cc-aws-tui is saving profiles; try again"
                )
            time.sleep(0.02)
        try:
            yield
        finally:
            _unlock(fd)
    finally:
        os.close(fd)


if sys.platform != "win32":
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)

else:  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
