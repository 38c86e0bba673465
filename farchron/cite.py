"""Chicago notes-bibliography citations and footnoted summaries of events.

A citation is built as runs of (text, italic) so the same note prints as plain
text, Rich text, or pandoc Markdown without re-formatting.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from farchron.model import Citation, Event, Ledger, Source
from farchron.works import display_name, east_asian_names, family_name
from farchron.works import names as _names
from farchron.works import year_text as _year

__all__ = ["display_name", "east_asian_names", "family_name"]  # re-exported from works

Run = tuple[str, bool]  # (text, italic)

_ARTICLES = frozenset({"the", "a", "an"})
#: Words a four-word short title must not end on (English and romanised Japanese/Russian).
_DANGLING = frozenset({"of", "and", "the", "a", "an", "in", "on", "for", "to", "at", "from",
                       "no", "o", "ni", "wa", "ga", "de", "i", "v", "na", "s", "k"})


# --------------------------------------------------------------------------- names

def join_names(names: Sequence[str]) -> str:
    """Chicago: "A", "A and B", "A, B, and C"; four or more: "A et al."."""
    if len(names) <= 2:
        return " and ".join(names)
    if len(names) == 3:
        return f"{names[0]}, {names[1]}, and {names[2]}"
    return f"{names[0]} et al."


# --------------------------------------------------------------------------- pieces


def pages_text(pages: str | None) -> str:
    """Page ranges with an en dash, as Chicago sets them ("21-25" -> "21–25")."""
    if not pages:
        return ""
    return re.sub(r"(?<=\d)\s*-\s*(?=\d)", "–", pages)


def locator(cit: Citation) -> str:
    """The locator of a citation: pages, or a section of the paper ("sec. 1(3)")."""
    if cit.pages:
        return pages_text(cit.pages)
    if cit.section:
        return f"sec. {cit.section}" if cit.section[:1].isdigit() else cit.section.lower()
    return ""


def short_title(source: Source) -> str:
    """Chicago's short title: the main title, at most four words, no leading article."""
    if source.get("short-title"):
        return str(source.get("short-title"))
    if source.type == "manuscript" or len(source.title.split()) <= 4:
        return source.title  # an archival reference is its own short form
    main = re.split(r":\s", source.title, maxsplit=1)[0].strip()
    words = main.split()
    if len(words) > 4:
        if words[0].lower() in _ARTICLES and source.get("language", "en") == "en":
            words = words[1:]
        words = words[:4]
        while len(words) > 1 and words[-1].lower().rstrip(",;") in _DANGLING:
            words.pop()
    return " ".join(words).rstrip(",;")


def _title_runs(source: Source, title: str, original: str | None, translated: str | None,
                italic: bool) -> list[Run]:
    """Romanised title, then the original script, then [translation] (CMOS 11.89)."""
    runs: list[Run] = [(title, italic)] if italic else [(f"“{title}", False)]
    if original and original != title:
        runs.append((f" {original}", False))
    if translated:
        runs.append((f" [{translated}]", False))
    if not italic:
        runs.append((",”", False))  # the comma goes inside the closing quote
    return runs


def _publication(source: Source) -> str:
    """"(Place: Publisher, Year)", with whatever parts are known."""
    place, pub, year = (source.get("publisher-place"), source.get("publisher"),
                        _year(source))
    head = f"{place}: {pub}" if place and pub else (pub or place or "")
    inner = ", ".join(p for p in (head, year) if p)
    return f"({inner})" if inner else ""


# --------------------------------------------------------------------------- notes


