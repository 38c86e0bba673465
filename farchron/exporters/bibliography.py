"""BibTeX (biblatex-chicago), CSL-JSON and RIS (Zotero) writers for the works of the ledger.

Each mapping is measured against its real consumer (tests/system/test_consumers.py):

- CSL-JSON, for pandoc --citeproc / citeproc-js with the Chicago 17 style: the
  translated title sits in `title` in Chicago's form `Romanised Title [Translation]`
  (the one place every style prints); never in `original-title`, which CSL reads as
  the original of a translation ("originally published as ..."); the original-script
  title stays in `custom`; `title-short` is farchron's Chicago short title; names are
  `family`/`given`, `static-ordering` where printed family first (Tomita Takeshi), a
  `literal` only for an institution.
- BibTeX for biber/biblatex-chicago: names printed family first in biblatex's extended
  name format with biblatex-chicago's `cjk` name template (the file says to load it with
  `cmsnameparts`), `usere` the translation (biblatex-chicago prints it
  in brackets), `titleaddon` the original script, `langid` a babel language name,
  farchron's remarks in `annotation` (never `note`, which every full note prints),
  braces escaped as \\textbraceleft{}/\\textbraceright{} so an entry always balances,
  and `volume` an integer as biblatex's data model requires (a part in `part`).
- RIS as Zotero's RIS translator reads it: T2 the journal, SP/EP the pages, DB/AN the
  archive and its call number, ST the short title, M2 (Zotero's Extra) the
  original-script title; no OP or TT, which Zotero files as loose notes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from farchron.cite.works import (
    date_parts,
    display_name,
    east_asian_names,
    et_al,
    romanised,
    split_name,
)
from farchron.cite.works import names as _names
from farchron.cite.works import year as _year
from farchron.model.records import Source
from farchron.model.romanise import is_latin

#: ISO 639-1 → the babel/polyglossia names biblatex's langid takes.
_LANGID = {"en": "english", "ja": "japanese", "ru": "russian", "zh": "chinese",
           "ko": "korean", "de": "ngerman", "fr": "french", "mn": "mongolian",
           "es": "spanish", "it": "italian", "pl": "polish", "uk": "ukrainian"}


def _original_names(source: Source) -> list[str]:
    """Names printed in another script, kept so no export loses them."""
    out = []
    for key in ("authors", "editors", "translators"):
        if source.get(f"{key}-romanised"):
            out += [n for n in source.get(key, ()) if n.strip().lower() != "et al."]
    return out


def _remarks(source: Source) -> str:
    parts = []
    names = _original_names(source)
    if names:
        listed = "; ".join(names)
        parts.append(f"Names as printed: {listed}" + ("" if listed.endswith(".") else "."))
    if source.get("note"):
        parts.append(str(source.get("note")))
    return " ".join(parts)


def chicago_title(title: str, translated: str | None) -> str:
    """Chicago's `Romanised Title [Translation]`, the form citeproc and Zotero print whole."""
    return f"{title} [{translated}]" if translated else title


def _is_family_first(name: str, source: Source, family_first: frozenset[str],
                     translator: bool = False) -> bool:
    parts = split_name(name)
    if parts is None or not parts[1]:
        return False
    shown = display_name(name, source, translator=translator, family_first=family_first)
    return shown == f"{parts[0]} {parts[1]}"


def _short_title(source: Source) -> str | None:
    """Chicago's short title, for every work: without it consumers shorten the exported
    title, which carries the bracketed translation."""
    from farchron.cite.chicago import short_title

    return short_title(source) or None


def _thesis_genre(source: Source) -> str:
    from farchron.cite.forms import thesis_description

    return thesis_description(source).split(",", 1)[0]


# --------------------------------------------------------------------------- CSL-JSON

_CSL_VARS = {
    "collection-title": "collection-title", "collection-number": "collection-number",
    "volume": "volume", "issue": "issue", "number": "number", "page": "page",
    "edition": "edition", "language": "language", "archive-place": "archive-place",
    "archive-location": "archive_location", "genre": "genre", "section": "section",
    "original-work-title": "original-title", "url": "URL", "doi": "DOI", "isbn": "ISBN",
}


