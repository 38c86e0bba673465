"""Load and validate events.toml and sources.toml into frozen value classes.

Every record is checked before anything is printed; problems carry FILE:LINE:COL.
"""

from __future__ import annotations

import functools
import os
import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from farchron import dates
from farchron._frozen import Frozen
from farchron.errors import DataError, Problem

EVENTS_FILE = "events.toml"
SOURCES_FILE = "sources.toml"
PAPER_ID = "hanada-far-eastern-strategy"

#: Files above this size are refused before parsing (a typo'd path to a disk image, say);
#: $FARCHRON_MAX_BYTES overrides it (see max_bytes()).
MAX_BYTES = 1 << 30

ID_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")

EVENT_FIELDS = (
    "id", "title", "date", "summary", "aliases", "tags", "actors", "places", "citations",
)
CITATION_FIELDS = ("source", "note", "pages", "section")
NOTE_FIELDS = ("number", "text", "citations")
#: CSL-JSON variables in kebab case, plus the romanised name lists the paper needs.
SOURCE_FIELDS = (
    "id", "type", "title", "original-title", "translated-title", "short-title",
    "authors", "authors-romanised", "editors", "editors-romanised", "translators",
    "translators-romanised", "container-title", "container-original-title",
    "container-translated-title", "collection-title", "collection-number", "volume",
    "issue", "number", "page", "edition", "publisher", "publisher-place", "issued",
    "language", "archive", "archive-location", "url", "doi", "isbn", "note",
)
SOURCE_LIST_FIELDS = frozenset(
    {"authors", "authors-romanised", "editors", "editors-romanised", "translators",
     "translators-romanised"}
)


# Plain frozen classes rather than @dataclass(frozen=True, slots=True): a dataclass
# compiles its methods at import, ~1 ms a class on every run (see farchron/_frozen.py).


class Citation(Frozen):
    """A pointer from an event or note to the evidence: a note, or a work and a locator."""

    __slots__ = ("note", "pages", "section", "source")
    _fields = ("source", "note", "pages", "section")
    __match_args__ = _fields

    source: str | None
    note: int | None
    pages: str | None
    section: str | None

    def __init__(self, source: str | None = None, note: int | None = None,
                 pages: str | None = None, section: str | None = None) -> None:
        _set = object.__setattr__
        _set(self, "source", source)
        _set(self, "note", note)
        _set(self, "pages", pages)
        _set(self, "section", section)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"source": self.source, "pages": self.pages, "note": self.note}
        if self.section is not None:
            out["section"] = self.section
        return out


class Event(Frozen):
    """One dated happening of the ledger."""

    __slots__ = ("actors", "aliases", "citations", "date", "id", "places", "summary", "tags",
                 "title")
    _fields = ("id", "title", "date", "summary", "aliases", "tags", "actors", "places",
               "citations")
    __match_args__ = _fields

    id: str
    title: str
    date: dates.Date
    summary: str
    aliases: tuple[str, ...]
    tags: tuple[str, ...]
    actors: tuple[str, ...]
    places: tuple[str, ...]
    citations: tuple[Citation, ...]

    def __init__(self, id: str, title: str, date: dates.Date, summary: str = "",
                 aliases: tuple[str, ...] = (), tags: tuple[str, ...] = (),
                 actors: tuple[str, ...] = (), places: tuple[str, ...] = (),
                 citations: tuple[Citation, ...] = ()) -> None:
        _set = object.__setattr__
        _set(self, "id", id)
        _set(self, "title", title)
        _set(self, "date", date)
        _set(self, "summary", summary)
        _set(self, "aliases", aliases)
        _set(self, "tags", tags)
        _set(self, "actors", actors)
        _set(self, "places", places)
        _set(self, "citations", citations)

    @property
    def sort_key(self) -> tuple[Any, ...]:
        return (self.date.start, self.date.end, self.id)

    def to_json(self) -> dict[str, Any]:
        """The contract's JSON shape; open interval ends are null."""
        d = self.date
        return {
            "id": self.id,
            "title": self.title,
            "date": d.text,
            "start": d.start_iso or None,
            "end": d.end_iso or None,
            "summary": self.summary,
            "aliases": list(self.aliases),
            "tags": list(self.tags),
            "actors": list(self.actors),
            "places": list(self.places),
            "citations": [c.to_json() for c in self.citations],
        }


class Source(Frozen):
    """One bibliographic work; `fields` keeps every field as written, for the exporters.

    Equal and hashed by id, type, title, authors and issued (not `fields`).
    """

    __slots__ = ("authors", "fields", "id", "issued", "title", "type")
    _fields = ("id", "type", "title", "authors", "issued")
    _init_args = (*_fields, "fields")
    __match_args__ = _init_args

    id: str
    type: str
    title: str
    authors: tuple[str, ...]
    issued: str | None
    fields: Mapping[str, Any]

    def __init__(self, id: str, type: str, title: str,
                 authors: tuple[str, ...] = (), issued: str | None = None,
                 fields: Mapping[str, Any] | None = None) -> None:
        _set = object.__setattr__
        _set(self, "id", id)
        _set(self, "type", type)
        _set(self, "title", title)
        _set(self, "authors", authors)
        _set(self, "issued", issued)
        _set(self, "fields", {} if fields is None else fields)

    def get(self, name: str, default: Any = None) -> Any:
        return self.fields.get(name, default)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id, "type": self.type, "title": self.title,
            "authors": list(self.authors), "issued": self.issued,
        }
        for k, v in self.fields.items():
            if k not in out:
                out[k] = list(v) if isinstance(v, tuple) else v
        return out


