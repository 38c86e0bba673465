"""`farchron add event|source`: one record appended, checked, and its id printed."""

from __future__ import annotations

import sys
from typing import Any

import click

from farchron.cli.app import App, pass_app
from farchron.cli.options import (
    complete_actors,
    complete_notes,
    complete_places,
    complete_source_ids,
    complete_tags,
)
from farchron.dates.names import GREGORIAN, JULIAN


def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def _required(value: str | None, name: str, prompt: str) -> str:
    """A required option: prompted for on a terminal, a usage error in a script."""
    if value:
        return value
    if _interactive():
        return str(click.prompt(prompt))
    raise click.UsageError(f"missing option '--{name}'")


def _written(adder: Any, folder: Any, fields: dict[str, Any], dry_run: bool,
             into: str | None = None) -> str:
    """The new id, or exit 2 saying why the record would not check (nothing written)."""
    from farchron.authoring.writer import Rejected
    from farchron.cli.commands.writing import report_rejected

    try:
        return str(adder(folder, fields, dry_run=dry_run, into=into))
    except Rejected as exc:
        report_rejected(exc)
        raise click.exceptions.Exit(2) from None


@click.group()
def add() -> None:
    """Append one event or one work to the ledger; the new id is printed.

    \b
    Examples:
      farchron add event --title "Battle of Mukden" --date 1905-02-20/1905-03-10 \\
          --tag battle --cite connaughton-2003:270-301
      farchron add source --type book --title "Double Eagle and Rising Sun" \\
          --author "Esthus, Raymond A." --issued 1988 --publisher "Duke University Press"
    """


@add.command("event")
@click.option("--title", help="Short title; the id is its slug (battle-of-mukden).")
@click.option("--date", "date_text", metavar="DATE",
              help="EDTF (1905-03-10, 1905-02-20/1905-03-10, 1905~) or as written "
                   "(10 March 1905, summer 1905) where farchron reads it; stored as EDTF.")
@click.option("--summary", default="", help="One to four sentences in your own words.")
@click.option("--tag", "tags", multiple=True, shell_complete=complete_tags,
              help="A tag (repeatable).")
@click.option("--actor", "actors", multiple=True, shell_complete=complete_actors,
              help="A person or organisation (repeatable).")
@click.option("--place", "places", multiple=True, shell_complete=complete_places,
              help="A place name (repeatable).")
@click.option("--alias", "aliases", multiple=True, help="Another name, any script (repeatable).")
@click.option("--cite", "cites", multiple=True, metavar="SOURCE[:LOCATOR]",
              shell_complete=complete_source_ids,
              help="A work in sources.toml and the pages (repeatable).")
@click.option("--note", "notes", multiple=True, type=int, metavar="N",
              shell_complete=complete_notes,
              help="A numbered note in sources.toml (repeatable).")
@click.option("--id", "event_id", help="The id, if not the slug of the title.")
@click.option("--part-of", metavar="ID", help="The event this one is part of (a battle of a war).")
@click.option("--other-date", "other_dates", multiple=True, metavar="DATE:SOURCE[:PAGES]",
              help="A date another work gives, with its evidence (DATE:note:N too; "
                   "repeatable).")
@click.option("--calendar", type=click.Choice([GREGORIAN, JULIAN], case_sensitive=False),
              help="julian: --date is EDTF as the source prints it in the Old Style.")
@click.option("--as-printed", metavar="TEXT",
              help="The date exactly as the source prints it (kept as date-as-printed; a "
                   "--date typed in another form than EDTF is kept so by itself).")
@click.option("--edtf", is_flag=True,
              help="--date is EDTF only: 1918-22 is summer 1918 (without it a date that is "
                   "also a range of years is refused).")
@click.option("--file", "into", metavar="PART",
              help="A part of a ledger split by `include` (chapters/1453.toml), as a path "
                   "in the ledger folder; default: the main file.")
