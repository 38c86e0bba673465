"""`farchron cite`: a footnoted summary of the events matching a query."""

from __future__ import annotations

from collections.abc import Sequence

import click

from farchron.app import App, build_period, pass_app
from farchron.errors import NotFound, UsageError
from farchron.options import search_options


@click.command()
@search_options(90.0, None)
@click.option("-f", "--format", "fmt",
              type=click.Choice(["text", "markdown", "json", "docx"], case_sensitive=False),
              default="text", show_default=True,
              help="text (Rich on a terminal), markdown (pandoc footnotes), json, "
                   "docx (Word, through pandoc; needs -o).")
@click.option("--bibliography", "with_bibliography", is_flag=True,
              help="Add the bibliography of the works cited, alphabetised.")
@click.option("-o", "--output", metavar="FILE",
              help="Write to FILE, replaced atomically (required for docx).")
@click.option("--edition", type=click.Choice(["17", "18"]), default="17", show_default=True,
              help="Chicago Manual of Style edition (18: short forms instead of Ibid., "
                   "no place of publication, three authors as 'A et al.').")
@pass_app
def cite(app: App, query: str, period: str | None, date_from: str | None,
         date_to: str | None, tags: Sequence[str], limit: int | None, min_score: float,
         fmt: str, with_bibliography: bool, output: str | None, edition: str) -> None:
    """A footnoted summary of the events matching QUERY, in date order.

    \b
    Each event's date, title and summary end in one note marker; the notes follow in
    the notes-bibliography style of The Chicago Manual of Style, 17th edition: one
    note at a place with its works joined by semicolons, a work in full the first
    time, then in short form, "Ibid." only after a note citing that work alone.
    Quotes and apostrophes are typographic. --edition 18 follows the 18th edition
    (2024) where it differs. The default --min-score 90 keeps the
    events QUERY names (title, alias, actor, place); --min-score 70 adds those that
    only mention it.

    \b
    Examples:
      farchron cite nomonhan
      farchron cite nomonhan --bibliography -f markdown | pandoc -t plain
      farchron cite nomonhan --bibliography -f docx -o nomonhan.docx
      farchron cite nomonhan --edition 18
      farchron cite togo 1945 -f json | jq '.notes[].text'
    """
    from farchron import views
    from farchron.query import search_events

    f = fmt.lower()
    if f == "docx" and not output:
        raise UsageError("-f docx writes a file: give it with -o FILE")
    found = search_events(app.ledger, app.event_index(), query,
                          build_period(period, date_from, date_to), tags=tags, limit=limit,
                          min_score=min_score)
    if not found:
        raise NotFound()
    events = [e for e, _h in found]
    if f == "docx" or output:
        import io

        from farchron.commands.export import write_file

        buf = io.StringIO()
        views.write_cite("markdown" if f == "docx" else f, events, app.ledger,
                         with_bibliography=with_bibliography, out=buf, edition=int(edition))
        if f == "docx":
            from farchron.docx import write_docx

            write_docx(buf.getvalue(), str(output))
        else:
            write_file(str(output), buf.getvalue())
        return
    views.write_cite(f, events, app.ledger, with_bibliography=with_bibliography,
                     edition=int(edition))
