"""Files others can write are not trusted (issue 8, part 7): ssh's StrictModes for our files.

The attack: another local user can write the config directory (0777), plants a profiles.toml
whose `api_key_command` touches a marker file, and waits for the victim's `export`. Each test
plants the files for real (chown to uid 65534 where another user is needed, so those tests
need root; they skip otherwise) and checks that nothing ran, stdout stayed empty for `eval`,
and the one error line names the file and the chmod/chown that fixes it.
"""

from __future__ import annotations

import grp
import os
import pwd
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from profiles.cli import main
from profiles.store import fsutil, history, trust

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX owners and modes")
needs_root = pytest.mark.skipif(
    os.name != "posix" or os.geteuid() != 0,
    reason="planting a file owned by another uid needs root (chown)",
)

ROOT = Path(__file__).resolve().parents[2]
ATTACKER = 65534  # nobody
OTHER = 65533  # a second unprivileged uid
KEY = "sk-ant-api03-planted-key-000000000000000000000000000000"


def planted_profiles(marker: Path) -> str:
    return f"""\
schema = 1
current = "dev"

[profiles.dev]
auth = "api-key"
api_key_store = "command"
api_key_command = "touch '{marker}'; echo {KEY}"
workspace_id = "wrkspc_dev1"
region = "us-east-1"
"""


GOOD_FILE_PROFILE = """\
schema = 1
current = "key"

[profiles.key]
auth = "api-key"
api_key_store = "file"
workspace_id = "wrkspc_key1"
region = "eu-west-1"
"""


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def cli_command() -> list[str]:
    script = Path(sys.executable).with_name("cc-aws-tui")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "import sys; from profiles.cli import main; sys.exit(main())"]


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*cli_command(), *args],
        capture_output=True,
        text=True,
        timeout=30,
        env=env if env is not None else dict(os.environ),
        stdin=subprocess.DEVNULL,
    )


def one_error_line(stderr: str) -> str:
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("cc-aws-tui: error: "), stderr
    return lines[0]


@pytest.fixture
def marker(tmp_path: Path) -> Path:
    return tmp_path / "planted-command-ran"


# --- the attack as the issue tells it: a 0777 config dir of another user ------------------


@needs_root
@pytest.mark.parametrize(
    "argv",
    [["export", "dev"], ["export"], ["list"], ["current"], ["exec", "dev", "--", "true"]],
)
def test_planted_profiles_toml_in_world_writable_dir_is_refused(
    config_dir: Path, marker: Path, argv: list[str]
) -> None:
    config_dir.mkdir()
    os.chown(config_dir, ATTACKER, ATTACKER)
    os.chmod(config_dir, 0o777)
    planted = config_dir / "profiles.toml"
    planted.write_text(planted_profiles(marker))
    os.chown(planted, ATTACKER, ATTACKER)
    os.chmod(planted, 0o666)

    proc = run_cli(*argv)

    assert not marker.exists(), "the planted command ran as the victim"
    assert proc.returncode == 2
    assert proc.stdout == ""
    line = one_error_line(proc.stderr)
    assert str(planted) in line
    assert "owned by uid 65534" in line
    assert "chown 0 " in line
    assert KEY not in proc.stderr


@needs_root
def test_planted_file_of_ours_in_a_dir_others_can_write_is_refused(
    config_dir: Path, marker: Path
) -> None:
    """Even a file that looks like ours is not trusted in a directory anyone can write: the
    attacker can swap it between two runs (here: it sits in a 0777 dir we own)."""
    config_dir.mkdir(mode=0o700)
    os.chmod(config_dir, 0o777)
    planted = config_dir / "profiles.toml"
    planted.write_text(planted_profiles(marker))
    os.chmod(planted, 0o600)

    proc = run_cli("export", "dev")

    assert not marker.exists()
    assert (proc.returncode, proc.stdout) == (2, "")
    line = one_error_line(proc.stderr)
    assert f"{config_dir}: directory writable by others (mode 0777)" in line
    assert f"chmod go-w {config_dir}" in line
    assert mode(config_dir) == 0o777, "the directory was chmod'ed behind the user's back"


