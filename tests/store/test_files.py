"""profiles.toml as a user keeps it: hand-written comments and order survive every edit, and a
broken file is reported (file, line, column), never rewritten, never a trap for `off`.
Writes (locks, atomic renames, modes) are in test_writes.py, secrets in test_secrets.py.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from profiles.store import files as store
from tests.cliutil import Cli, sh
from tests.store.storing import GOOD, KEY, add_key, add_sigv4

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
