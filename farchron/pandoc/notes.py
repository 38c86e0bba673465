"""Ledger keys to Chicago notes: what `[@event-id]`, `[see @work-id, 12–14]` and
`@event-id` become in a manuscript.

One `Citer` per document numbers its notes across the whole text through the same
`farchron.cite.chicago.Notes` that `farchron cite` uses, so an event's note is the note `cite`
prints for it (full, then short, "Ibid." only after a note citing that work alone,
CMOS 18 with `edition=18`). Prefixes and suffixes (`see`, `, for the losses`) are set
around the work they belong to; works are joined by semicolons, one note a place.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from farchron.cite.chicago import Notes, event_works, family_name, join_names
from farchron.cite.typeset import Run
from farchron.cite.works import names
from farchron.model.records import Citation

if TYPE_CHECKING:
    from farchron.model.records import Event, Ledger

#: What a key names in a ledger.
EVENT, WORK, BOTH, UNKNOWN = "event", "work", "both", "unknown"

#: Periods that end an abbreviation and stay before a semicolon or a suffix (as in
#: farchron.cite.chicago's joining of works: "Ibid.; ...", "... et al., 12").
_ABBREVIATION = re.compile(r"(?:Ibid|al|n\.d|eds?|trans|vol)\.$")

_MONTHS = {"Jan": "January", "Feb": "February", "Mar": "March", "Apr": "April",
           "Jun": "June", "Jul": "July", "Aug": "August", "Sep": "September",
           "Oct": "October", "Nov": "November", "Dec": "December"}
_MONTH = "(January|February|March|April|May|June|July|August|September|October|November|" \
    "December)"

#: The two date styles of `farchron-date-style`, by the example the user gives.
DAY_MONTH, MONTH_DAY = "23 August 1939", "August 23, 1939"


def date_style(value: str | None) -> str:
    """DAY_MONTH or MONTH_DAY from the metadata's example ("23 August 1939", "August 23,
    1939", or day-month / month-day); ValueError otherwise."""
    if value is None:
        return DAY_MONTH
    v = value.strip().lower()
    if v[:1].isdigit() or v in ("day-month", "dmy", "british"):
        return DAY_MONTH
    if re.match(r"[a-z]+ \d", v) or v in ("month-day", "mdy", "american"):
        return MONTH_DAY
    raise ValueError(f'farchron-date-style is "{DAY_MONTH}" or "{MONTH_DAY}", not "{value}"')


def styled_date(shown: str, style: str = DAY_MONTH) -> str:
    """An event's date as farchron shows it ("23 Aug 1939", "May–Sep 1939") in prose:
    months in full, and for MONTH_DAY the month first ("August 23, 1939")."""
    text = re.sub(r"\b(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b",
                  lambda m: _MONTHS[m.group(1)], shown)
    if style != MONTH_DAY:
        return text
    text = re.sub(rf"\b(\d{{1,2}})–(\d{{1,2}}) {_MONTH}", r"\3 \1–\2", text)
    text = re.sub(rf"\b(\d{{1,2}}) {_MONTH}", r"\2 \1", text)
    return re.sub(rf"\b({_MONTH} \d{{1,2}}(?:–\d{{1,2}})?) (\d+)", r"\1, \3", text)


@dataclass
class Item:
    """One citation of a pandoc Cite: its key, prefix, locator and suffix (as runs)."""

    key: str
    prefix: list[Run] = field(default_factory=list)
    locator: str = ""
    suffix: list[Run] = field(default_factory=list)


def _text(runs: Sequence[Run]) -> str:
    return "".join(t for t, _i in runs)


def open_end(runs: Sequence[Run]) -> list[Run]:
    """A citation without its closing period, for a semicolon or a suffix to follow
    ("...), 159" ; "Ibid." keeps its period; a quoted title keeps its closing mark)."""
    out = list(runs)
    if not out:
        return out
    text, italic = out[-1]
    if text.endswith(".”"):
        out[-1] = (text[:-2] + "”", italic)
    elif text.endswith(".") and not _ABBREVIATION.search(text):
        out[-1] = (text[:-1], italic)
    return out


def close(runs: Sequence[Run]) -> list[Run]:
    """End with one period, inside a closing quotation mark (American style)."""
    out = [r for r in runs if r[0]]
    if not out:
        return out
    text, italic = out[-1]
    stripped = text.rstrip()
    if stripped.endswith((".", "?", "!", ".”", "?”", "!”")):
        out[-1] = (stripped, italic)
    elif stripped.endswith("”"):
        out[-1] = (stripped[:-1] + ".”", italic)
    else:
        out[-1] = (stripped, italic)
        out.append((".", False))
    return out


