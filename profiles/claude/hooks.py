"""The commands Claude Code runs back into cc-aws-tui, as settings values, built in one place:
`awsCredentialExport` (the model's credentials, kept out of the agent's environment),
`awsAuthRefresh` (an SSO login only when one is needed) and `statusLine`.

Each is `'<absolute path of this cc-aws-tui>' <command> <profile>`, quoted for `/bin/sh`, so
it works whatever PATH Claude Code (or a hook it runs) has.

Isolation: a SigV4 profile that names an AWS profile can reach the client without
`AWS_PROFILE` in its environment. The client signs with what `awsCredentialExport` prints (it
wins over `AWS_PROFILE`, key variables and `[default]`), and the agent's own commands inherit
the user's environment unchanged (observed with 2.1.328, platform-facts).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Final, Literal

from profiles.core.schema import Profile

Credentials = Literal["isolated", "env"]
CREDENTIAL_MODES: Final[tuple[Credentials, ...]] = ("isolated", "env")
AWS_CREDENTIAL_EXPORT: Final = "awsCredentialExport"
STATUS_LINE: Final = "statusLine"


def self_path() -> str:
    """The absolute path of the `cc-aws-tui` being run (the console script beside this
    Python, else what started us, else the one on PATH)."""
    beside = Path(sys.executable).with_name("cc-aws-tui")
    if beside.is_file():
        return str(beside)
    started = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if started is not None and started.name == "cc-aws-tui" and started.is_file():
        return str(started.resolve())
    import shutil

    return shutil.which("cc-aws-tui") or str(beside)


def self_command(*args: str) -> str:
    import shlex

    return shlex.join([self_path(), *args])


def isolates(profile: Profile, mode: Credentials) -> bool:
    """Whether `profile` reaches Claude Code through `awsCredentialExport` in `mode`."""
    return mode == "isolated" and profile.auth == "sigv4" and bool(profile.aws_profile)


def credential_export(profile: Profile) -> str:
    return self_command("credentials", profile.name)


def profile_of(command: str | None, verb: str) -> str | None:
    """The profile NAME of a `cc-aws-tui VERB NAME` command line (from any install)."""
    import shlex

    try:
        words = shlex.split(command or "")
    except ValueError:
        return None
    if len(words) == 3 and Path(words[0]).name == "cc-aws-tui" and words[1] == verb:
        return words[2]
    return None


def is_credential_export_for(command: str | None, profile: Profile) -> bool:
    """`command` is a cc-aws-tui `credentials` call for this profile (from any install)."""
    return profile_of(command, "credentials") == profile.name


def login(profile: Profile) -> str:
    return self_command("login", profile.name)


def status_line() -> dict[str, object]:
    return {"type": "command", "command": self_command("statusline"), "padding": 0}


def is_sso(profile: Profile) -> bool:
    """The profile's AWS profile logs in with SSO (as the AWS files say; False when they
    cannot be read)."""
    from profiles.aws.ini import AwsConfigError
    from profiles.aws.profiles import ProfileKind, discover_aws_profiles

    try:
        found = discover_aws_profiles()
    except AwsConfigError:
        return False
    kind = next((p.kind for p in found if p.name == profile.aws_profile), None)
    return kind is ProfileKind.SSO


def refresh_command(profile: Profile, mode: Credentials) -> str | None:
    """`awsAuthRefresh` for the profile: its own when it has one; for an isolated SSO profile,
    `cc-aws-tui login NAME` (does nothing while the SSO token is valid)."""
    if profile.aws_auth_refresh is not None:
        return profile.aws_auth_refresh
    if isolates(profile, mode) and is_sso(profile):
        return login(profile)
    return None


KEY_IN_AGENT_ENV: Final = (
    "the API key is in the agent's environment: any command it runs can read it"
)
KEY_REMEDY: Final = (
    "prefer a SigV4 profile with an AWS profile (isolated); CLAUDE_CODE_SUBPROCESS_ENV_SCRUB=1"
    " strips the key from the agent's commands, but only with the bubblewrap sandbox (bwrap and"
    " socat installed)"
)
KEY_EXPOSURE: Final = (
    "an API key reaches Claude Code only through its environment, so every command the agent"
    " runs can read it; a SigV4 profile with an AWS profile keeps credentials out of it"
    " (isolated, the default of `apply`). CLAUDE_CODE_SUBPROCESS_ENV_SCRUB=1 strips it from"
    " the agent's commands, but only with the bubblewrap sandbox (bwrap and socat installed)"
)


def launch_settings(profile: Profile, secrets: dict[str, str]) -> dict[str, object]:
    """The `--settings` object `cc-aws-tui claude` hands Claude Code: the profile's `env` with
    `""` for what it does not use (the command line beats every settings file but managed),
    and, for an isolated SigV4 profile, `awsCredentialExport` and `awsAuthRefresh`."""
    from profiles.claude.apply import profile_env
    from profiles.claude.locations import AWS_AUTH_REFRESH

    env, _ = profile_env(profile, secrets, "isolated")
    out: dict[str, object] = {"env": env}
    if isolates(profile, "isolated"):
        out[AWS_CREDENTIAL_EXPORT] = credential_export(profile)
    refresh = refresh_command(profile, "isolated")
    if refresh is not None:
        out[AWS_AUTH_REFRESH] = refresh
    return out
