"""CSL's item types, and the names other tools (BibTeX, RIS, Zotero) give to types and
fields, so `check` and the importers can say "did you mean" with the same words."""

from __future__ import annotations

__all__ = ["CSL_TYPES", "FIELD_HINTS", "TYPE_HINTS", "nearest_type"]

#: The CSL 1.0.2 item types (csl-data.json): a source's `type` must be one of them, or the
#: footnotes and the BibTeX/RIS exports quietly lose what the type would have said.
CSL_TYPES = frozenset((
    "article", "article-journal", "article-magazine", "article-newspaper", "bill", "book",
    "broadcast", "chapter", "classic", "collection", "dataset", "document", "entry",
    "entry-dictionary", "entry-encyclopedia", "event", "figure", "graphic", "hearing",
    "interview", "legal_case", "legislation", "manuscript", "map", "motion_picture",
    "musical_score", "pamphlet", "paper-conference", "patent", "performance", "periodical",
    "personal_communication", "post", "post-weblog", "regulation", "report", "review",
    "review-book", "software", "song", "speech", "standard", "thesis", "treaty", "webpage",
))
#: Other tools' names for the same types (BibTeX, RIS, Zotero), for the "did you mean".
TYPE_HINTS = {
    "journal-article": "article-journal", "journalarticle": "article-journal",
    "journal": "article-journal", "jour": "article-journal", "magazine-article":
    "article-magazine", "newspaper-article": "article-newspaper", "book-section": "chapter",
    "booksection": "chapter", "incollection": "chapter", "inbook": "chapter",
    "chap": "chapter", "conference-paper": "paper-conference", "inproceedings":
    "paper-conference", "phdthesis": "thesis", "mastersthesis": "thesis", "thes": "thesis",
    "techreport": "report", "rprt": "report", "misc": "document", "gen": "document",
    "unpublished": "manuscript", "web-page": "webpage", "online": "webpage",
    "website": "webpage", "elec": "webpage", "case": "legal_case", "statute": "legislation",
    "letter": "personal_communication", "encyclopedia-article": "entry-encyclopedia",
    "dictionary-entry": "entry-dictionary", "film": "motion_picture",
}
#: Other tools' names for farchron's fields: "unknown field 'year' (farchron calls it
#: 'issued')", where difflib would find nothing or the wrong field.
FIELD_HINTS = {
    "source": {"year": "issued", "date": "issued", "author": "authors", "editor": "editors",
               "translator": "translators", "journal": "container-title",
               "journaltitle": "container-title", "booktitle": "container-title",
               "container": "container-title", "pages": "page", "address": "publisher-place",
               "location": "publisher-place", "place": "publisher-place", "DOI": "doi",
               "URL": "url", "ISBN": "isbn", "series": "collection-title",
               "lang": "language", "langid": "language", "key": "id", "citekey": "id",
               "origtitle": "original-title", "shorttitle": "short-title",
               "title-short": "short-title"},
    "event": {"name": "title", "headline": "title", "description": "summary",
              "text": "summary", "when": "date", "cite": "citations", "sources":
              "citations", "source": "citations", "notes": "citations"},
}


def nearest_type(name: str) -> str | None:
    """The CSL type another tool's `name` most likely means: its known alias (TYPE_HINTS),
    else the closest CSL type by spelling, else None. `check`, `add source` and the
    importers all suggest through here, so they say the same."""
    import difflib

    hint = TYPE_HINTS.get(name.lower())
    if hint:
        return hint
    close = difflib.get_close_matches(name, sorted(CSL_TYPES), n=1, cutoff=0.6)
    return close[0] if close else None
