"""The index of the works that `sources QUERY` searches, kept in the cache beside the
ledger (issue 28): normalising and romanising the titles of 10k works took a second on
every run. It has the event index's layout (query/textsearch.py): a warm run reads the
tokens and titles that can reach the cut-off and the works that hold them, no more."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from farchron.query.search import SearchIndex

if TYPE_CHECKING:
    from farchron.model.records import Ledger, Source

#: The cache's key for this layout (bump it when the sections change).
KEY = "search-works-2"
#: Each query word's tokens are read from this ratio up to bound the works' scores
#: (textsearch.Tables.low). Titles are short and share words ("in the Far East"): with
#: the events' default level (69 for two words at 70) "Soviet mobilisation" scored 662
#: works to find 45; from 50 (where a token starts to count as a word hit) it scores
#: the 45. The vocabulary of 10k works is small, so reading more of it costs little.
BOUND_FROM = 50.0


def source_index(ledger: Ledger, use_cache: bool = True) -> SearchIndex:
    """The search index of the ledger's works (in `ledger.sources` order), kept in the
    cache beside the ledger like search.event_index, and searched through its tables
    as that one is. Rebuilt when any ledger file changes (sources.toml included: it is
    in the store's key)."""
    works = ledger.sources
    if not use_cache:
        return SearchIndex.build_sources(works.values())
    from farchron.query import textsearch
    from farchron.store.cache import cached_sections

    def decode(st: Any, _events: Any) -> SearchIndex:
        return textsearch.decode(st, range(len(works)), SearchIndex.mapped, whole=True,
                                 low=BOUND_FROM)

    return cached_sections(ledger, KEY, "works", "works index",
                           lambda: SearchIndex.build_sources(works.values()),
                           textsearch.encode, decode)


def matching_works(ledger: Ledger, text: str, min_score: float,
                   use_cache: bool = True) -> list[Source]:
    """The works matching `text` at `min_score`, best first, decoding only those (a cached
    ledger's works are decoded one by one: store/works.py)."""
    works = ledger.sources
    hits = source_index(ledger, use_cache).search(text, None, min_score)
    ids = list(works)
    if any(h.index >= len(ids) or ids[h.index] != h.id for h in hits):
        # not the works indexed (the cache's key says they are): search them afresh
        hits = SearchIndex.build_sources(works.values()).search(text, None, min_score)
    return [works[h.id] for h in hits]


def citing_events(ledger: Ledger, use_cache: bool = True) -> Mapping[str, Sequence[str]]:
    """The events citing each work, directly or through a note (selection.cited_by), kept
    beside the ledger's store: a warm `sources QUERY` then decodes no event (1k events
    took ~15 ms to decode for the dozens of works printed). Rebuilt with the store."""
    from farchron.query.selection import cited_by

    if not use_cache:
        return cited_by(ledger)[1]
    from farchron.store.cache import cached_index

    got = cached_index(ledger, "citing", lambda led: cited_by(led)[1])
    if not (type(got) is dict and all(type(k) is str and type(v) is list
                                      and all(type(e) is str for e in v)
                                      for k, v in got.items())):
        return cited_by(ledger)[1]  # well-checksummed but of another shape: not ours
    return got
