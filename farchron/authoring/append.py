"""`add event` into a big ledger without reading it: the new record checked against the
cached ledger and written at its place, the file copied around it by the kernel.

Why: writer.write_records reads, decodes, scans and rewrites the whole events.toml; at
100k events (45 MB) one `add` cost a second, and the next command rebuilt the cache.
Here the cache's store (verified against the files by load_cached, under the ledger's
lock) answers what the full path reads the file for: the ids, sources, notes and
[vocabulary] the record is checked against, and — kept in the store beside the rows, as
`file.*` sections — the byte offset of every `[[event]]` header (and of every triple
quote), so order.place finds the record's place by reading the dozen records its binary
search visits. The new file is the old one's bytes before that place, the record, and
the bytes after (os.copy_file_range: no byte passes through Python), fsynced and renamed
over the old, as every write is; then the store gets the new row at its place in ledger
order and the offsets after it move down (store.appends.insert_event), so the next
command finds the cache warm.

The bytes are exactly what the full path writes (tests/authoring/test_true_append.py
holds the two side by side): same place (order.place over the bytes), same style
(detect_style's reading of the file's end), same text (writer.inserted_text /
appended_text). Whatever this cannot do exactly and cheaply returns False before anything
is written, and the caller takes the full path: no cache or one that does not describe
the files, a ledger in parts, a file under writer.FRAGMENT_CHECK_BYTES (the full path
then parses the result to vet the place), a byte-order mark, a [vocabulary] this cannot
read, and any record the fast checks would not pass in silence (the full check then
words the problem, with its lines).
"""

from __future__ import annotations

import bisect
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from farchron.authoring import order
from farchron.authoring import writer as ledgerwrite
from farchron.ledger.folder import EVENTS_FILE

#: The store sections holding the file's layout: the byte offset and line of every
#: `[[event]]` header (int64 arrays, file order), and a marshal of (file size, offsets of
#: '"""', offsets of "'''", the [vocabulary]'s tags or None).
HEADS, LINES, LAYOUT = "file.heads", "file.lines", "file.layout"

_EVENT_HEADER = order.header_re_bytes("event")
_LINE_BRACKETS = re.compile(rb"\n[ \t]*\[\[")
#: Bytes after a record's place that the end-of-file search may read; beyond, the full path.
_TAIL_LIMIT = 1 << 23


class _NotHere(Exception):
    """The fast path cannot do this one exactly: the full path will."""


