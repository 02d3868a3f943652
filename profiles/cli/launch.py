"""`cc-aws-tui claude [NAME] [-- CLAUDE_ARGS...]`: start Claude Code with a profile, touching
no settings file and not the shell.

The profile goes in through `--settings` (it beats local, project and user settings), so the
user's own environment reaches the client, and through it the agent's commands, unchanged:
with an isolated SigV4 profile the model's credentials come from `awsCredentialExport` and
never enter it. A profile without secrets is passed as a JSON string and Claude Code replaces
this process (exit status, signals and the terminal are its own). A key or token must not go
on a command line other local users can read (`/proc/PID/cmdline`): it goes in a 0600 file in
a private directory, removed when the client exits, whose exit status is passed through.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
from pathlib import Path
from typing import Any

from profiles.cli.common import CliError


def register(sub: Any) -> None:
    from profiles.cli.parser import add_command, profile_argument

    p = add_command(
        sub,
        "claude",
        "start Claude Code with a profile, through --settings (no file or shell changed)",
        cmd_claude,
        usage="cc-aws-tui claude [NAME] [--claude PATH] [-- CLAUDE_ARGS...]",
        description=(
            'Start Claude Code with the profile through `--settings`: its variables (with ""\n'
            "for what it does not use, so neither the shell nor a settings file gets in the\n"
            "way) and, for a SigV4 profile with an AWS profile, awsCredentialExport: the\n"
            "model's credentials never enter the environment the agent's commands get, which\n"
            "stays yours. No settings file and no shell variable is changed. The exit status\n"
            "is Claude Code's.\n\n"
            "  cc-aws-tui claude dev\n"
            "  cc-aws-tui claude dev -- -p 'explain this repo' --model opus"
        ),
    )
    profile_argument(p, nargs="?", help="profile (default: the current one)")
    p.add_argument("--claude", metavar="PATH", help="the claude to run (default: on PATH)")
    p.add_argument("args", nargs=argparse.REMAINDER, help="Claude Code's arguments, after --")


def cmd_claude(args: argparse.Namespace) -> int:
    from profiles.claude.hooks import launch_settings
    from profiles.store.files import get_profile, read_doc
    from profiles.store.secrets import resolve_all

    given, extra = _split(args.claude, list(args.args))
    binary = _find_claude(given)
    profile = get_profile(read_doc(), args.name)
    secrets = resolve_all(profile)
    settings = json.dumps(launch_settings(profile, secrets), ensure_ascii=False)
    if not secrets:
        argv = [binary, "--settings", settings, *extra]
        os.execv(binary, argv)  # never returns: Claude Code's exit status is ours
    return _run_with_private_file(binary, settings, extra)


def _split(given: str | None, rest: list[str]) -> tuple[str | None, list[str]]:
    """(--claude PATH, Claude Code's arguments). argparse hands everything after NAME over
    as it is, a `--claude PATH` before the `--` included."""
    while rest and rest[0] != "--" and (rest[0] == "--claude" or rest[0].startswith("--claude=")):
        option = rest.pop(0)
        if "=" in option:
            given = option.split("=", 1)[1]
        elif rest:
            given = rest.pop(0)
        else:
            raise CliError("--claude needs a PATH")
    if rest[:1] == ["--"]:
        rest = rest[1:]
    return given, rest


def _find_claude(given: str | None) -> str:
    if given:
        path = Path(given).expanduser()
        if not (path.is_file() and os.access(path, os.X_OK)):
            raise CliError(f"--claude {given}: not an executable file")
        return str(path.absolute())
    found = shutil.which("claude")
    if found is None:
        raise CliError(
            "claude: command not found on PATH; install Claude Code"
            " (npm install -g @anthropic-ai/claude-code) or pass --claude PATH"
        )
    return found


def _run_with_private_file(binary: str, settings: str, extra: list[str]) -> int:
    import tempfile

    from profiles.store import paths
    from profiles.store.fsutil import atomic_write, ensure_private_dir

    run_dir = paths.config_dir() / "run"
    ensure_private_dir(run_dir)
    folder = Path(tempfile.mkdtemp(prefix="claude-", dir=run_dir))  # 0700, ours alone
    path = folder / "settings.json"
    try:
        atomic_write(path, settings)
        child = subprocess.Popen([binary, "--settings", str(path), *extra])
        # The terminal's ^C and ^\\ reach the client (same process group): only it decides.
        old = {s: signal.signal(s, signal.SIG_IGN) for s in (signal.SIGINT, signal.SIGQUIT)}
        # A SIGTERM or a hangup (the terminal closed) would end us before `finally` removed
        # the file holding the secret: the client gets it instead, and we clean up after it.
        for s in (signal.SIGTERM, signal.SIGHUP):
            old[s] = signal.signal(s, lambda n, _f: child.send_signal(n))
        try:
            code = child.wait()
        finally:
            for s, handler in old.items():
                signal.signal(s, handler)
        return 128 - code if code < 0 else code
    finally:
        path.unlink(missing_ok=True)
        folder.rmdir()
