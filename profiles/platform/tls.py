"""Which certificate authorities the live checks trust: the ones Claude Code would.

Claude Code (Node) verifies TLS against its default roots plus the certificates in the file
named by `NODE_EXTRA_CA_CERTS`, which Node *adds* to them; a file it cannot load is skipped with
a warning and the defaults still apply. The checks do the same, with this system's store as the
default roots (the Mozilla bundle, the one Node ships, when the system has none), so a
gateway behind a private CA passes here exactly when Claude Code would accept it.

`AWS_CA_BUNDLE` is botocore's rule and stays with botocore's own calls (STS, SSO): Claude Code
does not read it for the platform endpoint. `Trust.description` says what was used, for
`validate` to show.
"""

from __future__ import annotations

import ssl
from collections.abc import Mapping
from dataclasses import dataclass

EXTRA_CA_VAR = "NODE_EXTRA_CA_CERTS"
MAX_BUNDLE = 16 * 1024 * 1024


@dataclass(frozen=True)
class Trust:
    context: ssl.SSLContext
    description: str  # e.g. "system store + NODE_EXTRA_CA_CERTS=/etc/corp-ca.pem"
    warning: str | None = None  # NODE_EXTRA_CA_CERTS set but not loaded, and why


def trust(environ: Mapping[str, str]) -> Trust:
    """A verifying client context: default roots plus `NODE_EXTRA_CA_CERTS` from `environ`."""
    context = ssl.create_default_context()
    paths = ssl.get_default_verify_paths()
    if paths.cafile or paths.capath:
        parts = ["system store"]
    else:  # no system store (e.g. python.org builds on macOS): the Mozilla roots Node ships
        from botocore.httpsession import get_cert_path

        context.load_verify_locations(cafile=get_cert_path(True))  # certifi, else botocore's
        parts = ["Mozilla roots"]
    extra = environ.get(EXTRA_CA_VAR, "")
    warning = None
    if extra:
        problem = _load_extra(context, extra)
        if problem is None:
            parts.append(f"{EXTRA_CA_VAR}={extra}")
        else:
            warning = (
                f"{EXTRA_CA_VAR}={extra} was not loaded ({problem});"
                " Claude Code skips it too, with a warning"
            )
    return Trust(context, " + ".join(parts), warning)


def _load_extra(context: ssl.SSLContext, path: str) -> str | None:
    """Add the PEM certificates in `path` to `context`; None, or why they were not added."""
    from profiles.store.fileread import UnreadableFile, read_regular

    try:
        data = read_regular(path, MAX_BUNDLE)
    except UnreadableFile as exc:
        return exc.why
    if data is None:
        return "no such file"
    try:
        context.load_verify_locations(cadata=data.decode("ascii"))
    except (UnicodeDecodeError, ssl.SSLError, ValueError):
        return "no PEM certificate in it"
    return None
