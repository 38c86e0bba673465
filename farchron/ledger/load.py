"""The ledger as a whole: find the data folder, read and validate both files (`collect`,
`load`).

A facade: the work is done in model (value classes), tomlfile (reading TOML),
locator (FILE:LINE), validate (checks) and chunked (big files). The names other code
imported from here before the split are re-exported, so that code keeps working.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from farchron.errors import DataError, Problem
from farchron.ledger import parallel as chunked
from farchron.ledger import parts
from farchron.ledger.check import (
    FILE_ARRAYS,
    FILE_KEYS,
    PAPER_ID,
    array_of,
    build_events,
    build_sources,
    check_events,
    check_sources,
    misnamed,
    valid_event,
)
from farchron.ledger.crossfile import ambiguous_date_warnings, cross_check, old_style_warnings
from farchron.ledger.folder import EVENTS_FILE, SOURCES_FILE, find_data_dir, shipped_data_dir
from farchron.ledger.locate import Locator, PartsLocator
from farchron.ledger.parallel import (
    chunk_events,
    chunked_events,
    event_spans,
    parallel_events,
    workers,
)
from farchron.ledger.read import decode_text, parse_toml, read_raw, read_text, read_toml
from farchron.model.fields import (
    CITATION_FIELDS,
    EVENT_FIELDS,
    NOTE_FIELDS,
    SOURCE_FIELDS,
    SOURCE_LIST_FIELDS,
)
from farchron.model.ids import ID_RE
from farchron.model.records import Citation, Event, Ledger, Note, Source
from farchron.settings import MAX_BYTES, max_bytes

__all__ = [
    "CITATION_FIELDS", "EVENTS_FILE", "EVENT_FIELDS", "ID_RE",
    "MAX_BYTES", "NOTE_FIELDS", "PAPER_ID", "SOURCES_FILE", "SOURCE_FIELDS",
    "SOURCE_LIST_FIELDS", "Citation", "DataError", "Event", "Ledger", "Locator", "Note",
    "Problem", "Source", "build_events", "build_sources", "check_events", "check_sources",
    "chunk_events", "chunked_events", "collect", "cross_check", "decode_text", "event_spans",
    "find_data_dir", "load", "max_bytes", "old_style_warnings", "parallel_events", "parse_toml",
    "read_raw",
    "read_text", "read_toml", "shipped_data_dir", "valid_event", "workers",
]

# The old private names, for code (and tests) written before the split.
_Locator = Locator
_build_events = check_events
_build_sources = check_sources
_valid_event = valid_event
_chunked_events = chunked_events
_parallel_events = parallel_events
_chunk_events = chunk_events
_event_spans = event_spans


def __getattr__(name: str) -> Any:
    """CHUNK_MIN and CHUNK_CHARS are chunked's, read live (tests tune them there)."""
    if name in ("CHUNK_MIN", "CHUNK_CHARS"):
        return getattr(chunked, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# --------------------------------------------------------------------------- finding data



def collect(data_dir: Path) -> tuple[Ledger | None, list[Problem]]:
    """Read and validate both files (and their parts); never raises for bad data, returns
    every problem.

    A file that cannot be parsed does not stop the other from being checked; the
    ledger is None then, and citations across the files are not checked.
    """
    problems: list[Problem] = []
    ev_path, src_path = data_dir / EVENTS_FILE, data_dir / SOURCES_FILE
    order = [str(ev_path)]
    built_events = built_sources = None
    try:
        ev_raw = read_raw(ev_path)
    except DataError as exc:
        problems += exc.problems
    else:
        # a ledger in parts is read whole: the chunks are one file's
        if len(ev_raw) >= chunked.CHUNK_MIN and parts.declared(ev_raw) is None:
            ev_loc = Locator(ev_path, ev_raw)
            built_events = chunked.chunked_events(ev_raw, ev_loc)
        if built_events is None:
            try:
                ev_text = decode_text(ev_raw, str(ev_path))
                del ev_raw
                ev_loc = Locator(ev_path, ev_text)
                ev_doc = parse_toml(ev_text, str(ev_path))
                whole = True
                if parts.INCLUDE in ev_doc:
                    ev_doc, ev_loc, names, whole = _with_parts(data_dir, EVENTS_FILE, ev_doc,
                                                               ev_loc, problems)
                    order += names
                built_events = check_events(ev_doc, ev_loc)
                if not whole:  # a part unreadable: its problems, but no ledger
                    problems += built_events[2]
                    built_events = None
            except DataError as exc:
                problems += exc.problems
        if built_events is not None:
            problems += built_events[2]
    order.append(str(src_path))
    try:
        src_doc, src_text = read_toml(src_path)
    except DataError as exc:
        problems += exc.problems
    else:
        src_loc = Locator(src_path, src_text)
        whole = True
        if parts.INCLUDE in src_doc:
            src_doc, src_loc, names, whole = _with_parts(data_dir, SOURCES_FILE, src_doc,
                                                         src_loc, problems)
            order += names
        built_sources = check_sources(src_doc, src_loc)
        problems += built_sources[3]
        if not whole:
            built_sources = None
    rank = {name: i for i, name in enumerate(order)}

    def in_order(p: Problem) -> tuple[int, int]:
        return rank.get(p.file, len(rank)), p.line or 0

    if built_events is None or built_sources is None:
        problems.sort(key=in_order)
        return None, problems
    events, ev_cites, _ = built_events
    sources, notes, where, _, notes_all = built_sources
    problems += cross_check(ev_cites, ev_loc, notes_all, where, src_loc)
    problems += old_style_warnings(events, ev_cites, sources, notes_all, ev_loc)
    problems += ambiguous_date_warnings(events, ev_cites, ev_loc)
    problems.sort(key=in_order)
    events.sort(key=lambda e: e.sort_key)
    warnings = tuple(p for p in problems if p.severity == "warning")
    ledger = Ledger(tuple(events), sources, dict(sorted(notes.items())), data_dir, warnings)
    return ledger, problems


def _with_parts(data_dir: Path, name: str, doc: dict[str, Any], loc: Locator,
                problems: list[Problem]
                ) -> tuple[dict[str, Any], Locator, list[str], bool]:
    """The main file and its parts as one document (its records in reading order), the
    locator that finds each record's line in its own file, the parts' paths, and whether
    every part could be read. Problems of the `include` itself and of each part's layout
    are added to `problems`."""
    value = doc.pop(parts.INCLUDE)
    paths, found_problems = parts.resolve(data_dir, name, value, loc,
                                          (EVENTS_FILE, SOURCES_FILE))
    problems += found_problems
    arrays = FILE_ARRAYS[name]
    found, more = misnamed(doc, loc, name)
    problems += more
    combined: dict[str, Any] = {k: doc[k] for k in FILE_KEYS[name] if k in doc}
    records: dict[str, list[Any]] = {a: [] for a in arrays}

    def take(d: dict[str, Any], lc: Locator, fnd: dict[str, list[Any]]) -> dict[str, int]:
        counts = {}
        for a in arrays:
            recs = fnd.get(a) or array_of(d, a, lc, problems)
            records[a] += recs
            counts[a] = len(recs)
        return counts

    files = [(loc, take(doc, loc, found))]
    whole = True
    for path in paths:
        try:
            text = read_text(path)
            pdoc = parse_toml(text, str(path))
        except DataError as exc:
            problems += exc.problems
            whole = False
            continue
        ploc = Locator(path, text)
        if parts.INCLUDE in pdoc:
            del pdoc[parts.INCLUDE]
            problems.append(Problem(str(path), ploc.top(parts.INCLUDE), None,
                                    "include-nested", f"a part may not include other files; "
                                    f"list them in the include of {name}"))
        for key in FILE_KEYS[name]:
            if key in pdoc:
                del pdoc[key]
                problems.append(Problem(str(path), ploc.top(key), None, "misplaced-table",
                                        f"[{key}] belongs in {name}, not in a part: "
                                        "not read here"))
        pfound, more = misnamed(pdoc, ploc, name)
        problems += more
        files.append((ploc, take(pdoc, ploc, pfound)))
    combined.update(records)
    return combined, PartsLocator(files), [str(p) for p in paths], whole


def load(data_dir: Path) -> Ledger:
    """The validated ledger, or a DataError listing the errors (warnings do not block)."""
    ledger, problems = collect(data_dir)
    errors = [p for p in problems if p.severity == "error"]
    if errors or ledger is None:
        raise DataError(errors or problems)
    return ledger