class Note(Frozen):
    """One numbered note of the paper, as printed, resolved to its works."""

    __slots__ = ("citations", "number", "text")
    _fields = ("number", "text", "citations")
    __match_args__ = _fields

    number: int
    text: str
    citations: tuple[Citation, ...]

    def __init__(self, number: int, text: str, citations: tuple[Citation, ...] = ()) -> None:
        _set = object.__setattr__
        _set(self, "number", number)
        _set(self, "text", text)
        _set(self, "citations", citations)

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "citations": [{"source": c.source, "pages": c.pages} for c in self.citations],
            "text": self.text,
        }


class Ledger(Frozen):
    """The whole validated ledger; events are kept in chronological order.

    `events` is a tuple, or for a ledger loaded from the cache a lazy sequence
    (farchron.cache.EventSeq) that decodes events as they are read.
    """

    __slots__ = ("data_dir", "events", "notes", "sources", "warnings")
    _fields = ("events", "sources", "notes", "data_dir", "warnings")
    __match_args__ = _fields

    events: tuple[Event, ...]
    sources: Mapping[str, Source]
    notes: Mapping[int, Note]
    data_dir: Path
    warnings: tuple[Problem, ...]

    def __init__(self, events: tuple[Event, ...], sources: Mapping[str, Source],
                 notes: Mapping[int, Note], data_dir: Path,
                 warnings: tuple[Problem, ...] = ()) -> None:
        _set = object.__setattr__
        _set(self, "events", events)
        _set(self, "sources", sources)
        _set(self, "notes", notes)
        _set(self, "data_dir", data_dir)
        _set(self, "warnings", warnings)

    def event(self, event_id: str) -> Event | None:
        for e in self.events:
            if e.id == event_id:
                return e
        return None


# --------------------------------------------------------------------------- finding data


def shipped_data_dir() -> Path:
    """The ledger inside the installed package (or the repository root in a checkout)."""
    here = Path(__file__).resolve().parent
    packaged = here / "data"
    if (packaged / EVENTS_FILE).is_file():
        return packaged
    return here.parent


def find_data_dir(option: str | os.PathLike[str] | None = None) -> Path:
    """--data DIR > $FARCHRON_DATA > the current directory if it holds events.toml > shipped."""
    if option:
        return Path(option)
    env = os.environ.get("FARCHRON_DATA")
    if env:
        return Path(env)
    cwd = Path.cwd()
    if (cwd / EVENTS_FILE).is_file():
        return cwd
    return shipped_data_dir()


# --------------------------------------------------------------------------- reading TOML


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def max_bytes() -> int:
    """The size cap, read at call time so FARCHRON_MAX_BYTES works in a running process."""
    try:
        return int(os.environ.get("FARCHRON_MAX_BYTES", "") or MAX_BYTES)
    except ValueError:
        return MAX_BYTES


#: Compiled on first use (error path only) through re's own cache: start-up pays nothing.
_DATE_TYPO = r"\s*([A-Za-z0-9_-]+)\s*=\s*(-?\d{1,6}-\d{1,2}-\d{1,2}\S*)"


def _syntax_hint(text: str, line: int | None) -> str:
    """tomli's message for `date = 1939-02-30` is "Expected newline...": say what is wrong."""
    if not line:
        return ""
    lines = text.split("\n")
    if line > len(lines):
        return ""
    m = re.match(_DATE_TYPO, lines[line - 1])
    if not m:
        return ""
    return (f" ('{m.group(2)}' is not a valid TOML date; write {m.group(1)} = "
            f'"{m.group(2)}" as an EDTF string, or correct the day)')


def _deepest(text: str, limit: int) -> tuple[int | None, int | None]:
    """Where bracket nesting first passes `limit` (strings skipped roughly): error path only."""
    depth = 0
    quote = ""
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if quote:
            if ch == "\\" and quote == '"':
                i += 2
                continue
            if ch == quote or ch == "\n":
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == "#":
            nl = text.find("\n", i)
            i = n if nl < 0 else nl
            continue
        elif ch in "[{":
            depth += 1
            if depth > limit:
                return _position(text, i)
        elif ch in "]}":
            depth = max(0, depth - 1)
        i += 1
    return None, None


def read_toml(path: Path) -> tuple[dict[str, Any], str]:
    """Parse one TOML file; any failure becomes a DataError positioned at line:column."""
    text = read_text(path)
    return parse_toml(text, str(path)), text


def read_text(path: Path) -> str:
    """The text of a TOML file; a DataError if it is missing, too big or not UTF-8."""
    return decode_text(read_raw(path), str(path))


def read_raw(path: Path) -> bytes:
    """The bytes of a TOML file, less any byte-order mark; a DataError if missing or too big.

    A UTF-8 byte-order mark and CRLF line ends are accepted, since editors on
    Windows produce both. The size cap is enforced while reading, so a FIFO or a
    device named by mistake cannot make us read forever.
    """
    from farchron.store import DataFileError, read_capped

    name = str(path)
    try:  # stat first: a FIFO, a device or an oversized file is refused unread
        raw, _ = read_capped(path, max_bytes())
    except DataFileError as exc:
        raise DataError([Problem(name, None, None, exc.code, exc.message)]) from None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    return raw


