"""Editing a tomlkit document so hand-written comments stay where they belong.

tomlkit files the comments and blank lines written above a `[header]` under the table before
it. So deleting, extending or renaming a table must move them, or a comment ends up heading the
wrong profile (or vanishes with the one deleted). A comment directly above a header belongs to
that header.

This reaches into tomlkit's containers (`body`, `_replace`), so tomlkit is pinned to the minor
version these functions are tested with (tests/store/test_files.py checks byte-exact round trips),
and every write is re-read and validated before it replaces the file.
"""

from __future__ import annotations

from typing import Any


def _is_header_table(item: Any) -> bool:
    from tomlkit.items import Table

    return isinstance(item, Table) and not item.is_super_table()


def _last_container(table: Any) -> Any:
    """The container rendered last for `table`: its own, or that of its last sub-table."""
    from tomlkit.items import Null, Table

    container = table.value
    while True:
        last = next((v for _, v in reversed(container.body) if not isinstance(v, Null)), None)
        if not isinstance(last, Table):
            return container
        container = last.value


def pop_trailing_trivia(table: Any) -> list[Any]:
    """Remove and return the comments and blank lines that end what `table` renders."""
    from tomlkit.items import Comment, Null, Table, Whitespace

    if not isinstance(table, Table):
        return []
    body = _last_container(table).body
    out: list[Any] = []
    while body and body[-1][0] is None and isinstance(body[-1][1], (Comment, Whitespace, Null)):
        item = body.pop()[1]
        if not isinstance(item, Null):
            out.append(item)
    out.reverse()
    return out


def append_trivia(table: Any, items: list[Any]) -> None:
    if items:
        container = _last_container(table)
        for item in items:
            container.add(item)


def _drop_heading_comments(body: list[Any], end: int) -> None:
    """Blank out the comment lines directly above position `end` (no blank line between)."""
    from tomlkit.items import Comment, Null

    for i in range(end - 1, -1, -1):
        key, item = body[i]
        if isinstance(item, Null):
            continue
        if key is not None or not isinstance(item, Comment):
            return
        body[i] = (None, Null())


def remove_keeping_comments(doc: Any, parent: Any, name: str) -> None:
    """`del parent[name]`; the comments heading the next table stay with it."""
    from tomlkit.items import Null, Table, Whitespace

    item = parent.get(name) if isinstance(parent, Table) else None
    if not _is_header_table(item):  # an inline table, a dotted key: nothing to carry over
        del parent[name]
        return
    body = parent.value.body
    idx = next(i for i, (k, v) in enumerate(body) if v is item)
    heading_next = pop_trailing_trivia(item)
    # The comments right above the removed header were about it: they go too.
    prev = next(((k, v) for k, v in reversed(body[:idx]) if not isinstance(v, Null)), None)
    if prev is not None and isinstance(prev[1], Table):
        container = _last_container(prev[1])
        _drop_heading_comments(container.body, len(container.body))
    elif prev is None and parent.is_super_table():
        at = next((i for i, (_, v) in enumerate(doc.body) if v is parent), None)
        if at is not None:
            _drop_heading_comments(doc.body, at)
    else:
        _drop_heading_comments(body, idx)
    del parent[name]
    following = next((v for _, v in body[idx + 1 :] if not isinstance(v, Null)), None)
    text = "".join(i.as_string() for i in heading_next).lstrip()
    if not text:
        return
    if following is not None and _is_header_table(following):
        following.trivia.indent = text + following.trivia.indent
        return
    if following is None:  # the end of the file: keep its closing comments there
        if prev is not None and isinstance(prev[1], Table):
            target = _last_container(prev[1])
        else:
            target = doc if parent.is_super_table() else parent.value
        last = next((v for _, v in reversed(target.body) if not isinstance(v, Null)), None)
        while (
            heading_next
            and isinstance(heading_next[0], Whitespace)
            and (last is None or isinstance(last, Whitespace))
        ):
            heading_next.pop(0)
        for trivia in heading_next:
            target.add(trivia)


def rename_in_place(parent: Any, old: str, new: str) -> bool:
    """Rename `parent[old]` where it stands, with its comments; False if that is not possible."""
    from tomlkit.items import Table

    if not isinstance(parent, Table) or not hasattr(parent.value, "_replace"):
        return False
    item = parent.value.item(old)
    if not isinstance(item, Table):
        return False
    trailing = pop_trailing_trivia(item)
    parent.value._replace(old, new, item)
    pop_trailing_trivia(item)  # a blank line tomlkit may add after a replaced table
    append_trivia(item, trailing)
    # Table keeps a plain-dict mirror of its children next to its container.
    dict.__delitem__(parent, old)
    dict.__setitem__(parent, new, item)
    item.invalidate_display_name()  # the header is rebuilt from the new key
    return True
