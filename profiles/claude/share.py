"""Share a profile with a team, and import such a file: the team's setup only, never a
secret, an AWS profile or a command (those are personal, and each person adds their own).
"""

from __future__ import annotations

import json
import re
import tomllib
from typing import Any, Final, NamedTuple

from profiles.core.rules import check_api_key, check_aws_profile, check_name, check_token
from profiles.core.schema import (
    MODEL_ALIASES,
    SCHEMA_VERSION,
    Profile,
    SchemaError,
    profile_from_mapping,
)
from profiles.store.files import ConfigError, toml_error_location

# What a shared profile holds: the team's setup. Everything else is personal or secret.
SHARED_KEYS: Final = (
    "auth",
    "workspace_id",
    "region",
    "base_url",
    "gateway_signs",
    "models",
    "cache_ttl",
    "aws_auth_refresh",
)
_PERSONAL: Final = {
    "aws_profile": "the AWS profile is personal: give yours with --aws-profile",
    "api_key_store": "where a key is kept is personal: give the key with --api-key-stdin",
    "gateway_token_store": "where a token is kept is personal: give the token with"
    " --gateway-token-stdin",
    "api_key_command": "commands are personal (and would run on your machine): not accepted",
    "gateway_token_command": "commands are personal (and would run on your machine): not accepted",
}
_SECRET_NAME = re.compile(r"(api_?key|token|secret|password|credential)", re.IGNORECASE)


class SharedError(ConfigError):
    """A shared profile that cannot be imported; the message names the file and the key."""


def share(profile: Profile) -> str:
    """`profile` as a team file: `schema = 1` and one `[profiles.NAME]` table, exactly as in
    profiles.toml, holding only SHARED_KEYS (no secret, no AWS profile, no command)."""
    body = profile.to_toml_dict()
    lines = [
        "# A Claude Platform on AWS setup shared with cc-aws-tui: no secrets, nothing personal.",
        "# Import it: cc-aws-tui import NAME --from-file FILE "
        + ("--api-key-stdin" if profile.auth == "api-key" else "[--aws-profile P]"),
    ]
    if profile.has_gateway_token:
        lines.append("# This setup needs a gateway token: add yours with --gateway-token-stdin.")
    lines += [f"schema = {SCHEMA_VERSION}", "", f"[profiles.{_toml_key(profile.name)}]"]
    for key in SHARED_KEYS:
        if key in body and key != "models":
            lines.append(f"{key} = {_toml_value(body[key])}")
    pins = body.get("models") or {}
    if pins:
        lines += ["", f"[profiles.{_toml_key(profile.name)}.models]"]
        lines += [f"{a} = {_toml_value(pins[a])}" for a in MODEL_ALIASES if a in pins]
    return "\n".join(lines) + "\n"


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else _toml_value(key)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    # A JSON string is a TOML basic string, but for DEL, which TOML wants escaped.
    return json.dumps(str(value), ensure_ascii=False).replace("\x7f", "\\u007f")


class SharedImport(NamedTuple):
    profile: Profile
    secrets: dict[str, str]
    notes: list[str]


def import_shared(
    text: str,
    name: str,
    aws_profile: str | None = None,
    api_key: str | None = None,
    *,
    gateway_token: str | None = None,
    secret_store: str = "file",
    source: str = "shared profile",
) -> SharedImport:
    """A local profile `name` from a `share` file plus what is personal (AWS profile, key,
    gateway token). Unknown keys and any secret, personal or command field are refused.

    Raises SharedError with `source:line:col` for TOML errors, `source: key: why` otherwise.
    """
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        pos = toml_error_location(exc)
        where = f"{source}:{pos[1]}:{pos[2]}: {pos[0]}" if pos else f"{source}: {exc}"
        raise SharedError(where) from None
    try:
        check_name(name)
    except ValueError as exc:
        raise SharedError(f"NAME: {exc}") from None

    def fail(message: str) -> SharedError:
        return SharedError(f"{source}: {message}")

    if doc.get("schema") != SCHEMA_VERSION:
        found = doc.get("schema")
        raise fail(f"schema = {SCHEMA_VERSION} is missing or another version (found {found!r})")
    for key in doc:
        if key not in ("schema", "profiles"):
            raise fail(f"{key}: unknown top-level key (a shared file holds schema and profiles)")
    tables = doc.get("profiles")
    if not isinstance(tables, dict) or len(tables) != 1:
        raise fail("must hold exactly one [profiles.NAME] table")
    ((file_name, body),) = tables.items()
    where = f"profiles.{file_name}"
    if not isinstance(body, dict):
        raise fail(f"{where}: must be a table")
    for key in body:
        if key in SHARED_KEYS:
            continue
        if key in ("api_key", "gateway_token") or (
            key not in _PERSONAL and _SECRET_NAME.search(key)
        ):
            raise fail(
                f"{where}.{key}: a shared profile must not carry secrets; each person adds their"
                " own (--api-key-stdin, --gateway-token-stdin). Remove it, and rotate it if it"
                " was ever shared"
            )
        if key in _PERSONAL:
            raise fail(f"{where}.{key}: {_PERSONAL[key]}")
        raise fail(f"{where}.{key}: unknown setting (known: {', '.join(SHARED_KEYS)})")

    data: dict[str, Any] = dict(body)
    auth = data.get("auth")
    notes: list[str] = []
    if auth == "api-key":
        if api_key is None:
            raise fail("this setup uses an API key: give yours with --api-key-stdin")
        if aws_profile is not None:
            raise fail("this setup uses an API key, which ignores AWS profiles: drop --aws-profile")
    elif auth == "sigv4" and api_key is not None:
        raise fail("this setup signs with AWS credentials (sigv4): use --aws-profile, not a key")
    secrets: dict[str, str] = {}
    try:
        if api_key is not None:
            secrets["api_key"] = check_api_key(api_key)
            data["api_key_store"] = secret_store
        if gateway_token is not None:
            secrets["gateway_token"] = check_token(gateway_token)
            data["gateway_token_store"] = secret_store
        if aws_profile is not None:
            data["aws_profile"] = check_aws_profile(aws_profile)
    except ValueError as exc:
        raise SharedError(str(exc)) from None
    try:
        profile = profile_from_mapping(name, data, where=where)
    except SchemaError as exc:
        raise fail(str(exc)) from None
    if auth == "sigv4" and aws_profile is None:
        notes.append("no --aws-profile: the profile signs with the default AWS credential chain")
    refresh = profile.aws_auth_refresh
    if refresh is not None:
        m = re.search(r"--profile[= ]+(\S+)", refresh)
        if m and aws_profile is not None and m[1].strip("'\"") != aws_profile:
            notes.append(
                f"its awsAuthRefresh logs in to AWS profile {m[1]!r}, not {aws_profile!r}:"
                " change it with `cc-aws-tui add ... --auth-refresh CMD --force` if that is wrong"
            )
        notes.append(f"Claude Code will run this when AWS credentials expire: {refresh}")
    return SharedImport(profile, secrets, notes)
