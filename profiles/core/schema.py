"""The profile schema: the `Profile` value object, the file-level layout, and validation of
both from what tomllib read (the field rules themselves are in rules.py).

Standard library only. This module is on the shell-export path, which must stay within a few
times a bare `python -c pass`; pydantic alone costs several times that to import. So the rules
are plain functions (rules.py), the pydantic input models in `models.py` delegate to them (one
source of truth), and the read path here validates with them directly.

For the same reason it imports neither `typing` nor `dataclasses` at run time (together about
60 million instructions, more than the interpreter's own start): the `Literal` types exist for
the type checker only, and `Profile` is a small hand-written value class.
"""

from __future__ import annotations

from collections.abc import Mapping

from profiles.core.rules import (
    check_aws_profile,
    check_base_url,
    check_model_id,
    check_name,
    check_one_line,
    check_region,
    check_workspace_id,
    default_base_url,
)

TYPE_CHECKING = False  # not typing's (see above)
if TYPE_CHECKING:
    from typing import Any, Final, Literal

    AuthKind = Literal["sigv4", "api-key"]
    CacheTTL = Literal["5m", "1h"]
    SecretStore = Literal["file", "keyring", "command"]
    ModelAlias = Literal["fable", "opus", "sonnet", "haiku"]

SCHEMA_VERSION: Final = 1

# The values of the Literal types above (tests/core/test_models.py checks the two agree).
AUTH_KINDS: Final[tuple[str, ...]] = ("sigv4", "api-key")
CACHE_TTLS: Final[tuple[str, ...]] = ("5m", "1h")
SECRET_STORES: Final[tuple[str, ...]] = ("file", "keyring", "command")
MODEL_ALIASES: Final[tuple[str, ...]] = ("fable", "opus", "sonnet", "haiku")
SECRET_KINDS: Final = ("api_key", "gateway_token")