def decode_text(raw: bytes, name: str) -> str:
    """UTF-8 text, or a DataError at the line and column of the first bad byte."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
            raise DataError([Problem(name, 1, 1, "encoding",
                                     "the file is UTF-16; save it as UTF-8")]) from None
        good = raw[: exc.start].decode("utf-8", errors="replace")
        line, col = _position(good, len(good))
        raise DataError([Problem(name, line, col, "encoding",
                                 f"invalid UTF-8 (byte 0x{raw[exc.start]:02x}); "
                                 "save the file as UTF-8")]) from None
    return text


def parse_toml(text: str, name: str) -> dict[str, Any]:
    """tomli's tree of the text; any failure becomes a DataError positioned at line:column."""
    import tomli

    try:
        doc = tomli.loads(text)
    except tomli.TOMLDecodeError as exc:
        msg = getattr(exc, "msg", str(exc))
        if msg == "Illegal character '\\n'":  # what tomli says for a missing closing quote
            msg = "unterminated string (a quoted string must end on its line)"
        line = getattr(exc, "lineno", None)
        col = getattr(exc, "colno", None)
        raise DataError([Problem(name, line, col, "toml-syntax",
                                 f"TOML syntax error: {msg}{_syntax_hint(text, line)}")]
                        ) from None
    except ValueError as exc:  # an integer of over 4,300 digits (int() refuses it)
        m = re.search(r"\d{4301,}", text)
        line, col = _position(text, m.start()) if m else (None, None)
        raise DataError([Problem(name, line, col, "too-long-number",
                                 "a number of more than 4,300 digits "
                                 f"({len(m.group()) if m else '?'} here)")]) from None
    except RecursionError:  # tomli stops at 400 levels of inline arrays/tables
        line, col = _deepest(text, 400)
        raise DataError([Problem(name, line, col, "too-deep",
                                 "arrays or inline tables nested too deep "
                                 "(more than 400 levels)")]) from None
    return doc


#: An events.toml of at least this many bytes is parsed in chunks (_chunked_events):
#: tomli's tree of a whole 450 MB file is over 2.5 GB; chunk by chunk it is never held.
CHUNK_MIN = 8 << 20
#: About 9k events of the usual size per chunk.
CHUNK_CHARS = 4 << 20


def _event_spans(data: str | bytes, size: int) -> list[tuple[int, int]]:
    """(start, end) of chunks of about `size` characters (or bytes), each starting at a
    line that starts with `[[event]]`; the first span is what comes before the first."""
    header: Any = "\n[[event]]" if isinstance(data, str) else b"\n[[event]]"
    if data.startswith(header[1:]):
        first = 0
    else:
        first = data.find(header) + 1
        if first == 0:
            return []
    spans = [(0, first)]
    pos, n = first, len(data)
    while pos < n:
        cut = data.find(header, pos + size) + 1 if pos + size < n else 0
        end = cut if cut > 0 else n
        spans.append((pos, end))
        pos = end
    return spans


def _chunked_events(data: str | bytes, loc: _Locator
                    ) -> tuple[list[Event], _Cites, list[Problem]] | None:
    """_build_events of a big events.toml, parsed chunk by chunk; None if that cannot be trusted.

    The file's bytes (or text) are cut before lines that start with `[[event]]`; each
    chunk is decoded and parsed by tomli, its records are validated and built, and its
    dicts are dropped before the next chunk, so a million events never exist as one
    tree of dicts, nor the file as one str (2 bytes a character once it holds kana).

    Why the result equals parsing the whole file: a cut that falls inside a multi-line
    string leaves the chunk before it with an unterminated string, which is a parse
    error; so if EVERY chunk parses, every cut was a real table header, and each
    chunk's [[event]] tables are the whole file's, in order. The part before the first
    header must not define `event` (a static array that a header would append to is an
    error in the whole file), and every later chunk must define nothing but `event` (a
    stray [table] between events, possibly redefined later, is left to the whole
    parse). On any parse error or other key this returns None and the caller parses the
    whole file as usual, so error messages and positions stay exactly as they are.
    """
    import tomli

    def parse(a: int, b: int) -> dict[str, Any]:
        part = data[a:b]
        return tomli.loads(part if isinstance(part, str) else part.decode("utf-8"))

    spans = _event_spans(data, CHUNK_CHARS)
    if not spans:
        return None
    try:
        head = parse(*spans[0])
    except (ValueError, RecursionError):  # TOMLDecodeError and UnicodeDecodeError too
        return None
    if "event" in head:
        return None
    failed = False

    def records() -> Iterator[Any]:
        nonlocal failed
        for a, b in spans[1:]:
            try:
                doc = parse(a, b)
            except (ValueError, RecursionError):  # TOMLDecodeError and UnicodeDecodeError too
                failed = True
                return
            if doc.keys() != {"event"}:
                failed = True
                return
            yield from doc.pop("event")
            del doc

    if workers() > 1:
        events = _parallel_events(data)
        if events is not None:  # every record valid, no id twice: what the serial path gives
            cites = [(i, f"event '{e.id}'", e.citations) for i, e in enumerate(events)]
            return events, cites, _stray_keys(head, loc, ["event"])
    built = _build_events(head, loc, records())
    return None if failed else built


def workers() -> int:
    """How many processes parse a chunked events.toml: $FARCHRON_WORKERS (1 keeps it in
    this process, for tests and debugging), else 2 when this process may use 2 cores."""
    try:
        n = int(os.environ.get("FARCHRON_WORKERS", ""))
    except ValueError:
        try:
            n = min(2, len(os.sched_getaffinity(0)))
        except AttributeError:  # not on Linux
            n = min(2, os.cpu_count() or 1)
    return max(1, min(n, 16))


#: One event as the workers send it: the cache's per-event tuple (see cache._dump).
_Row = tuple[Any, ...]


