"""Chicago notes-bibliography citations and footnoted summaries of events.

A citation is built as runs of (text, italic) so the same note prints as plain
text, Rich text, or pandoc Markdown without re-formatting.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from farchron.cite.forms import (
    archival_runs,
    archive_abbreviation,
    archive_name,
    dated_container,
    holding,
    is_archival,
    legacy_archival,
    legacy_archival_text,
    section_text,
    short_title,
    thesis_description,
)
from farchron.cite.typeset import Run, markdown, md_escape, plain, smart
from farchron.cite.typeset import comma as _comma
from farchron.cite.typeset import inner_quotes as _inner_quotes
from farchron.cite.typeset import period as _period
from farchron.cite.typeset import title_runs as _title_runs
from farchron.cite.works import (
    date_text,
    display_name,
    east_asian_names,
    et_al,
    family_name,
    romanised,
    split_name,
)
from farchron.cite.works import names as _names
from farchron.cite.works import year_text as _year
from farchron.frozen import Frozen
from farchron.model.records import Citation, Event, Ledger, Source

# re-exported: works (names) and typeset (runs to text)
__all__ = ["Run", "archive_name", "display_name", "east_asian_names", "family_name",
           "is_archival", "markdown", "md_escape", "plain", "short_title", "smart",
           "thesis_description"]

# --------------------------------------------------------------------------- names

#: The editions of The Chicago Manual of Style whose notes-bibliography rules cite.py knows.
EDITIONS = (17, 18)


def join_names(names: Sequence[str], et_al: bool = False, edition: int = 17) -> str:
    """Chicago notes: "A", "A and B", "A, B, and C"; four or more (CMOS 18: three or more;
    or "et al." as printed after the names given): "A et al."."""
    if et_al and names:
        return f"{' and '.join(names[:2]) if len(names) <= 2 else names[0]} et al."
    if len(names) <= 2:
        return " and ".join(names)
    if len(names) == 3 and edition < 18:
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


def _volume(source: Source) -> str:
    return str(source.get("volume") or "")


def _publication(source: Source, *, bibliography: bool = False, edition: int = 17) -> str:
    """"Place: Publisher, Year" in Latin script where the ledger romanises them;
    "n.d." without a year, "n.p." without place or publisher (CMOS 17 14.132, 14.145).
    CMOS 18 no longer asks for the place."""
    place, pub, year = romanised(source, "publisher-place"), romanised(source, "publisher"), \
        _year(source)
    if edition >= 18:
        place = None
    head = f"{place}: {pub}" if place and pub else (pub or place or "")
    if not head and not year:
        return "N.p., n.d." if bibliography else "n.p., n.d."
    return ", ".join(p for p in (head, year or "n.d.") if p)


def _names_of(source: Source, key: str, family_first: frozenset[str], *,
              translator: bool = False) -> list[str]:
    return [display_name(n, source, translator=translator, family_first=family_first)
            for n in _names(source, key)]


# --------------------------------------------------------------------------- notes


_QUOTED = frozenset({"chapter", "article-journal", "article", "article-magazine",
                     "article-newspaper", "paper-conference", "entry-encyclopedia", "thesis"})
#: Periodicals cited by date rather than volume and issue (CMOS 17 14.186-14.207).
_DATED = frozenset({"article-newspaper", "article-magazine"})


def _quoted(source: Source) -> bool:
    """Whether the title is set in quotation marks rather than italics: articles, chapters,
    theses and unpublished manuscripts (CMOS 17 14.224-14.225), not archival files."""
    return source.type in _QUOTED or (source.type == "manuscript"
                                      and not is_archival(source))


def full_note(source: Source, loc: str, family_first: frozenset[str] = frozenset(),
              edition: int = 17) -> list[Run]:
    """The first, full citation of a work in a note (CMOS 17, notes-bibliography)."""
    kind = source.type
    authors = _names_of(source, "authors", family_first)
    editors = _names_of(source, "editors", family_first)
    eds_et_al = et_al(source, "editors")
    translators = _names_of(source, "translators", family_first, translator=True)
    runs: list[Run] = []
    lead = join_names(authors, et_al(source, "authors"), edition)
    if not lead and editors and kind != "chapter":
        both = editors == translators
        lead = join_names(editors, eds_et_al, edition) + (
            ", eds." if len(editors) > 1 or eds_et_al else ", ed.") + (
            " and trans." if both else "")
        editors = []
        if both:
            translators = []
    if lead:
        runs.append((lead + ", ", False))

    if legacy_archival(source):
        runs.append((", ".join(p for p in (legacy_archival_text(source), loc) if p) + ".", False))
        return runs
    if kind == "manuscript" and is_archival(source):
        return _period(runs + archival_runs(source, loc))

    runs += _title_runs(source.title, source.get("original-title"),
                        source.get("translated-title"), italic=not _quoted(source))
    container = source.get("container-title")
    if kind in _DATED:
        return _period(dated_container(runs, source, loc))
    if kind == "manuscript":
        described = ", ".join(p for p in (source.get("genre"), date_text(source)) if p)
        if described:
            runs.append((f" ({described})", False))
        if loc:
            _comma(runs, loc)
        return _period(runs)
    if kind == "chapter":
        if container:
            _comma(runs, "in ")
            runs += _title_runs(container, source.get("container-original-title"),
                                source.get("container-translated-title"), italic=True)
        if editors:
            _comma(runs, f"ed. {join_names(editors, eds_et_al, edition)}")
            editors = []
    elif kind.startswith("article") and container:
        _comma(runs, "")
        runs += _title_runs(container, source.get("container-original-title"),
                            source.get("container-translated-title"), italic=True)
        vol, issue = source.get("volume"), source.get("issue")
        if vol:
            runs.append((f" {vol}", False))
        if issue:
            runs.append((f", no. {issue}", False))
        runs.append((f" ({_year(source) or 'n.d.'})", False))
        if loc:
            runs.append((f": {loc}", False))
        return _period(runs)
    if kind != "chapter" and _volume(source):
        _comma(runs, f"vol. {_volume(source)}")
    if kind == "report" and (source.get("genre") or source.get("number")):
        _comma(runs, " ".join(p for p in (source.get("genre") or "report no.",
                                          source.get("number")) if p))
    if editors and editors == translators:
        _comma(runs, f"ed. and trans. {join_names(editors, eds_et_al, edition)}")
        translators = []
    elif editors:
        _comma(runs, f"ed. {join_names(editors, eds_et_al, edition)}")
    if translators:
        _comma(runs, f"trans. {join_names(translators, False, edition)}")
    if kind == "thesis":
        runs.append((f" ({thesis_description(source)})", False))
    elif kind in ("book", "chapter", "report"):
        runs.append((f" ({_publication(source, edition=edition)})", False))
    if loc:
        _comma(runs, loc)
    return _period(runs)


def short_note(source: Source, loc: str, edition: int = 17,
               parts: tuple[Any, ...] | None = None) -> list[Run]:
    """Later citations: "Krivosheev, *Rossiia i SSSR*, 160."; a volume stays with its page
    ("*Showa Tenno Jitsuroku*, 9:751"). `parts`: short_parts(source, edition), kept by a
    caller that cites the work again (Notes)."""
    who, title, quoted, legacy, archival, vol = parts or short_parts(source, edition)
    runs: list[Run] = [(f"{who}, ", False)] if who else []
    if legacy:
        runs.append((", ".join(p for p in (title, loc) if p) + ".", False))
        return runs
    if archival:
        runs.append((", ".join(p for p in (title, *archival, loc) if p) + ".", False))
        return runs
    runs += [(f"“{_inner_quotes(title)}”", False)] if quoted else [(title, True)]
    if vol and loc:
        _comma(runs, f"{vol}:{loc}" if vol.isdigit() else f"vol. {vol}, {loc}")
    elif vol:
        _comma(runs, f"vol. {vol}")
    elif loc:
        _comma(runs, loc)
    return _period(runs)


def short_parts(source: Source, edition: int = 17) -> tuple[Any, ...]:
    """What a work's short note says whatever the locator: (names, short title, whether
    quoted, whether a legacy archival reference, the archive's abbreviation and
    location or (), the volume)."""
    names = _names(source, "authors") or _names(source, "editors")
    who = join_names([family_name(n) for n in names], False, edition)
    quoted = _quoted(source)
    title = short_title(source)
    legacy = legacy_archival(source)
    archival = (archive_abbreviation(source), source.get("archive-location")) \
        if not legacy and is_archival(source) else ()
    vol = _volume(source) if not quoted else ""
    return who, title, quoted, legacy, archival, vol


def ibid(loc: str, prev_loc: str) -> list[Run]:
    """"Ibid." for the same work as the note just before; its locator when it differs."""
    if loc and loc != prev_loc:
        return [("Ibid.", False), (f", {loc}.", False)]
    return [("Ibid.", False)]


# --------------------------------------------------------------------------- bibliography


def _inverted(name: str, source: Source, family_first: frozenset[str]) -> str:
    """The first name of a bibliography entry: "Krivosheev, G. F."; East Asian order and
    corporate names stay as they are ("Tomita Takeshi")."""
    shown = display_name(name, source, family_first=family_first)
    parts = split_name(name)
    if parts is None or not parts[1] or shown == f"{parts[0]} {parts[1]}":
        return shown
    return f"{parts[0]}, {parts[1]}"


def _bib_names(names: Sequence[str], source: Source, family_first: frozenset[str],
               more: bool) -> str:
    """All the names (CMOS 17 14.76: up to ten), the first inverted."""
    shown = [_inverted(names[0], source, family_first)] + [
        display_name(n, source, family_first=family_first) for n in names[1:]]
    if more:
        return ", ".join(shown) + ", et al."  # "Matsudo, Kiyohiro, et al."
    if len(shown) == 1:
        return shown[0]
    if len(shown) == 2:
        sep = ", and " if "," in shown[0] else " and "
        return f"{shown[0]}{sep}{shown[1]}"
    return ", ".join(shown[:-1]) + f", and {shown[-1]}"


def _in_order(names: Sequence[str], more: bool) -> str:
    """Every name in reading order: "A", "A and B", "A, B, and C" (+ ", et al.")."""
    if more:
        return ", ".join(names) + ("," if len(names) > 1 else "") + " et al."
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + f", and {names[-1]}"


def bibliography_entry(source: Source, family_first: frozenset[str] = frozenset(),
                       edition: int = 17) -> list[Run]:
    """One entry of a Chicago bibliography (CMOS 17 14.68-): units closed by periods."""
    kind = source.type
    runs: list[Run] = []
    authors = list(_names(source, "authors"))
    editors = list(_names(source, "editors"))
    eds_more = et_al(source, "editors")
    if authors:
        runs.append((_bib_names(authors, source, family_first, et_al(source, "authors")),
                     False))
    elif editors and kind != "chapter":
        both = editors == list(_names(source, "translators"))
        runs.append((_bib_names(editors, source, family_first, eds_more)
                     + (", eds" if len(editors) > 1 or eds_more else ", ed")
                     + (". and trans" if both else ""), False))
        editors = []
    container = source.get("container-title")
    if not runs and kind in _DATED and container:
        # an unsigned newspaper article is listed under the paper (CMOS 17 14.207)
        runs += _title_runs(container, source.get("container-original-title"),
                            source.get("container-translated-title"), italic=True)
    if runs:
        _period(runs)
        runs.append((" ", False))
    if legacy_archival(source):
        runs.append((legacy_archival_text(source), False))
        return _period(runs)
    if kind == "manuscript" and is_archival(source):
        runs.append((source.title, False))
        if source.get("translated-title"):
            runs.append((f" [{source.get('translated-title')}]", False))
        if source.issued:
            _comma(runs, date_text(source))
        _period(runs)
        runs.append((" " + holding(source), False))
        return _period(runs)
    runs += _title_runs(source.title, source.get("original-title"),
                        source.get("translated-title"), italic=not _quoted(source))
    _period(runs)
    if kind in _DATED:
        if container and (authors or editors):  # else the paper leads the entry
            runs.append((" ", False))
            runs += _title_runs(container, source.get("container-original-title"),
                                source.get("container-translated-title"), italic=True)
            _comma(runs, date_text(source) or "n.d.")
        else:
            runs.append((f" {date_text(source) or 'n.d.'}", False))
        if source.get("section"):
            _comma(runs, section_text(source))
        return _period(runs)
    if kind == "manuscript":
        described = ", ".join(p for p in (source.get("genre"), date_text(source)) if p)
        if described:
            runs.append((f" {described[:1].upper()}{described[1:]}", False))
        return _period(runs)
    ed_text = _in_order([display_name(n, source, family_first=family_first)
                         for n in editors], eds_more)
    if kind == "chapter" and container:
        runs.append((" In ", False))
        runs += _title_runs(container, source.get("container-original-title"),
                            source.get("container-translated-title"), italic=True)
        if editors:
            _comma(runs, f"edited by {ed_text}")
        if source.get("page"):
            _comma(runs, pages_text(source.get("page")))
        _period(runs)
    elif kind.startswith("article") and container:
        runs.append((" ", False))
        runs += _title_runs(container, source.get("container-original-title"),
                            source.get("container-translated-title"), italic=True)
        if source.get("volume"):
            runs.append((f" {source.get('volume')}", False))
        if source.get("issue"):
            runs.append((f", no. {source.get('issue')}", False))
        runs.append((f" ({_year(source) or 'n.d.'})", False))
        if source.get("page"):
            runs.append((f": {pages_text(source.get('page'))}", False))
        return _period(runs)
    if kind != "chapter" and _volume(source):
        runs.append((f" Vol. {_volume(source)}.", False))
    translators = _names_of(source, "translators", family_first, translator=True)
    if editors and kind != "chapter" and editors == list(_names(source, "translators")):
        runs.append((f" Edited and translated by {ed_text}.", False))
        translators = []
    elif editors and kind != "chapter":
        runs.append((f" Edited by {ed_text}.", False))
    if translators:
        runs.append((f" Translated by {_in_order(translators, False)}.", False))
    if kind == "report" and (source.get("genre") or source.get("number")):
        text = " ".join(p for p in (source.get("genre") or "Report no.",
                                    source.get("number")) if p)
        runs.append((f" {text[:1].upper()}{text[1:]}.", False))
    if kind == "thesis":
        text = thesis_description(source)
        runs.append((f" {text[:1].upper()}{text[1:]}", False))
    elif kind in ("book", "chapter", "report"):
        runs.append((f" {_publication(source, bibliography=True, edition=edition)}", False))
    if source.get("original-work-title"):
        _period(runs)
        runs += [(" Originally published as ", False),
                 (str(source.get("original-work-title")), True)]
    return _period(runs)


def _fold(text: str) -> str:
    """The sort key of a bibliography entry's part: typographic quotes, then the one fold."""
    from farchron.text import fold

    return fold(smart(text))


