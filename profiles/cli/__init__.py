"""The `cc-aws-tui` command.

`export`, `list`, `current`, `use` and `off` run many times a day, often from a shell prompt
or completion, and Claude Code runs `credentials`, `login` and `statusline` itself (the last on
every prompt): they are dispatched by hand before argparse, pydantic or the TUI are imported
(see `fast.py`). Everything else goes through the full argparse parser in `parser.py`.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else list(argv)
    from profiles.cli import fast

    if not args:
        return fast.guarded(_run_tui) or 0
    handler = fast.FAST_COMMANDS.get(args[0])
    if handler is not None:
        code = fast.guarded(lambda: handler(args[1:]))
        if code is not None:
            return code
    from profiles.cli.parser import run

    return run(args)


def _run_tui() -> int:
    try:
        from tui.app import run_app  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        from profiles.cli.common import EXIT_USAGE, error

        error("the TUI is not available in this build; see `cc-aws-tui --help` for the CLI")
        return EXIT_USAGE
    code: int = run_app()
    return code