@click.option("--dry-run", is_flag=True, help="Check and print the id; write nothing.")
@pass_app
def add_event(app: App, title: str | None, date_text: str | None, summary: str,
              tags: tuple[str, ...], actors: tuple[str, ...], places: tuple[str, ...],
              aliases: tuple[str, ...], cites: tuple[str, ...], notes: tuple[int, ...],
              event_id: str | None, part_of: str | None, other_dates: tuple[str, ...],
              calendar: str | None, as_printed: str | None, edtf: bool,
              into: str | None, dry_run: bool) -> None:
    """Append one event to events.toml and print its id.

    \b
    Needs --title, --date and at least one --cite or --note; on a terminal,
    missing ones are asked for. An invalid event (bad date, unknown source or
    note, no citation) exits 2 with the files untouched.

    \b
    Examples:
      farchron add event --title "Treaty of Portsmouth" --date 1905-09-05 \\
          --tag treaty --cite esthus-1988:150-166
      farchron add event --title "Battle of Tsushima" --date "27 May 1905" --note 3
      farchron add event --title "Treaty of Shimonoseki" --date 明治28年4月17日 \
          --part-of first-sino-japanese-war --other-date 光緒二十一年三月二十三日:hsu-2000:120
    """
    from farchron.authoring import operations as authoring
    from farchron.cli.commands.writing import ledger_to_write

    folder = ledger_to_write(app)
    title = _required(title, "title", "Title")
    date_text = _required(date_text, "date", "Date (EDTF, e.g. 1905-09-05)")
    if not cites and not notes:
        cites = (_required(None, "cite", "Citation (SOURCE:PAGES or note:N)"),)
    fields = authoring.event_fields(title, date_text, summary=summary, tags=tags,
                                    actors=actors, places=places, aliases=aliases,
                                    cites=cites, notes=notes, event_id=event_id,
                                    part_of=part_of, other_dates=other_dates,
                                    calendar=calendar.lower() if calendar else None,
                                    as_printed=as_printed, keep_printed=True, edtf=edtf)
    click.echo(_written(authoring.add_event, folder, fields, dry_run, into))


@add.command("source")
@click.option("--type", "csl_type", help="CSL item type: book, chapter, article-journal, "
                                         "thesis, report, manuscript, webpage...")
@click.option("--title", help="The title (Latin script; see --original-title).")
@click.option("--author", "authors", multiple=True, help='"Family, Given" (repeatable).')
@click.option("--editor", "editors", multiple=True, help='"Family, Given" (repeatable).')
@click.option("--issued", help="Year or EDTF date of publication.")
@click.option("--publisher")
@click.option("--publisher-place")
@click.option("--container-title", help="The journal or book holding it.")
@click.option("--volume")
@click.option("--issue")
@click.option("--pages", "page", help="Page range of an article or chapter.")
@click.option("--original-title", help="The title in its original script.")
@click.option("--translated-title")
@click.option("--language", help="ISO 639-1 code: en, ja, ru...")
@click.option("--doi")
@click.option("--isbn")
@click.option("--url")
@click.option("--id", "source_id", help="The id, if not family-year.")
@click.option("--file", "into", metavar="PART",
              help="A part of a ledger split by `include` (chapters/1453.toml), as a path "
                   "in the ledger folder; default: the main file.")
@click.option("--dry-run", is_flag=True, help="Check and print the id; write nothing.")
@pass_app
def add_source(app: App, csl_type: str | None, title: str | None, authors: tuple[str, ...],
               editors: tuple[str, ...], issued: str | None, source_id: str | None,
               into: str | None, dry_run: bool, **more: Any) -> None:
    """Append one work to sources.toml and print its id (family-year, -a/-b on a clash).

    \b
    Examples:
      farchron add source --type book --title "Double Eagle and Rising Sun" \\
          --author "Esthus, Raymond A." --issued 1988
      farchron add source --type article-journal --title "Nicholas II and the
          Russo-Japanese War" --container-title "Russian Review" --volume 40 --pages 396-411
    """
    from farchron.authoring import operations as authoring
    from farchron.cli.commands.writing import ledger_to_write

    folder = ledger_to_write(app)
    csl_type = _required(csl_type, "type", "CSL type (book, chapter, article-journal...)")
    title = _required(title, "title", "Title")
    fields = authoring.source_fields(csl_type, title, authors=authors, editors=editors,
                                     issued=issued, source_id=source_id, **more)
    click.echo(_written(authoring.add_source, folder, fields, dry_run, into))