#: Languages whose items citeproc-js (Zotero's engine) prints every Latin-script name of
#: family first ("Slavinsky Boris"), whatever the name says (its `_isRomanesque`).
_CITEPROC_JS_FAMILY_FIRST = ("ja", "zh")


def _csl_name(name: str, source: Source, family_first: frozenset[str] = frozenset(),
              translator: bool = False) -> dict[str, Any]:
    """A personal name as `family`/`given` (a `literal` only for an institution), its order
    as printed carried as `static-ordering` ("Shinoda Kimiko"): short notes then give the
    family name alone in every engine. pandoc's citeproc ignores `static-ordering` and
    prints such a name given first in full notes (measured with 2.17 and 3.x)."""
    parts = split_name(name)
    if parts is None:
        return {"literal": name}
    if not parts[1]:
        return {"family": parts[0]}
    out: dict[str, Any] = {"family": parts[0], "given": parts[1]}
    if _is_family_first(name, source, family_first, translator):
        out["static-ordering"] = True
    elif str(source.get("language") or "")[:2] in _CITEPROC_JS_FAMILY_FIRST \
            and is_latin(name):
        # citeproc-js orders a Latin name by the item's language unless the name carries
        # its own (its `multi.main`, the CSL-M extension Juris-M and Zotero's engine read;
        # other consumers ignore it): "Boris Slavinsky" in a Japanese translation
        out["multi"] = {"main": "und-Latn", "_key": {}}
    return out


def csl_item(source: Source, family_first: frozenset[str] = frozenset()) -> dict[str, Any]:
    """One CSL-JSON item (schema v1.0), mapped as the module docstring says."""
    item: dict[str, Any] = {"id": source.id, "type": source.type,
                            "title": chicago_title(source.title,
                                                   source.get("translated-title"))}
    short = _short_title(source)
    if short:
        item["title-short"] = short
    if source.get("container-title"):
        item["container-title"] = chicago_title(source.get("container-title"),
                                                source.get("container-translated-title"))
    for key, var in _CSL_VARS.items():
        value = source.get(key)
        if value:
            item[var] = value
    if re.fullmatch(r"\d+-\d+", str(item.get("volume", ""))):
        # "4-1" is volume 4, part 1, not a range citeproc would print as "4–1"
        item["volume"] = str(item["volume"]).replace("-", "\u2011")
    if source.type == "thesis":
        item["genre"] = _thesis_genre(source)
    for key, var in (("publisher", "publisher"), ("publisher-place", "publisher-place"),
                     ("archive", "archive")):
        value = romanised(source, key)
        if value:
            item[var] = value
    for key, var in (("authors", "author"), ("editors", "editor"),
                     ("translators", "translator")):
        names = _names(source, key)
        if names:
            item[var] = [_csl_name(n, source, family_first, key == "translators")
                         for n in names]
    parts = date_parts(source)
    if parts:
        item["issued"] = {"date-parts": [parts]}
    custom: dict[str, Any] = {}
    for key, name in (("original-title", "original-script-title"),
                      ("container-original-title", "container-original-script-title"),
                      ("translated-title", "translated-title"),
                      ("container-translated-title", "container-translated-title"),
                      ("publisher", "publisher-as-printed"),
                      ("publisher-place", "publisher-place-as-printed"),
                      ("archive", "archive-as-printed")):
        value = source.get(key)
        if value and not (key.startswith(("publisher", "archive"))
                          and value == item.get(key)):
            custom[name] = value
    printed = _original_names(source)
    if printed:
        custom["names-as-printed"] = printed
    if custom:
        item["custom"] = custom
    # Zotero's CSL JSON import ignores `custom` and files `note` in Extra: the titles in
    # their own script travel there too, so a round trip through Zotero keeps them
    scripts = [f"{label}: {source.get(key)}." for key, label in (
        ("original-title", "Original-script title"),
        ("container-original-title", "Original-script container title"))
        if source.get(key) and source.get(key) != source.title]
    remarks = " ".join(p for p in (*scripts, _remarks(source)) if p)
    if remarks:
        item["note"] = remarks
    return item


def csl_json(sources: Iterable[Source], family_first: frozenset[str] | None = None) -> str:
    from farchron.text import json_dumps

    works = list(sources)
    ff = east_asian_names(works) if family_first is None else family_first
    return json_dumps([csl_item(s, ff) for s in works]) + "\n"


# --------------------------------------------------------------------------- BibTeX

