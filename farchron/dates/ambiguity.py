"""Dates with two readings: '1918-22' is summer 1918 in EDTF and 1918 to 1922 as historians
write it. The command line, `add` and the CSV importer refuse them unless told the text is
EDTF; `check` warns about one in the ledger. Cheap: one regex, no parser.
"""

from __future__ import annotations

import re

from farchron.dates.names import MONTH_ABBR, MONTH_NAME, SEASONS

_HYPHEN_PAIR = re.compile(r"\s*(-?[0-9]{4})-([0-9]{1,2})\s*")


def ambiguous_reading(text: str) -> str | None:
    """Why `text` is both an EDTF date and a plausible range of years, or None.

    '1918-22' is summer 1918 in EDTF and 1918 to 1922 as a historian writes it; '1905-07' is
    July 1905 or 1905 to 1907; '1904-5' is no EDTF but reads as May 1904 or 1904 to 1905.
    A range is plausible when its end is later than its start (1939-08 is only August 1939).
    The message names both readings and how to write each.
    """
    m = _HYPHEN_PAIR.fullmatch(text)
    if m is None:
        return None
    y, tail = int(m[1]), m[2]
    n = int(tail)
    if len(tail) == 2 and not (1 <= n <= 12 or 21 <= n <= 24):
        return None  # 1939-45: no EDTF month or season, so only the range
    if len(tail) == 1 and n == 0:
        return None
    scale = 10 ** len(tail)
    end = y - y % scale + n
    if end <= y:
        return None
    first, last = f"{y:04d}", f"{end:04d}"
    if n > 12:
        meaning = f"{SEASONS[n][0]} {y}"
        write = f"'{meaning}'"
    else:
        meaning = f"{MONTH_NAME[n]} {y}"
        write = f"'{MONTH_ABBR[n]} {y}'"
    edtf_part = (f"{text.strip()} as EDTF is {meaning}" if len(tail) == 2
                 else f"{text.strip()} may mean {meaning}")
    return (f"ambiguous date '{text.strip()}': {first}/{last} for {first} to {last}; "
            f"{edtf_part}: write {write} (or give --edtf to read it as EDTF)")
