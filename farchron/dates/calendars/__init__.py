"""The calendar registry: one line per calendar, one module per calendar.

Each module (calendars/julian.py, japanese.py, ...) offers `read(t, text)` for its written
forms, `labels(start, end)` for its display of Gregorian bounds and `BASIS`, the table or
algorithm its conversions rest on. A new calendar is one module plus one line in CALENDARS.

This package is cheap to import: the calendar modules load only when a date needs them (a
warm `timeline 1939 | cat` imports none). The old names (`cal.era_year_bounds`,
`julian_edtf_to_gregorian`, ...) stay importable from here and load their module on first use.
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, Any, NamedTuple

# calendar names: their one home is dates/names.py
from farchron.dates.names import (
    CHINESE,
    FRENCH_REPUBLICAN,
    GREGORIAN,
    HEBREW,
    ISLAMIC,
    JAPANESE,
    JULIAN,
    MINGUO,
)
from farchron.dates.names import (
    ERA_CHOICES as ERA_CHOICES,  # re-exported: the registry says which calendars --era takes
)


class Calendar(NamedTuple):
    """One registry line: what the calendar is, where it lives and what it covers."""

    name: str        # the calendar's name (as --calendar / --era / the date command say it)
    module: str      # its module in this package
    title: str       # how the README and `farchron date` call it
    span: str        # the years it is read and shown for
    example: str     # one written form it reads


#: Oldest reader first where two could claim a text: Chinese reigns before Japanese eras (嘉慶
#: and 大同 are both), the CJK Western year before either.
CALENDARS: tuple[Calendar, ...] = (
    Calendar(GREGORIAN, "gregorian", "Gregorian (CJK form)", "any year", "1939年8月23日"),
    Calendar(JULIAN, "julian", "Julian (Old Style), English dual and Lady Day years",
             "any year", "10 Feb 1750/1"),
    Calendar(MINGUO, "minguo", "Minguo (Republic of China) years", "1912 on", "民國28年"),
    Calendar(CHINESE, "chinese", "Chinese reign years (Qing, Manchukuo), lunisolar",
             "1644–1911, 1932–1945", "光緒二十一年三月二十三日"),
    Calendar(JAPANESE, "japanese", "Japanese era years (nengō)", "645 on",
             "Taishō 11年10月25日"),
    Calendar(ISLAMIC, "islamic", "Islamic (Hijri): tabular and Umm al-Qura", "622 on",
             "15 Ramadan 1363 AH"),
    Calendar(FRENCH_REPUBLICAN, "french_republican", "French Republican",
             "1792–1805, 1871", "18 Brumaire an VIII"),
    Calendar(HEBREW, "hebrew", "Hebrew", "any year from 3761 BC", "15 Nisan 5705"),
)
BY_NAME = {c.name: c for c in CALENDARS}


def module(name: str) -> ModuleType:
    """The module of calendar `name` (imported on first use)."""
    return import_module(f"{__name__}.{BY_NAME[name].module}")


def basis(name: str) -> str:
    """The table or algorithm calendar `name` rests on, and its source."""
    return str(module(name).BASIS)


#: Words of a date written in English in the Western calendars ('23 August 1939', 'early
#: summer 1940', 'c. May 1939 AD'): no other calendar's reader takes a text of these words
#: alone (tests/dates/test_calendar_registry.py asks each one), so such a text loads only
#: the Julian module, not the seven others and their patterns (~15 ms of an `audit`).
ENGLISH_WORDS = frozenset({
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "spring", "summer", "autumn", "fall", "winter", "of", "the",
    "early", "mid", "middle", "late", "c", "ca", "circa", "about", "bc", "bce", "ad", "ce",
    "st", "nd", "rd", "th"})


def english(t: str) -> bool:
    """t is ASCII (en dashes aside) and its words are ENGLISH_WORDS (case aside)."""
    import re

    return t.replace("–", "-").isascii() and all(
        w in ENGLISH_WORDS for w in re.findall(r"[a-z]+", t.lower()))


def read(t: str, text: str) -> Any:
    """The base.Reading of t (a normalised written date) in the first calendar that reads it,
    None when none does; DateError (quoting `text`) for an impossible date in one."""
    for cal in (CALENDARS if not english(t) else (BY_NAME[JULIAN],)):
        found = module(cal.name).read(t, text)
        if found is not None:
            return found
    return None


def labels(start: tuple[int, int, int], end: tuple[int, int, int]) -> dict[str, str]:
    """Every calendar's display of Gregorian bounds: {'julian': ..., 'japanese': ..., ...}."""
    out: dict[str, str] = {}
    for cal in CALENDARS:
        out.update(module(cal.name).labels(start, end))
    return out


#: what --era takes: every calendar shown beside a date (Julian is --calendar's)


