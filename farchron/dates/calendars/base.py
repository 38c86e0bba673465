"""What every calendar module shares: the Reading it returns and small EDTF helpers.

A calendar module (see the registry in calendars/__init__.py) offers
`read(t, text) -> Reading | None` for its written forms, `labels(start, end) -> dict` for its
display of Gregorian bounds, and `BASIS`, the table or algorithm its conversions rest on.
"""

from __future__ import annotations

from typing import NamedTuple

from farchron.dates.edtf import DateError, parse

#: What the old parse_era_text returns: (Gregorian EDTF, approximate, note)
EraReading = tuple[str, bool, str]


class Reading(NamedTuple):
    """A date read in some calendar: `edtf` as the ledger keeps it (as printed for the Julian
    calendar, else Gregorian), the calendar it is kept in, its Gregorian EDTF, and how it
    was read."""

    edtf: str
    calendar: str          # "gregorian" or "julian": what the ledger's `calendar` field says
    gregorian: str
    approximate: bool
    note: str
    basis: str = ""        # the calendar the text was written in, e.g. "chinese"


def year_edtf(y: int) -> str:
    """EDTF of a year, astronomical numbering: 1939 → '1939', -215 → '-0215'."""
    return f"-{-y:04d}" if y < 0 else f"{y:04d}"


def check_edtf(edtf: str, text: str) -> None:
    """Raise DateError quoting `text` when edtf is not a valid EDTF date."""
    try:
        parse(edtf)
    except DateError as err:
        raise DateError(f"invalid date '{text}': {str(err).partition(': ')[2]}") from None


def span_edtf(lo: tuple[int, int, int], hi: tuple[int, int, int]) -> str:
    """EDTF of the days lo..hi: one day, or an interval of days."""
    from farchron.dates.edtf import iso

    return iso(lo) if lo == hi else f"{iso(lo)}/{iso(hi)}"


def gregorian(text: str, edtf: str, note: str, *, approximate: bool = False,
              basis: str = "") -> Reading:
    """A Reading kept as its Gregorian equivalent."""
    return Reading(edtf, "gregorian", edtf, approximate, note, basis)
