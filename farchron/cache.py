"""A cache of the parsed, validated ledger, so large ledgers load without parsing TOML.

Kept in $XDG_CACHE_HOME/farchron (default ~/.cache/farchron) as marshal data of plain
tuples, ints and strings (marshal cannot run code when loaded, unlike pickle). The key
holds each file's path, size, mtime_ns, inode and a checksum of its bytes, so any edit of
events.toml or sources.toml, even one that keeps size and mtime, invalidates it.
Events are decoded lazily: a `timeline` over a million events builds only those it prints.
"""

from __future__ import annotations

import contextlib
import gc
import marshal
import os
import sys
import zlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, overload

from farchron import __version__, dates, settings
from farchron.atomic import write_atomic
from farchron.ledger import EVENTS_FILE, SOURCES_FILE, load
from farchron.model import (
    Event,
    Ledger,
    Note,
    Problem,
    Source,
    citation_from_row,
    citation_row,
    event_from_row,
    event_row,
)

#: Bumped whenever the layout below changes; the Event fields are part of the key too.
FORMAT = 1
_MAGIC = "farchron-cache"
_EVENT_FIELDS = Event._fields
_VERSION = (_MAGIC, FORMAT, __version__, sys.version_info[:2], _EVENT_FIELDS)

#: Ledgers at least this big are worth a fast exit (freeing a million objects takes time).
BIG = 20_000


def disabled() -> bool:
    """FARCHRON_NO_CACHE set to anything but '' or '0' turns the cache off."""
    return settings.no_cache()


def cache_dir() -> Path:
    """$XDG_CACHE_HOME/farchron, or ~/.cache/farchron (XDG base directory spec)."""
    return settings.cache_home() / "farchron"


def _file_key(path: str) -> tuple[Any, ...]:
    """What identifies one version of a file: stat fields plus a checksum of its bytes.

    The checksum (crc32 + adler32, ~0.3 ms/MB) catches edits that keep size and mtime,
    which stat alone cannot see within the filesystem's timestamp granularity.
    """
    crc, adler = 0, 1
    with open(path, "rb") as f:
        st = os.fstat(f.fileno())
        while chunk := f.read(1 << 23):  # in pieces: a 400 MB ledger is not held twice
            crc, adler = zlib.crc32(chunk, crc), zlib.adler32(chunk, adler)
    return (path, st.st_size, st.st_mtime_ns, st.st_ino, st.st_dev, crc, adler)


def ledger_key(data_dir: Path) -> tuple[Any, ...]:
    """The cache key of a data directory (raises OSError if a file is unreadable)."""
    root = os.path.realpath(data_dir)
    return (_VERSION, root, _file_key(os.path.join(root, EVENTS_FILE)),
            _file_key(os.path.join(root, SOURCES_FILE)))


def _write(path: Path, data: bytes) -> None:
    """Atomically, in a folder only this user may read (the cache quotes the ledger)."""
    folder = path.parent
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    st = folder.stat()
    if st.st_mode & 0o077 and st.st_uid == os.getuid():
        os.chmod(folder, 0o700)
    write_atomic(path, data, mode=0o600)


def _cache_file(root: str, suffix: str = "ledger") -> Path:
    name = f"{zlib.crc32(root.encode('utf-8', 'surrogatepass')):08x}"
    return cache_dir() / f"{name}.{suffix}.marshal"


# --------------------------------------------------------------------------- lazy events


def _ymd_int(ymd: dates.YMD) -> int:
    """A day as one ordered int: comparing these compares the dates (years may be < 0)."""
    return ymd[0] * 10000 + ymd[1] * 100 + ymd[2]


