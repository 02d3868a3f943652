"""The daily commands, parsed by hand so they start in a few tens of milliseconds (and the
ones Claude Code runs: `credentials`, `login`, `statusline`).

Each handler takes the arguments after the command name and returns an exit code, or None
when the arguments are anything but the plain forms (`--help`, a typo): then the full argparse
parser takes over and gives the usual help or error. Only the standard library, tomllib and our
stdlib-only modules are imported here; tomlkit only where a file is written (`use`).
"""

from __future__ import annotations

import os
import sys

from profiles.cli.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, CliError, error, info
from profiles.core import envplan, shellcode

TYPE_CHECKING = False  # not typing's: this module is the export path itself
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    from profiles.core.schema import Profile, ProfilesDoc

Parsed = tuple[list[str], dict[str, str | bool]]


def guarded(fn: Callable[[], int | None]) -> int | None:
    """Run a command, turning our errors into one line on stderr and an exit code."""
    from profiles.store.files import ConfigError

    try:
        return fn()
    except CliError as exc:
        error(str(exc))
        return exc.code
    except ConfigError as exc:
        error(str(exc))
        return EXIT_USAGE
    except _failures() as exc:  # evaluated only when something went wrong
        error(str(exc))
        return EXIT_FAILED
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`| head`); nothing more to say, and no traceback.
        sys.stderr.close()
        return EXIT_FAILED
    except OSError as exc:
        # A file we could not write (disk full, permissions): one line, not a traceback.
        where = f"{exc.filename}: " if exc.filename else ""
        error(f"{where}{exc.strerror or exc}")
        return EXIT_FAILED
    except Exception as exc:
        # Anything unforeseen: one line, never a traceback that could show a value; stdout
        # has nothing yet, since every command writes it last. CC_AWS_TUI_DEBUG=1 re-raises.
        if os.environ.get("CC_AWS_TUI_DEBUG"):
            raise
        error(f"unexpected {type(exc).__name__}; rerun with CC_AWS_TUI_DEBUG=1 for details")
        return EXIT_FAILED


def _failures() -> tuple[type[Exception], ...]:
    """The errors that mean "the command ran and failed" (exit 1). Imported on demand: the
    lock's module is not otherwise on the export path."""
    from profiles.store.fsutil import LockTimeout
    from profiles.store.secrets import SecretError

    return (SecretError, LockTimeout)


def parse(
    args: Iterable[str], values: tuple[str, ...] = (), flags: tuple[str, ...] = ()
) -> Parsed | None:
    """Positionals and the given options, or None for anything else (argparse decides)."""
    positional: list[str] = []
    options: dict[str, str | bool] = {}
    it = iter(args)
    for arg in it:
        if arg == "--":
            positional.extend(it)
            break
        if arg.startswith("-") and arg != "-":
            key, eq, value = arg.partition("=")
            if key in values:
                if not eq:
                    nxt = next(it, None)
                    if nxt is None:
                        return None
                    value = nxt
                options[key] = value
            elif key in flags and not eq:
                options[key] = True
            else:
                return None
        else:
            positional.append(arg)
    return positional, options


def previous_aws_profile(environ: Mapping[str, str] = os.environ) -> str | None:
    """The AWS_PROFILE a cc-aws-tui export set, if the shell still has exactly that value.

    Read from the marker the export wrote, not from the store: the profile that set it may
    have been renamed, edited or deleted since.
    """
    ours = environ.get(envplan.AWS_PROFILE_MARKER)
    return ours if ours and environ.get("AWS_PROFILE") == ours else None


def _load() -> ProfilesDoc:
    from profiles.store.files import read_doc

    return read_doc()


def plan_for(doc: ProfilesDoc, name: str | None) -> tuple[Profile, envplan.EnvPlan]:
    from profiles.store.files import get_profile
    from profiles.store.secrets import resolve_all

    profile = get_profile(doc, name)
    plan = envplan.plan_env(
        profile, resolve_all(profile), previous_aws_profile=previous_aws_profile()
    )
    return profile, plan


def cmd_export(args: list[str]) -> int | None:
    parsed = parse(args, values=("--shell",), flags=("--quoted",))
    if parsed is None or len(parsed[0]) > 1:
        return None
    shell = str(parsed[1].get("--shell", "posix"))
    if shell not in shellcode.SHELLS:
        return None
    name = parsed[0][0] if parsed[0] else None
    return export(name, shell, quoted=bool(parsed[1].get("--quoted")))


def export(name: str | None, shell: str, *, quoted: bool = False) -> int:
    """`quoted`: the caller promises `eval "$(...)"`, so a value the unquoted form would glob
    is allowed (fish, PowerShell, dotenv and JSON output is never globbed)."""
    profile, plan = plan_for(_load(), name)
    if shell == "posix" and not quoted:
        _refuse_globbing(profile, plan)
    # Written only once everything succeeded: on any error stdout stays empty for `eval`.
    sys.stdout.write(shellcode.format_plan(plan, shell))
    return EXIT_OK


def _refuse_globbing(profile: Profile, plan: envplan.EnvPlan) -> None:
    """The unquoted `eval $(cc-aws-tui export)` globs every word before eval runs, quoting
    or not, so a crafted file name could become code. Profile fields refuse glob characters
    (schema); a secret cannot be changed, so its export fails instead."""
    from profiles.core.rules import has_glob

    bad = [var for var, value in plan.set.items() if has_glob(value)]
    if bad:
        what = "its API key" if bad[0] == envplan.API_KEY else f"the value of {bad[0]}"
        raise CliError(
            f"profile {profile.name!r}: {what} contains * ? [ or !( @( +(, which the unquoted"
            f" `eval $(cc-aws-tui export)` would expand against file names: use"
            f' `eval "$(cc-aws-tui export {profile.name} --quoted)"`'
            f" or `cc-aws-tui exec {profile.name} -- COMMAND`",
            EXIT_FAILED,
        )


