"""Tests for farchron.dates.written: every written form → EDTF and bounds, the suggestions of a
failed parse, property tests (every form made from random dates round-trips through its EDTF,
every EDTF's own display reads back to the same bounds), and the prose scanner."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from farchron.dates import calendars as cal
from farchron.dates.calendars import kanji_number
from farchron.dates.edtf import DateError, days_in_month, iso, parse, parse_period
from farchron.dates.inprose import find_dates, resolve_dates
from farchron.dates.written import ABSOLUTE, JULIAN, PARTIAL, RELATIVE, parse_human

_COMMON = {"deadline": None, "database": None, "suppress_health_check": [HealthCheck.too_slow]}
FAST = settings(max_examples=200, **_COMMON)

ABBR = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
NAME = ("", "January", "February", "March", "April", "May", "June", "July", "August",
        "September", "October", "November", "December")

# text → (EDTF as printed, start, end)
FORMS = [
    ("23 Aug 1939", "1939-08-23", "1939-08-23", "1939-08-23"),
    ("August 23, 1939", "1939-08-23", "1939-08-23", "1939-08-23"),
    ("23 August 1939", "1939-08-23", "1939-08-23", "1939-08-23"),
    ("23rd of August 1939", "1939-08-23", "1939-08-23", "1939-08-23"),
    ("aug 23 1939", "1939-08-23", "1939-08-23", "1939-08-23"),
    ("Aug 1939", "1939-08", "1939-08-01", "1939-08-31"),
    ("August 1939", "1939-08", "1939-08-01", "1939-08-31"),
    ("Aug. 1939", "1939-08", "1939-08-01", "1939-08-31"),
    ("Sept 1939", "1939-09", "1939-09-01", "1939-09-30"),
    ("summer 1945", "1945-22", "1945-06-01", "1945-08-31"),
    ("Summer 1945", "1945-22", "1945-06-01", "1945-08-31"),
    ("autumn–winter 1944", "1944-23/1944-24", "1944-09-01", "1945-02-28"),
    ("autumn-winter 1944", "1944-23/1944-24", "1944-09-01", "1945-02-28"),
    ("fall 1944", "1944-23", "1944-09-01", "1944-11-30"),
    ("winter 1944–45", "1944-24", "1944-12-01", "1945-02-28"),
    ("1939-1941", "1939/1941", "1939-01-01", "1941-12-31"),
    ("1939–1941", "1939/1941", "1939-01-01", "1941-12-31"),
    ("1939 – 1941", "1939/1941", "1939-01-01", "1941-12-31"),
    ("1939—1941", "1939/1941", "1939-01-01", "1941-12-31"),
    ("1939 to 1941", "1939/1941", "1939-01-01", "1941-12-31"),
    ("from 1939 to 1941", "1939/1941", "1939-01-01", "1941-12-31"),
    ("From 1939 until 1941", "1939/1941", "1939-01-01", "1941-12-31"),
    ("between 1933 and 1934", "1933/1934", "1933-01-01", "1934-12-31"),
    ("1939–41", "1939/1941", "1939-01-01", "1941-12-31"),
    ("1939-45", "1939/1945", "1939-01-01", "1945-12-31"),
    ("from 1939", "1939/..", "1939-01-01", ""),
    ("until 1920", "../1920", "", "1920-12-31"),
    ("May–Sep 1939", "1939-05/1939-09", "1939-05-01", "1939-09-30"),
    ("May-Sep 1939", "1939-05/1939-09", "1939-05-01", "1939-09-30"),
    ("May 1939–Sep 1940", "1939-05/1940-09", "1939-05-01", "1940-09-30"),
    ("20–25 Aug 1945", "1945-08-20/1945-08-25", "1945-08-20", "1945-08-25"),
    ("20-25 Aug 1945", "1945-08-20/1945-08-25", "1945-08-20", "1945-08-25"),
    ("20 Aug–2 Sep 1945", "1945-08-20/1945-09-02", "1945-08-20", "1945-09-02"),
    ("Aug 20–25, 1945", "1945-08-20/1945-08-25", "1945-08-20", "1945-08-25"),
    ("c. 1933", "1933~", "1933-01-01", "1933-12-31"),
    ("ca. 1933", "1933~", "1933-01-01", "1933-12-31"),
    ("circa 1933", "1933~", "1933-01-01", "1933-12-31"),
    ("about 1933", "1933~", "1933-01-01", "1933-12-31"),
    ("c. 1933?", "1933%", "1933-01-01", "1933-12-31"),
    ("c. 1933–1935", "1933~/1935~", "1933-01-01", "1935-12-31"),
    ("1930s", "193X", "1930-01-01", "1939-12-31"),
    ("the 1930s", "193X", "1930-01-01", "1939-12-31"),
    ("early 1930s", "1930~/1933~", "1930-01-01", "1933-12-31"),
    ("mid 1930s", "1934~/1936~", "1934-01-01", "1936-12-31"),
    ("mid-1930s", "1934~/1936~", "1934-01-01", "1936-12-31"),
    ("late 1930s", "1937~/1939~", "1937-01-01", "1939-12-31"),
    ("early 1939", "1939-01~/1939-04~", "1939-01-01", "1939-04-30"),
    ("late Aug 1939", "1939-08-21~/1939-08-31~", "1939-08-21", "1939-08-31"),
    ("216 BC", "-0215", "-0215-01-01", "-0215-12-31"),
    ("216 BCE", "-0215", "-0215-01-01", "-0215-12-31"),
    ("216 B.C.", "-0215", "-0215-01-01", "-0215-12-31"),
    ("216BC", "-0215", "-0215-01-01", "-0215-12-31"),
    ("2 Aug 216 BC", "-0215-08-02", "-0215-08-02", "-0215-08-02"),
    ("300–201 BC", "-0299/-0200", "-0299-01-01", "-0200-12-31"),
    ("216 BC–AD 9", "-0215/0009", "-0215-01-01", "0009-12-31"),
    ("AD 9", "0009", "0009-01-01", "0009-12-31"),
    ("9 AD", "0009", "0009-01-01", "0009-12-31"),
    ("9 CE", "0009", "0009-01-01", "0009-12-31"),
    ("3rd century BC", "-0299/-0200", "-0299-01-01", "-0200-12-31"),
    ("20th century", "1901/2000", "1901-01-01", "2000-12-31"),
    ("twentieth century", "1901/2000", "1901-01-01", "2000-12-31"),
    ("early 20th century", "1901~/1933~", "1901-01-01", "1933-12-31"),
    ("23 августа 1939 г.", "1939-08-23", "1939-08-23", "1939-08-23"),
    ("август 1939 года", "1939-08", "1939-08-01", "1939-08-31"),
    # plain EDTF and PERIOD forms pass through unchanged
    ("1939", "1939", "1939-01-01", "1939-12-31"),
    ("1944-23", "1944-23", "1944-09-01", "1944-11-30"),
    ("1939..1941", "1939/1941", "1939-01-01", "1941-12-31"),
    ("../1920", "../1920", "", "1920-12-31"),
    ("1945-07-12T20:50", "1945-07-12T20:50", "1945-07-12", "1945-07-12"),
    ("12345", "Y12345", "12345-01-01", "12345-12-31"),
    # Japanese era years
    ("Meiji 37", "1904", "1904-01-01", "1904-12-31"),
    ("Taishō 15", "1926-01-01/1926-12-24", "1926-01-01", "1926-12-24"),
    ("Taisho 15", "1926-01-01/1926-12-24", "1926-01-01", "1926-12-24"),
    ("T15", "1926-01-01/1926-12-24", "1926-01-01", "1926-12-24"),
    ("Shōwa 14", "1939", "1939-01-01", "1939-12-31"),
    ("Showa 14", "1939", "1939-01-01", "1939-12-31"),
    ("S14", "1939", "1939-01-01", "1939-12-31"),
    ("Shōwa 1", "1926-12-25/1926-12-31", "1926-12-25", "1926-12-31"),
    ("Shōwa 64", "1989-01-01/1989-01-07", "1989-01-01", "1989-01-07"),
    ("昭和14年", "1939", "1939-01-01", "1939-12-31"),
    ("昭和十四年", "1939", "1939-01-01", "1939-12-31"),
    ("昭和１４年", "1939", "1939-01-01", "1939-12-31"),
    ("昭和14年8月", "1939-08", "1939-08-01", "1939-08-31"),
    ("昭和14年8月23日", "1939-08-23", "1939-08-23", "1939-08-23"),
    ("昭和十四年八月二十三日", "1939-08-23", "1939-08-23", "1939-08-23"),
    ("昭和元年12月", "1926-12-25/1926-12-31", "1926-12-25", "1926-12-31"),
    ("令和元年", "2019-05-01/2019-12-31", "2019-05-01", "2019-12-31"),
    ("Heisei 1", "1989-01-08/1989-12-31", "1989-01-08", "1989-12-31"),
    ("H1", "1989-01-08/1989-12-31", "1989-01-08", "1989-12-31"),
    ("R1", "2019-05-01/2019-12-31", "2019-05-01", "2019-12-31"),
    ("Heisei 31", "2019-01-01/2019-04-30", "2019-01-01", "2019-04-30"),
    ("Meiji 6", "1873", "1873-01-01", "1873-12-31"),
    ("Meiji 3", "1870~", "1870-01-01", "1870-12-31"),
    ("Keiō 3", "1867~", "1867-01-01", "1867-12-31"),
    ("慶應3年", "1867~", "1867-01-01", "1867-12-31"),
    # Minguo
    ("民國28年", "1939", "1939-01-01", "1939-12-31"),
    ("民国28年", "1939", "1939-01-01", "1939-12-31"),
    ("中華民國28年7月7日", "1939-07-07", "1939-07-07", "1939-07-07"),
    ("民國元年", "1912", "1912-01-01", "1912-12-31"),
    ("Minguo 28", "1939", "1939-01-01", "1939-12-31"),
    ("ROC 28", "1939", "1939-01-01", "1939-12-31"),
]


@pytest.mark.parametrize(("text", "edtf", "start", "end"), FORMS)
def test_forms(text, edtf, start, end):
    r = parse_human(text)
    assert r.edtf == edtf
    assert r.calendar == "gregorian"
    assert r.gregorian == edtf
    assert r.text == text
    d = r.date()
    assert (d.start_iso, d.end_iso) == (start, end)


@pytest.mark.parametrize("text", ["c. 1933", "early 1930s", "Meiji 3", "late Aug 1939"])
def test_approximate_flag(text):
    assert parse_human(text).approximate


def test_lunisolar_note_says_so():
    r = parse_human("Meiji 3")
    assert r.approximate
    assert "lunisolar" in r.note and "1873" in r.note
    assert "not converted" in parse_human("明治3年5月").note


# text → (EDTF as printed, Gregorian EDTF)
OLD_STYLE = [
    ("1917-10-25 OS", "1917-10-25", "1917-11-07"),
    ("20 Dec 1904 OS", "1904-12-20", "1905-01-02"),
    ("20 Dec 1904 O.S.", "1904-12-20", "1905-01-02"),
    ("20 Dec 1904 (O.S.)", "1904-12-20", "1905-01-02"),
    ("20 Dec 1904 (Old Style)", "1904-12-20", "1905-01-02"),
    ("December 20, 1904 old style", "1904-12-20", "1905-01-02"),
    ("1904-12-20 (Julian)", "1904-12-20", "1905-01-02"),
    ("29 Feb 1900 OS", "1900-02-29", "1900-03-13"),
    ("Oct 1917 OS", "1917-10", "1917-10-14/1917-11-13"),
    ("25 октября 1917 г. (ст. ст.)", "1917-10-25", "1917-11-07"),
    ("20 декабря 1904 по ст. ст.", "1904-12-20", "1905-01-02"),
    ("c. 1700 OS", "1700~", "1700-01-11~/1701-01-11~"),  # 10 days, then 11 after Feb 29
]


@pytest.mark.parametrize(("text", "edtf", "gregorian"), OLD_STYLE)
def test_old_style(text, edtf, gregorian):
    r = parse_human(text)
    assert (r.edtf, r.calendar, r.gregorian) == (edtf, JULIAN, gregorian)
    assert r.date().text == gregorian


def test_new_style_is_gregorian():
    r = parse_human("2 Jan 1905 N.S.")
    assert (r.edtf, r.calendar) == ("1905-01-02", "gregorian")
    assert parse_human("1905-01-02 NS").edtf == "1905-01-02"


@pytest.mark.parametrize(("text", "message"), [
    ("sumer 1945", "did you mean \"summer 1945\" (1945-22)?"),
    ("Sumer 1945", "did you mean \"Summer 1945\" (1945-22)?"),
    ("1939-1", "did you mean \"1939-01\" (Jan 1939)?"),
    ("1939-8-23", "did you mean \"1939-08-23\" (23 Aug 1939)?"),
    ("erly 1930s", "did you mean \"early 1930s\" (1930~/1933~)?"),
    ("Agust 23, 1939", "did you mean \"August 23, 1939\" (1939-08-23)?"),
    ("23.08.1939", "did you mean \"1939-08-23\" (23 Aug 1939)?"),
    ("8/23/1939", "did you mean \"1939-08-23\" (23 Aug 1939)?"),
    ("05/08/1939", "write 1939-08-05 (5 Aug 1939) or 1939-05-08 (8 May 1939)"),  # no guess
    ("Aug 23", "it needs a year"),
    ("31 Feb 1939", "February 1939 has 28 days"),
    ("30 Feb 1900 OS", "has 29 days in the Julian calendar"),
    ("Taishō 16", "Taishō ended in its year 15"),
    ("昭和元年12月1日", "1926-12-01 is Taishō 15"),
    ("0 BC", "there is no year 0 BC"),
    ("banana", "21 spring, 22 summer, 23 autumn, 24 winter"),
    ("193", None),
])
def test_errors(text, message):
    if message is None:  # a bare 3-digit number is a year
        assert parse_human(text).edtf == "0193"
        return
    with pytest.raises(DateError) as exc:
        parse_human(text)
    assert message in str(exc.value)
    assert str(exc.value).startswith(f"invalid date '{text}'")


@pytest.mark.parametrize("text", ["1939-13", "1939-02-30", "1939-08-23/1939-08-01", "19x9",
                                  "1910-13", "1939~~"])
def test_edtf_errors_keep_their_exact_message(text):
    with pytest.raises(DateError) as want:
        parse_period(text)
    with pytest.raises(DateError) as got:
        parse_human(text)
    assert str(got.value).startswith(str(want.value))


def test_edtf_error_mentions_seasons_in_words():
    with pytest.raises(DateError, match="not a date") as exc:
        parse_human("1939-1941-1943")
    assert "24 winter" in str(exc.value)


def test_kanji_numbers():
    words = ("元", "一", "十", "十四", "二十三", "六十四", "百", "一九三九")
    assert [kanji_number(s) for s in words] == [1, 1, 10, 14, 23, 64, 100, 1939]


def test_not_a_string():
    with pytest.raises(DateError):
        parse_human(None)  # type: ignore[arg-type]


# --- properties ---------------------------------------------------------------------------------

@st.composite
def days(draw, lo=1, hi=2100):
    y = draw(st.integers(lo, hi))
    m = draw(st.integers(1, 12))
    return y, m, draw(st.integers(1, days_in_month(y, m)))


def _y(y: int) -> str:
    """A year as written; 'AD 9' since 'Jan 9' would be a day without a year."""
    return f"{1 - y} BC" if y <= 0 else f"AD {y}" if y < 100 else str(y)


@FAST
@given(days(-3000, 3000), st.integers(0, 5))
def test_day_forms_round_trip(ymd, style):
    y, m, d = ymd
    text = [f"{d} {ABBR[m]} {_y(y)}", f"{NAME[m]} {d}, {_y(y)}", f"{d} {NAME[m]} {_y(y)}",
            f"{ABBR[m]}. {d} {_y(y)}", f"{d} {NAME[m].upper()} {_y(y)}",
            f"the {d}th of {NAME[m]} {_y(y)}"][style]
    r = parse_human(text)
    assert r.edtf == iso(ymd)
    assert r.date().start == r.date().end == ymd


@FAST
@given(st.integers(-3000, 3000), st.integers(1, 12), st.integers(21, 24), st.booleans())
def test_month_season_year_forms_round_trip(y, m, season, approx):
    c = "c. " if approx else ""
    q = "~" if approx else ""
    assert parse_human(f"{c}{NAME[m]} {_y(y)}").edtf == parse(iso((y, m, 1))[:-3] + q).text
    name = {21: "spring", 22: "summer", 23: "autumn", 24: "winter"}[season]
    if not (season == 24 and y <= 0):
        assert parse_human(f"{c}{name} {_y(y)}").date() == parse(iso((y, 1, 1))[:-6]
                                                                 + f"-{season}{q}")
    assert parse_human(f"{c}{_y(y)}").edtf == parse(iso((y, 1, 1))[:-6] + q).text


@FAST
@given(days(1000, 2099), days(1000, 2099), st.sampled_from(["–", "-", " to ", " – "]))
def test_ranges_round_trip(a, b, sep):
    a, b = min(a, b), max(a, b)
    r = parse_human(f"{a[2]} {ABBR[a[1]]} {a[0]}{sep}{b[2]} {ABBR[b[1]]} {b[0]}")
    assert (r.date().start, r.date().end) == (a, b)
    r = parse_human(f"from {a[0]}{sep.replace('-', ' to ').replace('–', ' to ')}{b[0]}"
                    if sep.strip() == "to" else f"{a[0]}{sep}{b[0]}")
    assert (r.date().start[0], r.date().end[0]) == (a[0], b[0])


_EDTF_SIDES = st.one_of(
    st.builds(lambda y: iso((y, 1, 1))[:-6], st.integers(-2000, 3000)),
    st.builds(lambda y, m: iso((y, m, 1))[:-3], st.integers(-2000, 3000), st.integers(1, 12)),
    st.builds(iso, days(-2000, 3000)),
    st.builds(lambda y, s: iso((y, 1, 1))[:-6] + f"-{s}", st.integers(1, 3000),
              st.integers(21, 24)),
    st.builds(lambda y: f"{y // 10}X", st.integers(100, 299)),
)


@FAST
@given(_EDTF_SIDES, st.one_of(st.none(), _EDTF_SIDES), st.sampled_from(["", "~", "?"]))
def test_every_display_reads_back(lo, hi, qual):
    """What farchron prints ('May–Sep 1939', 'winter 1944–45', '300–201 BC', '1930s') is
    accepted as input and means the same days."""
    text = lo + (qual if "X" not in lo else "")
    if hi is not None:
        text = f"{text}/{hi}"
    try:
        d = parse(text)
    except DateError:
        return
    if any(-99 < y < 100 for y in (d.start[0], d.end[0])):
        return  # 'Jan 9' (0009-01) and 'Jan 2–1 BC' read as days: years < 100 are ambiguous
    shown = d.display()
    back = parse_human(shown).date()
    assert (back.start, back.end) == (d.start, d.end), shown


@FAST
@given(days(1873, 2100))
def test_japanese_era_forms_round_trip(ymd):
    _, m, d = ymd
    name, n, exact = cal.japanese_era(ymd)
    era = cal.era_by_name(name)
    assert exact
    assert parse_human(f"{era.kanji}{n}年{m}月{d}日").edtf == iso(ymd)
    year = parse_human(f"{name} {n}").date()
    assert year.start <= ymd <= year.end
    assert parse_human(f"{era.letter}{n}").date() == year
    assert parse_human(f"{era.kanji}{'元' if n == 1 else n}年").date() == year


@pytest.mark.parametrize(("last", "first"), [
    ((1912, 7, 29), (1912, 7, 30)), ((1926, 12, 24), (1926, 12, 25)),
    ((1989, 1, 7), (1989, 1, 8)), ((2019, 4, 30), (2019, 5, 1)),
])
def test_era_boundary_days(last, first):
    old, n_old, _ = cal.japanese_era(last)
    new, n_new, _ = cal.japanese_era(first)
    ko, kn = cal.era_by_name(old).kanji, cal.era_by_name(new).kanji
    assert parse_human(f"{ko}{n_old}年{last[1]}月{last[2]}日").date().start == last
    assert parse_human(f"{kn}{n_new}年{first[1]}月{first[2]}日").date().start == first
    with pytest.raises(DateError, match=f"is {new}"):
        parse_human(f"{ko}{n_old}年{first[1]}月{first[2]}日")
    with pytest.raises(DateError, match=f"is {old}"):
        parse_human(f"{kn}{n_new}年{last[1]}月{last[2]}日")
    assert parse_human(f"{old} {n_old}").date().end == last
    assert parse_human(f"{new} {n_new}").date().start == first


@FAST
@given(days(-3000, 3000))
def test_old_style_round_trip(greg):
    """A Gregorian day written as its Julian date plus 'OS' reads back as that day."""
    y, m, d = cal.gregorian_to_julian(greg)
    r = parse_human(f"{d} {ABBR[m]} {_y(y)} OS")
    assert r.calendar == JULIAN
    assert r.date().start == r.date().end == greg
    assert parse_human(f"{iso((y, m, d))} O.S.").gregorian == iso(greg)


@FAST
@given(days(1, 3000))
def test_old_style_differential_convertdate(greg):
    convertdate = pytest.importorskip("convertdate")
    y, m, d = convertdate.julian.from_gregorian(*greg)
    assert parse_human(f"{iso((y, m, d))} OS").gregorian == iso(greg)


@FAST
@given(st.integers(1, 120), st.integers(1, 12))
def test_minguo_round_trip(n, m):
    assert parse_human(f"民國{n}年{m}月").edtf == f"{1911 + n}-{m:02d}"
    assert parse_human(f"Minguo {n}").edtf == str(1911 + n)


# --- prose --------------------------------------------------------------------------------------

PROSE = (
    "The Far Eastern Military District was established on May 17, 1935, and that same day "
    "the Transbaikalian Military District was split off. The following day, orders went out "
    "(p. 1936; sec. 3(2); note 12). In October 1929, during the Sino-Soviet War, the Red Army "
    "struck; between 1933 and 1934 the policy hardened. There were 152 skirmishes from 1932 to "
    "1934 and 176 in 1935. On July 17 talks began; on the 19th they failed, and in the middle "
    "of that month fighting resumed. See Переписка, 1931-1936, and 昭和14年8月23日. Port Arthur "
    "fell on 20 Dec 1904 OS. That year ended badly. It may 15 be so."
)


def test_find_dates_in_prose():
    found = find_dates(PROSE)
    got = [(m.text, m.result.kind, m.result.edtf or m.result.relation) for m in found]
    assert got == [
        ("May 17, 1935", ABSOLUTE, "1935-05-17"),
        ("that same day", RELATIVE, "same-day"),
        ("The following day", RELATIVE, "next-day"),
        ("October 1929", ABSOLUTE, "1929-10"),
        ("between 1933 and 1934", ABSOLUTE, "1933/1934"),
        ("from 1932 to 1934", ABSOLUTE, "1932/1934"),
        ("1935", ABSOLUTE, "1935"),
        ("On July 17", PARTIAL, ""),
        ("on the 19th", PARTIAL, ""),
        ("in the middle of that month", RELATIVE, "mid-month"),
        ("1931-1936", ABSOLUTE, "1931/1936"),
        ("昭和14年8月23日", ABSOLUTE, "1939-08-23"),
        ("20 Dec 1904 OS", ABSOLUTE, "1904-12-20"),
        ("That year", RELATIVE, "same-year"),
    ]
    for m in found:
        assert PROSE[m.start:m.end] == m.text
    july = found[7].result
    assert (july.month, july.day, july.needs_context) == (7, 17, True)
    assert found[12].result.calendar == JULIAN


def test_resolve_dates():
    resolved = resolve_dates(find_dates(PROSE))
    by_text = {m.text: m.result for m in resolved}
    assert by_text["that same day"].edtf == "1935-05-17"
    assert by_text["The following day"].edtf == "1935-05-18"
    assert "1935-05-17" in by_text["The following day"].note
    # "176 in 1935" is the date before: it gives the year, then the month
    assert by_text["On July 17"].edtf == "1935-07-17"
    assert by_text["on the 19th"].edtf == "1935-07-19"
    assert by_text["in the middle of that month"].edtf == "1935-07-11~/1935-07-20~"
    assert not by_text["On July 17"].needs_context
    assert by_text["That year"].edtf == "1905"  # after 20 Dec 1904 OS = 2 Jan 1905


def test_resolve_month_day_and_relatives():
    text = ("War broke out in August 1939. On the 23rd the pact was signed; on September 1 "
            "Germany attacked, the next day Britain protested, and in the middle of that month "
            "the Red Army moved. The following year was worse. The previous month was calm.")
    res = [(m.text, m.result.edtf) for m in resolve_dates(find_dates(text))]
    assert res == [
        ("August 1939", "1939-08"),
        ("On the 23rd", "1939-08-23"),
        ("on September 1", "1939-09-01"),
        ("the next day", "1939-09-02"),
        ("in the middle of that month", "1939-09-11~/1939-09-20~"),
        ("The following year", "1940"),
        ("The previous month", ""),  # after a whole year "the previous month" is unknown
    ]


@pytest.mark.parametrize("text", [
    "see p. 1939", "pp. 1012-1015", "sec. 3(2)", "note 12", "vol. 1936", "12 men", "99",
    "No. 1945", "it may 15 be", "the 11th Army", "page 42",
])
def test_scanner_skips_numbers_that_are_not_dates(text):
    assert find_dates(text) == []


def test_scanner_bare_years():
    assert [m.text for m in find_dates("in 999, 1000, 1939 and 2099, not 2100")] \
        == ["1000", "1939", "2099"]


# --- describe (farchron date) --------------------------------------------------------------------

def test_describe_japanese_day():
    from farchron.dates.written import describe

    d = describe(parse_human("昭和14年8月23日"))
    assert d["display"] == "23 Aug 1939"
    assert (d["edtf"], d["start"], d["end"]) == ("1939-08-23", "1939-08-23", "1939-08-23")
    assert (d["japanese"], d["japanese_kanji"]) == ("Shōwa 14", "昭和14年")
    assert (d["minguo"], d["minguo_hanzi"]) == ("Minguo 28", "民國28年")
    assert d["julian"] == "10 Aug 1939 OS"
    assert d["calendar"] == "gregorian" and d["approximate"] is False


def test_describe_old_style():
    from farchron.dates.written import describe

    d = describe(parse_human("20 Dec 1904 OS"))
    assert d["display"] == "20 Dec 1904 OS (2 Jan 1905)"
    assert (d["edtf"], d["gregorian"], d["start"]) == ("1904-12-20", "1905-01-02", "1905-01-02")
    assert d["julian"] == "20 Dec 1904 OS"
    assert d["japanese"] == "Meiji 38"
    assert d["minguo"] == ""


def test_describe_open_and_lunisolar():
    from farchron.dates.written import describe

    d = describe(parse_human("from 1939"))
    assert (d["start"], d["end"], d["julian"], d["japanese"]) == ("1939-01-01", None, "", "")
    d = describe(parse_human("Meiji 3"))
    assert d["approximate"] and d["japanese"] == "c. Meiji 3" and "lunisolar" in d["note"]


@pytest.mark.parametrize(("text", "calendar", "shown"), [
    ("1904-12-20", "both", "20 Dec 1904 OS (2 Jan 1905)"),
    ("1904-12-20", "julian", "20 Dec 1904 OS"),
    ("1904-12-20", "gregorian", "2 Jan 1905"),
    ("1917-10", "both", "Oct 1917 OS (14 Oct–13 Nov 1917)"),
    ("1900-02-29", "both", "29 Feb 1900 OS (13 Mar 1900)"),
])
def test_julian_display(text, calendar, shown):
    assert cal.julian_display(text, calendar) == shown


def test_display_in_for_gregorian_dates():
    d = parse("1939-08")
    assert cal.display_in(d.text, d.start, d.end, "julian") == "19 Jul–18 Aug 1939 OS"
    assert cal.display_in(d.text, d.start, d.end, "both") == "Aug 1939"
    assert cal.display_in(d.text, d.start, d.end, "gregorian") == "Aug 1939"


def test_scanner_is_fast_on_the_whole_paper():
    """Linear in the text: the paper (65 kB) is scanned in well under a second."""
    import time
    from pathlib import Path

    paper = Path(__file__).resolve().parents[2] / "../shared/seed/soviet-far-eastern-strategy.md"
    if not paper.exists():
        pytest.skip("the seed paper is not beside this checkout")
    text = paper.read_text(encoding="utf-8")
    t0 = time.perf_counter()
    found = find_dates(text)
    assert time.perf_counter() - t0 < 1.0
    assert len(found) > 100
    kinds = {m.result.kind for m in found}
    assert kinds == {ABSOLUTE, PARTIAL, RELATIVE}
    assert any(m.text == "216 BC" for m in found)


_WORDS = ["23", "1939", "8", "0", "216", "99999", "Aug", "August", "summer", "winter", "c.",
          "early", "mid", "late", "1930s", "3rd", "century", "BC", "AD", "to", "from",
          "between", "and", "until", "–", "-", "/", "..", "OS", "(Old Style)", "N.S.",
          "Shōwa", "S14", "昭和", "十四", "年", "月", "日", "元", "民國", "Minguo", "?", "~",
          ",", "the", "of", "45", "1944-23", "1939-08-23", "X", "Y", "августа", "г."]


@settings(max_examples=600, **_COMMON)
@given(st.one_of(st.text(max_size=30),
                 st.lists(st.sampled_from(_WORDS), max_size=7).map(" ".join),
                 st.lists(st.sampled_from(_WORDS), max_size=7).map("".join)))
def test_any_text_is_a_date_or_one_clear_error(text):
    """No input escapes as anything but DateError; what is accepted has valid bounds."""
    try:
        r = parse_human(text)
    except DateError as exc:
        assert str(exc).startswith("invalid ")
        return
    d = r.date()
    assert d.start <= d.end
    assert parse(r.gregorian).start == d.start


@settings(max_examples=300, **_COMMON)
@given(st.lists(st.sampled_from([*_WORDS, "May 17, 1935", "that same day", "on the 5th",
                                  "p.", "sec. 3(2)", "note", "\n", "."]),
                max_size=12).map(" ".join))
def test_any_prose_scans_and_resolves(text):
    found = resolve_dates(find_dates(text))
    for m in found:
        assert text[m.start:m.end] == m.text
        if not m.result.needs_context:
            m.result.date()


@given(st.integers(1000, 2999), st.integers(1, 12), st.integers(1, 31), st.booleans())
def test_a_western_year_with_nen_reads_as_its_iso_day(y: int, m: int, d: int, full: bool):
    """1939年8月23日 (the Western year as Japanese and Chinese texts write it) is that day;
    an impossible day is a DateError, never another exception."""
    text = f"{y}年{m}月{d}日"
    if full:  # full-width digits, as a Japanese IME types them
        text = text.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if d > days_in_month(y, m):
        with pytest.raises(DateError):
            parse_human(text)
        return
    assert parse_human(text).edtf == iso((y, m, d))
