"""Search through the cached text index (query/textsearch.py) against the exhaustive
search, the oracle: the same hits, scores and order, for every kind of query."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from farchron.ledger import load as ledger
from farchron.query import search, textsearch
from farchron.query.search import SearchIndex
from farchron.store import cache as ledgercache
from farchron.store import textindex
from tests.conftest import invoke, words_of

QUERIES = [
    "Nomonhan incident", "Khalkhin Gol", "Khalkin Gol", "Nomonhn", "Zhukov", "Zhukv",
    "Халхин-Гол", "Жуков", "ノモンハン事件", "関東軍", "nomonhan jiken", "treaty",
    "Vladivostok offensive", "Vladivo", "memorandum of 1902", "the", "of the", "x",
    "ev-0000500", "Tokyo memorandum", "Kwantung Army", "border incident 1939",
]


@pytest.fixture(scope="module")
def indexes(ledger_10k: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Any]:
    """(the index mapped from the cache, a fresh in-memory one) of the 10k ledger."""
    xdg = tmp_path_factory.mktemp("xdg")
    mp = pytest.MonkeyPatch()
    mp.setenv("XDG_CACHE_HOME", str(xdg))
    mp.setenv("FARCHRON_NO_CACHE", "")
    try:
        led = ledgercache.open_ledger(ledger_10k)
        search.cached_event_index(led, lambda: SearchIndex.build(led.events))
        mapped = search.cached_event_index(ledgercache.open_ledger(ledger_10k),
                                           lambda: pytest.fail("rebuilt"))  # type: ignore
    finally:
        mp.undo()
    assert mapped._tables is not None  # searched through the tables, not a whole scan
    return mapped, SearchIndex.build(ledger.load(ledger_10k).events)


@pytest.mark.parametrize("q", QUERIES)
def test_the_index_finds_what_scoring_every_record_finds(indexes: tuple[Any, Any],
                                                         q: str) -> None:
    mapped, fresh = indexes
    for cut in (45.0, 90.0):  # 70 in the property test and in test_cache
        want = fresh.search(q, None, cut, exhaustive=True)
        assert mapped.search(q, None, cut) == want, (q, cut)
        for limit in (1, 20):
            assert mapped.search(q, limit, cut) == want[:limit], (q, cut, limit)


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_random_queries_from_the_ledgers_own_words(indexes: tuple[Any, Any], ledger_10k: Path,
                                                   data: st.DataObject) -> None:
    """Words of the ledger, cut short, misspelt or run together, at any cut-off."""
    mapped, fresh = indexes
    vocab = words_of(ledger_10k / "events.toml")
    words = data.draw(st.lists(st.sampled_from(vocab), min_size=1, max_size=3))
    edits = data.draw(st.lists(st.integers(0, 4), min_size=len(words), max_size=len(words)))
    out = []
    for w, e in zip(words, edits, strict=True):
        if e == 1 and len(w) > 3:
            w = w[:-2]  # a partial word
        elif e == 2 and len(w) > 2:
            i = data.draw(st.integers(0, len(w) - 2))
            w = w[:i] + w[i + 1] + w[i] + w[i + 2:]  # a typo: two letters swapped
        elif e == 3 and len(w) > 2:
            w = w[:1] + w[2:]  # a letter dropped
        out.append(w)
    q = ("" if data.draw(st.booleans()) else " ").join(out)
    cut = data.draw(st.sampled_from([41.0, 50.0, 70.0, 85.0, 90.0, 100.0]))
    limit = data.draw(st.sampled_from([None, 1, 5, 20]))
    want = fresh.search(q, None, cut, exhaustive=True)
    assert mapped.search(q, limit, cut) == (want if limit is None else want[:limit]), (q, cut)


def test_filters_and_low_cut_offs_go_the_same_way(indexes: tuple[Any, Any]) -> None:
    mapped, fresh = indexes
    only = set(range(0, len(fresh.ids), 7))
    for q in ("Nomonhan incident", "Zhukov"):
        for cut in (0.0, 40.0, 70.0):  # at MISS_FLOOR and below: a whole scan
            assert (mapped.search(q, 20, cut, only=only)
                    == fresh.search(q, 20, cut, only=only, exhaustive=False)
                    == fresh.search(q, 20, cut, only=only, exhaustive=True)), (q, cut)


def test_the_cite_and_search_commands_print_the_same_warm_and_cold(
        ledger_10k: Path, tmp_path: Path) -> None:
    env = {"XDG_CACHE_HOME": str(tmp_path / "xdg")}
    for args in (["search", "Khalkhin Gol", "-n", "40"], ["cite", "Nomonhan incident"],
                 ["search", "Жуков", "-f", "json"], ["cite", "ノモンハン事件", "-f", "json"]):
        cold = invoke("--no-cache", *args, data=ledger_10k)
        for _ in range(2):  # the first run builds the index, the second maps it
            warm = invoke(*args, data=ledger_10k, env=env)
            assert (warm.exit_code, warm.stdout) == (cold.exit_code, cold.stdout), args


def test_the_bound_module_keeps_searchs_constants() -> None:
    assert textsearch.MISS_FLOOR == search.MISS_FLOOR
    assert textsearch.ELSEWHERE == search.ELSEWHERE
    assert search.KINDS[textsearch.SUMMARY] == "summary"


@given(st.text(alphabet="ab 12é", max_size=12), st.text(alphabet="ab 12é", max_size=12))
def test_the_character_classes_bound_the_longest_common_subsequence(a: str, b: str) -> None:
    from rapidfuzz.distance import LCSseq

    bound = textindex.lcs_bound(textindex.classes(a), textindex.classes(b))
    assert LCSseq.similarity(a, b) <= bound


def test_a_damaged_block_is_noticed_before_its_data_is_used(tmp_path: Path) -> None:
    from farchron.store import sections

    words = [f"word{i} {'x' * (i % 50)}" for i in range(5000)]
    path = tmp_path / "t.store"
    sections.write(path, "meta", textindex.strings_sections("s", words))
    strings = textindex.Strings(sections.Store(path), "s", len(words))
    assert strings[4999] == words[4999] and strings.span(10, 13) == words[10:13]
    raw = bytearray(path.read_bytes())
    at = raw.index(b"word4000 ")
    raw[at] ^= 0x20
    path.write_bytes(raw)
    damaged = textindex.Strings(sections.Store(path), "s", len(words))
    assert damaged[0] == words[0]  # another block: still read
    with pytest.raises(sections.StoreError, match="checksum"):
        damaged[4000]


def test_a_damaged_fine_block_is_noticed_and_the_blocks_beside_it_still_read(
        tmp_path: Path) -> None:
    """Big token and field sections are checked per textsearch.FINE block: damage in one
    is noticed when that block is read, while a record in the next block still reads."""
    from array import array

    from farchron.store import sections

    fine = textsearch.FINE
    tokens = array("I", range(textindex.FINE_FROM // 4 + fine))  # over FINE_FROM bytes
    words = [f"field{i:06d}" for i in range(textindex.FINE_FROM // 10)]
    path = tmp_path / "t.store"
    sections.write(path, "meta", {**textindex.checked_sections("tok", tokens.tobytes(), fine),
                                  **textindex.strings_sections("s", words, fine)})
    st = sections.Store(path)
    assert list(textindex.Checked(st, "tok", "I", block=fine)[fine // 4 - 2:fine // 4 + 2]) \
        == list(range(fine // 4 - 2, fine // 4 + 2))  # a slice across two blocks
    with pytest.raises(sections.StoreError, match="does not fit its checksums"):
        textindex.Checked(st, "tok", "I")  # read with another block size than written
    raw = bytearray(path.read_bytes())
    raw[raw.index(b"field050000")] ^= 0x20
    at = raw.index(tokens[fine // 4 + 10:fine // 4 + 11].tobytes()
                   + tokens[fine // 4 + 11:fine // 4 + 12].tobytes())
    raw[at] ^= 0x01
    path.write_bytes(raw)
    st = sections.Store(path)
    tok = textindex.Checked(st, "tok", "I", block=fine)
    assert list(tok[0:5]) == [0, 1, 2, 3, 4]  # the block before: still read
    assert tok[fine // 2 + 3] == fine // 2 + 3  # and the one after
    with pytest.raises(sections.StoreError, match="checksum"):
        tok[fine // 4 + 8:fine // 4 + 12]
    strings = textindex.Strings(st, "s", len(words), block=fine)
    assert strings[0] == words[0] and strings[-1] == words[-1]
    with pytest.raises(sections.StoreError, match="checksum"):
        strings[50000]


def test_a_small_section_keeps_the_big_block_whatever_its_reader_asks() -> None:
    """Under FINE_FROM a section is one big block (checked whole at the cost of one), so a
    small ledger's index reads as before."""
    small = textindex.checked_sections("s", bytes(textindex.FINE_FROM))
    big = textindex.checked_sections("s", bytes(textindex.FINE_FROM + 1), textsearch.FINE)
    assert len(small["s.crc"]) == 4 * (textindex.FINE_FROM // textindex.BLOCK)
    assert len(big["s.crc"]) == 4 * -(-(textindex.FINE_FROM + 1) // textsearch.FINE)
    assert textindex.checked_sections("s", bytes(1000), textsearch.FINE)["s.crc"] \
        == textindex.checked_sections("s", bytes(1000))["s.crc"]


@pytest.mark.parametrize("q", ["Nomonhan incident", "Zhukov", "Kwantung Army", "of the"])
def test_scoring_with_a_memo_shared_by_the_records_equals_scoring_each_alone(
        indexes: tuple[Any, Any], q: str) -> None:
    """_score keeps each word's best token by a field's tokens across the records of one
    query: every record scores as it does with nothing kept."""
    from rapidfuzz import fuzz

    _mapped, fresh = indexes
    fresh._ensure_tokens()
    norm = search.normalize(q)
    weights = search.query_weights(norm.split())
    shared: dict[bytes, Any] = {}
    sims = [search._Sims(w, fresh._vocab, fuzz.ratio) for w in norm.split()]
    for i in range(0, len(fresh.ids), 3):
        js = range(fresh.starts[i], fresh.starts[i + 1])
        alone = [search._Sims(w, fresh._vocab, fuzz.ratio) for w in norm.split()]
        assert fresh._score(js, norm, weights, sims, fuzz.ratio, shared) \
            == fresh._score(js, norm, weights, alone, fuzz.ratio), (q, i)
    assert shared  # fields were kept


def test_a_warm_cite_prints_what_a_cold_one_does_in_every_format(
        ledger_10k: Path, tmp_path: Path) -> None:
    """cite formats every hit: through the index's bounds and kept short forms, each
    output format is the same as with no cache at all."""
    env = {"XDG_CACHE_HOME": str(tmp_path / "xdg")}
    for args in (["cite", "Kwantung Army", "-f", "markdown", "--bibliography"],
                 ["cite", "Nomonhan incident", "--edition", "18", "--as-printed"],
                 ["cite", "Vladivostok offensive", "-f", "json", "--bibliography"],
                 ["cite", "Khalkhin Gol", "--min-score", "70", "--limit", "30"]):
        cold = invoke("--no-cache", *args, data=ledger_10k)
        warm = invoke(*args, data=ledger_10k, env=env)
        assert cold.exit_code == 0 and cold.stdout.count("\n") > 10, args
        assert (warm.exit_code, warm.stdout) == (cold.exit_code, cold.stdout), args
