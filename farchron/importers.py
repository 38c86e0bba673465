"""Readers for other tools' files: works from BibTeX, RIS and CSL-JSON; events from CSV,
a TimelineJS Google Sheet, and farchron's own JSON lines.

Each reader turns text into plain Records (farchron's field names, the input line of each
record) and RowErrors for what cannot be read; `plan` then gives new records their ids and
drops the works and events the ledger already has. Nothing here writes, prints, or imports
click or rich; bibtexparser and rispy are imported only when their format is read.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

FORMATS = ("bibtex", "ris", "csl-json", "csv", "timelinejs", "jsonl")

#: File name endings and the format each means (`--from` overrides).
EXTENSIONS = {".bib": "bibtex", ".bibtex": "bibtex", ".ris": "ris", ".json": "csl-json",
              ".csljson": "csl-json", ".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}

ID_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")

#: The CSL 1.0.2 item types (csl-data.json), which `type` must be one of.
CSL_TYPES = frozenset((
    "article", "article-journal", "article-magazine", "article-newspaper", "bill", "book",
    "broadcast", "chapter", "classic", "collection", "dataset", "document", "entry",
    "entry-dictionary", "entry-encyclopedia", "event", "figure", "graphic", "hearing",
    "interview", "legal_case", "legislation", "manuscript", "map", "motion_picture",
    "musical_score", "pamphlet", "paper-conference", "patent", "performance", "periodical",
    "personal_communication", "post", "post-weblog", "regulation", "report", "review",
    "review-book", "software", "song", "speech", "standard", "thesis", "treaty", "webpage",
))

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

#: CSL-JSON variables (as Zotero and Better BibTeX write them) -> farchron source fields.
CSL_FIELDS = {
    "title": "title", "original-title": "original-title", "title-short": "short-title",
    "shortTitle": "short-title", "container-title": "container-title",
    "collection-title": "collection-title", "collection-number": "collection-number",
    "volume": "volume", "issue": "issue", "number": "number", "page": "page",
    "edition": "edition", "publisher": "publisher", "publisher-place": "publisher-place",
    "language": "language", "archive": "archive", "archive_location": "archive-location",
    "archive-location": "archive-location", "URL": "url", "url": "url", "DOI": "doi",
    "doi": "doi", "ISBN": "isbn", "isbn": "isbn", "note": "note",
    "translated-title": "translated-title",
}
CSL_NAMES = {"author": "authors", "editor": "editors", "translator": "translators",
             "authors": "authors", "editors": "editors", "translators": "translators"}

#: The order fields are written in (farchron's own order; anything else after).
SOURCE_ORDER = (
    "id", "type", "authors", "authors-romanised", "editors", "editors-romanised",
    "translators", "translators-romanised", "title", "original-title", "translated-title",
    "short-title", "container-title", "container-original-title",
    "container-translated-title", "collection-title", "collection-number", "volume",
    "issue", "number", "page", "edition", "publisher", "publisher-place", "issued",
    "language", "archive", "archive-location", "url", "doi", "isbn", "note",
)
SOURCE_KEYS = frozenset(SOURCE_ORDER)
EVENT_ORDER = ("id", "title", "date", "summary", "aliases", "tags", "actors", "places",
               "citations")


class Record:
    """One record read from a file: a work, an event, or a numbered note."""

    __slots__ = ("fields", "key", "kind", "line")

    def __init__(self, kind: str, fields: dict[str, Any], line: int,
                 key: str | None = None) -> None:
        self.kind = kind  # "source", "event" or "note"
        self.fields = fields  # farchron field names; "id" only where the input gave one
        self.line = line  # 1-based line of the record in its input
        self.key = key  # the input's own key (citekey, id), kept for messages and ids

    def __repr__(self) -> str:
        return f"Record({self.kind!r}, {self.fields!r}, line={self.line})"


class RowError:
    """Something in the input that cannot become a record, at its line."""

    __slots__ = ("line", "message")

    def __init__(self, line: int | None, message: str) -> None:
        self.line = line
        self.message = message

    def __repr__(self) -> str:
        return f"RowError({self.line}, {self.message!r})"


Read = tuple[list[Record], list[RowError]]


class ImportFormatError(ValueError):
    """The input is not in the format asked for at all (not one bad row: the whole)."""


def detect_format(filename: str) -> str | None:
    """The format a file name's ending means, or None."""
    lower = filename.lower()
    for ext, fmt in EXTENSIONS.items():
        if lower.endswith(ext):
            return fmt
    return None


