"""The French Republican calendar against the concordance.

Source: the concordance of the first days of the years (1 Vendémiaire an I–XIV) and the
dated events in Wikipedia's "French Republican calendar" and its articles on the coups and
laws named below (each printed there in both calendars).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from farchron.dates.calendars import french_republican as fr
from farchron.dates.edtf import DateError
from farchron.dates.written import parse_human

NEW_YEARS = ["1792-09-22", "1793-09-22", "1794-09-22", "1795-09-23", "1796-09-22",
             "1797-09-22", "1798-09-22", "1799-09-23", "1800-09-23", "1801-09-23",
             "1802-09-23", "1803-09-24", "1804-09-23", "1805-09-23"]
EVENTS = [
    ("22 Prairial an II", "1794-06-10"),     # Law of 22 Prairial
    ("9 Thermidor an II", "1794-07-27"),     # fall of Robespierre
    ("12 Germinal an III", "1795-04-01"),    # insurrection of 12 Germinal
    ("1er prairial an III", "1795-05-20"),   # insurrection of 1 Prairial
    ("13 Vendémiaire an IV", "1795-10-05"),  # royalist insurrection
    ("18 Fructidor an V", "1797-09-04"),     # coup of 18 Fructidor
    ("30 Prairial an VII", "1799-06-18"),    # coup of 30 Prairial
    ("18 Brumaire an VIII", "1799-11-09"),   # Bonaparte's coup
    ("30 Ventôse an XII", "1804-03-21"),     # the Civil Code
    ("11 Frimaire an XIII", "1804-12-02"),   # Napoleon's coronation
    ("10 Nivôse an XIV", "1805-12-31"),      # the calendar's last day
]


@pytest.mark.parametrize(("an", "day"), list(enumerate(NEW_YEARS, start=1)))
def test_first_days_of_the_years(an: int, day: str):
    assert parse_human(f"1 Vendémiaire an {fr.to_roman(an)}").edtf == day


@pytest.mark.parametrize(("printed", "gregorian"), EVENTS)
def test_dated_events(printed: str, gregorian: str):
    assert parse_human(printed).edtf == gregorian


def test_years_months_and_complementary_days():
    assert parse_human("an II").edtf == "1793-09-22/1794-09-21"
    assert parse_human("Thermidor an II").edtf == "1794-07-19/1794-08-17"
    assert parse_human("6 jour complémentaire an III").edtf == "1795-09-22"  # sextile
    with pytest.raises(DateError, match="has 5 days"):
        parse_human("6 jour complémentaire an II")
    with pytest.raises(DateError, match="I to XIV"):
        parse_human("1 Brumaire an XX")


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=0, max_value=4848))  # 1792-09-22 .. 1805-12-31
def test_round_trip(offset: int):
    from farchron.dates.calendars.julian import add_days

    day = add_days((1792, 9, 22), offset)
    assert parse_human(fr.label(day)).date().start == day
