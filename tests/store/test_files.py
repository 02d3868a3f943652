"""The profile store: hand-written comments survive, broken files are never touched, writes are
atomic and locked, modes are private, and secrets live only where they should."""

from __future__ import annotations

import errno
import json
import os
import re
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import replace
from pathlib import Path

import pytest

from profiles.core.schema import Profile
from profiles.store import files as store
from profiles.store import fsutil, paths
from profiles.store.secrets import KEYRING_SERVICE
from profiles.usecases import edit as manage
from tests.cliutil import Cli, console_script, sh

KEY = "sk-ant-api03-Zx9Yw8Vu7Ts6Rq5Po4Nm-f3Qa"
KEY2 = "sk-ant-api03-Second0Key1Value2Here-Wx7Y"
TOKEN = "gw-token-4f8a2b9c1d7e3f6a"


@pytest.fixture(autouse=True)
def no_exec_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """`exec` replaces the running process: here that would be pytest itself."""

    def refuse(*args: object) -> None:
        raise AssertionError(f"os.execvpe{args[:2]} called in the test process")

    monkeypatch.setattr(os, "execvpe", refuse)


def add_sigv4(cli: Cli, name: str, *extra: str) -> None:
    r = cli(*sh(f"add {name} --auth sigv4 --workspace wrkspc_{name}1 --region us-east-1"), *extra)
    assert r.code == 0, r.err


def add_key(cli: Cli, name: str, key: str = KEY, *extra: str) -> None:
    args = (
        f"add {name} --auth api-key --api-key-stdin --workspace wrkspc_{name}1 --region us-east-1"
    )
    r = cli(*sh(args), *extra, stdin=key + "\n")
    assert r.code == 0, r.err