_BIB_TYPES = {"book": "book", "chapter": "incollection", "article-journal": "article",
              "article": "article", "manuscript": "unpublished", "report": "report",
              "thesis": "thesis", "article-newspaper": "article",
              "article-magazine": "article"}
_BIB_SPECIAL = re.compile(r"([\\{}&%$#_~^])")
#: BibTeX counts braces even after a backslash: "\{" alone unbalances an entry, so a
#: brace is a command whose own braces are balanced.
_BIB_REPLACE = {"\\": r"\textbackslash{}", "~": r"\textasciitilde{}",
                "^": r"\textasciicircum{}", "{": r"\textbraceleft{}",
                "}": r"\textbraceright{}"}


def _bib_escape(text: str) -> str:
    from farchron.text import clean

    def sub(m: re.Match[str]) -> str:
        ch = m.group(1)
        return _BIB_REPLACE.get(ch, "\\" + ch)

    return " ".join(_BIB_SPECIAL.sub(sub, clean(text)).split())


#: biblatex-chicago's name template for names printed family first (its `cmsnameparts`
#: option declares it): "Hara Teruyuki" in notes and bibliography, "Hara" in short notes.
CJK_TEMPLATE = "cjk"
BIBTEX_HEADER = (
    "% For biber and biblatex-chicago, loaded as\n"
    "% \\usepackage{csquotes}\n"
    "% \\usepackage[notes,backend=biber,cmsnameparts,ptitleaddon=space,ctitleaddon=space]"
    "{biblatex-chicago}\n"
    "% cmsnameparts declares the cjk name template used here for names printed family name\n"
    "% first (Hara Teruyuki); csquotes alternates the quotation marks inside a quoted title;\n"
    "% ptitleaddon and ctitleaddon set a title in its own script after the romanised one.\n\n")


_INNER_QUOTE = re.compile(r'"([^"]+)"|“([^“”]+)”')


def _bib_title(text: str) -> str:
    """A title escaped, its own quotation marks as biblatex's \\mkbibquote, which
    alternates them inside the quotes an article title gets (“‘A Great Disobedience’: …”)
    where plain double quotes stayed double."""
    return _INNER_QUOTE.sub(lambda m: r"\mkbibquote{" + (m.group(1) or m.group(2)) + "}",
                            _bib_escape(text))


def _bib_names(names: Sequence[str], source: Source, family_first: frozenset[str],
               more: bool = False, translator: bool = False) -> str:
    """"and"-joined; a corporate name is braced so biber keeps it whole; a name printed
    family first in biblatex's extended name format with biblatex-chicago's cjk template;
    "et al." as printed is biblatex's "and others"."""
    out = []
    for n in names:
        parts = split_name(n)
        if parts is None:
            out.append("{" + _bib_escape(n) + "}")
        elif _is_family_first(n, source, family_first, translator):
            out.append(f"family={{{_bib_escape(parts[0])}}}, given={{{_bib_escape(parts[1])}}}, "
                       f"nametemplates={CJK_TEMPLATE}")
        else:
            out.append(_bib_escape(n))
    if more:
        out.append("others")
    return " and ".join(out)


_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9,
          "X": 10}


def _bib_volume(volume: str) -> tuple[list[tuple[str, str]], str]:
    """biblatex's volume is an integer (biber drops anything else): a roman numeral in
    arabic (CMOS 14.119), "4-1" as volume 4 part 1; else the leading number, and the
    volume as printed for the annotation."""
    v = volume.strip()
    if v.isdigit():
        return [("volume", v)], ""
    if v.upper() in _ROMAN:
        return [("volume", str(_ROMAN[v.upper()]))], ""
    m = re.fullmatch(r"(\d+)\s*[-./]\s*(\d+)", v)
    if m:
        return [("volume", m.group(1)), ("part", m.group(2))], ""
    m = re.match(r"\d+", v)
    return ([("volume", m.group(0))] if m else []), f"Volume as printed: {v}."


