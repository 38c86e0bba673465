"""events.toml and sources.toml in the editor: `check`'s problems for their text as it
stands, what to complete where (tags, work ids, event ids), and a `date` value read in
every calendar."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from farchron.errors import Problem
    from farchron.lsp.state import LedgerState


def check_texts(data_dir: Path, texts: Mapping[str, str]) -> list[Problem]:
    """Every problem `check` reports (errors and warnings) for the ledger made of these
    texts ({path in the folder: text}; the files not given, parts included, are read from
    `data_dir`), paths in `data_dir`."""
    from farchron.authoring.writer import collect_texts
    from farchron.errors import Problem
    from farchron.ledger.parts import ledger_files

    whole: dict[str, str | bytes] = dict(texts)
    for names in ledger_files(data_dir).values():
        for name in names:
            if name not in whole and (data_dir / name).is_file():
                whole[name] = (data_dir / name).read_bytes()  # as on disk: a bad byte is reported
    try:
        problems = collect_texts(whole, errors_only=False)
    except Exception as exc:  # never let a file stop the server
        return [Problem(str(data_dir / "events.toml"), None, None, "unreadable",
                        f"cannot check: {exc}", "error")]
    return [Problem(str(data_dir / p.file), p.line, p.column, p.code, p.message, p.severity)
            for p in problems]


_TAG = re.compile(r"^\s*tags\s*=\s*\[(?:[^\]]*,)?\s*\"([^\"]*)$")
_SOURCE = re.compile(r"\bsource\s*=\s*\"([^\"]*)$")
_PART_OF = re.compile(r"^\s*part-of\s*=\s*\"([^\"]*)$")


def completion_context(prefix: str) -> tuple[str, str] | None:
    """What the cursor (at the end of `prefix`, its line so far) is completing:
    ("tag" | "source" | "event", the partial word), or None."""
    for kind, pat in (("tag", _TAG), ("source", _SOURCE), ("event", _PART_OF)):
        m = pat.search(prefix)
        if m:
            return kind, m.group(1)
    return None


def vocabulary(state: LedgerState, events_text: str) -> list[str]:
    """The tags of `[vocabulary]`, else every tag the ledger uses."""
    from farchron.authoring.writer import vocabulary_table

    table = vocabulary_table(events_text, len(events_text))
    if table:
        import tomli

        try:
            tags = tomli.loads(table).get("vocabulary", {}).get("tags", [])
            if isinstance(tags, list):
                return [t for t in tags if isinstance(t, str)]
        except tomli.TOMLDecodeError:
            pass
    return sorted({t for e in state.events for t in e.tags})


_DATE_VALUE = re.compile(r"\b(date|issued)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|"
                         r"(-?\d{4}-\d{2}-\d{2}))")


def date_at(line: str, col: int) -> tuple[str, int, int] | None:
    """The date value under column `col` of a ledger line: (text, start, end)."""
    for m in _DATE_VALUE.finditer(line):
        g = 2 if m.group(2) is not None else 3 if m.group(3) is not None else 4
        if m.start() <= col <= m.end():
            return m.group(g), m.start(g), m.end(g)
    return None


def julian_record(lines: list[str], line: int) -> bool:
    """Is the record around `line` marked `calendar = "julian"`?"""
    i = line
    while i > 0 and not lines[i].lstrip().startswith("[["):
        i -= 1
    j = line + 1
    while j < len(lines) and not lines[j].lstrip().startswith("[["):
        j += 1
    return any(re.match(r"\s*calendar\s*=\s*[\"']julian[\"']", ln) for ln in lines[i:j])


def date_value_hover(value: str, julian: bool) -> str:
    """A ledger date in every calendar (a Julian record's date as printed, and its
    Gregorian days)."""
    from farchron.lsp.hovers import date_hover

    if julian:
        got = date_hover(value + " OS")
        if "not a date" not in got:
            return got
    return date_hover(value)
