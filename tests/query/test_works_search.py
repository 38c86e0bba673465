"""`sources QUERY` through the cached works index (query/works.py, in textsearch's layout)
against the exhaustive search of the works read from TOML, the oracle: the same hits,
scores and order, at 10k works. And the works the store decodes one by one
(store/works.py) are those read from TOML."""

from __future__ import annotations

import json
import marshal
import shutil
from array import array
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from farchron.ledger import load as ledger
from farchron.query.search import SearchIndex
from farchron.query.works import matching_works, source_index
from farchron.store import cache as ledgercache
from farchron.store import sections as store
from farchron.store.works import Works
from tests.conftest import SMALL, invoke, words_of

QUERIES = [
    "Soviet mobilisation", "Hanada", "Kotkin 1995", "railway purges", "Railway Purges in the "
    "Far East, volume 2220", "пакт граница", "Жуков", "会談の研究", "kaidan no kenkyu", "Nauka",
    "hata-1950-0", "hata 1950", "volume 2220", "Secret Reinforcements", "Stanford UP",
    "Alvin D.", "Fisheries Negotiationss", "incident", "the", "of the", "x", "1955",
]


def _env(xdg: Path) -> dict[str, str]:
    return {"XDG_CACHE_HOME": str(xdg), "FARCHRON_NO_CACHE": ""}


@pytest.fixture(scope="module")
def indexes(works_10k: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Any]:
    """(the works index mapped from the cache, a fresh one of the works read from TOML)."""
    xdg = tmp_path_factory.mktemp("xdg")
    mp = pytest.MonkeyPatch()
    for k, v in _env(xdg).items():
        mp.setenv(k, v)
    try:
        source_index(ledgercache.open_ledger(works_10k))  # builds and keeps it
        kept = list(xdg.rglob("*.works"))
        assert len(kept) == 1
        stamp = kept[0].stat().st_mtime_ns
        mapped = source_index(ledgercache.open_ledger(works_10k))
        assert kept[0].stat().st_mtime_ns == stamp, "the works index was rebuilt"
    finally:
        mp.undo()
    assert mapped._tables is not None  # searched through the tables, not a whole scan
    return mapped, SearchIndex.build_sources(ledger.load(works_10k).sources.values())


@pytest.mark.parametrize("q", QUERIES)
def test_the_cached_works_index_finds_what_scoring_every_work_finds(
        indexes: tuple[Any, Any], q: str) -> None:
    mapped, fresh = indexes
    for cut in (45.0, 90.0):  # 70 and others in the property test below
        want = fresh.search(q, None, cut, exhaustive=True)
        assert mapped.search(q, None, cut) == want, (q, cut)
        for limit in (1, 20):
            assert mapped.search(q, limit, cut) == want[:limit], (q, cut, limit)


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_random_queries_from_the_works_own_words(indexes: tuple[Any, Any], works_10k: Path,
                                                 data: st.DataObject) -> None:
    """Words of the works, cut short or misspelt, at any cut-off (0 and 40: a whole scan)."""
    mapped, fresh = indexes
    vocab = words_of(works_10k / "sources.toml")
    words = data.draw(st.lists(st.sampled_from(vocab), min_size=1, max_size=3))
    out = []
    for w in words:
        e = data.draw(st.integers(0, 2))
        if e == 1 and len(w) > 3:
            w = w[:-2]  # a partial word
        elif e == 2 and len(w) > 2:
            w = w[:1] + w[2:]  # a letter dropped
        out.append(w)
    q = " ".join(out)
    cut = data.draw(st.sampled_from([0.0, 40.0, 50.0, 70.0, 85.0, 100.0]))
    assert mapped.search(q, None, cut) == fresh.search(q, None, cut, exhaustive=True), (q, cut)


def test_the_cached_works_are_those_read_from_toml(works_10k: Path, xdg: Path) -> None:
    ledgercache.open_ledger(works_10k)  # builds the store
    cached = ledgercache.open_ledger(works_10k).sources
    read = ledger.load(works_10k).sources
    assert isinstance(cached, Works)
    assert len(cached) == len(read) == 10_001
    assert list(cached) == list(read)  # ledger order
    assert cached == read and read == cached
    assert "hanada-2000-2220" in cached and "no-such-work" not in cached
    assert cached.get("no-such-work") is None
    for sid, work in read.items():
        assert cached[sid].to_json() == work.to_json(), sid  # every field, as written
    assert matching_works(ledgercache.open_ledger(works_10k), "Soviet mobilisation", 70.0) \
        == matching_works(ledger.load(works_10k), "Soviet mobilisation", 70.0, False)


