"""part-of and other-dates: validated by check, shown by show, cite, chart and JSON,
and used by audit (a date other sources give is a warning, not a contradiction)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from farchron.ledger.load import collect
from tests.conftest import invoke, write_ledger

EVENTS = '''
[[event]]
id = "siege"
title = "Siege of Port Arthur"
date = "1904-08-01/1905-01-02"
citations = [{ note = 1 }]

[[event]]
id = "assault"
title = "Last assault on the fortress"
date = "1905-03"
part-of = "siege"
citations = [{ note = 1 }]

[[event]]
id = "hill"
title = "Capture of 203-Metre Hill"
date = "1904-12-05"
part-of = "siege"
citations = [{ note = 1 }]

[[event]]
id = "liaison"
title = "Liaison Conference adopts the Principles"
date = "1940-06-27"
other-dates = [
  { date = "1940-07-27", basis = "commonly given" },
  { date = "1940-07", source = "paper", pages = "12" },
  { date = "1940-07-14", calendar = "julian", note = 1 },
]
citations = [{ note = 1 }]
'''


@pytest.fixture
def ledger_dir(tmp_path: Path) -> Path:
    return write_ledger(tmp_path, EVENTS)


def _problems(folder: Path) -> list[str]:
    _ledger, problems = collect(folder)
    return [f"{p.line}: {p.severity}: {p.code}: {p.message}" for p in problems]


def test_a_part_outside_its_whole_is_a_warning_naming_both(ledger_dir):
    assert _problems(ledger_dir) == [
        "12: warning: part-outside-whole: 'assault' (Mar 1905) lies outside its whole "
        "'siege' (1 Aug 1904–2 Jan 1905)"]
    res = invoke("check", data=ledger_dir)
    assert res.exit_code == 0
    assert res.stdout.endswith("events.toml:12: warning: 'assault' (Mar 1905) lies outside "
                               "its whole 'siege' (1 Aug 1904–2 Jan 1905)\n")


def test_an_unknown_whole_and_a_cycle_are_errors(tmp_path):
    events = EVENTS.replace('part-of = "siege"\ncitations = [{ note = 1 }]\n\n[[event]]\n'
                            'id = "hill"', 'part-of = "seige"\ncitations = [{ note = 1 }]\n\n'
                            '[[event]]\nid = "hill"')
    events = events.replace('date = "1904-08-01/1905-01-02"\n',
                            'date = "1904-08-01/1905-01-02"\npart-of = "hill"\n')
    got = _problems(write_ledger(tmp_path, events))
    assert ("6: error: part-of-cycle: part-of goes round in a circle: 'siege' ⊂ 'hill' ⊂ "
            "'siege'") in got
    assert ("13: error: unknown-event: event 'assault' is part of 'seige', which is no event "
            "(did you mean 'siege'?)") in got
    assert invoke("check", data=tmp_path).exit_code == 1
    assert invoke("timeline", data=tmp_path).exit_code == 2


def test_an_event_cannot_be_part_of_itself(tmp_path):
    got = _problems(write_ledger(tmp_path, EVENTS.replace(
        'part-of = "siege"\ncitations = [{ note = 1 }]\n\n[[event]]\nid = "hill"',
        'part-of = "assault"\ncitations = [{ note = 1 }]\n\n[[event]]\nid = "hill"')))
    assert "12: error: part-of-cycle: event 'assault' is part of itself" in got


@pytest.mark.parametrize(("entry", "message"), [
    ('{ date = "1940-07-27" }', "event 'liaison': other-dates entry 1 needs its evidence: a "
                                "citation ('source' with 'pages', or 'note') or a 'basis' "
                                "such as \"commonly given\""),
    ('{ date = "1940-13", basis = "b" }',
     "event 'liaison': other-dates entry 1: invalid EDTF date '1940-13': month 13 is not 01-12 "
     "(or a season 21-24)"),
    ('{ date = "1940", basis = "b", calendar = "jewish" }',
     "event 'liaison': other-dates entry 1: 'calendar' must be one of gregorian, julian, not "
     "'jewish'"),
    ('{ date = 1940, basis = "b" }', "event 'liaison': other-dates entry 1: 'date' must be an "
                                     "EDTF string, not an integer"),
    ('{ date = "1940", pages = "3", basis = "b" }', "event 'liaison': other-dates entry 1 "
                                                     "gives 'pages' but no 'source'"),
    ('{ date = "1940", note = 7 }', "event 'liaison' (other-dates) cites note 7, which "
                                    "sources.toml does not have"),
    ('{ date = "1940", source = "nowhere" }', "event 'liaison' (other-dates) cites unknown "
                                              "source 'nowhere'"),
])
def test_other_dates_are_validated(tmp_path, entry, message):
    events = EVENTS.split("[[event]]\nid = \"liaison\"")[0] + (
        '[[event]]\nid = "liaison"\ntitle = "Liaison"\ndate = "1940-06-27"\n'
        f"other-dates = [{entry}]\ncitations = [{{ note = 1 }}]\n")
    got = _problems(write_ledger(tmp_path, events))
    assert any(p.startswith("26: error: ") and p.endswith(message) for p in got), got


def test_a_julian_other_date_has_gregorian_bounds(ledger_dir):
    res = invoke("show", "liaison", "-f", "json", data=ledger_dir)
    others = json.loads(res.stdout)["other-dates"]
    assert others == [
        {"date": "1940-07-27", "start": "1940-07-27", "end": "1940-07-27", "source": None,
         "pages": None, "note": None, "basis": "commonly given", "calendar": None},
        {"date": "1940-07", "start": "1940-07-01", "end": "1940-07-31", "source": "paper",
         "pages": "12", "note": None, "basis": None, "calendar": None},
        {"date": "1940-07-14", "start": "1940-07-27", "end": "1940-07-27", "source": None,
         "pages": None, "note": 1, "basis": None, "calendar": "julian"}]


def test_show_lists_the_whole_its_parts_and_other_sources(ledger_dir):
    siege = invoke("show", "siege", data=ledger_dir).stdout
    assert "parts:    hill (5 Dec 1904); assault (Mar 1905)\n" in siege
    hill = invoke("show", "hill", data=ledger_dir).stdout
    assert "part of:  siege (1 Aug 1904–2 Jan 1905): Siege of Port Arthur\n" in hill
    liaison = invoke("show", "liaison", data=ledger_dir).stdout
    assert ("other sources: 27 Jul 1940 (commonly given); Jul 1940 (paper p. 12); "
            "14 Jul 1940 (Julian) (note 1)\n") in liaison
    data = json.loads(invoke("show", "siege", "-f", "json", data=ledger_dir).stdout)
    assert data["parts"] == ["hill", "assault"] and "part-of" not in data
    data = json.loads(invoke("show", "hill", "-f", "json", data=ledger_dir).stdout)
    assert data["part-of"] == "siege"


def test_json_listings_carry_the_new_fields_only_when_set(ledger_dir):
    rows = {r["id"]: r for r in json.loads(
        invoke("timeline", "-f", "json", data=ledger_dir).stdout)}
    assert rows["assault"]["part-of"] == "siege"
    assert "part-of" not in rows["siege"] and "other-dates" not in rows["siege"]
    assert rows["liaison"]["other-dates"][0]["basis"] == "commonly given"


def test_cite_mentions_the_dates_other_sources_give(ledger_dir):
    out = invoke("cite", "Liaison Conference", data=ledger_dir).stdout
    assert ("Other sources: 27 Jul 1940 (commonly given); Jul 1940 (paper p. 12); "
            "14 Jul 1940 (Julian) (note 1).[1]") in out


def test_chart_draws_parts_under_their_whole(ledger_dir):
    out = invoke("chart", "--ascii", "--width", "70", data=ledger_dir).stdout
    rows = [line[:28] for line in out.splitlines()[2:6]]
    assert rows == ["Siege of Port Arthur        ", "- Capture of 203-Metre Hill ",
                    "- Last assault on the fort… ", "Liaison Conference adopts … "]


def test_audit_warns_where_a_draft_gives_the_date_other_sources_give(ledger_dir):
    draft = ledger_dir / "draft.md"
    draft.write_text("The Liaison Conference adopted the Principles on July 27, 1940.\n\n"
                     "The Liaison Conference adopted the Principles on August 29, 1940.\n",
                     encoding="utf-8")
    res = invoke("audit", str(draft), data=ledger_dir)
    lines = res.stdout.splitlines()
    assert lines[0] == (
        f"{draft}:1:50: warning: 'Liaison Conference adopted the Principles on July 27, 1940'"
        " — the ledger dates liaison 27 Jun 1940 (note 1); July 27, 1940 matches the date "
        "other sources give (commonly given)")
    assert lines[1].startswith(f"{draft}:3:50: 'Liaison Conference adopted")
    assert res.exit_code == 1


YEARLESS = '''
[[event]]
id = "war"
title = "Sino-Soviet War"
date = "1929-07/1929-12"
citations = [{ note = 1 }]

[[event]]
id = "bridge"
title = "Marco Polo Bridge Incident"
date = "1937-07-07"
citations = [{ note = 1 }]

[[event]]
id = "pact"
title = "German-Soviet Non-Aggression Pact"
date = "1939-08-23"
citations = [{ note = 1 }]
'''


def test_a_date_without_its_year_is_judged_as_written(tmp_path):
    """"on July 17" after 1937 still contradicts the 7 July incident although July 17 falls
    within a long war of 1929 named in the same sentence; "on August 23" after a 1945
    digression is the pact's very day in 1939, so no contradiction."""
    folder = write_ledger(tmp_path, YEARLESS)
    draft = tmp_path / "d.md"
    draft.write_text(
        "Another crisis came in the summer of 1937. The fighting that began at the Marco "
        "Polo Bridge Incident on July 17 soon grew into a general Sino-Soviet War.\n\n"
        "The war would end in 1945. Yet the German-Soviet Non-Aggression Pact signed on "
        "August 23 came first.\n", encoding="utf-8")
    res = invoke("audit", str(draft), "-f", "json", data=folder)
    errors = [(d["event"], d["found"]) for d in json.loads(res.stdout)
              if d["severity"] == "error"]
    assert errors == [("bridge", "July 17")]