def temp_files(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


def keyring_entries(tmp_path: Path) -> dict[str, str]:
    path = tmp_path / "keyring.json"
    data: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
    return data


def kr(name: str, kind: str = "api_key") -> str:
    """The key our test keyring backend stores an entry under."""
    return f"{KEYRING_SERVICE}\0{name}:{kind}"


# --- comments and order a user wrote by hand --------------------------------------------------

HEAD = "# My profiles, written by hand.\nschema = 1  # do not change\n"
BLOCKS = {
    "work": (
        "# --- work ---\n"
        "[profiles.work]\n"
        "# the work account\n"
        'region = "eu-west-1"   # Ireland\n'
        'auth = "sigv4"\n'
        'workspace_id = "wrkspc_work1"\n'
        'aws_profile = "work-sso"  # SSO profile\n'
    ),
    "play": (
        "# --- play ---\n"
        "[profiles.play]\n"
        'workspace_id = "wrkspc_play1"  # play ws\n'
        'auth = "sigv4"\n'
        'region = "us-west-2"\n'
        'cache_ttl = "1h"\n'
        "\n"
        "[profiles.play.models]\n"
        "# pinned on purpose\n"
        'opus = "claude-opus-4-7"  # the good one\n'
    ),
    "lab": (
        "# --- lab ---\n"
        "[profiles.lab]\n"
        'auth = "sigv4"  # lab\n'
        'workspace_id = "wrkspc_lab1"\n'
        'region = "us-east-1"\n'
    ),
}
TAIL = "# end of file\n"
HAND = "\n".join([HEAD, BLOCKS["work"], BLOCKS["play"], BLOCKS["lab"], TAIL])


@pytest.fixture
def hand_written(config_dir: Path) -> Path:
    config_dir.mkdir(mode=0o700, parents=True)
    path = config_dir / "profiles.toml"
    path.write_text(HAND)
    return path


def assert_kept(text: str, *names: str, tail_last: bool = True) -> None:
    """The file's own header and footer, and each named block, are there verbatim."""
    assert HEAD in text
    assert text.endswith(TAIL) if tail_last else TAIL in text
    for name in names:
        assert BLOCKS[name] in text, f"block {name!r} changed:\n{text}"
    # Still a valid file, read back the way every command reads it.
    store.read_doc()


def test_hand_written_file_is_valid(hand_written: Path) -> None:
    doc = store.read_doc()
    assert sorted(doc.profiles) == ["lab", "play", "work"]
    assert doc.profiles["play"].models == {"opus": "claude-opus-4-7"}


def test_add_another_profile_keeps_comments_and_order(cli: Cli, hand_written: Path) -> None:
    add_sigv4(cli, "extra")
    text = hand_written.read_text()
    # A new profile goes last (after the closing comment, which tomlkit files under `lab`).
    assert_kept(text, "work", "play", "lab", tail_last=False)
    # `current` goes next to `schema`, not between a comment and the header it introduces.
    assert text.startswith(HAND.replace(HEAD, HEAD + 'current = "extra"\n'))
    assert text.endswith(
        '\n\n[profiles.extra]\nauth = "sigv4"\nworkspace_id = "wrkspc_extra1"\n'
        'region = "us-east-1"\ncache_ttl = "5m"\n'
    )


def test_use_keeps_comments(cli: Cli, hand_written: Path) -> None:
    assert cli("use", "play").code == 0
    text = hand_written.read_text()
    assert_kept(text, "work", "play", "lab")
    assert text == HAND.replace(HEAD, HEAD + 'current = "play"\n')
    # A second `use` only changes the value.
    assert cli("use", "lab").code == 0
    assert hand_written.read_text() == HAND.replace(HEAD, HEAD + 'current = "lab"\n')


@pytest.mark.parametrize("gone", ["work", "play", "lab"])
def test_rm_of_another_profile_keeps_the_others_comments(
    cli: Cli, hand_written: Path, gone: str
) -> None:
    assert cli("rm", gone).code == 0
    text = hand_written.read_text()
    kept = [n for n in BLOCKS if n != gone]
    assert_kept(text, *kept)
    assert f"[profiles.{gone}]" not in text
    # The comment that introduced the removed profile goes with it; the next one's stays on it.
    assert f"# --- {gone} ---" not in text
    assert text == HAND.replace(BLOCKS[gone] + "\n", "")


def test_force_replace_keeps_comments_on_untouched_keys(cli: Cli, hand_written: Path) -> None:
    r = cli(
        *sh("add work --auth sigv4 --aws-profile work-sso --workspace wrkspc_work1"),
        *sh("--region eu-west-2 --sonnet claude-sonnet-5 --force"),
    )
    assert r.code == 0, r.err
    text = hand_written.read_text()
    assert_kept(text, "play", "lab")
    work = text[text.index("# --- work ---") : text.index("# --- play ---")]
    for line in (
        "# --- work ---\n[profiles.work]\n# the work account\n",
        'auth = "sigv4"\n',
        'workspace_id = "wrkspc_work1"\n',
        'aws_profile = "work-sso"  # SSO profile\n',
        "[profiles.work.models]\n",
        'sonnet = "claude-sonnet-5"\n',
    ):
        assert line in work
    # The hand-written key order stays (new keys come after it).
    order = [work.index(k) for k in ("region =", "auth =", "workspace_id =", "aws_profile =")]
    assert order == sorted(order)
    assert 'region = "eu-west-2"' in work
    assert store.read_doc().profiles["work"].region == "eu-west-2"


def test_force_replace_of_a_profile_with_pins_keeps_their_comments(
    cli: Cli, hand_written: Path
) -> None:
    r = cli(
        *sh("add play --auth sigv4 --workspace wrkspc_play1 --region us-west-2 --cache-ttl 1h"),
        *sh("--opus claude-opus-4-8 --force"),
    )
    assert r.code == 0, r.err
    text = hand_written.read_text()
    assert_kept(text, "work", "lab")
    # Only the pin's value changed (and, as no profile was current, `play` became current).
    expected = HAND.replace('"claude-opus-4-7"  # the', '"claude-opus-4-8"  # the')
    assert text == expected.replace(HEAD, HEAD + 'current = "play"\n')


@pytest.mark.parametrize(("old", "new"), [("work", "job"), ("play", "fun"), ("lab", "den")])
def test_rename_keeps_comments_and_place(cli: Cli, hand_written: Path, old: str, new: str) -> None:
    assert cli("rename", old, new).code == 0
    text = hand_written.read_text()
    assert_kept(text, *(n for n in BLOCKS if n != old))
    # Renamed where it stands, with its own comments.
    assert text == HAND.replace(f"[profiles.{old}", f"[profiles.{new}")
    assert sorted(store.read_doc().profiles) == sorted({"work", "play", "lab"} - {old} | {new})


def test_rename_of_the_current_profile_follows(cli: Cli, hand_written: Path) -> None:
    assert cli("use", "play").code == 0
    assert cli("rename", "play", "fun").code == 0
    assert store.read_doc().current == "fun"
    assert hand_written.read_text() == HAND.replace(HEAD, HEAD + 'current = "fun"\n').replace(
        "[profiles.play", "[profiles.fun"
    )


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            'schema = 1\n[profiles]\n# inline\na = { auth = "sigv4", workspace_id = "wrkspc_a",'
            ' region = "us-east-1" }  # A\n[profiles.b]\nauth = "sigv4"\n'
            'workspace_id = "wrkspc_b"\nregion = "us-east-1"\n',
            id="inline-tables",
        ),
        pytest.param(
            'schema = 1\n[profiles]\na.auth = "sigv4"\na.workspace_id = "wrkspc_a"\n'
            'a.region = "us-east-1"\n[profiles.b]\nauth = "sigv4"\n'
            'workspace_id = "wrkspc_b"\nregion = "us-east-1"\n',
            id="dotted-in-table",
        ),
        pytest.param(
            'schema = 1\nprofiles.a.auth = "sigv4"\nprofiles.a.workspace_id = "wrkspc_a"\n'
            'profiles.a.region = "us-east-1"\nprofiles.b.auth = "sigv4"\n'
            'profiles.b.workspace_id = "wrkspc_b"\nprofiles.b.region = "us-east-1"\n',
            id="dotted-top-level",
        ),
    ],
)
@pytest.mark.parametrize(
    ("args", "expect"),
    [
        ("rm a", {"b"}),
        ("rename a z", {"b", "z"}),
        ("use a", {"a", "b"}),
        (
            "add a --auth sigv4 --workspace wrkspc_a --region eu-west-1 --opus claude-x --force",
            {"a", "b"},
        ),
        ("add n --auth sigv4 --workspace wrkspc_n --region us-east-1", {"a", "b", "n"}),
    ],
)
def test_unusual_layouts_are_edited_correctly_or_refused(
    cli: Cli, config_dir: Path, text: str, args: str, expect: set[str]
) -> None:
    """Inline tables and dotted keys are valid TOML a person may write: every edit either
    does the right thing or exits 2 with one line and the file untouched. Never a traceback."""
    config_dir.mkdir(parents=True)
    path = config_dir / "profiles.toml"
    path.write_text(text)
    r = cli(*sh(args))
    doc = store.read_doc()
    if r.code == 0:
        assert set(doc.profiles) == expect
        if args.startswith("add a "):
            assert doc.profiles["a"].region == "eu-west-1"
            assert doc.profiles["a"].models == {"opus": "claude-x"}
    else:
        assert r.code == 2
        assert len(r.err.splitlines()) == 1, r.err
        assert path.read_text() == text


