"""Claude Code settings commands: apply, unapply, import, share."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from profiles.cli.common import EXIT_OK, EXIT_USAGE, CliError, error, info, out, report_settings
from profiles.cli.parser import add_command, profile_argument

_KEEP = 5  # settings_backup.KEEP, not imported: --help must stay cheap
SCOPE_HELP = (
    "user: ~/.claude/settings.json; project: .claude/settings.json at the git root (committed);"
    " local: .claude/settings.local.json at the git root (not committed)"
)


def register(sub: Any) -> None:
    from profiles.claude.hooks import CREDENTIAL_MODES  # light: typing and the schema

    p = add_command(
        sub,
        "apply",
        "write a profile into Claude Code's settings.json (env block, awsAuthRefresh)",
        cmd_apply,
        description=(
            "Write the profile's variables into the `env` block of a Claude Code settings\n"
            'file, with "" for each variable it does not use that the shell could hold\n'
            "(Bedrock and Foundry switches, a key for SigV4, unused pins...): a settings env\n"
            'beats the shell and "" reads as unset, so the profile wins whatever the shell\n'
            "holds. Also sets `awsAuthRefresh`. Every other key and env entry stays as it\n"
            "was. The settings file is the only file written: the\n"
            "previous one is backed up in cc-aws-tui's config directory (`cc-aws-tui backups`,\n"
            "`cc-aws-tui restore`). A file that is not strict JSON is never touched. A key or\n"
            "gateway token never goes to --scope project (committed), nor to a file that git\n"
            "tracks or does not ignore, nor through a link out of the project's .claude.\n\n"
            "  cc-aws-tui apply dev --scope user --dry-run   show the change (secrets masked)\n"
            "  cc-aws-tui apply dev --scope user             write it\n"
            "  cc-aws-tui unapply --scope user               take it back"
        ),
    )
    profile_argument(p, help="profile to apply")
    _scope_args(p)
    p.add_argument(
        "--credentials",
        choices=CREDENTIAL_MODES,
        default=None,
        help="SigV4 with an AWS profile: isolated (the default) gives Claude Code its"
        " credentials through awsCredentialExport, so the agent's own commands keep your AWS"
        " identity; env puts AWS_PROFILE in the env block (the agent inherits it)."
        " Default: as the last apply to this file, else isolated",
    )
    p.add_argument(
        "--statusline",
        action="store_true",
        help="also set Claude Code's statusLine to `cc-aws-tui statusline` (when it has none)",
    )

    p = add_command(
        sub,
        "unapply",
        "remove from a settings file what `apply` wrote, and nothing else",
        cmd_unapply,
        description=(
            "Remove the env entries and awsAuthRefresh that `cc-aws-tui apply` wrote to a\n"
            "settings file. An entry you changed since is kept (and reported); nothing else\n"
            "is touched. The previous file is backed up, as with apply."
        ),
    )
    _scope_args(p)

    p = add_command(
        sub,
        "backups",
        "list the backups apply/unapply/restore kept of Claude Code settings files",
        cmd_backups,
        description=(
            "List the copies kept before each write to a settings file: the file as it was\n"
            f"before cc-aws-tui first wrote to it (`original`) and the last {_KEEP} previous\n"
            "versions, numbered, newest first. They live in cc-aws-tui's config directory\n"
            "(private: they may hold a key), never in the project.\n\n"
            "  cc-aws-tui backups                  every settings file written\n"
            "  cc-aws-tui backups --scope local    this project's settings.local.json"
        ),
    )
    p.add_argument("--scope", choices=("user", "project", "local"), help=SCOPE_HELP)

    p = add_command(
        sub,
        "restore",
        "put back a backup of a Claude Code settings file",
        cmd_restore,
        description=(
            "Replace a settings file with one of its backups (see `cc-aws-tui backups`):\n"
            "the newest by default. The current file is backed up first, so a restore can be\n"
            "undone with another one.\n\n"
            "  cc-aws-tui restore --scope user --dry-run      show the change\n"
            "  cc-aws-tui restore --scope local --backup 3    backup 3 as `backups` lists it\n"
            "  cc-aws-tui restore --scope user --original     as before cc-aws-tui wrote it"
        ),
    )
    which = p.add_mutually_exclusive_group()
    which.add_argument(
        "--backup",
        type=int,
        metavar="N",
        help="backup N as `backups` lists it (default: the newest)",
    )
    which.add_argument(
        "--original", action="store_true", help="the file as it was before cc-aws-tui wrote it"
    )
    _scope_args(p)

    p = add_command(
        sub,
        "import",
        "create a profile from the environment, a settings file, or a shared team file",
        cmd_import,
        description=(
            "Create profile NAME from what already exists. Nothing is guessed: a missing or\n"
            "contradictory variable stops the import with a message naming it; variables\n"
            "that are not imported are listed. Secrets found go to secret storage.\n\n"
            "  cc-aws-tui import dev --from-env\n"
            "  cc-aws-tui import dev --from-settings user\n"
            "  cc-aws-tui import dev --from-file team.toml --aws-profile my-sso\n"
            "  cc-aws-tui import dev --from-file team.toml --api-key-stdin < key.txt"
        ),
    )
    p.add_argument("name", help="name of the new profile")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--from-env", action="store_true", help="this shell's environment")
    src.add_argument(
        "--from-settings",
        choices=("user", "project", "local"),
        metavar="SCOPE",
        help="the env block of a Claude Code settings file (user, project or local)",
    )
    src.add_argument("--from-file", metavar="FILE", help="a file written by `cc-aws-tui share`")
    personal = p.add_mutually_exclusive_group()
    personal.add_argument("--aws-profile", metavar="P", help="--from-file, sigv4: your AWS profile")
    personal.add_argument(
        "--api-key-stdin", action="store_true", help="--from-file, api-key: read your key"
    )
    p.add_argument(
        "--gateway-token-stdin",
        action="store_true",
        help="--from-file: read your gateway token (after the key, if both)",
    )
    p.add_argument(
        "--secret-store",
        choices=("file", "keyring"),
        default="file",
        help="where secrets go (default: secrets.toml, mode 0600)",
    )
    p.add_argument("--force", action="store_true", help="replace an existing profile")

    p = add_command(
        sub,
        "share",
        "print a profile as TOML for a team: no secrets, nothing personal",
        cmd_share,
        description=(
            "Print the profile as TOML (schema = 1 and one [profiles.NAME] table, as in\n"
            "profiles.toml) without any secret, AWS profile or secret command: auth kind,\n"
            "workspace, region, base URL, gateway mode, model pins, cache TTL, awsAuthRefresh.\n\n"
            "  cc-aws-tui share dev > team.toml\n"
            "  cc-aws-tui import dev --from-file team.toml --aws-profile my-sso"
        ),
    )
    profile_argument(p, help="profile to share")


def _scope_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--scope", required=True, choices=("user", "project", "local"), help=SCOPE_HELP)
    p.add_argument(
        "--dry-run", action="store_true", help="print the change as a diff; write nothing"
    )


def _report(change: Any, dry_run: bool, done: str) -> int:
    for note in change.notes:
        info(f"note: {note}")
    if dry_run:
        if change.changed:
            out(change.diff)  # the settings file's text: secrets masked, escapes shown
            info(f"dry run: {change.path} not changed")
        else:
            info(f"no change: {change.path} already {done}")
        return EXIT_OK
    if change.written:
        backup = (
            f" (previous file kept in {change.backup}; `cc-aws-tui restore --scope"
            f" {change.scope}` puts it back)"
            if change.backup
            else ""
        )
        verb = "removed" if change.removed_file else "wrote"
        info(f"{verb} {change.path}{backup}")
    elif not change.changed:
        info(f"no change: {change.path} already {done}")
    return EXIT_OK


def cmd_apply(args: argparse.Namespace) -> int:
    from profiles.claude.apply import apply
    from profiles.store.files import get_profile, read_doc
    from profiles.store.secrets import resolve_all

    profile = get_profile(read_doc(), args.name)
    secrets = resolve_all(profile)
    change = apply(
        profile,
        secrets,
        args.scope,
        dry_run=args.dry_run,
        credentials=args.credentials,
        status_line=args.statusline,
    )
    code = _report(change, args.dry_run, f"holds profile {profile.name!r}")
    if change.written:
        info(f"applied profile {profile.name!r} to the {args.scope} settings of Claude Code")
    return code


def cmd_unapply(args: argparse.Namespace) -> int:
    from profiles.claude.apply import unapply

    change = unapply(args.scope, dry_run=args.dry_run)
    return _report(change, args.dry_run, "holds nothing cc-aws-tui wrote")


def cmd_backups(args: argparse.Namespace) -> int:
    import time

    from profiles.claude.restore import list_backups

    indexes = list_backups(args.scope)
    if not indexes:
        where = f"the {args.scope} settings file" if args.scope else "any settings file"
        info(f"no backups: cc-aws-tui has not written {where}")
        return EXIT_OK
    for index in indexes:
        sys.stdout.write(f"{index.target} ({index.scope})\n")
        rows = [("original", index.original)] if index.original else []
        rows += [(str(b.number), b) for b in index.backups]
        for label, b in rows:
            when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(b.at))
            sys.stdout.write(f"  {label:<8} {when}  {b.why}\n           {b.path}\n")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from profiles.claude.restore import restore

    number = getattr(args, "backup", None)
    if number is not None and number < 1:
        raise CliError("--backup N: a number `cc-aws-tui backups` lists (1 or more)")
    change = restore(args.scope, number=number, original=args.original, dry_run=args.dry_run)
    return _report(change, args.dry_run, "is that backup")


def cmd_import(args: argparse.Namespace) -> int:
    from profiles.store.secrets import LABELS
    from profiles.usecases.edit import save_profile

    personal = args.aws_profile is not None or args.api_key_stdin or args.gateway_token_stdin
    if personal and not args.from_file:
        raise CliError(
            "--aws-profile, --api-key-stdin and --gateway-token-stdin go with --from-file"
            " (the environment and settings already say how to authenticate)"
        )
    if args.from_file:
        profile, secrets, notes = _from_file(args)
    else:
        profile, secrets, notes = _from_existing(args)
    edited = save_profile(profile, secrets, replace=args.force)
    for note in notes:
        info(f"note: {note}")
    where = "secrets.toml" if args.secret_store == "file" else "the keyring"
    kept = "".join(f"; its {LABELS[k]} is in {where}" for k in secrets)
    source = (
        args.from_file
        or (args.from_settings and f"{args.from_settings} settings")
        or "the environment"
    )
    info(f"imported profile {profile.name!r} from {source}{kept}")
    report_settings(edited.settings)
    return EXIT_OK


def _from_existing(args: argparse.Namespace) -> tuple[Any, dict[str, str], list[str]]:
    import os

    from pydantic import ValidationError

    from profiles.claude.importing import import_from_env, import_from_settings
    from profiles.core.models import ProfileModel, first_error

    if args.from_settings:
        got = import_from_settings(args.from_settings, secret_store=args.secret_store)
    else:
        got = import_from_env(os.environ, secret_store=args.secret_store)
    for warning in got.warnings:
        info(f"warning: {warning}")
    if got.errors:
        for message in got.errors[:-1]:
            error(message)
        raise CliError(f"{got.errors[-1]} (nothing imported)", EXIT_USAGE)
    try:
        model = ProfileModel.model_validate({"name": args.name, **got.data})
        profile = model.to_profile()
    except ValidationError as exc:
        raise CliError(first_error(exc)) from None
    return profile, got.secrets, []


def _from_file(args: argparse.Namespace) -> tuple[Any, dict[str, str], list[str]]:
    from profiles.claude.share import import_shared
    from profiles.cli.commands import _read_stdin_secrets
    from profiles.store.fileread import UnreadableFile, read_regular

    path = Path(args.from_file)
    try:
        data = read_regular(path)  # a FIFO or /dev/zero is refused, not read forever
        text = data.decode("utf-8") if data is not None else None
    except UnreadableFile as exc:
        raise CliError(str(exc)) from None
    except UnicodeDecodeError:
        raise CliError(f"{path}: cannot read: not UTF-8 text") from None
    if text is None:
        raise CliError(f"{path}: no such file")
    raw = _read_stdin_secrets(args)
    got = import_shared(
        text,
        args.name,
        aws_profile=args.aws_profile,
        api_key=raw.get("api_key"),
        gateway_token=raw.get("gateway_token"),
        secret_store=args.secret_store,
        source=str(path),
    )
    return got.profile, got.secrets, got.notes


def cmd_share(args: argparse.Namespace) -> int:
    from profiles.claude.share import share
    from profiles.store.files import get_profile, read_doc

    profile = get_profile(read_doc(), args.name)
    sys.stdout.write(share(profile))
    left_out = [
        what
        for what, present in (
            ("the AWS profile", profile.aws_profile),
            ("the API key", profile.auth == "api-key"),
            ("the gateway token", profile.has_gateway_token),
            ("secret commands", profile.api_key_command or profile.gateway_token_command),
        )
        if present
    ]
    if left_out:
        info(f"not shared (personal or secret): {', '.join(left_out)}")
    return EXIT_OK
