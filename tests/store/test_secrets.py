"""Where secrets live: only in secrets.toml, the keyring or a command the user gave; moved with a
rename, deleted with the profile, never echoed when a file or a command fails.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from profiles.core.schema import Profile
from profiles.store import files as store
from profiles.store.files import ConfigError, read_secrets
from profiles.usecases import edit as manage
from tests.cliutil import Cli, sh
from tests.store.storing import KEY, KEY2, TOKEN, add_key, keyring_entries, kr

# --- secrets ---------------------------------------------------------------------------------


def test_file_secret_is_only_in_secrets_toml(cli: Cli, config_dir: Path) -> None:
    add_key(cli, "key")
    profiles_text = (config_dir / "profiles.toml").read_text()
    assert KEY not in profiles_text
    assert KEY[8:20] not in profiles_text
    assert 'api_key_store = "file"' in profiles_text
    assert store.read_secrets() == {"key": {"api_key": KEY}}
    assert KEY in cli("export", "key").out


def test_rm_deletes_the_file_secret(cli: Cli, config_dir: Path) -> None:
    add_key(cli, "key")
    add_key(cli, "other", KEY2)
    assert cli("rm", "key").code == 0
    text = (config_dir / "secrets.toml").read_text()
    assert KEY not in text
    assert "[key]" not in text
    assert store.read_secrets() == {"other": {"api_key": KEY2}}


def test_rename_moves_the_file_secret(cli: Cli, config_dir: Path) -> None:
    add_key(cli, "key")
    assert cli("rename", "key", "renamed").code == 0
    assert store.read_secrets() == {"renamed": {"api_key": KEY}}
    assert KEY not in (config_dir / "profiles.toml").read_text()
    r = cli("export", "renamed")
    assert r.code == 0
    assert f"ANTHROPIC_AWS_API_KEY={KEY};" in r.out


def _blank_runs(text: str) -> list[int]:
    """Where secrets.toml has two blank lines in a row, or ends with one (line numbers)."""
    lines = text.split("\n")
    assert lines[-1] == ""  # ends with a newline
    lines = lines[:-1]
    doubled = [i for i in range(1, len(lines)) if not lines[i].strip() and not lines[i - 1].strip()]
    return doubled + ([len(lines)] if lines and not lines[-1].strip() else [])


def test_rename_and_rm_leave_no_stray_blank_lines(cli: Cli, config_dir: Path) -> None:
    for name in ("a", "b", "c"):
        add_key(cli, name)
    secrets = config_dir / "secrets.toml"
    added = secrets.read_text()
    assert _blank_runs(added) == []
    for step in (["rm", "c"], ["rename", "a", "z"], ["rename", "z", "y"], ["rm", "b"]):
        assert cli(*step).code == 0
        text = secrets.read_text()
        assert _blank_runs(text) == [], f"after {' '.join(step)}:\n{text}"
    assert text.count("\n\n") == 1  # between the header and the one table left
    assert store.read_secrets() == {"y": {"api_key": KEY}}
    assert cli("rm", "y").code == 0
    assert secrets.read_text() == added.split("\n\n", 1)[0] + "\n"  # the header alone


def test_keyring_store(cli: Cli, config_dir: Path, tmp_path: Path) -> None:
    r = cli(
        *sh("add kr --auth api-key --api-key-stdin --gateway-token-stdin --secret-store keyring"),
        *sh("--base-url https://gw.example.com --workspace wrkspc_kr1 --region us-east-1"),
        stdin=f"{KEY}\n{TOKEN}\n",
    )
    assert r.code == 0, r.err
    assert keyring_entries(tmp_path) == {kr("kr"): KEY, kr("kr", "gateway_token"): TOKEN}
    profiles_text = (config_dir / "profiles.toml").read_text()
    assert KEY not in profiles_text
    assert TOKEN not in profiles_text
    assert store.read_secrets() == {}
    out = cli("export", "kr").out
    assert KEY in out
    assert TOKEN in out

    assert cli("rename", "kr", "kr2").code == 0
    assert keyring_entries(tmp_path) == {kr("kr2"): KEY, kr("kr2", "gateway_token"): TOKEN}
    assert KEY in cli("export", "kr2").out

    assert cli("rm", "kr2").code == 0
    assert keyring_entries(tmp_path) == {}


def test_key_command_stores_only_the_command(cli: Cli, config_dir: Path, tmp_path: Path) -> None:
    secret_file = tmp_path / "vault.txt"
    secret_file.write_text(KEY + "\n")
    command = f"cat {secret_file}"
    r = cli(
        *sh("add cmd --auth api-key --api-key-command"),
        command,
        *sh("--workspace wrkspc_cmd1 --region us-east-1"),
    )
    assert r.code == 0, r.err
    text = (config_dir / "profiles.toml").read_text()
    assert KEY not in text
    assert 'api_key_store = "command"' in text
    assert f'api_key_command = "{command}"' in text
    assert not (config_dir / "secrets.toml").exists()
    r = cli("export", "cmd")
    assert r.code == 0
    assert f"export ANTHROPIC_AWS_API_KEY={KEY};" in r.out
    # The command runs at export time: a new key is picked up without touching the profile.
    secret_file.write_text(KEY2 + "\n")
    assert KEY2 in cli("export", "cmd").out


@pytest.mark.parametrize(
    ("script", "reason"),
    [
        ("cat {vault}; echo 'vault is locked' >&2; exit 3", "exit 3): vault is locked"),
        ("cat {vault}; cat {vault}", "alone on one line"),
        ("true", "alone on one line"),
        ("exit 1", "exit 1)"),
    ],
)
def test_failing_key_command_exits_1_and_hides_its_output(
    cli: Cli, tmp_path: Path, script: str, reason: str
) -> None:
    vault = tmp_path / "vault.txt"
    vault.write_text(KEY + "\n")
    r = cli(
        *sh("add cmd --auth api-key --api-key-command"),
        script.format(vault=vault),
        *sh("--workspace wrkspc_cmd1 --region us-east-1"),
    )
    assert r.code == 0, r.err
    for args in ("export cmd", "export", "exec cmd -- true"):
        r = cli(*sh(args))
        assert r.code == 1, args
        assert r.out == ""
        assert r.err.count("\n") == 1
        assert "profile 'cmd'" in r.err
        assert reason in r.err
        assert KEY not in r.err
        assert KEY[-4:] not in r.err


def test_switching_keyring_to_file_removes_the_keyring_entry(
    config_dir: Path, tmp_path: Path
) -> None:
    in_keyring = Profile(
        name="k",
        auth="api-key",
        workspace_id="wrkspc_k1",
        region="us-east-1",
        api_key_store="keyring",
    )
    manage.save_profile(in_keyring, {"api_key": KEY})
    assert keyring_entries(tmp_path) == {kr("k"): KEY}
    assert store.read_secrets() == {}

    manage.save_profile(in_keyring.replace(api_key_store="file"), {"api_key": KEY2}, replace=True)
    assert keyring_entries(tmp_path) == {}
    assert store.read_secrets() == {"k": {"api_key": KEY2}}

    # And back: the file copy goes.
    manage.save_profile(in_keyring, {"api_key": KEY}, replace=True)
    assert keyring_entries(tmp_path) == {kr("k"): KEY}
    assert store.read_secrets() == {}

    # To a command, then to sigv4: nothing is left anywhere.
    manage.save_profile(
        in_keyring.replace(api_key_store="command", api_key_command="pass show k"), replace=True
    )
    assert keyring_entries(tmp_path) == {}
    manage.save_profile(
        Profile(name="k", auth="sigv4", workspace_id="wrkspc_k1", region="us-east-1"),
        replace=True,
    )
    assert keyring_entries(tmp_path) == {}
    assert store.read_secrets() == {}
    assert KEY not in (config_dir / "profiles.toml").read_text()


def test_replace_without_a_new_secret_keeps_the_stored_one(cli: Cli) -> None:
    add_key(cli, "key")
    args = "add key --auth api-key --api-key-stdin --workspace wrkspc_key1 --region eu-west-1"
    r = cli(*sh(args), "--force", stdin=KEY2 + "\n")
    assert r.code == 0, r.err
    assert store.read_secrets() == {"key": {"api_key": KEY2}}
    # An edit through the API that keeps the store and gives no key keeps the old one.
    profile = store.read_doc().profiles["key"]
    manage.save_profile(profile.replace(region="us-west-2"), replace=True)
    assert store.read_secrets() == {"key": {"api_key": KEY2}}


def test_save_refuses_a_secret_the_profile_does_not_store(config_dir: Path) -> None:
    sigv4 = Profile(name="s", auth="sigv4", workspace_id="wrkspc_s1", region="us-east-1")
    with pytest.raises(store.ConfigError, match="stores none"):
        manage.save_profile(sigv4, {"api_key": KEY})
    assert not (config_dir / "profiles.toml").exists() or "s" not in store.read_doc().profiles
    assert store.read_secrets() == {}


def test_secrets_toml_of_the_wrong_shape_is_one_line_and_never_echoed(config_dir: Path) -> None:
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "secrets.toml").write_text(f'k = "{KEY}"\n')
    os.chmod(config_dir / "secrets.toml", 0o600)  # a private file, as cc-aws-tui writes it
    with pytest.raises(ConfigError) as err:
        read_secrets()
    assert "secrets.toml:1:1: [k] must be a table" in str(err.value)
    assert KEY not in str(err.value)
