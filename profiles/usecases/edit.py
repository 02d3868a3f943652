"""Operations that change saved profiles, shared by the CLI and the TUI.

Each keeps profiles.toml and the secrets in step: a profile never points at a secret that is
not there, and deleting or renaming a profile deletes or moves its secrets. Each is one store
transaction: it happens whole or not at all.

Each also drops the session credentials `cc-aws-tui credentials` cached for the profile, and
keeps Claude Code's settings in step: once the transaction is written, every settings
file the profile had been applied to gets it again (deleted: taken back), through
claude.sync, with its secrets resolved as `apply` resolves them. The profile change stands
whatever becomes of a settings file; `Edited.settings` says, file by file, what did.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from profiles.core.schema import SECRET_KINDS, Profile
from profiles.store import history
from profiles.store import secrets as secret_store
from profiles.store.files import ConfigError, NotFound
from profiles.store.transaction import Transaction, transaction

if TYPE_CHECKING:
    from profiles.claude.sync import Synced


class AlreadyExists(ConfigError):
    pass


@dataclass(frozen=True)
class Edited:
    """What a change to a saved profile did, beyond the change itself."""

    became_current: bool = False
    """The profile is now the current one."""
    settings: tuple[Synced, ...] = ()
    """Each Claude Code settings file the profile had been applied to: re-applied (or, for a
    deletion, taken back), or why not. Empty when it was applied nowhere."""


def save_profile(
    profile: Profile,
    new_secrets: Mapping[str, str] | None = None,
    *,
    replace: bool = False,
    make_current: bool = False,
) -> Edited:
    """Create or (with `replace`) update `profile`; store `new_secrets` where it says.

    A secret the profile keeps in a file or the keyring must be given now or already be
    there (an edit that keeps the old key). A replaced profile is re-applied to the settings
    files it had been applied to.
    """
    with transaction() as tx:
        replaced = profile.name in tx.state.profiles
        became_current, keyring_drops = _save(tx, profile, new_secrets, replace, make_current, [])
    for kind in keyring_drops:
        secret_store.keyring_delete(profile.name, kind)
    if replaced:
        _forget_credentials(profile.name)
    settings = _resync(profile.name, profile) if replaced else ()
    return Edited(became_current, settings)


def update_profile(
    original_name: str,
    profile: Profile,
    new_secrets: Mapping[str, str] | None = None,
    *,
    make_current: bool = False,
) -> Edited:
    """Replace the saved profile `original_name` with `profile`, renamed when its name differs.

    The rename, the new content and the secrets are one transaction: when any part fails
    (a clash, an invalid result, a secret store that raises), the profile keeps its old name,
    content and secrets. Then it is re-applied to the settings files it had been applied to
    (their record moves to the new name).
    """
    renamed = profile.name != original_name
    moved: list[str] = []  # keyring secrets copied to the new name
    written: list[str] = []  # keyring secrets given now, stored under the new name
    if renamed:
        _check_new_name(profile.name)
    try:
        with transaction() as tx:
            if renamed:
                _rename(tx, original_name, profile.name, moved)
            became_current, keyring_drops = _save(
                tx, profile, new_secrets, True, make_current, written
            )
    except BaseException:
        if renamed:  # stored under a name that was never saved: no profile uses them
            for kind in {*moved, *written}:
                secret_store.keyring_delete(profile.name, kind)
        raise
    _forget_credentials(original_name, profile.name)
    if renamed:
        history.forget(original_name, renamed_to=profile.name)
        for kind in moved:
            secret_store.keyring_delete(original_name, kind)
    for kind in keyring_drops:
        secret_store.keyring_delete(profile.name, kind)
    return Edited(became_current, _resync(original_name, profile))


def secrets_to_retype(profile: Profile, typed: Mapping[str, str]) -> list[str]:
    """The secrets `profile` keeps itself (file or keyring) that are not in `typed`: replacing
    a saved profile needs them all given, or its old secret would silently stay."""
    return [
        k
        for k in profile.secret_kinds()
        if k not in typed and profile.secret_store(k) in ("file", "keyring")
    ]


def delete_profile(name: str) -> Edited:
    """Delete profile `name` and its secrets; take it back from the settings files it had
    been applied to."""
    with transaction() as tx:
        profile = _existing(tx.state.profiles, name)
        tx.remove(name)
        tx.drop_file_secrets(name)
    history.forget(name)
    _forget_credentials(name)
    for kind in SECRET_KINDS:
        if profile.secret_store(kind) == "keyring":
            secret_store.keyring_delete(name, kind)
    return Edited(settings=_resync(name, None))


def rename_profile(old: str, new: str) -> Edited:
    """Rename profile `old` to `new`, its secrets and its settings files' record with it."""
    _check_new_name(new)
    moved: list[str] = []
    with transaction() as tx:
        renamed = _existing(tx.state.profiles, old).replace(name=new)
        _rename(tx, old, new, moved)
    history.forget(old, renamed_to=new)
    _forget_credentials(old)
    for kind in moved:
        secret_store.keyring_delete(old, kind)
    return Edited(settings=_resync(old, renamed))


