"""Works from RIS (rispy, imported only here); each record's line is its `TY  -` tag's."""

from __future__ import annotations

import re
from typing import Any

from farchron.importers.common import (
    SOURCE_ORDER,
    ImportFormatError,
    Read,
    Record,
    RowError,
    clean,
    ordered,
    ymd,
)

RIS_TYPES = {
    "JOUR": "article-journal", "JFULL": "article-journal", "EJOUR": "article-journal",
    "ABST": "article-journal", "INPR": "article-journal", "BOOK": "book",
    "EBOOK": "book", "EDBOOK": "book", "CHAP": "chapter", "ECHAP": "chapter",
    "THES": "thesis", "RPRT": "report", "GOVDOC": "report", "CONF": "paper-conference",
    "CPAPER": "paper-conference", "MGZN": "article-magazine", "NEWS": "article-newspaper",
    "ELEC": "webpage", "WEB": "webpage", "BLOG": "post-weblog", "MANSCPT": "manuscript",
    "UNPB": "manuscript", "UNPD": "manuscript", "GEN": "document", "MAP": "map",
    "CASE": "legal_case", "STAT": "legislation", "BILL": "bill", "HEAR": "hearing",
    "PAT": "patent", "DATA": "dataset", "DBASE": "dataset", "SOUND": "song",
    "MUSIC": "musical_score", "VIDEO": "motion_picture", "MPCT": "motion_picture",
    "ART": "graphic", "FIGURE": "figure", "PAMP": "pamphlet", "ENCYC": "entry-encyclopedia",
    "DICT": "entry-dictionary", "ICOMM": "personal_communication",
    "PCOMM": "personal_communication", "COMP": "software", "STAND": "standard",
    "SER": "periodical", "CTLG": "book", "AGGR": "dataset", "ANCIENT": "classic",
    "CLSWK": "classic", "LEGAL": "legislation", "EQUA": "document", "SLIDE": "speech",
    "MULTI": "document", "CHART": "graphic",
}

_TAG = re.compile(r"\s*(TY|ER)  -")


def record_starts(text: str) -> tuple[list[int], list[tuple[int, int | None]]]:
    """The line of each record's `TY  -` tag, and (line, next TY line or None) of each
    record that has no `ER  -` before the next record or the end of the file."""
    starts: list[int] = []
    unended: list[tuple[int, int | None]] = []
    open_at: int | None = None
    for i, ln in enumerate(text.lstrip("\ufeff").split("\n"), 1):
        m = _TAG.match(ln)
        if not m:
            continue
        if m.group(1) == "TY":
            if open_at is not None:
                unended.append((open_at, i))
            starts.append(i)
            open_at = i
        else:
            open_at = None
    if open_at is not None:
        unended.append((open_at, None))
    return starts, unended


def read_ris(text: str, **_: Any) -> Read:
    """Works from a .ris file (rispy); each record's line is that of its `TY  -` tag."""
    import rispy  # type: ignore[import-untyped]

    starts, unended = record_starts(text)
    if unended:  # rispy would fold the next record into this one, silently: refuse
        return [], [RowError(line, f"this RIS record has no end tag (`ER  -`) before "
                             f"{'the next `TY  -` at line ' + str(nxt) if nxt else 'the end'};"
                             " nothing from the file is imported")
                    for line, nxt in unended]
    try:
        entries = rispy.loads(text.lstrip("\ufeff"))
    except Exception as exc:  # rispy raises bare IOError and friends
        raise ImportFormatError(f"not a RIS file: {exc}") from exc
    records: list[Record] = []
    errors: list[RowError] = []
    for n, e in enumerate(entries):
        line = starts[n] if n < len(starts) else 0
        ris = str(e.get("type_of_reference", "GEN")).upper()
        csl = RIS_TYPES.get(ris)
        if csl is None:
            errors.append(RowError(line, f"unknown RIS type {ris!r}; read as 'document'"))
            csl = "document"
        out: dict[str, Any] = {"type": csl}
        names = [clean(a) for a in (e.get("authors") or []) + (e.get("first_authors") or [])]
        if names:
            out["authors"] = names
        eds = [clean(a) for a in (e.get("secondary_authors") or [])
               if csl in ("chapter", "paper-conference")] + \
              [clean(a) for a in ([e["editor"]] if e.get("editor") else [])]
        if csl not in ("chapter", "paper-conference", "thesis"):  # Zotero: A3 is the editor
            eds += [clean(a) for a in (e.get("tertiary_authors") or [])]
        if eds:
            out["editors"] = eds
        trs = e.get("translated_authors") or []
        if csl not in ("paper-conference", "dataset", "legal_case"):  # Zotero: A4 translator
            trs = list(trs) + list(e.get("subsidiary_authors") or [])
        if trs:
            out["translators"] = [clean(a) for a in trs]
        title = e.get("title") or e.get("primary_title") or e.get("translated_title")
        if title:
            out["title"] = clean(title)
        container = (e.get("secondary_title") or e.get("journal_name")
                     or e.get("alternate_title1") or e.get("alternate_title3"))
        if container and csl != "book":
            out["container-title"] = clean(container)
        elif container:
            out["collection-title"] = clean(container)
        if e.get("original_publication"):
            out["original-title"] = clean(e["original_publication"])
        if e.get("short_title"):
            out["short-title"] = clean(e["short_title"])
        for ris_key, ours in (("volume", "volume"), ("number", "issue"),
                              ("name_of_database", "archive"),
                              ("accession_number", "archive-location"),
                              ("section", "section"),
                              ("edition", "edition"), ("publisher", "publisher"),
                              ("place_published", "publisher-place"), ("doi", "doi"),
                              ("language", "language"), ("notes_abstract", None)):
            if ours and e.get(ris_key):
                out[ours] = clean(e[ris_key])
        sp, ep = e.get("start_page"), e.get("end_page")
        if sp:
            out["page"] = clean(f"{sp}–{ep}" if ep and ep != sp else sp)
        sn = clean(e.get("issn", ""))
        if sn and re.fullmatch(r"(97[89][- ]?)?[\d -]{9,}[\dXx]", sn):
            out["isbn"] = sn
        urls = e.get("urls") or ([e["url"]] if e.get("url") else [])
        if urls:
            out["url"] = clean(urls[0])
        notes = e.get("notes") or []
        if notes:
            out["note"] = clean(" ".join(notes))
        if csl == "thesis" and e.get("type_of_work"):
            out["genre"] = clean(e["type_of_work"])
        unknown = e.get("unknown_tag") or {}
        if "archive-location" not in out and unknown.get("AV"):
            out["archive-location"] = clean(unknown["AV"][0])
        # DA is the full date ("1917/11/09"), PY often only its year: DA wins
        raw_date = str(e.get("date") or e.get("year") or e.get("publication_year") or "")
        m = re.match(r"\s*(-?\d{1,4})(?:/(\d{1,2})?(?:/(\d{1,2}))?)?", raw_date)
        if m:
            out["issued"] = ymd([m.group(1), m.group(2) or "", m.group(3) or ""])
        elif raw_date.strip():
            errors.append(RowError(line, f"date {raw_date!r} is not a year; left out"))
        key = e.get("id") or e.get("label")
        records.append(Record("source", ordered(out, SOURCE_ORDER), line,
                              str(key) if key else None))
    return records, errors
