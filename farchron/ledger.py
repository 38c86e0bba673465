"""Load and validate events.toml and sources.toml into frozen dataclasses.

Every record is checked before anything is printed; problems carry FILE:LINE:COL.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from farchron import dates
from farchron.errors import DataError, Problem

EVENTS_FILE = "events.toml"
SOURCES_FILE = "sources.toml"
PAPER_ID = "hanada-far-eastern-strategy"

#: Files above this size are refused before parsing (a typo'd path to a disk image, say).
MAX_BYTES = int(os.environ.get("FARCHRON_MAX_BYTES", str(1 << 30)))

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


@dataclass(frozen=True, slots=True)
class Citation:
    """A pointer from an event or note to the evidence: a note, or a work and a locator."""

    source: str | None = None
    note: int | None = None
    pages: str | None = None
    section: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"source": self.source, "pages": self.pages, "note": self.note}
        if self.section is not None:
            out["section"] = self.section
        return out


@dataclass(frozen=True, slots=True)
class Event:
    """One dated happening of the ledger."""

    id: str
    title: str
    date: dates.Date
    summary: str = ""
    aliases: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    citations: tuple[Citation, ...] = ()

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


@dataclass(frozen=True, slots=True)
class Source:
    """One bibliographic work; `fields` keeps every field as written, for the exporters."""

    id: str
    type: str
    title: str
    authors: tuple[str, ...] = ()
    issued: str | None = None
    fields: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)

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


@dataclass(frozen=True, slots=True)
class Note:
    """One numbered note of the paper, as printed, resolved to its works."""

    number: int
    text: str
    citations: tuple[Citation, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "citations": [{"source": c.source, "pages": c.pages} for c in self.citations],
            "text": self.text,
        }


@dataclass(frozen=True, slots=True)
class Ledger:
    """The whole validated ledger; events are kept in chronological order."""

    events: tuple[Event, ...]
    sources: Mapping[str, Source]
    notes: Mapping[int, Note]
    data_dir: Path
    warnings: tuple[Problem, ...] = ()

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


def read_toml(path: Path) -> tuple[dict[str, Any], str]:
    """Parse one TOML file; any failure becomes a DataError positioned at line:column.

    A UTF-8 byte-order mark and CRLF line ends are accepted, since editors on
    Windows produce both.
    """
    name = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise DataError([Problem(name, None, None, "too-large",
                                     f"file is {size} bytes, over the {MAX_BYTES}-byte limit "
                                     "(set FARCHRON_MAX_BYTES to raise it)")])
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataError([Problem(name, None, None, "missing-file", "no such file")]) from None
    except IsADirectoryError:
        raise DataError([Problem(name, None, None, "unreadable", "is a directory")]) from None
    except OSError as exc:
        raise DataError([Problem(name, None, None, "unreadable",
                                 exc.strerror or str(exc))]) from None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        good = raw[: exc.start].decode("utf-8", errors="replace")
        line, col = _position(good, len(good))
        raise DataError([Problem(name, line, col, "encoding",
                                 f"invalid UTF-8 (byte 0x{raw[exc.start]:02x}); "
                                 "save the file as UTF-8")]) from None
    import tomli

    try:
        doc = tomli.loads(text)
    except tomli.TOMLDecodeError as exc:
        msg = getattr(exc, "msg", str(exc))
        line = getattr(exc, "lineno", None)
        col = getattr(exc, "colno", None)
        raise DataError([Problem(name, line, col, "toml-syntax",
                                 f"TOML syntax error: {msg}")]) from None
    except RecursionError:
        raise DataError([Problem(name, None, None, "too-deep",
                                 "nesting too deep")]) from None
    return doc, text


# --------------------------------------------------------------------------- locating records


class _Locator:
    """Finds the line of the n-th [[table]] of an array (and of a key inside it), lazily.

    tomli keeps no positions, so on the error path only we scan the text: cheap,
    and the happy path pays nothing.
    """

    def __init__(self, path: Path, text: str) -> None:
        self.path = str(path)
        self.text = text
        self._starts: dict[str, list[int]] = {}
        self._lines: list[str] | None = None

    def _headers(self, array: str) -> list[int]:
        if array not in self._starts:
            if self._lines is None:
                self._lines = self.text.splitlines()
            pat = re.compile(r"\s*\[\[\s*" + re.escape(array) + r"\s*\]\]")
            self._starts[array] = [i for i, ln in enumerate(self._lines) if pat.match(ln)]
        return self._starts[array]

    def line(self, array: str, index: int, key: str | None = None,
             value: str | None = None) -> int | None:
        heads = self._headers(array)
        if index >= len(heads):
            return None
        first = heads[index]
        if key is None:
            return first + 1
        assert self._lines is not None
        last = heads[index + 1] if index + 1 < len(heads) else len(self._lines)
        pat = re.compile(r"\s*(?:" + re.escape(key) + r'|"' + re.escape(key) + r'")\s*=')
        hit = None
        for i in range(first + 1, last):
            ln = self._lines[i]
            if value is not None and value in ln:
                return i + 1
            if hit is None and pat.match(ln):
                hit = i + 1
        return hit if hit is not None else first + 1

    def problem(self, code: str, message: str, array: str, index: int,
                key: str | None = None, value: str | None = None,
                severity: str = "error") -> Problem:
        return Problem(self.path, self.line(array, index, key, value), None, code, message,
                       severity)


# --------------------------------------------------------------------------- validation


def _nearest(name: str, known: Iterable[str]) -> str:
    import difflib

    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _type_name(value: object) -> str:
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

    def add(self, index: int, code: str, message: str, key: str | None = None,
            value: str | None = None, severity: str = "error") -> None:
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
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return tuple(value)
        self.add(index, "wrong-type", f"'{key}' must be an array of strings", key)
        return ()

    def unknown(self, rec: dict[str, Any], index: int, known: tuple[str, ...],
                what: str) -> None:
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
            for k in c:
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
                out.append(Citation(source, note, pages, section))
        return tuple(out)


def _event_date(value: object) -> dates.Date:
    if isinstance(value, str):
        return dates.parse(value)
    if isinstance(value, _dt.datetime):
        text = value.strftime("%Y-%m-%dT%H:%M") + (
            f":{value.second:02d}" if value.second else "")
        return dates.parse(text)
    if isinstance(value, _dt.date):
        return dates.from_ymd(value.year, value.month, value.day)
    raise TypeError(_type_name(value))


def _array(doc: dict[str, Any], name: str, path: Path, problems: list[Problem]) -> list[Any]:
    raw = doc.get(name, [])
    if not isinstance(raw, list) or not all(isinstance(r, dict) for r in raw):
        problems.append(Problem(str(path), None, None, "wrong-type",
                                f"'{name}' must be an array of tables ([[{name}]])"))
        return []
    return raw


def build_events(doc: dict[str, Any], loc: _Locator) -> tuple[list[Event], list[Problem]]:
    """Turn the parsed events.toml into Events; problems for everything wrong."""
    chk = _Checker(loc, "event")
    events: list[Event] = []
    seen: dict[str, int] = {}
    for key in doc:
        if key != "event":
            chk.problems.append(Problem(loc.path, None, None, "unknown-field",
                                        f"unknown top-level key '{key}'"
                                        f"{_nearest(key, ['event'])}", "warning"))
    for i, rec in enumerate(_array(doc, "event", Path(loc.path), chk.problems)):
        eid = chk.text(rec, i, "id", "event", required=True)
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
        chk.unknown(rec, i, EVENT_FIELDS, label)
        if eid and title is not None and date is not None:
            events.append(Event(eid, title, date, summary, aliases, tags, actors, places, cits))
    return events, chk.problems


def build_sources(doc: dict[str, Any], loc: _Locator
                  ) -> tuple[dict[str, Source], dict[int, Note], list[Problem]]:
    """Turn the parsed sources.toml into Sources and Notes."""
    problems: list[Problem] = []
    for key in doc:
        if key not in ("source", "note"):
            problems.append(Problem(loc.path, None, None, "unknown-field",
                                    f"unknown top-level key '{key}'"
                                    f"{_nearest(key, ['source', 'note'])}", "warning"))
    chk = _Checker(loc, "source")
    sources: dict[str, Source] = {}
    for i, rec in enumerate(_array(doc, "source", Path(loc.path), problems)):
        sid = chk.text(rec, i, "id", "source", required=True)
        label = f"source '{sid}'" if sid else f"source #{i + 1}"
        if sid is not None:
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
    for i, rec in enumerate(_array(doc, "note", Path(loc.path), problems)):
        num = rec.get("number")
        if num is None:
            nchk.add(i, "missing-field", f"note #{i + 1} has no 'number'")
        elif not isinstance(num, int) or isinstance(num, bool) or num < 1:
            nchk.add(i, "wrong-type", "'number' must be a positive integer", "number")
            num = None
        elif num in notes:
            nchk.add(i, "duplicate-id", f"duplicate note number {num}", "number")
            num = None
        text = nchk.text(rec, i, "text", f"note {num}", required=True)
        cits = nchk.citations(rec, i, f"note {num}", required=True)
        for c in cits:
            if c.source is None:
                nchk.add(i, "wrong-type", f"note {num}: a note's citation needs a 'source'",
                         "citations")
        nchk.unknown(rec, i, NOTE_FIELDS, f"note {num}")
        if num is not None and text is not None:
            notes[num] = Note(num, text, cits)
    problems += nchk.problems
    return sources, notes, problems


def cross_check(events: list[Event], ev_loc: _Locator, sources: dict[str, Source],
                notes: dict[int, Note], src_loc: _Locator,
                event_index: dict[str, int] | None = None) -> list[Problem]:
    """Every citation points at something that exists; every work is cited."""
    problems: list[Problem] = []
    cited: set[str] = set()
    index = event_index or {}
    for pos, e in enumerate(events):
        i = index.get(e.id, pos)
        for c in e.citations:
            if c.note is not None:
                if c.note not in notes:
                    problems.append(ev_loc.problem(
                        "unknown-note", f"event '{e.id}' cites note {c.note}, which "
                        f"{SOURCES_FILE} does not have", "event", i, "citations",
                        f"note = {c.note}"))
                else:
                    cited.update(x.source for x in notes[c.note].citations if x.source)
            if c.source is not None:
                cited.add(c.source)
                if c.source not in sources:
                    problems.append(ev_loc.problem(
                        "unknown-source", f"event '{e.id}' cites unknown source "
                        f"'{c.source}'{_nearest(c.source, sources)}", "event", i,
                        "citations", c.source))
    note_index = {n: i for i, n in enumerate(notes)}
    for n in notes.values():
        for c in n.citations:
            if c.source is None:
                continue
            cited.add(c.source)
            if c.source not in sources:
                problems.append(src_loc.problem(
                    "unknown-source", f"note {n.number} cites unknown source "
                    f"'{c.source}'{_nearest(c.source, sources)}", "note",
                    note_index[n.number], "citations", c.source))
    for i, sid in enumerate(sources):
        if sid not in cited and sid != PAPER_ID:
            problems.append(src_loc.problem(
                "unused-source", f"source '{sid}' is never cited", "source", i, "id",
                severity="warning"))
    return problems


def collect(data_dir: Path) -> tuple[Ledger | None, list[Problem]]:
    """Read and validate both files; never raises for bad data, returns every problem."""
    problems: list[Problem] = []
    ev_path, src_path = data_dir / EVENTS_FILE, data_dir / SOURCES_FILE
    parsed: dict[str, tuple[dict[str, Any], str]] = {}
    for p in (ev_path, src_path):
        try:
            parsed[p.name] = read_toml(p)
        except DataError as exc:
            problems += exc.problems
    if len(parsed) < 2:
        return None, problems
    ev_doc, ev_text = parsed[EVENTS_FILE]
    src_doc, src_text = parsed[SOURCES_FILE]
    ev_loc, src_loc = _Locator(ev_path, ev_text), _Locator(src_path, src_text)
    events, p1 = build_events(ev_doc, ev_loc)
    sources, notes, p2 = build_sources(src_doc, src_loc)
    problems += p1 + p2
    index = {e.id: i for i, e in enumerate(events)}
    raw_index = {r.get("id"): i for i, r in enumerate(ev_doc.get("event", []))
                 if isinstance(r, dict)} if isinstance(ev_doc.get("event"), list) else index
    problems += cross_check(events, ev_loc, sources, notes, src_loc, raw_index)
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
