"""The cache of `cc-aws-tui credentials`: session credentials per saved profile, until five
minutes before they expire, so Claude Code's `awsCredentialExport` costs no network and starts
fast while they are good.

In the cc-aws-tui config directory, `credentials/` (0700):

- `<name>.creds.json` (0600): the credentials, their expiry, and what they were made from: the
  AWS profile, the chain of AWS profiles it draws on (`source_profile`), the `stat` signature of
  the AWS config and credentials files, and a SHA-256 fingerprint of the sections of those files
  that the chain reads (profiles, their `sso-session` and `services` sections).
- `<name>.status.json` (0600, no secret): the AWS profile, the chain, the source kind and the
  expiry, for the status line and `login`, which never need to open the first file.

A cached entry is used only when it was made for the same profile name and AWS profile, is
valid for more than `REFRESH_MARGIN` seconds yet, and the AWS files still say what they said:
their `stat` signature is unchanged (two stats: the warm path), or, when it changed, the
fingerprint of the chain's sections is (an edit of another profile keeps the entry; the
signature is then brought up to date). Files are written atomically, never through a link
planted at their path (`fsutil.atomic_write_bytes(follow_links=False)`); a link found there is
a miss and is replaced. Standard library only on the warm path: `json`, `os`, `time`.
"""

from __future__ import annotations

import contextlib
import json
import os
import time

from profiles.aws import paths as aws_paths
from profiles.store import paths

TYPE_CHECKING = False  # not typing's: this is the warm `credentials` path
if TYPE_CHECKING:
    from typing import Any, Final

    from profiles.aws.creds import Resolved

CACHE_DIR: Final = "credentials"
FORMAT: Final = 1
REFRESH_MARGIN: Final = 300.0  # seconds before Expiration a cached entry stops being used
_SECRET_SUFFIX: Final = ".creds.json"
_STATUS_SUFFIX: Final = ".status.json"


def cache_dir_str() -> str:
    return os.path.join(paths.config_dir_str(), CACHE_DIR)


def secret_path(name: str) -> str:
    return os.path.join(cache_dir_str(), name + _SECRET_SUFFIX)


def status_path(name: str) -> str:
    return os.path.join(cache_dir_str(), name + _STATUS_SUFFIX)


