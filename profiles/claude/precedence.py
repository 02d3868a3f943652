"""Where each Claude-Platform variable comes from, as `status` lists it: the winning layer of
the client's configuration (`claude.resolve`) and the lower layers it hides.

The first thing to look at when "requests still go to api.anthropic.com": a stale
`CLAUDE_CODE_USE_BEDROCK` in `~/.claude/settings.json`, or an old key in a project's local
settings, beats anything exported in the shell. Values are masked for secrets; a `""` shows as
`""` (it switches the variable off, hiding the lower layers' values).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from profiles.claude.locations import AWS_AUTH_REFRESH
from profiles.claude.resolve import AWS_CREDENTIAL_EXPORT, DEFAULT_REGION_VAR, Resolved
from profiles.core import envplan

# The variables that decide where Claude Code sends requests and how it authenticates.
TRACKED_VARS: Final = (
    envplan.USE_AWS,
    *envplan.OTHER_PROVIDERS,
    envplan.WORKSPACE,
    envplan.REGION,
    DEFAULT_REGION_VAR,
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
    (source, masked value) pairs. The settings keys `awsAuthRefresh` and
    `awsCredentialExport` are reported the same way when a settings layer has them.
    """

    var: str
    value: str | None
    source: str | None
    overridden: tuple[tuple[str, str], ...] = ()


def _show(var: str, value: str) -> str:
    if value == "":
        return '""'
    return envplan.mask(value) if var in MASKED_VARS else value


def source_rows(res: Resolved, *, include_unset: bool = False) -> list[SourceRow]:
    """For each tracked variable (in TRACKED_VARS order), the winning layer. Variables no
    layer sets are left out unless `include_unset`."""
    rows: list[SourceRow] = []
    for var in TRACKED_VARS:
        found = res.setting(var)
        if found is not None:
            shadowed = tuple((layer.label, _show(var, v)) for layer, v in found.shadowed)
            rows.append(SourceRow(var, _show(var, found.raw), found.layer.label, shadowed))
        elif include_unset:
            rows.append(SourceRow(var, None, None))
    for key, attr in (
        (AWS_AUTH_REFRESH, "aws_auth_refresh"),
        (AWS_CREDENTIAL_EXPORT, "aws_credential_export"),
    ):
        hits = [(layer.label, getattr(layer, attr)) for layer in res.layers if getattr(layer, attr)]
        if hits:
            (label, value), *rest = hits
            rows.append(SourceRow(key, value, label, tuple(rest)))
    return rows
