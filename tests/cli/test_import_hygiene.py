"""The daily commands must not pay for the UI or the AWS SDK (harlequin's pattern: run the
command in a fresh interpreter and look at sys.modules)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from profiles.cli import main

HEAVY = ("textual", "boto3", "botocore", "anthropic", "rich")
# pydantic costs several times a bare start; the read-only hot path must not load it either.
HEAVY_FOR_READS = (*HEAVY, "pydantic", "tomlkit", "argparse")

PROBE = """
import json, sys, io, contextlib
from profiles.cli import main
out = io.StringIO()
with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
    code = main({argv!r})
print(json.dumps({{"code": code, "modules": sorted(sys.modules)}}))
"""


def loaded_modules(argv: list[str]) -> tuple[int, set[str]]:
    proc = subprocess.run(
        [sys.executable, "-c", PROBE.format(argv=argv)], capture_output=True, text=True, check=True
    )
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    return data["code"], {m.split(".")[0] for m in data["modules"]}


@pytest.fixture
def saved_profile() -> None:
    assert main(["add", "dev", "--auth", "sigv4", "--aws-profile", "dev",
                 "--workspace", "wrkspc_01Test", "--region", "us-east-1"]) == 0  # fmt: skip


@pytest.mark.usefixtures("saved_profile")
@pytest.mark.parametrize(
    ("argv", "banned"),
    [
        (["export", "dev"], HEAVY_FOR_READS),
        (["export"], HEAVY_FOR_READS),
        (["export", "dev", "--shell", "fish"], HEAVY_FOR_READS),
        (["list"], HEAVY_FOR_READS),
        (["list", "--names"], HEAVY_FOR_READS),
        (["current"], HEAVY_FOR_READS),
        (["off"], HEAVY_FOR_READS),
        (["use", "dev"], HEAVY),  # writes the file, so tomlkit is fair
    ],
)
def test_hot_commands_stay_light(argv: list[str], banned: tuple[str, ...]) -> None:
    code, modules = loaded_modules(argv)
    assert code == 0
    assert not modules & set(banned), f"{argv} imported {sorted(modules & set(banned))}"


def test_error_path_stays_light_too() -> None:
    code, modules = loaded_modules(["export", "missing"])
    assert code == 2
    assert not modules & set(HEAVY_FOR_READS)


def test_probe_would_notice_a_heavy_import() -> None:
    """Guard the guard: `add` validates with pydantic, and the probe sees it."""
    code, modules = loaded_modules(
        ["add", "x", "--auth", "sigv4", "--workspace", "wrkspc_01Test", "--region", "us-east-1"]
    )
    assert code == 0
    assert {"pydantic", "argparse"} <= modules
