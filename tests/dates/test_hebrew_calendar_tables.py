"""The Hebrew calendar against published holiday dates.

Source: Rosh Hashanah (1 Tishrei) and Passover (15 Nisan) dates as listed by hebcal.com and
Wikipedia's "Rosh Hashanah" and "Passover" articles; 5 Iyar 5708 from "Israeli Declaration of
Independence"; Purim 5784 (14 Adar II) from hebcal.com.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from farchron.dates.calendars import hebrew
from farchron.dates.edtf import DateError
from farchron.dates.written import parse_human

ROWS = [
    ("1 Tishrei 5700", "1939-09-14"), ("1 Tishrei 5701", "1940-10-03"),
    ("1 Tishrei 5702", "1941-09-22"), ("1 Tishrei 5703", "1942-09-12"),
    ("1 Tishrei 5704", "1943-09-30"), ("1 Tishrei 5705", "1944-09-18"),
    ("1 Tishri 5706", "1945-09-08"), ("1 Tishrei 5707", "1946-09-26"),
    ("1 Tishrei 5708", "1947-09-15"), ("1 Tishrei 5709", "1948-10-04"),
    ("1 Tishrei 5780", "2019-09-30"), ("1 Tishrei 5781", "2020-09-19"),
    ("1 Tishrei 5782", "2021-09-07"), ("1 Tishrei 5783", "2022-09-26"),
    ("1 Tishrei 5784", "2023-09-16"), ("1 Tishrei 5785", "2024-10-03"),
    ("15 Nisan 5705", "1945-03-29"), ("15 Nisan 5782", "2022-04-16"),
    ("15 Nissan 5783", "2023-04-06"), ("15 Nisan 5784", "2024-04-23"),
    ("5 Iyar 5708", "1948-05-14"), ("14 Adar II 5784", "2024-03-24"),
]


@pytest.mark.parametrize(("printed", "gregorian"), ROWS)
def test_published_dates(printed: str, gregorian: str):
    r = parse_human(printed)
    assert r.edtf == gregorian and "sunset" in r.note


def test_years_months_and_adar():
    assert parse_human("5700 AM").edtf == "1939-09-14/1940-10-02"
    assert parse_human("Tishrei 5700").edtf == "1939-09-14/1939-10-13"
    assert "read as Adar I" in parse_human("14 Adar 5784").note
    with pytest.raises(DateError, match="not a leap year"):
        parse_human("14 Adar II 5785")


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=0, max_value=80_000))
def test_round_trip(offset: int):
    from farchron.dates.calendars.julian import add_days

    day = add_days((1800, 1, 1), offset)
    assert parse_human(hebrew.label(day)).date().start == day