def read(text: str, fmt: str, **options: Any) -> Read:
    """Records and row errors from text in one of FORMATS."""
    readers: dict[str, Callable[..., Read]] = {
        "bibtex": read_bibtex, "ris": read_ris, "csl-json": read_csl_json, "csv": read_csv,
        "timelinejs": read_timelinejs, "jsonl": read_jsonl,
    }
    if fmt not in readers:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    records, errors = readers[fmt](text, **options)
    errors.sort(key=lambda e: e.line or 0)
    return records, errors


# --------------------------------------------------------------------------- helpers


def _clean(value: Any) -> str:
    """One line of text: whitespace runs (newlines from wrapped fields) to one space."""
    return " ".join(str(value).split())


def _ordered(fields: Mapping[str, Any], order: Sequence[str]) -> dict[str, Any]:
    """The fields in farchron's order, empty ones dropped (a DOI without its resolver)."""
    if isinstance(fields.get("doi"), str):
        fields = {**fields, "doi": re.sub(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", "",
                                         fields["doi"].strip(), flags=re.IGNORECASE)}
    out = {k: fields[k] for k in order if k in fields and fields[k] not in (None, "", [])}
    out.update((k, v) for k, v in fields.items() if k not in out and v not in (None, "", []))
    return out


def _is_cjk(text: str) -> bool:
    return any(unicodedata.name(c, "").startswith(("CJK", "HIRAGANA", "KATAKANA", "HANGUL"))
               for c in text)


def _edtf(text: str) -> str | None:
    """The EDTF for a date as a file gives it (EDTF, or a form people write), or None."""
    from farchron import dates

    text = text.strip()
    if not text:
        return None
    try:
        dates.parse(text)
        return text
    except dates.DateError:
        pass
    try:
        from farchron import humandates  # type: ignore[attr-defined]
    except ImportError:
        return None
    try:
        parsed = humandates.parse_human(text)
    except Exception:  # any failure there means "not a date we can read"
        return None
    edtf = getattr(parsed, "edtf", parsed)
    return edtf if isinstance(edtf, str) else None


def _ymd(parts: Sequence[Any]) -> str | None:
    """[1905, 5, 27] -> "1905-05-27"; [1905] -> "1905"."""
    try:
        nums = [int(p) for p in parts if str(p).strip() != ""]
    except (TypeError, ValueError):
        return None
    if not nums:
        return None
    y = nums[0]
    out = f"-{abs(y):04d}" if y < 0 else f"{y:04d}"
    for n in nums[1:3]:
        out += f"-{n:02d}"
    return out


_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}


def _year_month(year: str, month: str = "") -> str | None:
    year = year.strip()
    m = re.fullmatch(r"(-?\d{1,4})", year)
    if not m:
        return _edtf(year)
    out = _ymd([int(m.group(1))])
    month = month.strip().lower()[:3]
    if out and month:
        num = _MONTHS.get(month) or (int(month) if month.isdigit() else None)
        if num and 1 <= num <= 12:
            out += f"-{num:02d}"
    return out


def family_of(name: str) -> str:
    """The family name of a "Family, Given" string (a literal name is all family)."""
    return name.split(",", 1)[0].strip()


def _particle_free(family: str) -> str:
    """`van Gogh` -> `Gogh`: lowercase particles are not part of the id."""
    words = family.split()
    while len(words) > 1 and words[0][:1].islower():
        words.pop(0)
    return " ".join(words)


