"""Day arithmetic of the proleptic Gregorian calendar, for any year and without datetime:
leap years, month lengths and day numbers (what the store's bounds and every chart use).

Apart from dates.py, which re-exports these names, only to keep that module small.
"""

from __future__ import annotations

YMD = tuple[int, int, int]

_MONTH_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def is_leap(year: int) -> bool:
    """Proleptic Gregorian leap year; works for astronomical years <= 0 too."""
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def days_in_month(year: int, month: int) -> int:
    """Days in a month of the proleptic Gregorian calendar (any year, no datetime)."""
    if not 1 <= month <= 12:
        raise ValueError(f"month must be 1-12, not {month}")
    if month == 2 and is_leap(year):
        return 29
    return _MONTH_DAYS[month]


def day_number(ymd: YMD) -> int:
    """Days since 1970-01-01 in the proleptic Gregorian calendar, for any year.

    Howard Hinnant's days_from_civil; floor division keeps it right before year 1.
    """
    y, m, d = ymd
    y -= m <= 2
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def from_day_number(n: int) -> YMD:
    """Inverse of day_number (Hinnant's civil_from_days)."""
    n += 719468
    era = n // 146097
    doe = n - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    return (yoe + era * 400 + (m <= 2), m, d)
