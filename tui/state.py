"""The wizard's working state: a profile being made or edited, anything possibly still unset.

Frozen; every step returns an updated copy (`model_copy(update=...)`), and the app keeps the
latest. Turning it into a saved profile goes through the core's pydantic `ProfileModel`, so the
field rules are the core's, never re-implemented here.

A stdlib dataclass rather than a pydantic model (the house style's default): the wizard opens
on the first frame, and importing pydantic there cost ~100 ms, a third of a minimal Textual
app's start. pydantic is imported when a draft becomes a profile, long after the first frame.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from profiles.core.schema import Profile

if TYPE_CHECKING:
    from pydantic import SecretStr

    from profiles.core.deadline import Deadline
    from profiles.core.schema import AuthKind, CacheTTL, SecretStore


@dataclass(frozen=True, kw_only=True)
class Draft:
    """A profile in the making."""

    original_name: str | None = None
    """When editing: the saved profile's name (None for a new profile)."""
    name: str = ""
    """The name it will be saved under."""
    auth: AuthKind | None = None
    """sigv4 or api-key; None until the first step is done."""
    aws_profile: str | None = None
    """SigV4: the AWS profile; None means the default credential chain."""
    aws_profile_kind: str | None = None
    """The discovered kind of that AWS profile (sso, static, ...), to prefill awsAuthRefresh."""
    api_key: SecretStr | None = None
    """A key typed in this session; None keeps the stored one when editing."""
    api_key_store: SecretStore = "file"
    """Where the key is kept (an edited profile keeps its store)."""
    api_key_command: str | None = None
    """The key's command, for profiles that store one (kept as it was)."""
    workspace_id: str = ""
    """wrkspc_... of the workspace."""
    region: str = ""
    """The workspace's region."""
    base_url: str = ""
    """Endpoint override; empty for the default."""
    gateway_signs: bool = False
    """A gateway signs requests (Claude Code sends them unsigned)."""
    gateway_token: SecretStr | None = None
    """A gateway token typed in this session."""
    gateway_token_store: SecretStore | None = None
    """Where the gateway token is kept; None when there is none."""
    gateway_token_command: str | None = None
    """The token's command, for profiles that store one."""
    models: dict[str, str] = field(default_factory=dict)
    """Pins: alias -> model ID."""
    cache_ttl: CacheTTL = "5m"
    """5m or 1h."""
    aws_auth_refresh: str = ""
    """Claude Code's awsAuthRefresh command; empty for none."""
    make_current: bool = True
    """Make the saved profile the current one."""
    replace_existing: bool = False
    """The user confirmed that saving replaces another saved profile of the same name."""
    settings_scope: str | None = None
    settings_credentials: Literal["isolated", "env"] = "isolated"
    """Also write the saved profile into this Claude Code settings scope (user/local/project)."""
    checked: tuple[bool, str] | None = None
    """The wizard's last validation (passed, one-line summary), recorded on save."""

    def model_copy(self, *, update: dict[str, Any]) -> Draft:
        """A copy with `update` applied (pydantic's spelling, so steps read the same)."""
        return dataclasses.replace(self, **update)

    @classmethod
    def from_profile(cls, profile: Profile, *, copy: bool = False) -> Draft:
        """A draft to edit `profile` (or, with `copy`, to duplicate it under a new name)."""
        return cls(
            original_name=None if copy else profile.name,
            name=f"{profile.name}-copy" if copy else profile.name,
            auth=profile.auth,
            aws_profile=profile.aws_profile,
            api_key_store=profile.api_key_store or "file",
            api_key_command=profile.api_key_command,
            workspace_id=profile.workspace_id,
            region=profile.region,
            base_url=profile.base_url or "",
            gateway_signs=profile.gateway_signs,
            gateway_token_store=profile.gateway_token_store,
            gateway_token_command=profile.gateway_token_command,
            models=dict(profile.models),
            cache_ttl=profile.cache_ttl,
            aws_auth_refresh=profile.aws_auth_refresh or "",
            make_current=False,
        )

    def profile_data(self, name: str | None = None) -> dict[str, Any]:
        key_store = self.api_key_store if self.auth == "api-key" else None
        token_store = self.gateway_token_store
        if self.gateway_token is not None and token_store is None:
            token_store = "file"
        return {
            "name": name if name is not None else self.name,
            "auth": self.auth,
            "workspace_id": self.workspace_id,
            "region": self.region,
            "aws_profile": self.aws_profile if self.auth == "sigv4" else None,
            "base_url": self.base_url or None,
            "gateway_signs": self.gateway_signs if self.auth == "sigv4" else False,
            "api_key_store": key_store,
            "api_key_command": self.api_key_command if key_store == "command" else None,
            "gateway_token_store": token_store,
            "gateway_token_command": (
                self.gateway_token_command if token_store == "command" else None
            ),
            "models": {a: m for a, m in self.models.items() if m},
            "cache_ttl": self.cache_ttl,
            "aws_auth_refresh": self.aws_auth_refresh or None,
        }

    def to_profile(self, name: str | None = None) -> Profile:
        """The profile this draft describes; ValueError (one line) if it is not valid yet."""
        from pydantic import ValidationError

        from profiles.core.models import ProfileModel, first_error

        try:
            return ProfileModel.model_validate(self.profile_data(name)).to_profile()
        except ValidationError as exc:
            raise ValueError(first_error(exc)) from None

    def secrets(self) -> dict[str, str]:
        """Secrets typed in this session (to store and to validate with)."""
        out: dict[str, str] = {}
        if self.auth == "api-key" and self.api_key is not None:
            out["api_key"] = self.api_key.get_secret_value()
        if self.gateway_token is not None:
            out["gateway_token"] = self.gateway_token.get_secret_value()
        return out


def draft_secrets(
    draft: Draft, profile: Profile, *, timeout: float | Deadline = 60.0
) -> dict[str, str]:
    """The secrets to check a draft with: typed now, else the edited profile's stored ones.

    Blocking (keyring, secret commands): call it from a worker. Raises SecretError.
    `timeout` bounds the secret commands: seconds, or the check's whole-call deadline.
    """
    from profiles.usecases.validate import secrets_to_check

    return secrets_to_check(profile, draft.secrets(), draft.original_name, timeout=timeout)
