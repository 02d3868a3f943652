"""The daily commands, and what Claude Code runs (a warm `credentials`, `statusline`), must not
pay for the UI or the AWS SDK (harlequin's pattern: run the command in a fresh interpreter and
look at sys.modules)."""

from __future__ import annotations

import io
import json
import marshal
import subprocess
import sys
from pathlib import Path

import pytest

from profiles.cli import main
from profiles.store.files import read_doc

HEAVY = ("textual", "boto3", "botocore", "anthropic", "rich")
# pydantic costs several times a bare start; the read-only hot path must not load it either.
HEAVY_FOR_READS = (*HEAVY, "pydantic", "tomlkit", "argparse")
# The standard library's own heavy modules (issue 9): dataclasses drags in inspect, ast and
# dis; tomllib costs more than the interpreter's start (profiles.toml's parse is cached).
STDLIB_HEAVY = (
    "dataclasses", "inspect", "ast", "typing", "tomllib", "subprocess", "tempfile", "shutil",
    "pathlib", "urllib", "ipaddress", "threading", "platformdirs",
)  # fmt: skip

# The probe reports the modules main() added: what the interpreter's start loaded (site, and
# in a development venv the editable install's import hook, which loads pathlib) is not ours.
PROBE = """
import sys
before = set(sys.modules)
import io
from profiles.cli import main
out, err = sys.stdout, sys.stderr
sys.stdout, sys.stderr = io.StringIO(), io.StringIO()
try:
    code = main({argv!r})
finally:
    sys.stdout, sys.stderr = out, err
mods = sorted(set(sys.modules) - before)
import json
print(json.dumps({{"code": code, "modules": mods}}))
"""


def loaded_modules(argv: list[str], stdin: str = "") -> tuple[int, set[str]]:
    """`stdin` is always given: an inherited one may be a test runner's own pipe."""
    proc = subprocess.run(
        [sys.executable, "-c", PROBE.format(argv=argv)],
        input=stdin,
        capture_output=True,
        text=True,
        check=True,
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
        (["export", "dev"], (*HEAVY_FOR_READS, *STDLIB_HEAVY)),
        (["export"], (*HEAVY_FOR_READS, *STDLIB_HEAVY)),
        (["export", "dev", "--shell", "fish"], (*HEAVY_FOR_READS, *STDLIB_HEAVY)),
        (["list"], (*HEAVY_FOR_READS, *STDLIB_HEAVY)),
        (["list", "--names"], (*HEAVY_FOR_READS, *STDLIB_HEAVY)),
        (["current"], (*HEAVY_FOR_READS, *STDLIB_HEAVY)),
        (["off"], (*HEAVY_FOR_READS, *STDLIB_HEAVY)),
        (["use", "dev"], HEAVY),  # writes the file, so tomlkit is fair
    ],
)
def test_hot_commands_stay_light(argv: list[str], banned: tuple[str, ...]) -> None:
    code, modules = loaded_modules(argv)
    assert code == 0
    assert not modules & set(banned), f"{argv} imported {sorted(modules & set(banned))}"


@pytest.fixture
def cached_credentials(saved_profile: None) -> None:
    """Session credentials for `dev` in the cache, as a first `credentials dev` leaves them."""
    import time

    from profiles.aws import credcache
    from profiles.aws.creds import Resolved

    resolved = Resolved(
        "ASIACACHEDKEY0000001", "cached/secret/key/0001xxxxxxxxxxxxxxxxxx",
        "CachedSessionToken//0001+x=", time.time() + 3600, method="sso",
    )  # fmt: skip
    signature = credcache.files_signature()
    credcache.store("dev", "dev", resolved, credcache.chain_of("dev"), signature)


@pytest.mark.usefixtures("cached_credentials")
@pytest.mark.parametrize(
    ("argv", "stdin"),
    [
        (["credentials", "dev"], ""),  # awsCredentialExport, warm: no botocore, no child
        (["statusline"], '{"model": {"display_name": "Opus"}, "cwd": "/"}'),  # every prompt
    ],
)
def test_what_claude_code_runs_stays_light(argv: list[str], stdin: str) -> None:
    code, modules = loaded_modules(argv, stdin)
    assert code == 0
    banned = {*HEAVY_FOR_READS, *STDLIB_HEAVY}
    assert not modules & banned, f"{argv} imported {sorted(modules & banned)}"


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


def test_a_hand_edit_is_seen_although_the_parse_is_cached(config_dir: Path) -> None:
    """The cache is keyed by the file's exact text: an edit of the same length is seen."""
    assert main(["add", "dev", "--auth", "sigv4", "--aws-profile", "dev",
                 "--workspace", "wrkspc_01Test", "--region", "us-east-1"]) == 0  # fmt: skip
    profiles = config_dir / "profiles.toml"
    assert (config_dir / ".profiles.toml.cache").exists()
    profiles.write_text(profiles.read_text().replace("us-east-1", "us-west-2"))
    code, modules = loaded_modules(["export", "dev"])
    assert code == 0
    assert "tomllib" in modules  # a miss parses again ...
    assert read_doc().profiles["dev"].region == "us-west-2"
    code, modules = loaded_modules(["export", "dev"])
    assert "tomllib" not in modules  # ... and caches the new text


def test_a_cache_others_could_write_is_not_used(config_dir: Path) -> None:
    assert main(["add", "dev", "--auth", "sigv4", "--aws-profile", "dev",
                 "--workspace", "wrkspc_01Test", "--region", "us-east-1"]) == 0  # fmt: skip
    cache = config_dir / ".profiles.toml.cache"
    # A cache claiming another region for the very same text.
    blob = marshal.loads(cache.read_bytes())
    blob[1]["profiles"]["dev"]["region"] = "eu-west-3"
    planted = marshal.dumps(blob)
    cache.write_bytes(planted)
    assert read_doc().profiles["dev"].region == "eu-west-3"  # guard the guard: it is used
    cache.write_bytes(planted)
    cache.chmod(0o666)  # ... but not when others could have written it
    assert read_doc().profiles["dev"].region == "us-east-1"


def test_secrets_are_never_cached(config_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    key = "sk-ant-api03-never-in-a-cache-000000000001"
    monkeypatch.setattr(sys, "stdin", io.StringIO(key + "\n"))
    assert main(["add", "k", "--auth", "api-key", "--api-key-stdin",
                 "--workspace", "wrkspc_01Test", "--region", "us-east-1"]) == 0  # fmt: skip
    code, _ = loaded_modules(["export", "k"])
    assert code == 0
    holding = [
        p.name for p in config_dir.iterdir() if p.is_file() and key.encode() in p.read_bytes()
    ]
    assert holding == ["secrets.toml"]


def test_the_default_config_dir_costs_no_platformdirs(
    config_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without CC_AWS_TUI_CONFIG_DIR (as users run it) the XDG rule is computed, not imported."""
    monkeypatch.delenv("CC_AWS_TUI_CONFIG_DIR")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config_dir.parent / "xdg"))
    assert main(["add", "dev", "--auth", "sigv4", "--aws-profile", "dev",
                 "--workspace", "wrkspc_01Test", "--region", "us-east-1"]) == 0  # fmt: skip
    assert (config_dir.parent / "xdg" / "cc-aws-tui" / "profiles.toml").exists()
    code, modules = loaded_modules(["export", "dev"])
    assert code == 0
    assert not modules & {*HEAVY_FOR_READS, *STDLIB_HEAVY}, sorted(
        modules & {*HEAVY_FOR_READS, *STDLIB_HEAVY}
    )