def reapply_profile(name: str) -> tuple[Synced, ...]:
    """Apply saved profile `name` again to every settings file it was applied to (the home
    screen's answer to a file that drifted)."""
    from profiles.store.files import read_doc

    return _resync(name, _existing(read_doc().profiles, name))


def set_current(name: str | None) -> None:
    with transaction() as tx:
        if name is not None:
            _existing(tx.state.profiles, name)
        if tx.state.current != name:
            tx.set_current(name)


def _forget_credentials(*names: str) -> None:
    """Drop the session credentials `cc-aws-tui credentials` cached for these profiles: an
    edited, renamed or deleted profile leaves none behind (an entry is also keyed by the AWS
    profile it was made for, so a hand edit of profiles.toml is caught when it is read)."""
    import contextlib

    from profiles.aws import credcache

    for name in dict.fromkeys(names):
        with contextlib.suppress(OSError):
            credcache.drop(name)


# --- the steps, inside a caller's transaction ------------------------------------------------


def _resync(old_name: str, profile: Profile | None) -> tuple[Synced, ...]:
    """After the transaction: the settings files `old_name` was applied to, brought in step
    with `profile` (None: deleted). Its secrets come from the one place `apply` gets them,
    and only when there is a file to write."""
    from profiles.claude.sync import resync

    return tuple(resync(old_name, profile, secret_store.resolve_all))


def _save(
    tx: Transaction,
    profile: Profile,
    new_secrets: Mapping[str, str] | None,
    replace: bool,
    make_current: bool,
    written: list[str],
) -> tuple[bool, list[str]]:
    """Put `profile` and its secrets, listing in `written` the keyring secrets stored; returns
    whether it became current and the keyring secrets to delete once the transaction is
    written."""
    new_secrets = dict(new_secrets or {})
    keyring_drops: list[str] = []
    old = tx.state.profiles.get(profile.name)
    if old is not None and not replace:
        raise AlreadyExists(f"profile {profile.name!r} already exists: pass --force to replace it")
    for kind in SECRET_KINDS:
        store = profile.secret_store(kind)
        value = new_secrets.get(kind)
        if value is not None and store not in ("file", "keyring"):
            raise ConfigError(
                f"{secret_store.LABELS[kind]} given, but the profile stores none"
                f" ({kind}_store = {store or 'unset'})"
            )
        old_store = old.secret_store(kind) if old else None
        if value is None and store in ("file", "keyring") and store != old_store:
            raise ConfigError(
                f"profile {profile.name!r} needs its {secret_store.LABELS[kind]}:"
                " give it on standard input"
            )
        if store == "keyring" and value is not None:
            secret_store.keyring_set(profile.name, kind, value)
            written.append(kind)
        if store == "file" and value is not None:
            tx.set_file_secret(profile.name, kind, value)
        if store != "file":
            tx.drop_file_secrets(profile.name, (kind,))
        if old_store == "keyring" and store != "keyring":
            keyring_drops.append(kind)
    tx.put(profile)
    became_current = make_current or tx.state.current is None
    if became_current:
        tx.set_current(profile.name)
    return became_current, keyring_drops


def _rename(tx: Transaction, old: str, new: str, moved: list[str]) -> None:
    """Rename `old` to `new` with its file secrets; copy its keyring secrets to `new` and list
    them in `moved` (the old ones are deleted once the transaction is written)."""
    profile = _existing(tx.state.profiles, old)
    if new in tx.state.profiles:
        raise AlreadyExists(f"profile {new!r} already exists: remove or rename it first")
    for kind in SECRET_KINDS:
        if profile.secret_store(kind) == "keyring":
            value = secret_store.keyring_get(old, kind)
            if value is not None:
                secret_store.keyring_set(new, kind, value)
                moved.append(kind)
    tx.rename(old, new)
    tx.move_file_secrets(old, new)


def _check_new_name(new: str) -> None:
    """Before the transaction (the lock): a name the schema refuses is refused at once."""
    from profiles.core.rules import check_name

    try:
        check_name(new)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None


def _existing(profiles: Mapping[str, Profile], name: str) -> Profile:
    try:
        return profiles[name]
    except KeyError:
        known = ", ".join(sorted(profiles)) or "none yet"
        raise NotFound(f"no profile named {name!r} (saved profiles: {known})") from None