@needs_root
def test_validate_and_use_refuse_the_planted_file_too(config_dir: Path, marker: Path) -> None:
    config_dir.mkdir()
    os.chown(config_dir, ATTACKER, ATTACKER)
    os.chmod(config_dir, 0o777)
    planted = config_dir / "profiles.toml"
    planted.write_text(planted_profiles(marker))
    os.chown(planted, ATTACKER, ATTACKER)
    before = planted.read_text()

    for argv in (["validate", "dev", "--timeout", "2"], ["use", "dev"]):
        proc = run_cli(*argv)
        assert proc.returncode != 0, argv
        assert "owned by uid 65534" in proc.stderr or "directory owned by uid 65534" in (
            proc.stderr
        ), proc.stderr
        assert KEY not in proc.stdout + proc.stderr
    assert not marker.exists()
    assert planted.read_text() == before
    assert not (config_dir / ".lock").exists(), "use wrote into the untrusted directory"


# --- the victim is an ordinary user ------------------------------------------------------


def _interpreter_for(uid: int) -> str | None:
    """A Python >= 3.11 that `uid` may run (the venv's may live under root's 0700 home)."""
    for candidate in (sys.executable, "/usr/bin/python3"):
        try:
            ok = subprocess.run(
                [candidate, "-c", "import tomllib"],
                user=uid,
                group=uid,
                extra_groups=[],
                capture_output=True,
                timeout=10,
                cwd="/",
            )
        except (OSError, subprocess.SubprocessError):
            continue
        if ok.returncode == 0:
            return candidate
    return None


@pytest.fixture
def victim_base() -> Iterator[Path]:
    """A directory an unprivileged user can reach: root's 0755 dir in sticky /tmp (pytest's
    tmp_path is 0700 root, out of their reach)."""
    base = Path(tempfile.mkdtemp(prefix="cc-aws-tui-trust-"))
    os.chmod(base, 0o755)
    try:
        yield base
    finally:
        subprocess.run(["rm", "-rf", "--", str(base)], check=False)


def run_as(uid: int, python: str, base: Path, *args: str) -> subprocess.CompletedProcess[str]:
    home = base / "home"
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "PYTHONPATH": str(ROOT),
        "CC_AWS_TUI_CONFIG_DIR": str(home / "cfg"),
        "AWS_CONFIG_FILE": str(home / "aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(home / "aws-credentials"),
    }
    return subprocess.run(
        [python, "-c", "import sys; from profiles.cli import main; sys.exit(main())", *args],
        user=uid,
        group=uid,
        extra_groups=[],
        capture_output=True,
        text=True,
        timeout=30,
        env=env,
        cwd=str(home),
        stdin=subprocess.DEVNULL,
    )


@needs_root
def test_unprivileged_victim_refuses_a_file_planted_by_another_user(
    victim_base: Path,
) -> None:
    victim = ATTACKER  # here 65534 is the victim, 65533 the attacker
    python = _interpreter_for(victim)
    if python is None:
        pytest.skip("no Python >= 3.11 that uid 65534 may run")
    home = victim_base / "home"
    home.mkdir(mode=0o700)
    os.chown(home, victim, victim)
    cfg = home / "cfg"
    cfg.mkdir()
    os.chown(cfg, victim, victim)
    os.chmod(cfg, 0o777)  # the victim's mistake the attacker uses
    marker = victim_base / "ran"
    os.chmod(victim_base, 0o777)  # so the planted command, if run, can leave its marker
    planted = cfg / "profiles.toml"
    planted.write_text(planted_profiles(marker))
    os.chown(planted, OTHER, OTHER)
    os.chmod(planted, 0o644)

    proc = run_as(victim, python, victim_base, "export", "dev")

    assert not marker.exists(), "the planted command ran as the victim"
    assert (proc.returncode, proc.stdout) == (2, ""), proc.stderr
    line = one_error_line(proc.stderr)
    assert f"{planted}: owned by uid {OTHER}, not by you (uid {victim})" in line
    assert f"chown {victim} {planted}" in line


