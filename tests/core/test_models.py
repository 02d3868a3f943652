"""The pydantic input models (write paths) and the stdlib schema (read path) are one set of
rules: same fields, same verdicts, and every field documented."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from profiles.core import schema
from profiles.core.models import ModelPins, ProfileModel, first_error
from profiles.core.rules import check_base_url
from profiles.core.schema import Profile

WS = "wrkspc_01AbCdEf23GhIj"
VALID: dict[str, Any] = {"name": "dev", "auth": "sigv4", "workspace_id": WS, "region": "us-east-1"}


def test_fields_match_the_schema() -> None:
    """Drift guard: a key added to one side only would be silently dropped or refused."""
    assert set(ProfileModel.model_fields) == schema.PROFILE_KEYS | {"name"}
    assert set(ModelPins.model_fields) == set(schema.MODEL_ALIASES)


@pytest.mark.parametrize("model", [ProfileModel, ModelPins])
def test_every_field_is_documented(model: type[BaseModel]) -> None:
    """Docstrings under the fields become their descriptions (use_attribute_docstrings): the
    TUI and generated docs read them from there."""
    assert model.__doc__
    for name, info in model.model_fields.items():
        assert info.description, f"{model.__name__}.{name} has no docstring"
        assert len(info.description) > 15


@pytest.mark.parametrize(
    "extra",
    [{"colour": "red"}, {"api_key": "sk-ant-api03-secret"}, {"models": {"gpt": "claude-x"}}],
)
def test_extra_keys_are_forbidden(extra: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as info:
        ProfileModel.model_validate({**VALID, **extra})
    assert info.value.errors()[0]["type"] == "extra_forbidden"
    # The schema refuses the same.
    with pytest.raises(schema.SchemaError, match=r"unknown setting|not one of"):
        schema.profile_from_mapping(
            "dev", {k: v for k, v in {**VALID, **extra}.items() if k != "name"}
        )


def test_model_is_frozen() -> None:
    m = ProfileModel.model_validate(VALID)
    with pytest.raises(ValidationError):
        m.region = "eu-west-1"  # type: ignore[misc]


def test_round_trip_through_the_plain_profile() -> None:
    data = {
        **VALID,
        "aws_profile": "dev-sso",
        "base_url": "https://gw.example.com/",
        "gateway_signs": True,
        "gateway_token_store": "keyring",
        "models": {"opus": "claude-opus-4-8", "haiku": "claude-haiku-4-5"},
        "cache_ttl": "1h",
        "aws_auth_refresh": "aws sso login --profile dev-sso",
    }
    profile = ProfileModel.model_validate(data).to_profile()
    assert isinstance(profile, Profile)
    assert profile.base_url == "https://gw.example.com"
    assert dict(profile.models) == {"opus": "claude-opus-4-8", "haiku": "claude-haiku-4-5"}
    assert ProfileModel.from_profile(profile).to_profile() == profile
    assert schema.profile_from_mapping("dev", profile.to_toml_dict()) == profile


def test_first_error_is_one_line_naming_the_field() -> None:
    with pytest.raises(ValidationError) as info:
        ProfileModel.model_validate({**VALID, "region": "mars"})
    assert first_error(info.value) == (
        "region: 'mars' is not an AWS region name (like us-east-1 or eu-west-3)"
    )
    with pytest.raises(ValidationError) as info:
        ProfileModel.model_validate({**VALID, "models": {"opus": "gpt-4"}})
    assert first_error(info.value).startswith("models.opus")
    assert "\n" not in first_error(info.value)


# --- the two validators agree -----------------------------------------------------------------


def _via_model(data: dict[str, Any]) -> Profile | None:
    try:
        return ProfileModel.model_validate(data).to_profile()
    except ValidationError:
        return None


def _via_schema(data: dict[str, Any]) -> Profile | None:
    """As read from a file: TOML has no null, so an unset field is an absent key."""
    body = {k: v for k, v in data.items() if k != "name" and v is not None}
    try:
        return schema.profile_from_mapping(data["name"], body)
    except schema.SchemaError:
        return None


def _maybe(values: list[Any], text: bool = True) -> st.SearchStrategy[Any]:
    options: list[st.SearchStrategy[Any]] = [st.none(), st.sampled_from(values)]
    if text:
        options.append(st.text(max_size=30))
    return st.one_of(*options)


NAMES = ["dev", "a", "my.dev_2-x", "x" * 64, "x" * 65, "", "-dev", "a b", "dév", ".hidden", "a/b"]
WORKSPACES = [WS, "wrkspc_1", "wrkspc_", "WRKSPC_1", "wrkspc_01-x", "ws_1", f"{WS}\n"]
REGIONS = [
    "us-east-1",
    "ap-southeast-2",
    "us-gov-west-1",
    "cn-north-1",
    "eu-west-10",
    "mars",
    "us-east",
    "US-EAST-1",
    "us-east-100",
    "us-east-1 ",
]
AWS_PROFILES = ["dev", "my profile", " dev", "dev ", "a[b]", "", "x\ny"]
URLS = [
    "https://gw.example.com",
    "https://gw.example.com/v1/",
    "http://localhost:8080",
    "http://127.0.0.1",
    "http://[::1]:9",
    "http://gw.example.com",
    "ftp://x.example.com",
    "https://u:p@gw.example.com",
    "https://gw.example.com/?a=1",
    "https://",
    "gw.example.com",
    "https://gw.example.com:99999",
]
MODEL_IDS = ["claude-opus-4-8", "claude-x", "claude-", "Claude-opus", "gpt-4", "claude-a b"]
COMMANDS = ["pass show claude", "op read op://vault/claude/key"]

FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "name": st.one_of(st.sampled_from(NAMES), st.text(max_size=70)),
    "auth": st.sampled_from(["sigv4", "api-key", "SIGV4", "apikey", ""]),
    "workspace_id": st.one_of(st.sampled_from(WORKSPACES), st.text(max_size=20)),
    "region": st.one_of(st.sampled_from(REGIONS), st.text(max_size=20)),
    "aws_profile": _maybe(AWS_PROFILES),
    "base_url": _maybe(URLS),
    "gateway_signs": st.one_of(st.none(), st.booleans()),
    "api_key_store": _maybe(["file", "keyring", "command", "vault"], text=False),
    "api_key_command": _maybe(COMMANDS, text=False),
    "gateway_token_store": _maybe(["file", "keyring", "command"], text=False),
    "gateway_token_command": _maybe(COMMANDS, text=False),
    "models": st.one_of(
        st.none(),
        st.dictionaries(
            st.sampled_from([*schema.MODEL_ALIASES, "gpt"]), st.sampled_from(MODEL_IDS), max_size=3
        ),
    ),
    "cache_ttl": _maybe(["5m", "1h", "1d", ""], text=False),
    "aws_auth_refresh": _maybe(COMMANDS, text=False),
}
# Valid profiles of every shape, to be bent a field or two at a time: random input alone is
# nearly always invalid, and the interesting disagreements sit next to valid profiles.
GATEWAY = {"base_url": "https://gw.example.com"}
BASES: list[dict[str, Any]] = [
    VALID,
    {**VALID, "aws_profile": "dev-sso", "aws_auth_refresh": COMMANDS[0]},
    {**VALID, "auth": "api-key", "api_key_store": "file", "cache_ttl": "1h"},
    {**VALID, "auth": "api-key", "api_key_store": "command", "api_key_command": COMMANDS[1]},
    {**VALID, **GATEWAY, "gateway_signs": True, "models": {"opus": "claude-opus-4-8"}},
    {**VALID, **GATEWAY, "gateway_token_store": "keyring"},
    {**VALID, **GATEWAY, "gateway_token_store": "command", "gateway_token_command": COMMANDS[0]},
]
one_change = st.sampled_from(sorted(FIELDS)).flatmap(lambda f: FIELDS[f].map(lambda v: (f, v)))
near_valid = st.builds(
    lambda base, changes: {**base, **dict(changes)},
    st.sampled_from(BASES),
    st.lists(one_change, max_size=2),
)
profile_data = st.one_of(near_valid, st.fixed_dictionaries(FIELDS))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(profile_data)
@example({**VALID, "aws_profile": None, "models": None})
@example({**VALID, "auth": "api-key", "api_key_store": "file"})
@example({**VALID, "auth": "api-key", "api_key_store": "command", "api_key_command": "pass x"})
@example({**VALID, "gateway_signs": True, "base_url": "https://gw.example.com"})
@example({**VALID, "gateway_token_store": "file", "base_url": "http://localhost:1"})
def test_model_and_schema_accept_and_reject_the_same(data: dict[str, Any]) -> None:
    data = {k: v for k, v in data.items() if v is not None or k in VALID}
    assert _via_model(data) == _via_schema(data)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("aws_auth_refresh", ""),  # an empty *_command is refused by the store/command rule
        *[
            (field, value)
            for field in ("aws_auth_refresh", "api_key_command", "gateway_token_command")
            for value in (" pass show x", "pass show x ", "pass\nshow", "a\tb")
        ],
    ],
)
def test_model_refuses_the_commands_the_schema_refuses(field: str, value: str) -> None:
    data: dict[str, Any] = {**VALID, field: value}
    if field == "api_key_command":
        data.update(auth="api-key", api_key_store="command")
    if field == "gateway_token_command":
        data.update(gateway_token_store="command", base_url="https://gw.example.com")
    assert _via_schema(data) is None
    with pytest.raises(ValidationError):
        ProfileModel.model_validate(data)


@pytest.mark.parametrize(
    "change",
    [
        {"gateway_signs": "false"},
        {"gateway_signs": 0},
        {"workspace_id": WS.encode()},
        {"region": b"us-east-1"},
    ],
)
def test_model_does_not_coerce_what_the_schema_refuses(change: dict[str, Any]) -> None:
    data = {**VALID, **change}
    assert _via_schema(data) is None
    assert _via_model(data) is None


def test_runtime_literal_types_hold_the_schema_values() -> None:
    """schema.py's Literal types exist for the type checker only (the export path does not
    import typing); models.py's run-time copies must hold exactly the schema's values."""
    from typing import get_args

    from profiles.core import models, schema

    assert get_args(models.AuthKind) == schema.AUTH_KINDS
    assert get_args(models.CacheTTL) == schema.CACHE_TTLS
    assert get_args(models.SecretStore) == schema.SECRET_STORES


def test_a_base_url_with_credentials_is_refused_without_echoing_them() -> None:
    with pytest.raises(ValueError, match="must not carry credentials") as err:
        check_base_url("https://bob:hunter2pass@gw.example.com")
    assert "hunter2pass" not in str(err.value)