def bibliography(sources: Iterable[Source], family_first: frozenset[str] = frozenset(),
                 edition: int = 17) -> list[list[Run]]:
    """The entries of a bibliography, alphabetised (CMOS 17 14.66-): by the name that
    leads the entry, a single author before the same author with others, then by title;
    accents folded."""
    def key(s: Source) -> tuple[str, ...]:
        lead = list(_names(s, "authors")) or (
            list(_names(s, "editors")) if s.type != "chapter" else [])
        who = [_fold(_inverted(lead[0], s, family_first))] if lead else []
        return (*who, *(_fold(n) for n in lead[1:]), _fold(s.title), _year(s))
    ordered = sorted(sources, key=lambda s: (key(s)[0], len(key(s)), key(s)))
    return [bibliography_entry(s, family_first, edition) for s in ordered]


# --------------------------------------------------------------------------- notes of a text


class Part(Frozen):
    """One work cited in a footnote, with its locator and its formatted citation."""
    __slots__ = _fields = ("source", "citation", "runs", "loc")
    source: Source
    citation: Citation
    runs: tuple[Run, ...]
    loc: str

    def __init__(self, source: Source, citation: Citation, runs: tuple[Run, ...],
                 loc: str = "") -> None:
        for name, value in zip(self._fields, (source, citation, runs, loc), strict=True):
            object.__setattr__(self, name, value)


