"""`cc-aws-tui shell-init SHELL`: a small `ccaws` function, tab completion and a prompt segment.

`ccaws use NAME` exports NAME into the current shell and records it as current; `ccaws off`
clears it; anything else is passed to `cc-aws-tui`. Completion lists commands and, for commands
that take a profile, the profile names from `cc-aws-tui list --names` (the fast path).
`cc_aws_tui_prompt` (bash, zsh, fish) prints `(cc:NAME) ` for the profile exported into the
shell (`CC_AWS_TUI_PROFILE`) and nothing otherwise, with shell builtins only: a prompt never
starts Python. A value that is not a profile name prints nothing (it could hold escapes or
zsh prompt sequences).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    import argparse

SHELLS: Final = ("bash", "zsh", "fish", "powershell")


def completion_words(
    parser: argparse.ArgumentParser | None = None,
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The commands completion offers and those whose first argument is a profile name,
    read from the parser (the one given, which parsed this command line, else a new one), so
    a new command is completed the day it is registered."""
    from profiles.cli.parser import COMPLETES_PROFILE, build_parser, subcommands

    commands = subcommands(parser if parser is not None else build_parser())
    takes_profile = tuple(n for n, p in commands.items() if p.get_default(COMPLETES_PROFILE))
    return tuple(commands), takes_profile


_POSIX = """\
# cc-aws-tui shell integration ({shell}). Load it with:  eval "$(cc-aws-tui shell-init {shell})"
ccaws() {{
  case "${{1-}}" in
    use)
      shift
      local __ccaws_out
      __ccaws_out="$(command cc-aws-tui export --quoted "$@")" || return $?
      eval "$__ccaws_out"
      if [ $# -gt 0 ]; then command cc-aws-tui use "$1" 2>/dev/null; fi
      ;;
    off)
      shift
      local __ccaws_out
      __ccaws_out="$(command cc-aws-tui off "$@")" || return $?
      eval "$__ccaws_out"
      ;;
    *) command cc-aws-tui "$@" ;;
  esac
}}
# The exported profile for a prompt, with builtins only:  PS1='$(cc_aws_tui_prompt)'"$PS1"
# (zsh: setopt prompt_subst first). Prints `(cc:NAME) `, or nothing.
cc_aws_tui_prompt() {{
  case "${{CC_AWS_TUI_PROFILE-}}" in
    ''|*[!A-Za-z0-9_.-]*) ;;
    *) printf '(cc:%s) ' "$CC_AWS_TUI_PROFILE" ;;
  esac
}}
"""

_BASH_COMPLETION = """\
_ccaws_complete() {{
  local cur="${{COMP_WORDS[COMP_CWORD]}}"
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W "{commands}" -- "$cur"))
  elif [ "$COMP_CWORD" -eq 2 ]; then
    case "${{COMP_WORDS[1]}}" in
      {takes_profile}) COMPREPLY=($(compgen -W "$(command cc-aws-tui list --names 2>/dev/null)" -- "$cur")) ;;
    esac
  fi
}}
complete -F _ccaws_complete ccaws cc-aws-tui
"""

_ZSH_COMPLETION = """\
_ccaws() {{
  if (( CURRENT == 2 )); then
    compadd -- {commands}
  elif (( CURRENT == 3 )); then
    case "$words[2]" in
      {takes_profile}) compadd -- ${{(f)"$(command cc-aws-tui list --names 2>/dev/null)"}} ;;
    esac
  fi
}}
if (( $+functions[compdef] )); then compdef _ccaws ccaws cc-aws-tui; fi
"""