def _parallel_events(data: str | bytes) -> list[Event] | None:
    """The events of a big events.toml parsed and validated by this process and forked
    workers together; None when that cannot be done or is not clean (then the caller
    takes the serial path, which finds and words every problem exactly as before).

    Why: parsing and validating 100k events is ~6 s of one core. With N = workers(),
    the chunks are cut into N runs of about equal bytes: this process does the first
    itself, N - 1 forked workers one each. A worker inherits the bytes through fork,
    gets only a range of chunks, and sends back plain tuples (marshal), or nothing if
    a chunk fails to parse, holds another key, or a record is not one _valid_event
    accepts. Ids repeated across runs are found here. Workers ignore SIGINT (this
    process kills and reaps them on any exit), write nothing (stdout and stderr point
    at /dev/null) and leave with os._exit.
    """
    import marshal
    import signal

    try:
        import multiprocessing as mp
        from multiprocessing.connection import wait

        ctx = mp.get_context("fork")
    except (ImportError, ValueError):  # no fork on this platform
        return None
    n = workers()
    spans = _event_spans(data, min(CHUNK_CHARS, len(data) // (8 * n) + 1))[1:]
    total = sum(b - a for a, b in spans)
    bounds = [0]
    acc = 0
    for i, (a, b) in enumerate(spans):
        acc += b - a
        if acc * n >= total * len(bounds) and len(bounds) < n:
            bounds.append(i + 1)
    if bounds[-1] != len(spans):
        bounds.append(len(spans))
    if len(bounds) < 3:
        return None
    runs = [spans[bounds[k]:bounds[k + 1]] for k in range(len(bounds) - 1)]
    procs: list[Any] = []
    conns: list[Any] = []
    results: dict[int, list[_Row]] = {}
    try:
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})  # until each ignores it
        try:
            for run in runs[1:]:
                r, w = ctx.Pipe(duplex=False)
                p = ctx.Process(target=_chunk_worker, args=(data, run, w, [*conns, r]),
                                daemon=True)
                p.start()
                w.close()
                procs.append(p)
                conns.append(r)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        events = _chunk_events(data, runs[0])
        if events is None:
            return None
        pending = {c: k for k, c in enumerate(conns)}
        while pending:
            for c in wait(list(pending)):
                k = pending.pop(c)
                try:
                    rows = marshal.loads(c.recv_bytes())
                except (EOFError, OSError, ValueError):
                    rows = None
                if rows is None:
                    return None
                results[k] = rows
    except OSError:  # cannot fork (process limit, memory): serially then
        return None
    finally:
        for p in procs:
            if p.is_alive():
                p.kill()
            p.join()
        for c in conns:
            c.close()
    memo: dict[tuple[Any, ...], Citation] = {}
    seen_dates: dict[tuple[Any, ...], dates.Date] = {}
    for k in range(len(results)):
        for (eid, title, text, start, end, summary, aliases, tags, actors, places,
             cits) in results.pop(k):
            d = seen_dates.get((text, start, end))
            if d is None:
                d = seen_dates[text, start, end] = dates.restore(text, start, end)
            cs = []
            for c in cits:
                cit = memo.get(c)
                if cit is None:
                    cit = memo[c] = Citation(*c)
                cs.append(cit)
            events.append(Event(eid, title, d, summary, aliases, tags, actors, places,
                                tuple(cs)))
    if len({e.id for e in events}) != len(events):  # an id in two runs: serially it is worded
        return None
    return events


def _chunk_worker(data: str | bytes, spans: list[tuple[int, int]], conn: Any,
                  inherited: list[Any]) -> None:
    """In a forked child: the rows of `spans` to `conn` (nothing if not clean), then exit."""
    import marshal
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    try:
        for c in inherited:  # the parent's read ends: a child must not keep them open
            c.close()
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.dup2(null, 2)
        sys.stdout = sys.stderr = open(null, "w", closefd=False)  # noqa: SIM115
        events = _chunk_events(data, spans)
        if events is not None:
            conn.send_bytes(marshal.dumps([
                (e.id, e.title, e.date.text, e.date.start, e.date.end, e.summary, e.aliases,
                 e.tags, e.actors, e.places,
                 tuple((c.source, c.note, c.pages, c.section) for c in e.citations))
                for e in events]))
    except BaseException:  # the parent reads EOF and takes the serial path
        pass
    finally:
        os._exit(0)  # no teardown of a million objects, no atexit of the parent's


def _chunk_events(data: str | bytes, spans: list[tuple[int, int]]) -> list[Event] | None:
    """The events of the chunks, if all parse and every record passes _valid_event."""
    import tomli

    seen: dict[str, int] = {}
    memo: dict[tuple[Any, ...], Citation] = {}
    events: list[Event] = []
    for a, b in spans:
        part = data[a:b]
        try:
            doc = tomli.loads(part if isinstance(part, str) else part.decode("utf-8"))
        except (ValueError, RecursionError):  # TOMLDecodeError and UnicodeDecodeError too
            return None
        if doc.keys() != {"event"}:
            return None
        for rec in doc.pop("event"):
            ev = _valid_event(rec, seen, memo)
            if ev is None:
                return None
            seen[ev.id] = 0
            events.append(ev)
        del doc
    return events


# --------------------------------------------------------------------------- locating records


