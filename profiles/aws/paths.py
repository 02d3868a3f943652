"""Where the AWS tools keep their files: the shared config and credentials files and the SSO
token cache, with each SDK's environment overrides (read on each call).

botocore (the AWS CLI) and the AWS SDK for JavaScript v3 (Claude Code) find the files
differently: botocore expands `$VARS` and `~` in `AWS_CONFIG_FILE` and uses the variable even
when it is empty; the JavaScript SDK (`@smithy/core/config`: `getConfigFilepath`,
`loadSharedConfigFiles`) ignores an empty variable, expands only a leading `~/`, and takes the
home directory from `HOME`, then `USERPROFILE`, then `HOMEDRIVE` + `HOMEPATH`, then the OS.

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
PROFILE_ENV = "AWS_PROFILE"


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


# --- the JavaScript SDK's view (what Claude Code reads) -------------------------------------


def js_home() -> str:
    """The home directory as the JavaScript SDK finds it (`getHomeDir`)."""
    env = os.environ
    if env.get("HOME"):
        return env["HOME"]
    if env.get("USERPROFILE"):
        return env["USERPROFILE"]
    if env.get("HOMEPATH"):
        return env.get("HOMEDRIVE", "C:" + os.sep) + env["HOMEPATH"]
    return os.path.expanduser("~")  # HOME is unset: the password database, like os.homedir()


def _js_join(*parts: str) -> str:
    # Node's path.join: joined, then normalised ("a/../b" is "b"); "" is ".".
    return os.path.normpath(os.path.join(*parts)) if any(parts) else "."


def js_resolve(raw: str) -> Path:
    """A file path as `loadSharedConfigFiles` opens it: only a leading `~/` is expanded."""
    from pathlib import Path

    if raw.startswith("~/"):
        raw = _js_join(js_home(), raw[2:])
    return Path(raw)


def js_config_path() -> Path:
    """`$AWS_CONFIG_FILE` unless empty, else `<home>/.aws/config`, as Claude Code reads it."""
    given = os.environ.get(CONFIG_FILE_ENV) or _js_join(js_home(), ".aws", "config")
    return js_resolve(given)


def js_credentials_path() -> Path:
    """`$AWS_SHARED_CREDENTIALS_FILE` unless empty, else `<home>/.aws/credentials`."""
    given = os.environ.get(CREDENTIALS_FILE_ENV) or _js_join(js_home(), ".aws", "credentials")
    return js_resolve(given)


def js_profile_name() -> str:
    """The profile the JavaScript SDK uses when none is given: `$AWS_PROFILE`, else default."""
    return os.environ.get(PROFILE_ENV) or "default"
