"""pydantic models for the write paths: `add`, imports, the TUI's drafts.

They validate with the very rules of `schema.py` (one source of truth) and hand back the plain
`schema.Profile` the rest of the core uses. Not imported on the export path (pydantic's import
alone costs several times a bare Python start).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator

from profiles.core import rules, schema
from profiles.core.schema import Profile

# The run-time forms of schema.py's type-checking-only Literal types (pydantic reads them);
# tests/test_models.py checks they hold exactly schema's AUTH_KINDS, CACHE_TTLS, SECRET_STORES.
AuthKind = Literal["sigv4", "api-key"]
CacheTTL = Literal["5m", "1h"]
SecretStore = Literal["file", "keyring", "command"]

ModelId = Annotated[str, AfterValidator(rules.check_model_id)]


def _one_line(what: str) -> AfterValidator:
    return AfterValidator(lambda v: rules.check_one_line(v, what))


class ModelPins(BaseModel):
    """What Claude Code's model aliases resolve to; an unset alias keeps Claude Code's default."""

    # strict: "false" is not False, 0 is not a string, as in the read-path rules.
    model_config = ConfigDict(
        extra="forbid", frozen=True, strict=True, use_attribute_docstrings=True
    )

    fable: ModelId | None = None
    """Model ID for the `fable` alias (ANTHROPIC_DEFAULT_FABLE_MODEL)."""
    opus: ModelId | None = None
    """Model ID for the `opus` alias (ANTHROPIC_DEFAULT_OPUS_MODEL)."""
    sonnet: ModelId | None = None
    """Model ID for the `sonnet` alias (ANTHROPIC_DEFAULT_SONNET_MODEL)."""
    haiku: ModelId | None = None
    """Model ID for the `haiku` alias (ANTHROPIC_DEFAULT_HAIKU_MODEL)."""


class ProfileModel(BaseModel):
    """A profile as entered by a person or a script, validated field by field."""

    # strict: "false" is not False, 0 is not a string, as in the read-path rules.
    model_config = ConfigDict(
        extra="forbid", frozen=True, strict=True, use_attribute_docstrings=True
    )

    name: Annotated[str, AfterValidator(rules.check_name)]
    """Profile name: 1-64 letters, digits, '-', '_' or '.'."""
    auth: AuthKind
    """`sigv4` (AWS credentials sign each request) or `api-key` (a workspace API key)."""
    workspace_id: Annotated[str, AfterValidator(rules.check_workspace_id)]
    """Claude Platform on AWS workspace, `wrkspc_...`; sent as `anthropic-workspace-id`."""
    region: Annotated[str, AfterValidator(rules.check_region)]
    """AWS region of the workspace; also the SigV4 signing region."""
    aws_profile: Annotated[str, AfterValidator(rules.check_aws_profile)] | None = None
    """SigV4 only: the AWS profile to sign with; none means the default credential chain."""
    base_url: Annotated[str, AfterValidator(rules.check_base_url)] | None = None
    """Endpoint override (a gateway); default https://aws-external-anthropic.{region}.api.aws."""
    gateway_signs: bool = False
    """SigV4 only: the gateway signs requests, so Claude Code sends them unsigned."""
    api_key_store: SecretStore | None = None
    """api-key only: where the key lives (file, keyring or command)."""
    api_key_command: Annotated[str, _one_line("api_key_command")] | None = None
    """With api_key_store = command: the command that prints the key."""
    gateway_token_store: SecretStore | None = None
    """Where the gateway token lives, if the gateway wants one (ANTHROPIC_AUTH_TOKEN)."""
    gateway_token_command: Annotated[str, _one_line("gateway_token_command")] | None = None
    """With gateway_token_store = command: the command that prints the token."""
    models: ModelPins = Field(default_factory=ModelPins)
    """Pinned model IDs for the fable/opus/sonnet/haiku aliases."""
    cache_ttl: CacheTTL = "5m"
    """Prompt-cache TTL: 5m (writes 1.25x base input) or 1h (writes 2x)."""
    aws_auth_refresh: Annotated[str, _one_line("the command")] | None = None
    """Command Claude Code re-runs when AWS credentials expire (awsAuthRefresh)."""

    @model_validator(mode="after")
    def _consistent(self) -> ProfileModel:
        # Cross-field rules live in schema.py; run them on the plain profile.
        try:
            schema.check_consistency(self._plain())
        except schema.SchemaError as exc:
            raise ValueError(str(exc)) from None
        return self

    def _plain(self) -> Profile:
        data = self.model_dump(exclude={"name", "models"})
        pins = {k: v for k, v in self.models.model_dump().items() if v}
        return Profile(name=self.name, models=pins, **data)

    def to_profile(self) -> Profile:
        """The validated plain profile (round-tripped through the read-path rules)."""
        plain = self._plain()
        return schema.profile_from_mapping(plain.name, plain.to_toml_dict())

    @classmethod
    def from_profile(cls, profile: Profile) -> ProfileModel:
        return cls.model_validate({"name": profile.name, **profile.to_toml_dict()})


def first_error(exc: ValidationError) -> str:
    """One line for a person: which field, what is wrong."""
    err = exc.errors()[0]
    loc = ".".join(str(p) for p in err["loc"])
    msg = str(err["msg"]).removeprefix("Value error, ")
    return f"{loc}: {msg}" if loc else msg
