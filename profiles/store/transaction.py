"""Writing profiles.toml and secrets.toml: one locked read-modify-write at a time.

Inside `transaction()`: a cross-process lock, a re-read with `tomlkit` so comments and order a
user wrote by hand survive, validation of the result, and an atomic replace, in a crash-safe
order (a crash anywhere leaves every saved profile with its secret). A file that does not parse
or validate is never rewritten. Reading is files.py's job; this module is never on the export
path.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from profiles.core.schema import (
    SCHEMA_VERSION,
    SECRET_KINDS,
    Profile,
    ProfilesDoc,
    SchemaError,
    doc_from_mapping,
)
from profiles.store import paths
from profiles.store.files import (
    UNCHANGED,
    ConfigError,
    parse_toml,
    read_doc,
    read_secrets,
    read_text,
    write_cache,
)

if TYPE_CHECKING:
    from pathlib import Path

    import tomlkit.container
    import tomlkit.items
    from tomlkit.toml_document import TOMLDocument


class Transaction:
    """A locked read-modify-write of profiles.toml (and secrets.toml when touched)."""

    def __init__(self, doc: TOMLDocument) -> None:
        self.doc = doc
        self.secrets_doc: TOMLDocument | None = None
        self.changed = False
        self.secrets_changed = False
        self._validated: ProfilesDoc | None = None

    @property
    def state(self) -> ProfilesDoc:
        """The document as it stands now, validated."""
        if self._validated is None:
            self._validated = doc_from_mapping(self.doc.unwrap())
        return self._validated

    def _touch(self) -> None:
        self.changed = True
        self._validated = None

    def _profiles_table(self) -> tomlkit.items.Table:
        import tomlkit

        if "profiles" not in self.doc:
            table = tomlkit.table(is_super_table=True)
            self.doc.add("profiles", table)
        profiles = self.doc["profiles"]
        if not isinstance(profiles, tomlkit.items.Table):
            # e.g. `profiles.dev.auth = ...` dotted keys, which tomlkit cannot edit in place.
            raise ConfigError(
                f"{paths.profiles_file()}: cannot edit profiles written as dotted keys;"
                f" write each one as a [profiles.NAME] table {UNCHANGED}"
            )
        return profiles

    def put(self, profile: Profile) -> None:
        """Insert or update a profile, keeping comments and key order of an existing one."""
        import tomlkit

        from profiles.store import tomledit

        table = self._profiles_table()
        new = profile.to_toml_dict()
        if profile.name in table:
            existing = table[profile.name]
            # Comments at the very end of the table head the next one: keep them last.
            trailing = tomledit.pop_trailing_trivia(existing)
            _merge_table(existing, new)
            tomledit.append_trivia(existing, trailing)
        else:
            body = tomlkit.table()
            for key, value in new.items():
                if isinstance(value, Mapping):
                    sub = tomlkit.table()
                    sub.update(value)
                    body.add(key, sub)
                else:
                    body.add(key, value)
            table.add(profile.name, body)
        self._touch()

    def remove(self, name: str) -> None:
        from profiles.store import tomledit

        tomledit.remove_keeping_comments(self.doc, self._profiles_table(), name)
        if self.doc.get("current") == name:
            del self.doc["current"]
        self._touch()

    def rename(self, old: str, new: str) -> None:
        from profiles.store import tomledit

        profile = self.state.profiles[old]
        was_current = self.state.current == old
        if tomledit.rename_in_place(self._profiles_table(), old, new):
            self._touch()
        else:
            self.put(_renamed(profile, new))
            self.remove(old)
        if was_current:
            self.set_current(new)

    def set_current(self, name: str | None) -> None:
        if name is None:
            if "current" in self.doc:
                del self.doc["current"]
        elif "current" not in self.doc and "schema" in self.doc:
            # Right after `schema`: tomlkit would otherwise put a new key just before the first
            # table, i.e. between that table's header and the comments a user wrote above it.
            self.doc._insert_after("schema", "current", name)
        else:
            self.doc["current"] = name
        self._touch()

    # secrets.toml (file-store secrets only; keyring and commands live elsewhere)

    def _secrets(self) -> TOMLDocument:
        if self.secrets_doc is None:
            self.secrets_doc = _load_for_write(paths.secrets_file(), _SECRETS_HEADER)
        return self.secrets_doc

    def set_file_secret(self, profile: str, kind: str, value: str) -> None:
        import tomlkit

        doc = self._secrets()
        if profile not in doc:
            doc.add(profile, tomlkit.table())
        doc[profile][kind] = value
        self.secrets_changed = True

    def drop_file_secrets(self, profile: str, kinds: tuple[str, ...] = SECRET_KINDS) -> None:
        path = paths.secrets_file()
        if self.secrets_doc is None and not path.exists():
            return
        doc = self._secrets()
        if profile in doc:
            table = doc[profile]
            for kind in kinds:
                if kind in table:
                    del table[kind]
                    self.secrets_changed = True
            if not table:
                del doc[profile]
                self.secrets_changed = True

    def move_file_secrets(self, old: str, new: str) -> None:
        path = paths.secrets_file()
        if self.secrets_doc is None and not path.exists():
            return
        doc = self._secrets()
        if old in doc:
            for kind, value in doc[old].unwrap().items():
                self.set_file_secret(new, kind, value)
            del doc[old]
            self.secrets_changed = True


_SECRETS_HEADER = (
    "# cc-aws-tui secrets (API keys, gateway tokens). Keep this file private (mode 0600),\n"
    "# like ~/.aws/credentials. One table per profile.\n"
)
_PROFILES_HEADER = (
    "# cc-aws-tui profiles. Edit by hand if you like: comments and order are kept.\n"
    "# Secrets are not stored here (see secrets.toml or your keyring).\n"
)


def _load_for_write(path: Path, header: str) -> TOMLDocument:
    """tomlkit document of `path`, refusing a file tomllib cannot read (never overwrite it).

    Only secrets.toml is loaded this way: it is read (and trusted) as a secret file, once, and
    the very text that was checked is the one edited.
    """
    import tomlkit

    text = read_text(path, secret=True)
    if text is None:
        return tomlkit.parse(header)
    parse_toml(path, text)  # raises ConfigError with line/column on a broken file
    return tomlkit.parse(text)


def _merge_table(table: Any, new: Mapping[str, Any]) -> None:
    """Update `table` in place to equal `new`, so untouched keys keep their comments."""
    import tomlkit
    from tomlkit.items import InlineTable

    for key in [k for k in table if k not in new]:
        del table[key]
    for key, value in new.items():
        if isinstance(value, Mapping):
            if key not in table or not isinstance(table[key], Mapping):
                # An inline table (`dev = { ... }`) can only hold inline tables.
                sub = tomlkit.inline_table() if isinstance(table, InlineTable) else tomlkit.table()
                sub.update(value)
                table[key] = sub
            else:
                _merge_table(table[key], value)
        elif key not in table or table[key] != value:
            table[key] = value


def _renamed(profile: Profile, new: str) -> Profile:
    return profile.replace(name=new)


# The files written under paths.lock_file() (history.py writes state.json under it too).
_LOCKED_FILES = ("profiles.toml", "secrets.toml", "state.json", ".profiles.toml.cache")


@contextlib.contextmanager
def transaction() -> Iterator[Transaction]:
    """Lock, load with tomlkit, let the caller edit, validate, write atomically.

    Raises ConfigError (and writes nothing) if the existing file is broken or the edit would
    produce an invalid document.
    """
    import tomllib

    import tomlkit

    from profiles.store.fsutil import atomic_write, file_lock, sweep_temps

    path = paths.profiles_file()
    with file_lock(paths.lock_file()):
        # A save killed mid-write leaves its temp file (0600, maybe holding keys): ours to
        # remove now that we hold the lock every writer of these files holds.
        sweep_temps(paths.config_dir(), _LOCKED_FILES)
        read_doc(path)  # refuse to touch a file that does not validate
        if path.exists():
            doc = tomlkit.parse(path.read_text(encoding="utf-8"))
        else:
            doc = tomlkit.parse(_PROFILES_HEADER)
            doc.add("schema", SCHEMA_VERSION)
        tx = Transaction(doc=doc)
        yield tx
        text = tomlkit.dumps(tx.doc) if tx.changed else None
        parsed: dict[str, Any] = {}
        if text is not None:
            try:
                parsed = tomllib.loads(text)
                doc_from_mapping(parsed)  # never write what we could not read back
            except (SchemaError, tomllib.TOMLDecodeError) as exc:
                raise ConfigError(f"{path}: refusing to save an invalid file: {exc}") from None
        secrets_text = None
        if tx.secrets_changed and tx.secrets_doc is not None:
            secrets_text = _tidy_blank_lines(tomlkit.dumps(tx.secrets_doc))
            # Crash-safe order: first the old secrets plus the new ones, then the profiles,
            # then the secrets as they end. A crash anywhere leaves every saved profile with
            # its secret (at worst an orphan secret stays behind).
            both = _union(read_secrets(), tomllib.loads(secrets_text))
            atomic_write(paths.secrets_file(), tomlkit.dumps(both))
        if text is not None:
            atomic_write(path, text)
            write_cache(path, text, parsed)  # the next export need not import tomllib
        if secrets_text is not None:
            atomic_write(paths.secrets_file(), secrets_text)


def _tidy_blank_lines(text: str) -> str:
    """`text` with one blank line at most between lines and none at the end.

    tomlkit leaves the blank line that separated a removed table from the next one, and adds
    another before a table appended after it, so `rm` and `rename` left runs of blank lines
    in secrets.toml (a file we write, one table per profile). The tidied text is used only
    if it reads back the same (a multi-line string keeps its blank lines)."""
    import re
    import tomllib

    tidy = re.sub(r"\n(?:[ \t]*\n){2,}", "\n\n", text).rstrip("\n \t") + "\n"
    return tidy if tomllib.loads(tidy) == tomllib.loads(text) else text


def _union(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {name: dict(table) for name, table in old.items()}
    for name, table in new.items():
        out.setdefault(name, {}).update(table)
    return out