def normalise(text: str) -> str:
    """For duplicate detection: accents, case, punctuation and spacing ignored."""
    from anyascii import anyascii

    text = unicodedata.normalize("NFKC", text).casefold()
    if not _is_cjk(text):
        text = anyascii(text).lower()
    return re.sub(r"[\W_]+", " ", text).strip()


# --------------------------------------------------------------------------- BibTeX


def _latex(text: str) -> str:
    """LaTeX accents, dashes and braces to Unicode (pylatexenc, which bibtexparser 2 uses)."""
    if not re.search(r"[\\{}~$-]", text):
        return _clean(text)
    from pylatexenc.latex2text import LatexNodes2Text

    return _clean(LatexNodes2Text(math_mode="verbatim").latex_to_text(text))


def _bibtex_name(raw: str) -> str:
    """One BibTeX name as "Family, Given": `{World Health Organization}` stays whole,
    `Ludwig van Beethoven` -> `van Beethoven, Ludwig`, `司馬 遼太郎` -> `司馬, 遼太郎`."""
    from bibtexparser.middlewares.names import parse_single_name_into_parts

    raw = raw.strip()
    if raw.startswith("{") and raw.endswith("}") and raw.count("{") == 1:
        return _latex(raw[1:-1])
    if "," not in raw and _is_cjk(raw):
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