def bibtex_entry(source: Source, family_first: frozenset[str] = frozenset()) -> str:
    """A biblatex-chicago entry, mapped as the module docstring says."""
    from farchron.cite.forms import is_archival

    kind = _BIB_TYPES.get(source.type, "misc")
    if source.type == "article" and not source.get("container-title"):
        kind = "unpublished"
    archival = is_archival(source)
    if archival:
        kind = "misc"  # biblatex-chicago's archival form: plain title, no parentheses
    fields: list[tuple[str, str]] = []
    if archival:
        fields.append(("entrysubtype", "archival"))
    elif source.type in ("article-newspaper", "article-magazine"):
        fields.append(("entrysubtype", "magazine"))  # cited by date, not volume
    for key, bib in (("authors", "author"), ("editors", "editor"),
                     ("translators", "translator")):
        names = _names(source, key)
        if names:
            fields.append((bib, _bib_names(names, source, family_first, et_al(source, key),
                                           key == "translators")))
    fields.append(("title", "{" + _bib_title(source.title) + "}"))
    if source.get("original-title") and source.get("original-title") != source.title:
        fields.append(("titleaddon", _bib_escape(source.get("original-title"))))
    if source.get("translated-title"):
        fields.append(("usere", _bib_title(source.get("translated-title"))))
    short = _short_title(source)
    if short:
        fields.append(("shorttitle", _bib_title(short)))
    container = source.get("container-title")
    if container:
        fields.append(("journal" if kind == "article" else "booktitle",
                       _bib_escape(container)))
        addon = " ".join(p for p in (source.get("container-original-title"),
                                     f"[{source.get('container-translated-title')}]"
                                     if source.get("container-translated-title") else "")
                         if p)
        if addon:
            fields.append(("journaltitleaddon" if kind == "article" else "booktitleaddon",
                           _bib_escape(addon)))
    volume_note = ""
    if source.get("volume"):
        vol_fields, volume_note = _bib_volume(str(source.get("volume")))
        fields += vol_fields
    for key, bib in (("issue", "number"), ("page", "pages"), ("edition", "edition"),
                     ("collection-title", "series"), ("doi", "doi"), ("isbn", "isbn"),
                     ("url", "url")):
        if source.get(key):
            fields.append((bib, _bib_escape(source.get(key))))
    if source.type == "thesis":
        from farchron.cite.forms import thesis_description

        genre = thesis_description(source).split(",", 1)[0]
        fields.append(("type", {"PhD diss.": "phdthesis",
                                "Master’s thesis": "mathesis"}.get(genre, _bib_escape(genre))))
        if romanised(source, "publisher"):
            fields.append(("institution", _bib_escape(romanised(source, "publisher") or "")))
    for key, bib in (("publisher", "publisher"), ("publisher-place", "location")):
        value = romanised(source, key)
        if source.type == "thesis" and key == "publisher":
            continue
        if value and kind == "article":  # biblatex's @article has neither field
            volume_note += f" Journal {key.replace('-', ' ')}: {value}."
        elif value:
            fields.append((bib, _bib_escape(value)))
    lang = source.get("language")
    if lang:
        fields.append(("langid", _LANGID.get(lang, lang)))
    parts = date_parts(source)
    if len(parts) > 1:
        fields.append(("date", "-".join(f"{p:02d}" if i else f"{p:04d}"
                                        for i, p in enumerate(parts))))
    elif parts:
        fields.append(("year", str(parts[0])))
    if source.get("archive") or source.get("archive-location"):
        fields.append(("howpublished", _bib_escape(", ".join(
            p for p in (source.get("archive"), source.get("archive-location")) if p))))
    if archival and source.get("archive-place"):
        fields.append(("location", _bib_escape(str(source.get("archive-place")))))
    if source.get("section") and kind == "article":
        # biblatex-chicago prints `usera` of a newspaper between its name and the date;
        # `chapter` came out as "chap. 2"
        section = str(source.get("section"))
        fields.append(("usera", _bib_escape(section) if not section[:1].isdigit()
                       else r"\autocap{s}ec. " + _bib_escape(section)))
    if source.get("original-work-title"):
        fields.append(("origtitle", _bib_escape(str(source.get("original-work-title")))))
    remarks = " ".join(p for p in (volume_note.strip(), _remarks(source)) if p)
    if remarks:
        fields.append(("annotation", _bib_escape(remarks)))
    body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields)
    return f"@{kind}{{{source.id},\n{body}\n}}\n"


