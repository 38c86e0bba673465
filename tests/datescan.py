"""A small date scanner for the audit tests, standing in for farchron.humandates.

It implements the scanner interface audit.py expects — find_dates(text) ->
[(start, end, matched_text, result with .edtf)] — for the forms the test drafts and the
paper use, resolving dates without a year (and "the 17th", "that same day", "the middle
of that month") against the dates before them. The real scanner replaces it at merge.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MONTHS = {m: n for n, ms in enumerate(
    [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
     ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
     ("september", "sept", "sep"), ("october", "oct"), ("november", "nov"),
     ("december", "dec")], start=1) for m in ms}
_SEASONS = {"spring": 21, "summer": 22, "fall": 23, "autumn": 23, "winter": 24}
_M = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_D = r"(?:[0-9]{1,2})(?:st|nd|rd|th)?"
_Y = r"(?:1[0-9]{3}|20[0-9]{2})"
_S = r"(?:spring|summer|fall|autumn|winter)"

_PATTERNS = [
    ("md_md", rf"(?:from|between)\s+(?P<a_m>{_M})\s+(?P<a_d>{_D})(?:,\s+(?P<a_y>{_Y}))?"
              rf"\s+(?:to|and|until)\s+(?P<b_m>{_M})?\s*(?P<b_d>{_D})(?:,\s+(?P<b_y>{_Y}))?\b"),
    ("md_d", rf"(?P<m>{_M})\s+(?P<d1>{_D})\s+(?:and|to)\s+(?P<d2>{_D})(?:,\s+(?P<y>{_Y}))?\b"),
    ("season_season", rf"(?:from )?(?P<s1>{_S}) to (?P<s2>{_S})\s+(?P<y>{_Y})\b"),
    ("m_m", rf"(?:between|from)\s+(?P<m1>{_M})\s+(?:and|to)\s+(?P<m2>{_M}),?\s+(?P<y>{_Y})\b"),
    ("years", rf"(?:between|from)\s+(?P<y1>{_Y})\s+(?:and|to)\s+(?P<y2>{_Y})\b"),
    ("mdy", rf"(?P<m>{_M})\s+(?P<d>{_D})(?:,?\s+(?P<y>{_Y}))?(?![0-9])"),
    ("dmy", rf"(?P<d>[0-9]{{1,2}})\s+(?P<m>{_M})(?: (?P<y>{_Y}))?\b"),
    ("my", rf"(?P<m>{_M}),?\s+(?P<y>{_Y}|[0-9]{{1,3}} BC)\b"),
    ("end_y", rf"(?:the )?end of (?P<y>{_Y})\b"),
    ("end_m", rf"(?:the )?end of (?P<m>{_M})\b"),
    ("mid", r"(?:the )?middle of that month"),
    ("nth", r"(?<=on )the (?P<d>[0-9]{1,2})(?:st|nd|rd|th)\b"),
    ("until", rf"(?<=until )(?P<m>{_M})\s+(?P<d>{_D})(?:,\s+(?P<y>{_Y}))?(?![0-9])"),
    ("same_day", r"(?:that|the) same day"),
    ("year", rf"(?<![0-9.,])(?P<y>{_Y})(?![0-9%]|s\b)"),
]
# Group names are prefixed with their pattern's name: one regex may not repeat a name.
_RE = re.compile("|".join(f"(?P<{n}>{p.replace('(?P<', f'(?P<{n}_')})" for n, p in _PATTERNS))


@dataclass(frozen=True)
class Found:
    edtf: str


def _y(year: int) -> str:
    """An EDTF year: four digits, '-' before years before 1 AD."""
    return f"{year:04d}" if year >= 0 else f"-{-year:04d}"


def _month(name: str) -> int:
    return _MONTHS[name.lower()]


def _day(text: str) -> int:
    return int(re.match(r"[0-9]+", text).group(0))  # type: ignore[union-attr]


def find_dates(text: str) -> list[tuple[int, int, str, Found]]:
    """Every date expression of `text`, in order, as EDTF."""
    out: list[tuple[int, int, str, Found]] = []
    y: int | None = None
    m: int | None = None
    d: int | None = None
    for hit in _RE.finditer(text):
        kind = hit.lastgroup
        assert kind is not None
        g = {k[len(kind) + 1:]: v for k, v in hit.groupdict().items()
             if k.startswith(kind + "_")}
        edtf = None
        if kind == "md_md":
            ya = int(g["a_y"]) if g["a_y"] else y
            yb = int(g["b_y"]) if g["b_y"] else ya
            ma, mb = _month(g["a_m"]), _month(g["b_m"]) if g["b_m"] else _month(g["a_m"])
            if ya:
                edtf = (f"{_y(ya)}-{ma:02d}-{_day(g['a_d']):02d}/"
                        f"{_y(yb)}-{mb:02d}-{_day(g['b_d']):02d}")
                y, m, d = yb, mb, _day(g["b_d"])
        elif kind == "md_d":
            yy = int(g["y"]) if g["y"] else y
            mm = _month(g["m"])
            if yy:
                day = f"{_y(yy)}-{mm:02d}-"
                edtf = f"{day}{_day(g['d1']):02d}/{day}{_day(g['d2']):02d}"
                y, m, d = yy, mm, _day(g["d1"])
        elif kind == "season_season":
            yy = int(g["y"])
            edtf = f"{yy}-{_SEASONS[g['s1']]}/{yy}-{_SEASONS[g['s2']]}"
            y = yy
        elif kind == "m_m":
            yy = int(g["y"])
            edtf = f"{yy}-{_month(g['m1']):02d}/{yy}-{_month(g['m2']):02d}"
            y, m = yy, _month(g["m2"])
        elif kind == "years":
            edtf = f"{g['y1']}/{g['y2']}"
            y = int(g["y2"])
        elif kind in ("mdy", "dmy"):
            yy = int(g["y"]) if g["y"] else y
            if yy:
                y, m, d = yy, _month(g["m"]), _day(g["d"])
                edtf = f"{_y(y)}-{m:02d}-{d:02d}"
        elif kind == "my":
            ys = g["y"]
            yy = 1 - int(ys[:-3]) if ys.endswith("BC") else int(ys)
            y, m = yy, _month(g["m"])
            edtf = f"{_y(yy)}-{m:02d}" if yy >= 0 else f"-{-yy:04d}-{m:02d}"
        elif kind == "until":
            yy = int(g["y"]) if g["y"] else y
            if yy:
                y, m, d = yy, _month(g["m"]), _day(g["d"])
                edtf = f"../{_y(y)}-{m:02d}-{d:02d}"
        elif kind == "end_y":
            y, m = int(g["y"]), 12
            edtf = f"{y}-12~"
        elif kind == "end_m" and y:
            m = _month(g["m"])
            edtf = f"{y}-{m:02d}~"
        elif kind == "mid" and y and m:
            edtf = f"{y}-{m:02d}~"
        elif kind == "nth" and y and m:
            d = int(g["d"])
            edtf = f"{y}-{m:02d}-{d:02d}"
        elif kind == "same_day" and y and m and d:
            edtf = f"{y}-{m:02d}-{d:02d}"
        elif kind == "year":
            y, m, d = int(g["y"]), None, None
            edtf = g["y"]
        if edtf:
            out.append((hit.start(), hit.end(), hit.group(0), Found(edtf)))
    return out