@needs_root
def test_unprivileged_victim_with_a_private_config_exports(victim_base: Path) -> None:
    """The rule is not too strict for an ordinary user: own 0700 dir under a root-owned
    0755 dir under sticky /tmp, secrets.toml 0600."""
    victim = ATTACKER
    python = _interpreter_for(victim)
    if python is None:
        pytest.skip("no Python >= 3.11 that uid 65534 may run")
    home = victim_base / "home"
    cfg = home / "cfg"
    cfg.mkdir(parents=True)
    (cfg / "profiles.toml").write_text(GOOD_FILE_PROFILE)
    (cfg / "secrets.toml").write_text(f'[key]\napi_key = "{KEY}"\n')
    for path, m in ((home, 0o700), (cfg, 0o700)):
        os.chmod(path, m)
    os.chmod(cfg / "profiles.toml", 0o644)
    os.chmod(cfg / "secrets.toml", 0o600)
    for path in (home, cfg, cfg / "profiles.toml", cfg / "secrets.toml"):
        os.chown(path, victim, victim)

    proc = run_as(victim, python, victim_base, "export", "key")

    assert proc.returncode == 0, proc.stderr
    assert f"export ANTHROPIC_AWS_API_KEY={KEY}" in proc.stdout


# --- each rule, in process ----------------------------------------------------------------


