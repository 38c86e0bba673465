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
    from farchron.model import Event, Ledger
    from farchron.query import Period
    from farchron.search import SearchIndex


class App:
    """Where the data is, whether the cache may be used, and the ledger once loaded."""

    def __init__(self, data: str | None, use_cache: bool = True) -> None:
        self.data_option = data
        self.use_cache = use_cache
        self._ledger: Ledger | None = None

    @property
    def data_dir(self) -> Path:
        from farchron.ledger import find_data_dir

        return find_data_dir(self.data_option)

    @property
    def ledger(self) -> Ledger:
        if self._ledger is None:
            from farchron.cache import BIG, load_cached

            self._ledger = load_cached(self.data_dir, self.use_cache)
            if len(self._ledger.events) >= BIG:
                from farchron.stdio import request_fast_exit

                request_fast_exit()
        return self._ledger

    def event_index(self) -> SearchIndex:
        """The search index of the events (cached beside the ledger unless --no-cache)."""
        from farchron.search import event_index

        return event_index(self.ledger, self.use_cache)


pass_app = click.make_pass_decorator(App)


def build_period(period: str | None, date_from: str | None, date_to: str | None) -> Period:
    """The Period of [PERIOD] --from --to; a bad date is a usage error (exit 2)."""
    from farchron.dates import DateError
    from farchron.query import Period

    try:
        return Period.build(period, date_from, date_to)
    except DateError as exc:
        raise UsageError(str(exc)) from None


def output_format(fmt: str | None) -> str:
    """The --format asked for, else a table on a terminal and TSV in a pipe."""
    from farchron.render import default_format

    return fmt.lower() if fmt else default_format()


def events_in(app: App, p: str | None, date_from: str | None, date_to: str | None,
              tags: Sequence[str], actors: Sequence[str], places: Sequence[str],
              nothing: str) -> tuple[Period, list[Event]]:
    """The period and its selected events; none is grep's exit 1, said on stderr."""
    from farchron import query

    when = build_period(p, date_from, date_to)
    events = query.select(app.ledger.events, when, tags=tags, actors=actors, places=places)
    if not events:
        raise NotFound(nothing)
    return when, events