# --- a broken file is reported, never rewritten ---------------------------------------------

GOOD = """\
# hand-edited
schema = 1
current = "dev"

[profiles.dev]
auth = "sigv4"
aws_profile = "dev"
workspace_id = "wrkspc_dev1"
region = "us-east-1"

[profiles.dev.models]
opus = "claude-opus-4-7"

[profiles.key]
auth = "api-key"
api_key_store = "file"
workspace_id = "wrkspc_key1"
region = "eu-west-1"
"""


def _sub(old: str, new: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        assert old in text
        return text.replace(old, new, 1)

    return edit


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


# (edit, the text to find the reported line by (None: no line can be given), message part)
CORRUPTIONS: list[object] = [
    pytest.param(
        _sub('region = "us-east-1"', 'region = "us-east-1'),
        'region = "us-east-1',
        "",
        id="syntax-unterminated-string",
    ),
    pytest.param(
        _sub('region = "eu-west-1"', 'region = "eu-west-1"\nregion = "eu-west-2"'),
        'region = "eu-west-2"',
        "",
        id="syntax-duplicate-key",
    ),
    pytest.param(
        _sub("[profiles.key]", "[profiles.key"), "[profiles.key", "", id="syntax-bad-header"
    ),
    pytest.param(
        _sub('aws_profile = "dev"', "aws_profile = 5"),
        "aws_profile = 5",
        "profiles.dev.aws_profile",
        id="wrong-type-string",
    ),
    pytest.param(
        _sub('region = "eu-west-1"', "region = 3"),
        "region = 3",
        "profiles.key.region",
        id="wrong-type-region",
    ),
    pytest.param(
        _sub('workspace_id = "wrkspc_key1"', "workspace_id = []"),
        "workspace_id = []",
        "profiles.key.workspace_id",
        id="wrong-type-workspace",
    ),
    pytest.param(
        _sub('aws_profile = "dev"', 'aws_profile = "dev"\ngateway_signs = "yes"'),
        'gateway_signs = "yes"',
        "profiles.dev.gateway_signs",
        id="wrong-type-bool",
    ),
    pytest.param(
        _sub('aws_profile = "dev"', 'aws_profile = "dev"\ncolour = "red"'),
        'colour = "red"',
        "profiles.dev.colour",
        id="unknown-key",
    ),
    pytest.param(
        _sub('region = "eu-west-1"', 'region = "moon-base-1"'),
        'region = "moon',
        "profiles.key.region",
        id="bad-region",
    ),
    pytest.param(
        _sub('opus = "claude-opus-4-7"', 'opus = "gpt-4"'),
        'opus = "gpt-4"',
        "profiles.dev.models.opus",
        id="bad-model-pin",
    ),
    pytest.param(
        _sub('api_key_store = "file"\n', ""),
        "[profiles.key]",
        "profiles.key.api_key_store",
        id="inconsistent",
    ),
    pytest.param(_sub("schema = 1\n", ""), None, "schema", id="missing-schema"),
    pytest.param(_sub("schema = 1", "schema = 2"), "schema = 2", "schema", id="schema-2"),
    pytest.param(
        _sub('current = "dev"', 'current = "gone"'),
        'current = "gone"',
        "current",
        id="current-missing",
    ),
    pytest.param(
        _sub("schema = 1", "schema = 1\ntheme = 'dark'"),
        "theme = ",
        "theme",
        id="unknown-top-level",
    ),
    pytest.param(
        lambda t: t.replace("hand-edited", "hand-edited \udcff"), None, "UTF-8", id="not-utf8"
    ),
]

COMMANDS = [
    "list",
    "list --json",
    "export dev",
    "export",
    "add new --auth sigv4 --workspace wrkspc_new1 --region us-east-1",
    "add dev --auth api-key --api-key-stdin --workspace wrkspc_dev1 --region us-east-1 --force",
    "use key",
    "rm key",
    "rename key key2",
    "show dev",
    "current",
    "exec dev -- true",
]


@pytest.mark.parametrize(("edit", "needle", "what"), CORRUPTIONS)
def test_broken_file_every_command_exits_2_and_touches_nothing(
    cli: Cli,
    config_dir: Path,
    edit: Callable[[str], str],
    needle: str | None,
    what: str,
) -> None:
    config_dir.mkdir(mode=0o700, parents=True)
    path = config_dir / "profiles.toml"
    text = edit(GOOD)
    path.write_bytes(text.encode("utf-8", "surrogateescape"))
    old = 1_600_000_000_000_000_000
    os.utime(path, ns=(old, old))
    before = sorted(p.name for p in config_dir.iterdir())
    syntax = what == ""
    for args in COMMANDS:
        r = cli(*sh(args), stdin=KEY + "\n")
        assert r.code == 2, (args, r)
        assert r.out == "", args
        lines = r.err.splitlines()
        assert len(lines) == 1, (args, r.err)
        assert str(path) in lines[0]
        assert what in lines[0], (args, lines[0])
        if needle is None:
            assert not re.search(r"profiles\.toml:\d+", lines[0])
        else:
            line = _line_of(text, needle)
            pattern = rf"profiles\.toml:{line}:\d+: " if syntax else rf"profiles\.toml:{line}:1: "
            assert re.search(pattern, lines[0]), (args, lines[0])
        assert path.read_bytes() == text.encode("utf-8", "surrogateescape")
        assert path.stat().st_mtime_ns == old
        assert sorted(p.name for p in config_dir.iterdir() if p.name != ".lock") == sorted(
            n for n in before if n != ".lock"
        ), args  # no temp file, no secrets.toml


def test_syntax_error_reports_line_and_column(cli: Cli, config_dir: Path) -> None:
    config_dir.mkdir(parents=True)
    path = config_dir / "profiles.toml"
    path.write_text("schema = 1\n\n[profiles.a]\nauth = sigv4\n")
    r = cli("list")
    assert r.code == 2
    assert r.err.startswith(f"cc-aws-tui: error: {path}:4:8: ")
    assert r.err.count("\n") == 1


def test_broken_secrets_file_is_reported_and_kept(cli: Cli, config_dir: Path) -> None:
    add_key(cli, "key")
    secrets = config_dir / "secrets.toml"
    secrets.write_text('[key]\napi_key = "unterminated\n')
    before = secrets.read_bytes()
    for args in ("export key", "rm key", "rename key k2"):
        r = cli(*sh(args))
        assert r.code == 2, args
        assert r.out == ""
        assert r.err.count("\n") == 1
        assert f"{secrets}:2:" in r.err
        assert secrets.read_bytes() == before
    assert "key" in store.read_doc().profiles


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


# --- secrets ---------------------------------------------------------------------------------


def test_file_secret_is_only_in_secrets_toml(cli: Cli, config_dir: Path) -> None:
    add_key(cli, "key")
    profiles_text = (config_dir / "profiles.toml").read_text()
    assert KEY not in profiles_text
    assert KEY[8:20] not in profiles_text
    assert 'api_key_store = "file"' in profiles_text
    assert store.read_secrets() == {"key": {"api_key": KEY}}
    assert KEY in cli("export", "key").out


def test_rm_deletes_the_file_secret(cli: Cli, config_dir: Path) -> None:
    add_key(cli, "key")
    add_key(cli, "other", KEY2)
    assert cli("rm", "key").code == 0
    text = (config_dir / "secrets.toml").read_text()
    assert KEY not in text
    assert "[key]" not in text
    assert store.read_secrets() == {"other": {"api_key": KEY2}}


def test_rename_moves_the_file_secret(cli: Cli, config_dir: Path) -> None:
    add_key(cli, "key")
    assert cli("rename", "key", "renamed").code == 0
    assert store.read_secrets() == {"renamed": {"api_key": KEY}}
    assert KEY not in (config_dir / "profiles.toml").read_text()
    r = cli("export", "renamed")
    assert r.code == 0
    assert f"ANTHROPIC_AWS_API_KEY={KEY};" in r.out


def test_keyring_store(cli: Cli, config_dir: Path, tmp_path: Path) -> None:
    r = cli(
        *sh("add kr --auth api-key --api-key-stdin --gateway-token-stdin --secret-store keyring"),
        *sh("--base-url https://gw.example.com --workspace wrkspc_kr1 --region us-east-1"),
        stdin=f"{KEY}\n{TOKEN}\n",
    )
    assert r.code == 0, r.err
    assert keyring_entries(tmp_path) == {kr("kr"): KEY, kr("kr", "gateway_token"): TOKEN}
    profiles_text = (config_dir / "profiles.toml").read_text()
    assert KEY not in profiles_text
    assert TOKEN not in profiles_text
    assert store.read_secrets() == {}
    out = cli("export", "kr").out
    assert KEY in out
    assert TOKEN in out

    assert cli("rename", "kr", "kr2").code == 0
    assert keyring_entries(tmp_path) == {kr("kr2"): KEY, kr("kr2", "gateway_token"): TOKEN}
    assert KEY in cli("export", "kr2").out

    assert cli("rm", "kr2").code == 0
    assert keyring_entries(tmp_path) == {}


def test_key_command_stores_only_the_command(cli: Cli, config_dir: Path, tmp_path: Path) -> None:
    secret_file = tmp_path / "vault.txt"
    secret_file.write_text(KEY + "\n")
    command = f"cat {secret_file}"
    r = cli(
        *sh("add cmd --auth api-key --api-key-command"),
        command,
        *sh("--workspace wrkspc_cmd1 --region us-east-1"),
    )
    assert r.code == 0, r.err
    text = (config_dir / "profiles.toml").read_text()
    assert KEY not in text
    assert 'api_key_store = "command"' in text
    assert f'api_key_command = "{command}"' in text
    assert not (config_dir / "secrets.toml").exists()
    r = cli("export", "cmd")
    assert r.code == 0
    assert f"export ANTHROPIC_AWS_API_KEY={KEY};" in r.out
    # The command runs at export time: a new key is picked up without touching the profile.
    secret_file.write_text(KEY2 + "\n")
    assert KEY2 in cli("export", "cmd").out


@pytest.mark.parametrize(
    ("script", "reason"),
    [
        ("cat {vault}; echo 'vault is locked' >&2; exit 3", "exit 3): vault is locked"),
        ("cat {vault}; cat {vault}", "alone on one line"),
        ("true", "alone on one line"),
        ("exit 1", "exit 1)"),
    ],
)
def test_failing_key_command_exits_1_and_hides_its_output(
    cli: Cli, tmp_path: Path, script: str, reason: str
) -> None:
    vault = tmp_path / "vault.txt"
    vault.write_text(KEY + "\n")
    r = cli(
        *sh("add cmd --auth api-key --api-key-command"),
        script.format(vault=vault),
        *sh("--workspace wrkspc_cmd1 --region us-east-1"),
    )
    assert r.code == 0, r.err
    for args in ("export cmd", "export", "exec cmd -- true"):
        r = cli(*sh(args))
        assert r.code == 1, args
        assert r.out == ""
        assert r.err.count("\n") == 1
        assert "profile 'cmd'" in r.err
        assert reason in r.err
        assert KEY not in r.err
        assert KEY[-4:] not in r.err


def test_switching_keyring_to_file_removes_the_keyring_entry(
    config_dir: Path, tmp_path: Path
) -> None:
    in_keyring = Profile(
        name="k",
        auth="api-key",
        workspace_id="wrkspc_k1",
        region="us-east-1",
        api_key_store="keyring",
    )
    manage.save_profile(in_keyring, {"api_key": KEY})
    assert keyring_entries(tmp_path) == {kr("k"): KEY}
    assert store.read_secrets() == {}

    manage.save_profile(replace(in_keyring, api_key_store="file"), {"api_key": KEY2}, replace=True)
    assert keyring_entries(tmp_path) == {}
    assert store.read_secrets() == {"k": {"api_key": KEY2}}

    # And back: the file copy goes.
    manage.save_profile(in_keyring, {"api_key": KEY}, replace=True)
    assert keyring_entries(tmp_path) == {kr("k"): KEY}
    assert store.read_secrets() == {}

    # To a command, then to sigv4: nothing is left anywhere.
    manage.save_profile(
        replace(in_keyring, api_key_store="command", api_key_command="pass show k"), replace=True
    )
    assert keyring_entries(tmp_path) == {}
    manage.save_profile(
        Profile(name="k", auth="sigv4", workspace_id="wrkspc_k1", region="us-east-1"),
        replace=True,
    )
    assert keyring_entries(tmp_path) == {}
    assert store.read_secrets() == {}
    assert KEY not in (config_dir / "profiles.toml").read_text()


def test_replace_without_a_new_secret_keeps_the_stored_one(cli: Cli) -> None:
    add_key(cli, "key")
    args = "add key --auth api-key --api-key-stdin --workspace wrkspc_key1 --region eu-west-1"
    r = cli(*sh(args), "--force", stdin=KEY2 + "\n")
    assert r.code == 0, r.err
    assert store.read_secrets() == {"key": {"api_key": KEY2}}
    # An edit through the API that keeps the store and gives no key keeps the old one.
    profile = store.read_doc().profiles["key"]
    manage.save_profile(replace(profile, region="us-west-2"), replace=True)
    assert store.read_secrets() == {"key": {"api_key": KEY2}}


def test_save_refuses_a_secret_the_profile_does_not_store(config_dir: Path) -> None:
    sigv4 = Profile(name="s", auth="sigv4", workspace_id="wrkspc_s1", region="us-east-1")
    with pytest.raises(store.ConfigError, match="stores none"):
        manage.save_profile(sigv4, {"api_key": KEY})
    assert not (config_dir / "profiles.toml").exists() or "s" not in store.read_doc().profiles
    assert store.read_secrets() == {}


def test_off_needs_no_profiles_file_so_a_broken_one_never_traps_a_shell(
    cli: Cli, config_dir: Path
) -> None:
    """`off` reads only the environment (which AWS_PROFILE cc-aws-tui set), so a shell can
    always be cleared, and the broken file is left exactly as it was."""
    config_dir.mkdir(mode=0o700, parents=True)
    path = config_dir / "profiles.toml"
    path.write_text("schema = 1\n[profiles.dev\n")
    before = path.read_bytes()
    r = cli("off")
    assert r.code == 0
    assert "unset CLAUDE_CODE_USE_ANTHROPIC_AWS;" in r.out
    assert path.read_bytes() == before
