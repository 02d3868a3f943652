"""Run a child process under a deadline, and leave nothing of it behind when time is up.

The child starts in a session (and so a process group) of its own; when the deadline passes,
the whole group gets SIGKILL, so a shell's background grandchild (`sleep 100 & wait`) dies
with it, and the child is reaped before we return. A child that finishes in time is left
alone, with whatever it started that detached itself (a gpg-agent, say).

Used for secret commands and for resolving AWS credentials (which may run a
`credential_process`). subprocess is imported lazily: the export path imports this module.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from profiles.core.deadline import Deadline, DeadlineExceeded

if TYPE_CHECKING:
    import subprocess


@dataclass(frozen=True)
class Finished:
    returncode: int
    stdout: str
    stderr: str


def run(
    args: str | Sequence[str],
    deadline: Deadline,
    *,
    shell: bool = False,
    input: str | None = None,
    env: Mapping[str, str] | None = None,
) -> Finished:
    """Run `args` to completion or until `deadline`; raise `DeadlineExceeded` on expiry,
    after the child's whole process group is killed and the child reaped."""
    import subprocess

    proc = subprocess.Popen(
        args,
        shell=shell,
        stdin=subprocess.PIPE if input is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        env=dict(env) if env is not None else None,
    )
    try:
        out, err = proc.communicate(input, timeout=deadline.remaining())
    except subprocess.TimeoutExpired:
        kill_group(proc)
        raise DeadlineExceeded(deadline.seconds) from None
    except BaseException:  # Ctrl-C, a cancelled worker: the child must not outlive us
        kill_group(proc)
        raise
    return Finished(proc.returncode, out, err)


def kill_group(proc: subprocess.Popen[str]) -> None:
    """SIGKILL `proc`'s process group (it leads it: start_new_session), then reap `proc`.

    The pipes are closed rather than drained: a process that left the group (setsid) may still
    hold them, and must not keep us waiting.
    """
    import signal
    import subprocess

    with contextlib.suppress(ProcessLookupError, PermissionError):  # the group is gone
        os.killpg(proc.pid, signal.SIGKILL)
    for pipe in (proc.stdin, proc.stdout, proc.stderr):
        if pipe is not None:
            with contextlib.suppress(OSError):
                pipe.close()
    with contextlib.suppress(subprocess.TimeoutExpired):  # SIGKILL cannot be ignored
        proc.wait(timeout=5)
