"""Careful file writing: private permissions, atomic replace, a cross-process lock.

Every file cc-aws-tui writes is first created as a temp file of its own beside the target,
opened with `O_CREAT | O_EXCL | O_NOFOLLOW` (a name planted in advance, file or symlink, makes
the open fail instead of being followed), then renamed onto the target. Nothing here changes
the mode of a directory: a directory is cc-aws-tui's to chmod only when cc-aws-tui created it
(`ensure_private_dir`, for its own config directory).
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
_TEMP_SUFFIX = ".tmp"


class LockTimeout(RuntimeError):
    pass


def ensure_private_dir(path: Path) -> None:
    """Make sure `path` exists as a directory only its user can change.

    Directories it creates (and missing parents) are created 0700. An existing one is never
    chmod'ed behind the user's back: if it (or a directory above it) is owned by someone else
    or writable by group/others, `trust.UntrustedPath` says so with the `chmod`/`chown` that
    fixes it; one merely readable by others is left as it is (the files in it are 0600).
    """
    from profiles.store import trust

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


def temp_name(target_name: str) -> str:
    """The name of a temp file for `target_name`: `.NAME.<12 hex>.tmp` (see `sweep_temps`)."""
    return f".{target_name}.{os.urandom(6).hex()}{_TEMP_SUFFIX}"


def atomic_write(path: Path, text: str, mode: int = PRIVATE_FILE) -> None:
    """Write `text` to `path` so a reader sees the old file or the new one, never a mix.

    A symlink at `path` (dotfiles) stays a link: its target is replaced. The parent directory
    must exist; it is neither created nor chmodded here. The new file gets exactly `mode`.
    Temp file in the same directory (same filesystem, so rename is atomic), fsync, rename,
    then fsync the directory so the rename itself survives a crash.
    """
    atomic_write_bytes(path, text.encode("utf-8"), mode)


def atomic_write_bytes(
    path: Path | str, data: bytes, mode: int = PRIVATE_FILE, *, follow_links: bool = True
) -> None:
    """`atomic_write` for bytes. With `follow_links=False` a symlink at `path` is not written
    through: the new file replaces the link itself (for files only cc-aws-tui has any business
    writing, such as its credentials cache)."""
    path = Path(os.path.realpath(path) if follow_links else os.path.abspath(path))
    _write_in_dir(path.parent, path.name, data, mode)


def _write_in_dir(directory: Path, name: str, data: bytes, mode: int) -> None:
    """Create a temp file in `directory` (held open, so a swapped path cannot redirect the
    rename), write and fsync it, rename it onto `name`."""
    use_fd = os.name == "posix" and {os.open, os.replace, os.unlink} <= os.supports_dir_fd
    dir_fd = None
    if use_fd:
        flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0)
        dir_fd = os.open(directory, flags | getattr(os, "O_CLOEXEC", 0))
    try:
        tmp = temp_name(name)
        where = tmp if dir_fd is not None else str(directory / tmp)
        flags = (
            os.O_WRONLY
            | os.O_CREAT
            | os.O_EXCL
            | getattr(os, "O_NOFOLLOW", 0)
            | getattr(os, "O_CLOEXEC", 0)
            | getattr(os, "O_BINARY", 0)
        )
        fd = os.open(where, flags, mode & PRIVATE_FILE, dir_fd=dir_fd)
        try:
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view) :]
                if os.name == "posix":
                    os.fchmod(fd, mode)  # exact, whatever the umask
                os.fsync(fd)
            finally:
                os.close(fd)
            target = name if dir_fd is not None else str(directory / name)
            os.replace(where, target, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(where, dir_fd=dir_fd)
            raise
        if dir_fd is not None:
            os.fsync(dir_fd)
    finally:
        if dir_fd is not None:
            os.close(dir_fd)


def sweep_temps(directory: Path, names: Iterable[str] | None) -> list[str]:
    """Remove temp files a killed writer left behind for the files `names` in `directory`
    (None: for any file, in a directory that is ours alone).

    Call it holding the lock those files are written under, so no live writer's temp file
    is taken. Only our own pattern (`.NAME.<12 hex>.tmp`), only regular files owned by this
    user; a link or anything else is left alone. Returns the names removed.
    """
    which = r"[^/]+" if names is None else "|".join(re.escape(n) for n in names)
    pattern = re.compile(rf"\.({which})\.[0-9a-f]{{12}}" + re.escape(_TEMP_SUFFIX))
    removed: list[str] = []
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return removed
    uid = os.geteuid() if hasattr(os, "geteuid") else None
    for entry in entries:
        if not pattern.fullmatch(entry.name):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if not stat.S_ISREG(info.st_mode) or (uid is not None and info.st_uid != uid):
            continue
        with contextlib.suppress(OSError):
            os.unlink(entry.path)
            removed.append(entry.name)
    return removed


@contextlib.contextmanager
def file_lock(path: Path, timeout: float = 10.0) -> Iterator[None]:
    """An exclusive advisory lock held for a read-modify-write of the store.

    Without it two `add`s started together would both read the old file and the second
    rename would drop the first profile.
    """
    ensure_private_dir(path.parent)
    # No link: a planted .lock -> elsewhere must not create or lock a file there.
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), PRIVATE_FILE)
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
