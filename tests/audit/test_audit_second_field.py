"""audit on a field other than the seed paper's: Russia and Japan, 1895-1922.

The fixture (tests/audit/fixtures/russia-japan/) is a ledger of 29 cited events with Old
Style dates (calendar = "julian") and Japanese era aliases, and a 578-word draft that
states its Old Style convention in a sentence and plants twelve errors of every kind the
audit must catch (planted.tsv): event titles holding a month or weekday name, era years in
Latin letters and in kanji, a New Style day marked O.S., a relative phrase, and wrong
dates with a soft hyphen, a zero-width space, a word joiner or full-width digits inside.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tests.conftest import invoke, run

FIELD = Path(__file__).resolve().parent / "fixtures" / "russia-japan"
DRAFT = FIELD / "draft.md"


def _planted() -> list[dict[str, str]]:
    with (FIELD / "planted.tsv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def _audit_json(path: Path, *args: str) -> tuple[int, list[dict[str, object]]]:
    res = invoke("audit", str(path), "-f", "json", *args, data=FIELD)
    assert "Traceback" not in res.stderr
    return res.exit_code, json.loads(res.stdout)


def _words(path: Path) -> int:
    text = path.read_text(encoding="utf-8")
    return len(text.split("[^1]:")[0].split())


def test_the_fixture_is_a_valid_ledger_of_25_cited_events():
    res = invoke("check", data=FIELD)
    assert res.exit_code == 0, res.stdout
    events = json.loads(invoke("timeline", "-f", "json", data=FIELD).stdout)
    assert len(events) >= 25
    assert all(e["citations"] for e in events)
    assert _words(DRAFT) >= 500


def test_every_planted_error_is_flagged_with_at_most_one_false_alarm_per_1000_words():
    code, found = _audit_json(DRAFT)
    assert code == 1
    alarms = [f for f in found if f["severity"] in ("error", "warning")]
    flagged = []
    for p in _planted():
        hits = [f for f in alarms if f["event"] == p["event"] and f["found"] == p["found"]]
        assert hits, f"{p['found']!r} ({p['kind']}) not flagged against {p['event']}"
        flagged += hits
    false = [f["message"] for f in alarms if f not in flagged]
    assert len(false) <= _words(DRAFT) / 1000, false


def test_columns_point_into_the_original_past_invisible_characters():
    _code, found = _audit_json(DRAFT)
    lines = DRAFT.read_text(encoding="utf-8").splitlines()
    at = {f["found"]: lines[f["line"] - 1][f["column"] - 1:] for f in found}  # type: ignore[operator]
    assert at["30 January 1903"].startswith("30 Janu\u00adary 1903")
    assert at["27–28 May 1906"].startswith("27–28 May 19\u200b06")
    assert at["22 August 1911"].startswith("２２ August １９１１")
    assert at["spring 1921"].startswith("spring 19\u206021")


def test_old_style_messages_give_both_calendars_and_json_expected_its_calendar():
    _code, found = _audit_json(DRAFT)
    bloody = next(f for f in found if f["event"] == "bloody-sunday")
    assert "the ledger dates bloody-sunday 9 Jan 1905 OS (22 Jan 1905)" in str(bloody["message"])
    assert "New Style date marked Old Style" in str(bloody["message"])
    assert bloody["expected"] == "1905-01-09 OS"
    # the expected value reads back as the ledger's day
    back = json.loads(invoke("date", "1905-01-09 OS", "-f", "json").stdout)
    assert back["start"] == "1905-01-22"
    october = next(f for f in found if f["event"] == "october-revolution")
    assert "25 Oct 1917 OS (7 Nov 1917)" in str(october["message"])
    assert "by the draft's convention (line 3)" in str(october["message"])


def test_era_years_are_compared_and_say_what_they_are():
    _code, found = _audit_json(DRAFT)
    taisho = next(f for f in found if f["found"] == "Taishō 5")
    assert str(taisho["message"]).endswith("; Taishō 5 is 1916")
    assert taisho["expected"] == "1915-01-18"


@pytest.mark.parametrize(("sentence", "code"), [
    ("The Treaty of Shimonoseki was signed in Shōwa 14.", "date-contradicts"),
    ("下関条約は明治29年4月17日に調印された。", "date-contradicts"),
    ("The Treaty of Shimonoseki was signed in Meiji 28.", None),
    ("下関条約は明治28年4月17日に調印された。", None),
    ("The Treaty of Portsmouth was signed in 1905 (Meiji 38).", None),
])
def test_era_years_in_prose(tmp_path, sentence, code):
    d = tmp_path / "era.md"
    d.write_text(sentence + "\n", encoding="utf-8")
    _exit, found = _audit_json(d)
    assert [f["code"] for f in found if f["severity"] != "info"] == ([code] if code else [])


def test_the_day_after_a_date_is_read_from_that_date(tmp_path):
    d = tmp_path / "calendar.md"
    d.write_text("Soviet Russia adopts the Gregorian calendar: the day after 31 January "
                 "1918 became 14 February.\n", encoding="utf-8")
    code, found = _audit_json(d)
    assert (code, [f for f in found if f["severity"] != "info"]) == (0, [])


def test_an_unmarked_old_style_date_is_a_warning_without_a_convention(tmp_path):
    d = tmp_path / "os.md"
    d.write_text("Nicholas II abdicated on 2 March 1917 at Pskov. The Abdication of "
                 "Nicholas II ended three centuries of Romanov rule.\n", encoding="utf-8")
    code, found = _audit_json(d)
    (f,) = [f for f in found if f["severity"] != "info"]
    assert code == 1
    assert (f["code"], f["severity"], f["event"]) == (
        "date-calendar", "warning", "abdication-of-nicholas-ii")
    assert str(f["message"]).endswith("2 March 1917 matches the Old Style date; mark it O.S.")
    # the same draft under the convention, from the command line or the draft itself
    res = invoke("audit", str(d), "--calendar", "julian", data=FIELD)
    assert (res.exit_code, res.stdout) == (0, "")
    d.write_text("---\nfarchron-calendar: julian\n---\n\n" + d.read_text(encoding="utf-8"),
                 encoding="utf-8")
    assert invoke("audit", str(d), data=FIELD).exit_code == 0
    # and --calendar gregorian overrides the draft
    res = invoke("audit", str(d), "--calendar", "gregorian", data=FIELD)
    assert res.exit_code == 1 and "mark it O.S." in res.stdout


def test_until_limits_the_convention(tmp_path):
    d = tmp_path / "until.md"
    d.write_text("The February Revolution broke out on 23 February 1917.\n", encoding="utf-8")
    assert invoke("audit", str(d), "--calendar", "julian", data=FIELD).exit_code == 0
    res = invoke("audit", str(d), "--calendar", "julian", "--until", "1900", data=FIELD)
    assert res.exit_code == 1 and "mark it O.S." in res.stdout
    bad = invoke("audit", str(d), "--calendar", "julian", "--until", "someday", data=FIELD)
    assert bad.exit_code == 2 and "--until" in bad.stderr and "Traceback" not in bad.stderr


def test_a_new_style_date_under_an_old_style_convention_is_a_warning(tmp_path):
    d = tmp_path / "ns.md"
    d.write_text("Dates before February 1918 are Old Style.\n\nThe October Revolution "
                 "took place on 7 November 1917.\n", encoding="utf-8")
    code, found = _audit_json(d)
    (f,) = [f for f in found if f["severity"] != "info"]
    assert (code, f["code"], f["severity"]) == (1, "date-calendar", "warning")
    assert "matches the New Style date" in str(f["message"])
    assert "mark it N.S." in str(f["message"])


def test_stdin_gives_the_same_findings():
    proc = run("audit", "-", "-f", "json", data=FIELD,
               input=DRAFT.read_text(encoding="utf-8"))
    assert proc.returncode == 1
    got = [(f["line"], f["column"], f["code"], f["event"], f["found"])
           for f in json.loads(proc.stdout)]
    _code, want = _audit_json(DRAFT)
    assert got == [(f["line"], f["column"], f["code"], f["event"], f["found"]) for f in want]
