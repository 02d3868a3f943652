"""Claude Code settings files: apply/unapply keep everything else (keys, order, values), refuse
what must not be written, never touch broken JSON; import reads every profile shape and reports
rather than guesses; share carries no secret; precedence resolves as Claude Code would."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from profiles.claude import backup as settings_backup
from profiles.claude.apply import apply, profile_env, unapply
from profiles.claude.importing import Imported, import_from_env, import_from_settings
from profiles.claude.locations import locate
from profiles.claude.precedence import SourceRow, source_rows
from profiles.claude.record import state_path
from profiles.claude.resolve import SHELL, Layer, resolve
from profiles.claude.settings_json import SettingsError
from profiles.claude.share import SHARED_KEYS, SharedError, import_shared, share
from profiles.claude.sources import applied_scopes, settings_sources
from profiles.cli import main
from profiles.core import envplan
from profiles.core.models import ProfileModel
from profiles.core.schema import Profile, profile_from_mapping
from profiles.usecases.edit import save_profile

KEY = "sk-ant-api03-Zx9Yw8Vu7Ts6Rq5Po4Nm-f3Qa"
KEY2 = "sk-ant-api03-Second0Key1Value2Here-Wx7Y"
TOKEN = "gw-token-4f8a2b9c1d7e3f6a"
WS = "wrkspc_01AbCdEf23GhIj"
PINS = {
    "fable": "claude-fable-5",
    "opus": "claude-opus-4-8",
    "sonnet": "claude-sonnet-5",
    "haiku": "claude-haiku-4-5",
}

# Every profile shape: (fields, secrets).
SHAPES: dict[str, tuple[dict[str, Any], dict[str, str]]] = {
    "sigv4-named": ({"auth": "sigv4", "aws_profile": "dev-sso"}, {}),
    "sigv4-chain": ({"auth": "sigv4"}, {}),
    "api-key": ({"auth": "api-key", "api_key_store": "file"}, {"api_key": KEY}),
    "gateway-signs": (
        {"auth": "sigv4", "base_url": "https://gw.example.com", "gateway_signs": True},
        {},
    ),
    "gateway-token": (
        {
            "auth": "sigv4",
            "aws_profile": "gw",
            "base_url": "https://gw.example.com/claude",
            "gateway_signs": True,
            "gateway_token_store": "file",
        },
        {"gateway_token": TOKEN},
    ),
    "pins-1h": ({"auth": "sigv4", "aws_profile": "p", "models": PINS, "cache_ttl": "1h"}, {}),
    "refresh": (
        {"auth": "sigv4", "aws_profile": "p", "aws_auth_refresh": "aws sso login --profile p"},
        {},
    ),
    "everything-api-key": (
        {
            "auth": "api-key",
            "api_key_store": "file",
            "base_url": "http://127.0.0.1:8080",
            "gateway_token_store": "file",
            "models": {"opus": "claude-opus-4-7"},
            "cache_ttl": "1h",
            "aws_auth_refresh": "true",
        },
        {"api_key": KEY, "gateway_token": TOKEN},
    ),
}
SECRET_SHAPES = ("api-key", "gateway-token", "everything-api-key")


def make(
    shape: str, name: str = "dev", region: str = "eu-west-3"
) -> tuple[Profile, dict[str, str]]:
    fields, secrets = SHAPES[shape]
    return profile_from_mapping(name, {"workspace_id": WS, "region": region, **fields}), secrets


# Realistic settings files, with the formatting people (and tools) actually leave behind.
SETTINGS_FILES: dict[str, str] = {
    "typical": """{
  "$schema": "https://json.schemastore.org/claude-code-settings.json",
  "model": "opus",
  "permissions": {
    "allow": ["Bash(npm run lint)", "Bash(npm run test:*)", "Read(~/.zshrc)"],
    "deny": ["Bash(curl:*)", "Read(./.env)", "Read(./secrets/**)"],
    "defaultMode": "acceptEdits"
  },
  "env": {
    "CLAUDE_CODE_MAX_OUTPUT_TOKENS": "8192",
    "BASH_DEFAULT_TIMEOUT_MS": "120000"
  },
  "hooks": {
    "PostToolUse": [
      {
        "matcher": "Edit|Write",
        "hooks": [
          {"type": "command", "command": "npx prettier --write \\"$FILE\\"", "timeout": 30}
        ]
      }
    ]
  },
  "includeCoAuthoredBy": false,
  "cleanupPeriodDays": 20
}
""",
    "minified-unicode": (
        '{"statusLine":{"type":"command","command":"echo \\u00e9t\\u00e9 ✓ 🚀","padding":0},'
        '"env":{"GREETING":"grüß dich — 你好","EMPTY":"","TAB":"a\\tb"},'
        '"feedbackSurveyRate":0.05,"big":12345678901234567890,'
        '"nested":{"a":{"b":{"c":[1,2.5,-3e2,null,true,{"d":[]}]}}},"apiKeyHelper":null}'
    ),
    "tabs-crlf": (
        '{\r\n\t"enableAllProjectMcpServers" :  true ,\r\n\t"outputStyle":"Explanatory",'
        '\r\n\t"z-last-first":{ } ,\r\n\t"a":[ ]\r\n}\r\n'
    ),
    "odd-spacing-no-env": (
        '   {\n\n      "theme"   :   "dark"   ,   "spinnerTipsEnabled":false}  \n\n'
    ),
    "empty-object": "{}",
    "bom": '\ufeff{"model": "sonnet", "env": {}}\n',
    "env-last": '{"a": 1, "env": {"Z_FIRST": "1", "A_SECOND": "2"}}',
}


def ordered(text: str) -> Any:
    """The JSON value with key order made visible (objects as lists of pairs)."""
    return json.loads(text.removeprefix("\ufeff"), object_pairs_hook=list)


def write(path: Path, text: str, mode: int = 0o644) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(text)
    os.chmod(path, mode)
    return path


def read(path: Path) -> str:
    with path.open(encoding="utf-8", newline="") as fh:
        return fh.read()


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def user_file() -> Path:
    return Path.home() / ".claude" / "settings.json"


def git_init(root: Path, ignore: str | None = ".claude/settings.local.json\n") -> Path:
    """A real git repository at `root`, ignoring `ignore` (None: no .gitignore)."""
    if shutil.which("git") is None:
        pytest.skip("needs git")
    root.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    if ignore is not None:
        (root / ".gitignore").write_text(ignore)
    return root


def backups_of(path: Path) -> settings_backup.Index:
    index = settings_backup.load(Path(os.path.realpath(path)))
    assert index is not None
    return index


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project (a git repository ignoring settings.local.json) that the tests run inside,
    from a subdirectory."""
    root = git_init(tmp_path / "repo")
    (root / "src" / "pkg").mkdir(parents=True)
    monkeypatch.chdir(root / "src" / "pkg")
    return root


