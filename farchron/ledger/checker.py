"""The Checker that words every problem of a data file, and the "did you mean" beside it.

Below check.py and evidence.py, which both report through it (it had lived in check.py,
which imports evidence.py: a cycle).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from farchron.errors import Problem
from farchron.ledger.locate import Locator
from farchron.model.csl import FIELD_HINTS
from farchron.model.fields import CITATION_FIELDS
from farchron.model.records import Citation

_CITATION_KEYS = frozenset(CITATION_FIELDS)
_KNOWN_SETS: dict[tuple[str, ...], frozenset[str]] = {}


def _known_set(known: tuple[str, ...]) -> frozenset[str]:
    ks = _KNOWN_SETS.get(known)
    if ks is None:
        ks = _KNOWN_SETS[known] = frozenset(known)
    return ks


def nearest(name: str, known: Iterable[str], hints: Mapping[str, str] | None = None) -> str:
    """ " (did you mean 'x'?)" for the closest known name (or the hinted one), else "". """
    import difflib

    if hints and name in hints:
        return f" (farchron calls it '{hints[name]}')"

    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def type_name(value: object) -> str:
    import datetime as _dt  # here, not at the top: a cached load never needs it

    return {
        bool: "a boolean", int: "an integer", float: "a number", str: "a string",
        list: "an array", dict: "a table", _dt.date: "a date", _dt.datetime: "a date-time",
        _dt.time: "a time",
    }.get(type(value), type(value).__name__)


def _conflict_message(value: object, what: str) -> str:
    """What a `merge-conflict` line left by `farchron merge` says, in a sentence."""
    items = value if isinstance(value, list) else [value]
    said = []
    for it in items:
        if isinstance(it, dict):
            said.append(f"'{it.get('field', '?')}' is {it.get('ours')!r} on our side, "
                        f"{it.get('theirs')!r} on theirs")
    detail = "; ".join(said) or "see the line"
    return (f"unresolved merge conflict in {what}: {detail}; keep one value and delete "
            "the merge-conflict line")


class Checker:
    """Collects problems while building records, so `check` can report them all at once."""

    def __init__(self, loc: Locator, array: str) -> None:
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
                     f"'{key}' must be a string, not {type_name(value)}", key)
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
        hints = FIELD_HINTS.get(self.array)
        for k in rec:
            if k == "merge-conflict":  # written by `farchron merge` (authoring/merge.py)
                self.add(index, "merge-conflict", _conflict_message(rec[k], what), k)
            elif k not in known:
                self.add(index, "unknown-field",
                         f"unknown field '{k}' in {what}{nearest(k, known, hints)}", k,
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
                             f"unknown field '{k}' in a citation{nearest(k, CITATION_FIELDS)}",
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
