"""Shared option decorators: one --format for every listing, one way to say a period."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from farchron.dates.names import ERA_CHOICES, GREGORIAN, JULIAN
from farchron.render.output import LISTING_FORMATS

F = TypeVar("F", bound=Callable[..., Any])


def format_option(*extra: str, default: str | None = None,
                  choices: tuple[str, ...] = LISTING_FORMATS) -> Callable[[F], F]:
    """--format/-f; without it: a table on a terminal, TSV in a pipe (or `default`)."""
    all_choices = (*choices, *extra)

    def deco(f: F) -> F:
        f = header_option(f)
        f = click.option(
            "--bom", is_flag=True, expose_value=False, callback=_set_bom,
            help="CSV: start with a UTF-8 byte-order mark, so LibreOffice and Excel read "
                 "Cyrillic, kana and the en dash of \"May–Sep 1939\" as UTF-8 (BC dates "
                 "stay text in the `when` column: \"Aug 216 BC\").")(f)
        f = click.option(
            "--raw", is_flag=True, expose_value=False, callback=_set_raw,
            help="CSV: cells exactly as they are (by default a text starting with =, +, -, "
                 "@, tab or CR gets a leading ' so a spreadsheet does not run it).")(f)
        return click.option(
            "-f", "--format", "fmt", type=click.Choice(all_choices, case_sensitive=False),
            default=default, show_default=default is not None,
            help="Output format [default: table on a terminal, tsv in a pipe; "
                 "ids: one id a line].",
        )(f)

    return deco


def _set_bom(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
    from farchron.render.output import set_csv_bom

    set_csv_bom(bool(value))
    return bool(value)


def _set_raw(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
    from farchron.render.output import set_raw_csv

    set_raw_csv(bool(value))
    return bool(value)


def _set_edtf(ctx: click.Context, _param: click.Parameter, value: bool) -> bool:
    if value:
        ctx.meta["farchron.edtf"] = True
    return value


def edtf_option(f: F) -> F:
    """--edtf: dates are EDTF exactly (1918-22 is summer 1918, not 1918 to 1922)."""
    return click.option("--edtf", is_flag=True, expose_value=False, callback=_set_edtf,
                        help="Read dates as EDTF only: 1918-22 is summer 1918 and 1905-07 "
                             "July 1905 (without it such a date, also a range of years, is "
                             "refused).")(f)


def period_options(f: F) -> F:
    """[PERIOD] --from DATE --to DATE: EDTF, plus 216BC and 1939..1941; --edtf."""
    f = edtf_option(f)
    f = click.option("--to", "date_to", metavar="DATE",
                     help="Through the last day of DATE (--to 1939 = to 31 Dec 1939).")(f)
    f = click.option("--from", "date_from", metavar="DATE",
                     help="From the first day of DATE.")(f)
    return click.argument("period", required=False, metavar="[PERIOD]")(f)


def filter_options(f: F) -> F:
    """--tag, --actor, --place; each may be repeated (any of them matches)."""
    f = click.option("--place", "places", multiple=True, metavar="PLACE",
                     shell_complete=complete_places,
                     help="Only events at a place whose name contains PLACE.")(f)
    f = click.option("--actor", "actors", multiple=True, metavar="ACTOR",
                     shell_complete=complete_actors,
                     help="Only events with an actor whose name contains ACTOR.")(f)
    return click.option("--tag", "tags", multiple=True, metavar="TAG",
                        shell_complete=complete_tags,
                        help="Only events with this tag (repeat for any of several).")(f)


def search_options(min_default: float, limit_default: int | None) -> Callable[[F], F]:
    """QUERY... [PERIOD] --period --from --to --tag --actor --place -n/--limit --min-score
    (search and cite). QUERY is several words, no quotes needed; the last one is PERIOD
    only when it parses as one (app.query_and_period)."""

    def deco(f: F) -> F:
        f = click.option("--min-score", type=click.FloatRange(0, 100), default=min_default,
                         show_default=True, metavar="S",
                         help="Cut-off, 0-100 (a perfect title or alias hit is 100, "
                              "a mention in the summary at most 85).")(f)
        f = click.option("-n", "--limit", type=click.IntRange(min=1), default=limit_default,
                         show_default=True, metavar="N", help="At most N events.")(f)
        f = filter_options(f)
        f = edtf_option(f)
        f = click.option("--to", "date_to", metavar="DATE",
                         help="Through the last day of DATE (--to 1939 = to 31 Dec 1939).")(f)
        f = click.option("--from", "date_from", metavar="DATE",
                         help="From the first day of DATE.")(f)
        f = click.option("--period", metavar="PERIOD",
                         help="Only events in PERIOD (also: a last word that is a date).")(f)
        return click.argument("query", nargs=-1, required=True, metavar="QUERY... [PERIOD]",
                              shell_complete=complete_event_ids)(f)

    return deco




def era_option(f: F, help: str = "beside each date; JSON gets an 'era' field.") -> F:
    """--era CALENDAR: the date in another calendar beside each (listings, show, exports)."""
    return click.option("--era", type=click.Choice(ERA_CHOICES, case_sensitive=False),
                        default=None,
                        help="Add the date in another calendar: the Japanese era year (Shōwa "
                             "14), the Minguo year (Minguo 28), the Chinese reign year "
                             "(Guangxu 21), or the Hijri, Republican or Hebrew date "
                             f"{help}")(f)


def calendar_options(f: F) -> F:
    """--calendar gregorian|julian|both and --era japanese|minguo: how dates are shown."""
    f = era_option(f)
    return click.option(
        "--calendar", type=click.Choice(["both", GREGORIAN, JULIAN], case_sensitive=False),
        default="both", show_default=True,
        help="Show dates in the Gregorian or Julian (Old Style) calendar; both: an Old Style "
             "date as printed with its Gregorian day, '20 Dec 1904 OS (2 Jan 1905)'.")(f)


def header_option(f: F) -> F:
    """--header: a first line naming the TSV/CSV columns (CSV always has one)."""
    from farchron.render import output as render

    def remember(_ctx: click.Context, _param: click.Parameter, value: bool) -> bool:
        render.listing_options.tsv_header = value
        return value

    return click.option("--header", is_flag=True, expose_value=False, callback=remember,
                        help="Start TSV with a line naming its columns.")(f)


# ----------------------------------------------------------------------------- completion
# Shell completion of ids, tags, names and note numbers from the ledger (through the
# cache, so a <TAB> costs a cache read). Any failure completes nothing, quietly.


def _ledger(ctx: click.Context) -> Any:
    from farchron.ledger.folder import find_data_dir
    from farchron.store.cache import load_cached

    data = ctx.find_root().params.get("data")
    return load_cached(find_data_dir(data), True)


def _complete(values: Callable[[Any], Any]) -> Callable[..., list[Any]]:
    def complete(ctx: click.Context, _param: click.Parameter, incomplete: str) -> list[Any]:
        from click.shell_completion import CompletionItem

        try:
            got = values(_ledger(ctx))
        except Exception:
            return []
        low = incomplete.casefold()
        seen = dict.fromkeys(str(v) for v in got)
        # "Zh" offers "Georgy Zhukov" too: names are matched by a part (--actor Zhukov)
        return [CompletionItem(v) for v in seen
                if v.casefold().startswith(low) or f" {low}" in f" {v.casefold()}"]

    return complete


complete_event_ids = _complete(lambda led: (e.id for e in led.events))
complete_tags = _complete(lambda led: sorted({t for e in led.events for t in e.tags}))
complete_actors = _complete(lambda led: sorted({a for e in led.events for a in e.actors}))
complete_places = _complete(lambda led: sorted({p for e in led.events for p in e.places}))
complete_source_ids = _complete(lambda led: list(led.sources))
complete_notes = _complete(lambda led: sorted(led.notes))
# `edit ID`: an event, a work, or a note as note:N (what authoring.record_line reads)
complete_record_ids = _complete(lambda led: [*(e.id for e in led.events), *led.sources,
                                             *(f"note:{n}" for n in sorted(led.notes))])
