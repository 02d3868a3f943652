"""Whose files we run commands from: ssh's StrictModes for profiles.toml and secrets.toml.

profiles.toml holds commands (`api_key_command`, `gateway_token_command`, and
`aws_auth_refresh`, which Claude Code runs); secrets.toml holds keys. Whoever can write either
file, or rename files in a directory above it, can make cc-aws-tui run code as its user. So,
before anything read from them is used:

* the file must be owned by the user (or root) and not writable by group or others, checked
  with fstat on the descriptor that is read (`fileread.read_regular(check=...)`), so a swap
  after the check cannot fool it; secrets.toml must not be readable by them either;
* the directory holding it, and every directory above it up to `/` (both as written and
  with symlinks resolved), must be owned by the user or root and not writable by group or
  others. A sticky directory (`/tmp`) is fine *above* the holding directory: others cannot
  rename what is ours in it. A symlink on the way must be ours (or root's) too.

"Writable by group" is forgiven, as in Debian's OpenSSH, when the group is the owner's
private group (its only member is the owner): distributions with a `002` umask make every
directory group-writable that way. Nothing is ever chmod'ed here: a refusal says which
`chmod`/`chown` fixes it. Standard library only, a few stats: this runs on every `export`.
On Windows (no POSIX modes) nothing is checked.
"""

from __future__ import annotations

import os
import stat

from profiles.store.fileread import UnreadableFile, read_regular

TYPE_CHECKING = False  # not typing's: this is the export path
if TYPE_CHECKING:
    from pathlib import Path


class UntrustedPath(UnreadableFile):
    """A file or directory others could have written; `str()` is one line with the fix."""


def read_trusted(path: Path | str, *, secret: bool = False) -> bytes | None:
    """`path`'s bytes (None when missing) once it and its directories pass the checks.

    Raises `UntrustedPath` (or `UnreadableFile` for a FIFO, device, huge file...).
    """
    data = read_regular(path, check=lambda info: check_file(path, info, secret=secret))
    if data is not None:
        check_dirs_of(path)
    return data


def check_file(path: Path | str, info: os.stat_result, *, secret: bool = False) -> None:
    """Refuse a file (as fstat saw it) that others own or could write (or read, if `secret`)."""
    if os.name != "posix":
        return
    me = os.geteuid()
    if info.st_uid not in (me, 0):
        raise UntrustedPath(
            path,
            f"owned by uid {info.st_uid}, not by you (uid {me}): refusing to use"
            f" {_what(secret)} from it; if you trust what it says: chown {me} {_q(path)}",
        )
    mode = stat.S_IMODE(info.st_mode)
    if _writable_by_others(info):
        raise UntrustedPath(
            path,
            f"writable by {_who(info, stat.S_IWOTH)} (mode {mode:04o}): they could put"
            f" {_what(secret)} in it; fix: chmod go-w {_q(path)}",
        )
    if secret and (mode & stat.S_IROTH or (mode & stat.S_IRGRP and not _private_group(info))):
        raise UntrustedPath(
            path,
            f"readable by {_who(info, stat.S_IROTH)} (mode {mode:04o}): the keys in it may"
            f" have leaked; fix: chmod 600 {_q(path)} and rotate those keys",
        )


def check_dirs_of(path: Path | str) -> None:
    """Check the directory holding the file `path` and every directory above it."""
    written = os.path.dirname(os.path.abspath(path))
    _check_chains(written, os.path.dirname(os.path.realpath(path)))


def check_dir(path: Path | str) -> None:
    """Refuse `path` (a directory holding our files) or any directory above it that someone
    else owns or could write, both along the path as written and with symlinks resolved.

    `path` itself must not be writable by others at all; a directory above it may be when it
    is sticky (like /tmp). Missing directories are skipped (nothing to trust yet).
    """
    written = os.path.abspath(path)
    _check_chains(written, os.path.realpath(written))


def _check_chains(*holders: str) -> None:
    if os.name != "posix":
        return
    seen: set[str] = set()
    for current in holders:
        holder = True
        while True:
            if current not in seen:
                seen.add(current)
                _check_one_dir(current, holder=holder)
            parent = os.path.dirname(current)
            if parent == current:
                break
            current, holder = parent, False


def _check_one_dir(path: str, *, holder: bool) -> None:
    try:
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            # The link itself is ours or root's (in a sticky dir anyone may plant one);
            # where it leads is checked with the resolved path.
            _check_owner(path, info, "symlink")
            info = os.stat(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise UnreadableFile(path, f"cannot check: {exc.strerror or exc}") from None
    if not stat.S_ISDIR(info.st_mode):
        return  # not ours to judge: opening the file below it fails on its own
    _check_owner(path, info, "directory")
    if not _writable_by_others(info):
        return
    if not holder and info.st_mode & stat.S_ISVTX:
        return  # sticky (/tmp): others cannot rename or delete what is ours in it
    mode = stat.S_IMODE(info.st_mode)
    raise UntrustedPath(
        path,
        f"directory writable by {_who(info, stat.S_IWOTH)} (mode {mode:04o}): they could"
        f" replace cc-aws-tui's files in it; fix: chmod go-w {_q(path)}"
        " (and check the files in it)",
    )


def _check_owner(path: str, info: os.stat_result, kind: str) -> None:
    me = os.geteuid()
    if info.st_uid not in (me, 0):
        raise UntrustedPath(
            path,
            f"{kind} owned by uid {info.st_uid}, not by you (uid {me}) or root: they could"
            f" replace cc-aws-tui's files; fix: chown {me} {_q(path)}, or keep the config"
            " elsewhere (CC_AWS_TUI_CONFIG_DIR)",
        )


def _writable_by_others(info: os.stat_result) -> bool:
    mode = info.st_mode
    if mode & stat.S_IWOTH:
        return True
    return bool(mode & stat.S_IWGRP) and not _private_group(info)


def _private_group(info: os.stat_result) -> bool:
    """Whether the file's group has exactly one member, its owner (Debian's OpenSSH rule)."""
    import grp
    import pwd

    try:
        group = grp.getgrgid(info.st_gid)
        owner = pwd.getpwuid(info.st_uid)
    except KeyError:
        return False
    if any(member != owner.pw_name for member in group.gr_mem):
        return False
    return owner.pw_gid == info.st_gid or owner.pw_name in group.gr_mem


def _who(info: os.stat_result, other_bit: int) -> str:
    return "others" if info.st_mode & other_bit else f"its group (gid {info.st_gid})"


def _what(secret: bool) -> str:
    return "keys" if secret else "commands or settings"


def _q(path: Path | str) -> str:
    import shlex

    return shlex.quote(os.fspath(path))