# === where the files are ==================================================================


def test_locate_user_project_local_from_a_subdirectory(repo: Path, user_file: Path) -> None:
    assert locate("user").path == user_file
    assert locate("project").path == repo / ".claude" / "settings.json"
    local = locate("local")
    assert local.path == repo / ".claude" / "settings.local.json"
    assert local.note is None


def test_locate_outside_a_repository_uses_cwd_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    monkeypatch.chdir(plain)
    loc = locate("local")
    assert loc.path == plain / ".claude" / "settings.local.json"
    assert loc.note is not None
    assert "not inside a git repository" in loc.note


def test_home_is_not_a_project(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(Path.home())
    with pytest.raises(SettingsError, match="would be your home directory"):
        locate("project")
    # Nor is a subdirectory of a home directory that is itself a (dotfiles) repository.
    (Path.home() / ".git").mkdir()
    (Path.home() / "notes").mkdir()
    with pytest.raises(SettingsError, match="would be your home directory"):
        locate("local", cwd=Path.home() / "notes")


def test_local_settings_not_ignored_by_git_are_flagged_or_refused(tmp_path: Path) -> None:
    root = git_init(tmp_path / "real", ignore=None)
    local = root / ".claude" / "settings.local.json"
    # A key never goes to a file git would pick up ...
    with pytest.raises(SettingsError, match="git does not ignore this file") as exc:
        apply(*make("api-key"), "local", cwd=root)
    assert f"add .claude/settings.local.json to {root / '.gitignore'}" in str(exc.value)
    assert not local.exists()
    # ... a profile without a secret may, with a warning.
    change = apply(*make("sigv4-named"), "local", cwd=root)
    assert any("git does not ignore" in n for n in change.notes)
    (root / ".gitignore").write_text(".claude/settings.local.json\n")
    unapply("local", cwd=root)
    change = apply(*make("api-key"), "local", cwd=root)
    assert not any("git does not ignore" in n for n in change.notes)
    assert json.loads(read(local))["env"][envplan.API_KEY] == KEY


def test_local_scope_outside_a_repository_may_hold_a_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    change = apply(*make("api-key"), "local", cwd=plain)
    assert change.written
    assert (
        json.loads(read(plain / ".claude" / "settings.local.json"))["env"][envplan.API_KEY] == KEY
    )


def test_worktree_git_file_marks_the_root(tmp_path: Path) -> None:
    root = tmp_path / "wt"
    (root / "a").mkdir(parents=True)
    (root / ".git").write_text("gitdir: /elsewhere\n")
    assert locate("project", cwd=root / "a").path == root / ".claude" / "settings.json"


# === apply -> unapply round trips ==========================================================


@pytest.mark.parametrize("shape", sorted(SHAPES))
@pytest.mark.parametrize("original", sorted(SETTINGS_FILES))
def test_apply_then_unapply_gives_back_the_original_value(
    original: str, shape: str, user_file: Path
) -> None:
    text = SETTINGS_FILES[original]
    write(user_file, text)
    profile, secrets = make(shape)

    applied = apply(profile, secrets, "user")
    assert applied.written
    after = json.loads(read(user_file))
    before = json.loads(text.removeprefix("\ufeff"))
    # Everything else stays, in its order; the profile's variables follow the user's own.
    expected_env, _ = profile_env(profile, secrets)
    assert [k for k in after if k not in ("env", "awsAuthRefresh", "awsCredentialExport")] == [
        k for k in before if k not in ("env",)
    ]
    for key, value in before.items():
        if key != "env":
            assert after[key] == value
    user_env = list((before.get("env") or {}).items())
    assert list(after["env"].items()) == user_env + list(expected_env.items())
    assert envplan.MARKER not in after["env"]
    assert after.get("awsAuthRefresh") == profile.aws_auth_refresh

    undone = unapply("user")
    assert undone.written
    assert ordered(read(user_file)) == ordered(text)


@pytest.mark.parametrize("shape", ["sigv4-named", "api-key", "refresh"])
def test_round_trip_in_local_scope(repo: Path, shape: str) -> None:
    path = write(repo / ".claude" / "settings.local.json", SETTINGS_FILES["typical"])
    profile, secrets = make(shape)
    apply(profile, secrets, "local")
    assert json.loads(read(path))["env"][envplan.WORKSPACE] == WS
    unapply("local")
    assert ordered(read(path)) == ordered(SETTINGS_FILES["typical"])


def test_apply_to_a_missing_file_creates_it_and_unapply_removes_it(user_file: Path) -> None:
    profile, secrets = make("api-key")
    change = apply(profile, secrets, "user")
    assert change.written
    assert change.backup is None
    assert mode_of(user_file) == 0o600  # it holds a key
    data = json.loads(read(user_file))
    assert list(data) == ["env"]
    assert read(user_file).endswith("}\n")
    assert '\n  "env": {\n    "' in read(user_file)
    undone = unapply("user")
    assert undone.removed_file
    assert not user_file.exists()


def test_new_file_without_a_secret_is_0644(repo: Path) -> None:
    profile, secrets = make("sigv4-named")
    apply(profile, secrets, "project")
    assert mode_of(repo / ".claude" / "settings.json") == 0o644


def test_existing_mode_is_kept_and_bak_is_the_exact_previous_file(user_file: Path) -> None:
    text = SETTINGS_FILES["tabs-crlf"]
    write(user_file, text, mode=0o640)
    profile, secrets = make("sigv4-named")
    change = apply(profile, secrets, "user")
    assert mode_of(user_file) == 0o640
    (bak,) = backups_of(user_file).backups
    assert change.backup == bak.path
    assert bak.path.read_bytes() == text.encode()
    assert mode_of(bak.path) == 0o600
    assert sorted(os.listdir(user_file.parent)) == ["settings.json"]
    assert any("2-space indentation" in n for n in change.notes)
    # The new text is the JSON value in our format.
    assert read(user_file) == json.dumps(json.loads(read(user_file)), indent=2) + "\n"


def test_apply_keeps_the_claude_dir_permissions(user_file: Path) -> None:
    user_file.parent.mkdir(mode=0o755)
    os.chmod(user_file.parent, 0o755)
    apply(*make("sigv4-named"), "user")
    assert mode_of(user_file.parent) == 0o755


def test_a_symlinked_settings_file_stays_a_symlink(user_file: Path, tmp_path: Path) -> None:
    target = write(tmp_path / "dotfiles" / "claude-settings.json", '{"model": "opus"}\n')
    user_file.parent.mkdir()
    user_file.symlink_to(target)
    apply(*make("sigv4-named"), "user")
    assert user_file.is_symlink()
    assert json.loads(read(target))["awsCredentialExport"].endswith(" credentials dev")


def test_second_apply_changes_nothing(user_file: Path) -> None:
    write(user_file, SETTINGS_FILES["typical"])
    profile, secrets = make("api-key")
    apply(profile, secrets, "user")
    first = read(user_file)
    kept = backups_of(user_file)
    again = apply(profile, secrets, "user")
    assert not again.changed
    assert not again.written
    assert read(user_file) == first
    assert backups_of(user_file) == kept
    assert applied_scopes("dev") == ["user"]
    unapply("user")
    assert ordered(read(user_file)) == ordered(SETTINGS_FILES["typical"])


# === what apply replaces, removes, keeps ===================================================


def test_other_providers_and_stale_keys_are_removed_and_reported(user_file: Path) -> None:
    write(
        user_file,
        json.dumps(
            {
                "env": {
                    "CLAUDE_CODE_USE_BEDROCK": "1",
                    "ANTHROPIC_AWS_API_KEY": KEY2,
                    "AWS_ACCESS_KEY_ID": "AKIAEXAMPLE",
                    "AWS_REGION": "us-west-2",
                    "KEEP": "me",
                }
            }
        ),
    )
    change = apply(*make("sigv4-named"), "user")
    env = json.loads(read(user_file))["env"]
    # A settings `env` beats the shell, and "" there reads as unset: switched off for good,
    # whatever the shell Claude Code starts from holds (checked with the real client).
    assert env["CLAUDE_CODE_USE_BEDROCK"] == ""
    assert env["ANTHROPIC_AWS_API_KEY"] == ""
    assert "AWS_ACCESS_KEY_ID" not in env
    assert env["AWS_REGION"] == "eu-west-3"
    assert list(env)[:4] == [
        "CLAUDE_CODE_USE_BEDROCK",
        "ANTHROPIC_AWS_API_KEY",
        "AWS_REGION",
        "KEEP",
    ]  # a replaced entry keeps its place
    notes = "\n".join(change.notes)
    assert 'set your CLAUDE_CODE_USE_BEDROCK ("1") to "": it would win' in notes
    assert 'replaced your AWS_REGION ("us-west-2")' in notes
    assert KEY2 not in notes
    assert "sk-ant-…Wx7Y" in notes


def test_users_identical_value_is_not_taken_over(user_file: Path) -> None:
    original = {"env": {"AWS_REGION": "eu-west-3", "OTHER": "x"}}
    write(user_file, json.dumps(original))
    apply(*make("sigv4-named"), "user")
    unapply("user")
    assert json.loads(read(user_file)) == original


def test_unapply_keeps_a_value_the_user_edited_since(user_file: Path) -> None:
    write(user_file, '{"model": "opus"}')
    apply(*make("api-key"), "user")
    data = json.loads(read(user_file))
    data["env"]["AWS_REGION"] = "ap-southeast-2"
    data["env"]["ANTHROPIC_AWS_API_KEY"] = KEY2
    write(user_file, json.dumps(data))
    change = unapply("user")
    after = json.loads(read(user_file))
    assert after == {
        "model": "opus",
        "env": {"AWS_REGION": "ap-southeast-2", "ANTHROPIC_AWS_API_KEY": KEY2},
    }
    notes = "\n".join(change.notes)
    assert "kept AWS_REGION" in notes
    assert "kept ANTHROPIC_AWS_API_KEY" in notes
    assert KEY2 not in notes
    # The record is gone: a second unapply has nothing to do.
    assert not unapply("user").changed


def test_switching_profiles_in_one_file(user_file: Path) -> None:
    write(user_file, '{"env": {"MINE": "1"}}')
    apply(*make("api-key"), "user")
    apply(*make("sigv4-named", name="named"), "user", credentials="env")
    env = json.loads(read(user_file))["env"]
    assert env["ANTHROPIC_AWS_API_KEY"] == ""
    assert env["AWS_PROFILE"] == "dev-sso"
    # Default chain next: the AWS_PROFILE cc-aws-tui wrote goes, like any leftover of ours.
    apply(*make("sigv4-chain", name="chain"), "user")
    env = json.loads(read(user_file))["env"]
    assert "AWS_PROFILE" not in env
    assert applied_scopes("chain") == ["user"]
    assert applied_scopes("named") == []
    unapply("user")
    assert json.loads(read(user_file)) == {"env": {"MINE": "1"}}


def test_default_chain_keeps_the_users_own_aws_profile(user_file: Path) -> None:
    write(user_file, '{"env": {"AWS_PROFILE": "mine"}}')
    apply(*make("sigv4-chain"), "user")
    assert json.loads(read(user_file))["env"]["AWS_PROFILE"] == "mine"


def test_aws_auth_refresh_ownership(user_file: Path) -> None:
    write(user_file, '{"awsAuthRefresh": "my-own-login"}')
    apply(*make("sigv4-named"), "user")  # no refresh in the profile: the user's stays
    assert json.loads(read(user_file))["awsAuthRefresh"] == "my-own-login"
    change = apply(*make("refresh"), "user")
    assert any("replaced your awsAuthRefresh" in n for n in change.notes)
    assert json.loads(read(user_file))["awsAuthRefresh"] == "aws sso login --profile p"
    apply(*make("sigv4-named"), "user")  # ours, and the new profile has none: removed
    assert "awsAuthRefresh" not in json.loads(read(user_file))


def test_unapply_keeps_an_edited_aws_auth_refresh(user_file: Path) -> None:
    apply(*make("refresh"), "user")
    data = json.loads(read(user_file))
    data["awsAuthRefresh"] = "aws sso login --profile other"
    write(user_file, json.dumps(data))
    change = unapply("user")
    assert json.loads(read(user_file)) == {"awsAuthRefresh": "aws sso login --profile other"}
    assert any("kept awsAuthRefresh" in n for n in change.notes)


def test_unapply_without_apply_does_nothing(user_file: Path) -> None:
    write(user_file, '{"env": {"CLAUDE_CODE_USE_ANTHROPIC_AWS": "1"}}')
    change = unapply("user")
    assert not change.changed
    assert "nothing to undo" in change.notes[0]
    assert read(user_file) == '{"env": {"CLAUDE_CODE_USE_ANTHROPIC_AWS": "1"}}'


def test_state_records_secrets_only_as_fingerprints(user_file: Path) -> None:
    apply(*make("everything-api-key"), "user")
    state = state_path().read_text()
    assert KEY not in state
    assert TOKEN not in state
    assert mode_of(state_path()) == 0o600
    assert set(json.loads(read(user_file))) == {"env", "awsAuthRefresh"}  # no key of ours


# === refusals ==============================================================================


@pytest.mark.parametrize("shape", SECRET_SHAPES)
def test_project_scope_refuses_a_secret(repo: Path, shape: str) -> None:
    path = write(repo / ".claude" / "settings.json", SETTINGS_FILES["typical"])
    with pytest.raises(SettingsError) as err:
        apply(*make(shape), "project", dry_run=True)
    message = str(err.value)
    assert "\n" not in message
    assert "committed" in message
    assert "--scope local" in message
    with pytest.raises(SettingsError):
        apply(*make(shape), "project")
    assert read(path) == SETTINGS_FILES["typical"]
    assert not state_path().exists()


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('{\n  "model": "opus",\n  "env": {"A": "1",}\n}\n', ":3:20: "),
        ('{"a": 1\n', ":2:1: "),
        ('{"a": 1} trailing', ":1:10: Extra data"),
        ("// comment\n{}", ":1:1: "),
    ],
)
def test_broken_json_is_never_written(user_file: Path, text: str, where: str) -> None:
    write(user_file, text)
    before = user_file.stat().st_mtime_ns
    with pytest.raises(SettingsError) as err:
        apply(*make("api-key"), "user")
    message = str(err.value)
    assert message.startswith(f"{user_file}{where}")
    assert "left unchanged" in message
    assert "\n" not in message
    assert read(user_file) == text
    assert user_file.stat().st_mtime_ns == before
    assert settings_backup.load(Path(os.path.realpath(user_file))) is None
    with pytest.raises(SettingsError):
        apply(*make("api-key"), "user", dry_run=True)