def read_bibtex(text: str, **_: Any) -> Read:
    """Works from a .bib file (bibtexparser 2): accents and `--` decoded, types to CSL."""
    import bibtexparser

    lib = bibtexparser.parse_string(text)
    records: list[Record] = []
    errors = [RowError((getattr(b, "start_line", 0) or 0) + 1,
                       f"cannot read this BibTeX entry: {getattr(b, 'error', b)}")
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
        if btype in ("phdthesis", "mastersthesis") and "genre" not in out:
            out.setdefault("note", "PhD thesis" if btype == "phdthesis" else "Master's thesis")
        if "language" in out:
            out["language"] = LANGUAGES.get(out["language"].lower(), out["language"])
        issued = None
        if fields.get("date", "").strip():
            issued = _edtf(fields["date"])
        elif fields.get("year", "").strip():
            issued = _year_month(_latex(fields["year"]), fields.get("month", ""))
        if issued:
            out["issued"] = issued
        elif fields.get("date") or fields.get("year"):
            errors.append(RowError(line, f"{entry.key}: date "
                                   f"{fields.get('date') or fields.get('year')!r} is not a "
                                   "year or EDTF date; left out"))
        records.append(Record("source", _ordered(out, SOURCE_ORDER), line, entry.key))
    return records, errors


# --------------------------------------------------------------------------- RIS


def read_ris(text: str, **_: Any) -> Read:
    """Works from a .ris file (rispy); each record's line is that of its `TY  -` tag."""
    import rispy

    starts = [i + 1 for i, ln in enumerate(text.splitlines())
              if re.match(r"\s*TY  -", ln)]
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
        names = [_clean(a) for a in (e.get("authors") or []) + (e.get("first_authors") or [])]
        if names:
            out["authors"] = names
        eds = [_clean(a) for a in (e.get("secondary_authors") or [])
               if csl in ("chapter", "paper-conference")] + \
              [_clean(a) for a in ([e["editor"]] if e.get("editor") else [])]
        if eds:
            out["editors"] = eds
        trs = e.get("translated_authors") or []
        if trs:
            out["translators"] = [_clean(a) for a in trs]
        title = e.get("title") or e.get("primary_title") or e.get("translated_title")
        if title:
            out["title"] = _clean(title)
        container = (e.get("secondary_title") or e.get("journal_name")
                     or e.get("alternate_title1") or e.get("alternate_title3"))
        if container and csl != "book":
            out["container-title"] = _clean(container)
        elif container:
            out["collection-title"] = _clean(container)
        if e.get("original_publication"):
            out["original-title"] = _clean(e["original_publication"])
        if e.get("short_title"):
            out["short-title"] = _clean(e["short_title"])
        for ris_key, ours in (("volume", "volume"), ("number", "issue"),
                              ("edition", "edition"), ("publisher", "publisher"),
                              ("place_published", "publisher-place"), ("doi", "doi"),
                              ("language", "language"), ("notes_abstract", None)):
            if ours and e.get(ris_key):
                out[ours] = _clean(e[ris_key])
        sp, ep = e.get("start_page"), e.get("end_page")
        if sp:
            out["page"] = _clean(f"{sp}–{ep}" if ep and ep != sp else sp)
        sn = _clean(e.get("issn", ""))
        if sn and re.fullmatch(r"(97[89][- ]?)?[\d -]{9,}[\dXx]", sn):
            out["isbn"] = sn
        urls = e.get("urls") or ([e["url"]] if e.get("url") else [])
        if urls:
            out["url"] = _clean(urls[0])
        notes = e.get("notes") or []
        if notes:
            out["note"] = _clean(" ".join(notes))
        raw_date = str(e.get("year") or e.get("publication_year") or e.get("date") or "")
        m = re.match(r"\s*(-?\d{1,4})(?:/(\d{1,2})?(?:/(\d{1,2}))?)?", raw_date)
        if m:
            out["issued"] = _ymd([m.group(1), m.group(2) or "", m.group(3) or ""])
        elif raw_date.strip():
            errors.append(RowError(line, f"date {raw_date!r} is not a year; left out"))
        key = e.get("id") or e.get("label")
        records.append(Record("source", _ordered(out, SOURCE_ORDER), line,
                              str(key) if key else None))
    return records, errors


# --------------------------------------------------------------------------- CSL-JSON


def csl_name(name: Any) -> str | None:
    """A CSL name object as "Family, Given": particles where CSL puts them
    (`non-dropping-particle` before the family, `dropping-particle` after the given
    name), `literal` names (institutions) whole, the suffix last."""
    if isinstance(name, str):
        return _clean(name) or None
    if not isinstance(name, Mapping):
        return None
    if name.get("literal"):
        return _clean(name["literal"])
    family = _clean(" ".join(str(name[k]) for k in ("non-dropping-particle", "family")
                             if name.get(k)))
    given = _clean(" ".join(str(name[k]) for k in ("given", "dropping-particle")
                            if name.get(k)))
    if not family:
        return given or None
    out = family + (f", {given}" if given else "")
    if name.get("suffix"):
        out += f", {_clean(name['suffix'])}"
    return out


def csl_date(value: Any) -> str | None:
    """CSL date (date-parts, season, circa, raw/literal) as EDTF."""
    if isinstance(value, (str, int)):
        return _edtf(str(value))
    if not isinstance(value, Mapping):
        return None
    parts = value.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        first = _ymd(parts[0])
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
            last = _ymd(parts[1])
            if last and last != first:
                out = f"{first}/{last}"
        if value.get("circa") and "/" not in out:
            out += "~"
        return out
    for key in ("raw", "literal"):
        if value.get(key):
            return _edtf(str(value[key]))
    return None


def _json_items(text: str) -> list[tuple[Any, int]]:
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
    out = []
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
    warnings = []
    out: dict[str, Any] = {}
    ctype = str(item.get("type", "") or "document")
    out["type"] = ctype if ctype in CSL_TYPES else _csl_type_guess(ctype, warnings)
    for key, ours in CSL_NAMES.items():
        names = item.get(key)
        if isinstance(names, list) and names:
            got = [n for n in (csl_name(x) for x in names) if n]
            if got:
                out.setdefault(ours, got)
    for key, ours in CSL_FIELDS.items():
        value = item.get(key)
        if value not in (None, "") and ours not in out:
            out[ours] = _clean(value) if not isinstance(value, list) else _clean(value[0])
    if item.get("issued") not in (None, ""):
        issued = csl_date(item["issued"])
        if issued:
            out["issued"] = issued
        else:
            warnings.append(f"date {item['issued']!r} is not one farchron can read; left out")
    if isinstance(out.get("page"), str):
        out["page"] = out["page"].replace("--", "–")
    key = item.get("citation-key") or item.get("citationKey") or item.get("id")
    return _ordered(out, SOURCE_ORDER), (str(key) if key not in (None, "") else None), warnings


def _csl_type_guess(ctype: str, warnings: list[str]) -> str:
    import difflib

    fixes = {"journal-article": "article-journal", "journalarticle": "article-journal",
             "book-section": "chapter", "booksection": "chapter",
             "conference-paper": "paper-conference", "thesis-phd": "thesis",
             "web-page": "webpage", "newspaper-article": "article-newspaper",
             "magazine-article": "article-magazine"}
    guess = fixes.get(ctype.lower()) or next(
        iter(difflib.get_close_matches(ctype, sorted(CSL_TYPES), n=1, cutoff=0.6)), "document")
    warnings.append(f"type {ctype!r} is not a CSL type; read as {guess!r}")
    return guess


def read_csl_json(text: str, **_: Any) -> Read:
    """Works from CSL-JSON as Zotero or Better BibTeX export it."""
    records: list[Record] = []
    errors: list[RowError] = []
    for item, line in _json_items(text):
        if not isinstance(item, dict):
            errors.append(RowError(line, "not a CSL-JSON item (an object)"))
            continue
        fields, key, warnings = csl_source(item)
        errors += [RowError(line, f"{key or 'item'}: {w}") for w in warnings]
        records.append(Record("source", fields, line, key))
    return records, errors


# --------------------------------------------------------------------------- events


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
           line: int, errors: list[RowError]) -> Record | None:
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
    edtf = _edtf(raw_date)
    if edtf is None:
        errors.append(RowError(line, f"date {raw_date!r} is not a date farchron can read"
                               if raw_date else "no date"))
        return None
    fields["date"] = edtf
    if not citations:
        errors.append(RowError(line, "no citation: give a cite column or --cite SOURCE"))
        return None
    fields["citations"] = citations
    return Record("event", _ordered(fields, EVENT_ORDER), line, fields.get("id"))


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


