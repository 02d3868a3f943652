"""Every way cc-aws-tui configures Claude Code, checked against the real client (issue 10).

For each way (export, exec, apply to each settings scope) and each starting shell (a clean
one, and one polluted with other setups' variables: Bedrock and Foundry switched on, a stale
key, the user's own AWS identity, another workspace, region, endpoint, model pin, TTL and
gateway), the client must send exactly what the profile says: to Claude Platform on AWS at the
workspace's regional endpoint, with the profile's identity (SigV4 for `aws-external-anthropic`
in the workspace's region, or the workspace key), workspace, model and cache TTL.
"""

from __future__ import annotations

import pytest

from tests.fakeplatform import TEMP_ACCESS_KEY, TEST_API_KEY, WORKSPACE_A, WORKSPACE_B
from tests.realclient.conftest import REGION, USER_ACCESS_KEY, USER_SECRET_KEY, Machine
from tests.realclient.harness import PLATFORM, Sent

PROMPT = "claude -p 'say hi' --model opus"
PINNED_OPUS = "claude-opus-4-7"
UNPINNED_OPUS = "claude-opus-5-5"  # what 2.1.328 asks for when nothing pins opus

PROFILES = {
    "sigv4": (
        f"cc-aws-tui add sigv4 --auth sigv4 --aws-profile model --workspace {WORKSPACE_A}"
        f" --region {REGION} --opus {PINNED_OPUS} --cache-ttl 1h"
    ),
    "key": (
        f"printf '%s\\n' '{TEST_API_KEY}' | cc-aws-tui add key --auth api-key --api-key-stdin"
        f" --workspace {WORKSPACE_A} --region {REGION}"
    ),
}

POLLUTED = {
    "CLAUDE_CODE_USE_BEDROCK": "1",
    "CLAUDE_CODE_USE_FOUNDRY": "1",
    "ANTHROPIC_AWS_API_KEY": "sk-ant-api03-stale-key-from-another-setup-0000",
    "AWS_PROFILE": "mine",
    "AWS_ACCESS_KEY_ID": USER_ACCESS_KEY,
    "AWS_SECRET_ACCESS_KEY": USER_SECRET_KEY,
    "AWS_REGION": "us-west-2",
    "ANTHROPIC_AWS_WORKSPACE_ID": WORKSPACE_B,
    "ANTHROPIC_AWS_BASE_URL": "https://stale-gateway.test",
    "ANTHROPIC_DEFAULT_OPUS_MODEL": "claude-opus-4-8",
    "ENABLE_PROMPT_CACHING_1H": "1",
    "CLAUDE_CODE_SKIP_ANTHROPIC_AWS_AUTH": "1",
    "ANTHROPIC_AUTH_TOKEN": "stale-gateway-token-0000",
}
SHELLS = {"clean": {}, "polluted": POLLUTED}

WAYS = {
    "export": 'eval "$(cc-aws-tui export {name})"\n' + PROMPT,
    "exec": "cc-aws-tui exec {name} -- " + PROMPT,
    "apply-user": "cc-aws-tui apply {name} --scope user >/dev/null\n" + PROMPT,
    "apply-local": "cc-aws-tui apply {name} --scope local >/dev/null\n" + PROMPT,
    "apply-project": "cc-aws-tui apply {name} --scope project >/dev/null\n" + PROMPT,
}


def expected(kind: str) -> dict[str, object]:
    common = {
        "provider": PLATFORM,
        "host": f"aws-external-anthropic.{REGION}.api.aws",
        "workspace": WORKSPACE_A,
        "bearer": None,
    }
    if kind == "sigv4":
        return {
            **common,
            "auth": "sigv4",
            "access_key_id": TEMP_ACCESS_KEY,
            "region": REGION,
            "service": "aws-external-anthropic",
            "api_key": None,
            "model": PINNED_OPUS,
            "cache_ttl": "1h",
            "status": 200,
        }
    return {
        **common,
        "auth": "api-key",
        "access_key_id": None,
        "api_key": TEST_API_KEY,
        "model": UNPINNED_OPUS,
        "cache_ttl": "5m",
        "status": 200,
    }


def observed(sent: Sent, keys: dict[str, object]) -> dict[str, object]:
    return {k: getattr(sent, k) for k in keys}


CASES = [
    pytest.param(kind, way, shell, id=f"{kind}-{way}-{shell}")
    for kind in PROFILES
    for way in WAYS
    for shell in SHELLS
    if not (kind == "key" and way == "apply-project")  # a key is never written there
]


@pytest.mark.parametrize(("kind", "way", "shell"), CASES)
def test_the_client_sends_what_the_profile_says(
    machine: Machine, kind: str, way: str, shell: str
) -> None:
    run = machine.run(
        PROFILES[kind] + " >/dev/null\n" + WAYS[way].format(name=kind), shell=SHELLS[shell]
    )
    want = expected(kind)
    got = observed(run.main, want)
    assert got == want, run.explain()
    assert run.rc == 0, run.explain()


@pytest.mark.parametrize("change", ["add-force", "rename", "rm"])
def test_an_applied_profile_stays_in_step_with_the_client(machine: Machine, change: str) -> None:
    """Edit, rename or delete an applied profile: what the client sends follows (issue 10)."""
    edits = {
        "add-force": PROFILES["sigv4"].replace(WORKSPACE_A, WORKSPACE_B) + " --force",
        "rename": "cc-aws-tui rename sigv4 renamed",
        "rm": "cc-aws-tui rm sigv4",
    }
    run = machine.run(
        f"{PROFILES['sigv4']} >/dev/null\ncc-aws-tui apply sigv4 --scope user >/dev/null\n"
        f"{edits[change]} >/dev/null 2>&1\n{PROMPT} || true"
    )
    if change == "rm":  # taken back: nothing left for Claude Platform on AWS
        assert not any(s.provider == PLATFORM for s in run.sent), run.explain()
        return
    want = {**expected("sigv4"), "workspace": WORKSPACE_B if change == "add-force" else WORKSPACE_A}
    assert observed(run.main, want) == want, run.explain()