def bibtex(sources: Iterable[Source], family_first: frozenset[str] | None = None) -> str:
    works = list(sources)
    ff = east_asian_names(works) if family_first is None else family_first
    return BIBTEX_HEADER + "\n".join(bibtex_entry(s, ff) for s in works)


# --------------------------------------------------------------------------- RIS

_RIS_TYPES = {"book": "BOOK", "chapter": "CHAP", "article-journal": "JOUR",
              "article": "GEN", "manuscript": "MANSCPT", "report": "RPRT", "thesis": "THES",
              "article-newspaper": "NEWS", "article-magazine": "MGZN"}


def _ris_line(tag: str, value: str) -> str:
    from farchron.text import clean

    return f"{tag}  - {' '.join(clean(value).split())}\n"


def _pages(page: str) -> list[tuple[str, str]]:
    """SP/EP for a range ("396-411"), SP alone otherwise (Zotero joins them with a hyphen)."""
    m = re.fullmatch(r"\s*(\w+)\s*[-–—]+\s*(\w+)\s*", page)
    return [("SP", m.group(1)), ("EP", m.group(2))] if m else [("SP", page)]


def ris_entry(source: Source) -> str:
    """One RIS record, mapped for Zotero's RIS translator (see the module docstring)."""
    ty = _RIS_TYPES.get(source.type, "GEN")
    if source.type == "article" and not source.get("container-title"):
        ty = "MANSCPT"  # an unpublished paper: Zotero reads GEN as a journal article
    out = [_ris_line("TY", ty), _ris_line("ID", source.id)]
    out += [_ris_line("AU", n) for n in _names(source, "authors")]
    ed_tag = "A2" if source.type == "chapter" else "A3"  # Zotero: editor of each type
    out += [_ris_line(ed_tag, n) for n in _names(source, "editors")]
    out += [_ris_line("A4", n) for n in _names(source, "translators")]
    out.append(_ris_line("TI", chicago_title(source.title, source.get("translated-title"))))
    short = _short_title(source)
    if short:
        out.append(_ris_line("ST", short))
    if source.get("container-title"):
        out.append(_ris_line("T2", chicago_title(source.get("container-title"),
                                                 source.get("container-translated-title"))))
    for key, tag in (("volume", "VL"), ("issue", "IS"), ("edition", "ET"),
                     ("language", "LA"), ("doi", "DO"), ("isbn", "SN"), ("url", "UR"),
                     ("archive", "DB"), ("archive-location", "AN"), ("section", "SE")):
        if source.get(key):
            out.append(_ris_line(tag, source.get(key)))
    if source.type == "thesis":
        from farchron.cite.forms import thesis_description

        # Zotero's thesis type
        out.append(_ris_line("M3", thesis_description(source).split(",", 1)[0]))
    for key, tag in (("publisher", "PB"), ("publisher-place", "CY")):
        value = romanised(source, key)
        if value:
            out.append(_ris_line(tag, value))
    if source.get("page"):
        out += [_ris_line(t, v) for t, v in _pages(str(source.get("page")))]
    year = _year(source)
    if year is not None:
        out.append(_ris_line("PY", str(year)))
    parts = date_parts(source)
    if len(parts) > 1:  # Zotero's RIS reads DA as the full date
        out.append(_ris_line("DA", "/".join(f"{p:02d}" if i else f"{p:04d}"
                                            for i, p in enumerate(parts))))
    if source.get("original-work-title"):  # OP would be a loose note; Extra's "Original
        # Title:" line is what Zotero maps to CSL original-title
        out.append(_ris_line("M2", f"Original Title: {source.get('original-work-title')}"))
    if source.get("original-title") and source.get("original-title") != source.title:
        out.append(_ris_line("M2", f"Original-script title: {source.get('original-title')}"))
    remarks = _remarks(source)
    if remarks:
        out.append(_ris_line("N1", remarks))
    out.append("ER  - \n")
    return "".join(out)


def ris(sources: Iterable[Source], family_first: frozenset[str] | None = None) -> str:
    """RIS as Zotero's translator reads it (names need no family-first hint here)."""
    return "\n".join(ris_entry(s) for s in sources)


def export(fmt: str, sources: Iterable[Source],
           family_first: frozenset[str] | None = None) -> str:
    """The text of one export format for these works (see exporters.WORK_FORMATS)."""
    from farchron.exporters import export_works

    return export_works(fmt, sources, family_first)