def read_csv(text: str, cite: Sequence[str] = (), **_: Any) -> Read:
    """Events from a CSV with a header: date,title,summary,tags,actors,places,aliases,cite
    (several values separated by `;`; cite values `SOURCE:LOCATOR` or `note:N`)."""
    records: list[Record] = []
    errors: list[RowError] = []
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
        rec = _event(fields, cites, cite, line, errors)
        if rec:
            records.append(rec)
    return records, errors


_TAGS = re.compile(r"<[^>]*>")


def _from_html(text: str) -> str:
    """TimelineJS text is HTML: the footnote list farchron exports is dropped, tags
    stripped, entities decoded."""
    text = re.sub(r"<ol>.*?</ol>", " ", text, flags=re.DOTALL | re.IGNORECASE)
    return _clean(html.unescape(_TAGS.sub(" ", text)))


def _sheet_date(row: Mapping[str, str], prefix: str) -> str | None:
    y = row.get(f"{prefix}Year", "").strip()
    if not y:
        return None
    parts = [y, row.get(f"{prefix}Month", "").strip(), row.get(f"{prefix}Day", "").strip()]
    while parts and not parts[-1]:
        parts.pop()
    out = _ymd(parts)
    t = row.get(f"{prefix}Time", "").strip()
    m = re.fullmatch(r"(\d{1,2}):(\d{2})(?::(\d{2}))?", t)
    if out and m and len(parts) == 3:
        out += f"T{int(m.group(1)):02d}:{m.group(2)}" + (f":{m.group(3)}" if m.group(3) else "")
    return out