@pytest.mark.parametrize(
    ("text", "what"),
    [("[1, 2]", "top level must be a JSON object"), ('{"env": ["A=1"]}', '"env" must be')],
)
def test_wrong_shapes_are_refused(user_file: Path, text: str, what: str) -> None:
    write(user_file, text)
    with pytest.raises(SettingsError, match=what):
        apply(*make("sigv4-named"), "user")
    assert read(user_file) == text


# === dry run ===============================================================================


def test_dry_run_masks_secrets_and_changes_nothing(user_file: Path) -> None:
    text = f'{{"env": {{"ANTHROPIC_AUTH_TOKEN": "old-token-abcdefgh1234"}}, "hook": "x {KEY2}"}}'
    write(user_file, text)
    change = apply(*make("everything-api-key"), "user", dry_run=True)
    assert change.changed
    assert not change.written
    assert change.diff.startswith(f"--- {user_file} (now)\n+++ {user_file} (after)\n")
    assert KEY not in change.diff
    assert TOKEN not in change.diff
    assert KEY2 not in change.diff
    assert "old-token-abcdefgh1234" not in change.diff
    assert '+    "ANTHROPIC_AWS_API_KEY": "sk-ant-…f3Qa"' in change.diff
    assert '"ANTHROPIC_AWS_WORKSPACE_ID": "wrkspc_01AbCdEf23GhIj"' in change.diff
    assert read(user_file) == text
    assert settings_backup.load(Path(os.path.realpath(user_file))) is None
    assert not state_path().exists()


