"""`farchron sources`: the works cited, listed or exported."""

from __future__ import annotations

from collections.abc import Sequence

import click

from farchron.cli.app import App, output_format, pass_app
from farchron.cli.options import complete_source_ids, format_option
from farchron.errors import NotFound
from farchron.exporters import WORK_FORMATS


@click.command()
@click.argument("query", nargs=-1, metavar="[QUERY]...", shell_complete=complete_source_ids)
@click.option("--author", "authors", multiple=True, metavar="NAME",
              help="Only works by an author or editor whose name contains NAME "
                   "(accents and case ignored; repeat for any of several).")
@click.option("--min-score", type=click.FloatRange(0, 100), default=70.0, show_default=True,
              metavar="S", help="Cut-off for QUERY, 0-100.")
@format_option(*WORK_FORMATS, "chicago", "chicago-markdown")
@pass_app
def sources(app: App, query: Sequence[str], authors: Sequence[str], min_score: float,
            fmt: str | None) -> None:
    """The works cited, or those matching QUERY; exported as BibTeX, CSL-JSON or RIS.

    \b
    QUERY (one word or several) is matched like search: titles in any script,
    authors, editors, container, id. Each work lists the events citing it,
    directly or through a note (a column of tables and TSV, `events` in JSON).
    Non-Latin titles are kept in every export. -f chicago prints the bibliography
    (Chicago Manual of Style, 17th ed., notes-bibliography), alphabetised;
    -f chicago-markdown the same with *italics* for pandoc.

    \b
    Examples:
      farchron sources
      farchron sources Кривошеев
      farchron sources --author Hata -f json | jq '.[].events'
      farchron sources -f chicago
      farchron sources -f bibtex > hanada.bib
      farchron sources -f csl-json > hanada.json && pandoc --citeproc --bibliography hanada.json
    """
    from farchron.render import citations
    from farchron.text import fold

    text = " ".join(w for w in query if w.strip())
    if query and not text:
        raise click.UsageError("QUERY is empty: give a word or more to look for")
    if text:
        from farchron.query.works import matching_works

        works = matching_works(app.ledger, text, min_score, app.use_cache)
    else:
        works = list(app.ledger.sources.values())
    if authors:
        wanted = [fold(a) for a in authors]
        keys = ("authors-romanised", "editors", "editors-romanised")
        works = [s for s in works
                 if any(w in fold(n) for w in wanted
                        for n in (*s.authors, *(m for k in keys for m in s.get(k, ()))))]
    if not works:
        raise NotFound(hint="no work matches: see them all with 'farchron sources'")
    out = output_format(fmt)
    if out in ("chicago", "chicago-markdown", *WORK_FORMATS):  # names as notes order them
        from farchron.cite.works import east_asian_names

        citations.write_sources(out, works, None, east_asian_names(app.ledger.sources.values()))
    else:  # a listing: names as written, and the events citing each work
        from farchron.query.works import citing_events

        citations.write_sources(out, works, citing_events(app.ledger, app.use_cache))