_FISH = """\
# cc-aws-tui shell integration (fish). Load it with:  cc-aws-tui shell-init fish | source
function ccaws --description 'Switch Claude Platform on AWS profiles (cc-aws-tui)'
    set -l sub $argv[1]
    if test "$sub" = use; or test "$sub" = off
        set -l cmd export
        test "$sub" = off; and set cmd off
        # On error export prints nothing on stdout, so `source` runs nothing.
        command cc-aws-tui $cmd --shell fish $argv[2..-1] | source
        set -l st $pipestatus[1]
        test $st -eq 0; or return $st
        if test "$sub" = use; and set -q argv[2]
            command cc-aws-tui use $argv[2] 2>/dev/null
        end
    else
        command cc-aws-tui $argv
    end
end
# The exported profile for a prompt, with builtins only: call it from fish_prompt.
function cc_aws_tui_prompt --description 'The cc-aws-tui profile exported into this shell'
    if set -q CC_AWS_TUI_PROFILE; and string match -qr '^[A-Za-z0-9_.-]+$' -- "$CC_AWS_TUI_PROFILE"
        printf '(cc:%s) ' $CC_AWS_TUI_PROFILE
    end
end
for __ccaws_cmd in ccaws cc-aws-tui
    complete -c $__ccaws_cmd -f
    complete -c $__ccaws_cmd -n __fish_use_subcommand -a '{commands}'
    complete -c $__ccaws_cmd -n '__fish_seen_subcommand_from {takes_profile}; and test (count (commandline -opc)) -eq 2' -a '(command cc-aws-tui list --names 2>/dev/null)'
end
set -e __ccaws_cmd
"""

_POWERSHELL = """\
# cc-aws-tui shell integration (PowerShell). Load it with:
#   cc-aws-tui shell-init powershell | Out-String | Invoke-Expression
function ccaws {{
    if ($args.Count -gt 0 -and ($args[0] -eq 'use' -or $args[0] -eq 'off')) {{
        $sub = if ($args[0] -eq 'use') {{ 'export' }} else {{ 'off' }}
        $rest = @($args | Select-Object -Skip 1)
        $code = & cc-aws-tui $sub --shell powershell @rest
        if ($LASTEXITCODE -ne 0) {{ return }}
        ($code | Out-String) | Invoke-Expression
        if ($args[0] -eq 'use' -and $rest.Count -gt 0) {{ & cc-aws-tui use $rest[0] 2>$null }}
    }} else {{
        & cc-aws-tui @args
    }}
}}
Register-ArgumentCompleter -Native -CommandName ccaws, cc-aws-tui -ScriptBlock {{
    param($wordToComplete, $commandAst, $cursorPosition)
    $words = @($commandAst.CommandElements | ForEach-Object {{ $_.ToString() }})
    $position = if ($wordToComplete) {{ $words.Count - 1 }} else {{ $words.Count }}
    $candidates = @()
    if ($position -eq 1) {{
        $candidates = '{commands}' -split ' '
    }} elseif ($position -eq 2 -and (@({takes_profile_ps}) -contains $words[1])) {{
        $candidates = @(& cc-aws-tui list --names 2>$null)
    }}
    $candidates | Where-Object {{ $_ -like "$wordToComplete*" }} |
        ForEach-Object {{ [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_) }}
}}
"""


def script(shell: str, parser: argparse.ArgumentParser | None = None) -> str:
    """The integration script for `shell` (one of SHELLS); `parser` is the CLI's, when there
    is one already (building it again costs ~30 ms on every new shell)."""
    if shell not in SHELLS:
        raise ValueError(f"unknown shell {shell!r} (use one of: {', '.join(SHELLS)})")
    names, takes_profile = completion_words(parser)
    commands = " ".join(names)
    if shell in ("bash", "zsh"):
        completion = _BASH_COMPLETION if shell == "bash" else _ZSH_COMPLETION
        return _POSIX.format(shell=shell) + completion.format(
            commands=commands, takes_profile="|".join(takes_profile)
        )
    if shell == "fish":
        return _FISH.format(commands=commands, takes_profile=" ".join(takes_profile))
    return _POWERSHELL.format(
        commands=commands, takes_profile_ps=", ".join(f"'{c}'" for c in takes_profile)
    )
