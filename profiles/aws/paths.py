"""Where the AWS CLI and botocore keep their files: the shared config and credentials files
and the SSO token cache, with botocore's environment overrides (read on each call).

The `*_str` forms give plain strings without importing `pathlib`, for the warm path of
`cc-aws-tui credentials` (it only stats these files); everything else uses the `Path` forms.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # not typing's: the warm `credentials` path imports this module
if TYPE_CHECKING:
    from pathlib import Path

CONFIG_FILE_ENV = "AWS_CONFIG_FILE"
CREDENTIALS_FILE_ENV = "AWS_SHARED_CREDENTIALS_FILE"


def _env_or_default(env_name: str, default: str) -> str:
    # botocore uses the variable whenever it is set, even to "", then expands vars and "~".
    raw = os.environ.get(env_name, default)
    return os.path.expanduser(os.path.expandvars(raw))


def config_path_str() -> str:
    """`default_config_path()` as a string."""
    return _env_or_default(CONFIG_FILE_ENV, os.path.join("~", ".aws", "config"))


def credentials_path_str() -> str:
    """`default_credentials_path()` as a string."""
    return _env_or_default(CREDENTIALS_FILE_ENV, os.path.join("~", ".aws", "credentials"))


def default_config_path() -> Path:
    """`$AWS_CONFIG_FILE`, else `~/.aws/config` (read from the environment on each call)."""
    from pathlib import Path

    return Path(config_path_str())


def default_credentials_path() -> Path:
    """`$AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/credentials`."""
    from pathlib import Path

    return Path(credentials_path_str())


def default_sso_cache_dir() -> Path:
    """Where the AWS CLI / botocore cache SSO tokens: `~/.aws/sso/cache` (not configurable)."""
    from pathlib import Path

    return Path(os.path.expanduser(os.path.join("~", ".aws", "sso", "cache")))


def resolve(path: Path | None, default: Path) -> Path:
    """`path` with variables and `~` expanded as botocore does, or `default` when None."""
    if path is None:
        return default
    from pathlib import Path

    return Path(os.path.expanduser(os.path.expandvars(os.fspath(path))))