class _Locator:
    """Finds the line of the n-th [[table]] of an array (and of a key inside it), lazily.

    Why a text scan rather than a TOML reader that keeps positions: tomli (fast,
    compiled) keeps none, and tomlkit, which does, parses about ten times slower,
    a cost every command would pay on the happy path. The ledger's layout is
    regular (one `[[event]]` header per record, one `key = value` per line), so
    after tomli has accepted the text, finding the n-th header and a key below it
    is reliable; and it runs only when there is something to report.
    """

    def __init__(self, path: Path, text: str | bytes) -> None:
        self.path = str(path)
        self._text = text  # bytes (valid UTF-8) are decoded only when a line is wanted
        self._starts: dict[str, list[int]] = {}
        self._lines: list[str] | None = None
        self._in_string: list[bool] | None = None

    @property
    def text(self) -> str:
        if isinstance(self._text, bytes):
            self._text = self._text.decode("utf-8")
        return self._text

    @property
    def lines(self) -> list[str]:
        if self._lines is None:
            # split("\n"), not splitlines(): TOML ends lines only at LF (or CRLF), while
            # splitlines() also breaks at U+2028, FF, NEL... that may sit inside strings.
            self._lines = self.text.split("\n")
            inside: list[bool] = []
            delim = ""
            for ln in self._lines:
                inside.append(bool(delim))
                for m in re.finditer(r'"""|\'\'\'', ln):
                    tok = m.group(0)
                    if not delim:
                        delim = tok
                    elif tok == delim:
                        delim = ""
            self._in_string = inside
        return self._lines

    def _headers(self, array: str) -> list[int]:
        if array not in self._starts:
            lines = self.lines
            assert self._in_string is not None
            pat = re.compile(r"\s*\[\[\s*(?:" + re.escape(array) + r'|"' + re.escape(array)
                             + r'"|\'' + re.escape(array) + r"')\s*\]\]")
            self._starts[array] = [i for i, ln in enumerate(lines)
                                   if not self._in_string[i] and pat.match(ln)]
        return self._starts[array]

    def top(self, key: str) -> int | None:
        """The line of a top-level `key = ...` or `[key...` (for stray top-level keys)."""
        pat = re.compile(r"\s*(?:\[+\s*)?[\"']?" + re.escape(key) + r"[\"']?\s*[=.\]]")
        for i, ln in enumerate(self.lines):
            if pat.match(ln):
                return i + 1
        return None

    def line(self, array: str, index: int, key: str | None = None,
             value: str | re.Pattern[str] | None = None) -> int | None:
        """Line of record `index` of `array`; of `key` in it; of `value` at or after the key."""
        heads = self._headers(array)
        if index >= len(heads):
            return None
        first = heads[index]
        if key is None:
            return first + 1
        lines = self.lines
        last = heads[index + 1] if index + 1 < len(heads) else len(lines)
        pat = re.compile(r"\s*(?:" + re.escape(key) + r'|"' + re.escape(key) + r'")\s*=')
        hit = next((i for i in range(first + 1, last) if pat.match(lines[i])), None)
        if hit is None:
            return first + 1
        if value is not None:
            for i in range(hit, last):
                if (value.search(lines[i]) if isinstance(value, re.Pattern)
                        else value in lines[i]):
                    return i + 1
        return hit + 1

    def problem(self, code: str, message: str, array: str, index: int,
                key: str | None = None, value: str | re.Pattern[str] | None = None,
                severity: str = "error") -> Problem:
        return Problem(self.path, self.line(array, index, key, value), None, code, message,
                       severity)


# --------------------------------------------------------------------------- validation


def _nearest(name: str, known: Iterable[str]) -> str:
    import difflib

    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _type_name(value: object) -> str:
    import datetime as _dt  # here, not at the top: a cached load never needs it

    return {
        bool: "a boolean", int: "an integer", float: "a number", str: "a string",
        list: "an array", dict: "a table", _dt.date: "a date", _dt.datetime: "a date-time",
        _dt.time: "a time",
    }.get(type(value), type(value).__name__)


class _Checker:
    """Collects problems while building records, so `check` can report them all at once."""

    def __init__(self, loc: _Locator, array: str) -> None:
        self.loc = loc
        self.array = array
        self.problems: list[Problem] = []
        self._citations: dict[tuple[Any, ...], Citation] = {}

    def add(self, index: int, code: str, message: str, key: str | None = None,
            value: str | re.Pattern[str] | None = None, severity: str = "error") -> None:
        self.problems.append(
            self.loc.problem(code, message, self.array, index, key, value, severity))

    def text(self, rec: dict[str, Any], index: int, key: str, what: str,
             required: bool = False) -> str | None:
        value = rec.get(key)
        if value is None:
            if required:
                self.add(index, "missing-field", f"{what} has no '{key}'")
            return None
        if not isinstance(value, str):
            self.add(index, "wrong-type",
                     f"'{key}' must be a string, not {_type_name(value)}", key)
            return None
        if required and not value.strip():
            self.add(index, "empty-field", f"'{key}' is empty", key)
        return value

    def strings(self, rec: dict[str, Any], index: int, key: str) -> tuple[str, ...]:
        value = rec.get(key)
        if value is None:
            return ()
        if isinstance(value, list):
            try:  # str.join checks every item is a string, in C: the happy path stays cheap
                "".join(value)
            except TypeError:
                pass
            else:
                return tuple(value)
        self.add(index, "wrong-type", f"'{key}' must be an array of strings", key)
        return ()

    def unknown(self, rec: dict[str, Any], index: int, known: tuple[str, ...],
                what: str) -> None:
        if rec.keys() <= _known_set(known):  # the usual case, checked in C
            return
        for k in rec:
            if k not in known:
                self.add(index, "unknown-field",
                         f"unknown field '{k}' in {what}{_nearest(k, known)}", k,
                         severity="warning")

    def citations(self, rec: dict[str, Any], index: int, what: str,
                  required: bool) -> tuple[Citation, ...]:
        raw = rec.get("citations")
        if raw is None:
            if required:
                self.add(index, "missing-field",
                         f"{what} has no 'citations': every {what.split()[0]} must be cited")
            return ()
        if not isinstance(raw, list) or not all(isinstance(c, dict) for c in raw):
            self.add(index, "wrong-type", "'citations' must be an array of tables",
                     "citations")
            return ()
        if required and not raw:
            self.add(index, "missing-field",
                     f"{what} has an empty 'citations': every {what.split()[0]} must be cited",
                     "citations")
        out = []
        for c in raw:
            for k in ([] if c.keys() <= _CITATION_KEYS else c):
                if k not in CITATION_FIELDS:
                    self.add(index, "unknown-field",
                             f"unknown field '{k}' in a citation{_nearest(k, CITATION_FIELDS)}",
                             "citations", k, severity="warning")
            source, note, pages, section = (c.get("source"), c.get("note"), c.get("pages"),
                                            c.get("section"))
            ok = True
            if source is not None and not isinstance(source, str):
                self.add(index, "wrong-type", "citation 'source' must be a string",
                         "citations")
                ok = False
            if note is not None and (not isinstance(note, int) or isinstance(note, bool)):
                self.add(index, "wrong-type", "citation 'note' must be an integer",
                         "citations")
                ok = False
            if isinstance(pages, int) and not isinstance(pages, bool):
                pages = str(pages)
            if pages is not None and not isinstance(pages, str):
                self.add(index, "wrong-type", "citation 'pages' must be a string",
                         "citations")
                ok = False
            if section is not None and not isinstance(section, str):
                self.add(index, "wrong-type", "citation 'section' must be a string",
                         "citations")
                ok = False
            if ok and source is None and note is None:
                self.add(index, "wrong-type", "a citation needs a 'note' or a 'source'",
                         "citations")
                ok = False
            if ok:
                ckey = (source, note, pages, section)
                cit = self._citations.get(ckey)
                if cit is None:  # equal citations share one object: less memory, less time
                    cit = self._citations[ckey] = Citation(source, note, pages, section)
                out.append(cit)
        return tuple(out)