def test_dry_run_unapply(user_file: Path) -> None:
    apply(*make("api-key"), "user")
    text = read(user_file)
    change = unapply("user", dry_run=True)
    assert change.changed
    assert not change.written
    assert '-    "ANTHROPIC_AWS_API_KEY": "sk-ant-…f3Qa"' in change.diff
    assert KEY not in change.diff
    assert read(user_file) == text
    assert applied_scopes("dev") == ["user"]


# === TUI / status helpers ==================================================================


def test_applied_scopes(repo: Path, user_file: Path) -> None:
    assert applied_scopes("dev") == []
    apply(*make("api-key"), "user")
    apply(*make("api-key"), "local")
    apply(*make("sigv4-named", name="team"), "project")
    assert applied_scopes("dev") == ["user", "local"]
    assert applied_scopes("team") == ["project"]
    data = json.loads(read(user_file))
    data["env"]["AWS_REGION"] = "us-east-1"  # edited by hand: no longer what we wrote
    write(user_file, json.dumps(data))
    assert applied_scopes("dev") == ["local"]
    write(repo / ".claude" / "settings.local.json", "{broken")
    assert applied_scopes("dev") == []


def test_settings_sources_in_precedence_order(repo: Path, user_file: Path, tmp_path: Path) -> None:
    managed = write(tmp_path / "managed.json", '{"env": {"AWS_REGION": "us-gov-west-1"}}')
    write(user_file, '{"env": {"AWS_REGION": "eu-west-1", "N": 3, "B": true, "X": null}}')
    write(repo / ".claude" / "settings.json", '{"awsAuthRefresh": "login", "env": {}}')
    write(repo / ".claude" / "settings.local.json", "{oops")
    sources = settings_sources(managed_path=managed)
    assert [(s.scope, s.path) for s in sources] == [
        ("managed", managed),
        ("local", repo / ".claude" / "settings.local.json"),
        ("project", repo / ".claude" / "settings.json"),
        ("user", user_file),
    ]
    assert sources[0].env == {"AWS_REGION": "us-gov-west-1"}
    assert sources[1].error is not None
    assert ":1:2:" in sources[1].error
    assert sources[2].aws_auth_refresh == "login"
    assert sources[3].env == {"AWS_REGION": "eu-west-1", "N": "3", "B": "true"}
    scope, _path, _env, refresh, _error, _export = sources[3]  # a plain tuple too
    assert scope == "user"
    assert refresh is None


