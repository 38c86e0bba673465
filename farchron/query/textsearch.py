"""Search through the cached text index: posting lists propose candidates, search ranks them.

The cache keeps, beside the ledger's store, the search index's flat arrays read piece by
piece (store/textindex.py) and two tables of distinct strings with their records: every
token (`tx.words`) and every whole field (`tx.phrases`). A warm search reads the tokens
and fields that can reach the cut-off and the records that hold them, not the whole index.

Why the candidates are exact (the same hits as scoring every record, tested against
`SearchIndex.search(exhaustive=True)`): a record scores w * max(ratio(query, field),
token) over its fields (search.SearchIndex._score). `token` is a weighted mean over the
query's words of max(word's best token in the field, its best in another field times
that field's weight, MISS_FLOOR), times factors <= 1. So when no token of the record
has ratio >= cut-off with any weighted query word, and the cut-off is above MISS_FLOOR,
every term of the mean is under the cut-off and so is `token`: the record can pass only
through a field whose ratio to the whole query reaches the cut-off. Candidates are
therefore the records holding a token within the cut-off of a query word, plus those
holding a field within the cut-off of the query; every other record scores under it.
Both are found without scanning everything: ratio(a, b) = 200 * LCS(a, b) / (len a +
len b), and an LCS pairs only equal characters, so it is at most the sum over spaces,
digits and other characters of the smaller count (`lcs_bound`); whole buckets of strings
whose counts cannot reach the cut-off are skipped (nearly all of a ledger's ids and
numbers), and rapidfuzz scans the rest. Each candidate gets a bound of its score (its
best ratio per query word, or the cut-off for a word it has no near token for; its best
whole-field ratio), so `search --limit` scores the best bounds first and stops early.
At a cut-off of MISS_FLOOR or below no such bound holds, and the index is scanned whole.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Collection, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from farchron.store.textindex import (
    Checked,
    Strings,
    Table,
    checked_sections,
    classes,
    lcs_bound,
    strings_sections,
)

if TYPE_CHECKING:
    from farchron.model.records import Ledger
    from farchron.query.search import SearchIndex
    from farchron.store.sections import Store

#: The cache's key for this layout (bump it when the sections change).
KEY = "search-events-4"
_EPS = 1e-6
MISS_FLOOR = 40.0  # search.MISS_FLOOR (search imports this module, not the other way)
_CHUNK = 1 << 16  # records per numpy pass while building the posting lists


class Tables:
    """The two tables of a mapped index: tokens and whole fields, each with its records."""

    def __init__(self, st: Store) -> None:
        self.store = st  # keeps the mapping alive
        self.words = Table(st, "tx.words")
        self.phrases = Table(st, "tx.phrases")


def _near(table: Table, text: str, cut: float, ratio: Any, extract: Any) -> Iterator[
        tuple[int, float]]:
    """(position, ratio) of every string of `table` within `cut` of `text`."""
    key, n = classes(text), len(text)

    def may_reach(k: tuple[int, int, int]) -> bool:
        return 200 * lcs_bound(key, k) / (n + sum(k)) >= cut

    for lo, hi in table.spans(may_reach):
        for _s, score, k in extract(text, table.strings.span(lo, hi), scorer=ratio,
                                    score_cutoff=cut, limit=None):
            yield lo + k, score


def candidates(starts: Any, tables: Tables, q: str, qwords: Sequence[str],
               weights: Sequence[float], min_score: float,
               allowed: Collection[int] | None) -> list[tuple[int, range, float]]:
    """Every record that may score `min_score` (> MISS_FLOOR), with its fields and a bound
    of its score; see the module docstring for why no other record can."""
    from rapidfuzz import fuzz, process

    cut = max(min_score - _EPS, 0.0)
    words = [(w, wt) for w, wt in zip(qwords, weights, strict=True) if wt]
    # A record's words under `low` cannot lift it to the cut-off when its other words
    # score 100: tokens from `low` up only tighten the bounds, those from `cut` make
    # candidates. A word without a token at `low` is bounded by `low`.
    k = len(words)
    low = k * min_score - (k - 1) * 100 - 1
    if low <= MISS_FLOOR:  # MISS_FLOOR bounds a missing word anyway: no use scanning lower
        low = min_score
    tops: list[dict[int, float]] = []  # per weighted word: each record's best token ratio
    found: set[int] = set()
    for w, _wt in words:
        near = []
        for t, score in _near(tables.words, w, max(low - _EPS, 0.0), fuzz.ratio,
                              process.extract):
            recs = tables.words.postings(t)
            if score >= cut:
                found.update(recs)
            near.append((score, recs))
        top: dict[int, float] = {}
        for score, recs in sorted(near, key=lambda p: p[0]):  # the best last: it stays
            top.update(dict.fromkeys(recs, score))
        tops.append(top)
    phrase: dict[int, float] = {}
    for score, t in sorted((score, t) for t, score in _near(tables.phrases, q, cut, fuzz.ratio,
                                                            process.extract)):
        phrase.update(dict.fromkeys(tables.phrases.postings(t), score))
    found.update(phrase)
    if allowed is not None:
        found.intersection_update(allowed)
    wsum = sum(weights)
    out = []
    for r in sorted(found):
        token = sum(wt * top.get(r, low) for (_w, wt), top in zip(words, tops,
                                                                         strict=True)) / wsum
        out.append((r, range(starts[r], starts[r + 1]),
                    max(token, phrase.get(r, 0.0)) + _EPS))
    return out


def _postings(n: int, nrec: int, chunks: Iterator[tuple[Any, Any]]) -> tuple[bytes, bytes]:
    """Posting lists (sorted distinct records of each of `n` strings) from chunks of
    (string, record) occurrences in record order: uint32 records, uint32 offsets."""
    import numpy as np

    parts = []
    counts = np.zeros(n, dtype=np.int64)
    for s, r in chunks:
        u = np.unique(s.astype(np.int64) * nrec + r)
        k = u // nrec
        parts.append((k, (u % nrec).astype(np.uint32)))
        counts += np.bincount(k, minlength=n)
    offs = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(counts, out=offs[1:])
    if offs[-1] >= 1 << 32:
        raise ValueError("posting lists too large for the index")
    post = np.empty(int(offs[-1]), dtype=np.uint32)
    cursor = offs[:-1].copy()
    for k, r in parts:
        first = np.searchsorted(k, k, side="left")  # k is sorted: its group's first place
        post[cursor[k] + (np.arange(len(k)) - first)] = r
        cursor += np.bincount(k, minlength=n)
    return post.tobytes(), offs.astype(np.uint32).tobytes()


def encode(ix: SearchIndex) -> dict[str, bytes]:
    """The sections of `ix`: its arrays, and the tables of tokens and of whole fields."""
    import numpy as np

    ids, texts, kinds, starts, vocab, pair, tok, off = ix.to_plain()
    nrec = len(ids)
    st = np.frombuffer(starts, dtype=np.uint32).astype(np.int64)
    to = np.frombuffer(off, dtype=np.uint32).astype(np.int64)
    tk = np.frombuffer(tok, dtype=np.uint32)
    distinct: dict[str, int] = {}
    field_text = np.frombuffer(array("I", [distinct.setdefault(t, len(distinct))
                                           for t in texts]), dtype=np.uint32)
    out: dict[str, bytes] = {}
    for name, strings, chunk in (("tx.words", vocab, _token_chunk), ("tx.phrases",
                                                                    list(distinct), None)):
        order = Table.order(strings)
        rank = np.empty(len(strings), dtype=np.uint32)
        rank[np.array(order, dtype=np.int64)] = np.arange(len(strings), dtype=np.uint32)

        def chunks(rank: Any = rank, chunk: Any = chunk) -> Iterator[tuple[Any, Any]]:
            for a in range(0, nrec, _CHUNK):
                b = min(a + _CHUNK, nrec)
                fa, fb = st[a], st[b]
                owner = np.repeat(np.arange(a, b, dtype=np.int64), np.diff(st[a:b + 1]))
                if chunk is None:  # whole fields
                    yield rank[field_text[fa:fb]], owner
                else:
                    yield chunk(rank, tk, to, fa, fb, owner)

        post, postoff = _postings(len(strings), max(nrec, 1), chunks())
        out.update(Table.sections(name, [strings[i] for i in order], post, postoff))
    out.update(strings_sections("tx.ids", ids))
    out.update(strings_sections("tx.texts", texts))
    out.update(strings_sections("tx.vocab", vocab))
    for name, data in (("tx.kinds", kinds), ("tx.starts", starts), ("tx.pair", pair),
                       ("tx.tok", tok), ("tx.tokoff", off)):
        out.update(checked_sections(name, bytes(data)))
    return out


def _token_chunk(rank: Any, tk: Any, to: Any, fa: int, fb: int, owner: Any) -> tuple[Any, Any]:
    """(token, record) of every token of fields fa..fb-1 (`owner` of each field)."""
    import numpy as np

    return rank[tk[to[fa]:to[fb]]], np.repeat(owner, np.diff(to[fa:fb + 1]))


def decode(st: Store, stored: Any, mapped: Callable[..., SearchIndex]) -> SearchIndex:
    """The index mapped from its sections (`mapped` is SearchIndex.mapped): nothing is
    decoded until a search reads it."""
    n = len(stored)
    texts = Strings(st, "tx.texts")
    vocab = Strings(st, "tx.vocab")
    return mapped(
        (Strings(st, "tx.ids", n), texts, Checked(st, "tx.kinds", "B", len(texts)).whole(),
         Checked(st, "tx.starts", "I", n + 1).whole(), vocab,
         Checked(st, "tx.pair", "B", len(vocab)).whole(), Checked(st, "tx.tok", "I"),
         Checked(st, "tx.tokoff", "I", len(texts) + 1).whole()),
        Tables(st))


def plain(parts: Sequence[Any]) -> tuple[Any, ...]:
    """The mapped parts as `SearchIndex.from_plain` takes them (for a whole scan)."""
    ids, texts, kinds, starts, vocab, pair, tok, off = parts
    return (list(ids), list(texts), bytes(kinds[:]), bytes(starts[:]), list(vocab),
            bytes(pair[:]), bytes(tok[:]), bytes(off[:]))


def cached_index(ledger: Ledger, build: Callable[[], SearchIndex],
                 mapped: Callable[..., SearchIndex]) -> SearchIndex:
    """`build()`'s index, or the one kept beside the ledger's store (the cache offers the
    sections; the layout is this module's). Rebuilt whenever the ledger's files change,
    an `add` included: the index is rebuilt lazily, by the first search after it."""
    from farchron.store.cache import cached_sections

    return cached_sections(ledger, KEY, "search", "search index", build, encode,
                           lambda st, stored: decode(st, stored, mapped))
