"""Safe text: what may leave the process, made safe to show, print, log or store.

Two jobs, one module, because every printer needs both:

- `Redactor(secrets)` replaces every occurrence of a secret with its mask (`envplan.mask`). It
  catches the value as sent (also inside `Bearer <token>`), the value JSON-escaped,
  URL-encoded (`%2F`, `+`), base64-encoded (standard and URL-safe alphabets, padded or not),
  and any echoed fragment of 12 characters or more of a secret of 16 or more (a server that
  truncates or splits what it quotes). Secrets under 6 characters are not searched for: they
  would mangle ordinary text, and are not secrets worth the name.
- `escape_controls(text)` shows control characters as escapes: C0 (except newline and tab
  when `multiline`), DEL, C1 (U+0080-U+009F) and the bidi controls (U+200E/F, U+061C,
  U+202A-U+202E, U+2066-U+2069). ESC becomes `\\x1b`, U+202E becomes `\\u202e`: a terminal
  never sees an escape sequence, and a right-to-left override cannot disguise a command.

`remember(*secrets)` adds secrets to a process-wide registry as they are resolved; `safe()`
applies it with the escaping, and is what the CLI's writers, the state file and the TUI's
notifications use as a last line, so a secret a result forgot to redact is still caught.

Standard library only, and cheap to import (the export path's error printer uses it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from profiles.core.envplan import mask

TYPE_CHECKING = False  # not typing's: the export path's error printer imports this module
if TYPE_CHECKING:
    from typing import Any

MIN_SECRET = 6  # shorter values are not searched for (see the module docstring)
FRAGMENT = 12  # an echoed run of this many characters of a secret counts as the secret
_FRAGMENT_MIN_SECRET = 16  # ... for secrets at least this long (mask's own threshold)
# `sk-ant-api03-` and the like are the same in every key: not a fragment of any one of them.
_PUBLIC_PREFIX = re.compile(r"sk-ant-[a-z]+\d*-")

_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


@cache
def _controls(multiline: bool) -> re.Pattern[str]:
    # Compiled on first use: this module is imported on the export path's error printer.
    keep = "\x00-\x08\x0b-\x1f" if multiline else "\x00-\x1f"
    return re.compile(f"[{keep}\x7f-\x9f{_BIDI}]")


def _escape_one(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_controls(text: str, *, multiline: bool = True) -> str:
    """`text` with every control character shown as an escape (newline and tab kept when
    `multiline`); ordinary text, including non-ASCII letters, is unchanged."""
    return _controls(multiline).sub(_escape_one, text)


def has_controls(text: str) -> bool:
    """True when `text` holds a character `escape_controls` would escape (newline and tab
    included)."""
    return _controls(False).search(text) is not None


def _forms(secret: str) -> set[str]:
    """The ways a server or a library may quote `secret` back."""
    import base64
    import json
    from urllib.parse import quote, quote_plus

    raw = secret.encode("utf-8", "surrogatepass")
    forms = {
        secret,
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=False)[1:-1],
        json.dumps(secret)[1:-1].replace("/", "\\/"),
        quote(secret, safe=""),
        quote_plus(secret, safe=""),
        quote(secret),  # `/` left as it is, as in a path
    }
    for encoded in (base64.b64encode(raw), base64.urlsafe_b64encode(raw)):
        text = encoded.decode("ascii")
        forms.update({text, text.rstrip("=")})
    return {f for f in forms if len(f) >= MIN_SECRET}


class Redactor:
    """Replaces the given secrets, in every form `_forms` knows, with their masks.

    Built once where the secrets are resolved and applied where results are produced. Secrets
    can be added later (`add`), e.g. AWS credentials resolved after the API key. Thread-safe.
    """

    def __init__(self, secrets: Iterable[str | None] = ()) -> None:
        import threading

        self._lock = threading.Lock()
        self._secrets: set[str] = set()
        # (pattern of every form, form -> mask, fragment -> its secret), rebuilt on first use
        # after an `add`: remembering a secret on the export path costs nothing.
        self._compiled: tuple[re.Pattern[str], dict[str, str], dict[str, str]] | None = None
        self.add(*secrets)

    def __bool__(self) -> bool:
        return bool(self._secrets)

    def add(self, *secrets: str | None) -> Redactor:
        """Also redact these (None and short values are ignored); returns self."""
        new = {s for s in secrets if isinstance(s, str) and len(s) >= MIN_SECRET}
        with self._lock:
            if not new <= self._secrets:
                self._secrets |= new
                self._compiled = None
        return self

    def _compile(self) -> tuple[re.Pattern[str], dict[str, str], dict[str, str]] | None:
        with self._lock:
            if self._compiled is not None or not self._secrets:
                return self._compiled
            masks: dict[str, str] = {}
            windows: dict[str, str] = {}
            for secret in self._secrets:
                for form in _forms(secret):
                    masks.setdefault(form, mask(secret))
                if len(secret) >= _FRAGMENT_MIN_SECRET:
                    public = _PUBLIC_PREFIX.match(secret)
                    for i in range(len(secret) - FRAGMENT + 1):
                        if public and i + FRAGMENT <= public.end():
                            continue
                        windows.setdefault(secret[i : i + FRAGMENT], secret)
            # Longest first, so a secret's base64 form is not half-replaced by another's.
            ordered = sorted(masks, key=len, reverse=True)
            self._compiled = (re.compile("|".join(map(re.escape, ordered))), masks, windows)
            return self._compiled

    def __call__(self, text: str) -> str:
        """`text` with every secret replaced by its mask."""
        if not text or not self._secrets:
            return text
        compiled = self._compile()
        if compiled is None:
            return text
        pattern, masks, windows = compiled
        text = pattern.sub(lambda m: masks[m.group()], text)
        return _redact_fragments(text, windows) if windows else text

    def scrub(self, value: Any) -> Any:
        """A copy of a JSON-like value (dicts, lists, strings) with every string redacted."""
        if isinstance(value, str):
            return self(value)
        if isinstance(value, dict):
            return {self.scrub(k): self.scrub(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self.scrub(v) for v in value]
        return value


def _redact_fragments(text: str, windows: dict[str, str]) -> str:
    """Replace every maximal run of text that is a piece (of at least FRAGMENT characters)
    of one secret with that secret's mask."""
    out: list[str] = []
    i = last = 0
    n = len(text)
    while i <= n - FRAGMENT:
        secret = windows.get(text[i : i + FRAGMENT])
        if secret is None:
            i += 1
            continue
        start, end = i, i + FRAGMENT
        while start > last and text[start - 1 : end] in secret:
            start -= 1  # back over a public prefix (`sk-ant-api03-`) that had no window
        while end < n and text[start : end + 1] in secret:
            end += 1
        out.append(text[last:start])
        out.append(mask(secret))
        i = last = end
    out.append(text[last:])
    return "".join(out)


# --- the process-wide registry: the last line ------------------------------------------------

_known: Redactor | None = None


def remember(*secrets: str | None) -> None:
    """Register secrets this process has resolved, so every `safe()` text redacts them."""
    if any(secrets):  # a profile without secrets (the export path) builds no Redactor
        known().add(*secrets)


def known() -> Redactor:
    """The redactor of every secret `remember`ed so far."""
    global _known
    if _known is None:
        _known = Redactor()
    return _known


def safe(text: str, redactor: Redactor | None = None, *, multiline: bool = True) -> str:
    """`text` fit to show a person: secrets (the given redactor's and every remembered one)
    masked, then control characters escaped."""
    if redactor is not None:
        text = redactor(text)
    if _known is not None:
        text = _known(text)
    return escape_controls(text, multiline=multiline)


def safe_json(value: Any, redactor: Redactor | None = None, **kw: Any) -> str:
    """`json.dumps` of `value` with secrets masked in every string and every non-ASCII
    character escaped (so C1 and bidi controls reach a terminal as `\\u...`)."""
    import json

    if redactor is not None:
        value = redactor.scrub(value)
    if _known is not None:
        value = _known.scrub(value)
    return json.dumps(value, ensure_ascii=True, **kw)