def with_suffix(runs: Sequence[Run], suffix: Sequence[Run]) -> list[Run]:
    """A citation followed by its suffix; a comma opening the suffix goes inside a
    closing quotation mark ("“Title,” for the figures")."""
    out = open_end(runs)
    suffix = list(suffix)
    if out and suffix and _text(suffix).lstrip().startswith(","):
        text, italic = out[-1]
        if text.endswith("”"):
            out[-1] = (text[:-1] + ",”", italic)
            first, it = suffix[0]
            suffix[0] = (first.lstrip()[1:], it)
    elif out and suffix and not _text(suffix)[:1].isspace():
        out.append((" ", False))
    return out + suffix


class Citer:
    """A document's ledger citations: notes numbered across the whole text, in-text
    dates, and the bibliography of the works cited."""

    def __init__(self, ledger: Ledger, edition: int = 17, style: str = DAY_MONTH) -> None:
        self.ledger = ledger
        self.book = Notes(ledger.sources, edition=edition)
        self.style = style
        self._events: dict[str, Event | None] = {}

    def event(self, key: str) -> Event | None:
        """The event of that id, looked up once per key (a cached ledger finds an id by
        scanning its list)."""
        if key not in self._events:
            self._events[key] = self.ledger.event(key)
        return self._events[key]

    def kind(self, key: str) -> str:
        """EVENT, WORK, BOTH (an error: the key is ambiguous) or UNKNOWN."""
        is_work = key in self.ledger.sources
        is_event = self.event(key) is not None
        if is_work and is_event:
            return BOTH
        return WORK if is_work else EVENT if is_event else UNKNOWN

    def _works(self, item: Item) -> list[Citation]:
        event = self.event(item.key)
        if event is not None:
            return event_works(event, self.ledger)
        return [Citation(item.key, None, item.locator or None, None)]

    def note(self, items: Sequence[Item], inline: bool = False,
             after_text: bool = False) -> list[Run]:
        """One note citing every item, counted in the document's sequence; [] when the
        items resolve to no work. `inline`: no closing period (inside the author's own
        footnote, the sentence is the author's); `after_text`: words come before it, so
        no capital ("See ibid., 12")."""
        works = [self._works(it) for it in items]
        footnote = self.book.add_group([w for ws in works for w in ws])
        if not footnote.parts:
            return []
        where = {p.source.id: j for j, p in enumerate(footnote.parts)}
        prefixes: list[list[Run]] = [[] for _p in footnote.parts]
        suffixes: list[list[Run]] = [[] for _p in footnote.parts]
        for it, ws in zip(items, works, strict=True):
            if ws:
                prefixes[where[ws[0].source or ""]] += it.prefix
                suffixes[where[ws[-1].source or ""]] += it.suffix
        out: list[Run] = []
        last = len(footnote.parts) - 1
        for j, part in enumerate(footnote.parts):
            runs = list(part.runs)
            if suffixes[j]:
                runs = with_suffix(runs, suffixes[j])
            elif j < last or inline:
                runs = open_end(runs)
            if prefixes[j]:
                first, italic = runs[0]
                if first.startswith("Ibid."):
                    runs[0] = ("ibid." + first[5:], italic)  # "See ibid., 12."
                runs = [*prefixes[j], (" ", False), *runs]
            if j < last:
                runs = [*open_end(runs), ("; ", False)]
            out += runs
        out = open_end(out) if inline else close(out)
        text, italic = out[0]
        if after_text and text.startswith("Ibid."):
            out[0] = ("ibid." + text[5:], italic)
        elif not after_text and text[:1].islower():
            out[0] = (text[:1].upper() + text[1:], italic)
        return out

    def gap(self) -> None:
        """The author's own footnote, citing nothing of the ledger: "Ibid." may not reach
        over it."""
        self.book.add_group([])

    def date(self, key: str) -> str:
        """An event's date in prose, in the document's date style."""
        event = self.event(key)
        assert event is not None
        return styled_date(event.display("both"), self.style)

    def authors(self, key: str) -> list[Run]:
        """A work named in the text (`@work-id says`): its authors' family names, else its
        short title in italics."""
        from farchron.cite.chicago import short_title

        source = self.ledger.sources[key]
        who = names(source, "authors") or names(source, "editors")
        if who:
            return [(join_names([family_name(n) for n in who], False, self.book.edition),
                     False)]
        return [(short_title(source), source.type in ("book", "report", "thesis"))]

    def bibliography(self) -> list[list[Run]]:
        """The works cited so far, as a Chicago bibliography."""
        return self.book.bibliography()
