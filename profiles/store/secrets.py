"""Where API keys and gateway tokens live: never in profiles.toml.

Three stores, chosen per secret:
- `file`: secrets.toml beside profiles.toml, mode 0600 (the trust model of ~/.aws/credentials);
- `keyring`: the OS keyring through the `keyring` package (opt-in extra);
- `command`: a command (e.g. a password manager's CLI) run at export time; its stdout is the
  secret and only the command is stored.

Error messages here never contain a secret or a command's output.
"""

from __future__ import annotations

from profiles.core.deadline import Deadline

TYPE_CHECKING = False  # not typing's: this is the export path
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from profiles.core.schema import Profile

KEYRING_SERVICE = "cc-aws-tui"
COMMAND_TIMEOUT = 60.0

LABELS = {"api_key": "API key", "gateway_token": "gateway token"}


class SecretError(Exception):
    """A secret that cannot be had; the message says what to do, never what the secret is."""


def _keyring() -> Any:
    try:
        import keyring
    except ImportError:
        raise SecretError(
            "the keyring store needs the keyring package: pip install 'cc-aws-tui[keyring]'"
        ) from None
    return keyring


def keyring_unusable() -> str | None:
    """Why the keyring store cannot be used on this machine, or None when it can: the
    keyring package is missing, or it found no backend (no Secret Service, no Keychain)."""
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return "the keyring package is not installed (pip install 'cc-aws-tui[keyring]')"
    try:
        backend = keyring.get_keyring()
    except Exception as exc:  # keyring backends raise their own types
        return f"the keyring failed ({type(exc).__name__})"
    if isinstance(backend, fail.Keyring):
        return "no keyring backend is available on this system"
    return None


def keyring_user(profile: str, kind: str) -> str:
    return f"{profile}:{kind}"


def resolve(
    profile: Profile,
    kind: str,
    file_secrets: Mapping[str, Any] | None = None,
    *,
    timeout: float | Deadline = COMMAND_TIMEOUT,
) -> str:
    """The value of one of `profile`'s secrets. `file_secrets` is secrets.toml, if read.

    Whatever the store, the value is checked as a value (one line, no control characters, a
    key shaped like a key): a hand-edited file or a keyring entry is input like any other.
    `timeout` bounds a secret command: seconds, or the caller's whole-call `Deadline`.
    """
    label = f"profile {profile.name!r}: its {LABELS[kind]}"
    value = _fetch(profile, kind, label, file_secrets, timeout)
    return _checked(kind, label, value, profile.name)


def stored_secret(name: str | None, kind: str, store: str | None = None) -> str | None:
    """The secret `kind` kept for the saved profile `name` when it lives in the file or the
    keyring (and, given `store`, in that one); None when there is no such profile or secret
    there. A command is never run here: it may prompt. Raises SecretError, or ConfigError
    when profiles.toml cannot be read."""
    if name is None:
        return None
    from profiles.store.files import read_doc

    saved = read_doc().profiles.get(name)
    if saved is None or saved.secret_store(kind) not in ("file", "keyring"):
        return None
    if store is not None and saved.secret_store(kind) != store:
        return None
    return resolve(saved, kind)


def _checked(kind: str, label: str, value: str, name: str) -> str:
    from profiles.core.rules import check_api_key, check_token

    try:
        return check_api_key(value) if kind == "api_key" else check_token(value)
    except ValueError as exc:  # the checks' messages never quote the value
        raise SecretError(
            f"{label} is not usable: {exc}; store it again with `cc-aws-tui add {name} ... --force`"
        ) from None