def test_settings_sources_skips_missing_files(tmp_path: Path) -> None:
    assert settings_sources(cwd=tmp_path, managed_path=tmp_path / "none.json") == []


# === precedence ================================================================================


def src(scope: str, env: Mapping[str, str], refresh: str | None = None) -> Layer:
    return Layer(scope, dict(env), Path(f"/{scope}.json"), aws_auth_refresh=refresh)


SHELL_LABEL = "the shell environment"


def rows_of(environ: Mapping[str, str], layers: list[Layer], **kw: bool) -> list[SourceRow]:
    return source_rows(resolve([*layers, Layer(SHELL, dict(environ))]), **kw)


def test_settings_beat_the_shell_and_files_merge_key_by_key() -> None:
    environ = {
        "CLAUDE_CODE_USE_ANTHROPIC_AWS": "1",
        "AWS_REGION": "us-east-1",
        "ANTHROPIC_AWS_API_KEY": KEY,
        "PATH": "/bin",
    }
    sources = [
        src("managed", {"CLAUDE_CODE_USE_BEDROCK": "0"}),
        src("local", {"ANTHROPIC_AWS_API_KEY": KEY2}, refresh="login-local"),
        src("project", {"AWS_REGION": "eu-west-3", "ANTHROPIC_AWS_WORKSPACE_ID": WS}),
        src("user", {"AWS_REGION": "ap-south-1", "CLAUDE_CODE_USE_BEDROCK": "1"}, "login-user"),
    ]
    rows = {r.var: r for r in rows_of(environ, sources)}
    assert rows["AWS_REGION"].value == "eu-west-3"
    assert rows["AWS_REGION"].source == "project settings (/project.json)"
    assert rows["AWS_REGION"].overridden == (
        ("user settings (/user.json)", "ap-south-1"),
        (SHELL_LABEL, "us-east-1"),
    )
    assert rows["CLAUDE_CODE_USE_BEDROCK"].value == "0"
    assert rows["CLAUDE_CODE_USE_BEDROCK"].source == "managed settings (/managed.json)"
    assert rows["CLAUDE_CODE_USE_ANTHROPIC_AWS"].source == SHELL_LABEL
    key_row = rows["ANTHROPIC_AWS_API_KEY"]
    assert key_row.value == "sk-ant-…Wx7Y"
    assert key_row.overridden == ((SHELL_LABEL, "sk-ant-…f3Qa"),)
    assert rows["awsAuthRefresh"].value == "login-local"
    assert rows["awsAuthRefresh"].overridden == (("user settings (/user.json)", "login-user"),)
    assert "PATH" not in rows
    assert "ANTHROPIC_AUTH_TOKEN" not in rows
    every = rows_of(environ, sources, include_unset=True)
    assert {r.var for r in every} >= {"ANTHROPIC_AUTH_TOKEN", "AWS_PROFILE"}
    assert next(r.var for r in every if r.source is None) == "CLAUDE_CODE_USE_FOUNDRY"
    merged = resolve([*sources, Layer(SHELL, environ)]).environ()
    assert merged["AWS_REGION"] == "eu-west-3"
    assert merged["ANTHROPIC_AWS_API_KEY"] == KEY2
    assert merged["CLAUDE_CODE_USE_BEDROCK"] == "0"
    assert merged["PATH"] == "/bin"


