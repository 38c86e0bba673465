"""Where a new record goes in a ledger file's text: events in date order, works in id order.

Why: two people who each `add` an event to their own clone of a shared ledger must not
touch the same lines, or every `git pull` conflicts. Appending at the end makes every pair
of additions collide; putting each record at its place in date order (works: by id) makes
additions to different parts of the file land in different hunks, which git merges alone.

The file is not parsed: its `[[event]]` (or `[[source]]`) headers are found by a line scan,
and a binary search reads the `date` (or `id`) of only the few records it visits, so an
`add` to a 100k-event ledger stays cheap. The order is the one every listing uses (start,
end, id); `farchron fmt` puts a whole file in it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

#: The key a record is placed by: (start, end, id) for events, (id,) for works, (number,)
#: for notes; None when its date or id cannot be read (it is then passed over).
Key = tuple[Any, ...]

_VALUE = r"[ \t]*=[ \t]*(?:\"([^\"\n]*)\"|'([^'\n]*)'|([^\s#]+))"
_FIELD_RES: dict[str, re.Pattern[str]] = {}


def _field_re(name: str) -> re.Pattern[str]:
    pat = _FIELD_RES.get(name)
    if pat is None:
        pat = _FIELD_RES[name] = re.compile(
            r"(?m)^[ \t]*(?:" + name + r"|\"" + name + r"\")" + _VALUE)
    return pat


def header_re(table: str) -> re.Pattern[str]:
    """A line holding only the header `[[table]]` (and perhaps a comment)."""
    return re.compile(_header_pattern(table))


def _header_pattern(table: str) -> str:
    return (r"(?m)^[ \t]*\[\[[ \t]*[\"']?" + re.escape(table)
            + r"[\"']?[ \t]*\]\][ \t]*(?:#[^\n]*)?\r?$")


_ANY_HEADER = re.compile(r"(?m)^[ \t]*\[\[?[ \t]*[\"']?[A-Za-z0-9_.-]+[\"']?[ \t]*\]\]?"
                         r"[ \t]*(?:#[^\n]*)?\r?$")
#: The same patterns over a file's bytes (all ASCII: a match in the UTF-8 bytes is a match
#: in the text, at the byte offset of its character offset).
ANY_HEADER_BYTES = re.compile(_ANY_HEADER.pattern.encode("ascii"))


def header_re_bytes(table: str) -> re.Pattern[bytes]:
    """header_re over bytes."""
    return re.compile(_header_pattern(table).encode("ascii"))


def field_text(block: str, name: str) -> str | None:
    """The raw value of `name = ...` in one record's text (a string's contents)."""
    m = _field_re(name).search(block)
    if not m:
        return None
    return next(g for g in m.groups() if g is not None)


def event_key(date: str | None, eid: str | None) -> Key | None:
    """Chronological order, as every listing sorts events: start, end, then id."""
    if date is None:
        return None
    from farchron.dates import edtf

    try:
        d = edtf.parse(date)
    except (edtf.DateError, ValueError):
        return None
    return (d.start, d.end, eid or "")


def key_of_fields(table: str, fields: Mapping[str, Any]) -> Key | None:
    """The placing key of a record about to be written."""
    if table == "event":
        date = fields.get("date")
        return event_key(str(date) if date is not None else None, fields.get("id"))
    if table == "source":
        return (str(fields.get("id", "")),) if fields.get("id") else None
    if table == "note":
        num = fields.get("number")
        return (num,) if isinstance(num, int) else None
    return None


def key_of_text(table: str, block: str) -> Key | None:
    """The placing key of a record already in the file, from its text."""
    if table == "event":
        return event_key(field_text(block, "date"), field_text(block, "id"))
    if table == "source":
        rid = field_text(block, "id")
        return (rid,) if rid else None
    if table == "note":
        num = field_text(block, "number")
        return (int(num),) if num and num.isdigit() else None
    return None


def lead_start(text: str, header: int) -> int:
    """Where the record whose header starts at `header` begins: comment lines directly
    above the header (no blank line between) belong to it."""
    start = header
    while start > 0:
        prev = text.rfind("\n", 0, start - 1) + 1
        if not text[prev:start].lstrip().startswith("#"):
            break
        start = prev
    return start


def _in_multiline_string(text: str, offset: int) -> bool:
    """True if `offset` may lie inside a triple-quoted string (then we do not insert)."""
    head = text[:offset]
    return head.count('"""') % 2 == 1 or head.count("'''") % 2 == 1


def insertion_offset(text: str, table: str, fields: Mapping[str, Any]) -> int | None:
    """The offset in `text` at which a new `[[table]]` record with these fields belongs
    (the start of the first record that sorts after it, comments above it included), or
    None to append it at the end (it sorts last, or its key or the file cannot be read).

    Works go before the first later work even when notes follow them.
    """
    key = key_of_fields(table, fields)
    if key is None:
        return None
    heads = [m.start() for m in header_re(table).finditer(text)]
    return place(TextView(text), heads, table, key)


class View(Protocol):
    """What `place` reads of a file: records by their header offsets, and a little text
    around an offset."""

    def record(self, heads: Sequence[int], i: int) -> str: ...

    def next_header(self, pos: int) -> int | None: ...

    def lead_start(self, header: int) -> int: ...

    def in_multiline_string(self, offset: int) -> bool: ...


class TextView:
    """A file's whole text, as `place` reads it (the bytes-backed twin, for `add` into a
    big ledger without reading it, is farchron.authoring.append.FileView)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def record(self, heads: Sequence[int], i: int) -> str:
        """The text of the record whose header is heads[i], up to the next header."""
        text = self.text
        end = heads[i + 1] if i + 1 < len(heads) else len(text)
        nxt = _ANY_HEADER.search(text, heads[i] + 1, end)
        return text[heads[i]:nxt.start() if nxt else end]

    def next_header(self, pos: int) -> int | None:
        """Where the first table header at or after `pos` starts."""
        nxt = _ANY_HEADER.search(self.text, pos)
        return None if nxt is None else nxt.start()

    def lead_start(self, header: int) -> int:
        return lead_start(self.text, header)

    def in_multiline_string(self, offset: int) -> bool:
        return _in_multiline_string(self.text, offset)


def place(view: View, heads: Sequence[int], table: str, key: Key) -> int | None:
    """insertion_offset's search, through `view`: a binary search over the record headers
    at `heads` (offsets in the view) that reads the key of the few records it visits."""
    if not heads:
        return None
    lo, hi = 0, len(heads)
    while lo < hi:  # the first record whose key is greater (unreadable keys count as less)
        mid = (lo + hi) // 2
        k = key_of_text(table, view.record(heads, mid))
        if k is None or _le(k, key):
            lo = mid + 1
        else:
            hi = mid
    if lo < len(heads):
        at = view.lead_start(heads[lo])
    else:  # after the last such record: before the next table of another kind, if any
        nxt = view.next_header(heads[-1] + 1)
        if nxt is None:
            return None
        at = view.lead_start(nxt)
    if view.in_multiline_string(at):
        return None
    return at


def _le(a: Key, b: Key) -> bool:
    try:
        return bool(a <= b)
    except TypeError:  # mixed types in a hand-made file: keep the file's own order
        return True
