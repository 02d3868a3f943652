"""Which source wins for each Claude-Platform variable, as Claude Code would resolve it.

The first thing to run when "requests still go to api.anthropic.com": a stale
`CLAUDE_CODE_USE_BEDROCK` in `~/.claude/settings.json`, or an old key in a project's local
settings, beats anything exported in the shell.

Precedence, highest first:

1. managed settings (`/etc/claude-code/managed-settings.json`, or the macOS/Windows path);
2. (the command line's `--settings`: per invocation, invisible from here);
3. local settings (`<project>/.claude/settings.local.json`);
4. project settings (`<project>/.claude/settings.json`);
5. user settings (`~/.claude/settings.json`);
6. the process environment (the shell `claude` is started from).

Between settings files, the `env` blocks merge key by key: a higher file wins for the keys it
sets, and the others fall through (platform-facts: managed > command line > local > project >
user).

ASSUMPTION (not stated in platform-facts): a settings file's `env` beats the shell. Claude
Code applies `env` on top of the environment it inherited, at startup and again when a file
changes, so a variable in any settings file overrides the same variable exported in the shell.
This is what the Claude Code maintainers describe as intended (anthropics/claude-code#78567:
"the settings env block applies to every session and overrides shell-provided values by
design"); a shell export only wins where no settings file sets that variable.

Pure: the environment and the sources come in as arguments (see
`claude.sources.settings_sources`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from profiles.claude.locations import AWS_AUTH_REFRESH
from profiles.claude.sources import SettingsSource
from profiles.core import envplan

SHELL: Final = "shell environment"

# The variables that decide where Claude Code sends requests and how it authenticates.
TRACKED_VARS: Final = (
    envplan.USE_AWS,
    *envplan.OTHER_PROVIDERS,
    envplan.WORKSPACE,
    envplan.REGION,
    envplan.BASE_URL,
    envplan.API_KEY,
    envplan.AWS_PROFILE,
    *envplan.AWS_KEY_VARS,
    envplan.SKIP_AUTH,
    envplan.AUTH_TOKEN,
    *envplan.MODEL_VARS.values(),
    envplan.CACHE_1H,
)
# Masked wherever shown. AWS_ACCESS_KEY_ID is an identifier (the console shows it), not a secret.
MASKED_VARS: Final = envplan.SENSITIVE_VARS


@dataclass(frozen=True, slots=True)
class SourceRow:
    """One variable: the value Claude Code would see and where it comes from.

    `value` is masked for secrets; None (with `source` None) when no source sets it.
    `overridden` lists the lower sources that also set it, highest first, as
    (source, masked value) pairs. The pseudo-variable `awsAuthRefresh` (a settings key, not an
    environment variable) is reported the same way when any settings file has it.
    """

    var: str
    value: str | None
    source: str | None
    overridden: tuple[tuple[str, str], ...] = ()


def source_label(source: SettingsSource) -> str:
    return f"{source.scope} settings ({source.path})"


def _show(var: str, value: str) -> str:
    return envplan.mask(value) if var in MASKED_VARS else value


def resolve_sources(
    environ: Mapping[str, str],
    sources: Sequence[SettingsSource],
    *,
    include_unset: bool = False,
) -> list[SourceRow]:
    """For each tracked variable (in TRACKED_VARS order), the winning source.

    `sources` must be highest precedence first, as `settings_sources()` returns them; sources
    with an `error` set nothing. Variables no source sets are left out unless `include_unset`.
    """
    layers: list[tuple[str, Mapping[str, str]]] = [
        (source_label(s), s.env) for s in sources if s.error is None
    ]
    layers.append((SHELL, environ))
    rows: list[SourceRow] = []
    for var in TRACKED_VARS:
        hits = [(label, env[var]) for label, env in layers if var in env]
        if hits:
            (label, value), *rest = hits
            shadowed = tuple((lb, _show(var, v)) for lb, v in rest)
            rows.append(SourceRow(var, _show(var, value), label, shadowed))
        elif include_unset:
            rows.append(SourceRow(var, None, None))
    refresh = [(source_label(s), s.aws_auth_refresh) for s in sources if s.aws_auth_refresh]
    if refresh:
        (label, value), *rest = refresh
        rows.append(
            SourceRow(AWS_AUTH_REFRESH, value, label, tuple((lb, v) for lb, v in rest if v))
        )
    return rows


def effective_environ(
    environ: Mapping[str, str], sources: Sequence[SettingsSource]
) -> dict[str, str]:
    """The environment a Claude Code session would run with: the shell's, then every settings
    file's `env` laid on top, lowest first (so the highest wins). Unmasked: for
    `status.resolve()`, never for display."""
    merged = dict(environ)
    for source in reversed(sources):
        if source.error is None:
            merged.update(source.env)
    return merged