def test_broken_sources_set_nothing_and_aws_secrets_are_masked() -> None:
    broken = Layer("local", {}, Path("/l.json"), error="/l.json:1:2: oops")
    rows = rows_of(
        {"AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "AWS_ACCESS_KEY_ID":
         "AKIAIOSFODNN7EXAMPLE"},
        [broken],
    )  # fmt: skip
    by_var = {r.var: r for r in rows}
    assert by_var["AWS_SECRET_ACCESS_KEY"].value == "…EKEY"
    assert by_var["AWS_ACCESS_KEY_ID"].value == "AKIAIOSFODNN7EXAMPLE"


# === import ================================================================================


def env_of(profile: Profile, secrets: Mapping[str, str]) -> dict[str, str]:
    """A shell after `eval "$(cc-aws-tui export NAME)"`, plus unrelated noise."""
    return {"PATH": "/usr/bin", "HOME": "/home/u", **envplan.plan_env(profile, secrets).set}


def imported_profile(got: Imported, name: str = "dev") -> Profile:
    assert got.errors == [], got.errors
    return ProfileModel.model_validate({"name": name, **got.data}).to_profile()


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_import_from_env_round_trips_every_shape(shape: str) -> None:
    profile, secrets = make(shape)
    got = import_from_env(env_of(profile, secrets), aws_auth_refresh=profile.aws_auth_refresh)
    assert imported_profile(got) == profile
    assert got.secrets == secrets
    assert got.warnings == [
        "CC_AWS_TUI_PROFILE='dev': this was exported from that cc-aws-tui profile"
    ]


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_import_from_settings_after_apply_round_trips(shape: str, user_file: Path) -> None:
    write(user_file, SETTINGS_FILES["typical"])
    profile, secrets = make(shape)
    apply(profile, secrets, "user", credentials="env")
    got = import_from_settings("user", secret_store="keyring")
    expected = profile
    for kind in profile.secret_kinds():
        expected = profile_from_mapping(
            "dev", {**expected.to_toml_dict(), f"{kind}_store": "keyring"}
        )
    assert imported_profile(got) == expected
    assert got.secrets == secrets
    # The user's own env entries are reported, not imported; a refresh command is shown.
    refresh = (
        [f"Claude Code will run this when AWS credentials expire: {profile.aws_auth_refresh}"]
        if profile.aws_auth_refresh
        else []
    )
    assert sorted(got.warnings) == [
        "BASH_DEFAULT_TIMEOUT_MS is not imported: not a Claude Platform on AWS setting of"
        " cc-aws-tui",
        "CLAUDE_CODE_MAX_OUTPUT_TOKENS is not imported: not a Claude Platform on AWS setting"
        " of cc-aws-tui",
        *refresh,
    ]


def test_import_reads_hand_written_values() -> None:
    got = import_from_env(
        {
            "CLAUDE_CODE_USE_ANTHROPIC_AWS": "true",
            "ANTHROPIC_AWS_WORKSPACE_ID": WS,
            "AWS_REGION": "us-gov-west-1",
            "CLAUDE_CODE_SKIP_ANTHROPIC_AWS_AUTH": "0",
            "ENABLE_PROMPT_CACHING_1H": "yes",
            "ANTHROPIC_DEFAULT_HAIKU_MODEL": "claude-haiku-4-5",
            "ANTHROPIC_AWS_API_KEY": "",  # empty sets nothing
        }
    )
    profile = imported_profile(got)
    assert profile.auth == "sigv4"
    assert profile.aws_profile is None
    assert not profile.gateway_signs
    assert profile.cache_ttl == "1h"
    assert dict(profile.models) == {"haiku": "claude-haiku-4-5"}