def full_note(source: Source, loc: str, family_first: frozenset[str] = frozenset()
              ) -> list[Run]:
    """The first, full citation of a work in a note (Chicago 17, notes style)."""
    kind = source.type
    authors = [display_name(n, source, family_first=family_first)
               for n in _names(source, "authors")]
    editors = [display_name(n, source, family_first=family_first)
               for n in _names(source, "editors")]
    translators = [display_name(n, source, translator=True)
                   for n in _names(source, "translators")]
    runs: list[Run] = []
    lead = join_names(authors)
    if not lead and editors and kind != "chapter":
        lead = join_names(editors) + (", eds." if len(editors) > 1 else ", ed.")
        editors = []
    if lead:
        runs.append((lead + ", ", False))

    if kind == "manuscript":
        parts = [source.title, loc, source.get("archive")]
        runs.append((", ".join(p for p in parts if p) + ".", False))
        return runs

    quoted = kind in ("chapter", "article-journal", "article", "article-magazine",
                      "article-newspaper", "paper-conference", "entry-encyclopedia")
    runs += _title_runs(source, source.title, source.get("original-title"),
                        source.get("translated-title"), italic=not quoted)
    tail: list[Run] = []
    if kind == "chapter":
        container = source.get("container-title")
        if container:
            tail.append((" in ", False))
            tail += _title_runs(source, container, source.get("container-original-title"),
                                source.get("container-translated-title"), italic=True)
        if editors:
            tail.append((f", ed. {join_names(editors)}", False))
            editors = []
    elif kind.startswith("article") and source.get("container-title"):
        tail.append((" ", False))
        tail += _title_runs(source, source.get("container-title"),
                            source.get("container-original-title"),
                            source.get("container-translated-title"), italic=True)
        vol, issue = source.get("volume"), source.get("issue")
        if vol:
            tail.append((f" {vol}", False))
        if issue:
            tail.append((f", no. {issue}", False))
        year = _year(source)
        if year:
            tail.append((f" ({year})", False))
        if loc:
            tail.append((f": {loc}", False))
        runs += tail
        runs.append((".", False))
        return runs
    if kind != "chapter" and source.get("volume"):
        tail.append((f", vol. {source.get('volume')}", False))
    if editors:
        tail.append((f", ed. {join_names(editors)}", False))
    if translators:
        tail.append((f", trans. {join_names(translators)}", False))
    pub = _publication(source)
    if pub:
        tail.append((f" {pub}", False))
    runs += tail
    if loc:  # a quoted title already ends in ',”'
        runs.append((("" if runs[-1][0].endswith(",”") else ",") + f" {loc}", False))
    return _finish(runs)


def _finish(runs: list[Run]) -> list[Run]:
    """End the note with one period: '“Title,”' alone becomes '“Title.”'."""
    text, italic = runs[-1]
    if text.endswith(",”"):
        runs[-1] = (text[:-2] + ".”", italic)
    elif not text.endswith("."):
        runs.append((".", False))
    return runs


def short_note(source: Source, loc: str) -> list[Run]:
    """Later citations: "Krivosheev, *Rossiia i SSSR*, 160." (Chicago short form)."""
    names = _names(source, "authors") or _names(source, "editors")
    who = join_names([family_name(n) for n in names])
    quoted = source.type not in ("book", "manuscript") and source.type != "report"
    title = short_title(source)
    runs: list[Run] = [(f"{who}, ", False)] if who else []
    if source.type == "manuscript":
        runs.append((", ".join(p for p in (title, loc) if p) + ".", False))
        return runs
    if quoted:
        runs.append((f"“{title}", False))
        runs.append(((f",” {loc}." if loc else ".”"), False))
    else:
        runs.append((title, True))
        runs.append(((f", {loc}." if loc else "."), False))
    return runs


def ibid(loc: str, prev_loc: str) -> list[Run]:
    """"Ibid." for the same work as the note just before; its locator when it differs."""
    if loc and loc != prev_loc:
        return [("Ibid.", False), (f", {loc}.", False)]
    return [("Ibid.", False)]


# --------------------------------------------------------------------------- rendering


def plain(runs: Iterable[Run]) -> str:
    from farchron.render import clean

    return clean("".join(t for t, _i in runs))


# Quotes too, so pandoc's smart typography keeps "poter'" (a soft sign) as typed.
_MD_ESCAPE = str.maketrans({ch: "\\" + ch for ch in "\\`*_[]<>|#$@^~'\""})


def md_escape(text: str) -> str:
    from farchron.render import clean

    return clean(text).translate(_MD_ESCAPE)


def markdown(runs: Iterable[Run]) -> str:
    """Pandoc Markdown: italics as *...*, every data character escaped."""
    out = []
    for text, italic in runs:
        esc = md_escape(text)
        if italic and esc.strip():
            lead, core, trail = _edges(esc)
            out.append(f"{lead}*{core}*{trail}")
        else:
            out.append(esc)
    return "".join(out)


