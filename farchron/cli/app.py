"""What every command shares: the App (data folder, ledger loaded once), and the small
steps from options to core calls (a period, a format, the selected events).

Commands take `app: App` through `@pass_app`; nothing here prints.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from farchron.dates.names import GREGORIAN, JULIAN
from farchron.errors import NotFound, UsageError

if TYPE_CHECKING:
    from pathlib import Path

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
        from pathlib import Path

        return Path(self.folder)

    @property
    def folder(self) -> str:
        """data_dir as a str: what the warm path uses (pathlib costs ~3 ms of start-up)."""
        import os

        from farchron.ledger.folder import EVENTS_FILE, SOURCES_FILE, find_folder

        folder = find_folder(self.data_option)
        events = EVENTS_FILE if folder == "." else os.path.join(folder, EVENTS_FILE)  # as Path
        if not os.path.isdir(folder):
            raise UsageError(f"{events}: no such file: there is no folder "
                             f"{folder} (see --data or $FARCHRON_DATA)")
        if not os.path.exists(events) and not os.path.exists(os.path.join(folder,
                                                                           SOURCES_FILE)):
            raise UsageError(f"{events}: no such file: {folder} holds no "
                             f"ledger (farchron init {folder} starts one)")
        return folder

    @property
    def ledger(self) -> Ledger:
        if self._ledger is None:
            from farchron.store.cache import BIG, open_ledger

            self._ledger = open_ledger(self.folder, self.use_cache)
            if len(self._ledger.events) >= BIG:
                from farchron.cli.stdio import request_fast_exit

                request_fast_exit()
        return self._ledger

    def event_index(self) -> SearchIndex:
        """The search index of the events (cached beside the ledger unless --no-cache)."""
        from farchron.query.search import event_index

        return event_index(self.ledger, self.use_cache)


pass_app = click.make_pass_decorator(App)


def build_period(period: str | None, date_from: str | None, date_to: str | None,
                 calendar: str = GREGORIAN) -> Period:
    """The Period of [PERIOD] --from --to; a bad date is a usage error (exit 2). With
    calendar "julian" the dates are read in the Julian calendar (Oct 1917 = 14 Oct–13 Nov)."""
    from farchron.dates.edtf import DateError
    from farchron.query.selection import Period

    refuse_ambiguous(period, date_from, date_to)
    if calendar == JULIAN:
        period, date_from, date_to = (julian_period(t) for t in (period, date_from, date_to))
    try:
        return Period.build(period, date_from, date_to)
    except DateError as exc:
        raise UsageError(str(exc)) from None


def julian_period(text: str | None) -> str | None:
    """The Gregorian EDTF interval of a date read in the Julian calendar ('Oct 1917' →
    1917-10-14/1917-11-13); a date already marked Old Style or New Style stays as it is."""
    if not text or text.strip() in ("..", ""):
        return text
    import re

    from farchron.dates.edtf import DateError, iso
    from farchron.dates.written import parse_human

    if re.search(r"(?i)\b(?:o\.?s\.?|n\.?s\.?|old style|new style|julian|gregorian)\W*$|"
                 r"ст\.", text):
        return text
    try:
        d = parse_human(text.strip() + " OS").date()
    except DateError:
        return text  # not a date the Julian calendar can hold: the usual error follows
    return f"{iso(d.start)}/{iso(d.end)}"


def julian_hint(app: App, text: str, p: Period, shown: Sequence[Event]) -> None:
    """On a terminal: the Old Style events that PERIOD misses but would hold read in the
    Julian calendar ('4 events dated Oct 1917 OS fall in Nov 1917; try 'Oct 1917 OS'')."""
    import sys

    if not sys.stderr.isatty():
        return
    from farchron.dates.calendars import JULIAN
    from farchron.query.selection import Period, select

    wider = julian_period(text)
    if wider is None or wider == text:
        return
    try:
        jp = Period.build(wider)
    except Exception:
        return
    have = {e.id for e in shown}
    missed = [e for e in select(app.ledger.events, jp)
              if e.calendar == JULIAN and e.id not in have and not p.admits(e.date)]
    if missed:
        from farchron.cli.stdio import say

        n = len(missed)
        say(f"{n} event{'s' * (n != 1)} dated {text} OS fall{'s' * (n == 1)} outside "
            f"{text} (Gregorian); try '{text} OS' or --calendar julian")


def refuse_ambiguous(*texts: str | None) -> None:
    """A usage error for a date that is EDTF and a range of years alike ('1918-22'), unless
    --edtf was given: never misread in silence."""
    if not any(t and "-" in t.strip().lstrip("-") for t in texts):
        return  # no hyphen inside: '1939', 'Oct 1917' (a warm timeline imports nothing more)
    from farchron.dates.ambiguity import ambiguous_reading

    ctx = click.get_current_context(silent=True)
    if ctx is not None and ctx.find_root().meta.get("farchron.edtf"):
        return
    for text in texts:
        why = ambiguous_reading(text) if text else None
        if why:
            raise UsageError(why)


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
