"""Works from BibTeX (bibtexparser 2, imported only here): LaTeX accents and dashes
decoded with pylatexenc (as bibtexparser's LatexDecodingMiddleware does), entry types to CSL."""

from __future__ import annotations

import functools
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

#: A field longer than this is not given to pylatexenc (whose time grows faster than
#: the text: 1 MB took 18 s, 10 MB 366 s): it is kept with braces removed, and said.
LATEX_FIELD_MAX = 20_000

_DECODER: list[Any] = []  # the one LatexNodes2Text of this run and its context


def _decoder() -> tuple[Any, Any]:
    """pylatexenc's LatexNodes2Text and its macro context, built once: each construction
    rebuilds the context database (64% of a 10k-entry import when built per field), and so
    does each LatexWalker not handed one."""
    if not _DECODER:
        from pylatexenc import latexwalker  # type: ignore[import-untyped]
        from pylatexenc.latex2text import LatexNodes2Text  # type: ignore[import-untyped]

        _DECODER.append((LatexNodes2Text(math_mode="verbatim"),
                         latexwalker.get_default_latex_context_db()))
    return _DECODER[0]


#: Accent commands and the combining mark each puts on the letter that follows.
ACCENTS = {'"': "\u0308", "'": "\u0301", "`": "\u0300", "^": "\u0302", "~": "\u0303",
           "=": "\u0304", ".": "\u0307", "u": "\u0306", "v": "\u030c", "H": "\u030b",
           "c": "\u0327", "k": "\u0328", "r": "\u030a", "d": "\u0323", "b": "\u0331"}
#: Letters written as commands.
LETTERS = {"i": "ı", "j": "ȷ", "o": "ø", "O": "Ø", "ss": "ß", "ae": "æ", "AE": "Æ",
           "oe": "œ", "OE": "Œ", "aa": "å", "AA": "Å", "l": "ł", "L": "Ł"}
_ESCAPED = {"&": "&", "%": "%", "$": "$", "#": "#", "_": "_", "{": "{", "}": "}"}
_ACCENT = re.compile(r"""\\(?:([\"'`^~=.])|([uvHckrdb])(?![^\W\d_])\s*)"""
                     r"(?:\{\s*([A-Za-zıȷ])\s*\}|([A-Za-zıȷ]))")
_LETTER = re.compile(r"\\(ss|ae|AE|oe|OE|aa|AA|[ijoOlL])(?![^\W\d_])\s*(?:\{\})?")
_ESCAPE = re.compile(r"\\([&%$#_{}])")


def _fast_latex(text: str) -> str | None:
    """The common LaTeX of bibliographies (accents on letters, letters as commands, `--`,
    `---`, `~`, escaped `&%$#_`, braces) decoded without a parser; None when anything else
    is there (another command, math), for pylatexenc to read."""
    import unicodedata

    def accent(m: re.Match[str]) -> str:
        base = (m.group(3) or m.group(4)).replace("ı", "i").replace("ȷ", "j")
        return base + ACCENTS[m.group(1) or m.group(2)]

    # Letters first (`\\L\\'o` is Ł then ó), then accents, on them too (`\\u\\i` is ĭ).
    out = _LETTER.sub(lambda m: LETTERS[m.group(1)], text)
    out = _ACCENT.sub(accent, out)
    marks: list[str] = []

    def escaped(m: re.Match[str]) -> str:
        marks.append(m.group(1))
        return f"\x00{len(marks) - 1}\x00"

    out = _ESCAPE.sub(escaped, out)
    if "\\" in out or "$" in out:
        return None
    # dashes before braces go: `-{-}` is two hyphens, as in TeX
    out = out.replace("---", "\u2014").replace("--", "\u2013").replace("{", "").replace("}", "")
    out = out.replace("~", "\u00a0")
    out = re.sub(r"\x00(\d+)\x00", lambda m: _ESCAPED[marks[int(m.group(1))]], out)
    return unicodedata.normalize("NFC", out)


def _latex(text: str, warnings: list[str] | None = None, what: str = "a field") -> str:
    """LaTeX accents, dashes and braces to Unicode: the common forms directly (a parser per
    field cost most of an import), anything else with pylatexenc (as bibtexparser 2 does)."""
    if not re.search(r"[\\{}~$-]", text):
        return clean(text)
    fast = _fast_latex(text)
    if fast is not None:
        return clean(fast)
    if len(text) > LATEX_FIELD_MAX:
        if warnings is not None:
            warnings.append(f"{what} is over {LATEX_FIELD_MAX} characters: read as "
                            "written, its LaTeX not decoded")
        return clean(text.replace("{", "").replace("}", ""))
    decoder, context = _decoder()
    return clean(decoder.latex_to_text(text, latex_context=context))


