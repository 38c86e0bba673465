"""The tabular Islamic and the Hebrew calendar are computed by farchron itself (importing
convertdate loads every calendar it has: ~10 ms of `farchron date`, issue 28), with
convertdate's arithmetic: convertdate is the oracle, day by day."""

from __future__ import annotations

import warnings

from convertdate import hebrew as cd_hebrew
from convertdate import islamic as cd_islamic
from hypothesis import given, settings
from hypothesis import strategies as st

from farchron.dates.calendars import hebrew, islamic
from farchron.dates.calendars.julian import jdn_to_gregorian

#: Julian Day Numbers from 3000 BC to AD 4000 (both calendars' epochs inside).
DAYS = st.integers(min_value=625_000, max_value=3_182_000)


@settings(max_examples=400)
@given(DAYS)
def test_a_day_in_the_tabular_islamic_calendar_as_convertdate_has_it(jdn: int):
    ymd = jdn_to_gregorian(jdn)
    y, m, d = cd_islamic.from_jd(jdn - 0.5)
    assert islamic.gregorian_to_tabular(ymd) == (y, m, d)
    assert islamic.tabular_to_gregorian(y, m, d) == ymd
    assert islamic.tabular_month_days(y, m) == cd_islamic.month_length(y, m)


@settings(max_examples=200)
@given(st.integers(min_value=347_998, max_value=3_182_000))
def test_a_day_in_the_hebrew_calendar_as_convertdate_has_it(jdn: int):
    ymd = jdn_to_gregorian(jdn)
    with warnings.catch_warnings():  # convertdate calls its own deprecated month_days
        warnings.simplefilter("ignore", DeprecationWarning)
        y, m, d = cd_hebrew.from_jd(jdn - 0.5)
        length = cd_hebrew.month_length(y, m)
    assert hebrew.from_gregorian(ymd) == (y, m, d)
    assert hebrew.to_gregorian(y, m, d) == ymd
    assert hebrew.month_days(y, m) == length
    assert hebrew.is_leap(y) == bool(cd_hebrew.leap(y))


def test_every_day_of_the_twentieth_century_in_both():
    for jdn in range(2_415_021, 2_451_545):  # 1900-01-01 .. 1999-12-31
        ymd = jdn_to_gregorian(jdn)
        assert islamic.gregorian_to_tabular(ymd) == cd_islamic.from_jd(jdn - 0.5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        for jdn in range(2_415_021, 2_451_545, 3):
            assert hebrew.from_gregorian(jdn_to_gregorian(jdn)) == cd_hebrew.from_jd(jdn - 0.5)