GOOD = {
    "CLAUDE_CODE_USE_ANTHROPIC_AWS": "1",
    "ANTHROPIC_AWS_WORKSPACE_ID": WS,
    "AWS_REGION": "us-east-1",
}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"CLAUDE_CODE_USE_ANTHROPIC_AWS": None}, "CLAUDE_CODE_USE_ANTHROPIC_AWS is not set"),
        ({"CLAUDE_CODE_USE_ANTHROPIC_AWS": "0"}, "CLAUDE_CODE_USE_ANTHROPIC_AWS='0' is not a"),
        ({"CLAUDE_CODE_USE_BEDROCK": "1"}, "CLAUDE_CODE_USE_BEDROCK is set"),
        ({"CLAUDE_CODE_USE_FOUNDRY": "true"}, "CLAUDE_CODE_USE_FOUNDRY is set"),
        ({"ANTHROPIC_AWS_WORKSPACE_ID": None}, "ANTHROPIC_AWS_WORKSPACE_ID is not set"),
        ({"AWS_REGION": None}, "AWS_REGION is not set"),
        ({"AWS_REGION": None, "AWS_DEFAULT_REGION": "us-east-1"}, "AWS_DEFAULT_REGION='us-east"),
        ({"AWS_ACCESS_KEY_ID": "AKIAX", "AWS_SECRET_ACCESS_KEY": "s"}, "raw AWS keys are not"),
        ({"AWS_PROFILE": "p", "AWS_SESSION_TOKEN": "t"}, "AWS_SESSION_TOKEN set in"),
        ({"ANTHROPIC_AWS_API_KEY": KEY, "CLAUDE_CODE_SKIP_ANTHROPIC_AWS_AUTH": "1"}, "contradict"),
        ({"ANTHROPIC_AWS_WORKSPACE_ID": "ws-123"}, "ANTHROPIC_AWS_WORKSPACE_ID: 'ws-123' is not"),
        ({"AWS_REGION": "Virginia"}, "AWS_REGION: 'Virginia' is not an AWS region"),
        ({"ANTHROPIC_AWS_BASE_URL": "http://gw.example.com"}, "ANTHROPIC_AWS_BASE_URL: "),
        ({"ANTHROPIC_DEFAULT_OPUS_MODEL": "gpt-5"}, "ANTHROPIC_DEFAULT_OPUS_MODEL: 'gpt-5'"),
        ({"ANTHROPIC_AWS_API_KEY": "not-a-key-value"}, "ANTHROPIC_AWS_API_KEY: that does not"),
        ({"CLAUDE_CODE_SKIP_ANTHROPIC_AWS_AUTH": "1"}, "ANTHROPIC_AWS_BASE_URL: a gateway setup"),
        ({"ANTHROPIC_AUTH_TOKEN": TOKEN}, "ANTHROPIC_AWS_BASE_URL: a gateway setup"),
    ],
)
def test_contradictions_are_errors_naming_the_variable(
    change: dict[str, str | None], message: str
) -> None:
    environ = {**GOOD, **change}
    got = import_from_env({k: v for k, v in environ.items() if v is not None})
    assert any(message in e for e in got.errors), got.errors
    for text in got.errors + got.warnings:
        assert KEY not in text
        assert TOKEN not in text
        assert "not-a-key-value" not in text


def test_unused_variables_are_warnings() -> None:
    got = import_from_env(
        {
            **GOOD,
            "ANTHROPIC_BASE_URL": "https://x",
            "CLAUDE_CODE_MAX_OUTPUT_TOKENS": "8192",
            "CLAUDE_CODE_USE_BEDROCK": "0",
            "AWS_CONFIG_FILE": "/x",  # the shell's own business: not reported
            "ANTHROPIC_AWS_API_KEY": KEY,
            "AWS_PROFILE": "ignored",
        }
    )
    assert got.errors == []
    warnings = "\n".join(got.warnings)
    assert "ANTHROPIC_BASE_URL is not imported" in warnings
    assert "ANTHROPIC_AWS_BASE_URL" in warnings
    assert "CLAUDE_CODE_MAX_OUTPUT_TOKENS is not imported" in warnings
    assert "CLAUDE_CODE_USE_BEDROCK='0' is off" in warnings
    assert "AWS_PROFILE is not imported" in warnings
    assert "AWS_CONFIG_FILE" not in warnings
    assert imported_profile(got).auth == "api-key"


def test_import_from_settings_errors(user_file: Path) -> None:
    with pytest.raises(SettingsError, match="no such file"):
        import_from_settings("user")
    write(user_file, '{"env": {"CLAUDE_CODE_USE_ANTHROPIC_AWS": 1, "AWS_REGION": "us-east-1"}}')
    got = import_from_settings("user")
    assert any("env.CLAUDE_CODE_USE_ANTHROPIC_AWS" in e and "a number" in e for e in got.errors)
    assert any("ANTHROPIC_AWS_WORKSPACE_ID is not set" in e for e in got.errors)
    write(user_file, "{nope")
    with pytest.raises(SettingsError, match=r"settings\.json:1:2:"):
        import_from_settings("user")


# === share =================================================================================


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_share_then_import_round_trips(shape: str) -> None:
    profile, secrets = make(shape)
    text = share(profile)
    for secret in (KEY, TOKEN, "dev-sso", "_command"):
        assert secret not in text
    doc = tomllib.loads(text)
    assert doc["schema"] == 1
    assert list(doc["profiles"]) == ["dev"]
    assert set(doc["profiles"]["dev"]) <= set(SHARED_KEYS)
    got = import_shared(
        text,
        "mine",
        aws_profile=profile.aws_profile,
        api_key=secrets.get("api_key"),
        gateway_token=secrets.get("gateway_token"),
    )
    assert got.profile == profile_from_mapping("mine", profile.to_toml_dict())
    assert got.secrets == secrets


