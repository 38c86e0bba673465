"""The one-pass check for ordinary events must agree with the field-by-field checker.

ledger._valid_event accepts only records the checker would pass without a word; if it
ever accepted more, a bad event would load silently. Property: building any document
with the fast path gives the same events and the same problems as the checker alone.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from farchron.ledger import check as validate
from farchron.ledger import load as ledger

TEXTS = st.sampled_from(["", " ", "Pact", "nomonhan", "Nomonhan", "a-b", "a--b", "x" * 3])
IDS = st.sampled_from(["pact", "pact", "Pact", "a-b", "a--b", "", "nomonhan", "1939"])
DATES = st.sampled_from(["1939", "1939-08-23", "1939-02-30", "1944-23", "-0215", "193X",
                         "1945/1939", "soon", "../1945", "1933~"])
ANY = st.one_of(st.none(), st.booleans(), st.integers(-2, 60), TEXTS,
                st.lists(TEXTS, max_size=2), st.lists(st.integers(0, 3), max_size=2),
                st.dictionaries(TEXTS, TEXTS, max_size=1))
CITATION = st.dictionaries(
    st.sampled_from(["note", "source", "pages", "section", "page"]),
    st.one_of(st.integers(0, 3), st.booleans(), TEXTS, st.sampled_from(["paper"])),
    max_size=3)
OTHER_DATE = st.dictionaries(
    st.sampled_from(["date", "note", "source", "pages", "basis", "calendar", "dates"]),
    st.one_of(DATES, st.integers(0, 3), st.booleans(), TEXTS,
              st.sampled_from(["paper", "commonly given", "julian", "gregorian", "jewish"])),
    max_size=4)
VALID = {"id": "pact", "title": "Pact", "date": "1939-08-23", "summary": "Signed.",
         "aliases": ["M-R"], "tags": ["treaty"], "actors": [], "places": ["Moscow"],
         "citations": [{"note": 1}, {"source": "paper", "pages": "5"}]}
FIELD_VALUES = {
    "id": st.one_of(IDS, ANY), "title": st.one_of(TEXTS, ANY),
    "date": st.one_of(DATES, ANY), "summary": st.one_of(TEXTS, ANY),
    "aliases": st.one_of(st.lists(TEXTS, max_size=2), ANY),
    "tags": st.one_of(st.lists(TEXTS, max_size=2), ANY), "actors": ANY, "places": ANY,
    "citations": st.one_of(st.lists(CITATION, max_size=2), ANY), "sumary": TEXTS,
    "calendar": st.one_of(st.sampled_from(["julian", "gregorian", "", "Julian", "hebrew"]),
                          ANY),
    "date-as-printed": st.one_of(TEXTS, ANY),
    "part-of": st.one_of(IDS, ANY),
    "other-dates": st.one_of(st.lists(OTHER_DATE, max_size=2), ANY),
}


@st.composite
def records(draw: st.DrawFn) -> dict:
    """A valid event with zero to three fields changed, dropped or added."""
    rec = dict(VALID)
    for key in draw(st.lists(st.sampled_from(sorted(FIELD_VALUES)), max_size=3, unique=True)):
        if key in rec and draw(st.booleans()):
            del rec[key]
        else:
            rec[key] = draw(FIELD_VALUES[key])
    return rec


RECORD = records()


def _build(doc, fast: bool, monkeypatch):
    loc = ledger._Locator(Path("events.toml"), "")
    if not fast:
        # check_events calls validate.valid_event (ledger._valid_event is only an alias)
        monkeypatch.setattr(validate, "valid_event", lambda *a: None)
    try:
        return ledger.build_events(doc, loc)
    finally:
        monkeypatch.undo()


@settings(max_examples=400, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(RECORD, max_size=4))
def test_fast_path_agrees_with_the_checker(monkeypatch, records):
    doc = {"event": records}
    fast_events, fast_problems = _build(doc, True, monkeypatch)
    slow_events, slow_problems = _build(doc, False, monkeypatch)
    assert fast_events == slow_events
    assert [str(p) for p in fast_problems] == [str(p) for p in slow_problems]
