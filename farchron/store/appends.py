"""The checks records appended to events.toml (`add`, `import`) must pass for the cache to
extend its store with them instead of parsing the whole ledger again (cache._extend), and
the store extended for one event `add` put in the middle of the file (insert_event).

Why apart: the tail is judged by main's own validator pieces (validate.valid_event before
this, crosscheck.old_style_warnings, evidence.check_parts, the [vocabulary]); anything
they would word, even as a warning, sends the caller the long way, so a cached `check`
prints exactly what a fresh one prints.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from farchron.model.records import Event, Ledger


def tail_clean(new: list[Event], seen: dict[str, int], old: Any, ledger: Ledger,
               raw: bytes, old_size: int, tail: str, ev_path: str) -> set[str] | None:
    """The unused-source warnings that the appended events `new` (each already passed by
    validate.valid_event) clear, or None unless the full check would pass them without a
    word: the [vocabulary]'s tags, citations and other-dates' citations that exist, no
    Old Style slip (crosscheck.old_style_warnings), and parts of existing wholes, within
    them and in no cycle (evidence.check_parts, the validator's own checks)."""
    return records_clean(new, seen, old, ledger, vocabulary(raw, old_size), tail, ev_path)


def records_clean(new: list[Event], seen: dict[str, int], old: Any, ledger: Ledger,
                  vocab: frozenset[str] | bool | None, tail: str, ev_path: str
                  ) -> set[str] | None:
    """tail_clean with the [vocabulary] already read (`vocabulary`): also for records put
    in the middle of events.toml (farchron.authoring.append), whose lines the checks
    below never use but in the messages that send the caller the long way."""
    from farchron.ledger import evidence
    from farchron.ledger.check import Cites
    from farchron.ledger.crossfile import ambiguous_date_warnings, old_style_warnings
    from farchron.ledger.locate import Locator

    if type(vocab) is bool:
        return None
    cited, cites = set(), Cites()
    for i, e in enumerate(new):
        if vocab is not None and not set(e.tags) <= vocab:
            return None
        cites.append((i, f"event '{e.id}'", e.citations))
        for c in (*e.citations, *evidence.other_citations(e)):
            if (c.note is not None and c.note not in ledger.notes) or (
                    c.source is not None and c.source not in ledger.sources):
                return None
            if c.source is not None:
                cited.add(f"source '{c.source}' is never cited")
    loc = Locator(Path(ev_path), tail)
    if old_style_warnings(new, cites, ledger.sources, ledger.notes, loc) or \
            ambiguous_date_warnings(new, cites, loc):
        return None
    if any(e.part_of is not None for e in new):
        # Old events cannot name a new whole (that was an error): only the new parts and
        # the old wholes they name can make a problem.
        near = {e.id: e for e in new}
        for e in new:
            if e.part_of is not None and e.part_of not in near:
                whole = old.find(e.part_of)
                if whole is None:
                    return None
                near[whole.id] = whole
        if evidence.check_parts(list(near.values()), seen, loc):
            return None
    return cited


def insert_event(ledger: Ledger, event: Event, cited: set[str], ev_stat: os.stat_result,
                 ev_crc: int, lines: tuple[Callable[[], int], int],
                 extra: Mapping[str, Any]) -> bool:
    """Extend the store for one event that `add` put in the middle of events.toml (or at
    its end): its row at its place in ledger order, the old rows copied by the kernel
    (never decoded), the unused-source warnings it clears (`cited`) dropped, the lines of
    events.toml's problems after it moved down, and the file's new key (`ev_stat`,
    `ev_crc`). `lines`: (a function giving the line the new text starts at, read only if
    a problem needs it; how many lines it has). `extra`: sections kept beside the rows
    (the file's layout, farchron.authoring.append). False, the store untouched, for
    anything it cannot do exactly: then the next command rebuilds the store.

    The caller holds the ledger's lock and has just written the file; the event has
    passed the checks cache._extend uses (valid_event, records_clean); the store is the
    one cache.current_store vouched for.
    """
    import contextlib
    import marshal
    import re
    import time
    import zlib
    from array import array

    from farchron import files
    from farchron.ledger.folder import EVENTS_FILE
    from farchron.model.records import event_row
    from farchron.store import sections as store
    from farchron.store.events import Events, day

    events = ledger.events
    if not isinstance(events, Events):
        return False
    st = events.store
    meta = st.meta  # checked by cache.current_store: this layout, this ledger
    n = len(events)
    try:
        sources, notes, probs, _warnings = marshal.loads(st.section("meta"))
        start_line, added = None, lines[1]
        kept = []
        names_line = re.compile(r"\bline \d|\.toml:\d").search
        in_events: dict[str, bool] = {}
        for p in probs:
            file, line, column, code, message, severity = p
            if code == "unused-source" and message in cited:
                continue
            if ("line " in message or ".toml:" in message) and names_line(message):
                return False  # a line named in the words: the full check words it anew
            here = in_events.get(file)
            if here is None:
                here = in_events[file] = os.path.basename(file) == EVENTS_FILE
            if line is not None and here:
                if start_line is None:
                    start_line = lines[0]()
                if line >= start_line:
                    line += added
            kept.append((file, line, column, code, message, severity))
        ids = events.ids()
        starts, ends = events.bounds()
        key = (day(event.date.start), day(event.date.end), event.id)
        lo, hi = 0, n
        while lo < hi:  # ledger order: start, end, id (as _extend merges)
            mid = (lo + hi) // 2
            if (starts[mid], ends[mid], ids[mid]) < key:
                lo = mid + 1
            else:
                hi = mid
        row = marshal.dumps(event_row(event))
        s_out, e_out = array("q"), array("q")
        s_out.frombytes(st.section("ev.starts"))
        e_out.frombytes(st.section("ev.ends"))
        s_out.insert(lo, key[0])
        e_out.insert(lo, key[1])
        parts_out = events.parts()
        parts_out.insert(lo, event.part_of or "")
        offs = st.array("ev.offs", "Q", n + 1)
        at = offs[lo]
        offs_out = array("Q")
        offs_out.frombytes(offs[:lo + 1].cast("B"))
        offs_out.append(at + len(row))
        offs_out.extend(store.plus(offs[lo + 1:], len(row), "Q"))
        crcs = array("I")
        crcs.frombytes(st.section("ev.crcs"))
        crcs.insert(lo, zlib.crc32(row))
        fd, off, length, crc = st.span("ev.blobs")
        if offs[n] != length:
            return False
        blobs = st.section("ev.blobs", verify=False)
        blob_crc = store.crc32_spliced(crc, length, at, row,
                                       lambda o, k: zlib.crc32(blobs[o:o + k]))
        body = (sources, notes, tuple(kept),
                tuple(i for i, p in enumerate(kept) if p[5] == "warning"))
        new_key = ((*files.file_id(ev_stat), ev_crc), meta[2][1])
        new_meta = (meta[0], meta[1], new_key, time.time_ns(), n + 1)
        sections = {
            "ev.starts": s_out, "ev.ends": e_out,
            "ev.ids": store.join_strings([*ids[:lo], event.id, *ids[lo:]]),
            "ev.partof": store.join_strings(parts_out),
            "ev.offs": offs_out, "ev.crcs": crcs,
            "ev.blobs": store.Pieces([(fd, off, at), row, (fd, off + at, length - at)],
                                     length + len(row), blob_crc),
            "meta": marshal.dumps(body), **extra}
        path = Path(st.path)
        store.write(path, new_meta, sections, durable=False)
    except (store.StoreError, OSError, ValueError, TypeError, EOFError):
        return False
    with contextlib.suppress(OSError):
        os.unlink(str(path.with_suffix(".search")))  # its positions moved
    return True


def id_test(events: Any) -> Callable[[str], bool]:
    """Whether an id is an event's of the ledger: for a cached ledger, a search of the
    store's id list (a set of 100k ids costs more than the rest of an `add`)."""
    from farchron.store.events import Events

    if _ID_TESTS and _ID_TESTS[0][0] is events:
        return _ID_TESTS[0][1]
    test: Callable[[str], bool]
    if isinstance(events, Events):
        data = b"\n" + events.store.section("ev.ids").tobytes() + b"\n"

        def test(eid: str) -> bool:
            return "\n" not in eid and data.find(
                b"\n" + eid.encode("utf-8", "surrogatepass") + b"\n") >= 0
    else:
        test = {e.id for e in events}.__contains__
    _ID_TESTS[:] = [(events, test)]
    return test


#: The last ledger's id test (an `add` asks twice: for the slug, then in the check).
_ID_TESTS: list[tuple[Any, Callable[[str], bool]]] = []


def vocabulary(raw: bytes, end: int) -> frozenset[str] | bool | None:
    """The tags the [vocabulary] in raw[:end] (events.toml before the appended records)
    allows (None: no vocabulary), or False when the text may hold one this look cannot
    read (then the full check decides)."""
    pos = raw.find(b"vocabulary", 0, end)
    while pos >= 0 and raw[raw.rfind(b"\n", 0, pos) + 1:pos].lstrip().startswith(b"#"):
        pos = raw.find(b"vocabulary", pos + 1, end)  # a comment (init's header has some)
    if pos < 0:  # unless a quoted key spells it with escapes ("voc\u0061bulary")
        return False if escaped_key(raw, end, b"\\u") or escaped_key(raw, end, b"\\U") \
            else None
    import tomli

    from farchron.ledger.locate import vocabulary_table

    table = vocabulary_table(str(raw[:end], "utf-8"), end)
    try:
        tags = tomli.loads(table).get("vocabulary", {}).get("tags") if table else None
    except (ValueError, AttributeError):
        return False
    if type(tags) is not list or not all(type(t) is str for t in tags):
        return False
    return frozenset(tags)


def escaped_key(raw: bytes, end: int, esc: bytes) -> bool:
    """Whether an escape `esc` may sit in a key of raw[:end]: on a line that starts with
    a quote or a table header and has no '=' before it (values' escapes are common)."""
    pos = raw.find(esc, 0, end)
    while pos >= 0:
        lead = raw[raw.rfind(b"\n", 0, pos) + 1:pos].lstrip()
        if lead[:1] in (b'"', b"[") and b"=" not in lead:
            return True
        pos = raw.find(esc, pos + 1, end)
    return False
