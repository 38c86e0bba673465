"""The parts of a citation that archives, theses and newspapers add: where a file is kept,
what kind of thesis, which section (Chicago 17, 14.186-14.240). chicago.py sets them in
notes and bibliography entries; the exporters map the same facts to their fields."""

from __future__ import annotations

import re

from farchron.cite.typeset import Run, comma, title_runs
from farchron.cite.works import date_text, romanised
from farchron.cite.works import year_text as _year
from farchron.model.records import Source


def _archive_fields(source: Source) -> bool:
    return bool(source.get("archive") or source.get("archive-location"))


def legacy_archival(source: Source) -> bool:
    """A manuscript whose title is its call number ("RGASPI, F. 644, Op. 1, D. 397"), as
    ledgers wrote archival files before `archive-location` held it: printed as before."""
    if source.type != "manuscript" or not _archive_fields(source):
        return False
    title, where = source.title, source.get("archive-location") or ""
    if where and title.endswith(where):
        return True
    first = title.split(" ", 1)[0].rstrip(",")
    return bool(first) and str(source.get("archive") or "").startswith(first)


def is_archival(source: Source) -> bool:
    """A work kept in an archive: a manuscript with `archive` or `archive-location`."""
    return source.type == "manuscript" and _archive_fields(source)


def archive_name(source: Source) -> str:
    """The archive in Latin script where the ledger gives it: `archive-romanised`, else
    `archive`."""
    return romanised(source, "archive") or ""


def archive_abbreviation(source: Source) -> str:
    """"RGASPI" from "RGASPI (Russian State Archive ...)": the short form for short notes."""
    return re.sub(r"\s*\([^()]*\)\s*$", "", archive_name(source))


def holding(source: Source, loc: str = "") -> str:
    """Where an archival work is kept, as notes print it after its title and date: the
    archive, its place, the call number, then the citing note's folio or list
    ("RGASPI (...), Moscow, f. 644, op. 1, d. 397, l. 148")."""
    return ", ".join(p for p in (archive_name(source), source.get("archive-place"),
                                 source.get("archive-location"), loc) if p)


def legacy_archival_text(source: Source) -> str:
    """An archival file named once: "RGASPI (Russian State Archive ...), F. 644, ... D. 397".

    The title repeats the archive's abbreviation; the `archive` field gives its
    expansion in parentheses, printed once after the abbreviation.
    """
    title, archive = source.title, source.get("archive") or ""
    where = source.get("archive-location") or ""
    expansion = re.search(r"\(([^()]+)\)\s*$", archive)
    head = title[: -len(where)].rstrip(" ,") if where and title.endswith(where) else ""
    if not head and " " in title:
        first, rest = title.split(" ", 1)
        if archive.startswith(first):
            head, where = first, rest
    if head and expansion:
        return f"{head} ({expansion.group(1)}), {where}" if where else \
            f"{head} ({expansion.group(1)})"
    return ", ".join(p for p in (title, archive) if p)


def thesis_description(source: Source) -> str:
    """"PhD diss., University of Tokyo, 2009" (CMOS 17 14.224): Zotero's "Doctoral
    dissertation" and "PhD thesis" become "PhD diss."; a master's thesis says so."""
    genre = str(source.get("genre") or "")
    if not genre or re.search(r"ph\.?\s?d|doctor|dissertation", genre, re.I):
        genre = "PhD diss."
    elif re.search(r"master|m\.a\.|\bma\b", genre, re.I):
        genre = "Master’s thesis"
    place = romanised(source, "publisher")
    return ", ".join(p for p in (genre, place, _year(source) or "n.d.") if p)


def section_text(source: Source) -> str:
    sec = str(source.get("section") or "")
    return f"sec. {sec}" if sec[:1].isalnum() and not sec.lower().startswith("sec") else sec


