"""Saving an edited profile from the wizard is one transaction: renamed and changed, or not.

The app used to rename first and save the new content second; when the save failed, the
profile stayed renamed with its old content.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from pydantic import SecretStr

from profiles.core.schema import Profile
from profiles.store import secrets as secret_store
from profiles.store.files import read_doc
from profiles.store.secrets import SecretError
from profiles.usecases.edit import save_profile
from tui.app import make_app
from tui.state import Draft

WS = "wrkspc_01TestWorkspaceA"
KEY = "sk-ant-api03-Zx9Yw8Vu7Ts6Rq5Po4Nm-f3Qa"
KEY2 = "sk-ant-api03-Second0Key1Value2Here-Wx7Y"


def test_an_edit_whose_new_key_is_refused_is_neither_renamed_nor_changed(
    isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    save_profile(
        Profile("k", "api-key", WS, "us-east-1", api_key_store="keyring"), {"api_key": KEY}
    )
    real_set = secret_store.keyring_set

    def refuse_new_key(profile: str, kind: str, value: str) -> None:
        if value == KEY2:
            raise SecretError("could not save the API key in the keyring (KeyringLocked)")
        real_set(profile, kind, value)

    monkeypatch.setattr(secret_store, "keyring_set", refuse_new_key)
    edited = Draft.from_profile(read_doc().profiles["k"]).model_copy(
        update={"name": "k2", "region": "eu-west-1", "api_key": SecretStr(KEY2)}
    )
    toasts: list[str] = []

    async def run() -> None:
        app = make_app()
        async with app.run_test(size=(100, 32)) as pilot:
            monkeypatch.setattr(app, "notify", lambda message, **kw: toasts.append(message))
            await app.save_draft(edited).wait()
            await pilot.pause()

    asyncio.run(run())
    assert any("KeyringLocked" in t for t in toasts), toasts
    doc = read_doc()
    assert list(doc.profiles) == ["k"]
    assert doc.profiles["k"].region == "us-east-1"
    assert secret_store.keyring_get("k", "api_key") == KEY
    assert secret_store.keyring_get("k2", "api_key") is None
