"""Shared option decorators: one --format for every listing, one way to say a period."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from farchron.render import LISTING_FORMATS

F = TypeVar("F", bound=Callable[..., Any])


def format_option(*extra: str, default: str | None = None,
                  choices: tuple[str, ...] = LISTING_FORMATS) -> Callable[[F], F]:
    """--format/-f; without it: a table on a terminal, TSV in a pipe (or `default`)."""
    all_choices = (*choices, *extra)

    def deco(f: F) -> F:
        f = click.option(
            "--raw", is_flag=True, expose_value=False, callback=_set_raw,
            help="CSV: cells exactly as they are (by default a text starting with =, +, -, "
                 "@, tab or CR gets a leading ' so a spreadsheet does not run it).")(f)
        return click.option(
            "-f", "--format", "fmt", type=click.Choice(all_choices, case_sensitive=False),
            default=default, show_default=default is not None,
            help="Output format [default: table on a terminal, tsv in a pipe].",
        )(f)

    return deco


def _set_raw(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
    from farchron.render import set_raw_csv

    set_raw_csv(bool(value))
    return bool(value)


def period_options(f: F) -> F:
    """[PERIOD] --from DATE --to DATE: EDTF, plus 216BC and 1939..1941."""
    f = click.option("--to", "date_to", metavar="DATE",
                     help="Through the last day of DATE (--to 1939 = to 31 Dec 1939).")(f)
    f = click.option("--from", "date_from", metavar="DATE",
                     help="From the first day of DATE.")(f)
    return click.argument("period", required=False, metavar="[PERIOD]")(f)


def filter_options(f: F) -> F:
    """--tag, --actor, --place; each may be repeated (any of them matches)."""
    f = click.option("--place", "places", multiple=True, metavar="PLACE",
                     help="Only events at a place whose name contains PLACE.")(f)
    f = click.option("--actor", "actors", multiple=True, metavar="ACTOR",
                     help="Only events with an actor whose name contains ACTOR.")(f)
    return click.option("--tag", "tags", multiple=True, metavar="TAG",
                        help="Only events with this tag (repeat for any of several).")(f)


def search_options(min_default: float, limit_default: int | None) -> Callable[[F], F]:
    """QUERY [PERIOD] --from --to --tag -n/--limit --min-score (search and cite)."""

    def deco(f: F) -> F:
        f = click.option("--min-score", type=click.FloatRange(0, 100), default=min_default,
                         show_default=True, metavar="S",
                         help="Cut-off, 0-100 (a perfect title or alias hit is 100, "
                              "a mention in the summary at most 85).")(f)
        f = click.option("-n", "--limit", type=click.IntRange(min=1), default=limit_default,
                         show_default=True, metavar="N", help="At most N events.")(f)
        f = click.option("--tag", "tags", multiple=True, metavar="TAG",
                         help="Only events with this tag (repeat for any of several).")(f)
        f = period_options(f)
        return click.argument("query")(f)

    return deco
