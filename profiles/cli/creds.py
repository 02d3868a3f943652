"""`credentials NAME` and `login NAME`: what Claude Code runs as `awsCredentialExport` and
`awsAuthRefresh`, so the model's AWS identity reaches the client without entering the
environment its agent's commands inherit.

`credentials` prints the STS struct Claude Code reads, and only that, for the profile's AWS
profile alone (never the ambient `AWS_PROFILE` or key variables), from the cache while it is
good (`profiles.aws.credcache`: no network, no botocore) and otherwise from the killable
resolver child (`profiles.aws.creds.resolve_isolated`) under one deadline. Any failure is one
line on stderr and nothing on stdout.

`login` does nothing while nothing is needed: for an SSO profile (or a role on top of one) it
runs `aws sso login` only when the SSO token is missing or has run out, or the portal refused
it; the next `credentials` call makes new role credentials from a valid token by itself. For
any other profile it drops the cached credentials, so the next call resolves them again.

Both are on the fast path (`fast.FAST_COMMANDS`): this module imports only the standard library
and stdlib-only modules of ours until a cache miss.
"""

from __future__ import annotations

import sys

from profiles.cli.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, CliError, info

TYPE_CHECKING = False  # not typing's: the warm `credentials` path imports this module
if TYPE_CHECKING:
    from typing import Any

    from profiles.aws.credcache import Chain
    from profiles.aws.creds import ResolveFailed
    from profiles.core.schema import Profile

DEFAULT_TIMEOUT = 15.0
EXIT_NO_AWS = 127  # `aws` not found, as a shell says for a missing command

CREDENTIALS_DESCRIPTION = """\
Print the AWS credentials of profile NAME as the STS struct Claude Code's
awsCredentialExport setting reads:
  {"Credentials": {"AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration"}}
resolved from the profile's AWS profile alone (SSO, role chains, credential_process,
web identity, keys), never from AWS_PROFILE or AWS_ACCESS_KEY_ID & co. in the
environment. Long-term keys are turned into session credentials (STS GetSessionToken,
one hour). Cached in the config directory until 5 minutes before Expiration, so a
warm call makes no network request. On failure: one line on stderr, nothing on stdout
(an expired SSO session says how to log in)."""

LOGIN_DESCRIPTION = """\
For Claude Code's awsAuthRefresh setting. For a profile signing with SSO (or a role
assumed with SSO credentials): returns at once, running nothing, while the SSO token is
valid; otherwise runs `aws sso login --profile P` (in this terminal) and drops the cached
credentials of every profile drawing on P. For any other AWS profile: drops the cached
credentials, so the next `credentials` call resolves them again. --force logs in anyway.
The exit status is aws's (127 when the AWS CLI is not installed)."""


def register(sub: Any) -> None:
    """The argparse side: help and usage errors (the fast path runs the plain forms)."""
    from profiles.cli.parser import add_command, profile_argument

    p = add_command(
        sub,
        "credentials",
        "print a profile's AWS credentials for Claude Code (awsCredentialExport)",
        lambda a: credentials(a.name, a.timeout),
        description=CREDENTIALS_DESCRIPTION,
    )
    profile_argument(p, help="profile (a sigv4 profile naming an AWS profile)")
    p.add_argument(
        "--timeout",
        type=_seconds_arg,
        default=DEFAULT_TIMEOUT,
        metavar="S",
        help="deadline for the whole call on a cache miss, in seconds"
        f" (default {DEFAULT_TIMEOUT:g})",
    )
    p = add_command(
        sub,
        "login",
        "log in to a profile's SSO session only if needed (awsAuthRefresh)",
        lambda a: login(a.name, force=a.force),
        description=LOGIN_DESCRIPTION,
    )
    profile_argument(p, help="profile (a sigv4 profile naming an AWS profile)")
    p.add_argument("--force", action="store_true", help="run the SSO login even if not needed")


def _seconds_arg(text: str) -> float:
    import argparse

    value = _seconds(text)
    if value is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive number of seconds")
    return value