def archival_runs(source: Source, loc: str) -> list[Run]:
    """[Title [Translation]], [date], archive, place, call number, folio (CMOS 17 14.219-)."""
    runs = [r for r in title_runs(source.title, None, source.get("translated-title"),
                                   italic=False)]
    runs[0] = (source.title, False)  # a descriptive title is not quoted (CMOS 17 14.222)
    for part in (date_text(source) if source.issued else "", holding(source, loc)):
        if part:
            comma(runs, part)
    return runs


def dated_container(runs: list[Run], source: Source, loc: str) -> list[Run]:
    """“Title,” *Newspaper*, edition, August 3, 1918, sec. 2, 1 (CMOS 17 14.191)."""
    container = source.get("container-title")
    if container:
        comma(runs, "")
        runs += title_runs(container, source.get("container-original-title"),
                            source.get("container-translated-title"), italic=True)
    edition = source.get("edition")
    for part in (f"{edition} edition" if edition and not re.search(r"\bed", str(edition))
                 else edition, date_text(source) or "n.d.",
                 section_text(source) if source.get("section") else "", loc):
        if part:
            comma(runs, part)
    return runs


_ARTICLES = frozenset({"the", "a", "an"})
#: Words a four-word short title must not end on (English and romanised Japanese/Russian).
_DANGLING = frozenset({"of", "and", "the", "a", "an", "in", "on", "for", "to", "at", "from",
                       "no", "o", "ni", "wa", "ga", "de", "i", "v", "na", "s", "k"})


#: Prepositions that open a phrase a short title must not cut, by language of the work
#: (romanised Japanese "to" is "and", so the lists are per language).
_PREPOSITIONS = {
    "en": frozenset({"of", "in", "on", "for", "to", "at", "from", "with"}),
    "ru": frozenset({"v", "vo", "na", "s", "so", "k", "ko", "o", "ob", "po", "za", "pri",
                     "iz"}),
}
#: A romanised Russian adjective (ALA-LC) at the end of a cut waits for its noun
#: ("Prikaz voiskam Priamurskogo voennogo [okruga]").
_RU_ADJECTIVE = re.compile(r"\w{3,}(?:ogo|ego|ykh|ikh|omu|emu|skaia|skoe|skii|skoi|nyi|naia|noe)$")
_INITIAL = re.compile(r"^(?:\w\.)+$")


def short_title(source: Source) -> str:
    """Chicago's short title: the main title, at most four words, no leading article,
    never ending inside a phrase ("Russko-kitaiskie otnosheniia", not "... v XX")."""
    if source.get("short-title"):
        return str(source.get("short-title"))
    if legacy_archival(source) or len(source.title.split()) <= 4:
        return source.title  # an archival reference is its own short form
    main = re.split(r"(?<=[:?!])\s", source.title, maxsplit=1)[0].strip().rstrip(":")
    words = main.split()
    if len(words) > 4:
        if words[0].lower() in _ARTICLES and source.get("language", "en") == "en":
            words = words[1:]
        whole = list(words)
        cut = len(words) > 4
        words = words[:4]
        while len(words) > 1 and words[-1].lower().rstrip(",;") in _DANGLING:
            words.pop()
        preps = _PREPOSITIONS.get(source.get("language") or "en", frozenset())
        if cut and len(words) < len(whole):
            # the cut falls inside the phrase the last preposition opens ("History of the
            # Russian [Revolution]"): drop the phrase, or keep a short main title whole
            at = max((i for i, w in enumerate(words) if i and w.lower() in preps), default=0)
            if at:
                words = words[:at] if at > 1 or len(whole) > 6 else whole
        if cut and len(words) < len(whole):
            # nor inside a name ("politika A. V. [Kolchaka]") or before a Russian noun
            while len(words) > 2 and _INITIAL.match(words[-1]):
                words.pop()
            while len(words) > 2 and source.get("language") == "ru" \
                    and _RU_ADJECTIVE.match(words[-1].lower()):
                words.pop()
    return " ".join(words).rstrip(",;:")
