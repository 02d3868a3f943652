"""Regressions from an independent review: secrets shown in clear, crashes, lost files."""

from __future__ import annotations

import asyncio
import html
import json
import os
from pathlib import Path

import pytest

from profiles.cli import main
from profiles.core.schema import Profile, check_base_url
from profiles.store import fsutil, history
from profiles.store.files import ConfigError, read_secrets
from profiles.usecases.edit import rename_profile, save_profile

KEY = "sk-ant-api03-REVIEWREVIEWREVIEW-0001"
AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/REVIEWSECRETKEY"
WS = "wrkspc_01TestWorkspaceA"


def sigv4() -> Profile:
    return Profile("dev", "sigv4", WS, "us-east-1", aws_profile="dev")


def test_status_json_masks_a_stale_key_in_the_drift(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    save_profile(sigv4())
    for k, v in {
        "CLAUDE_CODE_USE_ANTHROPIC_AWS": "1",
        "ANTHROPIC_AWS_WORKSPACE_ID": WS,
        "AWS_REGION": "us-east-1",
        "AWS_PROFILE": "dev",
        "CC_AWS_TUI_PROFILE": "dev",
        "ANTHROPIC_AWS_API_KEY": KEY,
        "AWS_SECRET_ACCESS_KEY": AWS_SECRET,
    }.items():
        monkeypatch.setenv(k, v)
    assert main(["status", "--json"]) == 0
    out = capsys.readouterr().out
    assert "ANTHROPIC_AWS_API_KEY" in json.loads(out)["drift"]
    assert KEY not in out
    assert AWS_SECRET not in out


def test_apply_never_shows_the_users_aws_secret_keys(
    capsys: pytest.CaptureFixture[str],
) -> None:
    save_profile(sigv4())
    settings = Path(os.environ["HOME"]) / ".claude" / "settings.json"
    settings.parent.mkdir(parents=True)
    settings.write_text(json.dumps({"env": {"AWS_SECRET_ACCESS_KEY": AWS_SECRET}}))
    assert main(["apply", "dev", "--scope", "user", "--dry-run"]) == 0
    captured = capsys.readouterr()
    assert "AWS_SECRET_ACCESS_KEY" in captured.out  # the diff does show the removal
    assert AWS_SECRET not in captured.out + captured.err


def test_malformed_state_json_is_ignored_not_a_crash(config_dir: Path) -> None:
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "state.json").write_text('{"validation": {"k": "x", "d": {"ok": 1}}}')
    assert history.load() == {}


def test_secrets_toml_of_the_wrong_shape_is_one_line_and_never_echoed(config_dir: Path) -> None:
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "secrets.toml").write_text(f'k = "{KEY}"\n')
    os.chmod(config_dir / "secrets.toml", 0o600)  # a private file, as cc-aws-tui writes it
    with pytest.raises(ConfigError) as err:
        read_secrets()
    assert "secrets.toml:1:1: [k] must be a table" in str(err.value)
    assert KEY not in str(err.value)


def test_home_survives_bad_secrets(config_dir: Path) -> None:
    """A broken secrets.toml shows as a message on the home screen, not a crash."""
    from tui.app import make_app

    save_profile(sigv4())
    (config_dir / "secrets.toml").write_text(f'k = "{KEY}"\n')
    os.chmod(config_dir / "secrets.toml", 0o600)  # a private file, as cc-aws-tui writes it

    async def run() -> str:
        app = make_app()
        async with app.run_test(size=(100, 32)) as pilot:
            await pilot.pause()
            # The SVG writes spaces as &#160;: compare plain text.
            return html.unescape(app.export_screenshot()).replace("\xa0", " ")

    screen = asyncio.run(run())
    assert "must be a table" in screen
    assert KEY not in screen


