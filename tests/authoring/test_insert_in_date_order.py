"""add and import place each record at its place: events by date, works by id (issue 25),
so additions to different parts of a shared file never touch the same lines."""

from __future__ import annotations

from pathlib import Path

import pytest
import tomli

from farchron.authoring import order
from farchron.authoring import writer as lw

# A Ming-dynasty ledger: another region and century than the shipped one.
EVENTS = '''# Ming voyages

[[event]]
id = "first-voyage"
title = "First voyage of Zheng He"
date = "1405"
citations = [{ source = "dreyer-2007" }]

# the third voyage: its comment stays above it
[[event]]
id = "third-voyage"
title = "Third voyage"
date = "1409"
citations = [{ source = "dreyer-2007" }]

[[event]]
id = "seventh-voyage"
title = "Seventh voyage"
date = "1431/1433"
citations = [{ source = "dreyer-2007" }]
'''

SOURCES = '''[[source]]
id = "dreyer-2007"
type = "book"
title = "Zheng He"

[[source]]
id = "levathes-1994"
type = "book"
title = "When China Ruled the Seas"

[[note]]
number = 1
text = "Dreyer, Zheng He."
citations = [{ source = "dreyer-2007" }]
'''


@pytest.fixture
def ming(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("FARCHRON_NO_CACHE", "1")
    (tmp_path / "events.toml").write_text(EVENTS, encoding="utf-8")
    (tmp_path / "sources.toml").write_text(SOURCES, encoding="utf-8")
    return tmp_path


def _ev(eid: str, date: str) -> tuple[str, dict]:
    return ("event", {"id": eid, "title": eid.title(), "date": date,
                      "citations": [{"source": "dreyer-2007"}]})


def test_events_go_between_by_date_and_old_lines_stay(ming: Path):
    res = lw.write_records(ming, lambda snap: [_ev("second-voyage", "1407-10"),
                                               _ev("sixth-voyage", "1421"),
                                               _ev("earlier", "1400"),
                                               _ev("fourth-voyage", "1413-12")])
    text = (ming / "events.toml").read_text(encoding="utf-8")
    ids = [e["id"] for e in tomli.loads(text)["event"]]
    assert ids == ["earlier", "first-voyage", "second-voyage", "third-voyage",
                   "fourth-voyage", "sixth-voyage", "seventh-voyage"]
    # every old line is still there, in order, and the comment still heads its record
    old = EVENTS.split("\n")
    new = iter(text.split("\n"))
    assert all(any(n == o for n in new) for o in old)
    assert "# the third voyage: its comment stays above it\n[[event]]\nid = \"third-voyage\"" \
        in text
    # one blank line between records, as the file has
    assert "\n\n\n" not in text
    assert res.written


def test_works_go_in_id_order_before_the_notes(ming: Path):
    lw.write_records(ming, lambda snap: [("source", {"id": "church-2005", "type": "book",
                                                     "title": "Zheng He"}),
                                         ("source", {"id": "mills-1970", "type": "book",
                                                     "title": "Ying-yai"})])
    text = (ming / "sources.toml").read_text(encoding="utf-8")
    doc = tomli.loads(text)
    assert [s["id"] for s in doc["source"]] == ["church-2005", "dreyer-2007",
                                                "levathes-1994", "mills-1970"]
    assert text.index('"mills-1970"') < text.index("[[note]]")


def test_header_lines_reported_are_where_the_records_are():
    text, firsts = lw.insert_records(EVENTS, "event", [{"id": "x", "date": "1410"},
                                                       {"id": "y", "date": "1500"}])
    lines = text.split("\n")
    assert [lines[n - 1] for n in firsts] == ["[[event]]", "[[event]]"]
    assert lines[firsts[0]] == 'id = "x"' and lines[firsts[1]] == 'id = "y"'


def test_no_insert_inside_a_multiline_string():
    text = 'a = """\n[[event]]\n"""\n\n[[event]]\nid = "b"\ndate = "1500"\n'
    assert order.insertion_offset(text, "event", {"id": "a", "date": "1400"}) == \
        text.index("[[event]]\nid")


def test_an_unreadable_date_goes_to_the_end():
    assert order.insertion_offset(EVENTS, "event", {"id": "z", "date": "1905-13"}) is None
