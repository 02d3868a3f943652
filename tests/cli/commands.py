"""What the command tests share: the secrets no output but `export`'s may show, a record of an
`exec` call, the real console script in a child process, `export --shell json` read back, and
the saved profile shapes. Plain helpers, imported by name; the `execs` and `profiles` fixtures
are in conftest.py."""

from __future__ import annotations

import argparse
import json
import re
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass

from profiles.cli.parser import build_parser
from profiles.core.schema import Profile
from tests.cliutil import Cli, Run, console_script

KEY = "sk-ant-api03-Zx9Yw8Vu7Ts6Rq5Po4Nm-f3Qa"
KEY2 = "sk-ant-api03-Second0Key1Value2Here-Wx7Y"
TOKEN = "gw-token-4f8a2b9c1d7e3f6a"
SECRETS = (KEY, KEY2, TOKEN)
WS = "wrkspc_01AbCdEf23GhIj"
WHERE = f"--workspace {WS} --region us-east-1"

EXIT_STATUS_HELP = "exit status:"


@dataclass
class ExecCall:
    file: str
    argv: list[str]
    env: dict[str, str]


class Execed(BaseException):  # not an Exception: the CLI turns those into one line
    """Raised in place of replacing the test process."""


def run_script(*args: str, stdin: str = "", env: Mapping[str, str] | None = None) -> Run:
    """The real console script in a child process."""
    proc = subprocess.run(
        [console_script(), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env=None if env is None else dict(env),
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


def export_json(cli: Cli, name: str = "") -> dict[str, object]:
    r = cli("export", *([name] if name else []), "--shell", "json")
    assert r.code == 0, r.err
    data: dict[str, object] = json.loads(r.out)
    return data


def env_set(cli: Cli, name: str = "") -> dict[str, str]:
    data = export_json(cli, name)
    assert isinstance(data["set"], dict)
    return data["set"]


def env_unset(cli: Cli, name: str = "") -> list[str]:
    data = export_json(cli, name)
    assert isinstance(data["unset"], list)
    return data["unset"]


def ok(r: Run) -> Run:
    assert r.code == 0, r.err
    return r


# A few saved profiles of every shape, made through the CLI itself.
SHAPES: dict[str, tuple[str, str]] = {
    "dev": (f"add dev --auth sigv4 --aws-profile dev-sso --workspace {WS} --region us-east-1", ""),
    "ci": (f"add ci --auth sigv4 --workspace {WS} --region eu-west-3", ""),
    "key": (f"add key --auth api-key --api-key-stdin --workspace {WS} --region us-west-2", KEY),
    "gw": (
        f"add gw --auth sigv4 --gateway-signs --base-url https://gw.example.com/ --workspace {WS}"
        " --region ap-southeast-2 --gateway-token-stdin",
        TOKEN,
    ),
}


def sigv4() -> Profile:
    return Profile("dev", "sigv4", WS, "us-east-1", aws_profile="dev")


# What each shell's export lines look like.
SHELL_LINE = {
    "posix": re.compile(r"(unset [A-Z][A-Z0-9_]*|export [A-Z][A-Z0-9_]*=\S+);"),
    "fish": re.compile(r"(set -e [A-Z][A-Z0-9_]*|set -gx [A-Z][A-Z0-9_]* \S+|true);"),
    "powershell": re.compile(
        r"(Remove-Item Env:[A-Z][A-Z0-9_]* -ErrorAction SilentlyContinue|"
        r"\$Env:[A-Z][A-Z0-9_]* = '[^']*')"
    ),
    "dotenv": re.compile(r"[A-Z][A-Z0-9_]*=\S+"),
}


def subparsers() -> dict[str, argparse.ArgumentParser]:
    """Every command's parser, by name."""
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def subparser(name: str) -> argparse.ArgumentParser:
    return subparsers()[name]