class Layout:
    """Where events.toml's `[[event]]` headers (byte offset, line) and triple quotes are,
    and the tags its [vocabulary] allows (None: no vocabulary)."""

    __slots__ = ("double", "heads", "lines", "single", "size", "vocab")

    def __init__(self, size: int, heads: Sequence[int], lines: Sequence[int],
                 double: Sequence[int], single: Sequence[int],
                 vocab: frozenset[str] | None) -> None:
        self.size, self.heads, self.lines = size, heads, lines
        self.double, self.single, self.vocab = double, single, vocab

    @classmethod
    def scan(cls, raw: bytes) -> Layout | None:
        """Read from the file's bytes (once, on the first `add` after the cache was
        built); None if its [vocabulary] cannot be read this way."""
        from farchron.store.appends import vocabulary

        vocab = vocabulary(raw, len(raw))
        if type(vocab) is bool:
            return None
        heads = _header_offsets(raw)
        lines, line, last = [], 1, 0
        for h in heads:
            line += raw.count(b"\n", last, h)
            lines.append(line)
            last = h
        return cls(len(raw), heads, lines, _quotes(raw, b'"""'), _quotes(raw, b"'''"), vocab)

    @classmethod
    def stored(cls, st: Any, size: int) -> Layout | None:
        """The layout an earlier `add` kept in the store, if it describes `size` bytes."""
        import marshal
        from array import array

        if not (st.has(HEADS) and st.has(LINES) and st.has(LAYOUT)):
            return None
        try:
            n, double, single, vocab = marshal.loads(st.section(LAYOUT))
            heads, lines = array("q"), array("q")
            heads.frombytes(st.section(HEADS))
            lines.frombytes(st.section(LINES))
        except (ValueError, TypeError, EOFError):
            return None
        if n != size or len(heads) != len(lines) or not (
                type(double) is tuple and type(single) is tuple):
            return None
        if vocab is not None and not (type(vocab) is tuple
                                      and all(type(t) is str for t in vocab)):
            return None
        return cls(n, heads, lines, double, single,
                   None if vocab is None else frozenset(vocab))

    def sections(self) -> dict[str, Any]:
        import marshal
        from array import array

        vocab = None if self.vocab is None else tuple(sorted(self.vocab))
        return {HEADS: array("q", self.heads), LINES: array("q", self.lines),
                LAYOUT: marshal.dumps((self.size, tuple(self.double), tuple(self.single),
                                       vocab))}

    def line_at(self, view: FileView, at: int) -> int:
        """The line byte `at` is on, counted from the nearest header."""
        k = bisect.bisect_left(self.heads, at)
        if k < len(self.heads):
            return self.lines[k] - view.read(at, self.heads[k] - at).count(b"\n")
        if self.heads:
            return self.lines[-1] + view.read(self.heads[-1], at - self.heads[-1]).count(b"\n")
        return view.read(0, at).count(b"\n") + 1

    def inserted(self, at: int, line: int, data: bytes) -> Layout | None:
        """The layout once `data` (whole lines) is put at byte `at`, on line `line`; None
        when the new text might change what the [vocabulary] scan reads (the next `add`
        then scans the file again)."""
        from array import array

        from farchron.store.sections import plus

        if b"vocabulary" in data or b"\\u" in data or b"\\U" in data:
            return None
        k = bisect.bisect_left(self.heads, at)
        grow, down = len(data), data.count(b"\n")
        new_heads = _header_offsets(data)
        heads = array("q", self.heads[:k])
        heads.extend(at + o for o in new_heads)
        heads.extend(plus(self.heads[k:], grow))
        lines = array("q", self.lines[:k])
        lines.extend(line + data.count(b"\n", 0, o) for o in new_heads)
        lines.extend(plus(self.lines[k:], down))

        def moved(offsets: Sequence[int], new: list[int]) -> tuple[int, ...]:
            j = bisect.bisect_left(offsets, at)
            return (*offsets[:j], *(at + o for o in new), *(grow + o for o in offsets[j:]))

        return Layout(self.size + grow, heads, lines,
                      moved(self.double, _quotes(data, b'"""')),
                      moved(self.single, _quotes(data, b"'''")), self.vocab)


def _header_offsets(raw: bytes) -> list[int]:
    """Offsets of header_re("event")'s matches: the regex tried only where a line starts
    with `[[` (a plain search finds those), as finditer over 45 MB is five times slower."""
    out = [0] if _EVENT_HEADER.match(raw, 0) else []
    match = _EVENT_HEADER.match
    for m in _LINE_BRACKETS.finditer(raw):
        if match(raw, m.start() + 1):
            out.append(m.start() + 1)
    return out


def _quotes(raw: bytes, quote: bytes) -> list[int]:
    """Where str.count finds `quote` (non-overlapping, from the left)."""
    out = []
    at = raw.find(quote)
    while at >= 0:
        out.append(at)
        at = raw.find(quote, at + 3)
    return out


class _Ids(dict[str, int]):
    """The ledger's ids as valid_event and evidence.check_parts ask for them (`in`,
    `.get`): the cached id list searched, plus the ids added here (a dict of 100k ids
    costs more than the rest of an `add`)."""

    def __init__(self, known: Any) -> None:
        super().__init__()
        self.known = known

    def __contains__(self, eid: object) -> bool:
        return dict.__contains__(self, eid) or (type(eid) is str and self.known(eid))

    def get(self, eid: Any, default: Any = None) -> Any:
        if dict.__contains__(self, eid):
            return dict.__getitem__(self, eid)
        return 0 if type(eid) is str and self.known(eid) else default


