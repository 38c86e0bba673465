"""`sources QUERY` reads its index of the works from the cache (issue 28): the cached
index answers as a fresh one does, and a changed sources.toml rebuilds it."""

from __future__ import annotations

from pathlib import Path

from conftest import invoke, write_ledger

from farchron.query.search import SearchIndex
from farchron.query.works import source_index
from farchron.store import cache as ledgercache

#: The Ottoman seventeenth century, in Latin, Greek and Arabic scripts.
WORKS = '''
[[source]]
id = "evliya-seyahatname"
type = "book"
authors = ["Çelebi, Evliya"]
title = "Seyahatname"
original-title = "سياحتنامه"
translated-title = "Book of Travels"
issued = "1682"

[[source]]
id = "kritovoulos-history"
type = "book"
authors = ["Kritovoulos, Michael"]
title = "History of Mehmed the Conqueror"
original-title = "Ἱστορίαι"
issued = "1467"

[[source]]
id = "naima-tarih"
type = "book"
authors = ["Naima, Mustafa"]
title = "Tarih-i Naima"
publisher = "Matbaa-i Amire"
issued = "1734"

[[note]]
number = 1
text = "Evliya, Seyahatname, I, 12."
citations = [{ source = "evliya-seyahatname", pages = "12" }]
'''

EVENTS = '''
[[event]]
id = "siege-of-candia-ends"
title = "Surrender of Candia"
date = "1669-09-27"
citations = [{ note = 1 }, { source = "naima-tarih", pages = "3" }]
'''

NEW_WORK = '''
[[source]]
id = "katib-celebi-cihannuma"
type = "book"
authors = ["Katib Çelebi"]
title = "Cihannüma"
issued = "1732"
'''

QUERIES = ("Seyahatname", "evliya", "Ιστοριαι", "conqueror mehmed", "naima 1734",
           "book of travels", "Çelebi", "amire")


def _same_as_fresh(folder: Path) -> None:
    ledger = ledgercache.open_ledger(folder)
    cached, fresh = source_index(ledger), SearchIndex.build_sources(ledger.sources.values())
    for q in QUERIES:
        for min_score in (0.0, 50.0, 70.0):
            assert cached.search(q, None, min_score) == fresh.search(q, None, min_score), q
            assert cached.search(q, None, min_score) == fresh.search(
                q, None, min_score, exhaustive=True), q


def test_the_cached_works_index_answers_like_a_fresh_one(xdg: Path, tmp_path: Path) -> None:
    folder = write_ledger(tmp_path, EVENTS, WORKS)
    assert not list(xdg.rglob("*.works"))
    first = invoke("sources", "Seyahatname", "-f", "tsv", data=folder,
                   env={"FARCHRON_NO_CACHE": "", "XDG_CACHE_HOME": str(xdg)})
    assert first.exit_code == 0 and "evliya-seyahatname" in first.output
    written = list(xdg.rglob("*.works"))
    assert len(written) == 1, "the first `sources QUERY` kept no index of the works"
    stamp = written[0].stat().st_mtime_ns
    _same_as_fresh(folder)  # read from the cache file, not rebuilt
    assert written[0].stat().st_mtime_ns == stamp
    again = invoke("sources", "Seyahatname", "-f", "tsv", data=folder,
                   env={"FARCHRON_NO_CACHE": "", "XDG_CACHE_HOME": str(xdg)})
    assert again.output == first.output
    uncached = invoke("sources", "Seyahatname", "-f", "tsv", data=folder)
    assert uncached.output == first.output


def test_a_changed_sources_file_rebuilds_the_works_index(xdg: Path, tmp_path: Path) -> None:
    folder = write_ledger(tmp_path, EVENTS, WORKS)
    env = {"FARCHRON_NO_CACHE": "", "XDG_CACHE_HOME": str(xdg)}
    assert invoke("sources", "Cihannüma", data=folder, env=env).exit_code != 0
    with open(folder / "sources.toml", "a", encoding="utf-8") as fh:
        fh.write(NEW_WORK)
    found = invoke("sources", "Cihannüma", "-f", "tsv", data=folder, env=env)
    assert found.exit_code == 0 and "katib-celebi-cihannuma" in found.output, found.output
    _same_as_fresh(folder)
    ledger = ledgercache.open_ledger(folder)
    assert source_index(ledger).ids == [*(w.id for w in ledger.sources.values())]
    assert "katib-celebi-cihannuma" in source_index(ledger).ids
