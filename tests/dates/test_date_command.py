"""Dates as people write them on the command line: every PERIOD, --from/--to, `farchron date`."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT, invoke, run

# (as written, the EDTF it means); the written form lists exactly what the EDTF lists
SAME = [
    ("summer 1945", "1945-22"),
    ("Aug 1939", "1939-08"),
    ("23 Aug 1939", "1939-08-23"),
    ("August 23, 1939", "1939-08-23"),
    ("1939-1941", "1939/1941"),
    ("1939–1941", "1939/1941"),
    ("1939 to 1941", "1939/1941"),
    ("from 1939 to 1941", "1939/1941"),
    ("autumn–winter 1944", "1944-23/1944-24"),
    ("May–Sep 1939", "1939-05/1939-09"),
    ("20–25 Aug 1945", "1945-08-20/1945-08-25"),
    ("c. 1933", "1933~"),
    ("1930s", "193X"),
    ("early 1930s", "1930/1933"),
    ("216 BC", "-0215"),
    ("3rd century BC", "-0299/-0200"),
    ("Shōwa 14", "1939"),
    ("S14", "1939"),
    ("昭和14年8月", "1939-08"),
    ("民國28年", "1939"),
    ("20 Dec 1904 OS", "1905-01-02"),
    ("1917-10-25 OS", "1917-11-07"),
]


@pytest.mark.parametrize(("written", "edtf"), SAME)
def test_timeline_of_a_written_date_is_the_timeline_of_its_edtf(written, edtf):
    a = invoke("--data", str(ROOT), "timeline", written, "-f", "tsv", data=None)
    b = invoke("--data", str(ROOT), "timeline", "-f", "tsv", "--", edtf, data=None)
    assert a.exit_code == b.exit_code
    assert a.stdout == b.stdout
    assert a.exit_code in (0, 1)


def test_from_to_take_written_dates():
    a = invoke("--data", str(ROOT), "timeline", "--from", "summer 1945", "--to", "Aug 1945",
               "-f", "tsv", data=None)
    b = invoke("--data", str(ROOT), "timeline", "--from", "1945-06", "--to", "1945-08",
               "-f", "tsv", data=None)
    assert a.exit_code == 0 and a.stdout == b.stdout


def test_search_period_takes_written_dates():
    a = invoke("--data", str(ROOT), "search", "pact", "summer 1939", "-f", "tsv", data=None)
    b = invoke("--data", str(ROOT), "search", "pact", "1939-22", "-f", "tsv", data=None)
    assert a.stdout == b.stdout


@pytest.mark.parametrize(("written", "message"), [
    ("sumer 1945", "invalid date 'sumer 1945': did you mean \"summer 1945\" (1945-22)?"),
    ("1939-1", "did you mean \"1939-01\" (Jan 1939)?"),
    ("1939-13", "invalid EDTF date '1939-13': month 13 is not 01-12 (or a season 21-24)"),
    ("banana", "21 spring, 22 summer, 23 autumn, 24 winter"),
])
def test_a_bad_written_date_is_exit_2_with_a_suggestion(written, message):
    r = invoke("timeline", written)
    assert r.exit_code == 2
    assert message in r.stderr
    assert "Traceback" not in r.stderr and r.stdout == ""


def test_date_japanese_day():
    r = invoke("date", "昭和14年8月23日")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.splitlines()[0] == "23 Aug 1939"
    assert "Shōwa 14 (昭和14年)" in r.stdout and "Minguo 28 (民國28年)" in r.stdout


@pytest.mark.parametrize(("written", "edtf"), [
    ("1939年8月23日", "1939-08-23"), ("1939年8月", "1939-08"), ("1939年", "1939"),
    ("一九三九年八月二十三日", "1939-08-23"), ("１９４５年８月９日", "1945-08-09"),
])
def test_a_western_year_written_with_nen_is_read(written, edtf):
    """Japanese and Chinese texts give most dates as 1939年8月23日; `昭和14年8月23日` was read
    but the same day with its Western year was 'not a date farchron can read'."""
    r = invoke("date", "-f", "json", written)
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["edtf"] == edtf
    bad = invoke("date", "1939年2月30日")
    assert bad.exit_code == 2 and "28 days" in bad.stderr and "Traceback" not in bad.stderr


def test_a_negative_year_as_period_gets_a_hint():
    """`timeline -0215` (EDTF for 216 BC, as the contract writes it) is parsed by click as
    the short option -0: 'No such option: -0' alone does not tell a historian what to do."""
    r = run("timeline", "-0215", data=ROOT)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "216 BC" in r.stderr and "-- -0215" in r.stderr
    r = run("timeline", "--", "-0215", data=ROOT)
    assert r.returncode == 0 and r.stdout.startswith("battle-of-cannae\t")


def test_date_words_need_no_quotes():
    r = invoke("date", "20", "Dec", "1904", "OS")
    assert r.exit_code == 0
    assert r.stdout.splitlines()[0] == "20 Dec 1904 OS (2 Jan 1905)"
    assert "gregorian: 1905-01-02" in r.stdout


def test_date_json():
    r = invoke("date", "summer", "1945", "-f", "json")
    assert r.exit_code == 0
    d = json.loads(r.stdout)
    assert {"edtf", "start", "end", "display", "julian", "japanese", "minguo", "calendar",
            "approximate"} <= d.keys()
    assert (d["edtf"], d["start"], d["end"], d["display"]) == \
        ("1945-22", "1945-06-01", "1945-08-31", "summer 1945")
    assert (d["japanese"], d["minguo"], d["calendar"], d["approximate"]) == \
        ("Shōwa 20", "Minguo 34", "gregorian", False)


def test_date_old_style_json():
    d = json.loads(invoke("date", "1917-10-25 OS", "-f", "json").stdout)
    assert (d["edtf"], d["calendar"], d["start"], d["julian"]) == \
        ("1917-10-25", "julian", "1917-11-07", "25 Oct 1917 OS")


def test_date_bad_is_exit_2():
    r = invoke("date", "sumer", "1945")
    assert r.exit_code == 2
    assert "did you mean \"summer 1945\" (1945-22)?" in r.stderr


def test_date_needs_no_ledger(tmp_path):
    r = run("date", "S14", data=None, cwd=tmp_path, env={"FARCHRON_DATA": str(tmp_path)})
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("1939\n")


def test_date_in_a_pipe_ends_quietly():
    r = run("date", "1939", shell="| head -1")
    assert r.stdout == "1939\n" and r.stderr == ""


# --- Old Style events in the ledger ---------------------------------------------------------------

OLD_STYLE_SOURCES = '''
[[source]]
id = "paper"
type = "article"
title = "The paper"

[[source]]
id = "russian-book"
type = "book"
title = "Port-Artur"
language = "ru"

[[note]]
number = 1
text = "Порт-Артур, с. 12."
date-as-printed = "20 декабря 1904 г."
citations = [{ source = "russian-book", pages = "12" }]
'''

OLD_STYLE_EVENTS = '''
[[event]]
id = "siege-of-port-arthur"
title = "Siege of Port Arthur"
date = "1904-08-01/1905-01-02"
calendar = "gregorian"
citations = [{ source = "paper" }]

[[event]]
id = "port-arthur-falls"
title = "Port Arthur surrenders"
date = "1904-12-20"
calendar = "julian"
date-as-printed = "20 декабря 1904 г."
citations = [{ note = 1 }]

[[event]]
id = "october-revolution"
title = "October Revolution"
date = "1917-10"
calendar = "julian"
citations = [{ source = "paper" }]

[[event]]
id = "julian-leap-day"
title = "A day the Gregorian calendar lacks"
date = "1900-02-29"
calendar = "julian"
citations = [{ source = "paper" }]
'''


@pytest.fixture
def old_style(tmp_path):
    from conftest import write_ledger

    return write_ledger(tmp_path, OLD_STYLE_EVENTS, OLD_STYLE_SOURCES)


def _tsv(data, *args):
    r = invoke("timeline", *args, "-f", "tsv", data=data)
    assert r.exit_code in (0, 1), r.stderr
    return [line.split("\t") for line in r.stdout.splitlines()]


def test_old_style_event_has_gregorian_bounds_and_sorts_by_them(old_style):
    rows = _tsv(old_style)
    assert [r[0] for r in rows] == ["julian-leap-day", "siege-of-port-arthur",
                                    "port-arthur-falls", "october-revolution"]
    fall = rows[2]
    assert fall[1:4] == ["1904-12-20", "1905-01-02", "1905-01-02"]
    assert fall[4] == "20 Dec 1904 OS (2 Jan 1905)"
    assert rows[3][1:5] == ["1917-10", "1917-10-14", "1917-11-13",
                            "Oct 1917 OS (14 Oct–13 Nov 1917)"]
    assert rows[0][2:5] == ["1900-03-13", "1900-03-13", "29 Feb 1900 OS (13 Mar 1900)"]
    # it overlaps by its Gregorian day, not by the Julian text
    assert [r[0] for r in _tsv(old_style, "1905-01-02")] == ["siege-of-port-arthur",
                                                             "port-arthur-falls"]
    assert [r[0] for r in _tsv(old_style, "1904-12-20")] == ["siege-of-port-arthur"]
    assert [r[0] for r in _tsv(old_style, "20 Dec 1904 OS")] == ["siege-of-port-arthur",
                                                                 "port-arthur-falls"]


@pytest.mark.parametrize(("calendar", "shown"), [
    ("gregorian", "2 Jan 1905"), ("julian", "20 Dec 1904 OS"),
    ("both", "20 Dec 1904 OS (2 Jan 1905)"),
])
def test_calendar_option(old_style, calendar, shown):
    rows = {r[0]: r for r in _tsv(old_style, "--calendar", calendar)}
    assert rows["port-arthur-falls"][4] == shown
    if calendar == "julian":  # a Gregorian date in Julian days
        assert rows["siege-of-port-arthur"][4] == "19 Jul–20 Dec 1904 OS"


def test_old_style_json(old_style):
    r = invoke("timeline", "1905", "-f", "json", data=old_style)
    fall = next(e for e in json.loads(r.stdout) if e["id"] == "port-arthur-falls")
    assert (fall["date"], fall["start"], fall["end"], fall["calendar"]) == \
        ("1904-12-20", "1905-01-02", "1905-01-02", "julian")
    assert fall["date-as-printed"] == "20 декабря 1904 г."


def test_show_gives_both_dates_and_the_printed_one(old_style):
    r = invoke("show", "port-arthur-falls", "--era", "japanese", data=old_style)
    assert r.exit_code == 0, r.stderr
    assert "date:     20 Dec 1904 OS (2 Jan 1905) (1904-12-20 Julian; 1905-01-02 to " \
           "1905-01-02)" in r.stdout
    assert "printed:  20 декабря 1904 г." in r.stdout
    assert "era:      Meiji 38" in r.stdout


def test_notes_keep_their_printed_date(old_style):
    r = invoke("notes", "1", "-f", "json", data=old_style)
    assert json.loads(r.stdout)[0]["date-as-printed"] == "20 декабря 1904 г."


def test_the_cache_keeps_the_calendar(old_style):
    env = {"FARCHRON_NO_CACHE": ""}
    first = invoke("timeline", "-f", "json", data=old_style, env=env)
    second = invoke("timeline", "-f", "json", data=old_style, env=env)
    assert first.stdout == second.stdout
    assert '"calendar": "julian"' in second.stdout


def test_check_warns_on_russian_sources_without_a_calendar(tmp_path):
    from conftest import write_ledger

    events = OLD_STYLE_EVENTS.replace('calendar = "julian"\ndate-as-printed', 'date-as-printed')
    write_ledger(tmp_path, events, OLD_STYLE_SOURCES)
    r = invoke("check", data=tmp_path)
    assert r.exit_code == 0  # a warning, as an unknown field is
    assert "(1 warning)" in r.stderr
    assert "warning: event 'port-arthur-falls' is dated 1904-12-20, before Russia took the " \
           "Gregorian calendar (1918-02-14), from Russian-language works only" in r.stdout
    assert r.stdout.count("no-calendar") == 0 and r.stdout.count("warning:") == 1
    r = invoke("check", "-f", "json", data=tmp_path)
    assert [p["code"] for p in json.loads(r.stdout)] == ["no-calendar"]


def test_check_is_quiet_when_the_calendar_is_said(old_style):
    r = invoke("check", data=old_style)
    assert r.exit_code == 0, r.stdout
    assert r.stdout == ""


@pytest.mark.parametrize(("line", "message"), [
    ('calendar = "hebrew"', "'calendar' must be \"julian\" (Old Style) or \"gregorian\""),
    ('calendar = 3', "'calendar' must be a string"),
    ('date-as-printed = 1904', "'date-as-printed' must be a string"),
])
def test_bad_calendar_fields(tmp_path, line, message):
    from conftest import write_ledger

    events = OLD_STYLE_EVENTS.replace('calendar = "gregorian"', line, 1)
    write_ledger(tmp_path, events, OLD_STYLE_SOURCES)
    r = invoke("check", data=tmp_path)
    assert r.exit_code == 1
    assert message in r.stdout
    assert "events.toml:6:" in r.stdout


def test_a_bad_julian_date_is_reported_with_its_line(tmp_path):
    from conftest import write_ledger

    events = OLD_STYLE_EVENTS.replace('date = "1900-02-29"', 'date = "1900-02-30"')
    write_ledger(tmp_path, events, OLD_STYLE_SOURCES)
    r = invoke("check", data=tmp_path)
    assert r.exit_code == 1
    assert "has 29 days in the Julian calendar" in r.stdout


@pytest.mark.parametrize("era", ["japanese", "minguo"])
def test_era_option_in_every_format(era):
    label = {"japanese": "Shōwa 14", "minguo": "Minguo 28"}[era]
    r = invoke("--data", str(ROOT), "timeline", "1939-08-23", "--era", era, "-f", "json",
               data=None)
    assert {e["era"] for e in json.loads(r.stdout)} == {label}
    r = invoke("--data", str(ROOT), "timeline", "1939-08-23", "--era", era, "-f", "tsv",
               data=None)
    assert all(line.split("\t")[-1] == label for line in r.stdout.splitlines())
    assert all(len(line.split("\t")) == 7 for line in r.stdout.splitlines())
    r = invoke("--data", str(ROOT), "timeline", "1939-08-23", "--era", era, "-f", "table",
               data=None)
    assert label in r.stdout


def test_search_takes_calendar_and_era(old_style):
    r = invoke("search", "Port Arthur", "--era", "japanese", "-f", "tsv", data=old_style)
    rows = {line.split("\t")[0]: line.split("\t") for line in r.stdout.splitlines()}
    assert rows["port-arthur-falls"][4] == "20 Dec 1904 OS (2 Jan 1905)"
    assert rows["port-arthur-falls"][-1] == "Meiji 38"
    r = invoke("search", "Port Arthur", "--calendar", "gregorian", "-f", "tsv", data=old_style)
    assert "\t2 Jan 1905\t" in r.stdout


@pytest.mark.parametrize("cache", ["1", ""])
def test_old_style_in_the_exports_and_from_the_cache(old_style, cache):
    env = {"FARCHRON_NO_CACHE": cache}
    for _ in range(2):  # the second run reads the cache when it is on
        r = invoke("export", "timelinejs", "-o", "-", data=old_style, env=env)
        assert r.exit_code == 0, r.stderr
    slides = {s["text"]["headline"]: s for s in json.loads(r.stdout)["events"]}
    fall = slides["Port Arthur surrenders"]
    assert (fall["start_date"]["year"], fall["start_date"]["month"],
            fall["start_date"]["day"]) == (1905, 1, 2)
    assert fall["display_date"] == "20 Dec 1904 OS (2 Jan 1905)"
    leap = slides["A day the Gregorian calendar lacks"]
    assert leap["display_date"] == "29 Feb 1900 OS (13 Mar 1900)"
    r = invoke("export", "html", "-o", "-", data=old_style, env=env)
    assert '"when":"Oct 1917 OS (14 Oct–13 Nov 1917)"' in r.stdout.replace(": ", ":")
    r = invoke("chart", data=old_style, env=env)
    assert r.exit_code == 0 and "Port Arthur surrenders" in r.stdout
