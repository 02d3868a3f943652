"""The last validation result per profile follows the profile through rename and delete."""

from __future__ import annotations

from pathlib import Path

from profiles.core.schema import Profile
from profiles.store import history
from profiles.usecases.edit import delete_profile, rename_profile, save_profile


def test_result_moves_with_rename_and_goes_with_delete() -> None:
    save_profile(Profile("dev", "sigv4", "wrkspc_01TestWorkspaceA", "us-east-1"))
    history.record("dev", True, "ready", when=1000.0)
    assert history.load()["dev"] == {"ok": True, "summary": "ready", "at": 1000.0}
    rename_profile("dev", "prod")
    assert "dev" not in history.load()
    assert history.load()["prod"]["ok"] is True
    delete_profile("prod")
    assert history.load() == {}


def test_unreadable_state_means_never_validated(config_dir) -> None:  # type: ignore[no-untyped-def]
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "state.json").write_text("{not json")
    assert history.load() == {}
    history.record("dev", False, "Claude Platform on AWS: HTTP 403", when=5.0)
    assert history.load() == {
        "dev": {"ok": False, "summary": "Claude Platform on AWS: HTTP 403", "at": 5.0}
    }


def test_a_summary_quoting_a_secret_or_escapes_is_stored_safe(config_dir) -> None:  # type: ignore[no-untyped-def]
    """state.json is a file a person reads: a server's echo of the key, or its escapes,
    must not land there even when the caller forgot to redact."""
    import pytest

    from profiles.core import redact
    from profiles.core.envplan import mask
    from profiles.store.secrets import resolve_all

    key = "sk-ant-api03-history-echo-test-key-0007"
    profile = Profile(
        "keyed", "api-key", "wrkspc_01TestWorkspaceA", "us-east-1", api_key_store="file"
    )
    save_profile(profile, {"api_key": key})
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(redact, "_known", None)
        resolve_all(profile)  # what every command does before calling the platform
        history.record("keyed", False, f"HTTP 401: invalid x-api-key {key}\x1b]0;pwned\x07")
    stored = (config_dir / "state.json").read_text(encoding="utf-8")
    assert key not in stored
    assert "\x1b" not in history.load()["keyed"]["summary"]
    assert history.load()["keyed"]["summary"] == (
        f"HTTP 401: invalid x-api-key {mask(key)}\\x1b]0;pwned\\x07"
    )


def test_malformed_state_json_is_ignored_not_a_crash(config_dir: Path) -> None:
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "state.json").write_text('{"validation": {"k": "x", "d": {"ok": 1}}}')
    assert history.load() == {}