def test_share_leaves_out_personal_fields_and_says_what_is_needed() -> None:
    profile = profile_from_mapping(
        "team.dev",
        {
            "auth": "api-key",
            "workspace_id": WS,
            "region": "us-east-1",
            "api_key_store": "command",
            "api_key_command": "op read op://Private/claude/key",
            "base_url": "https://gw.example.com",
            "gateway_token_store": "command",
            "gateway_token_command": "vault kv get -field=t secret/gw",
            "models": {"sonnet": "claude-sonnet-5"},
        },
    )
    text = share(profile)
    assert "op://" not in text
    assert "vault" not in text
    assert "_store" not in text
    assert '[profiles."team.dev"]' in text
    assert '[profiles."team.dev".models]' in text
    assert "--api-key-stdin" in text
    assert "--gateway-token-stdin" in text
    assert tomllib.loads(text)["profiles"]["team.dev"]["models"] == {"sonnet": "claude-sonnet-5"}


def test_shared_values_with_quotes_survive() -> None:
    profile, _ = make("sigv4-chain")
    odd = profile_from_mapping(
        "dev", {**profile.to_toml_dict(), "aws_auth_refresh": 'sh -c "login \\"x\\" — ü"'}
    )
    got = import_shared(share(odd), "dev")
    assert got.profile.aws_auth_refresh == 'sh -c "login \\"x\\" — ü"'


SHARED = (
    f'schema = 1\n\n[profiles.dev]\nauth = "sigv4"\nworkspace_id = "{WS}"\nregion = "us-east-1"\n'
)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (f'api_key = "{KEY}"\n', "profiles.dev.api_key: a shared profile must not carry secrets"),
        ('gateway_token = "t"\n', "profiles.dev.gateway_token: a shared profile must not carry"),
        ('bearer_token = "t"\n', "profiles.dev.bearer_token: a shared profile must not carry"),
        ('api_key_command = "op read x"\n', "profiles.dev.api_key_command: commands are personal"),
        ('aws_profile = "theirs"\n', "profiles.dev.aws_profile: the AWS profile is personal"),
        ('api_key_store = "file"\n', "profiles.dev.api_key_store: where a key is kept"),
        ('colour = "blue"\n', "profiles.dev.colour: unknown setting"),
    ],
)
def test_import_shared_rejects_secret_personal_and_unknown_keys(extra: str, message: str) -> None:
    with pytest.raises(SharedError) as err:
        import_shared(SHARED + extra, "dev", source="team.toml")
    assert str(err.value) == f"team.toml: {message}" or str(err.value).startswith(
        f"team.toml: {message}"
    )
    assert KEY not in str(err.value)


@pytest.mark.parametrize(
    ("text", "kwargs", "message"),
    [
        ("schema = 1\ncurrent = 'dev'\n", {}, "current: unknown top-level key"),
        (SHARED.replace("schema = 1", "schema = 2"), {}, "schema = 1 is missing"),
        (SHARED.replace("schema = 1\n", ""), {}, "schema = 1 is missing"),
        (SHARED + "[profiles.two]\nauth = 'sigv4'\n", {}, "exactly one [profiles.NAME]"),
        (SHARED + "region = \n", {}, "team.toml:7:10: Invalid value"),
        (SHARED.replace("us-east-1", "moon-1"), {}, "profiles.dev.region: 'moon-1' is not"),
        (SHARED.replace("sigv4", "api-key"), {}, "this setup uses an API key: give yours"),
        (SHARED.replace("sigv4", "api-key"), {"api_key": KEY, "aws_profile": "p"}, "drop --aws"),
        (SHARED, {"api_key": KEY}, "this setup signs with AWS credentials"),
        (SHARED, {"aws_profile": "bad[name]"}, "'bad[name]' is not an AWS profile name"),
        (SHARED, {"gateway_token": TOKEN}, "profiles.dev.base_url: a gateway setup needs"),
    ],
)
def test_import_shared_errors(text: str, kwargs: dict[str, str], message: str) -> None:
    with pytest.raises(SharedError) as err:
        import_shared(text, "dev", source="team.toml", **kwargs)
    assert message in str(err.value)
    assert KEY not in str(err.value)
    assert TOKEN not in str(err.value)


def test_import_shared_notes_the_refresh_command() -> None:
    text = SHARED + 'aws_auth_refresh = "aws sso login --profile team-sso"\n'
    got = import_shared(text, "dev", aws_profile="me-sso")
    notes = "\n".join(got.notes)
    assert "logs in to AWS profile 'team-sso', not 'me-sso'" in notes
    assert "aws sso login --profile team-sso" in notes
    assert import_shared(SHARED, "dev").notes == [
        "no --aws-profile: the profile signs with the default AWS credential chain"
    ]


def sigv4() -> Profile:
    return Profile("dev", "sigv4", WS, "us-east-1", aws_profile="dev")


def test_the_settings_file_as_it_was_before_the_first_apply_is_never_lost(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The backups roll with every apply; the pre-cc-aws-tui file is kept once, for good,
    in cc-aws-tui's config dir (never beside the settings file)."""
    save_profile(sigv4())
    save_profile(Profile("ci", "sigv4", WS, "eu-west-1"))
    settings = Path(os.environ["HOME"]) / ".claude" / "settings.json"
    settings.parent.mkdir(parents=True)
    original = json.dumps({"env": {"AWS_SECRET_ACCESS_KEY": "only/copy/of/this"}})
    settings.write_text(original)
    assert main(["apply", "dev", "--scope", "user"]) == 0
    assert main(["apply", "ci", "--scope", "user"]) == 0
    capsys.readouterr()
    from profiles.claude import backup as settings_backup

    index = settings_backup.load(settings.resolve())
    assert index is not None
    assert index.original is not None
    kept = index.original.path
    assert kept.read_text() == original
    assert oct(kept.stat().st_mode & 0o777) == "0o600"
    assert "only/copy/of/this" not in index.backups[0].path.read_text()
    assert sorted(os.listdir(settings.parent)) == ["settings.json"]
