"""`farchron import`: works and events from other tools, all or nothing."""

from __future__ import annotations

import sys

import click

from farchron.cli.app import App, pass_app
from farchron.importers import FORMATS


@click.command("import")
@click.argument("files", metavar="FILE...", nargs=-1, required=True)
@click.option("--from", "fmt", type=click.Choice(FORMATS, case_sensitive=False),
              help="The format (default: from each file's ending: .bib .ris .json .csv "
                   ".jsonl; `-` for stdin needs --from).")
@click.option("--cite", "cites", multiple=True, metavar="SOURCE[:LOCATOR]",
              help="A citation for imported events that carry none (repeatable).")
@click.option("--romanise", is_flag=True,
              help="Works with a title in Cyrillic or Japanese: the title to original-title, "
                   "its romanisation (ALA-LC Russian, Hepburn Japanese) to title; names, "
                   "publisher and archive romanised beside the original.")
@click.option("--dry-run", is_flag=True, help="Say what would be added; write nothing.")
@click.option("--update", is_flag=True,
              help="A work already in the ledger (same DOI, ISBN, or first author, title and "
                   "year) takes the fields the record corrects; its id and citations stay.")
@click.option("--edtf", is_flag=True,
              help="CSV dates are EDTF only: 1918-22 is summer 1918 (without it a date that "
                   "is also a range of years is a row error).")
@pass_app
def import_(app: App, files: tuple[str, ...], fmt: str | None, cites: tuple[str, ...],
            romanise: bool, dry_run: bool, update: bool, edtf: bool) -> None:
    """Import works (BibTeX, RIS, CSL-JSON) or events (CSV, TimelineJS sheet, jsonl).

    \b
    Works: .bib (bibtexparser; LaTeX accents decoded), .ris, CSL-JSON as Zotero and
    Better BibTeX export it (.json). Events: CSV with a header
    (date,title,summary,tags,actors,places,aliases,cite; `;` between values; cite as
    SOURCE:PAGES or note:N), the TimelineJS Google-Sheet template (--from timelinejs,
    or a .csv with its columns), farchron's own `-f jsonl` (events, sources, notes).
    Each added id goes to stdout; duplicates (same DOI, ISBN, or first author, title
    and year; an event with the same title and date) and bad rows, with FILE:LINE,
    to stderr. With --update a work already there is corrected instead: each changed
    field is listed on stderr ("updated ID: FIELD: OLD -> NEW"; --dry-run lists them
    and writes nothing), fields the record lacks are kept, and so are the work's id and
    every citation of it. Nothing is written unless every row reads and the whole
    ledger checks: exit 0 done, 2 a row cannot be imported (nothing written).

    \b
    Examples:
      farchron import works.bib zotero.json
      farchron import --dry-run events.csv
      farchron import --romanise zotero.ris
      farchron import --update --dry-run zotero.json
      farchron timeline -f jsonl | farchron --data new import --from jsonl -
    """
    from farchron.authoring import operations as authoring
    from farchron.cli.commands.writing import ledger_to_write
    from farchron.cli.stdio import say
    from farchron.errors import UsageError
    from farchron.files import DataFileError
    from farchron.importers import detect_format
    from farchron.settings import max_import_bytes
    from farchron.text import clean

    folder = ledger_to_write(app)
    cap = max_import_bytes()
    inputs = []
    for name in files:
        chosen = fmt.lower() if fmt else detect_format(name)
        if chosen is None:
            raise UsageError(f"{name}: cannot tell the format from the name; give --from "
                             f"({', '.join(FORMATS)})")
        try:
            raw = read_input(name, cap)
            text = raw.decode("utf-8-sig")
        except DataFileError as exc:
            raise UsageError(f"{name}: {exc.message}") from None
        except OSError as exc:
            raise UsageError(f"{name}: {exc.strerror}") from None
        except UnicodeDecodeError as exc:
            raise UsageError(f"{name}: not UTF-8 (byte {exc.start})") from None
        inputs.append(("<stdin>" if name == "-" else name, text, chosen))
    records, errors, warnings = authoring.read_inputs(inputs, cites, edtf)
    if romanise:
        from farchron.importers.common import romanise as romanised

        for _, rec in records:
            if rec.kind == "source":
                rec.fields = romanised(rec.fields)
    read_from = {n for n, _ in records} | {e.split(":", 1)[0] for e in errors}
    for name, text, chosen in inputs:  # a .ris or .bib that is not one: say so, not "0 added"
        if chosen in _NAMES and text.strip() and name not in read_from:
            errors.append(f"{name}:1: no {_NAMES[chosen]} records in it (another format? "
                          "give --from)")
    for w in warnings:
        say(f"warning: {w}")
    from farchron.authoring.writer import Rejected
    from farchron.cli.commands.writing import report_rejected
    from farchron.errors import Problem

    try:  # rows that read but would not check are reported along with those that did not
        report = authoring.import_records(folder, records, dry_run=dry_run or bool(errors),
                                          update=update)
    except Rejected as exc:
        if not errors:
            report_rejected(exc)
            raise click.exceptions.Exit(2) from None
        errors += [str(p) for p in exc.problems if isinstance(p, Problem)]
    if errors:
        for e in sorted(errors, key=_by_file_line):
            say(e)
        say(f"nothing imported: {len(errors)} row{'s' if len(errors) != 1 else ''} "
            "cannot be imported")
        raise click.exceptions.Exit(2)
    for line in report.skipped:
        say(f"skipped {line}")
    for sid, edits in report.updated:
        for field, old, new in edits:
            say(f"{'would update' if dry_run else 'updated'} {clean(sid)}: {field}: "
                f"{_shown(old)} -> {_shown(new)}")
    for sid in report.unchanged:
        say(f"unchanged {clean(sid)}")
    for _, rid in report.added:
        click.echo(clean(rid))
    n = len(report.added)
    verb = "would add" if dry_run else "added"
    updated = ""
    if update:
        u = len(report.updated)
        updated = (f", {'would update' if dry_run else 'updated'} {u} "
                   f"work{'s' if u != 1 else ''}, {len(report.unchanged)} unchanged")
    say(f"{verb} {n} record{'s' if n != 1 else ''}{updated}, skipped {len(report.skipped)} "
        f"duplicate{'s' if len(report.skipped) != 1 else ''}")