def test_the_crash_report_shows_no_local_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    """Textual's crash report prints every frame's locals by default; a frame may hold a key."""
    from rich.console import Console

    from tui.app import make_app

    app = make_app()
    monkeypatch.setattr(app, "bell", lambda: None)
    monkeypatch.setattr(app, "_close_messages_no_wait", lambda: None)
    try:
        secret_in_a_local = KEY
        raise RuntimeError(f"boom {len(secret_in_a_local)}")
    except RuntimeError:
        app._fatal_error()
    console = Console(width=120, record=True, file=open(os.devnull, "w"))  # noqa: SIM115
    for renderable in app._exit_renderables:
        console.print(renderable)
    report = console.export_text()
    assert f"boom {len(KEY)}" in report
    assert KEY not in report


def test_a_crash_while_saving_profiles_keeps_every_secret(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    save_profile(Profile("k", "api-key", WS, "us-east-1", api_key_store="file"), {"api_key": KEY})
    real = fsutil.atomic_write

    def fail_on_profiles(path: Path, text: str, mode: int = 0o600) -> None:
        if path.name == "profiles.toml":
            raise OSError(28, "No space left on device")
        real(path, text, mode)

    monkeypatch.setattr(fsutil, "atomic_write", fail_on_profiles)
    with pytest.raises(OSError, match="No space left"):
        rename_profile("k", "k2")
    monkeypatch.setattr(fsutil, "atomic_write", real)
    assert read_secrets()["k"]["api_key"] == KEY  # the saved profile `k` still has its key
    assert main(["export", "k"]) == 0


def test_a_symlinked_profiles_toml_stays_a_link(config_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "dotfiles" / "profiles.toml"
    target.parent.mkdir()
    target.write_text("schema = 1\n")
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "profiles.toml").symlink_to(target)
    save_profile(sigv4())
    assert (config_dir / "profiles.toml").is_symlink()
    assert "[profiles.dev]" in target.read_text()


def test_a_base_url_with_credentials_is_refused_without_echoing_them() -> None:
    with pytest.raises(ValueError, match="must not carry credentials") as err:
        check_base_url("https://bob:hunter2pass@gw.example.com")
    assert "hunter2pass" not in str(err.value)


def test_an_unexpected_error_is_one_line_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    save_profile(sigv4())

    def boom(*args: object, **kwargs: object) -> object:
        raise RuntimeError(f"internal state {KEY}")

    monkeypatch.setattr("profiles.core.envplan.plan_env", boom)
    assert main(["export", "dev"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert "RuntimeError" in captured.err
    assert KEY not in captured.err


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


@pytest.mark.parametrize("change", ["rm dev", "rename dev dev2"])
def test_aws_profile_of_a_deleted_or_renamed_profile_does_not_linger(change: str) -> None:
    """Export dev (AWS_PROFILE=dev-admin), delete or rename it, export a default-chain
    profile: the shell must not keep signing as dev-admin. A user's own AWS_PROFILE, set
    before any export, survives the same sequence."""
    import shutil
    import subprocess

    save_profile(Profile("dev", "sigv4", WS, "us-east-1", aws_profile="dev-admin"))
    save_profile(Profile("ci", "sigv4", WS, "us-east-1"))
    exe = shutil.which("cc-aws-tui")
    assert exe is not None
    script = (
        f'eval "$({exe} export dev)"; {exe} {change} 2>/dev/null; eval "$({exe} export ci)";'
        ' echo "AWS_PROFILE=${AWS_PROFILE-unset}"'
    )
    out = subprocess.run(["bash", "--norc", "-c", script], capture_output=True, text=True)
    assert out.stdout.strip() == "AWS_PROFILE=unset", out.stderr
    own = subprocess.run(
        ["bash", "--norc", "-c", f'eval "$({exe} export ci)"; echo "$AWS_PROFILE"'],
        env={**os.environ, "AWS_PROFILE": "mine"}, capture_output=True, text=True,
    )  # fmt: skip
    assert own.stdout.strip() == "mine"
