"""The ledger's events as a store holds them: one marshal row each, decoded only when
asked for, beside their bounds as sorted day numbers.

Why its own module: a warm `timeline` needs only this and farchron.store.sections (no parser,
no validator); cache.py builds, keys and repairs the store.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Sequence
from itertools import compress
from typing import Any, overload

from farchron.dates import edtf as dates
from farchron.model.records import Citation, Event, event_from_row
from farchron.store import sections as store
from farchron.store.sections import StoreError

_ID_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-")


def _could_be_id(text: str) -> bool:
    """Whether `text` has an id's shape (validate.ID_RE: [a-z0-9]+ joined by single
    hyphens). A query word that has not ("Nomonhan") is no event's, which `cite` learns
    without checking the id list against every row, as a believed miss must."""
    return (bool(text) and _ID_CHARS.issuperset(text) and text[0] != "-"
            and text[-1] != "-" and "--" not in text)


def day(ymd: dates.YMD) -> int:
    """A day as one ordered int: comparing these compares the dates (years may be < 0)."""
    return ymd[0] * 10000 + ymd[1] * 100 + ymd[2]


def ymd_of(d: int) -> dates.YMD:
    y, md = divmod(d, 10000)
    m, dd = divmod(md, 100)
    return (y, m, dd)


# --------------------------------------------------------------------------- rows


def check_row(row: Any, start: int, end: int) -> None:
    """StoreError unless `row` has event_row's shape and the bounds stored beside it.

    The crc32 catches damage; this catches a well-checksummed file of another shape,
    which must fail here rather than as a crash while printing. Written for speed: it
    runs for every event printed ("".join checks a tuple of str in C).
    """
    try:
        if type(row) is not tuple or len(row) != 15:
            raise TypeError
        (eid, title, text, s, e, summary, aliases, tags, actors, places, cits, calendar,
         printed, part_of, others) = row
        if (type(calendar) is not str or type(printed) is not str
                or (part_of is not None and type(part_of) is not str)
                or type(others) is not tuple):
            raise TypeError
        for o in others:
            if type(o) is not tuple or len(o) != 6:
                raise TypeError
            ot, os_, oe, oc, ob, ocal = o
            if (type(ot) is not str or type(os_) is not tuple or type(oe) is not tuple
                    or len(os_) != 3 or len(oe) != 3
                    or not all(type(x) is int for x in (*os_, *oe))
                    or (ob is not None and type(ob) is not str)
                    or (ocal is not None and type(ocal) is not str)
                    or (oc is not None and (type(oc) is not tuple or len(oc) != 4))):
                raise TypeError
        if (type(eid) is not str or type(title) is not str or type(text) is not str
                or type(summary) is not str or type(s) is not tuple or type(e) is not tuple
                or type(aliases) is not tuple or type(tags) is not tuple
                or type(actors) is not tuple or type(places) is not tuple
                or type(cits) is not tuple or len(s) != 3 or len(e) != 3):
            raise TypeError
        s0, s1, s2 = s
        e0, e1, e2 = e
        if (type(s0) is not int or type(s1) is not int or type(s2) is not int
                or type(e0) is not int or type(e1) is not int or type(e2) is not int
                or s0 * 10000 + s1 * 100 + s2 != start or e0 * 10000 + e1 * 100 + e2 != end):
            raise TypeError
        "".join(aliases), "".join(tags), "".join(actors), "".join(places)
        for c in cits:
            if type(c) is not tuple or len(c) != 4:
                raise TypeError
            src, note, pages, section = c
            if not ((src is None or type(src) is str) and (note is None or type(note) is int)
                    and (pages is None or type(pages) is str)
                    and (section is None or type(section) is str)):
                raise TypeError
    except (TypeError, ValueError):
        raise StoreError("an event row does not fit its layout") from None


# --------------------------------------------------------------------------- lazy events


class Events(Sequence[Event]):
    """The ledger's events, decoded from the store only when asked for.

    Behaves like the tuple Ledger.events usually is; `candidates()` lets query.select
    skip events outside a period without decoding them, `bounds()` lets stats count
    without decoding any.
    """

    __slots__ = ("_cits", "_dates", "_ends", "_events", "_ids", "_rows", "_sorted",
                 "_starts", "_store")

    def __init__(self, st: store.Store, n: int) -> None:
        self._store = st
        self._rows = store.Rows(st, "ev", n)
        self._starts = st.array("ev.starts", "q", n)
        self._ends = st.array("ev.ends", "q", n)
        self._events: list[Event | None] = [None] * n
        self._dates: dict[tuple[Any, ...], dates.Date] = {}
        self._cits: dict[tuple[Any, ...], Citation] = {}
        self._ids: list[str] | None = None
        self._sorted = False

    def __len__(self) -> int:
        return self._rows.n

    def _decode(self, i: int, mapped: bool = False) -> Event:
        e = self._events[i]
        if e is None:
            try:
                row = self._rows.get(i, mapped=mapped)
                check_row(row, self._starts[i], self._ends[i])
                e = event_from_row(row, self._dates, self._cits)
                if row[11] and (day(e.date.start), day(e.date.end)) != (
                        self._starts[i], self._ends[i]):  # bounds recomputed from the text
                    raise StoreError("an event row does not fit its bounds")
            except StoreError as exc:
                exc.path = self._store.path  # type: ignore[attr-defined]
                raise
            except Exception as exc:  # a date text that does not restore: not ours
                err = StoreError(f"event row {i} does not restore ({type(exc).__name__})")
                err.path = self._store.path  # type: ignore[attr-defined]
                raise err from None
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
        for i in range(len(self)):
            yield decode(i)

    def stream(self) -> Iterator[Event]:
        """Every event, decoded without being kept (one pass over a million events)."""
        events = self._events
        for i in range(len(self)):
            e = events[i]
            if e is None:
                e = self._decode(i, True)  # in order: through the mapping
                events[i] = None
                if not i & 0xFFFF:  # and its pages dropped as we go
                    self._store.release()
            yield e
        self._store.release()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (Events, tuple)):
            return tuple(self) == tuple(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    @property
    def store(self) -> store.Store:
        """The store these events are read from (its path and metadata identify it)."""
        return self._store

    def ids(self) -> list[str]:
        """Every event's id in ledger order, without decoding any event."""
        if self._ids is None:
            try:
                self._ids = self._store.strings("ev.ids", len(self))
            except StoreError as exc:
                exc.path = self._store.path  # type: ignore[attr-defined]
                raise
        return self._ids

    def find(self, event_id: str) -> Event | None:
        """The event with this id, decoding only it (ids are unique in a valid ledger)."""
        if not len(self) or not _could_be_id(event_id):
            return None  # the store holds a valid ledger: no id of it has that shape
        try:  # a search in the ids' bytes: a million str objects are never made
            data = b"\n" + self._store.section("ev.ids").tobytes() + b"\n"
            if data.count(b"\n") != len(self) + 1:
                raise StoreError("the id list does not fit the rows")
            at = -1 if "\n" in event_id else data.find(
                b"\n" + event_id.encode("utf-8", "surrogatepass") + b"\n")
            if at >= 0:
                e = self._decode(data.count(b"\n", 0, at))
                if e.id != event_id:
                    raise StoreError("the id list does not fit the rows")
                return e
            # A miss is only believed once the list is checked against the rows
            # themselves (a typo's cost; "did you mean" reads every id anyway).
            for i, got in enumerate(data[1:-1].decode("utf-8").split("\n")):
                row = self._rows.get(i, mapped=True)
                if type(row) is not tuple or not row or row[0] != got:
                    raise StoreError("the id list does not fit the rows")
            self._store.release()
            return None
        except (StoreError, UnicodeDecodeError) as exc:
            err = exc if isinstance(exc, StoreError) else StoreError("the id list is not UTF-8")
            err.path = self._store.path  # type: ignore[attr-defined]
            raise err from None

    def parts(self) -> list[str]:
        """Every event's part-of ("" for none) in ledger order, without decoding any."""
        try:
            got = str(self._store.section("ev.partof"), "utf-8").split("\n") if len(self) else []
            if len(got) != len(self):
                raise StoreError("the part-of list does not fit the rows")
            return got
        except (StoreError, UnicodeDecodeError) as exc:
            err = exc if isinstance(exc, StoreError) else StoreError(
                "the part-of list is not UTF-8")
            err.path = self._store.path  # type: ignore[attr-defined]
            raise err from None

    def parts_of(self, event_id: str) -> list[Event]:
        """The events that are part of `event_id`, in ledger order, decoding only them
        (`show` at a million events must not decode the million)."""
        try:
            data = b"\n" + self._store.section("ev.partof").tobytes() + b"\n"
            if len(self) and data.count(b"\n") != len(self) + 1:
                raise StoreError("the part-of list does not fit the rows")
        except StoreError as exc:
            exc.path = self._store.path  # type: ignore[attr-defined]
            raise
        out: list[Event] = []
        if not event_id or "\n" in event_id:
            return out
        needle = b"\n" + event_id.encode("utf-8", "surrogatepass") + b"\n"
        at, row, last = data.find(needle), 0, 0
        while at >= 0:
            row += data.count(b"\n", last, at)
            last = at
            e = self._decode(row)
            if e.part_of != event_id:
                bad = StoreError("the part-of list does not fit the rows")
                bad.path = self._store.path  # type: ignore[attr-defined]
                raise bad
            out.append(e)
            at = data.find(needle, at + 1)
        self._store.release()
        return out

    def _check_sorted(self) -> None:
        if not self._sorted:
            s = self._starts
            if len(s) > 1 and not all(map(int.__le__, s[:-1], s[1:])):
                exc = StoreError("event bounds out of order")
                exc.path = self._store.path  # type: ignore[attr-defined]
                raise exc
            self._sorted = True

    def positions(self, start: dates.YMD, end: dates.YMD, within: bool = False) -> Iterator[int]:
        """Indexes of events overlapping (or lying within) start..end, in ledger order.

        The events are sorted by start day: a bisect bounds the run that can match and
        one C-speed pass over the end days filters it.
        """
        self._check_sorted()
        lo, hi = day(start), day(end)
        s, e = self._starts, self._ends
        k = bisect.bisect_right(s, hi)
        if within:
            a = bisect.bisect_left(s, lo)
            return compress(range(a, k), map(hi.__ge__, e[a:k])) if a < k else iter(())
        return compress(range(k), map(lo.__le__, e[:k]))

    def candidates(self, start: dates.YMD, end: dates.YMD, within: bool = False) -> list[Event]:
        """Events whose bounds overlap (or lie within) start..end, in ledger order."""
        decode = self._decode
        return [decode(i) for i in self.positions(start, end, within)]

    def raw_row(self, i: int) -> tuple[bytes | memoryview, int]:
        """Row i as stored (checked against its crc32) and that crc: for copying a row
        into a new store without decoding it."""
        if not i & 0xFFFF:
            self._store.release()
        return self._rows.raw(i, mapped=True), self._rows.crc(i)

    def bounds(self) -> tuple[Sequence[int], Sequence[int]]:
        """The start and end day numbers (see `day`) of every event, in ledger order."""
        return self._starts, self._ends
