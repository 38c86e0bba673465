"""Events from a CSV with a header, from the TimelineJS Google-Sheet template, and from
farchron's own JSON lines (events, works and notes)."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from farchron.dates.ambiguity import ambiguous_reading
from farchron.dates.names import JULIAN
from farchron.importers.common import (
    EVENT_ORDER,
    SOURCE_KEYS,
    SOURCE_ORDER,
    ImportFormatError,
    Read,
    Record,
    RowError,
    clean,
    edtf_calendar,
    ordered,
    ymd,
)
from farchron.importers.csljson import csl_source, json_items


def parse_cite(value: str) -> dict[str, Any]:
    """`note:22` -> {note: 22}; `hata-2014:347` -> {source, pages}; `hata-2014` -> {source}."""
    value = value.strip()
    m = re.fullmatch(r"note\s*:\s*(\d+)", value, re.IGNORECASE)
    if m:
        return {"note": int(m.group(1))}
    if re.fullmatch(r"\d+", value):
        return {"note": int(value)}
    source, sep, pages = value.partition(":")
    source = source.strip()
    if not source:
        raise ValueError(f"citation {value!r} names no source")
    out: dict[str, Any] = {"source": source}
    if sep and pages.strip():
        out["pages"] = pages.strip()
    return out


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(";") if v.strip()]


_EVENT_COLUMNS = {"id": "id", "date": "date", "title": "title", "summary": "summary",
                  "tags": "tags", "tag": "tags", "actors": "actors", "actor": "actors",
                  "places": "places", "place": "places", "aliases": "aliases",
                  "alias": "aliases", "cite": "cite", "citations": "cite",
                  "citation": "cite"}


def _event(fields: dict[str, Any], cites: Iterable[str], default_cite: Sequence[str],
           line: int, errors: list[RowError], edtf: bool = False) -> Record | None:
    cites = list(cites) or list(default_cite)
    citations = []
    for c in cites:
        try:
            citations.append(parse_cite(c))
        except ValueError as exc:
            errors.append(RowError(line, str(exc)))
            return None
    if not fields.get("title"):
        errors.append(RowError(line, "no title"))
        return None
    raw_date = str(fields.get("date") or "")
    why = None if edtf else ambiguous_reading(raw_date)
    if why:  # never misread in silence: 1918-22 is summer 1918 in EDTF
        errors.append(RowError(line, why.replace("give --edtf", "import with --edtf")))
        return None
    found = edtf_calendar(raw_date) if not fields.get("calendar") else (raw_date, "")
    if found is None:
        errors.append(RowError(line, f"date {raw_date!r} is not a date farchron can read"
                               if raw_date else "no date"))
        return None
    if found[0] != raw_date.strip() and not fields.get("date-as-printed"):
        fields["date-as-printed"] = " ".join(raw_date.split())  # typed as printed, not EDTF
    fields["date"] = found[0]
    if found[1] == JULIAN:
        fields["calendar"] = JULIAN
    if not citations:
        errors.append(RowError(line, "no citation: give a cite column or --cite SOURCE"))
        return None
    fields["citations"] = citations
    return Record("event", ordered(fields, EVENT_ORDER), line, fields.get("id"))


def _csv_rows(text: str) -> Iterable[tuple[int, dict[str, str]]]:
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    try:
        header = next(reader)
    except StopIteration:
        return
    names = [h.strip() for h in header]
    prev = reader.line_num
    for row in reader:
        line = prev + 1
        prev = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        yield line, {names[i]: row[i] for i in range(min(len(names), len(row))) if names[i]}


def read_csv(text: str, cite: Sequence[str] = (), edtf: bool = False, **_: Any) -> Read:
    """Events from a CSV with a header: date,title,summary,tags,actors,places,aliases,cite
    (several values separated by `;`; cite values `SOURCE:LOCATOR` or `note:N`). A date
    that is EDTF and a range of years alike ('1918-22') is a row error unless `edtf`."""
    records: list[Record] = []
    errors: list[RowError] = []
    first = next(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")), [])
    names = {h.strip().lower() for h in first}
    if first and not names & {"title", "headline"}:  # no header: its rows would read as nothing
        shown = ",".join(h.strip() for h in first)[:80]
        lines = max(text.count("\n") + (not text.endswith("\n")), 1)
        return [], [RowError(1, f"the first line ({shown}) is not a header naming the "
                             "columns: a CSV of events starts with one such as "
                             f"date,title,cite; none of its {lines} lines imported")]
    rows = list(_csv_rows(text))
    if rows:
        header = {k.lower() for k in rows[0][1]}
        if "headline" in header and "year" in header:
            return read_timelinejs(text, cite=cite)
        unknown = sorted(h for h in header if h not in _EVENT_COLUMNS)
        if unknown:
            errors.append(RowError(1, f"column(s) {', '.join(unknown)} not imported "
                                   f"(known: {', '.join(sorted(set(_EVENT_COLUMNS)))})"))
    for line, row in rows:
        fields: dict[str, Any] = {}
        cites: list[str] = []
        for name, value in row.items():
            key = _EVENT_COLUMNS.get(name.lower())
            if key in ("tags", "actors", "places", "aliases"):
                fields[key] = _split(value)
            elif key == "cite":
                cites += _split(value)
            elif key:
                fields[key] = value.strip()
        rec = _event(fields, cites, cite, line, errors, edtf)
        if rec:
            records.append(rec)
    return records, errors


_TAGS = re.compile(r"<[^>]*>")


def _from_html(text: str) -> str:
    """TimelineJS text is HTML: the footnote list farchron exports is dropped, tags
    stripped, entities decoded."""
    text = re.sub(r"<ol>.*?</ol>", " ", text, flags=re.DOTALL | re.IGNORECASE)
    return clean(html.unescape(_TAGS.sub(" ", text)))


def _sheet_date(row: Mapping[str, str], prefix: str) -> str | None:
    y = row.get(f"{prefix}Year", "").strip()
    if not y:
        return None
    parts = [y, row.get(f"{prefix}Month", "").strip(), row.get(f"{prefix}Day", "").strip()]
    while parts and not parts[-1]:
        parts.pop()
    out = ymd(parts)
    t = row.get(f"{prefix}Time", "").strip()
    m = re.fullmatch(r"(\d{1,2}):(\d{2})(?::(\d{2}))?", t)
    if out and m and len(parts) == 3:
        out += f"T{int(m.group(1)):02d}:{m.group(2)}" + (f":{m.group(3)}" if m.group(3) else "")
    return out


_JSON_PARTS = (("Year", "year"), ("Month", "month"), ("Day", "day"))


def _json_rows(text: str) -> Iterable[tuple[int, dict[str, str]]]:
    """The events of a TimelineJS JSON file (what `export timelinejs` writes) as rows of the
    sheet's columns, each with the line its `unique_id` (else its headline) is on."""
    try:
        doc = json.loads(text.lstrip("\ufeff"))
    except json.JSONDecodeError as exc:
        raise ImportFormatError(f"not JSON: {exc.msg} (line {exc.lineno})") from exc
    events = doc.get("events") if isinstance(doc, dict) else None
    if not isinstance(events, list):
        raise ImportFormatError('expected TimelineJS JSON: {"events": [...]}')
    pos = 0
    for ev in events:
        if not isinstance(ev, dict):
            continue
        row: dict[str, str] = {}
        for prefix, key in (("", "start_date"), ("End ", "end_date")):
            d: dict[str, Any] = ev[key] if isinstance(ev.get(key), dict) else {}
            for col, part in _JSON_PARTS:
                if d.get(part) not in (None, ""):
                    row[prefix + col] = str(d[part])
            if d.get("hour") not in (None, ""):
                row[prefix + "Time"] = f"{d['hour']}:{int(d.get('minute') or 0):02d}" + (
                    f":{int(d['second']):02d}" if d.get("second") not in (None, "") else "")
        txt: dict[str, Any] = ev["text"] if isinstance(ev.get("text"), dict) else {}
        start = ev.get("start_date")
        shown = ev.get("display_date") or (
            start.get("display_date") if isinstance(start, dict) else None)
        row.update({"Display Date": str(shown or ""), "Headline": str(txt.get("headline", "")),
                    "Text": str(txt.get("text", "")), "Group": str(ev.get("group", "")),
                    "Unique Id": str(ev.get("unique_id", ""))})
        name = ev.get("unique_id") or txt.get("headline")
        at = text.find(json.dumps(name)[1:-1], pos) if isinstance(name, str) and name else -1
        if at >= 0:
            pos = at
        yield text.count("\n", 0, pos) + 1, row


