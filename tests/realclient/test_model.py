"""The one model of Claude Code's configuration (`profiles.claude.resolve`) and `status`, checked
against what the real client does with the same settings files and shell (issue 10, items 2
and 6).

Each case lays settings (user, project's local) over a shell; `cc-aws-tui status --json` runs in
that shell, then the client itself. The model's answer, `status`'s and the request the client
sent must agree on: provider, endpoint, region, SigV4 identity (by the JavaScript SDK's chain),
workspace, key, model and cache TTL.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from profiles.claude.resolve import FOUNDRY, PLATFORM, Resolved, layers_here, resolve
from tests.fakeplatform import TEMP_ACCESS_KEY, TEST_API_KEY, WORKSPACE_A, WORKSPACE_B
from tests.realclient.conftest import (
    DEFAULT_ACCESS_KEY,
    REGION,
    USER_ACCESS_KEY,
    USER_SECRET_KEY,
    Machine,
)
from tests.realclient.harness import ANTHROPIC_API, ClientRun

ON = {"CLAUDE_CODE_USE_ANTHROPIC_AWS": "1", "ANTHROPIC_AWS_WORKSPACE_ID": WORKSPACE_A}
SIGNED = {**ON, "AWS_PROFILE": "model", "AWS_REGION": REGION}
MY_KEYS = {"AWS_ACCESS_KEY_ID": USER_ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": USER_SECRET_KEY}
STALE_KEY = "sk-ant-api03-stale-key-from-another-setup-0000"
# The AWS identity each credential source signs as, in the machine's AWS files.
IDENTITY = {"model": TEMP_ACCESS_KEY, "mine": USER_ACCESS_KEY, "default": DEFAULT_ACCESS_KEY}

CASES: dict[str, dict[str, Any]] = {
    "exported-sigv4": {"shell": SIGNED},
    "aws-profile-beats-key-variables": {"shell": {**SIGNED, **MY_KEYS}},
    "key-variables-alone": {"shell": {**ON, "AWS_REGION": REGION, **MY_KEYS}},
    "default-profile-and-its-region": {"shell": ON},
    "aws-default-region": {"shell": {**ON, "AWS_DEFAULT_REGION": REGION}},
    "region-of-the-aws-profile": {"shell": {**ON, "AWS_PROFILE": "model"}},
    "aws-default-region-beats-the-profiles": {
        "shell": {**ON, "AWS_PROFILE": "model", "AWS_DEFAULT_REGION": "us-west-2"}
    },
    "user-settings-workspace-beats-the-shell": {
        "shell": SIGNED,
        "user": {"ANTHROPIC_AWS_WORKSPACE_ID": WORKSPACE_B},
    },
    "local-beats-user": {
        "shell": SIGNED,
        "user": {"ANTHROPIC_AWS_WORKSPACE_ID": WORKSPACE_B, "AWS_PROFILE": "mine"},
        "local": {"ANTHROPIC_AWS_WORKSPACE_ID": WORKSPACE_A, "AWS_PROFILE": "model"},
    },
    "settings-bedrock-wins": {"shell": SIGNED, "user": {"CLAUDE_CODE_USE_BEDROCK": "1"}},
    "shell-bedrock-beats-applied-settings": {
        "shell": {"CLAUDE_CODE_USE_BEDROCK": "1"},
        "user": SIGNED,
    },
    "blank-in-settings-hides-shell-bedrock": {
        "shell": {"CLAUDE_CODE_USE_BEDROCK": "1"},
        "user": {**SIGNED, "CLAUDE_CODE_USE_BEDROCK": ""},
    },
    "shell-foundry-wins": {"shell": {**SIGNED, "CLAUDE_CODE_USE_FOUNDRY": "1"}},
    "switch-2-is-off": {"shell": {**SIGNED, "CLAUDE_CODE_USE_ANTHROPIC_AWS": "2"}},
    "switch-yes-is-on": {"shell": {**SIGNED, "CLAUDE_CODE_USE_ANTHROPIC_AWS": "yes"}},
    "stale-shell-key-beats-applied-sigv4": {
        "shell": {"ANTHROPIC_AWS_API_KEY": STALE_KEY},
        "user": SIGNED,
    },
    "blank-key-in-settings-hides-it": {
        "shell": {"ANTHROPIC_AWS_API_KEY": STALE_KEY},
        "user": {**SIGNED, "ANTHROPIC_AWS_API_KEY": ""},
    },
    "key-in-settings": {
        "shell": {**MY_KEYS},
        "user": {**ON, "AWS_REGION": REGION, "ANTHROPIC_AWS_API_KEY": TEST_API_KEY},
    },
    "pins-and-ttl-from-settings": {
        "shell": {**SIGNED, "ANTHROPIC_DEFAULT_OPUS_MODEL": "claude-opus-4-8"},
        "user": {
            "ANTHROPIC_DEFAULT_OPUS_MODEL": "claude-opus-4-7", "ENABLE_PROMPT_CACHING_1H": "1",
        },
    },
    "blank-pin-and-ttl-hide-the-shells": {
        "shell": {
            **SIGNED, "ANTHROPIC_DEFAULT_OPUS_MODEL": "claude-opus-4-8",
            "ENABLE_PROMPT_CACHING_1H": "1",
        },
        "user": {"ANTHROPIC_DEFAULT_OPUS_MODEL": "", "ENABLE_PROMPT_CACHING_1H": ""},
    },
    "blank-region-falls-through": {
        "shell": {**SIGNED, "AWS_REGION": "us-west-2"},
        "user": {"AWS_REGION": ""},
    },
    "blank-base-url-is-the-default-endpoint": {
        "shell": {**SIGNED, "ANTHROPIC_AWS_BASE_URL": "https://stale-gateway.test"},
        "user": {"ANTHROPIC_AWS_BASE_URL": ""},
    },
    "stale-base-url-from-the-shell": {
        "shell": {**SIGNED, "ANTHROPIC_AWS_BASE_URL": "https://stale-gateway.test"},
    },
}  # fmt: skip


def write_settings(machine: Machine, case: Mapping[str, Any]) -> None:
    files = {
        "user": machine.home / ".claude" / "settings.json",
        "local": machine.project / ".claude" / "settings.local.json",
    }
    for scope, path in files.items():
        if scope in case:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps({"env": case[scope]}))


def signer(res: Resolved, shell: Mapping[str, str]) -> str | None:
    """The access key ID the model says the client signs with."""
    creds = res.credentials
    if creds is None:
        return None
    if creds.kind == "environment":
        return res.get("AWS_ACCESS_KEY_ID")
    return IDENTITY[creds.profile or "default"]


def check_against_client(res: Resolved, status: dict[str, Any], run: ClientRun) -> None:
    if res.provider == FOUNDRY:  # no Foundry resource here: the client stops before sending
        assert not run.sent, run.explain()
        assert "ANTHROPIC_FOUNDRY_RESOURCE" in run.stdout, run.explain()
        assert status["provider"].startswith(FOUNDRY)
        return
    if res.provider == ANTHROPIC_API and not run.sent:  # no Anthropic login here
        assert "Not logged in" in run.stdout, run.explain()
        assert status["provider"].startswith(ANTHROPIC_API)
        assert not status["on_platform"]
        return
    sent = run.main
    assert sent.provider == res.provider, run.explain()
    assert status["provider"].startswith(res.provider)
    assert status["on_platform"] is (res.provider == PLATFORM)
    if res.provider != PLATFORM:
        assert status["workspace_id"] is None
        assert status["auth"] is None
        return
    assert res.base_url is not None
    assert sent.host == urlsplit(res.base_url).hostname, run.explain()
    assert sent.workspace == res.workspace == status["workspace_id"]
    assert status["base_url"] == res.base_url
    assert status["region"] == res.region
    assert status["auth"] == res.auth
    if res.auth == "api-key":
        assert sent.auth == "api-key"
        assert sent.api_key == res.get("ANTHROPIC_AWS_API_KEY")
    else:
        assert sent.auth == "sigv4", run.explain()
        assert sent.region == res.region
        assert sent.service == "aws-external-anthropic"
        assert sent.access_key_id == signer(res, {}), run.explain()
        assert status["aws_credentials"] == (res.credentials and res.credentials.kind)
    assert sent.model == res.models.get("opus", "claude-opus-5-5")
    assert status["models"] == dict(res.models)
    assert sent.cache_ttl == res.cache_ttl == status["cache_ttl"]


@pytest.mark.parametrize("name", sorted(CASES))
def test_model_and_status_agree_with_the_client(
    machine: Machine, isolated_env: Path, name: str
) -> None:
    case = CASES[name]
    write_settings(machine, case)
    shell = machine.env(case["shell"])
    res = resolve(layers_here(shell, machine.project))
    status_file = machine.root / "status.json"
    run = machine.run(
        f"cc-aws-tui status --json > {status_file}\nclaude -p 'say hi' --model opus || true",
        shell=case["shell"],
    )
    status = json.loads(status_file.read_text())
    check_against_client(res, status, run)
