"""Readers for other tools' files: works from BibTeX, RIS and CSL-JSON; events from CSV,
a TimelineJS Google Sheet, and farchron's own JSON lines.

Each reader turns text into plain Records (farchron's field names, the input line of each
record) and RowErrors for what cannot be read; `plan` then gives new records their ids and
drops the works and events the ledger already has. Nothing here writes, prints, or imports
click or rich; bibtexparser and rispy are imported only when their format is read.

Floor 7, beside exporters/ (neither imports the other): imports cite/ and below.
"""


from __future__ import annotations

from typing import Any

from farchron.importers.common import (
    CSL_TYPES,
    EVENT_ORDER,
    ID_RE,
    SOURCE_ORDER,
    ImportFormatError,
    Read,
    Record,
    RowError,
    ordered,
)
from farchron.importers.csljson import csl_date, csl_name, csl_type_guess
from farchron.importers.events import parse_cite
from farchron.importers.plan import Skipped, isbn13, plan, source_id_base, work_keys

__all__ = [
    "CSL_TYPES", "EVENT_ORDER", "EXTENSIONS", "FORMATS", "ID_RE", "SOURCE_ORDER",
    "ImportFormatError", "Read", "Record", "RowError", "Skipped", "csl_date", "csl_name",
    "csl_type_guess", "detect_format", "isbn13", "ordered", "parse_cite", "plan", "read",
    "source_id_base", "work_keys",
]

FORMATS = ("bibtex", "ris", "csl-json", "csv", "timelinejs", "jsonl")

#: File name endings and the format each means (`--from` overrides).
EXTENSIONS = {".bib": "bibtex", ".bibtex": "bibtex", ".ris": "ris", ".json": "csl-json",
              ".csljson": "csl-json", ".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}

#: Each format's reader, imported when that format is read (bibtexparser and rispy are slow
#: to import, and needed by none of the others).
READERS = {"bibtex": "bibtex:read_bibtex", "ris": "ris:read_ris",
           "csl-json": "csljson:read_csl_json", "csv": "events:read_csv",
           "timelinejs": "events:read_timelinejs", "jsonl": "events:read_jsonl"}


def detect_format(filename: str) -> str | None:
    """The format a file name's ending means, or None."""
    lower = filename.lower()
    for ext, fmt in EXTENSIONS.items():
        if lower.endswith(ext):
            return fmt
    return None


def _timelinejs_json(text: str) -> bool:
    """Whether a .json file is TimelineJS JSON ({"events": [...]}) rather than CSL-JSON."""
    import json
    import re

    if not re.match(r'\s*\{\s*"(events|title)"', text.lstrip("\ufeff")):
        return False
    try:
        doc = json.loads(text.lstrip("\ufeff"))
    except ValueError:
        return False
    return isinstance(doc, dict) and isinstance(doc.get("events"), list)


def read(text: str, fmt: str, **options: Any) -> Read:
    """Records and row errors from text in one of FORMATS."""
    import importlib

    if fmt not in READERS:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    if fmt == "csl-json" and _timelinejs_json(text):
        fmt = "timelinejs"  # a .json that `export timelinejs` wrote, not CSL-JSON
    module, _, name = READERS[fmt].partition(":")
    reader = getattr(importlib.import_module(f"farchron.importers.{module}"), name)
    records, errors = reader(text, **options)
    errors.sort(key=lambda e: e.line or 0)
    return records, errors