def read_timelinejs(text: str, cite: Sequence[str] = (), **_: Any) -> Read:
    """Events from the TimelineJS Google-Sheet template (Year, Month, Day, Time, End Year,
    ..., Display Date, Headline, Text, Media, ..., Type, Group, Background): the inverse of
    `farchron export timelinejs`. The Display Date wins when it reads as a date (it keeps
    "c. 1933" and seasons that the columns cannot); Group becomes the tag; a `Cite` column
    (not in the template) or --cite gives the citation."""
    records: list[Record] = []
    errors: list[RowError] = []
    for line, raw in _csv_rows(text):
        row = {k.strip().title() if k.strip().lower() != "display date" else "Display Date":
               v for k, v in raw.items()}
        row = {re.sub(r"\s+", " ", k): v for k, v in row.items()}
        if row.get("Type", "").strip().lower() == "title":
            continue  # the sheet's title slide is not an event
        start = _sheet_date(row, "")
        end = _sheet_date(row, "End ")
        date = start if not end or end == start else f"{start}/{end}"
        shown = row.get("Display Date", "").strip()
        if shown:
            date = _edtf(shown) or date
        fields: dict[str, Any] = {
            "id": row.get("Unique Id", "").strip() or None,
            "title": _from_html(row.get("Headline", "")),
            "date": date or shown,
            "summary": _from_html(row.get("Text", "")),
            "tags": _split(row.get("Group", "")),
        }
        rec = _event(fields, _split(row.get("Cite", "")), cite, line, errors)
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
        items = _json_items(text)
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
            if not cits:
                errors.append(RowError(line, f"{item.get('id')}: no citation"))
                continue
            records.append(Record("event", _ordered(fields, EVENT_ORDER), line,
                                  item.get("id")))
        elif "number" in item and "text" in item:
            cits = [{k: v for k, v in c.items() if v is not None}
                    for c in item.get("citations") or [] if isinstance(c, dict)]
            fields = {"number": item["number"], "citations": cits, "text": item["text"]}
            records.append(Record("note", _ordered(fields, ("number", "text", "citations")),
                                  line, str(item["number"])))
        elif "type" in item and "title" in item:
            if "author" in item or isinstance(item.get("issued"), dict):
                fields, key, warnings = csl_source(item)
                errors += [RowError(line, w) for w in warnings]
            else:
                fields = {k: (list(v) if isinstance(v, tuple) else v) for k, v in item.items()
                          if k in SOURCE_KEYS and v not in (None, "", [])}
                key = item.get("id")
            records.append(Record("source", _ordered(fields, SOURCE_ORDER), line, key))
        else:
            errors.append(RowError(line, "neither an event, a work nor a note"))
    return records, errors


# --------------------------------------------------------------------------- planning


def isbn13(text: str) -> str:
    """An ISBN's 13 digits (an ISBN-10 converted), so both forms of one book match."""
    digits = re.sub(r"[^0-9Xx]", "", text).upper()
    if len(digits) == 10:
        core = "978" + digits[:9]
        total = sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(core))
        return core + str((10 - total % 10) % 10)
    return digits


def work_keys(fields: Mapping[str, Any]) -> list[str]:
    """What makes two works the same: DOI, ISBN, or first author + title + year."""
    keys = []
    doi = str(fields.get("doi") or "").strip().lower()
    doi = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:)", "", doi)
    if doi:
        keys.append("doi:" + doi)
    isbn = isbn13(str(fields.get("isbn") or ""))
    if isbn:
        keys.append("isbn:" + isbn)
    authors = fields.get("authors") or fields.get("editors") or ()
    first = normalise(family_of(authors[0])) if authors else ""
    year = str(fields.get("issued") or "")[:4]
    titles = {normalise(str(fields[k])) for k in ("title", "original-title")
              if fields.get(k)}
    keys += [f"work:{first}|{t}|{year}" for t in titles if t]
    return keys


def event_keys(fields: Mapping[str, Any]) -> list[str]:
    """An event already there: same id, or same title and date."""
    keys = [f"event:{normalise(str(fields.get('title', '')))}|{fields.get('date')}"]
    if fields.get("id"):
        keys.append(f"id:{fields['id']}")
    return keys


