"""`import --update`: a work the ledger has already (same DOI, ISBN, or first author,
title and year: the importers' duplicate rule) takes the fields a re-exported record
corrects. Only the lines of the changed fields are rewritten, in the record's own text
(the rest of the record, its comments and the rest of the file stay as they are); its id,
and so every citation of it, is kept. Fields the new record lacks are kept too: a
re-export does not know the romanised names or notes added by hand.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from farchron.authoring.edit import record_span, replace_span
from farchron.authoring.writer import toml_key, toml_value
from farchron.model.fields import SOURCE_FIELDS

#: (field, old value or None, new value)
Change = tuple[str, Any, Any]


def _norm(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return tuple(str(v) for v in value)
    if value is None:
        return None
    return str(value)


def changes(incoming: Mapping[str, Any], current: Mapping[str, Any]) -> list[Change]:
    """The fields of `incoming` (a re-imported work) that differ from `current` (the work's
    fields in the ledger), in the order a work is written; empty values are no change."""
    out: list[Change] = []
    for key in sorted(incoming, key=lambda k: (SOURCE_FIELDS.index(k)
                                               if k in SOURCE_FIELDS else len(SOURCE_FIELDS))):
        new = incoming[key]
        if key == "id" or key not in SOURCE_FIELDS or new in (None, "", [], ()):
            continue
        old = current.get(key)
        if _norm(old) == _norm(new) or (old is not None and _same_number(key, old, new)):
            continue
        out.append((key, old, new))
    return out


def _same_number(key: str, old: Any, new: Any) -> bool:
    """An ISBN or DOI written another way (hyphens, ISBN-10, a doi.org prefix) is no change."""
    from farchron.importers import work_keys

    if key not in ("isbn", "doi"):
        return False
    return bool(work_keys({key: old})) and work_keys({key: old}) == work_keys({key: new})


def _comment(line: str) -> str:
    """The comment ending a one-line `key = value` ("   # checked"), or ""."""
    import tomli

    pos = line.find("#")
    while pos >= 0:
        try:
            tomli.loads(line[:pos])
        except tomli.TOMLDecodeError:
            pos = line.find("#", pos + 1)
            continue
        start = len(line[:pos].rstrip())
        return line[start:]
    return ""


def _key_line(key: str) -> re.Pattern[str]:
    return re.compile(r"([ \t]*(?:" + re.escape(key) + r"|\"" + re.escape(key) + r"\")"
                      r"[ \t]*=)[ \t]*")


def _value_end(lines: Sequence[str], i: int) -> int:
    """The index after the last line of the `key = value` starting at line i (an array may
    run over several lines)."""
    import tomli

    for j in range(i, min(len(lines), i + 200)):
        try:
            tomli.loads("\n".join(lines[i:j + 1]))
        except tomli.TOMLDecodeError:
            continue
        return j + 1
    return i + 1


def rewrite(record: str, edits: Sequence[Change]) -> str:
    """The record's text with each changed field's line replaced (its key and `=` kept as
    written), and each new field inserted where the field order puts it."""
    nl = "\r\n" if "\r\n" in record else "\n"
    lines = record.replace("\r\n", "\n").split("\n")
    for key, _, new in edits:
        value = toml_value(list(new) if isinstance(new, tuple) else new)
        pat = _key_line(key)
        at = next((i for i in range(1, len(lines)) if pat.match(lines[i])), None)
        if at is not None:
            m = pat.match(lines[at])
            assert m is not None
            end = _value_end(lines, at)
            note = _comment(lines[at]) if end == at + 1 else ""
            lines[at:end] = [f"{m.group(1)} {value}{note}"]
            continue
        order = SOURCE_FIELDS.index(key)
        pos = len(lines)
        while pos > 1 and not lines[pos - 1].strip():
            pos -= 1  # before trailing blank lines
        for i in range(1, len(lines)):
            m = re.match(r"[ \t]*\"?([A-Za-z0-9_-]+)\"?[ \t]*=", lines[i])
            if m and m.group(1) in SOURCE_FIELDS and SOURCE_FIELDS.index(m.group(1)) > order:
                pos = i
                break
        lines.insert(pos, f"{toml_key(key)} = {value}")
    return nl.join(lines)


def apply(text: str, source_id: str, edits: Sequence[Change]) -> str | None:
    """The file text with work `source_id`'s record rewritten, or None if it is not in it."""
    span = record_span(text, ("source",), "id", source_id)
    if span is None:
        return None
    return replace_span(text, span, rewrite(text[span.start:span.end], edits))
