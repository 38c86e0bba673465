"""The index of the works that `sources QUERY` searches, kept in the cache beside the
ledger (issue 28): normalising and romanising the titles of 10k works took a second on
every run."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from farchron.query.search import SearchIndex

if TYPE_CHECKING:
    from farchron.model.records import Ledger


def source_index(ledger: Ledger, use_cache: bool = True) -> SearchIndex:
    """The search index of the ledger's works (in `ledger.sources` order), kept in the
    cache beside the ledger like search.event_index. Rebuilt when any ledger file
    changes (sources.toml included: it is in the store's key)."""
    works = list(ledger.sources.values())
    if not use_cache:
        return SearchIndex.build_sources(works)
    from farchron.store.cache import cached_sections
    from farchron.store.sections import join_strings

    def encode(ix: SearchIndex) -> dict[str, Any]:
        ids, texts, kinds, starts, vocab, pair, tok, off = ix.to_plain()
        return {"sw.ids": join_strings(ids), "sw.texts": join_strings(texts), "sw.kinds": kinds,
                "sw.starts": starts, "sw.vocab": join_strings(vocab), "sw.pair": pair,
                "sw.tok": tok, "sw.tokoff": off}

    def decode(st: Any, _events: Any) -> SearchIndex:
        ids = st.strings("sw.ids", len(works)) if works else []
        if ids != [w.id for w in works]:
            raise ValueError("the works are not those indexed")
        texts, vocab = st.strings("sw.texts"), st.strings("sw.vocab")
        return SearchIndex.from_plain((
            ids, texts, bytes(st.section("sw.kinds")),
            st.array("sw.starts", "I", len(ids) + 1), vocab, bytes(st.section("sw.pair")),
            st.array("sw.tok", "I"), st.array("sw.tokoff", "I", len(texts) + 1)))

    return cached_sections(ledger, "search-works-1", "works", "works index",
                           lambda: SearchIndex.build_sources(works), encode, decode)
