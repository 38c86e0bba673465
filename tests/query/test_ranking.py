"""Search puts the obvious event first: a table of queries on the shipped ledger.

Every row is a query a reader of the paper would type, and the event they mean. The
table runs through the real command at the default cut-off, so a change of weights
that buries an exact title under summary mentions fails here.
"""

from __future__ import annotations

import contextlib
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from farchron.dates import edtf as dates
from farchron.ledger.load import load
from farchron.query.search import SearchIndex, query_weights, split_dates
from tests.conftest import ROOT, invoke

RANKING = [
    # (query, the event meant)
    ("Soviet entry into the war", "soviet-entry-into-war-against-japan"),
    ("Soviet declaration of war on Japan", "soviet-accession-potsdam-declaration"),
    ("August Storm", "soviet-entry-into-war-against-japan"),
    ("liaison conference", "liaison-conference-principles-world-situation"),
    ("Khalkhin Gol", "nomonhan-incident"),
    ("Халхин-Гол", "nomonhan-incident"),
    ("Potsdam Declaration", "potsdam-declaration"),
    ("the Potsdam Declaration of July 1945", "potsdam-declaration"),
    ("Marco Polo Bridge", "marco-polo-bridge-incident"),
    ("Neutrality Pact", "japan-soviet-neutrality-pact"),
    ("Shumshu", "shumshu-landing"),
    ("Port Arthur", "russo-japanese-war"),
    ("Nomonhan 1939", "nomonhan-incident"),
    ("Nomonhan Incident 1939", "nomonhan-incident"),
    ("Potsdam 1945", "potsdam-conference"),
    ("Changkufeng 1938", "changkufeng-incident"),
    ("Siberian Intervention 1918", "siberian-intervention"),
    ("Molotov Ribbentrop", "german-soviet-non-aggression-pact"),
    ("Hiroshima", "hiroshima-atomic-bombing"),
    ("Lake Khasan", "changkufeng-incident"),
    ("Manchurian Incident", "manchurian-incident"),
    ("Tripartite Pact", "tripartite-pact"),
    ("Pearl Harbor", "pearl-harbor-attack"),
    ("Hull note", "hull-note"),
    ("Kuril Islands", "soviet-kuril-islands-invasion"),
    ("Yalta agreement Far East", "yalta-secret-agreement"),
    ("Sato Lozovsky", "sato-lozovsky-meeting"),
    ("Treaty of Portsmouth", "treaty-of-portsmouth"),
    ("Cannae", "battle-of-cannae"),
    ("Tamsk", "bombing-of-tamsk"),
    ("Zhukov", "first-army-group-formed"),
    ("soviet-entry-into-war-against-japan", "soviet-entry-into-war-against-japan"),
    # cross-script and misspelt recall stays where it was
    ("Кривошеев", "nomonhan-incident"),
    ("ノモンハン", "nomonhan-incident"),
    ("nomonhon", "nomonhan-incident"),
]


@pytest.mark.parametrize(("query", "first"), RANKING, ids=[q for q, _ in RANKING])
def test_the_obvious_event_comes_first(query: str, first: str) -> None:
    r = invoke("search", query, "-f", "json", data=ROOT)
    assert r.exit_code == 0, (query, r.stderr)
    hits = json.loads(r.stdout)
    assert hits[0]["id"] == first, [(h["id"], h["score"]) for h in hits[:4]]


def test_a_name_hit_outranks_summary_mentions() -> None:
    # the case: the event was 4th (83) behind three summary mentions (85)
    index = SearchIndex.build(load(ROOT).events)
    hits = index.search("Soviet entry into the war", None, 70)
    assert hits[0].id == "soviet-entry-into-war-against-japan"
    assert hits[0].field != "summary" and hits[0].score > 85
    assert all(h.score <= 85 for h in hits if h.field == "summary")


def test_a_year_in_the_query_narrows_to_it_and_an_empty_one_is_a_word() -> None:
    r = invoke("search", "Potsdam 1945", "-f", "json", data=ROOT)
    assert all(h["start"] <= "1945-12-31" and h["end"] >= "1945-01-01"
               for h in json.loads(r.stdout))
    # no event at all in year 216: "216" stays a word, and Cannae is still found
    r = invoke("search", "Cannae 216", "-f", "json", data=ROOT)
    assert json.loads(r.stdout)[0]["id"] == "battle-of-cannae"
    # the query's year and PERIOD both apply
    assert invoke("search", "Nomonhan 1939", "1945", data=ROOT).exit_code == 1


def test_extra_words_cost_little() -> None:
    r = invoke("search", "Nomonhan Incident Mongolia", "-f", "json", data=ROOT)
    assert json.loads(r.stdout)[0]["id"] == "nomonhan-incident"


def test_stop_words_weigh_nothing_unless_alone() -> None:
    assert query_weights(["soviet", "entry", "into", "the", "war"]) == [1, 1, 0, 0, 1]
    assert query_weights(["the", "of"]) == [1, 1]


@pytest.mark.parametrize(("query", "words", "found"), [
    ("Nomonhan 1939", "Nomonhan", ["1939"]),
    ("Nomonhan Incident 1939", "Nomonhan Incident", ["1939"]),
    ("Potsdam July 1945", "Potsdam", ["1945-07"]),
    ("23 Aug 1939 pact", "pact", ["1939-08-23"]),
    ("summer 1945 Kuril", "Kuril", ["1945-22"]),
    ("x 1939-05/1939-09", "x", ["1939-05/1939-09"]),
    ("Cannae 216 BC", "Cannae", ["216BC"]),
    ("Sakhalin 1920..1925", "Sakhalin", ["1920..1925"]),
    ("Potsdam Declaration", "Potsdam Declaration", []),
    ("Mayor 1945", "Mayor", ["1945"]),
    ("60.6% budget", "60.6% budget", []),
])
def test_split_dates(query: str, words: str, found: list[str]) -> None:
    assert split_dates(query) == (words, found)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(
    st.sampled_from(["Nomonhan", "Aug", "May", "summer", "BC", "..", "/", "-", "1939",
                     "216", "1939-08", "23", "193X", "1945~"]),
    st.text(min_size=1, max_size=6)), max_size=6).map(" ".join))
def test_split_dates_never_invents_or_loses_words(query: str) -> None:
    words, found = split_dates(query)
    for w in found:  # a date parses, or is refused cleanly ("1939-13": the query stays whole)
        with contextlib.suppress(dates.DateError):
            dates.parse_period(w)
    assert all(w in query for w in words.split())


@pytest.mark.parametrize("vector_min", [10**9, 0], ids=["python", "numpy"])
def test_ranking_queries_lose_nothing_to_the_prefilters(vector_min: int, monkeypatch) -> None:
    from farchron.query import search

    monkeypatch.setattr(search, "VECTOR_MIN", vector_min)
    index = SearchIndex.build(load(ROOT).events)
    for q, _first in [*RANKING, ("Nomonhan Incident Mongolia", ""), ("the of", "")]:
        for min_score in (60, 85):
            assert index.search(q, None, min_score) == index.search(
                q, None, min_score, exhaustive=True), q
