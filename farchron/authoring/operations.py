"""Making and changing a ledger: `init`, `add`, `edit` and `import`, below the command line.

Everything here goes through farchron.authoring.writer (append as text, check, atomic write
under the lock), so a command can only ever leave the ledger as it was or valid. No click
or rich: the commands turn the exceptions (UsageError, DataError, FarchronError) into
messages and exit codes, and do the prompting.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from farchron import importers
from farchron.authoring import writer as ledgerwrite
from farchron.authoring.edit import EditConflict, EditSession, editor_command, locate
from farchron.dates.names import GREGORIAN, JULIAN
from farchron.errors import Problem, UsageError
from farchron.ledger.folder import EVENTS_FILE, SOURCES_FILE
from farchron.model.ids import slugify, unique_id

__all__ = ["EditConflict", "EditSession", "editor_command", "locate"]

SCHEMAS = ("events.schema.json", "sources.schema.json")


# --------------------------------------------------------------------------- init


SKELETON_EVENTS = """\
#:schema ./schema/events.schema.json
#
# farchron event ledger. One [[event]] table per dated event; `farchron add event`
# appends them for you, `farchron check` validates the file. Fields:
#   id         unique: lowercase letters, digits and single hyphens ("battle-of-mukden")
#   title      short title
#   date       EDTF: "1905", "1905-03", "1905-03-10", "1905-02-20/1905-03-10" (an interval),
#              "1905-22" (summer; 21 spring, 23 autumn, 24 winter), "1905~" (approximate),
#              "1905?" (uncertain), "190X" (some year of the decade), "../1905", "1905/..",
#              "1905-09-05T15:47"; `farchron add` also reads "5 Sep 1905", "summer
#              1905", "c. 1904", "23 Aug 1905 OS" and stores them in this form
#   calendar   "julian" when `date` is as the source prints it in the Old Style
#              (Julian) calendar: "1905-08-23" is then 5 Sep 1905 in every listing
#   date-as-printed  the date exactly as the source prints it ("23 августа 1905 г.")
#   summary    one to four sentences in your own words
#   aliases    other names in every spelling and script a reader may type
#   tags       short labels ("battle", "treaty"); see [vocabulary] below
#   actors     people and organisations
#   places     place names
#   citations  at least one: { source = "SOURCE-ID", pages = "12" } (a work in
#              sources.toml, with a locator) or { note = N } (a numbered note)
#   part-of    the id of the larger event this one is part of ("siege-of-port-arthur")
#   other-dates  dates other sources give, each with its evidence:
#              [{ date = "1905-03-11", source = "SOURCE-ID", pages = "7" }] or
#              [{ date = "1905-03-11", basis = "commonly given" }]
#
# Example:
#   [[event]]
#   id = "treaty-of-portsmouth"
#   title = "Treaty of Portsmouth"
#   date = "1905-09-05"
#   tags = ["treaty"]
#   citations = [{ source = "esthus-1988", pages = "150" }]
#
# An optional tag vocabulary: when present, `farchron check` refuses any other tag.
#   [vocabulary]
#   tags = ["battle", "treaty", "diplomacy"]
#
# A big ledger may be split: a line at the very top such as
#   include = ["chapters/*.toml"]
# reads those files too (sorted, after this one; [[event]] tables only); ids stay
# unique across all of them, and `farchron add event --file chapters/1905.toml`
# writes into one.
"""

SKELETON_SOURCES = """\
#:schema ./schema/sources.schema.json
#
# farchron sources: the works the events cite, and numbered notes. `farchron add source`
# and `farchron import FILE.bib|.ris|.json` append them for you.
#
# [[source]]  one work, entered once however often it is cited. Fields (CSL-JSON
#   variables in kebab case):
#     id                   unique, lowercase [a-z0-9-]: "family-year" ("esthus-1988")
#     type                 a CSL item type: book, chapter, article-journal,
#                          article-newspaper, thesis, report, manuscript, webpage...
#     authors, editors, translators
#                          lists of "Family, Given" (corporate names as printed;
#                          original script welcome: "Куропаткин, А. Н.", "和田, 春樹")
#     authors-romanised, editors-romanised, translators-romanised
#                          the same names in Latin script, same order
#     title, original-title, translated-title, short-title
#     container-title, container-original-title, container-translated-title
#                          the book or journal holding a chapter or article
#     collection-title, collection-number, volume, issue, number, page, edition
#     publisher, publisher-place, issued (EDTF: "1988", "1905-05")
#     publisher-romanised, publisher-place-romanised
#                          the publisher and place in Latin script where the
#                          printed form is not ("Veche" for "Вече")
#     language (ISO 639-1: en, ja, ru), url, doi, isbn, note
#     archive, archive-romanised, archive-place, archive-location
#                          an archival file: the archive as printed and in Latin
#                          script, its city, the call number; `title` describes it
#     genre, section       a thesis's kind ("PhD diss."); a newspaper's section
#     original-work-title  the original of a translation (Zotero's original-title)
#
# [[note]]    one numbered note (of a paper the ledger follows):
#     number, text (as printed), citations = [{ source = "SOURCE-ID", pages = "12" }],
#     date-as-printed (a date in the note, exactly as printed)
#
# Example:
#   [[source]]
#   id = "esthus-1988"
#   type = "book"
#   authors = ["Esthus, Raymond A."]
#   title = "Double Eagle and Rising Sun"
#   publisher = "Duke University Press"
#   issued = "1988"
"""


def schema_dir() -> Path | None:
    """The JSON Schemas: inside the installed package, or in a source checkout."""
    here = Path(__file__).resolve().parent.parent  # the farchron package
    for cand in (here / "schema", here.parent / "schema"):
        if all((cand / name).is_file() for name in SCHEMAS):
            return cand
    return None


def _empty_or_missing(path: Path) -> bool:
    try:
        return path.stat().st_size == 0
    except FileNotFoundError:
        return True


def init_ledger(folder: Path) -> list[Path]:
    """A new, empty, valid ledger in `folder` (made if need be), with the schemas beside it.

    All or nothing: every file is written beside its target and fsynced before any is
    renamed into place (writer.commit), so a full disk or a kill leaves no half-made
    ledger, and what this run made (the folder, schema/) is removed again.
    Refuses (UsageError, nothing changed) if the folder already holds a ledger file; an
    empty one (a 0-byte file) is no ledger and is replaced, as is an empty schema.
    """
    folder = Path(folder)

    def refuse_existing() -> None:
        existing = [folder / n for n in (EVENTS_FILE, SOURCES_FILE)
                    if not _empty_or_missing(folder / n)]
        if existing:
            raise UsageError(f"{existing[0]} already exists; init never touches a ledger "
                             "(use add, import or edit)")

    if folder.is_dir():
        ledgerwrite.recover(folder)  # an init killed after its journal: finish it
    refuse_existing()
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} is not a folder")
    made: list[Path] = []  # folders this run made, innermost last
    for parent in reversed([folder, *folder.parents]):
        if not parent.exists():
            made.append(parent)
    had = {p.name for p in folder.iterdir()} if folder.is_dir() else set()
    changes: list[tuple[Path, bytes]] = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        src = schema_dir()
        if src is not None:
            if not (folder / "schema").exists():
                made.append(folder / "schema")
            (folder / "schema").mkdir(exist_ok=True)
            changes += [(folder / "schema" / name, (src / name).read_bytes())
                        for name in SCHEMAS if _empty_or_missing(folder / "schema" / name)]
        changes += [(folder / SOURCES_FILE, SKELETON_SOURCES.encode("utf-8")),
                    (folder / EVENTS_FILE, SKELETON_EVENTS.encode("utf-8"))]
        # No lock (it would leave lock files in a new ledger): no writer touches a folder
        # without events.toml, which is renamed into place last.
        ledgerwrite.commit(folder, changes)
    except (OSError, ledgerwrite.WriteError) as exc:
        _unmake(folder, made, had)
        if isinstance(exc, ledgerwrite.WriteError):
            raise
        raise ledgerwrite.WriteError(f"{exc.filename or folder}: cannot make the ledger: "
                                     f"{exc.strerror}; nothing was made") from exc
    except BaseException:
        _unmake(folder, made, had)
        raise
    return [p for p, _ in changes]


def _unmake(folder: Path, made: list[Path], had: set[str]) -> None:
    """Remove what a failed init made: its lock files and journal in a folder that was
    there, the folders it made (only if nothing else is in them)."""
    import contextlib

    if folder.is_dir():
        for entry in folder.iterdir():
            if entry.name not in had and entry.name.startswith(".") and (
                    entry.name.endswith((".lock", ".journal", ledgerwrite.STAGED_SUFFIX))):
                with contextlib.suppress(OSError):
                    entry.unlink()
    for path in reversed(made):
        with contextlib.suppress(OSError):
            path.rmdir()


# --------------------------------------------------------------------------- add


def read_date(text: str, option: str = "--date", *, edtf: bool = False) -> tuple[str, str]:
    """(canonical EDTF, calendar) for a date as typed: EDTF itself, or a form people write
    ("27 May 1905", "summer 1945", "20 Dec 1904 OS") read by farchron.dates.written. A Julian
    date is kept as printed with calendar "julian", as the ledger stores it. A date that is
    EDTF and a range of years alike ('1918-22') is refused unless `edtf`."""
    from farchron.dates import edtf as dates
    from farchron.dates.ambiguity import ambiguous_reading

    text = text.strip()
    why = None if edtf else ambiguous_reading(text)
    if why:
        raise UsageError(f"{option}: {why}")
    try:
        dates.parse(text)
        return text, GREGORIAN
    except dates.DateError as exc:
        edtf_error = exc
    try:
        from farchron.dates.written import parse_human
    except ImportError:  # a build without issue 12's reader: EDTF only
        raise UsageError(f"{option}: {edtf_error}") from None
    try:
        parsed = parse_human(text)
    except dates.DateError as exc:
        raise UsageError(f"{option}: {exc}") from None
    if not parsed.edtf:
        raise UsageError(f"{option}: '{text}' needs a year")
    return parsed.edtf, parsed.calendar


def read_cites(cites: Iterable[str], notes: Iterable[int | str]) -> list[dict[str, Any]]:
    """`--cite SOURCE[:LOCATOR]` and `--note N` as citation tables."""
    out: list[dict[str, Any]] = []
    for c in cites:
        try:
            out.append(importers.parse_cite(c))
        except ValueError as exc:
            raise UsageError(f"--cite: {exc}") from None
    for n in notes:
        try:
            out.append({"note": int(n)})
        except ValueError:
            raise UsageError(f"--note: {n!r} is not a note number") from None
    return out


def read_other_date(text: str, *, edtf: bool = False) -> dict[str, Any]:
    """`--other-date DATE:SOURCE[:PAGES]` (or DATE:note:N) as an other-dates table: the date
    as typed (a written form is read; an Old Style one keeps calendar "julian")."""
    import re

    m = re.fullmatch(r"(?P<date>.+?):(?P<src>[a-z][a-z0-9-]*)(?::(?P<pages>[^:]*))?",
                     text.strip())
    if m is None:
        raise UsageError(f"--other-date: '{text}' needs its evidence: DATE:SOURCE[:PAGES] "
                         "or DATE:note:N")
    date, calendar = read_date(m["date"], "--other-date", edtf=edtf)
    out: dict[str, Any] = {"date": date}
    if m["src"] == "note":
        if not (m["pages"] or "").isdigit():
            raise UsageError(f"--other-date: '{text}': note:N needs a note number")
        out["note"] = int(m["pages"])
    else:
        out["source"] = m["src"]
        if m["pages"]:
            out["pages"] = m["pages"]
    if calendar == JULIAN:
        out["calendar"] = JULIAN
    return out


def require_utf8(option: str, value: Any) -> None:
    """UsageError for an argument that was not valid UTF-8 (Python keeps such bytes as lone
    surrogates, which no TOML file can hold): say which option and which byte."""
    if isinstance(value, (list, tuple)):
        for v in value:
            require_utf8(option, v)
        return
    if not isinstance(value, str):
        return
    for i, ch in enumerate(value):
        if 0xD800 <= ord(ch) <= 0xDFFF:
            byte = f"byte 0x{ord(ch) - 0xDC00:02X}" if 0xDC80 <= ord(ch) <= 0xDCFF else "a byte"
            raise UsageError(f"{option}: not valid UTF-8 ({byte} at character {i + 1}); the "
                             "ledger is UTF-8: check the encoding of your terminal or script "
                             "(LANG, LC_ALL)")


def event_fields(title: str, date: str, *, summary: str = "", tags: Sequence[str] = (),
                 actors: Sequence[str] = (), places: Sequence[str] = (),
                 aliases: Sequence[str] = (), cites: Sequence[str] = (),
                 notes: Sequence[int | str] = (), event_id: str | None = None,
                 part_of: str | None = None, other_dates: Sequence[str] = (),
                 calendar: str | None = None, as_printed: str | None = None,
                 keep_printed: bool = False, edtf: bool = False) -> dict[str, Any]:
    """The fields of a new event, checked as far as they can be without the ledger.

    `calendar` "julian" says an EDTF `date` is as the source prints it in the Old Style;
    `as_printed` is kept as date-as-printed, and with `keep_printed` a date typed in any
    form but EDTF is kept so by itself ('明治28年4月17日', '9 January 1905 OS')."""
    for option, value in (("--title", title), ("--date", date), ("--summary", summary),
                          ("--tag", tags), ("--actor", actors), ("--place", places),
                          ("--alias", aliases), ("--cite", cites), ("--id", event_id),
                          ("--part-of", part_of), ("--other-date", other_dates),
                          ("--as-printed", as_printed)):
        require_utf8(option, value)
    if not title.strip():
        raise UsageError("--title: an event needs a title")
    citations = read_cites(cites, notes)
    if not citations:
        raise UsageError("an event needs at least one citation: --cite SOURCE[:PAGES] "
                         "or --note N")
    if event_id is not None and not importers.ID_RE.match(event_id):
        raise UsageError(f"--id: {event_id!r} is not an id (lowercase letters, digits, "
                         "single hyphens)")
    if part_of is not None and not importers.ID_RE.match(part_of):
        raise UsageError(f"--part-of: {part_of!r} is not an event id")
    stored, read_as = read_date(date, edtf=edtf)
    if calendar is not None and calendar not in (GREGORIAN, JULIAN):
        raise UsageError(f"--calendar: the ledger keeps 'gregorian' or 'julian', not "
                         f"'{calendar}' (a date in another calendar is stored as its "
                         "Gregorian days, with the text in --as-printed)")
    if calendar == GREGORIAN and read_as == JULIAN:
        raise UsageError(f"--calendar gregorian: '{date}' says it is Old Style")
    if calendar == JULIAN and read_as != JULIAN:
        from farchron.dates import edtf as dates

        if stored != date.strip():
            raise UsageError("--calendar julian: give the date as EDTF as the source prints "
                             f"it (1905-01-09), or write it with OS ('{date} OS')")
        from farchron.dates.calendars import julian_date

        try:
            julian_date(stored)
        except dates.DateError as exc:
            raise UsageError(f"--date: {exc}") from None
        read_as = JULIAN
    printed = as_printed.strip() if as_printed else None
    if printed is None and keep_printed and stored != date.strip():
        printed = " ".join(date.split())  # typed as printed, not as EDTF
    fields = {"id": event_id, "title": " ".join(title.split()), "date": stored,
              "calendar": JULIAN if read_as == JULIAN else None,
              "date-as-printed": printed, "part-of": part_of,
              "summary": summary.strip(), "aliases": list(aliases), "tags": list(tags),
              "actors": list(actors), "places": list(places), "citations": citations,
              "other-dates": [read_other_date(o, edtf=edtf) for o in other_dates]}
    return {k: v for k, v in fields.items() if v not in (None, "", [])}


def csl_type(value: str) -> str:
    """`value` if it is a CSL item type; else a UsageError naming the nearest."""
    if value in importers.CSL_TYPES:
        return value
    warnings: list[str] = []
    guess = importers.csl_type_guess(value, warnings)
    raise UsageError(f"--type: '{value}' is not a CSL item type (did you mean '{guess}'?); "
                     f"CSL types: {', '.join(sorted(importers.CSL_TYPES))}")


def source_fields(type: str, title: str, *, authors: Sequence[str] = (),
                  editors: Sequence[str] = (), issued: str | None = None,
                  source_id: str | None = None, **more: str | None) -> dict[str, Any]:
    """The fields of a new work (`more`: publisher, container-title, volume, page...)."""
    for option, value in (("--type", type), ("--title", title), ("--author", authors),
                          ("--editor", editors), ("--issued", issued), ("--id", source_id),
                          *((f"--{k.replace('_', '-')}", v) for k, v in more.items())):
        require_utf8(option, value)
    if not title.strip():
        raise UsageError("--title: a work needs a title")
    if source_id is not None and not importers.ID_RE.match(source_id):
        raise UsageError(f"--id: {source_id!r} is not an id (lowercase letters, digits, "
                         "single hyphens)")
    fields: dict[str, Any] = {"id": source_id, "type": csl_type(type),
                              "authors": list(authors), "editors": list(editors),
                              "title": " ".join(title.split())}
    if issued:
        edtf, calendar = read_date(issued, "--issued")
        if calendar == JULIAN:
            from farchron.dates.written import parse_human

            edtf = parse_human(issued).gregorian or edtf  # a work's year is Gregorian
        fields["issued"] = edtf
    for key, value in more.items():
        if value not in (None, ""):
            fields[key.replace("_", "-")] = value
    return importers.ordered(fields, importers.SOURCE_ORDER)


def add_event(data_dir: Path, fields: dict[str, Any], dry_run: bool = False,
              into: str | None = None) -> str:
    """Append one event (id: the given one, else a slug of the title, `-2` on a clash);
    returns the id. DataError (nothing written) if the ledger would not check. `into`: a
    part of a ledger split by `include` (else events.toml)."""
    chosen: list[str] = []

    def plan(snap: ledgerwrite.Snapshot) -> ledgerwrite.Plan:
        rec = dict(fields)
        if not rec.get("id"):
            rec = {"id": unique_id(slugify(rec["title"]),
                                               snap.event_ids()), **rec}
        chosen.append(rec["id"])
        return [("event", importers.ordered(rec, importers.EVENT_ORDER))]

    from farchron.authoring.append import add_in_place

    ledgerwrite.write_records(data_dir, plan, dry_run=dry_run, into=into,
                              add_in_place=add_in_place)
    return chosen[-1]


def _same_work(fields: dict[str, Any], ledger: Any) -> str | None:
    """The id of a work in `ledger` that `fields` describe again (import's rule), or None."""
    if ledger is None:
        return None
    mine = set(importers.work_keys(fields))
    for s in ledger.sources.values():
        theirs = dict(s.fields)
        theirs.update(authors=s.authors, title=s.title, issued=s.issued)
        if mine.intersection(importers.work_keys(theirs)):
            return str(s.id)
    return None


def add_source(data_dir: Path, fields: dict[str, Any], dry_run: bool = False,
               into: str | None = None) -> str:
    """Append one work (id: the given one, else family-year, `-a`/`-b` on a clash); a work
    already there (import's rule: DOI, ISBN, or first author + title + year) is refused."""
    chosen: list[str] = []

    def plan(snap: ledgerwrite.Snapshot) -> ledgerwrite.Plan:
        rec = dict(fields)
        same = _same_work(rec, snap.ledger)
        if same:
            raise UsageError(f"this work is already in the ledger as '{same}' (same DOI, "
                             "ISBN, or first author, title and year); nothing written")
        if not rec.get("id"):
            base, letters = importers.source_id_base(rec, None)
            rec["id"] = unique_id(base, snap.source_ids(), letters=letters)
        chosen.append(rec["id"])
        return [("source", importers.ordered(rec, importers.SOURCE_ORDER))]

    ledgerwrite.write_records(data_dir, plan, dry_run=dry_run, into=into)
    return chosen[-1]


# --------------------------------------------------------------------------- import


class ImportReport:
    """What an import did: ids added (by kind), duplicates skipped, rows refused."""

    __slots__ = ("added", "errors", "skipped", "unchanged", "updated", "written")

    def __init__(self) -> None:
        self.added: list[tuple[str, str]] = []  # (kind, id)
        self.updated: list[tuple[str, list[tuple[str, Any, Any]]]] = []  # (id, changes)
        self.unchanged: list[str] = []  # ids of works matched with nothing to change
        self.skipped: list[str] = []  # "FILE:LINE: message"
        self.errors: list[str] = []  # "FILE:LINE: message" of rows that cannot be imported
        self.written = False


def read_inputs(inputs: Sequence[tuple[str, str, str]], default_cite: Sequence[str] = (),
                edtf: bool = False,
                ) -> tuple[list[tuple[str, importers.Record]], list[str], list[str]]:
    """[(name, text, format)] -> [(name, record)], row errors, warnings (FILE:LINE: ...).
    `edtf`: dates are EDTF only (a CSV's '1918-22' is summer 1918, not refused)."""
    records: list[tuple[str, importers.Record]] = []
    errors: list[str] = []
    warnings: list[str] = []
    for name, text, fmt in inputs:
        try:
            recs, problems = importers.read(text, fmt, cite=default_cite, edtf=edtf)
        except importers.ImportFormatError as exc:
            errors.append(f"{name}: {exc}")
            continue
        except Exception as exc:  # a third-party parser's own failure, on any input
            errors.append(f"{name}: cannot read as {fmt}: {exc}")
            continue
        for p in problems:
            where = f"{name}:{p.line}" if p.line else name
            # Rows that were read with something left out are warnings; rows dropped are errors.
            (warnings if ("left out" in p.message or "read as" in p.message
                          or "not imported" in p.message) else errors).append(
                f"{where}: {p.message}")
        records += [(name, r) for r in recs]
    return records, errors, warnings


def import_records(data_dir: Path, records: Sequence[tuple[str, importers.Record]],
                   dry_run: bool = False, update: bool = False) -> ImportReport:
    """Add the records that are new (duplicates skipped), all or nothing: DataError if the
    result would not check. With `update`, a work the ledger has already (the duplicate
    rule) takes the fields the record changes, in place, in the same write."""
    report = ImportReport()
    names = {id(r): name for name, r in records}
    origins: list[importers.Record] = []
    matched: set[int] = set()  # the records that updated (or matched unchanged) a work

    def plan(snap: ledgerwrite.Snapshot) -> ledgerwrite.Plan:
        origins.clear()
        added, skipped = importers.plan([r for _, r in records], snap.ledger, origins)
        report.added = [(t, str(f.get("id", f.get("number")))) for t, f in added]
        report.skipped = [f"{names[id(s.record)]}:{s.record.line}: "
                          f"{s.record.key or s.record.fields.get('title', '')}: {s.reason}"
                          for s in skipped if id(s.record) not in matched]
        return added

    def rewrite(snap: ledgerwrite.Snapshot) -> dict[str, str]:
        from farchron.authoring import update as updating

        texts = dict(snap.texts)
        matched.clear()
        report.updated, report.unchanged = [], []
        if snap.ledger is None:
            return texts
        owner: dict[str, str] = {}
        for s in snap.ledger.sources.values():
            theirs = dict(s.fields)
            theirs.update(authors=s.authors, title=s.title, issued=s.issued)
            for k in importers.work_keys(theirs):
                owner.setdefault(k, s.id)
        files = [SOURCES_FILE,
                 *ledgerwrite.part_names(data_dir, texts)[SOURCES_FILE]]
        done: set[str] = set()
        for _, rec in records:
            if rec.kind != "source":
                continue
            sid = next((owner[k] for k in importers.work_keys(rec.fields) if k in owner),
                       None)
            if sid is None or sid in done:
                continue
            done.add(sid)
            matched.add(id(rec))
            edits = updating.changes(rec.fields, snap.ledger.sources[sid].fields)
            if not edits:
                report.unchanged.append(sid)
                continue
            for name in files:
                new = updating.apply(texts.get(name, ""), sid, edits)
                if new is not None:
                    texts[name] = new
                    report.updated.append((sid, edits))
                    break
            else:
                raise ledgerwrite.WriteError(
                    f"cannot tell where work '{sid}' starts and ends in {SOURCES_FILE} (a "
                    "table header in an unusual form?); nothing written")
        return texts

    try:
        result = ledgerwrite.write_records(data_dir, plan, dry_run=dry_run,
                                           rewrite=rewrite if update else None)
    except ledgerwrite.Rejected as exc:
        # Point each problem at the input row it came from, not at a line of a file
        # that was never written.
        moved = []
        for p in exc.problems:
            i = exc.record_of(p)
            if i is None or i >= len(origins):
                moved.append(p)
                continue
            rec = origins[i]
            moved.append(Problem(names[id(rec)], rec.line, None, p.code, p.message))
        raise ledgerwrite.Rejected(moved) from None
    report.written = result.written
    return report
