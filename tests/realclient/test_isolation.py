"""Isolated credentials, checked with the real client in agent mode (issue 11).

The fake platform answers the first request with a `tool_use` for the Bash tool (`env`); the
client runs it and sends the output back, so the test reads the environment the agent's own
commands get. The shell holds the user's own `AWS_PROFILE`. Isolated (`apply`, and
`cc-aws-tui claude`): the model's requests are signed as the profile's identity, while the
agent's environment keeps the user's `AWS_PROFILE` and holds none of the profile's
credentials. Exported, for contrast, the agent acts as the model's identity.
"""

from __future__ import annotations

import json
import sys
import time

import pytest

from tests.fakeplatform import (
    TEMP_ACCESS_KEY,
    TEMP_SECRET_KEY,
    TEMP_SESSION_TOKEN,
    WORKSPACE_A,
)
from tests.realclient.conftest import REGION, Machine
from tests.realclient.harness import PLATFORM, ClientRun
from tests.servers import ACCOUNT_ID, AwsFiles

AGENT = "claude -p 'show me the environment' --allowedTools Bash"
USER_SHELL = {"AWS_PROFILE": "mine"}
SECRETS = (TEMP_ACCESS_KEY, TEMP_SECRET_KEY, TEMP_SESSION_TOKEN)


def add_role_profile(machine: Machine) -> str:
    """An AWS profile whose credential_process prints temporary credentials (as a role or
    SSO would), and a cc-aws-tui profile `iso` using it."""
    script = machine.home / "bin" / "model-creds"
    script.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "Version": 1, "AccessKeyId": TEMP_ACCESS_KEY, "SecretAccessKey": TEMP_SECRET_KEY,
        "SessionToken": TEMP_SESSION_TOKEN, "Expiration": "2099-01-01T00:00:00Z",
    }  # fmt: skip
    script.write_text(f"#!{sys.executable}\nprint({json.dumps(json.dumps(payload))})\n")
    script.chmod(0o755)
    config = machine.home / ".aws" / "config"
    config.write_text(
        config.read_text()
        + f"\n[profile model-role]\nregion = {REGION}\ncredential_process = {script}\n"
    )
    return (
        f"cc-aws-tui add iso --auth sigv4 --aws-profile model-role --workspace {WORKSPACE_A}"
        f" --region {REGION} >/dev/null"
    )


