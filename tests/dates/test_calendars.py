"""Tests for farchron.dates.calendars: Julian day arithmetic (round trips over ±5000 years and a
differential against convertdate), Japanese era boundaries, Minguo years, labels."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from farchron.dates import calendars as cal
from farchron.dates.edtf import MAX_YMD, MIN_YMD, DateError, days_in_month

_COMMON = {"deadline": None, "database": None, "suppress_health_check": [HealthCheck.too_slow]}
FAST = settings(max_examples=300, **_COMMON)


@st.composite
def gregorian_days(draw, lo=-5000, hi=5000):
    y = draw(st.integers(lo, hi))
    m = draw(st.integers(1, 12))
    return (y, m, draw(st.integers(1, days_in_month(y, m))))


@st.composite
def julian_days(draw, lo=-5000, hi=5000):
    y = draw(st.integers(lo, hi))
    m = draw(st.integers(1, 12))
    return (y, m, draw(st.integers(1, cal.julian_days_in_month(y, m))))


# --- Julian -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("julian", "gregorian"), [
    ((1904, 12, 20), (1905, 1, 2)),      # fall of Port Arthur, Old Style
    ((1917, 10, 25), (1917, 11, 7)),     # the October Revolution
    ((1582, 10, 4), (1582, 10, 14)),     # the day before the Gregorian reform
    ((1582, 10, 5), (1582, 10, 15)),
    ((1918, 1, 31), (1918, 2, 13)),      # Russia's last Julian day
    ((1900, 2, 29), (1900, 3, 13)),      # a Julian leap day Gregorian lacks
    ((2100, 2, 29), (2100, 3, 14)),
    ((200, 3, 1), (200, 3, 1)),          # the calendars agree in the 3rd century
    ((1, 1, 1), (0, 12, 30)),
    ((-4712, 1, 1), (-4713, 11, 24)),    # JDN 0
])
def test_julian_known_days(julian, gregorian):
    assert cal.julian_to_gregorian(julian) == gregorian
    assert cal.gregorian_to_julian(gregorian) == julian


def test_jdn_anchors():
    assert cal.gregorian_to_jdn((2000, 1, 1)) == 2451545
    assert cal.julian_to_jdn((-4712, 1, 1)) == 0
    assert cal.gregorian_to_jdn((12345, 6, 7)) - cal.gregorian_to_jdn((12345, 6, 6)) == 1


@FAST
@given(gregorian_days(-5000, 5000))
def test_gregorian_jdn_round_trip(ymd):
    assert cal.jdn_to_gregorian(cal.gregorian_to_jdn(ymd)) == ymd


@FAST
@given(julian_days(-5000, 5000))
def test_julian_round_trip(ymd):
    g = cal.julian_to_gregorian(ymd)
    assert cal.gregorian_to_julian(g) == ymd
    # consecutive Julian days are consecutive Gregorian days
    assert cal.gregorian_to_jdn(g) == cal.julian_to_jdn(ymd)


@FAST
@given(gregorian_days(-5000, 5000))
def test_add_days_is_consecutive(ymd):
    nxt = cal.add_days(ymd, 1)
    y, m, d = ymd
    if d < days_in_month(y, m):
        assert nxt == (y, m, d + 1)
    elif m < 12:
        assert nxt == (y, m + 1, 1)
    else:
        assert nxt == (y + 1, 1, 1)
    assert cal.add_days(nxt, -1) == ymd


@FAST
@given(gregorian_days(-5000, 5000))
def test_differential_convertdate(ymd):
    convertdate = pytest.importorskip("convertdate")
    assert cal.gregorian_to_julian(ymd) == convertdate.julian.from_gregorian(*ymd)
    assert cal.gregorian_to_jdn(ymd) == int(convertdate.gregorian.to_jd(*ymd) + 0.5)


@FAST
@given(julian_days(-5000, 5000))
def test_differential_convertdate_julian(ymd):
    convertdate = pytest.importorskip("convertdate")
    assert cal.julian_to_gregorian(ymd) == convertdate.julian.to_gregorian(*ymd)


def test_julian_month_spans_its_converted_days():
    assert cal.julian_month_bounds(1917, 10) == ((1917, 10, 14), (1917, 11, 13))
    assert cal.julian_month_bounds(1900, 2) == ((1900, 2, 13), (1900, 3, 13))


@pytest.mark.parametrize(("text", "gregorian", "bounds"), [
    ("1904-12-20", "1905-01-02", ((1905, 1, 2), (1905, 1, 2))),
    ("1917-10", "1917-10-14/1917-11-13", ((1917, 10, 14), (1917, 11, 13))),
    ("1917", "1917-01-14/1918-01-13", ((1917, 1, 14), (1918, 1, 13))),
    ("1904-24", "1904-12-14/1905-03-13", ((1904, 12, 14), (1905, 3, 13))),
    ("1900-02-29", "1900-03-13", ((1900, 3, 13), (1900, 3, 13))),
    ("1904-02~", "1904-02-14~/1904-03-13~", ((1904, 2, 14), (1904, 3, 13))),
    ("1904-08-10/1905-01", "1904-08-23/1905-02-13", ((1904, 8, 23), (1905, 2, 13))),
    ("../1917-10-25", "../1917-11-07", (MIN_YMD, (1917, 11, 7))),
    ("1917-10-25/", "1917-11-07/", ((1917, 11, 7), MAX_YMD)),
])
def test_julian_edtf(text, gregorian, bounds):
    assert cal.julian_edtf_to_gregorian(text) == gregorian
    assert cal.julian_edtf_bounds(text) == bounds


@pytest.mark.parametrize(("text", "message"), [
    ("1900-02-30", "month 02 of 1900 has 29 days in the Julian calendar"),
    ("1917-13", "month 13 is not 01-12"),
    ("1917-22-01", "a season cannot have a day"),
    ("193X", "no unspecified digits"),
    ("1917/1916", "ends before it starts"),
])
def test_julian_edtf_errors(text, message):
    with pytest.raises(DateError, match=message):
        cal.julian_edtf_to_gregorian(text)


def test_julian_label():
    assert cal.julian_label((1905, 1, 2)) == "20 Dec 1904 OS"
    assert cal.julian_label((1939, 8, 1), (1939, 8, 31)) == "19 Jul–18 Aug 1939 OS"
    assert cal.julian_label((1939, 8, 5), (1939, 8, 10)) == "23–28 Jul 1939 OS"
    assert cal.julian_label((-215, 1, 1)) == "5 Jan 216 BC OS"  # convertdate agrees


# --- Japanese eras -------------------------------------------------------------------------------

BOUNDARIES = [  # last day of one era, first day of the next
    ("Meiji", 45, (1912, 7, 29), "Taishō", 1, (1912, 7, 30)),
    ("Taishō", 15, (1926, 12, 24), "Shōwa", 1, (1926, 12, 25)),
    ("Shōwa", 64, (1989, 1, 7), "Heisei", 1, (1989, 1, 8)),
    ("Heisei", 31, (2019, 4, 30), "Reiwa", 1, (2019, 5, 1)),
]


@pytest.mark.parametrize(("old", "n_old", "last", "new", "n_new", "first"), BOUNDARIES)
def test_era_boundaries(old, n_old, last, new, n_new, first):
    assert cal.japanese_era(last) == (old, n_old, True)
    assert cal.japanese_era(first) == (new, n_new, True)
    assert cal.add_days(last, 1) == first
    assert cal.era_year_bounds(cal.era_by_name(old), n_old)[1] == last
    assert cal.era_year_bounds(cal.era_by_name(new), n_new)[0] == first
    with pytest.raises(ValueError, match=f"{old} ended in its year {n_old}"):
        cal.era_year_bounds(cal.era_by_name(old), n_old + 1)


def test_era_year_bounds_examples():
    era = cal.era_by_name
    assert cal.era_year_bounds(era("Taisho"), 15) == ((1926, 1, 1), (1926, 12, 24))
    assert cal.era_year_bounds(era("showa"), 1) == ((1926, 12, 25), (1926, 12, 31))
    assert cal.era_year_bounds(era("Shōwa"), 14) == ((1939, 1, 1), (1939, 12, 31))
    assert cal.era_year_bounds(era("Meiji"), 6) == ((1873, 1, 1), (1873, 12, 31))
    assert cal.era_year_bounds(era("R"), 7) == ((2025, 1, 1), (2025, 12, 31))
    assert cal.era_year_is_exact(era("Meiji"), 6)
    assert not cal.era_year_is_exact(era("Meiji"), 5)
    assert not cal.era_year_is_exact(era("Keiō"), 3)
    with pytest.raises(ValueError, match="start at 1"):
        cal.era_year_bounds(era("Reiwa"), 0)


@pytest.mark.parametrize("name", ["Shōwa", "showa", "SHOWA", "Shouwa", "Syowa", "昭和", "S", "s"])
def test_era_names(name):
    assert cal.era_by_name(name).name == "Shōwa"


@FAST
@given(gregorian_days(1873, 2200))
def test_every_modern_day_is_in_exactly_its_era_year(ymd):
    name, n, exact = cal.japanese_era(ymd)
    assert exact
    start, end = cal.era_year_bounds(cal.era_by_name(name), n)
    assert start <= ymd <= end
    assert start[0] == end[0] == ymd[0]


def test_japanese_labels():
    assert cal.japanese_label((1939, 8, 23)) == "Shōwa 14"
    assert cal.japanese_label((1939, 8, 23), kanji=True) == "昭和14年"
    assert cal.japanese_label((2019, 5, 1), kanji=True) == "令和元年"
    assert cal.japanese_label((1939, 1, 1), (1941, 12, 31)) == "Shōwa 14–16"
    assert cal.japanese_label((1926, 1, 1), (1926, 12, 31)) == "Taishō 15–Shōwa 1"
    assert cal.japanese_label((1870, 5, 1)) == "c. Meiji 3"
    assert cal.japanese_label((1800, 1, 1)) == ""
    assert cal.japanese_label(MIN_YMD, (1939, 1, 1)) == ""


def test_minguo():
    assert cal.minguo_to_gregorian_year(28) == 1939
    assert cal.minguo_to_gregorian_year(1) == 1912
    assert cal.minguo_label((1939, 8, 23)) == "Minguo 28"
    assert cal.minguo_label((1939, 8, 23), hanzi=True) == "民國28年"
    assert cal.minguo_label((1912, 1, 1), hanzi=True) == "民國元年"
    assert cal.minguo_label((1937, 1, 1), (1945, 12, 31)) == "Minguo 26–34"
    assert cal.minguo_label((1911, 12, 31)) == ""
    with pytest.raises(ValueError):
        cal.minguo_to_gregorian_year(0)
