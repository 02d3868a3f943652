"""Operations that change saved profiles, shared by the CLI and the TUI.

Each keeps profiles.toml and the secrets in step: a profile never points at a secret that is
not there, and deleting or renaming a profile deletes or moves its secrets. Each is one store
transaction: it happens whole or not at all.
"""

from __future__ import annotations

from collections.abc import Mapping

from profiles.core.schema import SECRET_KINDS, Profile
from profiles.store import history
from profiles.store import secrets as secret_store
from profiles.store.files import ConfigError, NotFound
from profiles.store.transaction import Transaction, transaction


class AlreadyExists(ConfigError):
    pass


def save_profile(
    profile: Profile,
    new_secrets: Mapping[str, str] | None = None,
    *,
    replace: bool = False,
    make_current: bool = False,
) -> bool:
    """Create or (with `replace`) update `profile`; store `new_secrets` where it says.

    A secret the profile keeps in a file or the keyring must be given now or already be
    there (an edit that keeps the old key). Returns whether the profile became current.
    """
    with transaction() as tx:
        became_current, keyring_drops = _save(tx, profile, new_secrets, replace, make_current, [])
    for kind in keyring_drops:
        secret_store.keyring_delete(profile.name, kind)
    return became_current


def update_profile(
    original_name: str,
    profile: Profile,
    new_secrets: Mapping[str, str] | None = None,
    *,
    make_current: bool = False,
) -> bool:
    """Replace the saved profile `original_name` with `profile`, renamed when its name differs.

    The rename, the new content and the secrets are one transaction: when any part fails
    (a clash, an invalid result, a secret store that raises), the profile keeps its old name,
    content and secrets. Returns whether the profile became current.
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
    if renamed:
        history.forget(original_name, renamed_to=profile.name)
        for kind in moved:
            secret_store.keyring_delete(original_name, kind)
    for kind in keyring_drops:
        secret_store.keyring_delete(profile.name, kind)
    return became_current


def secrets_to_retype(profile: Profile, typed: Mapping[str, str]) -> list[str]:
    """The secrets `profile` keeps itself (file or keyring) that are not in `typed`: replacing
    a saved profile needs them all given, or its old secret would silently stay."""
    return [
        k
        for k in profile.secret_kinds()
        if k not in typed and profile.secret_store(k) in ("file", "keyring")
    ]


def delete_profile(name: str) -> None:
    with transaction() as tx:
        profile = _existing(tx.state.profiles, name)
        tx.remove(name)
        tx.drop_file_secrets(name)
    history.forget(name)
    for kind in SECRET_KINDS:
        if profile.secret_store(kind) == "keyring":
            secret_store.keyring_delete(name, kind)


def rename_profile(old: str, new: str) -> None:
    _check_new_name(new)
    moved: list[str] = []
    with transaction() as tx:
        _rename(tx, old, new, moved)
    history.forget(old, renamed_to=new)
    for kind in moved:
        secret_store.keyring_delete(old, kind)


def set_current(name: str | None) -> None:
    with transaction() as tx:
        if name is not None:
            _existing(tx.state.profiles, name)
        if tx.state.current != name:
            tx.set_current(name)


# --- the steps, inside a caller's transaction ------------------------------------------------


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
