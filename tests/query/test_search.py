"""`farchron search` and `show`, and search.py: normalisation, cross-script matching, ranking."""

from __future__ import annotations

import json
import marshal
import unicodedata

import pytest

from farchron.ledger.load import load
from farchron.query import search
from farchron.query.search import SearchIndex, normalize
from tests.conftest import ROOT, invoke


@pytest.mark.parametrize(("a", "b"), [
    ("Tōgō", "Togo"),
    ("TOGO", "togo"),
    (unicodedata.normalize("NFD", "Tōgō"), unicodedata.normalize("NFC", "Tōgō")),
    ("Straße", "STRASSE"),
    ("ｎｏｍｏｎｈａｎ", "nomonhan"),                 # NFKC: full-width Latin
    ("Кривошеев", "Krivosheev"),
    ("Халхин-Гол", "Khalkhin Gol"),
    ("Khalkhin-Gol", "khalkhin gol"),
    ("Molotov–Ribbentrop", "Molotov Ribbentrop"),
    ("Xi'an", "Xian"),
    ("“Nomonhan”,", "nomonhan"),
    ("ノモンハン", "nomonhan"),                       # kana romanised
])
def test_normalisation_makes_spellings_meet(a, b):
    assert normalize(a) == normalize(b)


def test_han_stays_han_so_kanji_do_not_turn_into_latin_syllables():
    assert normalize("ノモンハン事件") == "nomonhan 事件"
    assert "xian" not in normalize("巴里陥落")


def _ids(*args: str, **kw) -> list[str]:
    r = invoke("search", *args, **kw)
    assert r.exit_code == 0, r.stderr
    return [line.split("\t")[0] for line in r.stdout.splitlines()]


@pytest.mark.parametrize("query", ["Khalkin Gol", "Khalkhin-Gol", "khalkhingol", "Халхин-Гол",
                                   "nomonhon", "NOMONHAN", "ノモンハン事件"])
def test_misspellings_and_scripts_find_nomonhan_first(query):
    assert _ids(query)[0] == "nomonhan"


def test_latin_finds_cyrillic_and_the_reverse():
    # the fixture's Cyrillic is in an alias; the query is Latin, and vice versa
    assert _ids("Khalkhin Gol")[0] == "nomonhan"
    assert _ids("Кривошеев", data=ROOT)[0] == "nomonhan-incident"  # summary says Krivosheev


def test_diacritics_folded_on_both_sides():
    assert _ids("Togo") == _ids("Tōgō") == _ids("TOGO")
    assert _ids("Togo")[0] == "autumn"


def test_title_beats_summary():
    # "cannae" is the title of one event and nowhere else; "apulia" is only a place/summary
    r = invoke("search", "Hannibal", "-f", "json")
    hit = json.loads(r.stdout)[0]
    assert hit["id"] == "cannae" and hit["score"] == 85.0  # summary only: at most 85
    r = invoke("search", "Battle of Cannae", "-f", "json")
    assert json.loads(r.stdout)[0]["score"] == 100.0


def test_ranking_on_the_shipped_ledger():
    r = invoke("search", "Khalkin Gol", "-f", "json", data=ROOT)
    hits = json.loads(r.stdout)
    assert hits[0]["id"] == "nomonhan-incident"
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)
    assert all(0 <= h["score"] <= 100 for h in hits)
    assert {"id", "title", "date", "start", "end", "citations", "score"} <= set(hits[0])


def test_no_hit_prints_nothing_and_exits_1():
    r = invoke("search", "zzqqxxjj")
    assert (r.exit_code, r.stdout) == (1, "")


def test_min_score_limit_period_and_tag():
    assert _ids("Togo", "--limit", "1") == ["autumn"]
    assert invoke("search", "Hannibal", "--min-score", "90").exit_code == 1
    assert _ids("nomonhan", "1939") == ["nomonhan"]
    assert invoke("search", "nomonhan", "1945").exit_code == 1
    assert invoke("search", "nomonhan", "--tag", "treaty").exit_code == 1
    assert _ids("nomonhan", "--tag", "battle", "--from", "1939-06") == ["nomonhan"]