#: Dates are immutable and a large ledger repeats many: parse each text once.
_parse_date = functools.lru_cache(maxsize=1 << 16)(dates.parse)
_CITATION_KEYS = frozenset(CITATION_FIELDS)
_KNOWN_SETS: dict[tuple[str, ...], frozenset[str]] = {}


def _known_set(known: tuple[str, ...]) -> frozenset[str]:
    ks = _KNOWN_SETS.get(known)
    if ks is None:
        ks = _KNOWN_SETS[known] = frozenset(known)
    return ks


def _event_date(value: object) -> dates.Date:
    if isinstance(value, str):
        return _parse_date(value)
    import datetime as _dt  # TOML dates only; start-up of a cached load skips the import

    if isinstance(value, _dt.datetime):
        # Not strftime: it writes year 5 as "5", which is no EDTF year.
        text = (f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
                f"T{value.hour:02d}:{value.minute:02d}"
                + (f":{value.second:02d}" if value.second else ""))
        return dates.parse(text)
    if isinstance(value, _dt.date):
        return dates.from_ymd(value.year, value.month, value.day)
    raise TypeError(_type_name(value))


def _array(doc: dict[str, Any], name: str, loc: _Locator, problems: list[Problem]) -> list[Any]:
    raw = doc.get(name, [])
    if not isinstance(raw, list) or not all(isinstance(r, dict) for r in raw):
        problems.append(Problem(loc.path, loc.top(name), None, "wrong-type",
                                f"'{name}' must be an array of tables ([[{name}]])"))
        return []
    return raw


def _stray_keys(doc: dict[str, Any], loc: _Locator, known: list[str]) -> list[Problem]:
    return [Problem(loc.path, loc.top(key), None, "unknown-field",
                    f"unknown top-level key '{key}'{_nearest(key, known)}", "warning")
            for key in doc if key not in known]


def build_events(doc: dict[str, Any], loc: _Locator) -> tuple[list[Event], list[Problem]]:
    """Turn the parsed events.toml into Events; problems for everything wrong."""
    events, _, problems = _build_events(doc, loc)
    return events, problems


#: (index of the record's table in its file, label, the record's citations)
_Cites = list[tuple[int, str, tuple[Citation, ...]]]


_EVENT_KEYS = frozenset(EVENT_FIELDS)
_STRING_LISTS = ("aliases", "tags", "actors", "places")


def _valid_event(rec: dict[str, Any], seen: dict[str, int],
                 memo: dict[tuple[Any, ...], Citation]) -> Event | None:
    """The Event for a record that passes every check below, else None (then the
    checker goes through it field by field and says what is wrong).

    Why: on 100k events the field-by-field checker cost as much as parsing the TOML.
    This accepts only what the checker would accept without a word; keep the two in step.
    """
    if not rec.keys() <= _EVENT_KEYS:
        return None
    eid, title, text = rec.get("id"), rec.get("title"), rec.get("date")
    if type(eid) is not str or type(title) is not str or type(text) is not str:
        return None
    if eid in seen or not ID_RE.match(eid) or not title.strip():
        return None
    summary = rec.get("summary", "")
    if type(summary) is not str:
        return None
    lists: list[tuple[str, ...]] = []
    for key in _STRING_LISTS:
        v = rec.get(key)
        if v is None:
            lists.append(())
            continue
        if type(v) is not list:
            return None
        try:
            "".join(v)
        except TypeError:
            return None
        # tags, actors and places recur: one str each (1M events: ~0.3 GB less)
        lists.append(tuple(v) if key == "aliases" else tuple(map(sys.intern, v)))
    raw = rec.get("citations")
    if type(raw) is not list or not raw:
        return None
    cits = []
    for c in raw:
        if type(c) is not dict or not c.keys() <= _CITATION_KEYS:
            return None
        key = (c.get("source"), c.get("note"), c.get("pages"), c.get("section"))
        source, note, pages, section = key
        if ((source is None and note is None)
                or (source is not None and type(source) is not str)
                or (note is not None and type(note) is not int)
                or (pages is not None and type(pages) is not str)
                or (section is not None and type(section) is not str)):
            return None
        cit = memo.get(key)
        if cit is None:
            cit = memo[key] = Citation(source, note, pages, section)
        cits.append(cit)
    try:
        date = _parse_date(text)
    except dates.DateError:
        return None
    return Event(eid, title, date, summary, lists[0], lists[1], lists[2], lists[3], tuple(cits))


