"""The calendar registry: one line per calendar, lazy modules, Japanese eras back to Taika,
English dual dates, and `farchron date` showing every calendar with its basis.

Sources: Japanese era first years from Wikipedia's "List of Japanese era names"; the dual
dates from the Oxford DNB / Wikipedia entries of George Washington (born 11 Feb 1731/2 OS =
22 Feb 1732), Isaac Newton (died 20 Mar 1726/7 OS = 31 Mar 1727) and Charles I (executed
30 Jan 1648/9 OS = 9 Feb 1649).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import invoke
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from farchron.dates import calendars
from farchron.dates.written import parse_human


def test_every_registry_line_names_a_module_with_the_protocol():
    assert len({c.name for c in calendars.CALENDARS}) == len(calendars.CALENDARS)
    for cal in calendars.CALENDARS:
        mod = calendars.module(cal.name)
        assert cal.name == mod.NAME and mod.BASIS.split(":")[0] in ("table", "algorithm")
        found = mod.read(cal.example, cal.example)
        assert found is not None, cal  # each line's example is read by its own module
        assert isinstance(mod.labels((1939, 8, 23), (1939, 8, 23)), dict)


def test_importing_the_registry_imports_no_calendar_module():
    code = ("import sys, farchron.dates.calendars as c; c.JULIAN; "
            "print([m for m in sys.modules if m.startswith('farchron.dates.calendars.')])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


ERAS = [("Taika 1", "645~"), ("Taihō 1", "701~"), ("Wadō 1", "708~"), ("Engi 1", "901~"),
        ("Keichō 1", "1596~"), ("Genna 1", "1615~"), ("Kan'ei 1", "1624~"),
        ("Tenna 1", "1681~"), ("Jōkyō 1", "1684~"), ("Genroku 1", "1688~"),
        ("Hōei 1", "1704~"), ("Shōtoku 1", "1711~"), ("Kyōhō 1", "1716~"),
        ("Meiwa 1", "1764~"), ("An'ei 1", "1772~"), ("Tenmei 1", "1781~"),
        ("Kansei 1", "1789~"), ("Kyōwa 1", "1801~"), ("Bunka 1", "1804~"),
        ("Bunsei 1", "1818~"), ("元禄15年", "1702~"), ("Genroku 15", "1702~")]


@pytest.mark.parametrize(("printed", "edtf"), ERAS)
def test_japanese_eras_back_to_taika(printed: str, edtf: str):
    r = parse_human(printed)
    assert r.edtf == edtf and r.approximate and "lunisolar" in r.note


def test_mixed_romanised_and_kanji_japanese():
    assert parse_human("Taishō 11年10月25日").edtf == "1922-10-25"
    assert parse_human("Showa 14年8月").edtf == "1939-08"


@pytest.mark.parametrize(("printed", "julian", "gregorian"), [
    ("11 Feb 1731/2", "1732-02-11", "1732-02-22"),
    ("20 Mar 1726/7", "1727-03-20", "1727-03-31"),
    ("30 Jan 1648/9", "1649-01-30", "1649-02-09"),
    ("30 January 1648 (Lady Day)", "1649-01-30", "1649-02-09"),
])
def test_english_dual_and_lady_day_years(printed: str, julian: str, gregorian: str):
    r = parse_human(printed)
    assert (r.edtf, r.calendar, r.gregorian) == (julian, "julian", gregorian)


def test_a_dual_year_must_be_the_next_year():
    from farchron.dates.edtf import DateError

    with pytest.raises(DateError, match="the year and the next"):
        parse_human("11 Feb 1731/3")


def test_date_command_shows_every_calendar_with_its_basis():
    r = invoke("date", "光緒二十一年三月二十三日", "-f", "json", data=None)
    assert r.exit_code == 0, r.stderr
    info = json.loads(r.stdout)
    assert info["start"] == "1895-04-17" and info["written_in"] == "chinese"
    assert info["chinese_hanzi"] == "光緒二十一年三月二十三日"
    assert info["japanese"] == "Meiji 28" and info["hebrew"] == "23 Nisan 5655"
    assert set(info["bases"]) >= {"chinese", "julian", "japanese", "islamic", "hebrew"}
    text = invoke("date", "18 Brumaire an VIII", data=None).stdout
    assert "republican: 18 Brumaire an VIII" in text and "basis of french-republican" in text


def test_era_choices_are_the_registry_s():
    from farchron.cli.options import ERA_CHOICES

    assert ERA_CHOICES == calendars.ERA_CHOICES
    assert set(ERA_CHOICES) <= {c.name for c in calendars.CALENDARS}


def test_listings_take_the_new_calendars_as_era(tmp_path):
    from conftest import write_ledger

    data = write_ledger(tmp_path, '[[event]]\nid = "shimonoseki"\ntitle = "Treaty of '
                        'Shimonoseki"\ndate = "1895-04-17"\ncitations = [{ note = 1 }]\n')
    for era, want in (("chinese", "Guangxu 21, month 3, day 23"), ("hebrew", "23 Nisan 5655"),
                      ("japanese", "Meiji 28"), ("islamic", "21 Shawwal 1312 AH")):
        r = invoke("timeline", "--era", era, "-f", "json", data=data)
        assert r.exit_code == 0, r.stderr
        assert json.loads(r.stdout)[0]["era"] == want


_ENGLISH_TOKEN = st.one_of(
    st.sampled_from(sorted(calendars.ENGLISH_WORDS)).map(lambda w: w.capitalize()),
    st.sampled_from(sorted(calendars.ENGLISH_WORDS)),
    st.integers(min_value=-3000, max_value=9999).map(str),
    st.sampled_from(["1st", "23rd", "c.", "1750/1", "1939–45", ",", "-", "–", "/", "14"]))


@settings(max_examples=600)
@given(st.lists(_ENGLISH_TOKEN, min_size=1, max_size=5), st.sampled_from([" ", ""]))
def test_no_calendar_but_the_julian_reads_english_words(tokens: list[str], sep: str):
    """A text of ENGLISH_WORDS and numbers loads only the Julian module (issue 28): every
    other calendar's reader must refuse it, None and no error, as the registry skips them."""
    t = sep.join(tokens)
    assume(calendars.english(t))  # joined without spaces, two words may make a third
    for cal in calendars.CALENDARS:
        if cal.name != calendars.JULIAN:
            assert calendars.module(cal.name).read(t, t) is None, (cal.name, t)


def test_a_date_in_english_words_loads_no_other_calendar():
    code = ("import sys; from farchron.dates.written import parse_human; "
            "print(parse_human('early May 1939').edtf, parse_human('c. 12th Sept 1712 AD').edtf,"
            " sorted(m for m in sys.modules if m.startswith('farchron.dates.calendars.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.split(" ", 2)[2].strip() == str(["farchron.dates.calendars.base",
                                               "farchron.dates.calendars.julian"]), out
    # and the others still read their own: an era year, a Hijri month (not English words)
    assert parse_human("Meiji 38").edtf == "1905" and not calendars.english("Meiji 38")
    assert parse_human("15 Ramadan 1363 AH").written_in == "islamic"
