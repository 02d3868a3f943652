"""The full argparse parser: help for every command, and the commands that are not hot paths.

Command groups live in their own modules, each with a `register(subparsers)` function, so the
CLI grows without one module growing with it.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable
from typing import Any, NoReturn

from profiles import __version__
from profiles.cli.common import EXIT_CODES_HELP, PROG
from profiles.cli.fast import guarded

COMMAND_MODULES = (
    "profiles.cli.commands",
    "profiles.cli.live",
    "profiles.cli.claude",
    "profiles.cli.launch",
    "profiles.cli.creds",
    "profiles.cli.statusline",
)

DESCRIPTION = """\
Set up Claude Code for Claude Platform on AWS.

Run without arguments for the interactive setup. Daily use:
  eval "$(cc-aws-tui export dev)"       apply profile `dev` to this shell
  cc-aws-tui exec dev -- claude         run Claude Code with profile `dev`
  eval "$(cc-aws-tui shell-init bash)"  then `ccaws use dev`, `ccaws off`"""


# Set (to True) on a subcommand whose first positional is a saved profile's name.
COMPLETES_PROFILE = "completes_profile"


class Formatter(argparse.RawDescriptionHelpFormatter):
    pass


class Parser(argparse.ArgumentParser):
    """Usage errors as one line on stderr (exit 2), like every other error; --help has the rest."""

    def error(self, message: str) -> NoReturn:
        message = _hide_values(message)
        self.exit(2, f"{self.prog}: error: {message} (see `{self.prog} --help`)\n")


def _hide_values(message: str) -> str:
    """`unrecognized arguments: --api-key sk-ant-...` must not echo what may be a secret."""
    prefix = "unrecognized arguments: "
    if not message.startswith(prefix):
        return message
    words: list[str] = []
    after_option = False
    for word in message.removeprefix(prefix).split(" "):
        if word.startswith("-"):
            name, eq, _ = word.partition("=")
            words.append(f"{name}=…" if eq else name)
            after_option = not eq
        else:
            words.append("…" if after_option or word.startswith("sk-ant-") else word)
            after_option = False
    return prefix + " ".join(words)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog=PROG,
        description=DESCRIPTION,
        epilog=EXIT_CODES_HELP,
        formatter_class=Formatter,
        allow_abbrev=False,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")
    for module in COMMAND_MODULES:
        importlib.import_module(module).register(sub)
    return parser


def add_command(
    sub: Any, name: str, help: str, func: Callable[[argparse.Namespace], int], **kw: Any
) -> argparse.ArgumentParser:
    """A subcommand with our formatter and the exit codes in its help."""
    p: argparse.ArgumentParser = sub.add_parser(
        name,
        help=help,
        description=kw.pop("description", help),
        epilog=EXIT_CODES_HELP,
        formatter_class=Formatter,
        allow_abbrev=False,
        **kw,
    )
    p.set_defaults(func=func)
    return p


def profile_argument(p: argparse.ArgumentParser, dest: str = "name", **kw: Any) -> None:
    """The positional that names a saved profile: shell completion offers the profile names
    for it (`shellinit` reads the mark this leaves on the subcommand)."""
    p.add_argument(dest, **kw)
    p.set_defaults(**{COMPLETES_PROFILE: True})


def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """Every command the parser knows, by name, in the order they were registered."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def run(argv: list[str]) -> int:
    parser = build_parser()
    # A command may read the parser itself (shell-init lists the commands for completion).
    parser.set_defaults(parser=parser)
    args = parser.parse_args(argv)  # exits 2 with a usage line on bad arguments
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return 0
    code = guarded(lambda: func(args))
    return 0 if code is None else code