def _build_events(doc: dict[str, Any], loc: _Locator, records: Iterable[Any] | None = None,
                  ) -> tuple[list[Event], _Cites, list[Problem]]:
    """Events, the citations of every [[event]] table (valid or not), and the problems.

    Citations of records dropped for another fault are kept, so that a typo in a
    date does not hide a citation to a missing note. `records` (else doc["event"])
    may be an iterator, so that they are built chunk by chunk.
    """
    chk = _Checker(loc, "event")
    events: list[Event] = []
    cites: _Cites = []
    seen: dict[str, int] = {}
    chk.problems += _stray_keys(doc, loc, ["event"])
    memo = chk._citations
    if records is None:
        records = _array(doc, "event", loc, chk.problems)
    for i, rec in enumerate(records):
        ev = _valid_event(rec, seen, memo)
        if ev is not None:  # the usual case, in one pass; anything odd goes the long way
            seen[ev.id] = i
            cites.append((i, f"event '{ev.id}'", ev.citations))
            events.append(ev)
            continue
        eid = chk.text(rec, i, "id", f"event #{i + 1}", required=True)
        label = f"event '{eid}'" if eid else f"event #{i + 1}"
        if eid is not None:
            if not ID_RE.match(eid):
                chk.add(i, "bad-id", f"id '{eid}' must be lowercase letters, digits and "
                        "single hyphens ([a-z0-9-])", "id")
            if eid in seen:
                chk.add(i, "duplicate-id",
                        f"duplicate id '{eid}' (first used by event #{seen[eid] + 1}, line "
                        f"{loc.line('event', seen[eid], 'id')})", "id")
            else:
                seen[eid] = i
        title = chk.text(rec, i, "title", label, required=True)
        date = None
        if "date" not in rec:
            chk.add(i, "missing-field", f"{label} has no 'date'")
        else:
            try:
                date = _event_date(rec["date"])
            except dates.DateError as exc:
                chk.add(i, "invalid-date", str(exc), "date")
            except TypeError as exc:
                chk.add(i, "wrong-type",
                        f"'date' must be an EDTF string such as \"1939-08-23\", not {exc}",
                        "date")
        summary = chk.text(rec, i, "summary", label) or ""
        aliases = chk.strings(rec, i, "aliases")
        tags = chk.strings(rec, i, "tags")
        actors = chk.strings(rec, i, "actors")
        places = chk.strings(rec, i, "places")
        cits = chk.citations(rec, i, label, required=True)
        cites.append((i, label, cits))
        chk.unknown(rec, i, EVENT_FIELDS, label)
        if eid and title is not None and date is not None:
            events.append(Event(eid, title, date, summary, aliases, tags, actors, places, cits))
    return events, cites, chk.problems


def build_sources(doc: dict[str, Any], loc: _Locator
                  ) -> tuple[dict[str, Source], dict[int, Note], list[Problem]]:
    """Turn the parsed sources.toml into Sources and Notes."""
    sources, notes, _, problems, _ = _build_sources(doc, loc)
    return sources, notes, problems


def _build_sources(doc: dict[str, Any], loc: _Locator
                   ) -> tuple[dict[str, Source], dict[int, Note], dict[str, int], list[Problem],
                              dict[int, Note]]:
    """Sources, Notes, where each id and number is (valid record or not), the problems,
    and every numbered note including invalid ones (for the cross-checks).

    `where` maps "source:ID" and "note:N" to the index of the table in the file;
    a reference to an invalid record is not also reported as unknown.
    """
    problems: list[Problem] = _stray_keys(doc, loc, ["source", "note"])
    where: dict[str, int] = {}
    chk = _Checker(loc, "source")
    sources: dict[str, Source] = {}
    for i, rec in enumerate(_array(doc, "source", loc, problems)):
        sid = chk.text(rec, i, "id", f"source #{i + 1}", required=True)
        label = f"source '{sid}'" if sid else f"source #{i + 1}"
        if sid is not None:
            where.setdefault(f"source:{sid}", i)
            if not ID_RE.match(sid):
                chk.add(i, "bad-id", f"id '{sid}' must be lowercase letters, digits and "
                        "single hyphens ([a-z0-9-])", "id")
            if sid in sources:
                chk.add(i, "duplicate-id", f"duplicate source id '{sid}'", "id")
        stype = chk.text(rec, i, "type", label, required=True)
        title = chk.text(rec, i, "title", label, required=True)
        fields: dict[str, Any] = {}
        for k, v in rec.items():
            if k in SOURCE_LIST_FIELDS:
                fields[k] = chk.strings(rec, i, k)
            elif k in SOURCE_FIELDS:
                if isinstance(v, int) and not isinstance(v, bool):
                    v = str(v)
                if not isinstance(v, str):
                    chk.add(i, "wrong-type",
                            f"'{k}' must be a string, not {_type_name(v)}", k)
                    continue
                fields[k] = v
        issued = fields.get("issued")
        if issued is not None:
            try:
                dates.parse(issued)
            except dates.DateError as exc:
                chk.add(i, "invalid-date", str(exc), "issued")
        chk.unknown(rec, i, SOURCE_FIELDS, label)
        if sid and stype and title is not None and sid not in sources:
            sources[sid] = Source(sid, stype, title, fields.get("authors", ()), issued, fields)
    problems += chk.problems

    nchk = _Checker(loc, "note")
    notes: dict[int, Note] = {}
    note_cites: dict[int, tuple[Citation, ...]] = {}
    for i, rec in enumerate(_array(doc, "note", loc, problems)):
        num = rec.get("number")
        if num is None:
            nchk.add(i, "missing-field", f"note #{i + 1} has no 'number'")
        elif not isinstance(num, int) or isinstance(num, bool) or num < 1:
            nchk.add(i, "wrong-type", "'number' must be a positive integer", "number")
            num = None
        elif num in notes:
            nchk.add(i, "duplicate-id", f"duplicate note number {num}", "number")
            num = None
        label = f"note {num}" if num is not None else f"note #{i + 1}"
        text = nchk.text(rec, i, "text", label, required=True)
        cits = nchk.citations(rec, i, label, required=True)
        if num is not None:
            where[f"note:{num}"] = i
            note_cites[num] = cits
        for c in cits:
            if c.source is None:
                nchk.add(i, "wrong-type", f"{label}: a note's citation needs a 'source'",
                         "citations")
        nchk.unknown(rec, i, NOTE_FIELDS, label)
        if num is not None and text is not None:
            notes[num] = Note(num, text, cits)
    problems += nchk.problems
    # Notes that were dropped still count for cross-checks: keep their citations.
    notes_all = {n: notes.get(n) or Note(n, "", c) for n, c in note_cites.items()}
    return sources, notes, where, problems, notes_all


