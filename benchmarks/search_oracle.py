"""The indexed search against the exhaustive one on a big ledger (the 100k oracle).

Usage: python benchmarks/search_oracle.py FOLDER [QUERY ...]

Maps the search index from the cache (building it first when needed), then, for each
query at the cut-offs of `search` (70) and `cite` (90), compares the hits of the indexed
path (query/textsearch.py) with scoring every record of the same index in memory, and the
top 20 with the best-first path. Prints one line per query and cut-off with both times;
exits 1 on any difference. Too slow for the test suite at 100k (the exhaustive side scores
every record: seconds a query); tests/query/test_textsearch.py runs the same at 10k.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

QUERIES = [
    "Nomonhan incident", "Khalkhin Gol", "Khalkin Gol", "Zhukov", "Zhukv", "Халхин-Гол",
    "Жуков", "ノモンハン事件", "関東軍", "treaty", "Vladivo", "memorandum of 1902",
    "ev-0050840-nomonhan", "Tokyo memorandum", "Kwantung Army", "of the",
]


def main(argv: list[str]) -> int:
    from farchron.query import textsearch
    from farchron.query.search import SearchIndex, event_index
    from farchron.store.cache import open_ledger

    folder = Path(argv[0])
    queries = argv[1:] or QUERIES
    mapped = event_index(open_ledger(folder))
    tables = mapped._tables
    if tables is None:
        print("the index was not mapped from the cache (is the cache off?)", file=sys.stderr)
        return 2
    plain = SearchIndex.from_plain(textsearch.plain((
        mapped.ids, mapped.texts, mapped.kinds, mapped.starts, mapped._vocab, mapped._pair,
        mapped._tok, mapped._tok_off)))
    bad = 0
    for q in queries:
        for cut in (70.0, 90.0):
            t = time.perf_counter()
            want = plain.search(q, None, cut, exhaustive=True)
            t_all = time.perf_counter() - t
            t = time.perf_counter()
            got = mapped.search(q, None, cut)
            top = mapped.search(q, 20, cut)
            t_idx = time.perf_counter() - t
            same = got == want and top == want[:20]
            bad += not same
            print(f"{'same' if same else 'DIFFERENT'}\t{cut:g}\t{len(want)} hits\t"
                  f"exhaustive {t_all:.2f} s\tindexed {t_idx:.3f} s\t{q}", flush=True)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