class FileView:
    """order.View over the bytes of an open file: offsets are byte offsets, and what
    order.place reads is read with pread and decoded, a record or a few lines at a time."""

    def __init__(self, fd: int, layout: Layout) -> None:
        self.fd, self.layout, self.size = fd, layout, layout.size

    def read(self, offset: int, length: int) -> bytes:
        out = b""
        while len(out) < length:
            got = os.pread(self.fd, length - len(out), offset + len(out))
            if not got:
                raise _NotHere("the file ended early")
            out += got
        return out

    def record(self, heads: Sequence[int], i: int) -> str:
        end = heads[i + 1] if i + 1 < len(heads) else self.size
        buf = self.read(heads[i], end - heads[i])
        nxt = order.ANY_HEADER_BYTES.search(buf, 1)
        return buf[:nxt.start() if nxt else len(buf)].decode("utf-8")

    def next_header(self, pos: int) -> int | None:
        if self.size - pos > _TAIL_LIMIT:
            raise _NotHere("a long text after the last record")
        buf = self.read(pos - 1, self.size - pos + 1)  # the byte before: for `^`
        m = order.ANY_HEADER_BYTES.search(buf, 1)
        return None if m is None else pos - 1 + m.start()

    def lead_start(self, header: int) -> int:
        window = 4096
        while True:
            lo = max(0, header - window)
            buf = self.read(lo, header - lo)
            cut = buf.find(b"\n") + 1 if lo else 0
            if lo and not cut:
                window *= 4
                continue
            text = buf[cut:].decode("utf-8")
            start = order.lead_start(text, len(text))
            if start or not lo + cut:
                return lo + cut + len(text[:start].encode("utf-8"))
            window *= 4  # comment lines up to the window's first line: look further up

    def in_multiline_string(self, offset: int) -> bool:
        def before(offsets: Sequence[int]) -> int:
            return bisect.bisect_right(offsets, offset - 3)

        return before(self.layout.double) % 2 == 1 or before(self.layout.single) % 2 == 1

    def crc_of(self, offset: int, length: int) -> int:
        """The crc32 of a run of the file, read a megabyte at a time."""
        import zlib

        crc, end = 0, offset + length
        while offset < end:
            chunk = self.read(offset, min(1 << 20, end - offset))
            crc = zlib.crc32(chunk, crc)
            offset += len(chunk)
        return crc

    def end_text(self) -> str:
        """The file's last 512 characters or more (append_records reads no more)."""
        lo = max(0, self.size - 2048)
        buf = self.read(lo, self.size - lo)
        skip = 0
        while lo and skip < len(buf) and 0x80 <= buf[skip] < 0xC0:
            skip += 1  # inside a character: start at the next one
        return buf[skip:].decode("utf-8")

    def style(self) -> ledgerwrite.Style:
        """detect_style of the whole text, from its first 4096 characters and its end."""
        head = self.read(0, min(self.size, 16384)).decode("utf-8", "ignore")[:4096]
        newline = "\r\n" if "\r\n" in head else "\n"
        window = 1 << 16
        while True:
            lo = max(0, self.size - window)
            buf = self.read(lo, self.size - lo)
            cut = buf.find(b"\n") + 1 if lo else 0
            if lo and not cut:
                window *= 4
                continue
            lines = buf[cut:].decode("utf-8").split("\n")
            heads = [i for i, ln in enumerate(lines) if ledgerwrite.is_table_header(ln)]
            if len(heads) >= 2 or not lo:
                return ledgerwrite.style_of_lines(newline, lines, heads)
            window *= 4


