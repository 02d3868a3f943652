"""Profile commands: add, export, off, list, show, use, current, rm, rename, exec, shell-init."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path
from typing import Any

from profiles.cli import fast
from profiles.cli.common import EXIT_OK, PROG, CliError, info, out, report_settings
from profiles.cli.parser import add_command, profile_argument
from profiles.core import envplan, shellcode
from profiles.core.redact import escape_controls
from profiles.core.schema import MODEL_ALIASES, SECRET_KINDS, Profile, SchemaError


def register(sub: Any) -> None:
    p = add_command(
        sub,
        "add",
        "create (or with --force replace) a profile without the TUI",
        cmd_add,
        description=(
            "Create a profile from flags. Secrets never come from the command line: give them\n"
            "on standard input (--api-key-stdin, --gateway-token-stdin; a terminal is prompted\n"
            "without echo; with both, the key is the first line and the token the second) or\n"
            "as a command that prints them at export time (--api-key-command, e.g. a\n"
            "password manager's CLI)."
        ),
    )
    p.add_argument("name", help="profile name (letters, digits, -, _, .)")
    p.add_argument("--auth", required=True, choices=("sigv4", "api-key"))
    p.add_argument("--aws-profile", metavar="P", help="sigv4: AWS profile (default: the chain)")
    p.add_argument("--workspace", required=True, metavar="ID", help="wrkspc_... workspace ID")
    p.add_argument(
        "--region", metavar="R", help="workspace region (default: the AWS profile's region)"
    )
    p.add_argument("--base-url", metavar="URL", help="endpoint override, e.g. a gateway")
    p.add_argument("--gateway-signs", action="store_true", help="the gateway signs (send unsigned)")
    tok = p.add_mutually_exclusive_group()
    tok.add_argument("--gateway-token-stdin", action="store_true", help="read a gateway token")
    tok.add_argument("--gateway-token-command", metavar="CMD", help="command printing the token")
    key = p.add_mutually_exclusive_group()
    key.add_argument("--api-key-stdin", action="store_true", help="read the API key")
    key.add_argument("--api-key-command", metavar="CMD", help="command printing the key")
    p.add_argument(
        "--secret-store",
        choices=("file", "keyring"),
        default="file",
        help="where secrets read from stdin go (default: secrets.toml, mode 0600)",
    )
    for alias in MODEL_ALIASES:
        p.add_argument(f"--{alias}", metavar="ID", help=f"pin the {alias} alias to a model ID")
    p.add_argument("--cache-ttl", choices=("5m", "1h"), default="5m", help="prompt-cache TTL")
    p.add_argument("--auth-refresh", metavar="CMD", help="Claude Code's awsAuthRefresh command")
    p.add_argument(
        "--force",
        action="store_true",
        help="replace an existing profile (and re-apply it where it was applied)",
    )
    p.add_argument("--use", action="store_true", help="make it the current profile")

    p = add_command(
        sub,
        "export",
        'print shell code that applies a profile: eval "$(cc-aws-tui export NAME)"',
        lambda a: fast.export(a.name, a.shell, quoted=a.quoted),
        description=(
            "Print shell code that sets the profile's variables and unsets every variable\n"
            "that would get in its way. stdout carries only shell code; errors go to stderr\n"
            "with nothing on stdout.\n\n"
            '  bash/zsh/sh:  eval "$(cc-aws-tui export dev)"\n'
            "  fish:         cc-aws-tui export dev --shell fish | source\n"
            "  PowerShell:   cc-aws-tui export dev --shell powershell | Out-String | iex\n"
            "  dotenv/json:  for tools and scripts (dotenv lists only what is set)\n\n"
            "The unquoted `eval $(cc-aws-tui export dev)` works too: no exported value holds\n"
            "a character the shell would expand against file names. A secret that holds one\n"
            "(* ? [ !( @( +() makes export fail unless you promise the quoted form (--quoted)."
        ),
    )
    profile_argument(p, nargs="?", help="profile (default: the current one)")
    p.add_argument("--shell", choices=shellcode.SHELLS, default="posix")
    p.add_argument(
        "--quoted",
        action="store_true",
        help='the output goes to eval "$(...)" (quoted): allow a secret the unquoted form'
        " would glob",
    )

    p = add_command(
        sub,
        "off",
        "print shell code that unsets every variable cc-aws-tui manages",
        lambda a: fast.off(a.shell),
    )
    p.add_argument("--shell", choices=shellcode.SHELLS, default="posix")

    p = add_command(
        sub,
        "list",
        "list saved profiles (* marks the current one)",
        lambda a: fast.list_profiles(as_json=a.json, names_only=a.names),
    )
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--names", action="store_true", help="names only, one per line")

    p = add_command(sub, "show", "show one profile (secrets masked)", cmd_show)
    profile_argument(p, nargs="?", help="profile (default: the current one)")
    p.add_argument("--json", action="store_true", help="machine-readable output")

    p = add_command(sub, "use", "make a profile the current one", lambda a: fast.use(a.name))
    profile_argument(p)

    add_command(sub, "current", "print the current profile's name", lambda a: fast.current())

    p = add_command(
        sub,
        "rm",
        "delete a profile and its secrets (and unapply it from Claude Code's settings)",
        cmd_rm,
    )
    profile_argument(p)

    p = add_command(
        sub,
        "rename",
        "rename a profile (its secrets and its applied settings' record move with it)",
        cmd_rename,
    )
    profile_argument(p, "old")
    p.add_argument("new")

    p = add_command(
        sub,
        "exec",
        "run a command with a profile's environment: cc-aws-tui exec dev -- claude",
        cmd_exec,
        usage="cc-aws-tui exec [NAME] -- COMMAND [ARGS...]",
    )
    profile_argument(p, nargs="?", metavar="NAME", help="profile (default: the current one)")
    p.add_argument(
        "cmd",
        nargs=argparse.REMAINDER,
        metavar="COMMAND",
        help="the command and its arguments, after --",
    )

    p = add_command(
        sub,
        "shell-init",
        "print the `ccaws` shell function and completion for your shell",
        cmd_shell_init,
        description=(
            "Print a `ccaws` function (ccaws use NAME, ccaws off) and tab completion.\n"
            '  bash:        eval "$(cc-aws-tui shell-init bash)"     in ~/.bashrc\n'
            '  zsh:         eval "$(cc-aws-tui shell-init zsh)"      in ~/.zshrc\n'
            "  fish:        cc-aws-tui shell-init fish | source      in config.fish\n"
            "  PowerShell:  cc-aws-tui shell-init powershell | Out-String | Invoke-Expression"
        ),
    )
    p.add_argument("shell", choices=("bash", "zsh", "fish", "powershell"))


# --- add ------------------------------------------------------------------------------------


def _read_stdin_secrets(args: argparse.Namespace) -> dict[str, str]:
    wanted = [k for k, flag in (("api_key", args.api_key_stdin),) if flag]
    if args.gateway_token_stdin:
        wanted.append("gateway_token")
    if not wanted:
        return {}
    labels = {"api_key": "API key", "gateway_token": "gateway token"}
    if sys.stdin is None:
        raise CliError("standard input is closed; pipe the secret in")
    if sys.stdin.isatty():
        return {k: getpass.getpass(f"{labels[k]} (not echoed): ") for k in wanted}
    lines = sys.stdin.read().splitlines()
    what = " then ".join(labels[k] for k in wanted)
    if not any(ln.strip() for ln in lines):
        # Most often the command piping in failed (`op read` not installed, not signed in).
        raise CliError(
            "standard input was empty (did the command piping into it fail?): pipe in the"
            f" {what}, one per line, or run this in a terminal to be asked"
        )
    if len(lines) < len(wanted) or any(not ln.strip() for ln in lines[: len(wanted)]):
        raise CliError(f"expected on standard input, one per line: {what}")
    return dict(zip(wanted, (ln.strip() for ln in lines), strict=False))


def _region_of_aws_profile(name: str | None) -> str | None:
    """The region AWS profile `name` sets, read as Claude Code reads the AWS files."""
    if not name:
        return None
    try:
        from profiles.aws.ini import AwsConfigError
        from profiles.aws.profiles import discover_aws_profiles
    except ImportError:  # pragma: no cover - discovery ships with the package
        return None
    try:
        found = discover_aws_profiles()
    except AwsConfigError as exc:
        raise CliError(f"--region is required: cannot read the AWS config: {exc}") from None
    for prof in found:
        if prof.name == name:
            return prof.region
    return None


def _warn_of_unknown_aws_profile(name: str | None) -> None:
    """One line on stderr when neither AWS file (as Claude Code reads them) has profile
    `name`: the files read and the profiles close to it. A file that cannot be read says
    nothing here: `validate` reports it."""
    if not name:
        return
    from profiles.aws.ini import AwsConfigError
    from profiles.aws.paths import js_config_path, js_credentials_path
    from profiles.aws.profiles import read_aws_profiles

    try:
        found = read_aws_profiles()
    except AwsConfigError:
        return
    known = [p.name for p in found.profiles]
    if name not in known:
        files = (js_config_path(), js_credentials_path())
        info(_unknown_aws_profile(name, known, found.cli_only, files))


def _unknown_aws_profile(
    name: str, known: list[str], cli_only: tuple[str, ...], files: tuple[Path, Path]
) -> str:
    import difflib

    read = " nor ".join(str(f) for f in files)
    where = (
        "Claude Code does not see it (the AWS CLI does)"
        if name in cli_only
        else f"it is in neither {read}"
    )
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.6)
    if close:
        hint = f"; close: {', '.join(close)}"
    elif known:
        hint = f"; profiles there: {', '.join(known[:5])}{', …' if len(known) > 5 else ''}"
    else:
        hint = "; no profiles there"
    return f"{PROG}: warning: AWS profile {name!r}: {where}{hint}"


_FLAG_OF = {
    "workspace_id": "--workspace",
    "api_key_command": "--api-key-command",
    "gateway_token_command": "--gateway-token-command",
    "aws_auth_refresh": "--auth-refresh",
    "api_key_store": "--api-key-stdin/--api-key-command",
}


def profile_from_args(args: argparse.Namespace) -> Profile:
    """Validate the flags with the pydantic model; errors name the flag to fix."""
    from pydantic import ValidationError

    from profiles.core.models import ProfileModel

    region = args.region or _region_of_aws_profile(args.aws_profile)
    if region is None:
        hint = f" (AWS profile {args.aws_profile!r} sets none)" if args.aws_profile else ""
        raise CliError(f"--region is required{hint}")
    store = args.secret_store

    def secret(stdin: bool, command: str | None) -> tuple[str | None, str | None]:
        if command is not None:
            return "command", command
        return (store, None) if stdin else (None, None)

    api_store, api_cmd = secret(args.api_key_stdin, args.api_key_command)
    tok_store, tok_cmd = secret(args.gateway_token_stdin, args.gateway_token_command)
    data: dict[str, Any] = {
        "name": args.name,
        "auth": args.auth,
        "workspace_id": args.workspace,
        "region": region,
        "aws_profile": args.aws_profile,
        "base_url": args.base_url,
        "gateway_signs": args.gateway_signs,
        "api_key_store": api_store,
        "api_key_command": api_cmd,
        "gateway_token_store": tok_store,
        "gateway_token_command": tok_cmd,
        "models": {a: getattr(args, a) for a in MODEL_ALIASES if getattr(args, a)},
        "cache_ttl": args.cache_ttl,
        "aws_auth_refresh": args.auth_refresh,
    }
    try:
        return ProfileModel.model_validate(data).to_profile()
    except ValidationError as exc:
        err = exc.errors()[0]
        field = str(err["loc"][0]) if err["loc"] else ""
        msg = str(err["msg"]).removeprefix("Value error, ")
        if not field and msg.startswith(f"{args.name}."):
            # A cross-field rule reports `NAME.FIELD: what is wrong`: name the flag instead.
            field, _, msg = msg.removeprefix(f"{args.name}.").partition(": ")
        flag = _flag_of(field)
        if field == "models" and len(err["loc"]) > 1:
            flag = f"--{err['loc'][1]}"
        raise CliError(f"{flag}: {msg}" if flag else msg) from None
    except SchemaError as exc:  # the read-path rules, re-checked by to_profile()
        raise CliError(f"{_flag_of(exc.path.rpartition('.')[2])}: {exc.message}") from None


def _flag_of(field: str) -> str:
    if field == "name":
        return "NAME"
    return _FLAG_OF.get(field, f"--{field.replace('_', '-')}" if field else "")


def cmd_add(args: argparse.Namespace) -> int:
    from profiles.core.rules import check_api_key, check_token
    from profiles.usecases.edit import save_profile

    profile = profile_from_args(args)
    raw = _read_stdin_secrets(args)
    checks = {"api_key": check_api_key, "gateway_token": check_token}
    try:
        secrets = {k: checks[k](v) for k, v in raw.items()}
    except ValueError as exc:
        raise CliError(str(exc)) from None
    edited = save_profile(profile, secrets, replace=args.force, make_current=args.use)
    note = " (now current)" if edited.became_current else ""
    info(f"saved profile {profile.name!r}{note}. Apply it: {shellcode.apply_line(profile.name)}")
    _warn_of_unknown_aws_profile(profile.aws_profile)
    report_settings(edited.settings)
    return EXIT_OK


# --- show, rm, rename, shell-init -----------------------------------------------------------


def describe_secret(profile: Profile, kind: str) -> str | None:
    """How a secret is shown to a person: masked, or where it comes from."""
    from profiles.store import secrets

    store = profile.secret_store(kind)
    if store is None:
        return None
    if store == "command":
        return f"(from command: {profile.secret_command(kind)})"
    try:
        return f"{envplan.mask(secrets.resolve(profile, kind))} ({store})"
    except secrets.SecretError:
        return f"(missing from {store})"


def cmd_show(args: argparse.Namespace) -> int:
    from profiles.store.files import get_profile, read_doc

    doc = read_doc()
    profile = get_profile(doc, args.name)
    data = fast.profile_summary(profile, doc.current)
    data.update(
        gateway_signs=profile.gateway_signs,
        aws_auth_refresh=profile.aws_auth_refresh,
        **{k: describe_secret(profile, k) for k in SECRET_KINDS},
    )
    if args.json:
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return EXIT_OK
    width = max(len(k) for k in data)
    for key, value in data.items():
        if value in (None, {}, False) and key != "current":
            continue
        if isinstance(value, bool):
            value = "yes" if value else "no"
        elif isinstance(value, dict):
            value = ", ".join(f"{k}={v}" for k, v in value.items())
        out(f"{key.ljust(width)}  {escape_controls(str(value), multiline=False)}\n")
    return EXIT_OK


def cmd_rm(args: argparse.Namespace) -> int:
    from profiles.usecases.edit import delete_profile

    edited = delete_profile(args.name)
    info(f"deleted profile {args.name!r} and its stored secrets")
    report_settings(edited.settings)
    return EXIT_OK


def cmd_rename(args: argparse.Namespace) -> int:
    from profiles.usecases.edit import rename_profile

    edited = rename_profile(args.old, args.new)
    info(f"renamed {args.old!r} to {args.new!r}")
    report_settings(edited.settings)
    return EXIT_OK


def cmd_shell_init(args: argparse.Namespace) -> int:
    from profiles.cli.shellinit import script

    sys.stdout.write(script(args.shell, getattr(args, "parser", None)))
    return EXIT_OK


def cmd_exec(args: argparse.Namespace) -> int:
    command = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
    if not command:
        raise CliError("no command given: cc-aws-tui exec [NAME] -- COMMAND [ARGS...]")
    return fast.run_with_profile(args.name, command)