def _edges(text: str) -> tuple[str, str, str]:
    core = text.strip()
    start = text.index(core)
    return text[:start], core, text[start + len(core):]


# --------------------------------------------------------------------------- notes of a text


@dataclass(frozen=True, slots=True)
class FootNote:
    """One numbered footnote: one work, its locator, and the formatted citation."""

    marker: int
    source: Source
    citation: Citation
    runs: tuple[Run, ...]

    @property
    def text(self) -> str:
        return plain(self.runs)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "marker": self.marker, "source": self.source.to_json(),
            "pages": self.citation.pages, "text": self.text,
            "markdown": markdown(self.runs),
        }
        if self.citation.section is not None:
            out["section"] = self.citation.section
        return out


@dataclass
class Notes:
    """Numbers footnotes in order; first citation of a work full, later short or Ibid.

    Ibid. only where Chicago allows it: the same single work as the note
    immediately before.
    """

    sources: Any
    notes: list[FootNote] = field(default_factory=list)
    _seen: set[str] = field(default_factory=set)
    _family_first: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        self._family_first = east_asian_names(self.sources.values())

    def add(self, cit: Citation) -> FootNote:
        source = self.sources[cit.source]
        loc = locator(cit)
        prev = self.notes[-1] if self.notes else None
        if prev is not None and prev.source.id == source.id:
            runs = ibid(loc, locator(prev.citation))
        elif source.id in self._seen:
            runs = short_note(source, loc)
        else:
            runs = full_note(source, loc, self._family_first)
        self._seen.add(source.id)
        note = FootNote(len(self.notes) + 1, source, cit, tuple(runs))
        self.notes.append(note)
        return note


def resolve(cit: Citation, ledger: Ledger) -> list[Citation]:
    """An event's citation as works with locators: a note stands for the works it cites.

    An event citing `{ note = N, pages = "..." }` narrows a one-work note to its pages.
    """
    if cit.note is None:
        return [cit]
    note = ledger.notes.get(cit.note)
    if note is None:
        return []
    works = [c for c in note.citations if c.source]
    if cit.pages and len(works) == 1:
        return [Citation(works[0].source, None, cit.pages, works[0].section)]
    return works


@dataclass(frozen=True, slots=True)
class Cited:
    """An event with the markers of its footnotes."""

    event: Event
    markers: tuple[int, ...]


def footnoted(events: Sequence[Event], ledger: Ledger) -> tuple[list[Cited], list[FootNote]]:
    """Events in date order, each with its footnotes numbered across the whole text."""
    book = Notes(ledger.sources)
    out = []
    for e in sorted(events, key=lambda e: e.sort_key):
        markers: list[int] = []
        seen: set[tuple[str | None, str | None, str | None]] = set()
        for c in e.citations:
            for work in resolve(c, ledger):
                key = (work.source, work.pages, work.section)
                if key in seen or work.source not in ledger.sources:
                    continue
                seen.add(key)
                markers.append(book.add(work).marker)
        out.append(Cited(e, tuple(markers)))
    return out, book.notes


class LedgerNotes:
    """The ledger's citations, resolved and formatted, with what is worked out once per
    ledger (the family-first names) kept on this object rather than in a module memo.

    Make one per ledger and command (the HTML export formats every citation of every
    event through one).
    """

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.family_first = east_asian_names(ledger.sources.values())

    def resolve(self, cit: Citation) -> list[Citation]:
        """See resolve(): a note stands for the works it cites."""
        return resolve(cit, self.ledger)

    def citation_text(self, cit: Citation) -> str:
        """A work and locator in full form, alone (for `show`, `notes` and the HTML page)."""
        src = self.ledger.sources.get(cit.source or "")
        if src is None:
            return cit.source or ""
        return plain(full_note(src, locator(cit), self.family_first))


def note_citation_text(cit: Citation, ledger: Ledger) -> str:
    """A work and locator in full form, alone; LedgerNotes(ledger) for many of them."""
    return LedgerNotes(ledger).citation_text(cit)