def assert_isolated(run: ClientRun) -> None:
    assert run.sent, run.explain()
    sent = run.sent[0]
    assert sent.provider == PLATFORM, run.explain()
    assert sent.access_key_id == TEMP_ACCESS_KEY, run.explain()
    assert sent.session_token
    assert sent.workspace == WORKSPACE_A
    env = run.agent_env()
    assert env.get("AWS_PROFILE") == "mine", env
    leaked = [k for k, v in env.items() if any(secret in v for secret in SECRETS)]
    assert leaked == [], leaked
    assert not {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"} & set(env)


WAYS = {
    "apply-user": "cc-aws-tui apply iso --scope user >/dev/null\n" + AGENT,
    "apply-local": "cc-aws-tui apply iso --scope local >/dev/null\n" + AGENT,
    "cc-aws-tui-claude": "cc-aws-tui claude iso -- " + AGENT.removeprefix("claude "),
}


@pytest.mark.parametrize("way", sorted(WAYS))
def test_the_agent_keeps_the_users_identity(machine: Machine, way: str) -> None:
    run = machine.run(
        add_role_profile(machine) + "\n" + WAYS[way], shell=USER_SHELL, agent_command="env"
    )
    assert_isolated(run)


@pytest.mark.parametrize(
    "how",
    ['eval "$(cc-aws-tui export iso)"\n' + AGENT, "cc-aws-tui exec iso -- " + AGENT,
     "cc-aws-tui apply iso --scope user --credentials env >/dev/null\n" + AGENT],
    ids=["export", "exec", "apply-credentials-env"],
)  # fmt: skip
def test_not_isolated_the_agent_acts_as_the_model(machine: Machine, how: str) -> None:
    """The contrast: AWS_PROFILE in the client's environment is in the agent's too (why
    isolation is the default of `apply` and what `cc-aws-tui claude` does)."""
    run = machine.run(
        add_role_profile(machine) + "\n" + how,
        shell=USER_SHELL,
        agent_command="env",
    )
    assert run.sent[0].access_key_id == TEMP_ACCESS_KEY, run.explain()
    assert run.agent_env().get("AWS_PROFILE") == "model-role"


def test_the_launcher_touches_no_settings_file(machine: Machine) -> None:
    run = machine.run(
        add_role_profile(machine) + "\ncc-aws-tui claude iso -- -p 'say hi'", shell=USER_SHELL
    )
    assert run.rc == 0, run.explain()
    assert run.main.access_key_id == TEMP_ACCESS_KEY
    assert not (machine.home / ".claude" / "settings.json").exists()
    assert not (machine.project / ".claude").exists()


# --- SSO and role profiles, with the fake SSO portal and moto's STS in the namespace -------


def aws_files(machine: Machine) -> AwsFiles:
    aws = machine.home / ".aws"
    return AwsFiles(aws / "config", aws / "credentials", aws / "sso" / "cache")


def add_sso_and_role(machine: Machine) -> str:
    files = aws_files(machine)
    files.add_sso_profile("model-sso", region=REGION)
    files.write_sso_token()
    files.add_assume_role(
        "model-role-chain", f"arn:aws:iam::{ACCOUNT_ID}:role/claude", "mine", region=REGION
    )
    return "\n".join(
        f"cc-aws-tui add {name} --auth sigv4 --aws-profile {aws} --workspace {WORKSPACE_A}"
        f" --region {REGION} >/dev/null"
        for name, aws in (("sso", "model-sso"), ("role", "model-role-chain"))
    )


@pytest.mark.parametrize("name", ["sso", "role"])
def test_sso_and_role_profiles_are_isolated(machine: Machine, name: str) -> None:
    run = machine.run(
        f"{add_sso_and_role(machine)}\ncc-aws-tui apply {name} --scope user >/dev/null\n{AGENT}",
        shell=USER_SHELL,
        agent_command="env",
        aws_servers=True,
    )
    sent = run.sent[0] if run.sent else None
    assert sent is not None, run.explain()
    assert sent.status == 200, run.explain()  # the platform knows the credentials it got
    assert sent.session_token
    if name == "sso":
        assert sent.access_key_id == TEMP_ACCESS_KEY  # what the portal handed out
        assert run.portal_requests == 1
    else:
        assert sent.access_key_id is not None
        assert sent.access_key_id.startswith("ASIA")  # minted by AssumeRole
    env = run.agent_env()
    assert env.get("AWS_PROFILE") == "mine"
    assert not {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"} & set(env)
    settings = json.loads((machine.home / ".claude" / "settings.json").read_text())
    if name == "sso":  # a refresh that logs in only when the SSO token has run out
        assert settings["awsAuthRefresh"].endswith(" login sso")


def test_an_expired_cached_credential_is_renewed(machine: Machine) -> None:
    """Cached, then expired in the cache: the next session gets fresh ones from the portal."""
    cache = machine.home / ".config" / "cc-aws-tui" / "credentials" / "sso.creds.json"
    expire = (
        f"python3 -c 'import json,sys; p=sys.argv[1]; d=json.load(open(p));"
        f' d["expires_at"]=0;'
        f' json.dump(d, open(p, "w"))\' {cache}'
    )
    run = machine.run(
        f"{add_sso_and_role(machine)}\ncc-aws-tui apply sso --scope user >/dev/null\n"
        f"cc-aws-tui credentials sso >/dev/null\n{expire}\nclaude -p 'say hi'",
        aws_servers=True,
    )
    assert run.rc == 0, run.explain()
    assert run.main.access_key_id == TEMP_ACCESS_KEY
    assert run.portal_requests == 2  # once cached, once renewed after the expiry
    assert json.loads(cache.read_text())["expires_at"] > time.time()