def iso_utc(when: float) -> str:
    """`2026-01-01T12:00:00Z`: ISO 8601 in UTC, whole seconds (rounded down)."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(when))


# --- what the cache is keyed by ---------------------------------------------------------------


def files_signature() -> list[list[Any]]:
    """Path, device, inode, size and mtime of the AWS config and credentials files (None for
    one that is missing): what changes on any write, at the cost of two stats."""
    out: list[list[Any]] = []
    for path in (aws_paths.config_path_str(), aws_paths.credentials_path_str()):
        try:
            info = os.stat(path)
        except OSError:
            out.append([path, None])
            continue
        out.append([path, info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns])
    return out


class Chain:
    """The AWS profiles one profile's credentials are drawn from, the fingerprint of the
    sections they read (None when the profile's own section cannot be found: then only an
    unchanged file signature keeps a cache entry), and the secret values in those sections
    (for a redactor)."""

    __slots__ = ("fingerprint", "names", "secrets")

    def __init__(self, names: list[str], fingerprint: str | None, secrets: list[str]) -> None:
        self.names = names
        self.fingerprint = fingerprint
        self.secrets = secrets


_SECRET_KEYS = ("aws_secret_access_key", "aws_session_token", "aws_security_token")


def chain_of(aws_profile: str) -> Chain:
    """Read the AWS files (`profiles.aws.ini`, as botocore parses them) and follow the
    profile's `source_profile` links. Raises `AwsConfigError` for a file AWS tools would
    refuse."""
    import hashlib
    from pathlib import Path

    from profiles.aws.ini import load_ini, shlex_words

    config = load_ini(Path(aws_paths.config_path_str())) or {}
    credentials = load_ini(Path(aws_paths.credentials_path_str())) or {}
    by_kind: dict[tuple[str, str], Any] = {}
    for key, section in config.items():
        words = shlex_words(key) or []
        if words == ["default"]:
            by_kind[("profile", "default")] = section
        elif len(words) == 2 and words[0] in ("profile", "sso-session", "services"):
            by_kind[(words[0], words[1])] = section

    names: list[str] = []
    picked: list[Any] = []
    secrets: list[str] = []
    found_own = False
    current: str | None = aws_profile
    while current is not None and current not in names:
        names.append(current)
        in_config: Any = by_kind.get(("profile", current))
        in_creds: Any = credentials.get(current)
        found_own = found_own or (in_config is not None or in_creds is not None)
        picked.append(["profile", current, in_config, in_creds])
        nxt: str | None = None
        for section in (in_config, in_creds):
            if not isinstance(section, dict):
                continue
            for key in ("sso_session", "services"):
                ref = section.get(key)
                if isinstance(ref, str):
                    kind = "sso-session" if key == "sso_session" else "services"
                    picked.append([kind, ref, by_kind.get((kind, ref))])
            secrets.extend(
                v for k, v in section.items() if k in _SECRET_KEYS and isinstance(v, str)
            )
            source = section.get("source_profile")
            if isinstance(source, str) and source:
                nxt = source
        current = nxt
    blob = json.dumps([[aws_paths.config_path_str(), aws_paths.credentials_path_str()], picked])
    fingerprint = hashlib.sha256(blob.encode("utf-8")).hexdigest() if found_own else None
    return Chain(names, fingerprint, secrets)


# --- reading -----------------------------------------------------------------------------------


def _read_json(path: str, *, secret: bool) -> dict[str, Any] | None:
    """One of our cache files, or None: missing, a link, not ours, not JSON, another format."""
    from profiles.store.fileread import UnreadableFile
    from profiles.store.trust import read_trusted

    if os.path.islink(path):
        return None  # never read through (nor write through) a planted link
    try:
        raw = read_trusted(path, secret=secret)
        data = json.loads(raw) if raw is not None else None
    except (UnreadableFile, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return None
    return data


def load_valid(name: str, aws_profile: str, now: float | None = None) -> dict[str, Any] | None:
    """The cached entry of profile `name` if it may be used now (see the module docstring):
    its `credentials` are the struct Claude Code reads. None otherwise."""
    entry = _read_json(secret_path(name), secret=True)
    if entry is None or entry.get("profile") != name or entry.get("aws_profile") != aws_profile:
        return None
    expires_at = entry.get("expires_at")
    now = time.time() if now is None else now
    if not isinstance(expires_at, int | float) or now >= expires_at - REFRESH_MARGIN:
        return None
    if not _is_struct(entry.get("credentials")):
        return None
    signature = files_signature()
    if entry.get("files") == signature:
        return entry
    # The AWS files changed: still good if what the chain reads did not.
    stored = entry.get("sections")
    try:
        chain = chain_of(aws_profile)
    except ValueError:  # AwsConfigError: a broken file; the resolution will say what is wrong
        return None
    if stored is None or chain.fingerprint != stored:
        return None
    entry["files"] = signature
    with contextlib.suppress(OSError):  # best effort: the next call compares again
        _write(secret_path(name), entry)
    return entry


_STRUCT_KEYS = ("AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration")


def _is_struct(value: Any) -> bool:
    """The STS struct, whole: what Claude Code is handed as it is."""
    inner = value.get("Credentials") if isinstance(value, dict) else None
    return (
        isinstance(inner, dict)
        and list(value) == ["Credentials"]
        and all(isinstance(inner.get(k), str) and inner[k] for k in _STRUCT_KEYS)
    )


def read_status(name: str) -> dict[str, Any] | None:
    """The non-secret sidecar of profile `name` (None: none, or unusable)."""
    status = _read_json(status_path(name), secret=False)
    return status if status is not None and status.get("profile") == name else None


# --- writing -----------------------------------------------------------------------------------


def ensure_dir() -> None:
    """Create the cache directory (0700) if need be. A link in its place is refused: the
    files in it would land wherever it leads."""
    from pathlib import Path

    from profiles.store.fileread import UnreadableFile
    from profiles.store.fsutil import ensure_private_dir

    path = cache_dir_str()
    if _dir_is_a_link():
        raise UnreadableFile(
            path, "is a symlink: cc-aws-tui keeps credentials only in a directory of its own"
        )
    ensure_private_dir(Path(path))


def _write(path: str, data: dict[str, Any]) -> None:
    from profiles.store.fsutil import PRIVATE_FILE, atomic_write_bytes

    blob = (json.dumps(data, indent=1) + "\n").encode("utf-8")
    atomic_write_bytes(path, blob, PRIVATE_FILE, follow_links=False)


def struct(resolved: Resolved) -> dict[str, Any]:
    """What `awsCredentialExport` prints: the STS struct Claude Code reads."""
    return {
        "Credentials": {
            "AccessKeyId": resolved.access_key,
            "SecretAccessKey": resolved.secret_key,
            "SessionToken": resolved.token,
            "Expiration": iso_utc(resolved.expires_at),
        }
    }


def store(
    name: str, aws_profile: str, resolved: Resolved, chain: Chain, signature: list[list[Any]]
) -> dict[str, Any]:
    """Cache `resolved` for profile `name` (the directory is created 0700 if need be) and
    return the entry. `signature` is `files_signature()` as it was *before* the resolution,
    so an edit made meanwhile is seen by the next call."""
    ensure_dir()
    status: dict[str, Any] = {
        "format": FORMAT,
        "profile": name,
        "aws_profile": aws_profile,
        "chain": chain.names,
        "source": resolved.method,
        "minted": resolved.minted,
        "expiry_known": resolved.expiry_known,
        "expires_at": resolved.expires_at,
        "expiration": iso_utc(resolved.expires_at),
        "written_at": time.time(),
    }
    entry = {
        **status,
        "files": signature,
        "sections": chain.fingerprint,
        "credentials": struct(resolved),
    }
    _write(secret_path(name), entry)
    _write(status_path(name), status)
    return entry


def mark_needs_login(name: str, aws_profile: str, chain: list[str]) -> None:
    """Record that profile `name`'s SSO login was refused or has run out, whatever the token
    cache says (a revoked token looks valid there): `login` then logs in, and the status line
    says so. Replaces its cache entry."""
    drop(name)
    ensure_dir()
    status = {
        "format": FORMAT,
        "profile": name,
        "aws_profile": aws_profile,
        "chain": chain,
        "needs_login": True,
        "written_at": time.time(),
    }
    _write(status_path(name), status)


def _dir_is_a_link() -> bool:
    """Whether the cache directory is a link: then nothing in it is ours to list or delete
    (it leads wherever someone pointed it)."""
    return os.path.islink(cache_dir_str())


def drop(name: str) -> bool:
    """Delete profile `name`'s cache entry (a link there is removed, not followed); whether
    there was one. Nothing is deleted through a linked cache directory."""
    if _dir_is_a_link():
        return False
    dropped = False
    for path in (secret_path(name), status_path(name)):
        try:
            os.unlink(path)
            dropped = True
        except FileNotFoundError:
            pass
    return dropped


def cached_names() -> list[str]:
    """The profile names that have a cache entry (none through a linked cache directory)."""
    if _dir_is_a_link():
        return []
    try:
        entries = os.listdir(cache_dir_str())
    except OSError:
        return []
    return sorted(e[: -len(_SECRET_SUFFIX)] for e in entries if e.endswith(_SECRET_SUFFIX))


def drop_using(aws_profile: str, also: tuple[str, ...] = ()) -> list[str]:
    """Delete the entry of every profile whose chain draws on `aws_profile`, and of the
    profiles named in `also`; the names dropped."""
    dropped: list[str] = []
    for name in sorted({*cached_names(), *also}):
        status = read_status(name) or _read_json(secret_path(name), secret=True) or {}
        chain = status.get("chain")
        uses = isinstance(chain, list) and aws_profile in chain
        if (uses or name in also) and drop(name):
            dropped.append(name)
    return dropped
