"""Writing the store: concurrent adds all land, a held lock times out cleanly, a crash at any
point leaves the old files (and every profile its secret), modes are private, and a symlinked
profiles.toml stays a link.
"""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

from profiles.core.schema import Profile
from profiles.store import files as store
from profiles.store import fsutil, paths
from profiles.usecases import edit as manage
from profiles.usecases.edit import save_profile
from tests.cliutil import Cli, console_script, sh
from tests.store.storing import GOOD, KEY, KEY2, add_key, add_sigv4, sigv4, temp_files

# --- concurrency ------------------------------------------------------------------------------


def test_concurrent_adds_all_end_up_saved(config_dir: Path) -> None:
    exe = console_script()
    names = [f"p{i}" for i in range(8)]
    procs: list[subprocess.Popen[bytes]] = []
    for i, name in enumerate(names):
        args = [exe, "add", name, "--workspace", f"wrkspc_{name}", "--region", "us-east-1"]
        if i % 2:
            args += ["--auth", "api-key", "--api-key-stdin"]
        else:
            args += ["--auth", "sigv4"]
        procs.append(
            subprocess.Popen(
                args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
            )
        )
    for i, proc in enumerate(procs):
        assert proc.stdin is not None
        proc.stdin.write(f"{KEY[:-4]}{i:04d}\n".encode() if i % 2 else b"")
        proc.stdin.close()
    for proc in procs:
        assert proc.wait(timeout=60) == 0
        assert proc.stderr is not None
        assert "saved profile" in proc.stderr.read().decode()
    doc = store.read_doc()
    assert sorted(doc.profiles) == names
    assert doc.current in names
    file_secrets = store.read_secrets()
    assert {n: file_secrets[n]["api_key"] for n in file_secrets} == {
        n: f"{KEY[:-4]}{i:04d}" for i, n in enumerate(names) if i % 2
    }
    assert temp_files(config_dir) == []