def cross_check(ev_cites: _Cites, ev_loc: _Locator, notes: Mapping[int, Note],
                where: Mapping[str, int], src_loc: _Locator) -> list[Problem]:
    """Every citation points at something that exists; every work is cited.

    `ev_cites` holds the citations of every [[event]] table, `notes` every numbered
    note and `where` every source id and note number found, valid or not, so that
    one fault is reported once and lines stay right.
    """
    problems: list[Problem] = []
    cited: set[str] = set()
    known = [k[7:] for k in where if k.startswith("source:")]

    def unknown(sid: str) -> bool:
        return f"source:{sid}" not in where

    for i, label, cits in ev_cites:
        for c in cits:
            if c.note is not None:
                if c.note not in notes:
                    problems.append(ev_loc.problem(
                        "unknown-note", f"{label} cites note {c.note}, which "
                        f"{SOURCES_FILE} does not have", "event", i, "citations",
                        re.compile(rf"\bnote\s*=\s*{c.note}\b")))
                else:
                    cited.update(x.source for x in notes[c.note].citations if x.source)
            if c.source is not None:
                cited.add(c.source)
                if unknown(c.source):
                    problems.append(ev_loc.problem(
                        "unknown-source", f"{label} cites unknown source "
                        f"'{c.source}'{_nearest(c.source, known)}", "event", i,
                        "citations", c.source))
    for n in notes.values():
        for c in n.citations:
            if c.source is None:
                continue
            cited.add(c.source)
            if unknown(c.source):
                problems.append(src_loc.problem(
                    "unknown-source", f"note {n.number} cites unknown source "
                    f"'{c.source}'{_nearest(c.source, known)}", "note",
                    where[f"note:{n.number}"], "citations", c.source))
    for sid in known:
        if sid not in cited and sid != PAPER_ID:
            problems.append(src_loc.problem(
                "unused-source", f"source '{sid}' is never cited", "source",
                where[f"source:{sid}"], "id", severity="warning"))
    return problems


def collect(data_dir: Path) -> tuple[Ledger | None, list[Problem]]:
    """Read and validate both files; never raises for bad data, returns every problem.

    A file that cannot be parsed does not stop the other from being checked; the
    ledger is None then, and citations across the files are not checked.
    """
    problems: list[Problem] = []
    ev_path, src_path = data_dir / EVENTS_FILE, data_dir / SOURCES_FILE
    built_events = built_sources = None
    try:
        ev_raw = read_raw(ev_path)
    except DataError as exc:
        problems += exc.problems
    else:
        if len(ev_raw) >= CHUNK_MIN:
            ev_loc = _Locator(ev_path, ev_raw)
            built_events = _chunked_events(ev_raw, ev_loc)
        if built_events is None:
            try:
                ev_text = decode_text(ev_raw, str(ev_path))
                del ev_raw
                ev_loc = _Locator(ev_path, ev_text)
                built_events = _build_events(parse_toml(ev_text, str(ev_path)), ev_loc)
            except DataError as exc:
                problems += exc.problems
        if built_events is not None:
            problems += built_events[2]
    parsed: dict[str, tuple[dict[str, Any], str]] = {}
    try:
        parsed[SOURCES_FILE] = read_toml(src_path)
    except DataError as exc:
        problems += exc.problems
    if SOURCES_FILE in parsed:
        src_loc = _Locator(src_path, parsed[SOURCES_FILE][1])
        built_sources = _build_sources(parsed[SOURCES_FILE][0], src_loc)
        problems += built_sources[3]
    if built_events is None or built_sources is None:
        problems.sort(key=lambda p: (p.file != str(ev_path), p.line or 0))
        return None, problems
    events, ev_cites, _ = built_events
    sources, notes, where, _, notes_all = built_sources
    problems += cross_check(ev_cites, ev_loc, notes_all, where, src_loc)
    problems.sort(key=lambda p: (p.file != str(ev_path), p.line or 0))
    events.sort(key=lambda e: e.sort_key)
    warnings = tuple(p for p in problems if p.severity == "warning")
    ledger = Ledger(tuple(events), sources, dict(sorted(notes.items())), data_dir, warnings)
    return ledger, problems


def load(data_dir: Path) -> Ledger:
    """The validated ledger, or a DataError listing the errors (warnings do not block)."""
    ledger, problems = collect(data_dir)
    errors = [p for p in problems if p.severity == "error"]
    if errors or ledger is None:
        raise DataError(errors or problems)
    return ledger