def add_in_place(data_dir: Path, ledger: Any, fields: Mapping[str, Any]) -> bool:
    """Write one new event into events.toml the way write_records would, without reading
    the file; True if done, False (nothing written) to take the full path. Called under
    the ledger's lock, with the ledger load_cached just gave."""
    from farchron.store import cache

    current = cache.current_store(ledger, data_dir)
    if current is None:
        return False
    st, key = current
    path = Path(data_dir) / EVENTS_FILE
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return False
    try:
        return _add(fd, path, ledger, st, key, fields)
    except (_NotHere, UnicodeDecodeError):
        return False
    finally:
        os.close(fd)


def _add(fd: int, path: Path, ledger: Any, st: Any, key: tuple[Any, ...],
         fields: Mapping[str, Any]) -> bool:
    from farchron import files
    from farchron.authoring.commit import atomic_pieces, refuse_unwritable
    from farchron.store import appends
    from farchron.store.sections import crc32_spliced

    fst = os.fstat(fd)
    size = fst.st_size
    if files.file_id(fst) != key[:5] or size < ledgerwrite.FRAGMENT_CHECK_BYTES:
        return False  # changed behind the cache; or small: the full path vets the place
    if os.pread(fd, 3, 0) == b"\xef\xbb\xbf":
        return False  # the full path drops the byte-order mark
    if size < 4 * ledgerwrite.FRAGMENT_CHECK_BYTES and len(
            FileView(fd, Layout(size, (), (), (), (), None)).read(0, size).decode("utf-8")
    ) < ledgerwrite.FRAGMENT_CHECK_BYTES:
        return False  # fewer characters than bytes: the full path vets the place
    layout = Layout.stored(st, size)
    if layout is None:
        layout = Layout.scan(FileView(fd, Layout(size, (), (), (), (), None)).read(0, size))
        if layout is None:
            return False
    if not layout.heads:
        return False  # no event yet: the full path words a file of nothing but blanks
    view = FileView(fd, layout)
    style = view.style()
    try:
        place_key = order.key_of_fields("event", fields)
        at = None if place_key is None else order.place(view, layout.heads, "event",
                                                        place_key)
        if at is None:
            text, at = ledgerwrite.appended_text(view.end_text(), "event", fields,
                                                 style), size
        else:
            text = ledgerwrite.inserted_text("event", fields, style)
        data = text.encode("utf-8")
    except (ValueError, TypeError):
        return False  # what the full path says about a value it cannot write
    checked = _checked(text, ledger, layout, str(path))
    if checked is None:
        return False
    event, cited = checked
    refuse_unwritable([path], {path: size + len(data)})
    atomic_pieces(path, [(fd, 0, at), data, (fd, at, size - at)])
    # Written: from here on nothing may send the caller the full path (it would add the
    # record twice). The store follows the file; if it cannot, the next command rebuilds.
    try:
        new_crc = crc32_spliced(key[5], size, at, data, view.crc_of)
        new_stat = os.stat(path)
        line = layout.line_at(view, at)
        moved = layout.inserted(at, line, data)
        appends.insert_event(ledger, event, cited, new_stat, new_crc,
                             (lambda: line, data.count(b"\n")),
                             moved.sections() if moved is not None else {})
    except (_NotHere, OSError, ValueError):
        pass
    return True


def _checked(text: str, ledger: Any, layout: Layout, ev_path: str
             ) -> tuple[Any, set[str]] | None:
    """The new event and the unused-source warnings it clears, if the full check would
    pass it without a word (the checks the cache's own extension uses); else None."""
    import tomli

    from farchron.ledger.check import valid_event
    from farchron.store.appends import id_test, records_clean

    try:
        doc = tomli.loads(text)
    except (tomli.TOMLDecodeError, RecursionError):
        return None
    recs = doc.get("event")
    if doc.keys() != {"event"} or type(recs) is not list or len(recs) != 1 \
            or type(recs[0]) is not dict:
        return None
    events = ledger.events
    seen = _Ids(id_test(events))
    event = valid_event(recs[0], seen, {})
    if event is None:
        return None
    seen[event.id] = 0
    cited = records_clean([event], seen, events, ledger, layout.vocab, text, ev_path)
    return None if cited is None else (event, cited)
