"""Works from CSL-JSON as Zotero and Better BibTeX export it: names with particles,
literal names, date-parts, citation keys."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from farchron.importers.common import (
    CSL_TYPES,
    SOURCE_ORDER,
    ImportFormatError,
    Read,
    Record,
    RowError,
    clean,
    edtf,
    ordered,
    ymd,
)

CSL_FIELDS = {
    "title": "title", "original-title": "original-title", "title-short": "short-title",
    "shortTitle": "short-title", "container-title": "container-title",
    "collection-title": "collection-title", "collection-number": "collection-number",
    "volume": "volume", "issue": "issue", "number": "number", "page": "page",
    "edition": "edition", "publisher": "publisher", "publisher-place": "publisher-place",
    "language": "language", "archive": "archive", "archive_location": "archive-location",
    "archive-location": "archive-location", "archive-place": "archive-place",
    "genre": "genre", "section": "section", "URL": "url", "url": "url", "DOI": "doi",
    "doi": "doi", "ISBN": "isbn", "isbn": "isbn", "note": "note",
    "translated-title": "translated-title",
}
CSL_NAMES = {"author": "authors", "editor": "editors", "translator": "translators",
             "authors": "authors", "editors": "editors", "translators": "translators"}

#: The order fields are written in (farchron's own order; anything else after).
def csl_name(name: Any) -> str | None:
    """A CSL name object as "Family, Given": particles where CSL puts them
    (`non-dropping-particle` before the family, `dropping-particle` after the given
    name), `literal` names (institutions) whole, the suffix last."""
    if isinstance(name, str):
        return clean(name) or None
    if not isinstance(name, Mapping):
        return None
    if name.get("literal"):
        return clean(name["literal"])
    family = clean(" ".join(str(name[k]) for k in ("non-dropping-particle", "family")
                             if name.get(k)))
    given = clean(" ".join(str(name[k]) for k in ("given", "dropping-particle")
                            if name.get(k)))
    if not family:
        return given or None
    out = family + (f", {given}" if given else "")
    if name.get("suffix"):
        out += f", {clean(name['suffix'])}"
    return out


def csl_date(value: Any) -> str | None:
    """CSL date (date-parts, season, circa, raw/literal) as EDTF."""
    if isinstance(value, (str, int)):
        return edtf(str(value))
    if not isinstance(value, Mapping):
        return None
    parts = value.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        first = ymd(parts[0])
        if first and value.get("season") and len(parts[0]) == 1:
            season = str(value["season"])
            code = {"1": "21", "2": "22", "3": "23", "4": "24", "spring": "21",
                    "summer": "22", "autumn": "23", "fall": "23", "winter": "24"}.get(
                        season.lower())
            if code:
                first += f"-{code}"
        if first is None:
            return None
        out = first
        if len(parts) > 1 and isinstance(parts[1], list) and parts[1]:
            last = ymd(parts[1])
            if last and last != first:
                out = f"{first}/{last}"
        if value.get("circa") and "/" not in out:
            out += "~"
        return out
    for key in ("raw", "literal"):
        if value.get(key):
            return edtf(str(value[key]))
    return None


def json_items(text: str) -> list[tuple[Any, int]]:
    """Each item of a JSON array (or {"items": [...]}) with the line it starts on."""
    text = text.lstrip("\ufeff")
    dec = json.JSONDecoder()
    i = len(text) - len(text.lstrip())
    if text[i:i + 1] != "[":
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ImportFormatError(f"not JSON: {exc.msg} (line {exc.lineno})") from exc
        items = doc.get("items") if isinstance(doc, dict) else None
        if isinstance(doc, dict) and items is None:
            items = [doc]
        if not isinstance(items, list):
            raise ImportFormatError("expected a JSON array of CSL items")
        return [(it, 1) for it in items]
    out: list[tuple[Any, int]] = []
    pos = i + 1
    ws = re.compile(r"[\s,]*")
    while True:
        pos = ws.match(text, pos).end()  # type: ignore[union-attr]
        if pos >= len(text):
            raise ImportFormatError("JSON array never closed")
        if text[pos] == "]":
            return out
        try:
            item, end = dec.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            raise ImportFormatError(f"not JSON: {exc.msg} (line {exc.lineno})") from exc
        out.append((item, text.count("\n", 0, pos) + 1))
        pos = end


def csl_source(item: Mapping[str, Any]) -> tuple[dict[str, Any], str | None, list[str]]:
    """farchron fields from one CSL-JSON item; its key (citation-key or id); warnings."""
    warnings: list[str] = []
    out: dict[str, Any] = {}
    ctype = str(item.get("type", "") or "document")
    out["type"] = ctype if ctype in CSL_TYPES else csl_type_guess(ctype, warnings)
    for key, ours in CSL_NAMES.items():
        names = item.get(key)
        if names in (None, "", [], {}):
            continue
        if isinstance(names, (dict, str)):  # one name where CSL wants a list of them
            warnings.append(f"{key} is one name, not a list of names; read as a list of one")
            names = [names]
        if not isinstance(names, list):
            warnings.append(f"{key} is not a list of names ({type(names).__name__}); "
                            "left out")
            continue
        got = []
        for x in names:
            name = csl_name(x)
            if name:
                got.append(name)
            else:
                shown = json.dumps(x, ensure_ascii=False)
                warnings.append(f"{key}: {shown[:60]} is not a name (no family, given or "
                                "literal); left out")
        if got:
            out.setdefault(ours, got)
    for key, ours in CSL_FIELDS.items():
        value = item.get(key)
        if value not in (None, "") and ours not in out:
            out[ours] = clean(value) if not isinstance(value, list) else clean(value[0])
    if item.get("issued") not in (None, ""):
        issued = csl_date(item["issued"])
        if issued:
            out["issued"] = issued
        else:
            warnings.append(f"date {item['issued']!r} is not one farchron can read; left out")
    if isinstance(out.get("page"), str):
        out["page"] = out["page"].replace("--", "–")
    _original_titles(item, out)
    ref = item.get("citation-key") or item.get("citationKey") or item.get("id")
    return ordered(out, SOURCE_ORDER), (str(ref) if ref not in (None, "") else None), warnings


#: Lines farchron writes into CSL `note` (Zotero's Extra) so scripts survive Zotero.
_NOTE_SCRIPT = re.compile(r"Original-script (container )?title: (.+?)\.(?=\s|$)")


def _original_titles(item: Mapping[str, Any], out: dict[str, Any]) -> None:
    """CSL's `original-title` is the original of a translation (Zotero's sense): it goes
    to `original-work-title` for a translated work or a Latin-script title; a title in
    another script of an untranslated work is the ledger's `original-title`. farchron's
    own `custom` and the "Original-script title:" lines of `note` come back too."""
    orig = out.pop("original-title", None)
    if orig:
        translated = bool(item.get("translator")) or str(orig).isascii() or bool(
            re.fullmatch(r"[\x00-\u024f\u1e00-\u1eff\s\W\d]+", str(orig)))
        out["original-work-title" if translated else "original-title"] = orig
    raw = item.get("custom")
    custom: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
    for key, ours in (("original-script-title", "original-title"),
                      ("container-original-script-title", "container-original-title")):
        if custom.get(key) and ours not in out:
            out[ours] = clean(custom[key])
    note = str(out.get("note") or "")
    for m in _NOTE_SCRIPT.finditer(note):
        out.setdefault("container-original-title" if m.group(1) else "original-title",
                       clean(m.group(2)))
    rest = _NOTE_SCRIPT.sub("", note).strip()
    if note and rest != note:
        if rest:
            out["note"] = rest
        else:
            out.pop("note", None)
    if isinstance(out.get("volume"), str):
        out["volume"] = out["volume"].replace("\u2011", "-")


def csl_type_guess(ctype: str, warnings: list[str]) -> str:
    """The CSL type another tool's name most likely means (the same hints `check` gives)."""
    from farchron.model.csl import nearest_type

    guess = nearest_type(ctype) or "document"
    warnings.append(f"type {ctype!r} is not a CSL type; read as {guess!r}")
    return guess


def read_csl_json(text: str, **_: Any) -> Read:
    """Works from CSL-JSON as Zotero or Better BibTeX export it."""
    records: list[Record] = []
    errors: list[RowError] = []
    for item, line in json_items(text):
        if not isinstance(item, dict):
            errors.append(RowError(line, "not a CSL-JSON item (an object)"))
            continue
        fields, key, warnings = csl_source(item)
        errors += [RowError(line, f"{key or 'item'}: {w}") for w in warnings]
        records.append(Record("source", fields, line, key))
    return records, errors
