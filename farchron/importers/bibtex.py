"""Works from BibTeX (bibtexparser 2, imported only here): LaTeX accents and dashes
decoded with pylatexenc (as bibtexparser's LatexDecodingMiddleware does), entry types to CSL."""

from __future__ import annotations

import re
from typing import Any

from farchron.importers.common import (
    SOURCE_ORDER,
    Read,
    Record,
    RowError,
    clean,
    edtf,
    is_cjk,
    ordered,
    year_month,
)

BIBTEX_TYPES = {
    "article": "article-journal", "book": "book", "mvbook": "book", "inbook": "chapter",
    "incollection": "chapter", "bookinbook": "chapter", "inproceedings": "paper-conference",
    "conference": "paper-conference", "proceedings": "book", "collection": "book",
    "mvcollection": "book", "phdthesis": "thesis", "mastersthesis": "thesis",
    "thesis": "thesis", "techreport": "report", "report": "report", "manual": "report",
    "booklet": "pamphlet", "unpublished": "manuscript", "online": "webpage",
    "electronic": "webpage", "www": "webpage", "misc": "document", "periodical": "periodical",
    "patent": "patent", "dataset": "dataset", "software": "software", "inreference":
    "entry-encyclopedia", "reference": "book", "letter": "personal_communication",
    "jurisdiction": "legal_case", "legislation": "legislation", "map": "map",
}

def _latex(text: str) -> str:
    """LaTeX accents, dashes and braces to Unicode (pylatexenc, which bibtexparser 2 uses)."""
    if not re.search(r"[\\{}~$-]", text):
        return clean(text)
    from pylatexenc.latex2text import LatexNodes2Text  # type: ignore[import-untyped]

    return clean(LatexNodes2Text(math_mode="verbatim").latex_to_text(text))


def _bibtex_name(raw: str) -> str:
    """One BibTeX name as "Family, Given": `{World Health Organization}` stays whole,
    `Ludwig van Beethoven` -> `van Beethoven, Ludwig`, `司馬 遼太郎` -> `司馬, 遼太郎`."""
    from bibtexparser.middlewares.names import parse_single_name_into_parts

    raw = raw.strip()
    if raw.startswith("{") and raw.endswith("}") and raw.count("{") == 1:
        return _latex(raw[1:-1])
    if "," not in raw and is_cjk(raw):
        parts = raw.split()
        return f"{parts[0]}, {' '.join(parts[1:])}" if len(parts) > 1 else raw
    try:
        p = parse_single_name_into_parts(raw, strict=False)
    except Exception:  # a name it cannot split is kept as written
        return _latex(raw)
    family = _latex(" ".join(p.von + p.last))
    given = _latex(" ".join(p.first))
    jr = _latex(" ".join(p.jr))
    out = family
    if given:
        out += f", {given}"
    if jr:
        out += f", {jr}"
    return out or _latex(raw)


def _bibtex_names(value: str) -> list[str]:
    from bibtexparser.middlewares.names import split_multiple_persons_names

    return [_bibtex_name(n) for n in split_multiple_persons_names(value) if n.strip()]


_BIB_PLAIN = {
    "title": "title", "origtitle": "original-title", "shorttitle": "short-title",
    "journal": "container-title", "journaltitle": "container-title",
    "booktitle": "container-title", "series": "collection-title", "volume": "volume",
    "edition": "edition", "publisher": "publisher", "address": "publisher-place",
    "location": "publisher-place", "note": "note", "school": "publisher",
    "institution": "publisher", "organization": "publisher", "doi": "doi", "isbn": "isbn",
    "url": "url", "language": "language", "langid": "language", "pages": "page",
    "number": "number", "issue": "issue", "howpublished": "publisher",
}

#: Common language names as BibTeX (babel/polyglossia) writes them -> ISO 639-1.
LANGUAGES = {
    "english": "en", "american": "en", "british": "en", "russian": "ru", "japanese": "ja",
    "german": "de", "ngerman": "de", "french": "fr", "chinese": "zh", "korean": "ko",
    "italian": "it", "spanish": "es", "polish": "pl", "ukrainian": "uk", "dutch": "nl",
    "mongolian": "mn",
}


def _why(block: Any) -> str:
    """A failed block's reason (an aborted block's exception has no text, only a field)."""
    err = getattr(block, "error", None)
    return str(getattr(err, "abort_reason", "") or err or "not BibTeX")


def read_bibtex(text: str, **_: Any) -> Read:
    """Works from a .bib file (bibtexparser 2): accents and `--` decoded, types to CSL."""
    import logging

    import bibtexparser

    # bibtexparser logs each failed block to stderr itself; farchron reports it once, below
    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)
    lib = bibtexparser.parse_string(text)
    records: list[Record] = []
    errors = [RowError((getattr(b, "start_line", 0) or 0) + 1,
                       f"cannot read this BibTeX entry: {_why(b)}")
              for b in lib.failed_blocks]
    for entry in lib.entries:
        line = (entry.start_line or 0) + 1
        fields = {k.lower(): str(f.value) for k, f in entry.fields_dict.items()}
        btype = entry.entry_type.lower()
        csl = BIBTEX_TYPES.get(btype)
        if csl is None:
            errors.append(RowError(line, f"@{btype}{{{entry.key}}}: unknown BibTeX entry "
                                   "type; read as 'document'"))
            csl = "document"
        out: dict[str, Any] = {"type": csl}
        for bib, ours in (("author", "authors"), ("editor", "editors"),
                          ("translator", "translators")):
            if fields.get(bib, "").strip():
                out[ours] = _bibtex_names(fields[bib])
        for bib, ours in _BIB_PLAIN.items():
            value = fields.get(bib, "").strip()
            if value and ours not in out:
                out[ours] = _latex(value)
        if btype == "article" and "number" in out and "issue" not in out:
            out["issue"] = out.pop("number")
        thesis_type = fields.get("type", "").strip().lower() if btype == "thesis" else btype
        if thesis_type in ("phdthesis", "mastersthesis", "mathesis"):
            out["genre"] = "PhD diss." if thesis_type == "phdthesis" else "Master’s thesis"
        elif btype == "thesis" and fields.get("type", "").strip():
            out["genre"] = _latex(fields["type"].strip())
        if fields.get("entrysubtype", "").strip() == "archival" and "publisher" in out:
            # farchron's own archival @misc: howpublished is "archive, call number"
            out.pop("publisher")
            archive, _sep, call = _latex(fields["howpublished"]).partition(", ")
            out["archive"] = archive
            if call:
                out["archive-location"] = call
            if "publisher-place" in out:
                out["archive-place"] = out.pop("publisher-place")
        if "language" in out:
            out["language"] = LANGUAGES.get(out["language"].lower(), out["language"])
        issued = None
        if fields.get("date", "").strip():
            issued = edtf(fields["date"])
        elif fields.get("year", "").strip():
            issued = year_month(_latex(fields["year"]), fields.get("month", ""))
        if issued:
            out["issued"] = issued
        elif fields.get("date") or fields.get("year"):
            errors.append(RowError(line, f"{entry.key}: date "
                                   f"{fields.get('date') or fields.get('year')!r} is not a "
                                   "year or EDTF date; left out"))
        records.append(Record("source", ordered(out, SOURCE_ORDER), line, entry.key))
    return records, errors
