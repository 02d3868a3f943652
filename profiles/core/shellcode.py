"""From an environment plan to shell code: quoting for each shell, unsets first, then sets.

Pure functions, standard library only (this is the shell-export path).
"""

from __future__ import annotations

import re

TYPE_CHECKING = False  # not typing's (see envplan.py)
if TYPE_CHECKING:
    from typing import Final, Literal

    from profiles.core.envplan import EnvPlan

    Shell = Literal["posix", "fish", "powershell", "dotenv", "json"]

SHELLS: Final[tuple[str, ...]] = ("posix", "fish", "powershell", "dotenv", "json")


# Values made only of these need no quoting in any shell we write for, and survive the
# unquoted `eval $(...)` that users paste (no IFS characters, no glob characters).
_SAFE = re.compile(r"[A-Za-z0-9_@+:,./-]+")  # not `=` (zsh `=cmd`) nor `%` (fish `%self`)


def apply_line(name: str) -> str:
    """The line that applies saved profile `name` in a POSIX shell (names need no quoting)."""
    return f'eval "$(cc-aws-tui export {name})"'


def quote_posix(value: str) -> str:
    """Single quotes keep everything literal in every POSIX shell (dash has no $'...')."""
    if _SAFE.fullmatch(value):
        return value
    return "'" + value.replace("'", "'\\''") + "'"


def quote_fish(value: str) -> str:
    # In fish single quotes only \\ and \' are escapes.
    if _SAFE.fullmatch(value):
        return value
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def quote_powershell(value: str) -> str:
    # Verbatim string: only quotes are special, doubled; PowerShell also takes ‘ ’ ‚ ‛ for '.
    return "'" + re.sub("['\u2018-\u201b]", r"\g<0>\g<0>", value) + "'"


def format_plan(plan: EnvPlan, shell: str) -> str:
    """Shell code for `plan`: unsets first, then sets; one statement per line."""
    lines: list[str]
    if shell == "posix":
        lines = [f"unset {v};" for v in plan.unset]
        lines += [f"export {k}={quote_posix(v)};" for k, v in plan.set.items()]
    elif shell == "fish":
        lines = [f"set -e {v};" for v in plan.unset]
        lines += [f"set -gx {k} {quote_fish(v)};" for k, v in plan.set.items()]
        # fish's `set` passes the previous status through, so erasing a variable that was not
        # set would make `... | source; and claude` fail: end on a success.
        lines.append("true;")
    elif shell == "powershell":
        lines = [f"Remove-Item Env:{v} -ErrorAction SilentlyContinue" for v in plan.unset]
        lines += [f"$Env:{k} = {quote_powershell(v)}" for k, v in plan.set.items()]
    elif shell == "dotenv":
        # dotenv cannot unset; it lists what is set, sourceable by `set -a; . ./file`.
        lines = [f"{k}={quote_posix(v)}" for k, v in plan.set.items()]
    elif shell == "json":
        import json

        return json.dumps({"set": dict(plan.set), "unset": list(plan.unset)}, indent=2) + "\n"
    else:
        raise ValueError(f"unknown shell {shell!r} (use one of: {', '.join(SHELLS)})")
    return "".join(line + "\n" for line in lines)
