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
from farchron.ledger.check import (
    PAPER_ID,
    build_events,
    build_sources,
    check_events,
    check_sources,
    valid_event,
)
from farchron.ledger.crossfile import ambiguous_date_warnings, cross_check, old_style_warnings
from farchron.ledger.folder import EVENTS_FILE, SOURCES_FILE, find_data_dir, shipped_data_dir
from farchron.ledger.locate import Locator
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
        if len(ev_raw) >= chunked.CHUNK_MIN:
            ev_loc = Locator(ev_path, ev_raw)
            built_events = chunked.chunked_events(ev_raw, ev_loc)
        if built_events is None:
            try:
                ev_text = decode_text(ev_raw, str(ev_path))
                del ev_raw
                ev_loc = Locator(ev_path, ev_text)
                built_events = check_events(parse_toml(ev_text, str(ev_path)), ev_loc)
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
        src_loc = Locator(src_path, parsed[SOURCES_FILE][1])
        built_sources = check_sources(parsed[SOURCES_FILE][0], src_loc)
        problems += built_sources[3]
    if built_events is None or built_sources is None:
        problems.sort(key=lambda p: (p.file != str(ev_path), p.line or 0))
        return None, problems
    events, ev_cites, _ = built_events
    sources, notes, where, _, notes_all = built_sources
    problems += cross_check(ev_cites, ev_loc, notes_all, where, src_loc)
    problems += old_style_warnings(events, ev_cites, sources, notes_all, ev_loc)
    problems += ambiguous_date_warnings(events, ev_cites, ev_loc)
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
