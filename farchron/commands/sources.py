"""`farchron sources`: the works cited, listed or exported."""

from __future__ import annotations

import click

from farchron.app import App, output_format, pass_app
from farchron.errors import NotFound
from farchron.options import format_option


@click.command()
@click.argument("query", required=False)
@click.option("--min-score", type=click.FloatRange(0, 100), default=70.0, show_default=True,
              metavar="S", help="Cut-off for QUERY, 0-100.")
@format_option("bibtex", "csl-json", "ris", "chicago", "chicago-markdown")
@pass_app
def sources(app: App, query: str | None, min_score: float, fmt: str | None) -> None:
    """The works cited, or those matching QUERY; exported as BibTeX, CSL-JSON or RIS.

    \b
    QUERY is matched like search: titles in any script, authors, editors,
    container, id. Non-Latin titles are kept in every export. -f chicago prints
    the bibliography (Chicago Manual of Style, 17th ed., notes-bibliography),
    alphabetised; -f chicago-markdown the same with *italics* for pandoc.

    \b
    Examples:
      farchron sources
      farchron sources Кривошеев
      farchron sources -f chicago
      farchron sources -f bibtex > hanada.bib
      farchron sources -f csl-json > hanada.json && pandoc --citeproc --bibliography hanada.json
    """
    from farchron import views

    works = list(app.ledger.sources.values())
    if query is not None:
        from farchron.search import SearchIndex

        hits = SearchIndex.build_sources(works).search(query, None, min_score)
        works = [works[h.index] for h in hits]
    if not works:
        raise NotFound()
    from farchron.works import east_asian_names

    views.write_sources(output_format(fmt), works,
                        east_asian_names(app.ledger.sources.values()))
