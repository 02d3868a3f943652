"""What the store tests share: the secrets they save, profiles added through the CLI, and ways to
look at what was written (temp files, keyring entries). Plain helpers, imported by name."""

from __future__ import annotations

import json
from pathlib import Path

from profiles.core.schema import Profile
from profiles.store.secrets import KEYRING_SERVICE
from tests.cliutil import Cli, sh

KEY = "sk-ant-api03-Zx9Yw8Vu7Ts6Rq5Po4Nm-f3Qa"
KEY2 = "sk-ant-api03-Second0Key1Value2Here-Wx7Y"
TOKEN = "gw-token-4f8a2b9c1d7e3f6a"
WS = "wrkspc_01TestWorkspaceA"


def add_sigv4(cli: Cli, name: str, *extra: str) -> None:
    r = cli(*sh(f"add {name} --auth sigv4 --workspace wrkspc_{name}1 --region us-east-1"), *extra)
    assert r.code == 0, r.err


def add_key(cli: Cli, name: str, key: str = KEY, *extra: str) -> None:
    args = (
        f"add {name} --auth api-key --api-key-stdin --workspace wrkspc_{name}1 --region us-east-1"
    )
    r = cli(*sh(args), *extra, stdin=key + "\n")
    assert r.code == 0, r.err


def temp_files(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


def keyring_entries(tmp_path: Path) -> dict[str, str]:
    path = tmp_path / "keyring.json"
    data: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
    return data


def kr(name: str, kind: str = "api_key") -> str:
    """The key our test keyring backend stores an entry under."""
    return f"{KEYRING_SERVICE}\0{name}:{kind}"


def sigv4() -> Profile:
    return Profile("dev", "sigv4", WS, "us-east-1", aws_profile="dev")


# A valid profiles.toml, as cc-aws-tui writes it.
GOOD = """\
# hand-edited
schema = 1
current = "dev"

[profiles.dev]
auth = "sigv4"
aws_profile = "dev"
workspace_id = "wrkspc_dev1"
region = "us-east-1"

[profiles.dev.models]
opus = "claude-opus-4-7"

[profiles.key]
auth = "api-key"
api_key_store = "file"
workspace_id = "wrkspc_key1"
region = "eu-west-1"
"""