def test_the_command_prints_the_same_warm_cold_and_uncached(works_10k: Path,
                                                            xdg: Path) -> None:
    for q in ("Soviet mobilisation", "Hanada 2000", "пакт граница", "zzzzqqq"):
        # every format for one query (the formats share the hits), two for the others
        for fmt in ("tsv", "json", "bibtex", "chicago")[:4 if q == "Hanada 2000" else 2]:
            args = ("sources", *q.split(), "-f", fmt)
            uncached = invoke(*args, data=works_10k)
            cold = invoke(*args, data=works_10k, env=_env(xdg))
            warm = invoke(*args, data=works_10k, env=_env(xdg))
            assert (cold.exit_code, cold.output) == (uncached.exit_code, uncached.output)
            assert (warm.exit_code, warm.output) == (uncached.exit_code, uncached.output)
            assert uncached.exit_code == (1 if q == "zzzzqqq" else 0), (q, fmt)
    hits = json.loads(invoke("sources", "Soviet", "mobilisation", "-f", "json",
                             data=works_10k, env=_env(xdg)).output)
    assert len(hits) > 10 and all("events" in h for h in hits)


def _crafted(path: Path, change: Any) -> None:
    """Rewrite the store's works with valid checksums: a crafted payload, not damage."""
    s = store.Store(path)
    sections = {n: bytes(s.section(n, verify=False)) for n in s._table}
    body = list(marshal.loads(sections["meta"]))
    body[0] = change(body[0])
    sections["meta"] = marshal.dumps(tuple(body))
    store.write(path, s.meta, sections)


def _bad_row(packed: tuple[str, bytes, bytes]) -> tuple[str, bytes, bytes]:
    """The same works, but hata-2014's row holds numbers where its strings were."""
    works = Works(packed, "x")
    offs, blob = array("I", [0]), b""
    for sid, s in works.items():
        blob += marshal.dumps((sid, 1, 2, 3, 4, 5) if sid == "hata-2014" else
                              (s.id, s.type, s.title, s.authors, s.issued,
                               tuple(s.fields.items())))
        offs.append(len(blob))
    return packed[0], offs.tobytes(), blob


@pytest.mark.parametrize("change", [
    _bad_row,
    lambda p: (p[0], p[1][:-4], p[2]),  # offsets of another length
    lambda p: ("\n".join(reversed(p[0].split("\n"))), p[1], p[2]),  # ids out of step
    lambda p: (p[0], p[1], p[2][:-1]),  # rows cut short
    lambda p: 42,  # not the works at all
])
def test_crafted_works_are_rebuilt_not_shown(tmp_path: Path, xdg: Path, change: Any) -> None:
    folder = tmp_path / "ledger"
    shutil.copytree(SMALL, folder)
    want = invoke("sources", "Hata", "-f", "json", data=folder)
    assert want.exit_code == 0 and "hata-2014" in want.output
    assert invoke("sources", "-f", "tsv", data=folder, env=_env(xdg)).exit_code == 0
    (path,) = xdg.rglob("*.ledger.store")
    _crafted(path, change)
    got = invoke("sources", "Hata", "-f", "json", data=folder, env=_env(xdg))
    assert (got.exit_code, got.stdout) == (0, want.output)
    assert "damaged" in got.stderr, got.stderr
    again = invoke("sources", "Hata", "-f", "json", data=folder, env=_env(xdg))
    assert (again.exit_code, again.stdout, again.stderr) == (0, want.output, "")


def test_the_events_citing_each_work_follow_an_add(tmp_path: Path, xdg: Path) -> None:
    """The events column comes from a file kept beside the store: an `add` renews it."""
    folder = tmp_path / "ledger"
    shutil.copytree(SMALL, folder)
    before = json.loads(invoke("sources", "Hata", "-f", "json", data=folder,
                               env=_env(xdg)).output)
    assert list(xdg.rglob("*.citing")), "the events citing each work were not kept"
    added = invoke("add", "event", "--title", "Hata reads the Kwantung Army files",
                   "--date", "1939-08-20", "--cite", "hata-2014:12", data=folder, env=_env(xdg))
    assert added.exit_code == 0, added.output
    new_id = added.stdout.strip()
    after = json.loads(invoke("sources", "Hata", "-f", "json", data=folder,
                              env=_env(xdg)).output)
    hata = next(w for w in after if w["id"] == "hata-2014")
    assert new_id in hata["events"]
    assert [w["events"] for w in after if w["id"] != "hata-2014"] \
        == [w["events"] for w in before if w["id"] != "hata-2014"]
    assert after == json.loads(invoke("sources", "Hata", "-f", "json", data=folder).output)


@pytest.mark.parametrize("value", [[1, 2], {"hata-2014": "not a list"}, {"x": [3]}])
def test_a_citing_file_of_another_shape_is_not_believed(tmp_path: Path, xdg: Path,
                                                         value: Any) -> None:
    folder = tmp_path / "ledger"
    shutil.copytree(SMALL, folder)
    want = invoke("sources", "Hata", "-f", "json", data=folder)
    assert invoke("sources", "Hata", "-f", "json", data=folder, env=_env(xdg)).exit_code == 0
    (path,) = xdg.rglob("*.citing")
    store.write(path, store.Store(path).meta, {"value": marshal.dumps(value)})
    got = invoke("sources", "Hata", "-f", "json", data=folder, env=_env(xdg))
    assert (got.exit_code, got.stdout) == (0, want.output)
