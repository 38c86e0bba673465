"""BibTeX (biblatex fields), CSL-JSON and RIS writers for the works of the ledger.

Each is checked by its real consumer in the tests (bibtexparser, the CSL-JSON
schema and pandoc --citeproc, rispy). Original-script and translated titles are
kept in every format, as UTF-8.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from farchron.model import Source
from farchron.works import names as _names
from farchron.works import split_name
from farchron.works import year as _year

EXPORT_FORMATS = ("bibtex", "csl-json", "ris")


def _original_names(source: Source) -> list[str]:
    """Names printed in another script, kept so no export loses them."""
    out = []
    for key in ("authors", "editors", "translators"):
        if source.get(f"{key}-romanised"):
            out += list(source.get(key, ()))
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


# --------------------------------------------------------------------------- CSL-JSON

_CSL_VARS = {
    "title": "title", "original-title": "original-title", "container-title": "container-title",
    "collection-title": "collection-title", "collection-number": "collection-number",
    "volume": "volume", "issue": "issue", "number": "number", "page": "page",
    "edition": "edition", "publisher": "publisher", "publisher-place": "publisher-place",
    "language": "language", "archive": "archive", "archive-location": "archive_location",
    "url": "URL", "doi": "DOI", "isbn": "ISBN", "short-title": "title-short",
}


def _csl_name(name: str) -> dict[str, str]:
    parts = split_name(name)
    if parts is not None:
        return {"family": parts[0], "given": parts[1]}
    return {"literal": name}


def csl_item(source: Source) -> dict[str, Any]:
    """One CSL-JSON item (schema v1.0); translated titles go under `custom`."""
    item: dict[str, Any] = {"id": source.id, "type": source.type}
    for key, var in _CSL_VARS.items():
        value = source.get(key)
        if value:
            item[var] = value
    for key, var in (("authors", "author"), ("editors", "editor"),
                     ("translators", "translator")):
        names = _names(source, key)
        if names:
            item[var] = [_csl_name(n) for n in names]
    year = _year(source)
    if year is not None:
        item["issued"] = {"date-parts": [[year]]}
    custom = {k: source.get(k) for k in ("translated-title", "container-translated-title",
                                         "container-original-title") if source.get(k)}
    printed = _original_names(source)
    if printed:
        custom["names-as-printed"] = printed
    if custom:
        item["custom"] = custom
    remarks = _remarks(source)
    translated = source.get("translated-title")
    if translated:  # citeproc prints neither custom nor original-title: keep it findable
        remarks = f"[{translated}]" + (f" {remarks}" if remarks else "")
    if remarks:
        item["note"] = remarks
    return item


def csl_json(sources: Iterable[Source]) -> str:
    from farchron.render import json_dumps

    return json_dumps([csl_item(s) for s in sources]) + "\n"


# --------------------------------------------------------------------------- BibTeX

_BIB_TYPES = {"book": "book", "chapter": "incollection", "article-journal": "article",
              "article": "article", "manuscript": "unpublished", "report": "report",
              "thesis": "thesis"}
_BIB_SPECIAL = re.compile(r"([\\{}&%$#_~^])")


def _bib_escape(text: str) -> str:
    def sub(m: re.Match[str]) -> str:
        ch = m.group(1)
        return {"\\": r"\textbackslash{}", "~": r"\textasciitilde{}",
                "^": r"\textasciicircum{}"}.get(ch, "\\" + ch)

    from farchron.render import clean

    return " ".join(_BIB_SPECIAL.sub(sub, clean(text)).split())


def _bib_names(names: Iterable[str]) -> str:
    """"and"-joined; a corporate name is braced so BibTeX does not split it."""
    out = []
    for n in names:
        name = _csl_name(n)
        out.append(_bib_escape(n) if "family" in name else "{" + _bib_escape(n) + "}")
    return " and ".join(out)


def bibtex_entry(source: Source) -> str:
    """A biblatex-flavoured entry: origtitle and titleaddon carry other scripts."""
    kind = _BIB_TYPES.get(source.type, "misc")
    if source.type == "article" and not source.get("container-title"):
        kind = "unpublished"
    fields: list[tuple[str, str]] = []
    for key, bib in (("authors", "author"), ("editors", "editor"),
                     ("translators", "translator")):
        names = _names(source, key)
        if names:
            fields.append((bib, _bib_names(names)))
    fields.append(("title", "{" + _bib_escape(source.title) + "}"))
    if source.get("original-title"):
        fields.append(("origtitle", _bib_escape(source.get("original-title"))))
    if source.get("translated-title"):
        fields.append(("titleaddon", _bib_escape(f"[{source.get('translated-title')}]")))
    container = source.get("container-title")
    if container:
        fields.append(("journal" if kind == "article" else "booktitle",
                       _bib_escape(container)))
        if source.get("container-translated-title"):
            fields.append(("journaltitleaddon" if kind == "article" else "booktitleaddon",
                           _bib_escape(f"[{source.get('container-translated-title')}]")))
    for key, bib in (("volume", "volume"), ("issue", "number"), ("page", "pages"),
                     ("edition", "edition"), ("publisher", "publisher"),
                     ("publisher-place", "address"), ("collection-title", "series"),
                     ("language", "langid"), ("doi", "doi"), ("isbn", "isbn"),
                     ("url", "url")):
        if source.get(key):
            fields.append((bib, _bib_escape(source.get(key))))
    year = _year(source)
    if year is not None:
        fields.append(("year", str(year)))
    if source.get("archive") or source.get("archive-location"):
        fields.append(("howpublished", _bib_escape(", ".join(
            p for p in (source.get("archive"), source.get("archive-location")) if p))))
    remarks = _remarks(source)
    if remarks:
        fields.append(("note", _bib_escape(remarks)))
    body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields)
    return f"@{kind}{{{source.id},\n{body}\n}}\n"


def bibtex(sources: Iterable[Source]) -> str:
    return "\n".join(bibtex_entry(s) for s in sources)


# --------------------------------------------------------------------------- RIS

_RIS_TYPES = {"book": "BOOK", "chapter": "CHAP", "article-journal": "JOUR",
              "article": "GEN", "manuscript": "MANSCPT", "report": "RPRT", "thesis": "THES"}


def _ris_line(tag: str, value: str) -> str:
    from farchron.render import clean

    return f"{tag}  - {' '.join(clean(value).split())}\n"


def ris_entry(source: Source) -> str:
    """One RIS record: TT the translated title, OP the original-script title."""
    out = [_ris_line("TY", _RIS_TYPES.get(source.type, "GEN")), _ris_line("ID", source.id)]
    out += [_ris_line("AU", n) for n in _names(source, "authors")]
    ed_tag = "A2" if source.type == "chapter" else "A3"
    out += [_ris_line(ed_tag, n) for n in _names(source, "editors")]
    out += [_ris_line("A4", n) for n in _names(source, "translators")]
    out.append(_ris_line("TI", source.title))
    if source.get("original-title"):
        out.append(_ris_line("OP", source.get("original-title")))
    if source.get("translated-title"):
        out.append(_ris_line("TT", source.get("translated-title")))
    if source.get("short-title"):
        out.append(_ris_line("ST", source.get("short-title")))
    if source.get("container-title"):
        tag = "JO" if source.type.startswith("article") else "T2"
        out.append(_ris_line(tag, source.get("container-title")))
    for key, tag in (("volume", "VL"), ("issue", "IS"), ("edition", "ET"),
                     ("publisher", "PB"), ("publisher-place", "CY"), ("language", "LA"),
                     ("doi", "DO"), ("isbn", "SN"), ("url", "UR"),
                     ("archive", "DP"), ("archive-location", "AN")):
        if source.get(key):
            out.append(_ris_line(tag, source.get(key)))
    year = _year(source)
    if year is not None:
        out.append(_ris_line("PY", str(year)))
    if source.get("container-translated-title"):
        out.append(_ris_line("N1", "Container translated title: "
                             + source.get("container-translated-title")))
    remarks = _remarks(source)
    if remarks:
        out.append(_ris_line("N1", remarks))
    out.append("ER  - \n")
    return "".join(out)


def ris(sources: Iterable[Source]) -> str:
    return "\n".join(ris_entry(s) for s in sources)


def export(fmt: str, sources: Iterable[Source]) -> str:
    """The text of one export format for these works."""
    if fmt == "bibtex":
        return bibtex(sources)
    if fmt == "csl-json":
        return csl_json(sources)
    if fmt == "ris":
        return ris(sources)
    raise ValueError(f"unknown export format {fmt!r}")
