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