class EventSeq(Sequence[Event]):
    """The ledger's events, decoded from the cache only when asked for.

    Behaves like the tuple Ledger.events usually is; `candidates()` lets query.select
    skip events outside a period without decoding them.
    """

    __slots__ = ("_blobs", "_dates", "_ends", "_events", "_starts")

    def __init__(self, blobs: list[bytes], starts: list[int], ends: list[int]) -> None:
        self._blobs = blobs
        self._starts = starts
        self._ends = ends
        self._events: list[Event | None] = [None] * len(blobs)
        self._dates: dict[tuple[Any, ...], dates.Date] = {}

    def __len__(self) -> int:
        return len(self._blobs)

    def _decode(self, i: int) -> Event:
        e = self._events[i]
        if e is None:
            e = event_from_row(marshal.loads(self._blobs[i]), self._dates)
            self._events[i] = e
        return e

    @overload
    def __getitem__(self, i: int) -> Event: ...
    @overload
    def __getitem__(self, i: slice) -> tuple[Event, ...]: ...
    def __getitem__(self, i: int | slice) -> Event | tuple[Event, ...]:
        if isinstance(i, slice):
            return tuple(self._decode(j) for j in range(len(self))[i])
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError("event index out of range")
        return self._decode(i)

    def __iter__(self) -> Iterator[Event]:
        decode = self._decode
        for i in range(len(self._blobs)):
            yield decode(i)

    def stream(self) -> Iterator[Event]:
        """Every event, decoded without being kept: for one pass over all of them (building
        search's index), so a million events are never all alive at once."""
        decode, events, keep = self._decode, self._events, self._dates
        for i in range(len(self._blobs)):
            e = events[i]
            if e is None:
                e = decode(i)
                events[i] = None
            yield e
        keep.clear()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (EventSeq, tuple)):
            return tuple(self) == tuple(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def candidates(self, start: dates.YMD, end: dates.YMD, within: bool = False) -> list[Event]:
        """Events whose bounds overlap (or lie within) start..end, in ledger order."""
        lo, hi = _ymd_int(start), _ymd_int(end)
        s, e = self._starts, self._ends
        if within:
            idx = [i for i in range(len(s)) if lo <= s[i] and e[i] <= hi]
        else:
            idx = [i for i in range(len(s)) if s[i] <= hi and lo <= e[i]]
        decode = self._decode
        return [decode(i) for i in idx]


# --------------------------------------------------------------------------- (de)serialising


def _dump(ledger: Ledger) -> tuple[Any, ...]:
    blobs, starts, ends = [], [], []
    for e in ledger.events:
        d = e.date
        blobs.append(marshal.dumps(event_row(e)))
        starts.append(_ymd_int(d.start))
        ends.append(_ymd_int(d.end))
    sources = tuple(
        (s.id, s.type, s.title, s.authors, s.issued, tuple(s.fields.items()))
        for s in ledger.sources.values())
    notes = tuple(
        (n.number, n.text, tuple(citation_row(c) for c in n.citations))
        for n in ledger.notes.values())
    warnings = tuple((p.file, p.line, p.column, p.code, p.message, p.severity)
                     for p in ledger.warnings)
    return (blobs, starts, ends, sources, notes, warnings)


def _restore(payload: Any, data_dir: Path) -> Ledger:
    blobs, starts, ends, sources, notes, warnings = payload
    if not (isinstance(blobs, list) and isinstance(starts, list) and isinstance(ends, list)
            and len(blobs) == len(starts) == len(ends)):
        raise ValueError("bad cache layout")
    srcs = {s[0]: Source(s[0], s[1], s[2], tuple(s[3]), s[4], dict(s[5])) for s in sources}
    nts = {n[0]: Note(n[0], n[1], tuple(citation_from_row(c) for c in n[2])) for n in notes}
    warn = tuple(Problem(*w) for w in warnings)
    events = EventSeq(blobs, starts, ends)
    if blobs:  # a cache of another layout fails here, not while printing
        events[0], events[-1]
    return Ledger(events, srcs, nts, data_dir, warn)  # type: ignore[arg-type]


def _read(path: Path, key: tuple[Any, ...], data_dir: Path) -> Ledger | None:
    try:
        with open(path, "rb") as f:
            raw = f.read()
        head, payload = marshal.loads(raw)
        if head != key:
            return None
        return _restore(payload, data_dir)
    except Exception:  # truncated, garbage, another version: rebuild silently
        return None


# --------------------------------------------------------------------------- entry points


def load_cached(data_dir: Path, use_cache: bool = True) -> Ledger:
    """The validated ledger: from the cache when it matches both files, else parsed.

    Only ledgers without errors are cached (warnings are kept with them); a DataError
    from the parse propagates as from ledger.load. Any cache trouble (unwritable
    folder, corrupt file) falls back to parsing, silently.
    """
    if not use_cache or disabled():
        return _gc_quiet(load, data_dir)
    try:
        key = ledger_key(data_dir)
    except OSError:
        return load(data_dir)  # let the loader name the missing or unreadable file
    path = _cache_file(key[1])
    ledger = _gc_quiet(_read, path, key, data_dir)
    if ledger is not None:
        return ledger
    ledger = _gc_quiet(load, data_dir)
    try:
        if ledger_key(data_dir) != key:  # changed while we parsed: the key would not fit
            return ledger
        payload = _dump(ledger)
    except (OSError, ValueError):
        return ledger
    # From here on the ledger is the cached form, as a later run would read it: the
    # Event objects are freed before the file's bytes are made (1M events: ~0.5 GB less).
    del ledger
    with contextlib.suppress(OSError, ValueError):
        _write(path, marshal.dumps((key, payload)))
    return _gc_quiet(_restore, payload, data_dir)


def _gc_quiet(fn: Callable[..., Any], *args: Any) -> Any:
    """Run fn with the cyclic GC paused: building many acyclic objects triggers it for nothing.

    What was built is then frozen, so later collections do not walk it again.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        return fn(*args)
    finally:
        gc.freeze()
        if was:
            gc.enable()


def cached_index(ledger: Ledger, name: str, build: Callable[[Ledger], Any]) -> Any:
    """A derived structure (say, search's normalised strings) cached beside the ledger.

    `build(ledger)` must return marshal-able plain data (tuples, lists, dicts, str, int,
    float, bytes). It is rebuilt whenever the ledger's files change, like the ledger.
    """
    if disabled():
        return build(ledger)
    try:
        key = (*ledger_key(ledger.data_dir), name)
    except OSError:
        return build(ledger)
    path = _cache_file(key[1], f"index-{name}")
    try:
        with open(path, "rb") as f:
            head, value = marshal.loads(f.read())
        if head == key:
            return value
    except Exception:
        pass
    value = build(ledger)
    with contextlib.suppress(OSError, ValueError):
        _write(path, marshal.dumps((key, value)))
    return value