def test_tsv_columns_put_the_score_last():
    r = invoke("search", "Battle of Cannae")
    assert r.stdout.splitlines()[0] == (
        "cannae\t-0215-08\t-0215-08-01\t-0215-08-31\tAug 216 BC\tBattle of Cannae\t100.0")


QUERIES = ["Khalkin Gol", "Кривошеев", "nomonhon", "Togo", "Tōgō Shigenori", "Zhukov",
           "molotov ribbentrop", "xian", "tamsag", "Hull", "neutrality pact", "atomic bomb",
           "Manchuria 1945", "ノモンハン", "cabinet", "Sato Molotov", "q"]


@pytest.mark.parametrize("vector_min", [10**9, 0], ids=["python", "numpy"])
@pytest.mark.parametrize("min_score", [50, 70, 90])
def test_prefilter_equals_exhaustive_search(min_score, vector_min, monkeypatch):
    # vector_min 0: the whole-array bounds that big ledgers use, on the shipped one
    monkeypatch.setattr(search, "VECTOR_MIN", vector_min)
    index = SearchIndex.build(load(ROOT).events)
    for q in QUERIES:
        fast = index.search(q, None, min_score)
        assert fast == index.search(q, None, min_score, exhaustive=True), q


@pytest.mark.parametrize("min_score", [50, 70, 90])
def test_best_first_with_a_limit_equals_the_exhaustive_top(min_score, monkeypatch):
    # the numpy path scores records in the order of their bounds and stops early for a
    # --limit: the same hits, scores and order (ties: lower index) as scoring them all
    monkeypatch.setattr(search, "VECTOR_MIN", 0)
    index = SearchIndex.build(load(ROOT).events)
    for q in QUERIES:
        every = index.search(q, None, min_score, exhaustive=True)
        for limit in (0, 1, 2, 5, 20):
            assert index.search(q, limit, min_score) == every[:limit], (q, limit)


def test_index_survives_its_plain_form():
    index = SearchIndex.build(load(ROOT).events)
    again = SearchIndex.from_plain(marshal.loads(marshal.dumps(index.to_plain())))
    assert again.fields == index.fields
    assert again.search("Khalkin Gol", None, 50) == index.search("Khalkin Gol", None, 50)
    ids, texts, kinds, starts, vocab, pair, tok, off = index.to_plain()
    with pytest.raises(ValueError):
        SearchIndex.from_plain((ids, texts[:-1], kinds, starts, vocab, pair, tok, off))


def test_index_is_plain_strings():
    index = SearchIndex.build(load(ROOT).events)
    assert all(isinstance(i, str) for i in index.ids)
    assert all(isinstance(k, str) and isinstance(v, str) for fs in index.fields for k, v in fs)


def test_show_resolves_citations():
    r = invoke("show", "nomonhan")
    assert r.exit_code == 0
    assert r.stdout.startswith("Nomonhan Incident\n\nid:       nomonhan\n")
    assert ("  - note 1: G. F. Krivosheev, Rossiia i SSSR v voinakh XX veka: Kniga poter’ "
            "Россия и СССР в войнах XX века: Книга потерь (Вече, 2010), 159.") in r.stdout
    data = json.loads(invoke("show", "nomonhan", "-f", "json").stdout)
    assert data["citations"][0]["source"] == "krivosheev-2010"
    assert data["citations"][0]["pages"] == "159"


def test_show_unknown_id_suggests_nearest():
    r = invoke("show", "nomonhann")
    assert r.exit_code == 1 and r.stdout == ""
    assert "did you mean: nomonhan" in r.stderr


def test_show_prints_markup_literally():
    r = invoke("show", "markup")
    assert r.stdout.startswith("[bold red]Not bold[/] and :warning: and [/] closing\n")
    assert "\x1b" not in r.stdout and "\u202e" not in r.stdout
