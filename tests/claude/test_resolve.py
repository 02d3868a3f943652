"""The model of Claude Code's configuration (profiles/claude/resolve.py), pure cases. The same
rules are checked against the real client in tests/realclient/test_model.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from profiles.claude.resolve import (
    ANTHROPIC_API,
    BEDROCK,
    PLATFORM,
    SHELL,
    Layer,
    layers_here,
    resolve,
)

ON = {"CLAUDE_CODE_USE_ANTHROPIC_AWS": "1", "ANTHROPIC_AWS_WORKSPACE_ID": "wrkspc_01A"}


def no_profiles(name: str, environ: object) -> str | None:
    return {"model": "eu-west-1"}.get(name)


def test_layers_in_order_with_the_command_line_between_managed_and_local(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / ".claude").mkdir()
    (repo / ".claude" / "settings.local.json").write_text(
        json.dumps({"env": {"AWS_REGION": "local-1", "ANTHROPIC_AWS_WORKSPACE_ID": "wrkspc_L"}})
    )
    managed = tmp_path / "managed.json"
    managed.write_text(json.dumps({"env": {"ANTHROPIC_AWS_WORKSPACE_ID": "wrkspc_M"}}))
    cmd = {"env": {"AWS_REGION": "cmd-1", "N": 3}, "awsCredentialExport": "x credentials"}

    layers = layers_here(ON, repo, command_line=cmd, managed_path=managed)
    res = resolve(layers, region_of=no_profiles)

    assert [layer.name for layer in layers] == ["managed", "command line", "local", SHELL]
    assert res.get("ANTHROPIC_AWS_WORKSPACE_ID") == "wrkspc_M"  # managed beats everything
    assert res.region == "cmd-1"  # --settings beats local
    assert res.get("N") == "3"
    assert res.credentials is not None
    assert res.credentials.kind == "awsCredentialExport"


@pytest.mark.parametrize(
    ("value", "on"), [("1", True), ("true", True), (" YES ", True), ("on", True),
                      ("2", False), ("y", False), ("", False), ("off", False)],
)  # fmt: skip
def test_a_switch_reads_as_claude_code_reads_it(value: str, on: bool) -> None:
    res = resolve([Layer(SHELL, {**ON, "CLAUDE_CODE_USE_ANTHROPIC_AWS": value})])
    assert res.provider == (PLATFORM if on else ANTHROPIC_API)


def test_blank_in_settings_hides_the_shell_and_bedrock_wins_when_on() -> None:
    shell = Layer(SHELL, {**ON, "CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "us-west-2"})
    user = Layer("user", {"CLAUDE_CODE_USE_BEDROCK": "", "AWS_REGION": ""}, Path("/u.json"))
    res = resolve([user, shell], region_of=no_profiles)
    assert res.provider == PLATFORM
    assert res.region == "us-east-1"  # AWS_REGION "" is unset; nothing else sets one
    assert resolve([shell]).provider == BEDROCK


def test_region_order_and_credentials_by_the_javascript_chain() -> None:
    env = {**ON, "AWS_PROFILE": "model", "AWS_ACCESS_KEY_ID": "AKIA1", "AWS_SECRET_ACCESS_KEY": "s"}
    res = resolve([Layer(SHELL, env)], region_of=no_profiles)
    assert (res.region, res.credentials and res.credentials.kind) == ("eu-west-1", "profile")
    res = resolve(
        [Layer(SHELL, {**env, "AWS_DEFAULT_REGION": "ap-south-1"})], region_of=no_profiles
    )
    assert res.region == "ap-south-1"
    keys_only = {k: v for k, v in env.items() if k != "AWS_PROFILE"}
    res = resolve([Layer(SHELL, keys_only)], region_of=no_profiles)
    assert res.credentials is not None
    assert res.credentials.kind == "environment"