def _seconds(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if 0 < value < float("inf") else None


# --- the fast path's handlers ------------------------------------------------------------------


def cmd_credentials(args: list[str]) -> int | None:
    from profiles.cli.fast import parse

    parsed = parse(args, values=("--timeout",))
    if parsed is None or len(parsed[0]) != 1:
        return None
    timeout = _seconds(str(parsed[1].get("--timeout", DEFAULT_TIMEOUT)))
    if timeout is None:
        return None  # argparse says what is wrong
    return credentials(parsed[0][0], timeout)


def cmd_login(args: list[str]) -> int | None:
    from profiles.cli.fast import parse

    parsed = parse(args, flags=("--force",))
    if parsed is None or len(parsed[0]) != 1:
        return None
    return login(parsed[0][0], force=bool(parsed[1].get("--force")))


# --- credentials -------------------------------------------------------------------------------


def isolatable(name: str) -> Profile:
    """Profile `name`, if it can hand Claude Code its credentials by `awsCredentialExport`:
    a sigv4 profile naming an AWS profile, whose requests the client signs itself."""
    from profiles.store.files import get_profile, read_doc

    profile = get_profile(read_doc(), name)
    if profile.auth != "sigv4":
        raise CliError(
            f"profile {name!r} uses a workspace API key: there are no AWS credentials to"
            " export (Claude Code reads the key from ANTHROPIC_AWS_API_KEY)"
        )
    if not profile.aws_profile:
        raise CliError(
            f"profile {name!r} names no AWS profile (it signs with the default chain): give"
            f" it one to export credentials (cc-aws-tui edit, or add --aws-profile)"
        )
    if profile.gateway_signs:
        raise CliError(
            f"profile {name!r} has its gateway sign the requests: Claude Code sends no AWS"
            " credentials with it"
        )
    return profile


def credentials(name: str, timeout: float = DEFAULT_TIMEOUT) -> int:
    import json

    from profiles.aws import credcache

    profile = isolatable(name)
    assert profile.aws_profile is not None
    entry = credcache.load_valid(profile.name, profile.aws_profile)
    if entry is None:
        entry = _fresh(profile, timeout)
    # Written last, in one piece: on any error above, stdout holds nothing.
    sys.stdout.write(json.dumps(entry["credentials"]) + "\n")
    return EXIT_OK


def _fresh(profile: Profile, timeout: float) -> dict[str, Any]:
    """Resolve, cache and return a new entry (a cache miss). Concurrent calls for one profile
    (Claude Code may start several) wait for the first one, then use what it cached."""
    from pathlib import Path

    from profiles.aws import credcache
    from profiles.aws.creds import ResolveFailed, resolve_isolated
    from profiles.aws.ini import AwsConfigError
    from profiles.core.deadline import Deadline, DeadlineExceeded
    from profiles.core.redact import remember
    from profiles.store.fsutil import LockTimeout, file_lock

    aws_profile = profile.aws_profile
    assert aws_profile is not None
    deadline = Deadline(timeout)
    try:
        chain = credcache.chain_of(aws_profile)
    except AwsConfigError as exc:
        raise CliError(str(exc)) from None
    remember(*chain.secrets)  # a server quoting a key of these files back is masked too
    credcache.ensure_dir()
    lock = Path(credcache.cache_dir_str()) / f".{profile.name}.lock"
    try:
        with file_lock(lock, timeout=max(0.0, deadline.remaining())):
            entry = credcache.load_valid(profile.name, aws_profile)
            if entry is not None:
                return entry
            signature = credcache.files_signature()
            try:
                resolved = resolve_isolated(aws_profile, profile.region, deadline)
            except ResolveFailed as exc:
                raise _failed(profile, chain, exc) from None
            remember(resolved.secret_key, resolved.token)
            try:
                return credcache.store(profile.name, aws_profile, resolved, chain, signature)
            except OSError as exc:  # a full disk must not cost Claude Code its credentials
                info(f"cc-aws-tui: warning: credentials not cached: {exc.strerror or exc}")
                return {"credentials": credcache.struct(resolved)}
    except (DeadlineExceeded, LockTimeout):
        raise CliError(
            f"profile {profile.name!r}: no credentials from AWS profile {aws_profile!r} within"
            f" {timeout:g}s (the SSO portal, STS or its credential_process did not answer)",
            EXIT_FAILED,
        ) from None


def _failed(profile: Profile, chain: Chain, exc: ResolveFailed) -> CliError:
    """The one line for a failed resolution, with what to do."""
    import contextlib

    from profiles.aws import credcache

    aws_profile = profile.aws_profile
    assert aws_profile is not None
    head = f"profile {profile.name!r}: {exc}"
    if exc.kind == "sso-login":
        root = _sso_root_name(aws_profile) or aws_profile
        with contextlib.suppress(OSError):  # `login` then goes by the token cache alone
            credcache.mark_needs_login(profile.name, aws_profile, chain.names)
        return CliError(
            f"{head}: log in with `cc-aws-tui login {profile.name}`"
            f" (it runs `{_login_text(root)}`)",
            EXIT_FAILED,
        )
    if exc.kind == "profile-not-found":
        return CliError(f"{head}: create it, or point the profile at another one", EXIT_USAGE)
    if exc.kind == "process":
        return CliError(
            f"{head}; see its own message with"
            f" `aws configure export-credentials --profile {_quote(aws_profile)}`",
            EXIT_FAILED,
        )
    if exc.kind == "config":
        return CliError(head, EXIT_USAGE)
    return CliError(head, EXIT_FAILED)


def _sso_root_name(aws_profile: str) -> str | None:
    from profiles.aws.profiles import discover_aws_profiles
    from profiles.aws.sso import sso_root

    try:
        root = sso_root(aws_profile, discover_aws_profiles())
    except ValueError:  # AwsConfigError: the resolution said what it could
        return None
    return root.name if root is not None else None


def _login_text(aws_profile: str) -> str:
    from profiles.aws.sso import login_command_text

    return login_command_text(aws_profile)


def _quote(text: str) -> str:
    import shlex

    return shlex.quote(text)


# --- login -------------------------------------------------------------------------------------


def login(name: str, *, force: bool = False) -> int:
    from profiles.aws import credcache
    from profiles.aws.ini import AwsConfigError
    from profiles.aws.profiles import discover_aws_profiles
    from profiles.aws.sso import sso_root, sso_token_status

    profile = isolatable(name)
    aws_profile = profile.aws_profile
    assert aws_profile is not None
    try:
        root = sso_root(aws_profile, discover_aws_profiles())
    except AwsConfigError as exc:
        raise CliError(str(exc)) from None
    if root is None:
        # A role, a credential_process, keys: nothing to log in to; resolve afresh next time.
        for dropped in credcache.drop_using(aws_profile, also=(name,)):
            info(f"dropped the cached credentials of profile {dropped!r}")
        return EXIT_OK
    status = credcache.read_status(name) or {}
    refused = bool(status.get("needs_login"))
    if not force and not refused and sso_token_status(root) == "valid":
        return EXIT_OK  # nothing to do: `credentials` makes new role credentials by itself
    return _run_sso_login(root.name, name)


def _run_sso_login(sso_profile: str, name: str) -> int:
    import shutil
    import subprocess

    from profiles.aws import credcache
    from profiles.aws.sso import login_command

    argv = login_command(sso_profile)
    found = shutil.which(argv[0])
    if found is None:
        raise CliError(
            "the AWS CLI (`aws`) is not installed or not on PATH: install AWS CLI v2, then"
            f" log in with `{_login_text(sso_profile)}`",
            EXIT_NO_AWS,
        )
    sys.stdout.flush()
    sys.stderr.flush()
    code = subprocess.call([found, *argv[1:]])  # the terminal is aws's: it shows the code
    if code < 0:
        code = 128 - code  # killed by a signal, as a shell reports it
    if code == 0:
        credcache.drop_using(sso_profile, also=(name,))
    return code