def era_label(name: str, start: tuple[int, int, int], end: tuple[int, int, int]) -> str:
    """Gregorian bounds in calendar `name` as `--era` shows them: 'Shōwa 14', 'Minguo 28',
    'Guangxu 21', '7 Rajab 1358 AH' (tabular), '18 Brumaire an VIII', '8 Elul 5699'."""
    mod = module(name)
    if name == JAPANESE:
        return str(mod.japanese_label(start, end))
    if name == MINGUO:
        return str(mod.minguo_label(start, end))
    return next(iter(mod.labels(start, end).values()), "")


def bases() -> dict[str, str]:
    """{calendar name: basis} for every calendar."""
    return {c.name: basis(c.name) for c in CALENDARS}


# --- the facade of the old calendars module ---------------------------------------------------

_FACADE = {
    "julian": ("add_days gregorian_to_jdn jdn_to_gregorian julian_to_jdn "
               "jdn_to_julian is_julian_leap julian_days_in_month julian_to_gregorian "
               "gregorian_to_julian julian_month_bounds julian_edtf_bounds "
               "julian_edtf_to_gregorian julian_date julian_label julian_display display_in"),
    "japanese": ("Era ERAS JAPAN_GREGORIAN_FROM LUNISOLAR_NOTE era_by_name era_year_is_exact "
                 "era_year_bounds japanese_era japanese_label premodern_eras"),
    "minguo": "MINGUO_EPOCH minguo_to_gregorian_year minguo_label",
    "base": "EraReading Reading",
}
_WHERE = {attr: mod for mod, names in _FACADE.items() for attr in names.split()}
_WHERE.update(kanji_number="farchron.dates.names", days_in_month="farchron.dates.edtf")


def parse_era_text(t: str, text: str) -> tuple[str, bool, str] | None:
    """(Gregorian EDTF, approximate, note) of a Japanese era, Minguo, Chinese reign or CJK
    Western date in t (NFKC normalised), None when t is none of them; DateError quoting `text`
    for an impossible one ('Taishō 16', '昭和元年12月1日')."""
    for name in (GREGORIAN, MINGUO, CHINESE, JAPANESE):
        found = module(name).read(t, text)
        if found is not None:
            return found.gregorian, found.approximate, found.note
    return None


def __getattr__(attr: str) -> Any:
    mod = _WHERE.get(attr)
    if mod is None:
        raise AttributeError(f"module {__name__!r} has no attribute {attr!r}")
    full = mod if "." in mod else f"{__name__}.{mod}"
    return getattr(import_module(full), attr)


if TYPE_CHECKING:  # the facade's names, for type checkers
    from farchron.dates.calendars.base import EraReading as EraReading
    from farchron.dates.calendars.base import Reading as Reading
    from farchron.dates.calendars.japanese import (
        ERAS as ERAS,
    )
    from farchron.dates.calendars.japanese import (
        JAPAN_GREGORIAN_FROM as JAPAN_GREGORIAN_FROM,
    )
    from farchron.dates.calendars.japanese import Era as Era
    from farchron.dates.calendars.japanese import era_by_name as era_by_name
    from farchron.dates.calendars.japanese import era_year_bounds as era_year_bounds
    from farchron.dates.calendars.japanese import era_year_is_exact as era_year_is_exact
    from farchron.dates.calendars.japanese import japanese_era as japanese_era
    from farchron.dates.calendars.japanese import japanese_label as japanese_label
    from farchron.dates.calendars.julian import add_days as add_days
    from farchron.dates.calendars.julian import display_in as display_in
    from farchron.dates.calendars.julian import gregorian_to_jdn as gregorian_to_jdn
    from farchron.dates.calendars.julian import gregorian_to_julian as gregorian_to_julian
    from farchron.dates.calendars.julian import is_julian_leap as is_julian_leap
    from farchron.dates.calendars.julian import jdn_to_gregorian as jdn_to_gregorian
    from farchron.dates.calendars.julian import jdn_to_julian as jdn_to_julian
    from farchron.dates.calendars.julian import julian_date as julian_date
    from farchron.dates.calendars.julian import julian_days_in_month as julian_days_in_month
    from farchron.dates.calendars.julian import julian_display as julian_display
    from farchron.dates.calendars.julian import julian_edtf_bounds as julian_edtf_bounds
    from farchron.dates.calendars.julian import (
        julian_edtf_to_gregorian as julian_edtf_to_gregorian,
    )
    from farchron.dates.calendars.julian import julian_label as julian_label
    from farchron.dates.calendars.julian import julian_month_bounds as julian_month_bounds
    from farchron.dates.calendars.julian import julian_to_gregorian as julian_to_gregorian
    from farchron.dates.calendars.julian import julian_to_jdn as julian_to_jdn
    from farchron.dates.calendars.minguo import minguo_label as minguo_label
    from farchron.dates.calendars.minguo import (
        minguo_to_gregorian_year as minguo_to_gregorian_year,
    )
    from farchron.dates.edtf import days_in_month as days_in_month
    from farchron.dates.names import kanji_number as kanji_number