def read_timelinejs(text: str, cite: Sequence[str] = (), **_: Any) -> Read:
    """Events from the TimelineJS Google-Sheet template (Year, Month, Day, Time, End Year,
    ..., Display Date, Headline, Text, Media, ..., Type, Group, Background), or from the
    TimelineJS JSON that `farchron export timelinejs` writes: its inverse. The Display
    Date wins when it reads as a date (it keeps "c. 1933" and seasons that the columns
    cannot); Group becomes the tag; a `Cite` column (not in the template) or --cite gives
    the citation."""
    records: list[Record] = []
    errors: list[RowError] = []
    rows = _json_rows(text) if text.lstrip("\ufeff \t\r\n").startswith("{") else _csv_rows(text)
    for line, raw in rows:
        row = {k.strip().title() if k.strip().lower() != "display date" else "Display Date":
               v for k, v in raw.items()}
        row = {re.sub(r"\s+", " ", k): v for k, v in row.items()}
        if row.get("Type", "").strip().lower() == "title":
            continue  # the sheet's title slide is not an event
        start = _sheet_date(row, "")
        end = _sheet_date(row, "End ")
        date = start if not end or end == start else f"{start}/{end}"
        shown = row.get("Display Date", "").strip()
        shown_date = re.sub(r"\s*\(.*\)\s*$", "", shown)
        as_shown = edtf_calendar(shown_date) if shown and not ambiguous_reading(
            shown_date) else None  # "1918-22" shown: the date columns say which
        calendar = None
        if as_shown is not None:  # "c. 1933", "summer 1905", "20 Dec 1904 OS (2 Jan 1905)"
            date = as_shown[0]
            calendar = JULIAN if as_shown[1] == JULIAN else None
        fields: dict[str, Any] = {
            "id": row.get("Unique Id", "").strip() or None,
            "title": _from_html(row.get("Headline", "")),
            "date": date or shown,
            "calendar": calendar,
            "date-as-printed": shown_date.strip() if as_shown is not None
            and as_shown[0] != shown_date.strip() else None,
            "summary": _from_html(row.get("Text", "")),
            "tags": _split(row.get("Group", "")),
        }
        rec = _event(fields, _split(row.get("Cite", "")), cite, line, errors,
                     edtf=True)  # date columns, or a Display Date read above: not ambiguous
        if rec:
            records.append(rec)
    return records, errors