def _fetch(
    profile: Profile,
    kind: str,
    label: str,
    file_secrets: Mapping[str, Any] | None,
    timeout: float | Deadline,
) -> str:
    store = profile.secret_store(kind)
    if store == "file":
        if file_secrets is None:
            from profiles.store.files import read_secrets

            file_secrets = read_secrets()
        value = (file_secrets.get(profile.name) or {}).get(kind)
        if not isinstance(value, str) or not value:
            raise SecretError(
                f"{label} is missing from secrets.toml;"
                f" store it again with `cc-aws-tui add {profile.name} ... --force`"
            )
        return value
    if store == "keyring":
        kr = _keyring()
        try:
            value = kr.get_password(KEYRING_SERVICE, keyring_user(profile.name, kind))
        except Exception as exc:  # keyring backends raise their own types
            raise SecretError(f"{label}: the keyring failed ({type(exc).__name__})") from None
        if not value:
            raise SecretError(
                f"{label} is not in the keyring (service {KEYRING_SERVICE!r});"
                f" store it again with `cc-aws-tui add {profile.name} ... --force`"
            )
        return str(value)
    if store == "command":
        return run_command(profile.secret_command(kind) or "", label, timeout=timeout)
    raise SecretError(f"{label} is not configured")


def run_command(command: str, label: str, *, timeout: float | Deadline = COMMAND_TIMEOUT) -> str:
    """Run a secret command through the shell; its trimmed stdout is the secret.

    The command runs in a process group of its own: past the deadline the whole group is
    killed (a password manager's helpers too) and nothing is left running.
    """
    from profiles.core import proc as child
    from profiles.core.deadline import DeadlineExceeded

    deadline = Deadline.of(timeout)
    try:
        proc = child.run(command, deadline, shell=True)
    except DeadlineExceeded:
        raise SecretError(f"{label}: its command took over {deadline.seconds:g}s") from None
    except OSError as exc:
        raise SecretError(f"{label}: its command could not start ({exc.strerror})") from None
    if proc.returncode != 0:
        # stderr of a password manager says why (locked, not signed in); stdout might be
        # the secret, so it is never shown.
        reason = next((ln.strip() for ln in proc.stderr.splitlines() if ln.strip()), "")
        reason = f": {reason[:200]}" if reason else ""
        raise SecretError(f"{label}: its command failed (exit {proc.returncode}){reason}")
    value = proc.stdout.strip()
    if not value or "\n" in value:
        raise SecretError(f"{label}: its command must print the secret alone on one line")
    return value


def resolve_all(profile: Profile, *, timeout: float | Deadline = COMMAND_TIMEOUT) -> dict[str, str]:
    """Every secret the profile needs, reading secrets.toml at most once; all of its commands
    share one deadline."""
    timeout = Deadline.of(timeout)
    file_secrets = None
    if any(profile.secret_store(k) == "file" for k in profile.secret_kinds()):
        from profiles.store.files import read_secrets

        file_secrets = read_secrets()
    found = {k: resolve(profile, k, file_secrets, timeout=timeout) for k in profile.secret_kinds()}
    from profiles.core.redact import remember  # every later error, note or result masks them

    remember(*found.values())
    return found


def keyring_set(profile: str, kind: str, value: str) -> None:
    kr = _keyring()
    try:
        kr.set_password(KEYRING_SERVICE, keyring_user(profile, kind), value)
    except Exception as exc:
        raise SecretError(
            f"could not save the {LABELS[kind]} in the keyring ({type(exc).__name__});"
            " use --secret-store file instead"
        ) from None


def keyring_delete(profile: str, kind: str) -> None:
    """Best effort: a missing entry is fine (it is what we wanted)."""
    try:
        kr = _keyring()
        kr.delete_password(KEYRING_SERVICE, keyring_user(profile, kind))
    except Exception:  # nothing to delete, or no keyring: either way it is gone
        pass


def keyring_get(profile: str, kind: str) -> str | None:
    """The stored value, None when there is none; SecretError when the keyring fails (a
    rename must not go on and leave the key behind)."""
    kr = _keyring()
    try:
        value = kr.get_password(KEYRING_SERVICE, keyring_user(profile, kind))
    except Exception as exc:
        raise SecretError(
            f"profile {profile!r}: the keyring failed ({type(exc).__name__}); nothing changed"
        ) from None
    return str(value) if value else None