_KEEPS_PERIOD = re.compile(r"(?:Ibid|al|n\.d|eds?|trans|vol)\.$")


def _joined(parts: Sequence[Part]) -> tuple[Run, ...]:
    """The works of one note joined by semicolons (CMOS 17 14.57): "...), 750; ..., 85."."""
    out: list[Run] = []
    for i, part in enumerate(parts):
        runs = list(part.runs)
        if i < len(parts) - 1:
            text, italic = runs[-1]
            if text.endswith(".”"):
                text = text[:-2] + "”"
            elif text.endswith(".") and not _KEEPS_PERIOD.search(text):
                text = text[:-1]
            runs[-1] = (text + "; ", italic)
        out += runs
    return tuple(out)


class FootNote(Frozen):
    """One numbered footnote: every work cited at one place, joined by semicolons."""
    __slots__ = _fields = ("marker", "parts")
    marker: int
    parts: tuple[Part, ...]

    def __init__(self, marker: int, parts: tuple[Part, ...]) -> None:
        object.__setattr__(self, "marker", marker)
        object.__setattr__(self, "parts", parts)

    @property
    def source(self) -> Source:
        return self.parts[0].source

    @property
    def citation(self) -> Citation:
        return self.parts[0].citation

    @property
    def runs(self) -> tuple[Run, ...]:
        return _joined(self.parts)

    @property
    def text(self) -> str:
        return plain(self.runs)

    def to_json(self) -> dict[str, Any]:
        """The note, with `source`/`pages` of its first work and `works` for all of them."""
        out: dict[str, Any] = {
            "marker": self.marker, "source": self.source.to_json(),
            "pages": self.citation.pages, "text": self.text,
            "markdown": markdown(self.runs),
            "works": [{"source": p.source.id, "pages": p.citation.pages,
                       "section": p.citation.section, "text": plain(p.runs)}
                      for p in self.parts],
        }
        if self.citation.section is not None:
            out["section"] = self.citation.section
        return out


