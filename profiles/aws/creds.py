"""Resolve a profile's AWS credentials in a child process that the call's deadline can kill.

botocore's credential chain can block anywhere: a `credential_process` that hangs, an SSO
portal or a role's STS endpoint that answers one byte at a time. Inside our own process none
of that can be stopped: a thread can only be abandoned, still running, holding its socket and
its `credential_process` child. So the chain runs in `python -m profiles.aws.creds` in a session
of its own; at the deadline its whole process group is killed (the `credential_process` and
anything it started with it) and nothing is left behind. The child sets botocore's
connect/read timeouts from what is left and turns retries off, so an SSO or STS call that is
merely slow fails with botocore's own message before the kill.

The child prints one JSON line on its stdout pipe: the frozen credentials, or the botocore
error's class and arguments, which the parent raises again so callers catch the usual
botocore exceptions. The credentials never leave that pipe.

`resolve_isolated` is the same child asked for what Claude Code's `awsCredentialExport` needs
(`cc-aws-tui credentials`): the credentials of one AWS profile *alone*. The child gets an
environment without `AWS_PROFILE`, the key variables and the web-identity variables (the
user's shell may hold their own identity), and a chain without the providers that do not come
from the profile (container and instance roles, boto2 files); long-term keys are turned into
session credentials with STS `GetSessionToken` (Claude Code refuses a struct without a
`SessionToken`). Its failures come back as `ResolveFailed` with a kind and a line of our own
words: the parent imports no botocore at all, and a `credential_process`'s own output (which
may quote a secret) never leaves the child.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from profiles.core.deadline import Deadline

_ROOT = str(Path(__file__).resolve().parents[2])  # the directory holding `profiles/`


# What the isolated resolution strips from the child's environment: another identity
# (`AWS_PROFILE`, the key variables) and what would point the web-identity provider elsewhere.
AMBIENT_IDENTITY_VARS = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_CREDENTIAL_EXPIRATION",
    "AWS_ROLE_ARN",
    "AWS_ROLE_SESSION_NAME",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
)
# botocore's providers that do not read the profile (`create_credential_resolver`'s
# post-profile part): left in, a profile without credentials would sign as the machine's role.
_NOT_FROM_THE_PROFILE = ("env", "ec2-credentials-file", "boto-config", "container-role", "iam-role")
# GetSessionToken's lifetime for long-term keys: an hour, like the role credentials Claude Code
# usually gets, so a session token in the cache is short-lived too.
SESSION_SECONDS = 3600


class Resolved:
    """Session credentials of one AWS profile, for `awsCredentialExport`. `expires_at` is a
    Unix time; `expiry_known` is False when the source gave a session token without an
    expiry (then `expires_at` is an hour from now, what Claude Code assumes too). `minted`:
    made from long-term keys with STS GetSessionToken. `method` is botocore's provider name
    (`sso`, `assume-role`, `custom-process`, `shared-credentials-file`, ...)."""

    __slots__ = (
        "access_key",
        "expires_at",
        "expiry_known",
        "method",
        "minted",
        "secret_key",
        "token",
    )

    def __init__(
        self,
        access_key: str,
        secret_key: str,
        token: str,
        expires_at: float,
        *,
        expiry_known: bool = True,
        method: str = "unknown",
        minted: bool = False,
    ) -> None:
        self.access_key = access_key
        self.secret_key = secret_key
        self.token = token
        self.expires_at = expires_at
        self.expiry_known = expiry_known
        self.method = method
        self.minted = minted

    def __repr__(self) -> str:  # never the secret parts
        return f"Resolved({self.access_key[:4]}…, {self.method}, expires_at={self.expires_at})"


class ResolveFailed(Exception):
    """The isolated resolution failed. `kind` says what to tell the user:

    `profile-not-found`, `sso-login` (the SSO token is missing, expired or refused),
    `no-credentials`, `process` (its `credential_process` failed), `aws` (an SSO or STS call
    was refused: `code` holds the error code), `network`, `config`, `other`. `str()` is one
    line that names no secret of ours (callers still redact what a server may have quoted).
    """

    def __init__(self, kind: str, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.code = code


def resolve(aws_profile: str | None, deadline: Deadline) -> tuple[Any, str]:
    """Frozen botocore credentials for `aws_profile` (None: the default chain) and how they
    were found. Raises `DeadlineExceeded` (the child killed) or the botocore error."""
    request = {"profile": aws_profile, "seconds": deadline.remaining()}
    answer, returncode = _ask_child(request, dict(os.environ), deadline)
    if answer is None:
        raise _error(
            "BotoCoreError",
            {},
            f"the credential resolver stopped without an answer (exit {returncode})",
        )
    if answer.get("ok"):
        from botocore.credentials import ReadOnlyCredentials

        frozen = ReadOnlyCredentials(answer["access_key"], answer["secret_key"], answer["token"])
        return frozen, str(answer.get("method") or "unknown")
    if answer.get("type") == "ClientError":
        from botocore.exceptions import ClientError

        raise ClientError(answer.get("response") or {}, str(answer.get("operation") or ""))
    raise _error(str(answer.get("type")), answer.get("kwargs") or {}, str(answer.get("message")))


def resolve_isolated(aws_profile: str, region: str, deadline: Deadline) -> Resolved:
    """Session credentials of `aws_profile` alone (never the ambient identity), minted with
    GetSessionToken in `region` (endpoint: botocore's, so `AWS_ENDPOINT_URL_STS` counts)
    when the profile holds long-term keys. Raises `DeadlineExceeded` (the child and its
    `credential_process` killed) or `ResolveFailed`."""
    env = {k: v for k, v in os.environ.items() if k not in AMBIENT_IDENTITY_VARS}
    request = {
        "profile": aws_profile,
        "seconds": deadline.remaining(),
        "isolated": True,
        "region": region,
    }
    answer, returncode = _ask_child(request, env, deadline)
    if answer is None:
        raise ResolveFailed(
            "other", f"the credential resolver stopped without an answer (exit {returncode})"
        )
    if not answer.get("ok"):
        code = answer.get("code")
        raise ResolveFailed(
            str(answer.get("kind") or "other"),
            str(answer.get("message") or "could not get credentials"),
            str(code) if code else None,
        )
    return Resolved(
        str(answer["access_key"]),
        str(answer["secret_key"]),
        str(answer["token"]),
        float(answer["expires_at"]),
        expiry_known=bool(answer.get("expiry_known")),
        method=str(answer.get("method") or "unknown"),
        minted=bool(answer.get("minted")),
    )


def _ask_child(
    request: dict[str, Any], env: dict[str, str], deadline: Deadline
) -> tuple[dict[str, Any] | None, int]:
    """Run the child with `request` under `deadline`: its JSON answer (None: none came) and
    its exit status."""
    from profiles.core import proc

    env["PYTHONPATH"] = _import_path()
    # -P: `-m` would put the current directory first on sys.path, and a cloned repository's
    # `profiles/` or `botocore/` would then run as us, with the user's AWS credentials.
    argv = [sys.executable, "-P", "-m", "profiles.aws.creds"]
    done = proc.run(argv, deadline, input=json.dumps(request), env=env)
    try:
        answer = json.loads(done.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return None, done.returncode
    return (answer if isinstance(answer, dict) else None), done.returncode


def _import_path() -> str:
    """The child's PYTHONPATH: the parent's own import path (so it imports this very package
    and the same botocore, from a source checkout too), without the current directory."""
    here = os.getcwd()
    entries = [_ROOT] + [p for p in sys.path if p and os.path.isabs(p) and p != here]
    return os.pathsep.join(dict.fromkeys(entries))


def _error(name: str, kwargs: dict[str, Any], message: str) -> Exception:
    """The botocore exception the child caught, rebuilt; a plain BotoCoreError with the
    child's message when the class is not botocore's or cannot be rebuilt."""
    from botocore import exceptions as bx

    cls = getattr(bx, name, None)
    if isinstance(cls, type) and issubclass(cls, bx.BotoCoreError):
        try:
            rebuilt: Exception = cls(**kwargs)
            return rebuilt
        except (TypeError, KeyError, ValueError):
            pass

    class ResolverError(bx.BotoCoreError):  # type: ignore[misc]  # botocore ships no stubs
        fmt = "{message}"

    return ResolverError(message=message)


def _child() -> int:
    """The child's side: read the request on stdin, answer one JSON line on stdout."""
    request = json.loads(sys.stdin.read())
    answer = _isolated(request) if request.get("isolated") else _chain(request)
    sys.stdout.write(json.dumps(answer, default=str) + "\n")
    return 0


def _session(request: dict[str, Any]) -> Any:
    """A botocore session for the request's profile, its calls bounded by what is left."""
    import botocore.session
    from botocore.config import Config

    seconds = max(0.1, float(request["seconds"]))
    session = botocore.session.Session(profile=request["profile"])
    # SSO and role (STS) calls of the chain: bounded by what is left, no retries.
    session.set_default_client_config(
        Config(connect_timeout=seconds, read_timeout=seconds, retries={"total_max_attempts": 1})
    )
    return session


def _chain(request: dict[str, Any]) -> dict[str, Any]:
    """botocore's whole chain for a profile (or the default chain): validate's checks."""
    from botocore import exceptions as bx

    try:
        session = _session(request)
        creds = session.get_credentials()
        if creds is None:
            raise bx.NoCredentialsError()
        frozen = creds.get_frozen_credentials()
        return {
            "ok": True,
            "access_key": frozen.access_key,
            "secret_key": frozen.secret_key,
            "token": frozen.token,
            "method": str(getattr(creds, "method", "") or "unknown"),
        }
    except bx.ClientError as exc:
        return {"type": "ClientError", "response": exc.response, "operation": exc.operation_name}
    except bx.BotoCoreError as exc:
        return {"type": type(exc).__name__, "kwargs": exc.kwargs, "message": str(exc)}
    except Exception as exc:  # a bug or an odd file: a failed row, not a crash
        return {"type": "Exception", "message": f"{type(exc).__name__}: {exc}"}


def _isolated(request: dict[str, Any]) -> dict[str, Any]:
    """One profile's own credentials as session credentials (see `resolve_isolated`)."""
    import time

    from botocore import exceptions as bx

    profile = str(request["profile"])
    try:
        session = _session(request)
        if not session.get_config_variable("region"):
            # A role profile without a region: its STS calls go where the profile's requests go
            # (Claude Code's own AWS_REGION), as the environment's region would send them.
            session.set_config_variable("region", str(request["region"]))
        resolver = session.get_component("credential_provider")
        for name in _NOT_FROM_THE_PROFILE:
            resolver.remove(name)
        creds = resolver.load_credentials()
        if creds is None:
            raise bx.NoCredentialsError()
        frozen = creds.get_frozen_credentials()
        method = str(getattr(creds, "method", "") or "unknown")
        expiry = getattr(creds, "_expiry_time", None)  # RefreshableCredentials only
        answer: dict[str, Any] = {"ok": True, "method": method, "minted": False}
        if frozen.token:
            answer.update(access_key=frozen.access_key, secret_key=frozen.secret_key)
            answer["token"] = frozen.token
        else:  # long-term keys: Claude Code needs a session token
            sts = session.create_client(
                "sts",
                region_name=str(request["region"]),
                aws_access_key_id=frozen.access_key,
                aws_secret_access_key=frozen.secret_key,
            )
            minted = sts.get_session_token(DurationSeconds=SESSION_SECONDS)["Credentials"]
            answer.update(access_key=minted["AccessKeyId"], secret_key=minted["SecretAccessKey"])
            answer.update(token=minted["SessionToken"], minted=True)
            expiry = minted["Expiration"]
        answer["expiry_known"] = expiry is not None
        answer["expires_at"] = (
            expiry.timestamp() if expiry is not None else time.time() + SESSION_SECONDS
        )
        return answer
    except Exception as exc:
        return _failure(profile, exc)


def _failure(profile: str, exc: Exception) -> dict[str, Any]:
    """What went wrong, in our own words: `ResolveFailed`'s kind, message and code."""
    from botocore import exceptions as bx

    where = f"AWS profile {profile!r}"
    kind, code = "other", None
    if isinstance(exc, bx.ProfileNotFound):
        kind, message = "profile-not-found", f"{where} is not in the AWS config or credentials file"
    elif isinstance(exc, bx.UnauthorizedSSOTokenError):
        kind, message = "sso-login", f"the SSO portal refused the cached token of the {where}"
    elif isinstance(exc, bx.SSOTokenLoadError | bx.TokenRetrievalError):
        kind, message = "sso-login", f"the SSO session of the {where} has expired or is missing"
    elif isinstance(exc, bx.NoCredentialsError):
        kind, message = "no-credentials", f"the {where} holds no credentials"
    elif isinstance(exc, bx.CredentialRetrievalError) and exc.kwargs.get("provider") == (
        "custom-process"
    ):
        # Its stderr (in the botocore message) or its `Version` may quote a secret: not shown.
        kind, message = "process", f"the credential_process of the {where} failed"
    elif isinstance(exc, bx.ClientError):
        error = exc.response.get("Error", {})
        kind, code = "aws", str(error.get("Code") or "error")
        text = " ".join(str(error.get("Message") or "").split())[:200]
        message = f"{exc.operation_name} for the {where} was refused: {code}: {text}".rstrip(": ")
    elif isinstance(exc, bx.EndpointConnectionError | bx.ConnectionError | bx.HTTPClientError):
        kind, message = "network", f"cannot reach AWS for the {where}: {type(exc).__name__}"
    elif isinstance(exc, bx.BotoCoreError):
        kind = "config"
        message = f"the {where} cannot give credentials: {' '.join(str(exc).split())[:200]}"
    else:  # an odd file or a bug: its type, never its text (it may hold what it parsed)
        message = f"could not get credentials of the {where}: {type(exc).__name__}"
    return {"ok": False, "kind": kind, "message": message, "code": code}


if __name__ == "__main__":
    raise SystemExit(_child())
