"""The rules for each field of a profile: each check returns the normalised value or raises
ValueError with one line that never quotes a secret. schema.py builds profiles with them, the
pydantic models in models.py and the TUI's input validators reuse them (one source of truth).

Standard library only (the export path): `ipaddress` and `urllib.parse` load only when a base
URL is checked.
"""

from __future__ import annotations

import re

_NAME_RE = re.compile(r"[A-Za-z0-9_.][A-Za-z0-9_.-]{0,63}")
_WORKSPACE_RE = re.compile(r"wrkspc_[A-Za-z0-9]{1,57}")
# Partition prefixes seen in practice: us-gov, us-iso, us-isob, cn, eu, ap, ... + a number.
_REGION_RE = re.compile(r"[a-z]{2}(?:-(?:gov|iso[a-z]?))?-[a-z]+-[0-9]{1,2}")
_MODEL_RE = re.compile(r"claude-[a-z0-9.-]+")
# C0, DEL, C1, and the Unicode controls that reorder or hide text on screen (bidi embeddings,
# overrides and isolates, the marks): a stored field that holds one can make a note such as
# "Claude Code will run this: ..." show something other than what will run.
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# In the unquoted `eval $(cc-aws-tui export)` the shell globs each word of the output against
# the working directory before eval runs, quotes or not: a crafted file name then becomes
# code. These have no business in an exported value: the glob characters and bash's extglob
# forms (on in many interactive shells through bash-completion).
_GLOB_RE = re.compile(r"[*?\[]|[!@+]\(")


# --- field rules (each returns the normalised value or raises ValueError) -----------------


def has_control(value: str) -> bool:
    """True when `value` holds a control character or a bidi/invisible formatting control."""
    return _CONTROL_RE.search(value) is not None


def has_glob(value: str) -> bool:
    """True when the unquoted `eval $(...)` would glob `value` (see `_GLOB_RE`)."""
    return _GLOB_RE.search(value) is not None


def _no_glob(value: str, what: str) -> None:
    if has_glob(value):
        raise ValueError(
            f"{what} must not contain * ? [ or !( @( +(: the shell would expand them"
            " against file names in `eval $(cc-aws-tui export)`"
        )


def check_name(value: str) -> str:
    if not isinstance(value, str) or not _NAME_RE.fullmatch(value):
        raise ValueError(
            f"{value!r} is not a valid profile name: use 1-64 letters, digits, '-', '_' or '.',"
            " not starting with '-'"
        )
    return value


def check_workspace_id(value: str) -> str:
    if not isinstance(value, str) or not _WORKSPACE_RE.fullmatch(value):
        raise ValueError(
            f"{value!r} is not a workspace ID: it looks like wrkspc_01AbCdEf23GhIj"
            " (copy it from AWS Console → Claude Platform on AWS → Workspaces)"
        )
    return value


def check_region(value: str) -> str:
    if not isinstance(value, str) or not _REGION_RE.fullmatch(value):
        raise ValueError(f"{value!r} is not an AWS region name (like us-east-1 or eu-west-3)")
    return value


def check_model_id(value: str) -> str:
    if not isinstance(value, str) or not _MODEL_RE.fullmatch(value):
        raise ValueError(f"{value!r} is not a Claude model ID (like claude-sonnet-4-6)")
    return value


def check_one_line(value: str, what: str) -> str:
    """A free-text setting (AWS profile name, a command): non-empty, one line, no padding."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{what} must not be empty")
    if _CONTROL_RE.search(value):
        raise ValueError(
            f"{what} must be a single line without control characters (nor text-direction ones)"
        )
    if value != value.strip():
        raise ValueError(f"{what} must not start or end with spaces")
    return value


def check_aws_profile(value: str) -> str:
    check_one_line(value, "the AWS profile name")
    if "[" in value or "]" in value:
        raise ValueError(f"{value!r} is not an AWS profile name (no brackets)")
    _no_glob(value, "the AWS profile name")
    return value


def is_loopback_host(host: str) -> bool:
    if host == "localhost":
        return True
    import ipaddress  # only a plain-http base URL needs it

    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_base_url(value: str) -> str:
    """https only (http allowed for loopback, e.g. a local gateway); no credentials in it."""
    if isinstance(value, str) and "@" in value:
        # Checked first and never echoed: user:password@host would put a secret in the error.
        raise ValueError("the base URL must not carry credentials; use a gateway token instead")
    if not isinstance(value, str) or _CONTROL_RE.search(value) or " " in value:
        raise ValueError("that is not a URL: it has spaces or control characters")
    from urllib.parse import urlsplit  # only profiles with a base URL pay for it

    try:
        parts = urlsplit(value)
        port = parts.port  # raises on a malformed port
    except ValueError:
        raise ValueError(f"{value!r} is not a URL") from None
    del port
    host = parts.hostname or ""
    if parts.scheme not in ("https", "http") or not host:
        raise ValueError(f"{value!r} is not a URL: it must look like https://gateway.example.com")
    if parts.scheme == "http" and not is_loopback_host(host):
        raise ValueError(
            f"{value!r} uses plain http: use https (http is only allowed for localhost)"
        )
    if parts.username is not None or parts.password is not None:
        raise ValueError("the base URL must not carry credentials; use a gateway token instead")
    if parts.query or parts.fragment:
        raise ValueError(f"{value!r} must not have a query string or fragment")
    _no_glob(value, "the base URL")
    return value.rstrip("/")


def check_api_key(value: str) -> str:
    """The shape of a workspace API key. Content beyond that is the server's business."""
    value = value.strip() if isinstance(value, str) else value
    if not isinstance(value, str) or not value:
        raise ValueError("the API key is empty")
    if _CONTROL_RE.search(value) or any(c.isspace() for c in value):
        raise ValueError("the API key must be one word without spaces or control characters")
    if not value.startswith("sk-ant-"):
        raise ValueError(
            "that does not look like a workspace API key (they start with sk-ant-);"
            " copy it from AWS Console → Claude Platform on AWS → API keys"
        )
    return value


def check_token(value: str) -> str:
    """A gateway token: opaque, but one line (it travels in an HTTP header)."""
    value = value.strip() if isinstance(value, str) else value
    if not isinstance(value, str) or not value:
        raise ValueError("the gateway token is empty")
    if _CONTROL_RE.search(value):
        raise ValueError("the gateway token must be a single line without control characters")
    return value


def default_base_url(region: str) -> str:
    return f"https://aws-external-anthropic.{region}.api.aws"