def read_jsonl(text: str, **_: Any) -> Read:
    """farchron's own `-f jsonl` (or `-f json`) output: events (timeline, search),
    works (sources) and numbered notes (notes), told apart by their keys."""
    records: list[Record] = []
    errors: list[RowError] = []
    stripped = text.lstrip("\ufeff").lstrip()
    if stripped.startswith("["):
        items = json_items(text)
    else:
        items = []
        for n, ln in enumerate(text.split("\n"), 1):
            if not ln.strip():
                continue
            try:
                items.append((json.loads(ln), n))
            except json.JSONDecodeError as exc:
                errors.append(RowError(n, f"not a JSON line: {exc.msg}"))
    for item, line in items:
        if not isinstance(item, dict):
            errors.append(RowError(line, "not a JSON object"))
            continue
        if "date" in item and "title" in item:
            fields = {k: item.get(k) for k in EVENT_ORDER if k != "citations"}
            cits = [{k: v for k, v in c.items() if v is not None and k in
                     ("source", "note", "pages", "section")}
                    for c in item.get("citations") or [] if isinstance(c, dict)]
            fields["citations"] = cits
            # other-dates as farchron's JSON carries them: the bounds and empty keys go
            others = [{k: v for k, v in o.items() if v is not None and k in
                       ("date", "source", "pages", "note", "section", "basis", "calendar")}
                      for o in item.get("other-dates") or [] if isinstance(o, dict)]
            fields["other-dates"] = others or None
            if not cits:
                errors.append(RowError(line, f"{item.get('id')}: no citation"))
                continue
            records.append(Record("event", ordered(fields, EVENT_ORDER), line,
                                  item.get("id")))
        elif "number" in item and "text" in item:
            cits = [{k: v for k, v in c.items() if v is not None}
                    for c in item.get("citations") or [] if isinstance(c, dict)]
            fields = {"number": item["number"], "citations": cits, "text": item["text"],
                      "date-as-printed": item.get("date-as-printed")}
            records.append(Record("note", ordered(fields, ("number", "text", "citations",
                                                          "date-as-printed")),
                                  line, str(item["number"])))
        elif "type" in item and "title" in item:
            if "author" in item or isinstance(item.get("issued"), dict):
                fields, key, warnings = csl_source(item)
                errors += [RowError(line, w) for w in warnings]
            else:
                fields = {k: (list(v) if isinstance(v, tuple) else v) for k, v in item.items()
                          if k in SOURCE_KEYS and v not in (None, "", [])}
                key = item.get("id")
            records.append(Record("source", ordered(fields, SOURCE_ORDER), line, key))
        else:
            errors.append(RowError(line, "neither an event, a work nor a note"))
    return records, errors