def _shown(value: object) -> str:
    """A field's value in a change line: (none), a string quoted, a list joined."""
    from farchron.text import clean

    if value is None:
        return "(none)"
    if isinstance(value, (list, tuple)):
        return "[" + "; ".join(clean(str(v)) for v in value) + "]"
    return '"' + clean(str(value)) + '"'


_NAMES = {"bibtex": "BibTeX", "ris": "RIS"}


def read_input(name: str, cap: int) -> bytes:
    """An import file's bytes (`-`: stdin), refused past `cap` bytes before they are all
    read: a huge file is a clear message, not minutes of work."""
    import os
    import stat

    from farchron.files import DataFileError, read_capped

    if name == "-":
        raw = sys.stdin.buffer.read(cap + 1)
    elif stat.S_ISREG(os.stat(name).st_mode) or os.path.isdir(name):
        return read_capped(name, cap)[0]
    else:  # a pipe (`<(zcat works.ris.gz)`): read it, up to the cap
        with open(name, "rb") as fh:
            raw = fh.read(cap + 1)
    if len(raw) > cap:
        raise DataFileError("too-large", f"over the {cap}-byte import limit (set "
                            "FARCHRON_MAX_BYTES to raise it)")
    return raw


def _by_file_line(message: str) -> tuple[str, int]:
    """Sort key for "FILE:LINE: message": by file, then by line as a number."""
    import re

    m = re.match(r"(.*?):(\d+): ", message)
    return (m.group(1), int(m.group(2))) if m else (message, 0)
