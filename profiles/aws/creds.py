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
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from profiles.core.deadline import Deadline

_ROOT = str(Path(__file__).resolve().parents[2])  # the directory holding `profiles/`


def resolve(aws_profile: str | None, deadline: Deadline) -> tuple[Any, str]:
    """Frozen botocore credentials for `aws_profile` (None: the default chain) and how they
    were found. Raises `DeadlineExceeded` (the child killed) or the botocore error."""
    from profiles.core import proc

    env = dict(os.environ)
    env["PYTHONPATH"] = _import_path()
    request = json.dumps({"profile": aws_profile, "seconds": deadline.remaining()})
    # -P: `-m` would put the current directory first on sys.path, and a cloned repository's
    # `profiles/` or `botocore/` would then run as us, with the user's AWS credentials.
    argv = [sys.executable, "-P", "-m", "profiles.aws.creds"]
    done = proc.run(argv, deadline, input=request, env=env)
    try:
        answer = json.loads(done.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        raise _error(
            "BotoCoreError",
            {},
            f"the credential resolver stopped without an answer (exit {done.returncode})",
        ) from None
    if answer.get("ok"):
        from botocore.credentials import ReadOnlyCredentials

        frozen = ReadOnlyCredentials(answer["access_key"], answer["secret_key"], answer["token"])
        return frozen, str(answer.get("method") or "unknown")
    if answer.get("type") == "ClientError":
        from botocore.exceptions import ClientError

        raise ClientError(answer.get("response") or {}, str(answer.get("operation") or ""))
    raise _error(str(answer.get("type")), answer.get("kwargs") or {}, str(answer.get("message")))


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
    import botocore.session
    from botocore import exceptions as bx
    from botocore.config import Config

    request = json.loads(sys.stdin.read())
    seconds = max(0.1, float(request["seconds"]))
    answer: dict[str, Any]
    try:
        session = botocore.session.Session(profile=request["profile"])
        # SSO and role (STS) calls of the chain: bounded by what is left, no retries.
        session.set_default_client_config(
            Config(connect_timeout=seconds, read_timeout=seconds, retries={"total_max_attempts": 1})
        )
        creds = session.get_credentials()
        if creds is None:
            raise bx.NoCredentialsError()
        frozen = creds.get_frozen_credentials()
        answer = {
            "ok": True,
            "access_key": frozen.access_key,
            "secret_key": frozen.secret_key,
            "token": frozen.token,
            "method": str(getattr(creds, "method", "") or "unknown"),
        }
    except bx.ClientError as exc:
        answer = {"type": "ClientError", "response": exc.response, "operation": exc.operation_name}
    except bx.BotoCoreError as exc:
        answer = {"type": type(exc).__name__, "kwargs": exc.kwargs, "message": str(exc)}
    except Exception as exc:  # a bug or an odd file: a failed row, not a crash
        answer = {"type": "Exception", "message": f"{type(exc).__name__}: {exc}"}
    sys.stdout.write(json.dumps(answer, default=str) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(_child())
