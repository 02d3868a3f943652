"""Would Claude Code started here use this profile? What `validate` judges, from the one model
of the client (`claude.resolve`).

The profile reaches the client in one of two ways. Applied to a settings file here (the apply
record says so and the file still holds it): the layers are read as they are, shell included,
and anything that makes the client do other than the profile says is a failure. Not applied:
the user exports it, so the shell is taken as it will be after `export` (which sets and unsets
the profile's variables); what a settings file still overrides is a failure (no export can fix
it), and what only the current shell gets wrong is a warning (the export fixes it).

Each `Conflict` names the layer (a settings file, or the shell), the variable, the value found
and the profile's, and the fix. Secrets are compared by value and only ever shown masked.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from profiles.claude import hooks
from profiles.claude.resolve import (
    AWS_CREDENTIAL_EXPORT,
    Layer,
    RegionOf,
    Resolved,
    blanks_for,
    layers_here,
    region_of,
    resolve,
    with_shell,
)
from profiles.core import envplan
from profiles.core.envplan import truthy
from profiles.core.schema import Profile

SWITCHES = frozenset({envplan.SKIP_AUTH, envplan.CACHE_1H})


@dataclass(frozen=True)
class Conflict:
    var: str
    layer: Layer | None  # None: no layer sets it
    found: str  # as shown: masked for secrets, "unset" or '""'
    wanted: str
    fix: str
    blocking: bool  # a failure (no export fixes it), or only a warning

    @property
    def line(self) -> str:
        where = self.layer.label if self.layer is not None else "no settings file or the shell"
        return f"{where} sets {self.var}={self.found}; the profile's is {self.wanted}"


def _shown(var: str, value: str | None) -> str:
    if value is None:
        return "unset"
    if value == "":
        return '""'
    return envplan.mask(value) if var in envplan.SENSITIVE_VARS else value


def _expected(profile: Profile, secrets: Mapping[str, str]) -> dict[str, str | None]:
    """Each variable the client reads, as the profile wants it (None: unset or off)."""
    placeholder = {k: secrets.get(k, "") for k in ("api_key", "gateway_token")}
    plan = envplan.plan_env(profile, placeholder)
    want: dict[str, str | None] = {
        k: v for k, v in plan.set.items() if k not in envplan.SHELL_ONLY_VARS
    }
    want.update(dict.fromkeys(blanks_for(plan.unset)))
    if not (profile.auth == "sigv4" and profile.aws_profile):
        want.pop(envplan.AWS_PROFILE, None)  # the default chain takes what the shell has
    return want


def _same(var: str, found: str | None, wanted: str | None) -> bool:
    if var in SWITCHES or var == envplan.USE_AWS or var in envplan.OTHER_PROVIDERS:
        return truthy(found) == truthy(wanted)
    if var in envplan.SECRET_VARS and wanted == "":
        return True  # the secret was not resolved (e.g. its command failed): not judged here
    return (found or None) == (wanted or None)


def _fix(layer: Layer | None, var: str, profile: Profile, applied: Sequence[str]) -> str:
    name = profile.name
    scope = applied[0] if applied else "user"
    if layer is None or (layer.name in applied):
        where = layer.name if layer is not None else scope
        return f"re-apply the profile: cc-aws-tui apply {name} --scope {where}"
    if layer.name == "managed":
        return f"{layer.path} is managed by your organisation: ask its administrator"
    if not layer.is_settings:
        if applied:
            return (
                f"unset {var} in the shell, or re-apply: cc-aws-tui apply {name} --scope {scope}"
                ' (it writes "" for what the profile does not use)'
            )
        return f'export the profile, which sets and unsets it: eval "$(cc-aws-tui export {name})"'
    return (
        f"remove {var} from {layer.path}, or apply the profile there:"
        f" cc-aws-tui apply {name} --scope {layer.name}"
    )


def _judge(
    res: Resolved,
    profile: Profile,
    secrets: Mapping[str, str],
    applied: Sequence[str],
    blocking_shell: bool,
) -> list[Conflict]:
    out: list[Conflict] = []

    def add(var: str, layer: Layer | None, found: str, wanted: str) -> None:
        blocking = layer is None or layer.is_settings or blocking_shell
        out.append(
            Conflict(var, layer, found, wanted, _fix(layer, var, profile, applied), blocking)
        )

    if not res.on_platform:
        switch = res.provider_setting
        if switch is not None:
            add(
                switch.var,
                switch.layer,
                f"{switch.raw} (Claude Code would use {res.provider})",
                '""',
            )
        else:
            found = res.setting(envplan.USE_AWS)
            add(envplan.USE_AWS, found.layer if found else None,
                _shown(envplan.USE_AWS, found.raw if found else None), "1")  # fmt: skip
        return out
    want = _expected(profile, secrets)
    creds = res.credentials
    export = creds.source.aws_credential_export if creds and creds.source else None
    ours = creds is not None and hooks.is_credential_export_for(export, profile)
    if ours:
        want.pop(envplan.AWS_PROFILE, None)  # isolated: awsCredentialExport signs, not it
    for var, wanted in want.items():
        found = res.setting(var)
        value = found.raw if found is not None else None
        if var == envplan.REGION:
            if res.region != profile.region:
                signs = f"{_shown(var, value)} (the client signs for {res.region})"
                add(var, found.layer if found else None, signs, wanted or "")
            continue
        if not _same(var, value, wanted):
            add(var, found.layer if found else None, _shown(var, value), _shown(var, wanted))
    if profile.auth == "sigv4" and creds and creds.kind == AWS_CREDENTIAL_EXPORT and not ours:
        wanted = hooks.credential_export(profile) if profile.aws_profile else "not set"
        add(AWS_CREDENTIAL_EXPORT, creds.source, f"{export!r} (it decides the credentials)", wanted)
    return out


def client_view(
    profile: Profile,
    secrets: Mapping[str, str],
    layers: Sequence[Layer],
    applied: Sequence[str],
    *,
    regions: RegionOf = region_of,
) -> Resolved:
    """What the client would do with the profile here: `layers` as they are when it is
    applied to one of them, else with the shell as `export` leaves it."""
    if applied:
        return resolve(layers, region_of=regions)
    shell = next((layer.env for layer in layers if not layer.is_settings), {})
    exported = envplan.plan_env(
        profile, {k: secrets.get(k, "") for k in ("api_key", "gateway_token")}
    ).apply(shell)
    return resolve(with_shell(layers, exported), region_of=regions)


def isolation(profile: Profile, view: Resolved) -> tuple[str, bool]:
    """How the model's credentials reach the client here, and whether the agent's own
    commands see them: (one line, whether it deserves a warning)."""
    creds = view.credentials
    if profile.auth == "api-key":
        return hooks.KEY_IN_AGENT_ENV, True
    if profile.gateway_signs:
        return "a gateway signs: no AWS credential reaches Claude Code", False
    if creds is not None and creds.kind == AWS_CREDENTIAL_EXPORT:
        export = creds.source.aws_credential_export if creds.source else None
        if hooks.is_credential_export_for(export, profile):
            return (
                f"isolated: Claude Code signs with `cc-aws-tui credentials {profile.name}`;"
                " the agent's own commands keep your AWS identity",
                False,
            )
    if profile.aws_profile:
        return (
            f"not isolated: AWS_PROFILE={profile.aws_profile} reaches every command the agent"
            f" runs (`cc-aws-tui claude {profile.name}`, or `apply`, keeps it out)",
            False,
        )
    return "the default credential chain: the agent's commands use the same identity", False


def conflicts(
    profile: Profile,
    secrets: Mapping[str, str],
    layers: Sequence[Layer],
    applied: Sequence[str],
    *,
    regions: RegionOf = region_of,
    view: Resolved | None = None,
) -> list[Conflict]:
    """What in `layers` (settings highest first, the shell last) would make the client do other
    than `profile` says. `applied`: the scopes the profile is applied to here. `view`: the
    `client_view` of the same arguments, when the caller has it already."""
    if view is None:
        view = client_view(profile, secrets, layers, applied, regions=regions)
    if applied:
        return _judge(view, profile, secrets, applied, True)
    shell_layer = next((layer for layer in layers if not layer.is_settings), None)
    shell = shell_layer.env if shell_layer is not None else {}
    found = _judge(view, profile, secrets, applied, False)
    # What only the current shell gets wrong (no settings layer names it): a warning, since
    # exporting the profile sets or unsets each of these.
    seen = {c.var for c in found}
    in_settings = {
        var for layer in layers if layer.is_settings and layer.error is None for var in layer.env
    }
    fix = _fix(shell_layer, "", profile, applied)
    for var, wanted in _expected(profile, secrets).items():
        value = shell.get(var)
        if not value or var in seen or var in in_settings:
            continue
        wrong = value != profile.region if var == envplan.REGION else not _same(var, value, wanted)
        if wrong:
            found.append(
                Conflict(var, shell_layer, _shown(var, value), _shown(var, wanted), fix, False)
            )
    return found


SCOPE_ORDER = ("managed", "command line", "local", "project", "user")


def still_overridden(
    profile: Profile,
    secrets: Mapping[str, str],
    scope: str,
    path: Path,
    env: Mapping[str, str],
    cwd: Path | None = None,
) -> list[str]:
    """After `apply` writes `env` to the `scope` file at `path`: what another settings file
    would still override (a higher one, or a lower one for what this file leaves to it), one
    line each, with the fix. Nothing for the shell: `apply`'s `""` entries take care of it."""
    import os

    layers = [
        layer
        for layer in layers_here(os.environ, cwd)
        if not (layer.is_settings and layer.path == path)
    ]
    mine = Layer(scope, dict(env), path)
    rank = SCOPE_ORDER.index(scope)
    at = next(
        (
            i
            for i, layer in enumerate(layers)
            if not layer.is_settings or SCOPE_ORDER.index(layer.name) > rank
        ),
        len(layers),
    )
    layers.insert(at, mine)
    return [
        f"{c.line}, and beats the {scope} settings: {c.fix}"
        for c in conflicts(profile, secrets, layers, [scope])
        if c.layer is not None and c.layer.is_settings and c.layer is not mine
    ]