def test_lock_timeout_exits_1_and_changes_nothing(
    cli: Cli, config_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_sigv4(cli, "a")
    before = (config_dir / "profiles.toml").read_bytes()
    real_lock = fsutil.file_lock

    def quick_lock(path: Path, timeout: float = 10.0) -> AbstractContextManager[None]:
        return real_lock(path, timeout=0.05)

    monkeypatch.setattr(fsutil, "file_lock", quick_lock)
    with real_lock(paths.lock_file()):  # another cc-aws-tui is saving
        r = cli("use", "a")
        r2 = cli("add", "b", "--auth", "sigv4", "--workspace", "wrkspc_b", "--region", "us-east-1")
    for res in (r, r2):
        assert res.code == 1
        assert res.out == ""
        assert res.err.count("\n") == 1
        assert "another cc-aws-tui is saving" in res.err
    assert (config_dir / "profiles.toml").read_bytes() == before


# --- atomic writes: a crash leaves the old file -----------------------------------------------


@pytest.fixture
def seeded(cli: Cli, config_dir: Path) -> Iterator[dict[str, bytes]]:
    add_sigv4(cli, "dev", "--aws-profile", "dev")
    add_key(cli, "key")
    files = {n: (config_dir / n).read_bytes() for n in ("profiles.toml", "secrets.toml")}
    yield files
    assert temp_files(config_dir) == []


def _crash(*_args: object, **_kwargs: object) -> None:
    raise OSError(errno.EIO, "simulated crash")


def _assert_unchanged(config_dir: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        assert (config_dir / name).read_bytes() == data, name
    assert temp_files(config_dir) == []


NEW_KEY_PROFILE = Profile(
    name="new",
    auth="api-key",
    workspace_id="wrkspc_new1",
    region="us-east-1",
    api_key_store="file",
)


@pytest.mark.parametrize("fault", ["replace", "fsync"])
def test_crash_during_save_leaves_old_files(
    config_dir: Path, seeded: dict[str, bytes], monkeypatch: pytest.MonkeyPatch, fault: str
) -> None:
    with monkeypatch.context() as m:
        m.setattr(fsutil.os, fault, _crash)
        with pytest.raises(OSError, match="simulated crash"):
            manage.save_profile(NEW_KEY_PROFILE, {"api_key": KEY2})
        with pytest.raises(OSError, match="simulated crash"):
            manage.delete_profile("key")
        with pytest.raises(OSError, match="simulated crash"):
            manage.rename_profile("key", "key2")
        with pytest.raises(OSError, match="simulated crash"):
            manage.set_current("key")
    _assert_unchanged(config_dir, seeded)
    assert sorted(store.read_doc().profiles) == ["dev", "key"]


# A real process killed (SIGKILL, no cleanup) at a chosen point of a save. The child counts
# the renames onto profiles.toml / secrets.toml and kills itself right after (or just before)
# the Nth one; the parent then reads what is on disk.
_CRASH_CHILD = r"""
import os, signal, sys
from profiles.usecases import edit as manage
from profiles.core.schema import Profile

op, when, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
real_replace = os.replace
count = 0

def replace(src, dst, *args, **kwargs):
    global count
    if os.path.basename(dst) not in ("profiles.toml", "secrets.toml"):
        return real_replace(src, dst, *args, **kwargs)
    count += 1
    if when == "before" and count == n:
        os.kill(os.getpid(), signal.SIGKILL)
    real_replace(src, dst, *args, **kwargs)
    if when == "after" and count == n:
        os.kill(os.getpid(), signal.SIGKILL)

os.replace = replace
if op == "add":
    new = Profile(name="new", auth="api-key", workspace_id="wrkspc_new1", region="us-east-1",
                  api_key_store="file")
    manage.save_profile(new, {"api_key": sys.argv[4]})
elif op == "rename":
    manage.rename_profile("key", "key2")
elif op == "delete":
    manage.delete_profile("key")
print(count)
"""


def _run_crashing(op: str, when: str, n: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _CRASH_CHILD, op, when, str(n), KEY2],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _every_profile_has_its_secret() -> list[str]:
    doc = store.read_doc()
    secrets = store.read_secrets()
    return [
        name
        for name, p in doc.profiles.items()
        if p.api_key_store == "file" and "api_key" not in secrets.get(name, {})
    ]


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
@pytest.mark.parametrize("op", ["add", "rename", "delete"])
def test_a_save_killed_after_any_rename_leaves_every_profile_with_its_secret(
    config_dir: Path, seeded: dict[str, bytes], op: str
) -> None:
    """Kill a real save after each of its renames in turn (after profiles.toml is replaced and
    before the final secrets write among them): every profile on disk still has its secret.
    Fails if transaction() writes profiles.toml before the secrets it needs, or the final
    secrets (without the old ones) before profiles.toml."""
    done = _run_crashing(op, "never", 0)
    assert done.returncode == 0, done.stderr
    renames = int(done.stdout)
    assert renames >= 2  # secrets and profiles at least
    ended = {n: (config_dir / n).read_bytes() for n in ("profiles.toml", "secrets.toml")}
    for n in range(1, renames):
        for name, data in seeded.items():
            (config_dir / name).write_bytes(data)
        killed = _run_crashing(op, "after", n)
        assert killed.returncode == -9, (n, killed.stderr)
        profiles_now = (config_dir / "profiles.toml").read_bytes()
        assert profiles_now in (seeded["profiles.toml"], ended["profiles.toml"]), n
        assert _every_profile_has_its_secret() == [], (op, n)
    assert temp_files(config_dir) == []


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
def test_a_killed_save_leaves_a_temp_file_the_next_save_sweeps(
    config_dir: Path, seeded: dict[str, bytes]
) -> None:
    killed = _run_crashing("add", "before", 1)  # the temp file is written, not yet renamed
    assert killed.returncode == -9, killed.stderr
    left = temp_files(config_dir)
    assert len(left) == 1
    assert left[0].startswith(".secrets.toml.")
    assert KEY2 in (config_dir / left[0]).read_text()  # why it must not linger
    _assert_unchanged_but_temps(config_dir, seeded)
    # Not ours: another name, a link with our pattern. Left alone.
    (config_dir / ".notes.txt.0123456789ab.tmp").write_text("mine")
    (config_dir / ".secrets.toml.ba9876543210.tmp").symlink_to(config_dir / "profiles.toml")
    manage.set_current("dev")
    assert sorted(temp_files(config_dir)) == [
        ".notes.txt.0123456789ab.tmp",
        ".secrets.toml.ba9876543210.tmp",
    ]
    (config_dir / ".notes.txt.0123456789ab.tmp").unlink()
    (config_dir / ".secrets.toml.ba9876543210.tmp").unlink()


def _assert_unchanged_but_temps(config_dir: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        assert (config_dir / name).read_bytes() == data, name


@pytest.mark.parametrize("fault", ["replace", "fsync"])
def test_cli_write_failure_is_one_line_exit_1(
    cli: Cli,
    config_dir: Path,
    seeded: dict[str, bytes],
    monkeypatch: pytest.MonkeyPatch,
    fault: str,
) -> None:
    with monkeypatch.context() as m:
        m.setattr(fsutil.os, fault, _crash)
        for args in (
            "use key",
            "rm key",
            "add new --auth sigv4 --workspace wrkspc_new1 --region us-east-1",
        ):
            r = cli(*sh(args))
            assert r.code == 1, args
            assert r.out == ""
            assert r.err.count("\n") == 1
            assert "simulated crash" in r.err
    _assert_unchanged(config_dir, seeded)


# --- modes -----------------------------------------------------------------------------------


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


@pytest.mark.skipif(os.name != "posix", reason="POSIX modes")
def test_fresh_store_is_private(cli: Cli, config_dir: Path, umask_022: None) -> None:
    assert not config_dir.exists()
    add_key(cli, "key")
    assert _mode(config_dir) == 0o700
    for name in ("profiles.toml", "secrets.toml", ".lock"):
        assert _mode(config_dir / name) == 0o600, name


@pytest.mark.skipif(os.name != "posix", reason="POSIX modes")
def test_existing_readable_dir_is_left_alone_and_files_are_made_private(
    cli: Cli, config_dir: Path, umask_022: None
) -> None:
    # A directory others can only read is not chmod'ed behind the user's back (issue 8,
    # part 7); the files written in it are 0600 all the same.
    config_dir.mkdir(mode=0o755, parents=True)
    os.chmod(config_dir, 0o755)
    (config_dir / "profiles.toml").write_text(GOOD)
    os.chmod(config_dir / "profiles.toml", 0o644)
    assert _mode(config_dir) == 0o755
    add_key(cli, "k2")
    assert _mode(config_dir) == 0o755
    assert _mode(config_dir / "profiles.toml") == 0o600
    assert _mode(config_dir / "secrets.toml") == 0o600


def test_a_symlinked_profiles_toml_stays_a_link(config_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "dotfiles" / "profiles.toml"
    target.parent.mkdir()
    target.write_text("schema = 1\n")
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "profiles.toml").symlink_to(target)
    save_profile(sigv4())
    assert (config_dir / "profiles.toml").is_symlink()
    assert "[profiles.dev]" in target.read_text()