def source_id_base(fields: Mapping[str, Any], key: str | None) -> tuple[str, bool]:
    """The id to start from and whether clashes take letters (family-year-a)."""
    from farchron.ledgerwrite import slugify

    if key and ID_RE.match(key):
        return key, False
    names = fields.get("authors") or fields.get("editors") or ()
    if names:
        first = names[0]
        stem = slugify(_particle_free(family_of(first)), 40)
        if "," not in first:  # an institution: its first three words are enough
            stem = "-".join(stem.split("-")[:3])
    else:
        stem = "-".join(slugify(str(fields.get("title", "")), 40).split("-")[:3])
    year = str(fields.get("issued") or "")
    m = re.match(r"-?\d{4}", year)
    return (f"{stem}-{m.group(0).lstrip('-')}" if m else stem), True


class Skipped:
    """A record not added, and why (a duplicate of what is there, or of an earlier row)."""

    __slots__ = ("reason", "record")

    def __init__(self, record: Record, reason: str) -> None:
        self.record = record
        self.reason = reason


def plan(records: Iterable[Record], ledger: Any) -> tuple[list[tuple[str, dict[str, Any]]],
                                                         list[Skipped]]:
    """Ids for the new records and the duplicates to skip, against `ledger` (a Ledger or
    None) and the records before each one in the same import.

    Returns ([(table, fields)...] in input order, [Skipped...])."""
    from farchron.ledgerwrite import slugify, unique_id

    seen: dict[str, str] = {}
    source_ids: set[str] = set()
    event_ids: set[str] = set()
    notes: set[int] = set()
    if ledger is not None:
        for s in ledger.sources.values():
            fields = dict(s.fields)
            fields.update(authors=s.authors, title=s.title, issued=s.issued)
            for k in work_keys(fields):
                seen.setdefault(k, f"'{s.id}' in the ledger")
        source_ids = set(ledger.sources)
        notes = set(ledger.notes)

    def event_taken(eid: str) -> bool:
        return eid in event_ids or (ledger is not None and ledger.event(eid) is not None)

    if ledger is not None and any(r.kind == "event" for r in records):
        for e in ledger.events:
            seen.setdefault(f"event:{normalise(e.title)}|{e.date.text}", f"'{e.id}' in the ledger")

    out: list[tuple[str, dict[str, Any]]] = []
    skipped: list[Skipped] = []
    for rec in records:
        fields = dict(rec.fields)
        if rec.kind == "source":
            keys = work_keys(fields)
            dup = next((seen[k] for k in keys if k in seen), None)
            if dup is None and fields.get("id") in source_ids:
                dup = f"'{fields['id']}' in the ledger"
            if dup:
                skipped.append(Skipped(rec, f"already there as {dup}"))
                continue
            base, letters = source_id_base(fields, rec.key if rec.key else fields.get("id"))
            sid = unique_id(base, source_ids, letters=letters)
            source_ids.add(sid)
            fields["id"] = sid
            for k in keys:
                seen[k] = f"'{sid}' earlier in this import"
            out.append(("source", _ordered(fields, SOURCE_ORDER)))
        elif rec.kind == "event":
            keys = event_keys(fields)
            dup = next((seen[k] for k in keys if k in seen), None)
            if dup is None and fields.get("id") and event_taken(str(fields["id"])):
                dup = f"'{fields['id']}' in the ledger"
            if dup:
                skipped.append(Skipped(rec, f"already there as {dup}"))
                continue
            eid = fields.get("id")
            if not (isinstance(eid, str) and ID_RE.match(eid)):
                eid = unique_id(slugify(str(fields["title"])), event_taken)
            event_ids.add(eid)
            fields["id"] = eid
            for k in event_keys(fields):
                seen[k] = f"'{eid}' earlier in this import"
            out.append(("event", _ordered(fields, EVENT_ORDER)))
        else:
            number = fields.get("number")
            if number in notes:
                skipped.append(Skipped(rec, f"note {number} is already there"))
                continue
            if isinstance(number, int):
                notes.add(number)
            out.append(("note", fields))
    return out, skipped