def cmd_off(args: list[str]) -> int | None:
    parsed = parse(args, values=("--shell",))
    if parsed is None or parsed[0]:
        return None
    shell = str(parsed[1].get("--shell", "posix"))
    if shell not in shellcode.SHELLS:
        return None
    return off(shell)


def off(shell: str) -> int:
    plan = envplan.plan_off(previous_aws_profile=previous_aws_profile())
    sys.stdout.write(shellcode.format_plan(plan, shell))
    return EXIT_OK


def credentials_label(p: Profile) -> str:
    if p.auth == "api-key":
        return f"key in {p.api_key_store}"
    return f"aws:{p.aws_profile}" if p.aws_profile else "default chain"


def profile_summary(p: Profile, current: str | None) -> dict[str, object]:
    """The stable JSON shape of one profile in `list --json` (never a secret)."""
    return {
        "name": p.name,
        "current": p.name == current,
        "auth": p.auth,
        "aws_profile": p.aws_profile,
        "workspace_id": p.workspace_id,
        "region": p.region,
        "base_url": p.effective_base_url,
        "models": dict(p.models),
        "cache_ttl": p.cache_ttl,
    }


def cmd_list(args: list[str]) -> int | None:
    parsed = parse(args, flags=("--json", "--names"))
    if parsed is None or parsed[0]:
        return None
    return list_profiles(
        as_json=bool(parsed[1].get("--json")), names_only=bool(parsed[1].get("--names"))
    )


def list_profiles(*, as_json: bool = False, names_only: bool = False) -> int:
    doc = _load()
    names = sorted(doc.profiles)
    if names_only:
        out = "".join(f"{n}\n" for n in names)
    elif as_json:
        import json

        rows = [profile_summary(doc.profiles[n], doc.current) for n in names]
        out = json.dumps(rows, indent=2) + "\n"
    elif not names:
        info("no profiles yet: run `cc-aws-tui` for the wizard, or `cc-aws-tui add --help`")
        return EXIT_OK
    else:
        header = ("", "NAME", "AUTH", "CREDENTIALS", "WORKSPACE", "REGION")
        rows_t = [header] + [
            (
                "*" if n == doc.current else "",
                n,
                doc.profiles[n].auth,
                credentials_label(doc.profiles[n]),
                doc.profiles[n].workspace_id,
                doc.profiles[n].region,
            )
            for n in names
        ]
        widths = [max(len(r[i]) for r in rows_t) for i in range(len(header))]
        out = "".join(
            "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() + "\n"
            for r in rows_t
        )
    sys.stdout.write(out)
    return EXIT_OK


def cmd_current(args: list[str]) -> int | None:
    if parse(args) != ([], {}):
        return None
    return current()


def current() -> int:
    doc = _load()
    if doc.current is None:
        error("no current profile: run `cc-aws-tui use NAME`")
        return EXIT_USAGE
    sys.stdout.write(doc.current + "\n")
    return EXIT_OK


def cmd_use(args: list[str]) -> int | None:
    parsed = parse(args)
    if parsed is None or len(parsed[0]) != 1:
        return None
    return use(parsed[0][0])


def use(name: str) -> int:
    from profiles.usecases.edit import set_current

    set_current(name)
    info(f'current profile: {name} (apply it here with: eval "$(cc-aws-tui export)")')
    return EXIT_OK


def cmd_exec(args: list[str]) -> int | None:
    """`exec [NAME] -- CMD ARGS...`: run CMD with the profile's environment."""
    if "--" not in args:
        return None
    split = args.index("--")
    before, command = args[:split], args[split + 1 :]
    if len(before) > 1 or any(a.startswith("-") for a in before) or not command:
        return None
    return run_with_profile(before[0] if before else None, command)


def run_with_profile(name: str | None, command: list[str]) -> int:
    _, plan = plan_for(_load(), name)
    env = plan.apply(os.environ)
    sys.stdout.flush()
    sys.stderr.flush()
    if os.name == "posix":
        try:
            os.execvpe(command[0], command, env)  # the exit status is the command's own
        except FileNotFoundError:
            error(f"{command[0]}: command not found")
            return 127
        except PermissionError:
            error(f"{command[0]}: permission denied")
            return 126
    import subprocess  # pragma: no cover - Windows has no exec

    try:
        return subprocess.call(command, env=env)
    except FileNotFoundError:
        error(f"{command[0]}: command not found")
        return 127


# What Claude Code runs (awsCredentialExport, awsAuthRefresh, statusLine), in modules of their
# own that import only what a warm call needs.
def cmd_credentials(args: list[str]) -> int | None:
    from profiles.cli import creds

    return creds.cmd_credentials(args)


def cmd_login(args: list[str]) -> int | None:
    from profiles.cli import creds

    return creds.cmd_login(args)


def cmd_statusline(args: list[str]) -> int | None:
    from profiles.cli import statusline

    return statusline.cmd_statusline(args)


FAST_COMMANDS: dict[str, Callable[[list[str]], int | None]] = {
    "export": cmd_export,
    "off": cmd_off,
    "list": cmd_list,
    "current": cmd_current,
    "use": cmd_use,
    "exec": cmd_exec,
    "credentials": cmd_credentials,
    "login": cmd_login,
    "statusline": cmd_statusline,
}
