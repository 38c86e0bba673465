"""What changed between two versions of a ledger, in historians' terms (`farchron diff`).

Records are matched by id (notes by number), never by line: an event moved in the file
is not a change. Each change is one row: kind (event, work, note), id, what happened
("added", "removed", "date refined", "date changed", "citation added", "citation removed",
"summary reworded", "title changed", "work corrected"...), the old and the new value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from farchron.ledger.read import parse_toml


@dataclass(frozen=True)
class Change:
    kind: str  # event, work, note
    id: str
    change: str
    old: str = ""
    new: str = ""

    def to_json(self) -> dict[str, str]:
        return {"kind": self.kind, "id": self.id, "change": self.change, "old": self.old,
                "new": self.new}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(_text(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k} {_text(v)}" for k, v in value.items())
    return str(value)


def _cite(c: Any) -> str:
    if not isinstance(c, dict):
        return str(c)
    who = f"note {c['note']}" if "note" in c else str(c.get("source", "?"))
    where = c.get("pages") or c.get("section")
    return f"{who} {where}" if where else who


def _date_change(old: Any, new: Any) -> str:
    from farchron.dates import edtf

    try:
        a, b = edtf.parse(str(old)), edtf.parse(str(new))
    except (edtf.DateError, ValueError):
        return "date changed"
    if (a.start, a.end) == (b.start, b.end):
        return "date rewritten"
    if a.start <= b.start and b.end <= a.end:
        return "date refined"
    if b.start <= a.start and a.end <= b.end:
        return "date widened"
    return "date changed"


def _records(doc: Mapping[str, Any], table: str, key: str) -> dict[str, dict[str, Any]]:
    out = {}
    for rec in doc.get(table, []) or []:
        if isinstance(rec, dict) and key in rec:
            out[str(rec[key])] = rec
    return out


def _event_changes(eid: str, a: dict[str, Any], b: dict[str, Any]) -> list[Change]:
    out = []
    for k in [*a, *(k for k in b if k not in a)]:
        va, vb = a.get(k), b.get(k)
        if va == vb:
            continue
        if k == "date":
            out.append(Change("event", eid, _date_change(va, vb), _text(va), _text(vb)))
        elif k == "citations":
            old = [_cite(c) for c in va or []]
            new = [_cite(c) for c in vb or []]
            out += [Change("event", eid, "citation added", "", c) for c in new if c not in old]
            out += [Change("event", eid, "citation removed", c, "") for c in old
                    if c not in new]
        elif k == "summary":
            out.append(Change("event", eid, "summary reworded" if va and vb else
                              ("summary added" if vb else "summary removed"),
                              _text(va), _text(vb)))
        else:
            what = "changed" if va is not None and vb is not None else (
                "added" if vb is not None else "removed")
            out.append(Change("event", eid, f"{k} {what}", _text(va), _text(vb)))
    return out


def compare(old: Mapping[str, str], new: Mapping[str, str]) -> list[Change]:
    """The changes from the `old` to the `new` texts ({file name: TOML text}): the main
    files and the parts they include, whose records count as one ledger (a record moved
    from one part to another is no change)."""

    def doc(texts: Mapping[str, str]) -> dict[str, Any]:
        merged: dict[str, list[Any]] = {}
        for name, text in texts.items():
            for table, value in (parse_toml(text, name) if text else {}).items():
                if isinstance(value, list):
                    merged.setdefault(table, []).extend(value)
        return merged

    changes: list[Change] = []
    old_doc, new_doc = doc(old), doc(new)
    ea, eb = (_records(d, "event", "id") for d in (old_doc, new_doc))
    for eid in eb.keys() - ea.keys():
        changes.append(Change("event", eid, "event added", "", _summary(eb[eid])))
    for eid in ea.keys() - eb.keys():
        changes.append(Change("event", eid, "event removed", _summary(ea[eid]), ""))
    for eid in ea.keys() & eb.keys():
        changes += _event_changes(eid, ea[eid], eb[eid])
    sa_doc, sb_doc = old_doc, new_doc
    sa, sb = _records(sa_doc, "source", "id"), _records(sb_doc, "source", "id")
    for sid in sb.keys() - sa.keys():
        changes.append(Change("work", sid, "work added", "", _text(sb[sid].get("title"))))
    for sid in sa.keys() - sb.keys():
        changes.append(Change("work", sid, "work removed", _text(sa[sid].get("title")), ""))
    for sid in sa.keys() & sb.keys():
        a, b = sa[sid], sb[sid]
        keys = [k for k in [*a, *(k for k in b if k not in a)] if a.get(k) != b.get(k)]
        if keys:
            changes.append(Change("work", sid, "work corrected: " + ", ".join(keys),
                                  "; ".join(f"{k}: {_text(a.get(k))}" for k in keys),
                                  "; ".join(f"{k}: {_text(b.get(k))}" for k in keys)))
    na, nb = _records(sa_doc, "note", "number"), _records(sb_doc, "note", "number")
    for n in nb.keys() - na.keys():
        changes.append(Change("note", n, "note added", "", _text(nb[n].get("text"))))
    for n in na.keys() - nb.keys():
        changes.append(Change("note", n, "note removed", _text(na[n].get("text")), ""))
    for n in na.keys() & nb.keys():
        if na[n] != nb[n]:
            keys = [k for k in {**na[n], **nb[n]} if na[n].get(k) != nb[n].get(k)]
            changes.append(Change("note", n, "note corrected: " + ", ".join(keys),
                                  "; ".join(_text(na[n].get(k)) for k in keys),
                                  "; ".join(_text(nb[n].get(k)) for k in keys)))
    rank = {"event": 0, "work": 1, "note": 2}
    changes.sort(key=lambda c: (rank[c.kind], c.id.zfill(6) if c.kind == "note" else c.id,
                                c.change))
    return changes


def _summary(rec: Mapping[str, Any]) -> str:
    return f"{_text(rec.get('date'))} {_text(rec.get('title'))}".strip()
