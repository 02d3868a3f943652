"""profiles.core.redact: secrets masked in every form we claim to catch, controls escaped, and the
process-wide registry that the CLI's writers apply as a last line."""

from __future__ import annotations

import base64
import json
from urllib.parse import quote, quote_plus

import pytest

from profiles.core import redact
from profiles.core.envplan import mask
from profiles.core.redact import Redactor, escape_controls, safe, safe_json

KEY = "sk-ant-api03-Zq9xW4vB7nM2kL5pR8tY1uI3oA6sD0fG-abcd"
TOKEN = "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQ+D/tok="
OTHER = "sk-ant-api03-another-key-that-is-not-ours-zz99"


@pytest.fixture(autouse=True)
def fresh_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(redact, "_known", None)


@pytest.mark.parametrize(
    "echo",
    [
        KEY,
        f"Bearer {KEY}",
        json.dumps(KEY)[1:-1],
        quote(KEY, safe=""),
        quote_plus(KEY),
        base64.b64encode(KEY.encode()).decode(),
        base64.urlsafe_b64encode(KEY.encode()).decode().rstrip("="),
        KEY[:30],  # truncated by the server
        KEY[14:40],  # a piece from the middle
    ],
    ids=["exact", "bearer", "json", "url", "url-plus", "b64", "b64url", "prefix", "middle"],
)
def test_every_form_of_an_echoed_key_is_masked(echo: str) -> None:
    text = f'{{"error": "invalid x-api-key: {echo}"}}'
    out = Redactor([KEY])(text)
    assert echo not in out
    assert KEY[14:26] not in out  # no 12-character piece of the key is left
    assert mask(KEY) in out


@pytest.mark.parametrize(
    "echo",
    [TOKEN, json.dumps(TOKEN)[1:-1].replace("/", "\\/"), quote(TOKEN, safe=""), quote(TOKEN)],
    ids=["exact", "json-slashes", "url", "url-path"],
)
def test_a_session_token_with_slashes_and_plus_is_masked(echo: str) -> None:
    out = Redactor([TOKEN])(f"x-amz-security-token={echo}&more")
    assert echo not in out
    assert out == f"x-amz-security-token={mask(TOKEN)}&more"


def test_other_text_is_left_alone() -> None:
    r = Redactor([KEY, None, "", "short"])  # None, empty and short values are ignored
    text = f"key {OTHER} is not ours; sk-ant-api03- is every key's prefix; short is a word"
    assert r(text) == text


def test_secrets_added_later_are_masked_too() -> None:
    r = Redactor([KEY])
    assert r(TOKEN) == TOKEN
    r.add(TOKEN)
    assert r(f"{KEY} {TOKEN}") == f"{mask(KEY)} {mask(TOKEN)}"


def test_scrub_masks_every_string_of_a_json_value() -> None:
    value = {"data": [{"id": "m", "display_name": f"Model {KEY}"}], KEY: [1, None, True]}
    out = Redactor([KEY]).scrub(value)
    assert KEY not in json.dumps(out)
    assert out["data"][0] == {"id": "m", "display_name": f"Model {mask(KEY)}"}


def test_the_registry_is_applied_by_safe_and_safe_json() -> None:
    assert safe(f"echo {KEY}") == f"echo {KEY}"
    redact.remember(KEY)
    assert safe(f"echo {KEY}") == f"echo {mask(KEY)}"
    assert KEY not in safe_json({"a": [KEY]})


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b]0;pwned\x07", "\\x1b]0;pwned\\x07"),
        ("\x1b[2J", "\\x1b[2J"),
        ("a\x9b31mb", "a\\x9b31mb"),  # C1 CSI
        ("\x7f", "\\x7f"),
        ("\x00", "\\x00"),
        ("\r", "\\x0d"),
        ("evil\u202etxt.sh", "evil\\u202etxt.sh"),
        ("\u2066x\u2069", "\\u2066x\\u2069"),
        ("\u200e\u200f\u061c", "\\u200e\\u200f\\u061c"),
        ("Zürich — 東京", "Zürich — 東京"),  # letters and punctuation are not controls
    ],
)
def test_controls_are_escaped(raw: str, shown: str) -> None:
    assert escape_controls(raw) == shown


def test_newline_and_tab_are_kept_only_where_multi_line_is_meant() -> None:
    assert escape_controls("a\nb\tc") == "a\nb\tc"
    assert escape_controls("a\nb\tc", multiline=False) == "a\\x0ab\\x09c"


def test_escaping_is_idempotent() -> None:
    once = safe("\x1b[2J\u202e")
    assert safe(once) == once


def test_safe_json_escapes_c1_and_bidi() -> None:
    out = safe_json({"name": "a\u202eb\x85c\x1b"})
    assert out.isascii()
    assert json.loads(out) == {"name": "a\u202eb\x85c\x1b"}  # the data itself is intact