#: The month macros every BibTeX style defines.
MONTH_MACROS = {m[:3].lower(): m for m in (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December")}


def _parts(raw: str) -> list[str]:
    """A BibTeX value split at its `#` concatenations (outside braces and quotes)."""
    if "#" not in raw:
        return [raw.strip()]
    parts: list[str] = []
    cur: list[str] = []
    depth, quoted = 0, False
    for ch in raw:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == '"' and depth == 0:
            quoted = not quoted
        elif ch == "#" and depth == 0 and not quoted:
            parts.append("".join(cur))
            cur = []
            continue
        cur.append(ch)
    parts.append("".join(cur))
    return [p.strip() for p in parts]


def expand(raw: str, macros: dict[str, str], undefined: list[str]) -> str:
    """A field's value as written (`{...}`, `"..."`, a number, an @string macro, or
    several joined by `#`) as its text; macros not defined go to `undefined`."""
    out = []
    for part in _parts(raw):
        if len(part) >= 2 and (part[0], part[-1]) in (("{", "}"), ('"', '"')):
            out.append(part[1:-1])
        elif part.isdigit() or not part:
            out.append(part)
        elif part.lower() in macros:
            out.append(macros[part.lower()])
        elif part.lower()[:3] in MONTH_MACROS and len(part) == 3:
            out.append(MONTH_MACROS[part.lower()])
        else:
            undefined.append(part)
    return "".join(out)


#: biblatex's extended name format (biber; Better BibTeX and farchron write it):
#: `family=Hara, given=Teruyuki, nametemplates=cjk`, `given=Ludwig, prefix=van, ...`.
_EXTENDED_NAME = re.compile(r"(?:family|given|prefix|suffix)\s*=", re.I)
_EXTENDED_PART = re.compile(r"([a-z-]+)\s*=\s*(\{(?:[^{}]|\{[^{}]*\})*\}|[^,]*)", re.I)


def _extended_name(raw: str) -> str:
    """An extended-format name as "Family, Given"; its options (nametemplates, useprefix,
    which say how to print it) are not part of the name."""
    parts = {}
    for m in _EXTENDED_PART.finditer(raw):
        value = m.group(2).strip()
        if value.startswith("{") and value.endswith("}"):
            value = value[1:-1]
        parts[m.group(1).lower()] = _latex(value)
    family = " ".join(p for p in (parts.get("prefix"), parts.get("family")) if p)
    out = ", ".join(p for p in (family, parts.get("given"), parts.get("suffix")) if p)
    return out or _latex(raw)


@functools.lru_cache(maxsize=65536)  # a bibliography names the same people again and again
def _bibtex_name(raw: str) -> str:
    """One BibTeX name as "Family, Given": `{World Health Organization}` stays whole,
    `Ludwig van Beethoven` -> `van Beethoven, Ludwig`, `司馬 遼太郎` -> `司馬, 遼太郎`."""
    from bibtexparser.middlewares.names import parse_single_name_into_parts

    raw = raw.strip()
    if raw.startswith("{") and raw.endswith("}") and raw.count("{") == 1:
        return _latex(raw[1:-1])
    if _EXTENDED_NAME.match(raw):
        return _extended_name(raw)
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

_PLAIN_ORDER = {k: i for i, k in enumerate(_BIB_PLAIN)}


def _plain_keys(fields: dict[str, str]) -> list[str]:
    """The entry's fields that map to farchron fields, in _BIB_PLAIN's order of precedence
    (asked of the entry's few fields, not of every known one for every entry)."""
    return sorted((k for k in fields if k in _PLAIN_ORDER), key=_PLAIN_ORDER.__getitem__)


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
    # No middleware: values come as written, and @string macros are expanded here, so a
    # macro that is not defined is reported instead of becoming the text of its field.
    lib = bibtexparser.parse_string(text, parse_stack=[])
    macros: dict[str, str] = {}
    for st in lib.strings:
        macros[str(st.key).lower()] = expand(str(st.value), macros, [])
    records: list[Record] = []
    errors = [RowError((getattr(b, "start_line", 0) or 0) + 1,
                       f"cannot read this BibTeX entry: {_why(b)}")
              for b in lib.failed_blocks]
    for entry in lib.entries:
        line = (entry.start_line or 0) + 1
        fields = {}
        for k, f in entry.fields_dict.items():
            undefined: list[str] = []
            value = expand(str(f.value), macros, undefined)
            if undefined:
                errors.append(RowError(line, f"{entry.key}: {k} uses @string "
                                       f"{', '.join(undefined)}, which is not defined; "
                                       f"{k} left out"))
                continue
            fields[k.lower()] = value
        warnings: list[str] = []
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
        for bib in _plain_keys(fields):
            ours, value = _BIB_PLAIN[bib], fields[bib].strip()
            if value and ours not in out:
                out[ours] = _latex(value, warnings, bib)
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
        errors += [RowError(line, f"{entry.key}: {w}") for w in warnings]
        records.append(Record("source", ordered(out, SOURCE_ORDER), line, entry.key))
    return records, errors