class Notes:
    """Numbers footnotes in order, one a place; a work in full the first time, later in
    short form, "Ibid." only where Chicago allows it: the note just before cited this
    work alone. (No dataclasses here: four cost `show` ~2 ms of start-up; issue 28.)
    """

    def __init__(self, sources: Any, *, edition: int = 17) -> None:
        self.sources = sources
        self.notes: list[FootNote] = []
        self._seen: set[str] = set()
        self._short: dict[str, tuple[Any, ...]] = {}  # short_parts of each work cited
        #: 17, or 18: short forms for "Ibid." (13.37), no place, "A et al." for three
        self.edition = edition
        self._family_first = east_asian_names(sources.values())

    def add(self, cit: Citation) -> FootNote:
        """A note citing one work."""
        return self.add_group([cit])

    def add_group(self, cits: Sequence[Citation]) -> FootNote:
        """One note citing every work in `cits`, in order; a work cited at several
        places of the text is named once, its locators joined ("sec. 2, introduction")."""
        prev = self.notes[-1] if self.notes else None
        by_work: dict[str, tuple[Citation, list[str]]] = {}
        for cit in cits:
            _cit, locs = by_work.setdefault(cit.source or "", (cit, []))
            loc = locator(cit)
            if loc and loc not in locs:
                locs.append(loc)
        parts = []
        for i, (sid, (cit, locs)) in enumerate(by_work.items()):
            source = self.sources[sid]
            loc = ", ".join(locs)
            if i == 0 and prev is not None and len(prev.parts) == 1 \
                    and prev.source.id == source.id and self.edition < 18:
                runs = ibid(loc, prev.parts[0].loc)
            elif source.id in self._seen:
                short = self._short.get(source.id)
                if short is None:
                    short = self._short[source.id] = short_parts(source, self.edition)
                runs = short_note(source, loc, self.edition, short)
            else:
                runs = full_note(source, loc, self._family_first, self.edition)
            self._seen.add(source.id)
            parts.append(Part(source, cit, tuple(runs), loc))
        note = FootNote(len(self.notes) + 1, tuple(parts))
        self.notes.append(note)
        return note

    def bibliography(self) -> list[list[Run]]:
        """The works cited so far, as a Chicago bibliography."""
        ids = dict.fromkeys(p.source.id for n in self.notes for p in n.parts)
        return bibliography((self.sources[i] for i in ids), self._family_first, self.edition)


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


