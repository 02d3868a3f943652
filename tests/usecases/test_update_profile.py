"""`update_profile`: an edit renames, changes and re-keys a saved profile in one transaction.

When any part fails after the rename (the keyring refuses the new key, the new content is
refused), the profile keeps its old name, content and secrets: nothing is half done.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from profiles.core.schema import Profile
from profiles.store import history
from profiles.store import secrets as secret_store
from profiles.store.files import ConfigError, read_doc, read_secrets
from profiles.store.secrets import KEYRING_SERVICE, SecretError
from profiles.store.transaction import Transaction
from profiles.usecases.edit import AlreadyExists, save_profile, update_profile

WS = "wrkspc_01TestWorkspaceA"
KEY = "sk-ant-api03-Zx9Yw8Vu7Ts6Rq5Po4Nm-f3Qa"
KEY2 = "sk-ant-api03-Second0Key1Value2Here-Wx7Y"


def keyed(name: str = "k", store: str = "file", region: str = "us-east-1") -> Profile:
    return Profile(name, "api-key", WS, region, api_key_store=store)  # type: ignore[arg-type]


def keyring_entries(tmp_path: Path) -> dict[str, str]:
    path = tmp_path / "keyring.json"
    data: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
    return data


def kr(name: str, kind: str = "api_key") -> str:
    return f"{KEYRING_SERVICE}\0{name}:{kind}"


def test_renames_changes_and_rekeys_at_once() -> None:
    save_profile(keyed(), {"api_key": KEY})
    history.record("k", True, "ready")

    edited = update_profile("k", keyed("k2", region="eu-west-1"), {"api_key": KEY2})

    doc = read_doc()
    assert list(doc.profiles) == ["k2"]
    assert doc.profiles["k2"].region == "eu-west-1"
    assert doc.current == "k2"
    assert not edited.became_current  # it was current already: the rename kept it so
    assert read_secrets() == {"k2": {"api_key": KEY2}}
    assert set(history.load()) == {"k2"}


def test_keyring_secrets_follow_the_rename(isolated_env: Path) -> None:
    save_profile(keyed(store="keyring"), {"api_key": KEY})
    update_profile("k", keyed("k2", store="keyring", region="eu-west-1"))
    assert keyring_entries(isolated_env) == {kr("k2"): KEY}
    assert read_doc().profiles["k2"].region == "eu-west-1"


def test_without_a_rename_it_is_a_replace() -> None:
    save_profile(keyed(), {"api_key": KEY})
    update_profile("k", keyed(region="eu-west-1"))
    assert read_doc().profiles["k"].region == "eu-west-1"
    assert read_secrets() == {"k": {"api_key": KEY}}


def test_a_keyring_that_refuses_the_new_key_leaves_the_profile_as_it_was(
    isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    save_profile(keyed(store="keyring"), {"api_key": KEY})
    real_set = secret_store.keyring_set

    def refuse_new_key(profile: str, kind: str, value: str) -> None:
        if value == KEY2:
            raise SecretError("could not save the API key in the keyring (KeyringLocked)")
        real_set(profile, kind, value)

    monkeypatch.setattr(secret_store, "keyring_set", refuse_new_key)
    with pytest.raises(SecretError):
        update_profile("k", keyed("k2", store="keyring", region="eu-west-1"), {"api_key": KEY2})

    doc = read_doc()
    assert list(doc.profiles) == ["k"]  # not renamed
    assert doc.profiles["k"].region == "us-east-1"  # not changed
    assert doc.current == "k"
    assert keyring_entries(isolated_env) == {kr("k"): KEY}  # the copy under k2 is gone


def test_refused_content_leaves_the_profile_and_its_file_secret_as_they_were(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    save_profile(keyed(), {"api_key": KEY})
    history.record("k", True, "ready")
    real_put = Transaction.put

    def refuse_the_change(self: Transaction, profile: Profile) -> None:
        if profile.region == "eu-west-1":
            raise ConfigError("profiles.toml: refusing to save an invalid file")
        real_put(self, profile)

    monkeypatch.setattr(Transaction, "put", refuse_the_change)
    with pytest.raises(ConfigError, match="refusing"):
        update_profile("k", keyed("k2", region="eu-west-1"), {"api_key": KEY2})

    doc = read_doc()
    assert list(doc.profiles) == ["k"]
    assert doc.profiles["k"].region == "us-east-1"
    assert read_secrets() == {"k": {"api_key": KEY}}
    assert "k" in history.load()


def test_a_taken_name_is_refused_and_its_owner_keeps_its_keyring_secret(
    isolated_env: Path,
) -> None:
    save_profile(keyed(store="keyring"), {"api_key": KEY})
    save_profile(keyed("other", store="keyring"), {"api_key": KEY2})
    with pytest.raises(AlreadyExists):
        update_profile("k", keyed("other", store="keyring"))
    assert sorted(read_doc().profiles) == ["k", "other"]
    assert keyring_entries(isolated_env) == {kr("k"): KEY, kr("other"): KEY2}


def test_an_invalid_new_name_is_refused() -> None:
    save_profile(keyed(), {"api_key": KEY})
    with pytest.raises(ConfigError):
        update_profile("k", keyed("no spaces allowed"))
    assert list(read_doc().profiles) == ["k"]
