"""What every command shares: the App (data folder, ledger loaded once), and the small
steps from options to core calls (a period, a format, the selected events).

Commands take `app: App` through `@pass_app`; nothing here prints.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from farchron.errors import NotFound, UsageError

if TYPE_CHECKING:
    from farchron.model.records import Event, Ledger
    from farchron.query.search import SearchIndex
    from farchron.query.selection import Period


class App:
    """Where the data is, whether the cache may be used, and the ledger once loaded."""

    def __init__(self, data: str | None, use_cache: bool = True) -> None:
        self.data_option = data
        self.use_cache = use_cache
        self._ledger: Ledger | None = None

    @property
    def data_dir(self) -> Path:
        """The ledger's folder; a folder named by --data or $FARCHRON_DATA must exist and
        hold a ledger (else a usage error that says so, not "the ledger is invalid")."""
        from farchron.ledger.folder import EVENTS_FILE, find_data_dir

        folder = find_data_dir(self.data_option)
        if not folder.is_dir():
            raise UsageError(f"{folder / EVENTS_FILE}: no such file: there is no folder "
                             f"{folder} (see --data or $FARCHRON_DATA)")
        if not (folder / EVENTS_FILE).exists() and not (folder / "sources.toml").exists():
            raise UsageError(f"{folder / EVENTS_FILE}: no such file: {folder} holds no "
                             f"ledger (farchron init {folder} starts one)")
        return folder

    @property
    def ledger(self) -> Ledger:
        if self._ledger is None:
            from farchron.store.cache import BIG, open_ledger

            self._ledger = open_ledger(self.data_dir, self.use_cache)
            if len(self._ledger.events) >= BIG:
                from farchron.cli.stdio import request_fast_exit

                request_fast_exit()
        return self._ledger

    def event_index(self) -> SearchIndex:
        """The search index of the events (cached beside the ledger unless --no-cache)."""
        from farchron.query.search import event_index

        return event_index(self.ledger, self.use_cache)


pass_app = click.make_pass_decorator(App)


def build_period(period: str | None, date_from: str | None, date_to: str | None) -> Period:
    """The Period of [PERIOD] --from --to; a bad date is a usage error (exit 2)."""
    from farchron.dates.edtf import DateError
    from farchron.query.selection import Period

    try:
        return Period.build(period, date_from, date_to)
    except DateError as exc:
        raise UsageError(str(exc)) from None


def output_format(fmt: str | None) -> str:
    """The --format asked for, else a table on a terminal and TSV in a pipe."""
    from farchron.render.output import default_format

    return fmt.lower() if fmt else default_format()


def events_in(app: App, p: str | None, date_from: str | None, date_to: str | None,
              tags: Sequence[str], actors: Sequence[str], places: Sequence[str],
              nothing: str) -> tuple[Period, list[Event]]:
    """The period and its selected events; none is grep's exit 1, said on stderr."""
    from farchron.query import selection as query

    when = build_period(p, date_from, date_to)
    events = query.select(app.ledger.events, when, tags=tags, actors=actors, places=places)
    if not events:
        raise NotFound(nothing)
    return when, events


def query_and_period(words: Sequence[str], period: str | None) -> tuple[str, str | None]:
    """QUERY from its words and PERIOD from --period, or from the last word when it parses
    as a period ("Potsdam Declaration" is all query; "togo 1941..1945" is not). A blank
    query is a usage error (exit 2)."""
    from farchron.dates.edtf import DateError, parse_period

    words = [w for w in words if w.strip()]
    if period is None and len(words) > 1:
        try:
            parse_period(words[-1])
        except DateError:
            pass
        else:
            period = words.pop()
    if not words:
        raise click.UsageError("QUERY is empty: give a word or more to look for")
    return " ".join(words), period


def period_label(period: str | None, date_from: str | None, date_to: str | None) -> str:
    """The period as the user wrote it, for messages."""
    if period:
        return period
    return " ".join(f"{k} {v}" for k, v in (("from", date_from), ("to", date_to)) if v) \
        or "the ledger"


def why_no_events(app: App, when: Period, label: str, within: bool = False,
                  **filters: Sequence[str]) -> str:
    """Why a selection is empty: the period holds nothing, or the filters left nothing."""
    from farchron.query import selection as query

    in_period = query.select(app.ledger.events, when)
    if not in_period:
        return f"no events in {label}: the ledger spans {query.ledger_span(app.ledger)}"
    asked = "; ".join(f"{name.rstrip('s').replace('_', ' ')} {', '.join(v)}"
                      for name, v in filters.items() if v)
    if within:
        asked = "; ".join(x for x in (asked, "--match within") if x)
    n = len(in_period)
    return f"{n} event{'s' if n != 1 else ''} in {label}, none with {asked or 'those filters'}"


def why_no_hits(app: App, query: str, when: Period, label: str, min_score: float, *,
                tags: Sequence[str] = (), actors: Sequence[str] = (),
                places: Sequence[str] = ()) -> str:
    """Why a search found nothing: its period and filters, or the best score under the
    cut-off, and the cut-off that would show it."""
    from farchron.query.selection import search_events, select

    if not select(app.ledger.events, when, tags=tags, actors=actors, places=places):
        return why_no_events(app, when, label, tags=tags, actors=actors, places=places)
    best = search_events(app.ledger, app.event_index(), query, when, limit=1, min_score=0,
                         tags=tags, actors=actors, places=places)
    if not best or best[0][1].score <= 0:
        return f"nothing scored ≥ {min_score:g}, nor anything at all"
    event, hit = best[0]
    try_score = max(0, int(hit.score // 10) * 10)
    return (f"nothing scored ≥ {min_score:g}; best: {event.id} {hit.score:.0f} — "
            f"try --min-score {try_score}")