class Cited(Frozen):
    """An event with the markers of its footnotes."""
    __slots__ = _fields = ("event", "markers")
    event: Event
    markers: tuple[int, ...]

    def __init__(self, event: Event, markers: tuple[int, ...]) -> None:
        object.__setattr__(self, "event", event)
        object.__setattr__(self, "markers", markers)


def footnoted(events: Sequence[Event], ledger: Ledger, book: Notes | None = None
              ) -> tuple[list[Cited], list[FootNote]]:
    """Events in date order, each with one footnote (all its works) numbered across the text.

    Chicago puts one note at a place: adjacent markers ("2345" in Word) never occur.
    """
    book = book if book is not None else Notes(ledger.sources)
    out = []
    for e in sorted(events, key=lambda e: e.sort_key):
        works = event_works(e, ledger)
        out.append(Cited(e, (book.add_group(works).marker,) if works else ()))
    return out, book.notes


def event_works(e: Event, ledger: Ledger) -> list[Citation]:
    """The works and locators an event's note cites: its citations resolved through the
    paper's notes, each (work, pages, section) once, works missing from the ledger left out."""
    works: list[Citation] = []
    seen: set[tuple[str | None, str | None, str | None]] = set()
    for c in e.citations:
        for work in resolve(c, ledger):
            key = (work.source, work.pages, work.section)
            if key in seen or work.source not in ledger.sources:
                continue
            seen.add(key)
            works.append(work)
    return works


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