def test_profiles_toml_writable_by_others_is_refused(
    config_dir: Path, marker: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config_dir.mkdir(mode=0o700)
    planted = config_dir / "profiles.toml"
    planted.write_text(planted_profiles(marker))
    os.chmod(planted, 0o666)

    assert main(["export", "dev"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    line = one_error_line(err)
    assert f"{planted}: writable by others (mode 0666)" in line
    assert f"chmod go-w {planted}" in line
    assert not marker.exists()
    assert mode(planted) == 0o666


def test_a_symlink_is_judged_by_the_file_it_reaches(
    config_dir: Path, tmp_path: Path, marker: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config_dir.mkdir(mode=0o700)
    target = tmp_path / "dotfiles" / "profiles.toml"
    target.parent.mkdir(mode=0o700)
    target.write_text(planted_profiles(marker))
    os.chmod(target, 0o646)
    (config_dir / "profiles.toml").symlink_to(target)

    assert main(["export", "dev"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "writable by others (mode 0646)" in one_error_line(err)
    assert not marker.exists()


def test_a_dotfiles_link_to_a_private_file_is_fine(
    config_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config_dir.mkdir(mode=0o700)
    target = tmp_path / "dotfiles" / "profiles.toml"
    target.parent.mkdir(mode=0o755)
    target.write_text(GOOD_FILE_PROFILE)
    os.chmod(target, 0o644)
    (config_dir / "profiles.toml").symlink_to(target)
    assert main(["list", "--names"]) == 0
    assert capsys.readouterr().out == "key\n"


def test_a_parent_dir_others_can_write_is_refused(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    marker: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o777)  # not sticky: anyone may rename our config dir away and replace it
    cfg = shared / "cfg"
    cfg.mkdir(mode=0o700)
    (cfg / "profiles.toml").write_text(planted_profiles(marker))
    monkeypatch.setenv("CC_AWS_TUI_CONFIG_DIR", str(cfg))

    assert main(["export", "dev"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert f"{shared}: directory writable by others (mode 0777)" in one_error_line(err)
    assert not marker.exists()


def test_a_config_dir_reached_through_a_link_into_an_open_dir_is_refused(
    config_dir: Path, tmp_path: Path, marker: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o777)
    real = shared / "cfg"
    real.mkdir(mode=0o700)
    (real / "profiles.toml").write_text(planted_profiles(marker))
    config_dir.symlink_to(real)

    assert main(["export", "dev"]) == 2
    assert f"{shared}: directory writable by others" in one_error_line(capsys.readouterr().err)
    assert not marker.exists()


def test_a_sticky_parent_like_tmp_is_fine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    sticky = tmp_path / "sticky"
    sticky.mkdir()
    os.chmod(sticky, 0o1777)
    cfg = sticky / "cfg"
    cfg.mkdir(mode=0o700)
    (cfg / "profiles.toml").write_text(GOOD_FILE_PROFILE)
    monkeypatch.setenv("CC_AWS_TUI_CONFIG_DIR", str(cfg))
    assert main(["current"]) == 0
    assert capsys.readouterr().out == "key\n"


def test_a_sticky_config_dir_itself_is_not_enough(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Sticky protects what is ours from renames, but anyone could still add a file."""
    cfg = tmp_path / "cfg"
    cfg.mkdir()
    os.chmod(cfg, 0o1777)
    (cfg / "profiles.toml").write_text(GOOD_FILE_PROFILE)
    monkeypatch.setenv("CC_AWS_TUI_CONFIG_DIR", str(cfg))
    assert main(["current"]) == 2
    assert "directory writable by others (mode 1777)" in capsys.readouterr().err


@needs_root
def test_a_link_planted_by_another_user_in_a_sticky_dir_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    sticky = tmp_path / "sticky"
    sticky.mkdir()
    os.chmod(sticky, 0o1777)
    theirs = tmp_path / "theirs"
    theirs.mkdir(mode=0o700)
    (theirs / "profiles.toml").write_text(GOOD_FILE_PROFILE)
    link = sticky / "cfg"
    link.symlink_to(theirs)
    os.lchown(link, ATTACKER, ATTACKER)
    monkeypatch.setenv("CC_AWS_TUI_CONFIG_DIR", str(link))

    assert main(["current"]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert f"{link}: symlink owned by uid 65534" in line


def test_secrets_toml_readable_by_others_is_refused_with_rotate_advice(
    config_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config_dir.mkdir(mode=0o700)
    (config_dir / "profiles.toml").write_text(GOOD_FILE_PROFILE)
    secrets = config_dir / "secrets.toml"
    secrets.write_text(f'[key]\napi_key = "{KEY}"\n')
    os.chmod(secrets, 0o644)

    assert main(["export", "key"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    line = one_error_line(err)
    assert f"{secrets}: readable by others (mode 0644): the keys in it may have leaked" in line
    assert f"chmod 600 {secrets} and rotate those keys" in line
    assert KEY not in err


@needs_root
def test_secrets_toml_readable_by_a_shared_group_is_refused(
    config_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config_dir.mkdir(mode=0o700)
    (config_dir / "profiles.toml").write_text(GOOD_FILE_PROFILE)
    secrets = config_dir / "secrets.toml"
    secrets.write_text(f'[key]\napi_key = "{KEY}"\n')
    os.chown(secrets, 0, ATTACKER)  # group nogroup: not root's own group
    os.chmod(secrets, 0o640)
    assert main(["export", "key"]) == 2
    assert f"readable by its group (gid {ATTACKER})" in capsys.readouterr().err


def test_private_files_export(config_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config_dir.mkdir(mode=0o755)
    (config_dir / "profiles.toml").write_text(GOOD_FILE_PROFILE)
    os.chmod(config_dir / "profiles.toml", 0o644)  # commands are not secret: readable is fine
    secrets = config_dir / "secrets.toml"
    secrets.write_text(f'[key]\napi_key = "{KEY}"\n')
    os.chmod(secrets, 0o600)
    assert main(["export", "key"]) == 0
    assert f"export ANTHROPIC_AWS_API_KEY={KEY}" in capsys.readouterr().out


def _own_private_group() -> int | None:
    """The user's primary gid when its only member is the user (as with a 002 umask)."""
    me = pwd.getpwuid(os.geteuid())
    try:
        group = grp.getgrgid(me.pw_gid)
    except KeyError:
        return None
    return me.pw_gid if all(m == me.pw_name for m in group.gr_mem) else None


def test_group_writable_dir_of_a_private_group_is_fine(
    config_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gid = _own_private_group()
    if gid is None:
        pytest.skip("the user's primary group has other members here")
    config_dir.mkdir()
    os.chown(config_dir, -1, gid)
    os.chmod(config_dir, 0o770)
    (config_dir / "profiles.toml").write_text(GOOD_FILE_PROFILE)
    assert main(["current"]) == 0
    assert capsys.readouterr().out == "key\n"


@needs_root
def test_group_writable_dir_of_a_shared_group_is_refused(
    config_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config_dir.mkdir()
    os.chown(config_dir, 0, ATTACKER)
    os.chmod(config_dir, 0o770)
    (config_dir / "profiles.toml").write_text(GOOD_FILE_PROFILE)
    assert main(["current"]) == 2
    assert f"directory writable by its group (gid {ATTACKER}) (mode 0770)" in (
        capsys.readouterr().err
    )


def test_state_json_others_could_write_is_ignored(config_dir: Path) -> None:
    """A planted validation summary is not shown as ours: the cache reads as empty."""
    config_dir.mkdir(mode=0o700)
    state = config_dir / "state.json"
    state.write_text('{"validation": {"dev": {"ok": true, "summary": "all good", "at": 1}}}')
    os.chmod(state, 0o600)
    assert set(history.load()) == {"dev"}
    os.chmod(state, 0o666)
    assert history.load() == {}


# --- ensure_private_dir: create 0700, never chmod what exists ----------------------------


def test_new_dirs_are_created_private_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o000)
    try:
        target = tmp_path / "a" / "b" / "cfg"
        fsutil.ensure_private_dir(target)
    finally:
        os.umask(old)
    for path in (tmp_path / "a", tmp_path / "a" / "b", target):
        assert mode(path) == 0o700, path


def test_existing_world_writable_dir_is_refused_not_chmoded(tmp_path: Path) -> None:
    cfg = tmp_path / "cfg"
    cfg.mkdir()
    os.chmod(cfg, 0o777)
    with pytest.raises(trust.UntrustedPath) as info:
        fsutil.ensure_private_dir(cfg)
    assert str(info.value).startswith(f"{cfg}: directory writable by others (mode 0777)")
    assert f"chmod go-w {cfg}" in str(info.value)
    assert mode(cfg) == 0o777


def test_existing_readable_dir_is_left_as_it_is(tmp_path: Path) -> None:
    cfg = tmp_path / "cfg"
    cfg.mkdir()
    os.chmod(cfg, 0o755)
    fsutil.ensure_private_dir(cfg)
    assert mode(cfg) == 0o755


@needs_root
def test_existing_dir_of_another_user_is_refused(tmp_path: Path) -> None:
    cfg = tmp_path / "cfg"
    cfg.mkdir(mode=0o700)
    os.chown(cfg, ATTACKER, ATTACKER)
    with pytest.raises(trust.UntrustedPath, match=r"directory owned by uid 65534.*chown 0 "):
        fsutil.ensure_private_dir(cfg)
    assert mode(cfg) == 0o700
    assert os.stat(cfg).st_uid == ATTACKER


def test_add_into_a_world_writable_config_dir_writes_nothing(
    config_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config_dir.mkdir()
    os.chmod(config_dir, 0o777)
    code = main(["add", "dev", "--auth", "sigv4", "--aws-profile", "dev",
                 "--workspace", "wrkspc_01Test", "--region", "us-east-1"])  # fmt: skip
    assert code != 0
    assert "directory writable by others" in one_error_line(capsys.readouterr().err)
    assert list(config_dir.iterdir()) == []
    assert mode(config_dir) == 0o777


def test_tui_shows_the_refusal_and_runs_nothing(config_dir: Path, marker: Path) -> None:
    """The TUI reads through the same check: an error screen with the fix, no command run."""
    import asyncio

    from textual.widgets import Static

    from tui.app import make_app
    from tui.screens.error import ErrorScreen

    config_dir.mkdir(mode=0o700)
    planted = config_dir / "profiles.toml"
    planted.write_text(planted_profiles(marker))
    os.chmod(planted, 0o666)

    async def run() -> str:
        app = make_app()
        async with app.run_test(size=(140, 32)) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            assert isinstance(app.screen, ErrorScreen)
            return str(app.screen.query_one("#error-detail", Static).render())

    detail = asyncio.run(run())
    assert detail.startswith(f"{planted}: writable by others (mode 0666)")
    assert f"chmod go-w {planted}" in detail
    assert not marker.exists()