class SchemaError(ValueError):
    """A value that breaks a profile rule; `path` names the field (e.g. `profiles.dev.region`)."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}" if path else message)
        self.path = path
        self.message = message


# --- the value object ---------------------------------------------------------------------


_PROFILE_FIELDS: Final = (
    "name",
    "auth",
    "workspace_id",
    "region",
    "aws_profile",
    "base_url",
    "gateway_signs",
    "api_key_store",
    "api_key_command",
    "gateway_token_store",
    "gateway_token_command",
    "models",
    "cache_ttl",
    "aws_auth_refresh",
)


class Profile:
    """One saved profile, validated. Field meanings are documented on `models.ProfileModel`.

    Immutable, compared and hashed by value (`models` included); `replace(**changes)` makes a
    changed copy. Written by hand rather than as a dataclass: see the module docstring.
    """

    __slots__ = _PROFILE_FIELDS
    name: str
    auth: AuthKind
    workspace_id: str
    region: str
    aws_profile: str | None
    base_url: str | None
    gateway_signs: bool
    api_key_store: SecretStore | None
    api_key_command: str | None
    gateway_token_store: SecretStore | None
    gateway_token_command: str | None
    models: Mapping[str, str]
    cache_ttl: CacheTTL
    aws_auth_refresh: str | None

    def __init__(
        self,
        name: str,
        auth: AuthKind,
        workspace_id: str,
        region: str,
        aws_profile: str | None = None,
        base_url: str | None = None,
        gateway_signs: bool = False,
        api_key_store: SecretStore | None = None,
        api_key_command: str | None = None,
        gateway_token_store: SecretStore | None = None,
        gateway_token_command: str | None = None,
        models: Mapping[str, str] | None = None,
        cache_ttl: CacheTTL = "5m",
        aws_auth_refresh: str | None = None,
    ) -> None:
        values = locals()
        for key in _PROFILE_FIELDS:
            object.__setattr__(self, key, values[key])
        object.__setattr__(self, "models", {} if models is None else models)

    def __setattr__(self, key: str, value: Any) -> None:
        raise AttributeError(f"Profile is immutable: use .replace({key}=...)")

    def __delattr__(self, key: str) -> None:
        raise AttributeError("Profile is immutable")

    def _values(self) -> tuple[Any, ...]:
        return tuple(
            dict(self.models) if key == "models" else getattr(self, key) for key in _PROFILE_FIELDS
        )

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Profile)
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(
            tuple(
                tuple(sorted(self.models.items())) if key == "models" else getattr(self, key)
                for key in _PROFILE_FIELDS
            )
        )

    def __repr__(self) -> str:
        inner = ", ".join(f"{key}={getattr(self, key)!r}" for key in _PROFILE_FIELDS)
        return f"Profile({inner})"

    def replace(self, **changes: Any) -> Profile:
        """A copy with `changes` applied (what `dataclasses.replace` does for a dataclass)."""
        unknown = set(changes) - set(_PROFILE_FIELDS)
        if unknown:
            raise TypeError(f"Profile has no field {sorted(unknown)[0]!r}")
        values = {key: getattr(self, key) for key in _PROFILE_FIELDS}
        values.update(changes)
        return Profile(**values)

    @property
    def effective_base_url(self) -> str:
        return self.base_url or default_base_url(self.region)

    @property
    def has_gateway_token(self) -> bool:
        return self.gateway_token_store is not None

    def secret_store(self, kind: str) -> SecretStore | None:
        return self.api_key_store if kind == "api_key" else self.gateway_token_store

    def secret_command(self, kind: str) -> str | None:
        return self.api_key_command if kind == "api_key" else self.gateway_token_command

    def secret_kinds(self) -> tuple[str, ...]:
        """The secrets this profile needs at export time."""
        return tuple(k for k in SECRET_KINDS if self.secret_store(k) is not None)

    def to_toml_dict(self) -> dict[str, Any]:
        """The on-disk form: unset values left out, so files stay short and readable."""
        out: dict[str, Any] = {}
        for key in _PROFILE_FIELDS:
            if key == "name":
                continue
            value = getattr(self, key)
            if key == "models":
                pins = {a: value[a] for a in MODEL_ALIASES if value.get(a)}
                if pins:
                    out["models"] = pins
            elif value is not None and not (key == "gateway_signs" and value is False):
                out[key] = value
        out.setdefault("cache_ttl", self.cache_ttl)
        return out


PROFILE_KEYS: Final = frozenset(_PROFILE_FIELDS) - {"name"}


def _field(path: str, check: Any, value: Any) -> Any:
    try:
        return check(value)
    except ValueError as exc:
        raise SchemaError(path, str(exc)) from None


def _expect_str(path: str, value: Any) -> str:
    if not isinstance(value, str):
        raise SchemaError(path, f"must be a string, not {type(value).__name__}")
    return value


def _choice(path: str, value: Any, allowed: tuple[str, ...]) -> Any:
    if value not in allowed:
        raise SchemaError(path, f"{value!r} is not one of: {', '.join(allowed)}")
    return value


def profile_from_mapping(name: str, data: Mapping[str, Any], *, where: str = "") -> Profile:
    """Validate one profile table (as read from TOML) and build the value object.

    `where` prefixes error paths, e.g. `profiles.dev`.
    """
    base = where or name
    _field(base, check_name, name)
    if not isinstance(data, Mapping):
        raise SchemaError(base, "must be a table")
    unknown = sorted(set(data) - PROFILE_KEYS)
    if unknown:
        raise SchemaError(
            f"{base}.{unknown[0]}",
            f"unknown setting (known: {', '.join(sorted(PROFILE_KEYS))})",
        )
    for required in ("auth", "workspace_id", "region"):
        if required not in data:
            raise SchemaError(f"{base}.{required}", "is required")

    def opt_str(key: str, check: Any) -> str | None:
        if key not in data:
            return None
        return str(_field(f"{base}.{key}", check, _expect_str(f"{base}.{key}", data[key])))

    auth = _choice(f"{base}.auth", data["auth"], AUTH_KINDS)
    models_raw = data.get("models", {})
    if not isinstance(models_raw, Mapping):
        raise SchemaError(f"{base}.models", "must be a table of alias = model ID")
    models: dict[str, str] = {}
    for alias, model in models_raw.items():
        _choice(f"{base}.models.{alias}", alias, MODEL_ALIASES)
        path = f"{base}.models.{alias}"
        models[alias] = _field(path, check_model_id, _expect_str(path, model))
    gateway_signs = data.get("gateway_signs", False)
    if not isinstance(gateway_signs, bool):
        raise SchemaError(f"{base}.gateway_signs", "must be true or false")

    stores: dict[str, Any] = {}
    for kind in SECRET_KINDS:
        key = f"{kind}_store"
        stores[key] = _choice(f"{base}.{key}", data[key], SECRET_STORES) if key in data else None
        stores[f"{kind}_command"] = opt_str(
            f"{kind}_command", lambda v, k=kind: check_one_line(v, f"{k}_command")
        )

    profile = Profile(
        name=name,
        auth=auth,
        workspace_id=_field(
            f"{base}.workspace_id",
            check_workspace_id,
            _expect_str(f"{base}.workspace_id", data["workspace_id"]),
        ),
        region=_field(
            f"{base}.region", check_region, _expect_str(f"{base}.region", data["region"])
        ),
        aws_profile=opt_str("aws_profile", check_aws_profile),
        base_url=opt_str("base_url", check_base_url),
        gateway_signs=gateway_signs,
        models=models,
        cache_ttl=_choice(f"{base}.cache_ttl", data.get("cache_ttl", "5m"), CACHE_TTLS),
        aws_auth_refresh=opt_str("aws_auth_refresh", lambda v: check_one_line(v, "the command")),
        **stores,
    )
    check_consistency(profile, where=base)
    return profile


def check_consistency(p: Profile, *, where: str = "") -> None:
    """Rules that tie fields together; raises SchemaError naming the offending field."""
    base = where or p.name
    if p.auth == "api-key":
        if p.api_key_store is None:
            raise SchemaError(
                f"{base}.api_key_store", "an api-key profile needs one (file, keyring or command)"
            )
        if p.aws_profile is not None:
            raise SchemaError(
                f"{base}.aws_profile", "only sigv4 profiles use an AWS profile (a key wins anyway)"
            )
        if p.gateway_signs:
            raise SchemaError(f"{base}.gateway_signs", "only applies to sigv4 profiles")
    elif p.api_key_store is not None or p.api_key_command is not None:
        raise SchemaError(f"{base}.api_key_store", "a sigv4 profile has no API key")
    for kind in SECRET_KINDS:
        store, command = p.secret_store(kind), p.secret_command(kind)
        if store == "command" and not command:
            raise SchemaError(f"{base}.{kind}_command", f"is required when {kind}_store = command")
        if store != "command" and command:
            raise SchemaError(f"{base}.{kind}_command", f"only used when {kind}_store = command")
    if (p.gateway_signs or p.has_gateway_token) and not p.base_url:
        raise SchemaError(
            f"{base}.base_url", "a gateway setup needs the gateway's address as base_url"
        )


class ProfilesDoc:
    """The whole of profiles.toml, validated."""

    __slots__ = ("current", "profiles")
    profiles: Mapping[str, Profile]
    current: str | None

    def __init__(self, profiles: Mapping[str, Profile], current: str | None = None) -> None:
        object.__setattr__(self, "profiles", profiles)
        object.__setattr__(self, "current", current)

    def __setattr__(self, key: str, value: Any) -> None:
        raise AttributeError("ProfilesDoc is immutable")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ProfilesDoc):
            return NotImplemented
        return (dict(self.profiles), self.current) == (dict(other.profiles), other.current)

    def __hash__(self) -> int:
        return hash((tuple(self.profiles.items()), self.current))

    def __repr__(self) -> str:
        return f"ProfilesDoc(profiles={dict(self.profiles)!r}, current={self.current!r})"


def doc_from_mapping(data: Mapping[str, Any]) -> ProfilesDoc:
    schema = data.get("schema")
    if schema is None:
        raise SchemaError(
            "schema", f"is missing: the file must start with schema = {SCHEMA_VERSION}"
        )
    if schema != SCHEMA_VERSION:
        raise SchemaError(
            "schema",
            f"{schema!r} is not supported by this version (expects {SCHEMA_VERSION});"
            " upgrade cc-aws-tui",
        )
    unknown = sorted(set(data) - {"schema", "current", "profiles"})
    if unknown:
        raise SchemaError(
            unknown[0], "unknown top-level setting (known: schema, current, profiles)"
        )
    raw_profiles = data.get("profiles", {})
    if not isinstance(raw_profiles, Mapping):
        raise SchemaError("profiles", "must be a table of profiles")
    profiles = {
        name: profile_from_mapping(name, body, where=f"profiles.{name}")
        for name, body in raw_profiles.items()
    }
    current = data.get("current")
    if current is not None:
        current = _expect_str("current", current)
        if current not in profiles:
            raise SchemaError("current", f"names {current!r}, which is not a saved profile")
    return ProfilesDoc(profiles=profiles, current=current)
