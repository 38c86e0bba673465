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
numbers), and rapidfuzz scans the rest.

Bounds, so that `search --limit` and `cite` score few of the candidates: tokens are also
read from a lower level `low` (a word under it cannot lift a record whose other words
score 100 to the cut-off), so a word with no token from `low` in a record is bounded by
`low` (any `low` above MISS_FLOOR is true; the works read from 50: `Tables.low`). A
cheap bound per record (each word's best token anywhere, every factor 1) orders the
candidates (`_cheap`); the field-level bound of `_bound` (each field's weight, its
words and the share of them hit, as `_score` counts them) is worked out in that order
only while it may still beat the hits found (`_refined`). At a cut-off of MISS_FLOOR or
below no bound holds, and when over half the records are candidates the whole-array
passes are faster: then the index is copied into memory and searched as before.
"""

from __future__ import annotations

import bisect
import itertools
from array import array
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
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
KEY = "search-events-5"
_EPS = 1e-6
# search's constants (search imports this module, not the other way; a test compares):
MISS_FLOOR, ELSEWHERE = 40.0, 0.04
SUMMARY = 4  # search.KINDS.index("summary")
#: Above this share of the records as candidates, bounding them one by one in Python costs
#: more than search's whole-array passes (numpy) over a copy of the index.
BROAD = 0.5
_CHUNK = 1 << 16  # records per numpy pass while building the posting lists
#: Block of the sections read record by record (tokens, fields) once they are over
#: textindex.FINE_FROM: a cite bounds ~1,500 records of 100k, which touch nearly every
#: 64 KiB block of them (50 MB checked, ~20 ms of crc32); in 4 KiB blocks, a quarter.
FINE = 1 << 12


class Tables:
    """The two tables of a mapped index: tokens and whole fields, each with its records."""

    def __init__(self, st: Store) -> None:
        self.store = st  # keeps the mapping alive
        self.words = Table(st, "tx.words")
        self.phrases = Table(st, "tx.phrases")
        self.tid = Checked(st, "tx.words.tid", "I", len(self.words.strings))
        self.nwords = Checked(st, "tx.nwords", "B")
        # the index's own arrays, set by decode (and `weight` by SearchIndex.mapped)
        self.kinds: Any = b""
        self.vpair: Any = b""
        self.tok: Any = b""
        self.tokoff: Any = b""
        self.weight: Sequence[float] = ()
        #: Read each word's tokens from this ratio up for the bounds, when under the
        #: default level (which reads few tokens: a million events). Any level above
        #: MISS_FLOOR gives true bounds; a lower one reads more tokens and gives tighter
        #: bounds, so fewer records are scored (set by decode's `low`).
        self.low: float | None = None


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
               allowed: Collection[int] | None) -> Iterator[tuple[int, range, float]] | None:
    """Every record that may score `min_score` (> MISS_FLOOR), with its fields and a bound
    of its score; see the module docstring for why no other record can. None when most
    records are candidates (a word every id has): whole-array passes bound them faster."""
    from rapidfuzz import fuzz, process

    cut = max(min_score - _EPS, 0.0)
    words = [(w, wt) for w, wt in zip(qwords, weights, strict=True) if wt]
    k = len(words)
    # A word's tokens from `low` up tighten the bounds, those from `cut` make candidates:
    # under `low` a word cannot lift a record whose other words score 100.
    low = k * min_score - (k - 1) * 100 - 1
    if low <= MISS_FLOOR:
        low = min_score
    if tables.low is not None and MISS_FLOOR < tables.low < low:
        low = tables.low
    levels: list[list[tuple[float, set[int]]]] = []  # per word: its records by best token
    near_ids: dict[int, list[tuple[int, float]]] = {}  # vocab id -> (word, ratio)
    found: set[int] = set()  # records with a token within the cut-off
    for n, (w, _wt) in enumerate(words):
        by_score: dict[float, set[int]] = {}
        for t, score in _near(tables.words, w, max(low - _EPS, 0.0), fuzz.ratio,
                              process.extract):
            recs = tables.words.postings(t)
            if score >= cut:
                found.update(recs)
            by_score.setdefault(score, set()).update(recs)
            near_ids.setdefault(tables.tid[t], []).append((n, score))
        seen: set[int] = set()
        level = []
        for score in sorted(by_score, reverse=True):
            recs = by_score[score] - seen
            seen |= recs
            level.append((score, recs))
        levels.append(level)
    phrase: dict[int, float] = {}  # field -> its ratio to the query
    for score, t in sorted((score, t) for t, score in _near(tables.phrases, q, cut, fuzz.ratio,
                                                            process.extract)):
        phrase.update(dict.fromkeys(tables.phrases.postings(t), score))
    rphrase: dict[int, float] = {}
    for j, score in phrase.items():
        r = bisect.bisect_right(starts, j) - 1
        rphrase[r] = max(rphrase.get(r, 0.0), score)
    found.update(rphrase)
    if allowed is not None:
        found.intersection_update(allowed)
    if len(found) > BROAD * (len(starts) - 1):
        return None
    wts = [wt for _w, wt in words]
    wsum = sum(weights)
    # A cheap bound first (each word's best token anywhere in the record, every factor
    # 1), the bound of _bound only for records in that order while they may still pass.
    cheap = _cheap(found, levels, wts, wsum, low, rphrase)
    return _refined(cheap, starts, tables, near_ids, phrase, rphrase, wts, wsum, low,
                    min_score)


def _cheap(found: set[int], levels: Sequence[Sequence[tuple[float, set[int]]]],
           wts: Sequence[float], wsum: float, low: float,
           rphrase: dict[int, float]) -> Iterator[tuple[float, int]]:
    """(cheap bound, record) of every record of `found`, by falling bound then record:
    max(sum of wt * (the word's best token in the record, or `low`) / wsum, best whole
    field) + 1e-3. Records sharing their words' levels share the bound, so they are grouped
    with set operations; a group is sorted only when reached."""
    plain = found - rphrase.keys()
    classes: list[tuple[float, set[int]]] = [(0.0, plain)]
    for wt, level in zip(wts, levels, strict=True):
        rest = set(plain)
        for _score, recs in level:
            rest -= recs
        classes = [(part + wt * max(low, score), common) for part, within in classes
                   for score, recs in [*level, (low, rest)] if (common := within & recs)]
    groups: dict[float, set[int]] = {}
    for part, recs in classes:
        groups.setdefault(max(part / wsum, 0.0) + 1e-3, set()).update(recs)
    for r, p in rphrase.items():
        if r in found:
            tops = [next((sc for sc, recs in level if r in recs), low) for level in levels]
            total = sum(wt * max(low, t) for wt, t in zip(wts, tops, strict=True))
            groups.setdefault(max(total / wsum, p) + 1e-3, set()).add(r)
    for c in sorted(groups, reverse=True):
        for r in sorted(groups[c]):
            yield c, r


def _refined(cheap: Iterable[tuple[float, int]], starts: Any, tables: Tables,
             near_ids: dict[int, list[tuple[int, float]]], phrase: dict[int, float],
             rphrase: Collection[int], wts: Sequence[float], wsum: float, low: float,
             min_score: float) -> Iterator[tuple[int, range, float]]:
    """(record, its fields, its bound) by falling bound (ties: record order), down to
    `min_score`: each cheap bound is at least the record's `_bound`, so a record is
    yielded once no cheap bound left can beat it."""
    import heapq

    heap: list[tuple[float, int]] = []
    tok, off, vpair = tables.tok, tables.tokoff, tables.vpair
    k = len(wts)
    near_set = set(near_ids)
    for c, r in itertools.chain(cheap, [(-1.0, -1)]):
        while heap and (-heap[0][0] > c or (-heap[0][0] == c and heap[0][1] < r)):
            b, i = heapq.heappop(heap)
            yield i, range(starts[i], starts[i + 1]), -b
        if c < min_score or r < 0:
            return
        tops: dict[int, list[float]] = {}
        whole: dict[int, list[bool]] = {}
        js = range(starts[r], starts[r + 1])
        first = off[js.start]
        rtok = tok[first:off[js.stop]]  # the record's tokens, read (and checked) at once
        for j in js:
            # each word's best near token in the field, and whether one of those best is
            # a single word (not a pair): the same whatever order the tokens come in
            near = near_set.intersection(rtok[off[j] - first:off[j + 1] - first])
            if not near:
                continue
            top, hit = tops[j], whole[j] = [-1.0] * k, [False] * k
            for t in near:
                single = not vpair[t]
                for n, score in near_ids[t]:
                    if score > top[n]:
                        top[n], hit[n] = score, single
                    elif score == top[n] and single:
                        hit[n] = True
        # only fields with a known token or a near whole can bound above a field with
        # neither (see _bound): the others are not read
        b = min(c, _bound(js if r in rphrase else tops, tables, tops, whole, phrase, wts,
                          wsum, low))
        if b >= min_score:
            heapq.heappush(heap, (-b, r))


def _bound(js: Iterable[int], tables: Tables, tops: dict[int, list[float]],
           whole: dict[int, list[bool]], phrase: dict[int, float], wts: Sequence[float],
           wsum: float, low: float) -> float:
    """At least the score of a record whose fields hold tokens of the query from `low` up
    (`tops`) or the query's near whole (`phrase`), its other fields none; `js` is those
    fields (or all of the record's: the others cannot raise the bound).

    search.SearchIndex._score, bounded term by term: each word's support is at most the
    larger of its best token in the field (under `low` when unknown) and `other`, its best
    weighted token in the record (at least `known`, what these fields show; under `low`
    elsewhere). A word counts as hit in a field only from 50 and when the field's own
    token weighs at least `other`: so a word whose `known` reaches `low` is no hit in a
    field without a known token of it. The field's share of words hit is at most that
    count (two for a pair token) over its words.
    """
    kinds, weight, nwords = tables.kinds, tables.weight, tables.nwords
    k = len(wts)
    ks = range(k)
    seen = [-1.0] * k  # each word's best weighted known token: `other` is at least this
    for j, field_tops in tops.items():
        w = weight[kinds[j]]
        for n in ks:
            if w * field_tops[n] > seen[n]:
                seen[n] = w * field_tops[n]
    known = [low if low >= v else v for v in seen]  # and `other` is at most this
    # an unknown token (under low) may still be a hit from 50 if it may weigh `other`
    maybe = [low > 50 and low > v - 1e-3 for v in seen]
    own0 = 0.0
    base = 0.0
    for n in ks:
        if maybe[n]:
            own0 += wts[n]
        base += wts[n] * known[n]
    base /= wsum
    mult0 = (0.9 + (0.1 if own0 else 0.0)) * (1 - ELSEWHERE * (1 - own0 / wsum))
    # a field with no known token: at most this, whatever its weight, unless its whole
    # is near the query; so `js` need hold only the fields of `tops` and `phrase`
    best = base * max(mult0, weight[SUMMARY])
    for j in js:
        code = kinds[j]
        w = weight[code]
        top = tops.get(j)
        if top is None:
            token = base * (1.0 if code == SUMMARY else mult0)
        else:
            token = 0.0
            for n in ks:
                token += wts[n] * (top[n] if top[n] > known[n] else known[n])
            token /= wsum
            if code != SUMMARY:
                hits, own = 0, 0.0
                hit = whole[j]
                for n in ks:
                    t = top[n]
                    if (t >= 50 and w * t >= seen[n] - 1e-3) or (t < 0 and maybe[n]):
                        hits += 1 if t >= 0 and hit[n] else 2
                        own += wts[n]
                nw = nwords[j]
                token *= (0.9 + 0.1 * min(hits, nw) / nw) * (1 - ELSEWHERE * (1 - own / wsum))
        p = phrase.get(j, 0.0)
        s = w * (p if p > token else token)
        if s > best:
            best = s
    return best + 1e-3


def _postings(n: int, nrec: int, chunks: Iterator[tuple[Any, Any]]) -> tuple[bytes, bytes]:
    """Posting lists (sorted distinct fields of each of `n` strings) from chunks of
    (string, field) occurrences in field order: uint32 fields, uint32 offsets."""
    import numpy as np

    parts = []
    counts = np.zeros(n, dtype=np.int64)
    for s, r in chunks:
        u = np.sort(s.astype(np.int64) * nrec + r)  # sorted and deduplicated: np.unique
        u = u[np.concatenate(([True], u[1:] != u[:-1]))] if len(u) else u  # hashes, slowly
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
    nf = len(texts)
    for name, strings, chunk in (("tx.words", vocab, _token_chunk), ("tx.phrases",
                                                                    list(distinct), None)):
        order = Table.order(strings)
        rank = np.empty(len(strings), dtype=np.uint32)
        rank[np.array(order, dtype=np.int64)] = np.arange(len(strings), dtype=np.uint32)

        def chunks(rank: Any = rank, chunk: Any = chunk) -> Iterator[tuple[Any, Any]]:
            for a in range(0, nrec, _CHUNK):
                b = min(a + _CHUNK, nrec)
                fa, fb = int(st[a]), int(st[b])
                if chunk is None:  # whole fields, posting fields
                    yield rank[field_text[fa:fb]], np.arange(fa, fb, dtype=np.int64)
                else:  # tokens, posting records
                    yield chunk(rank, tk, to, fa, fb, np.repeat(
                        np.arange(a, b, dtype=np.int64), np.diff(st[a:b + 1])))

        post, postoff = _postings(len(strings), max(nf, nrec, 1), chunks())
        out.update(Table.sections(name, [strings[i] for i in order], post, postoff))
        if chunk is not None:
            out.update(checked_sections("tx.words.tid", np.array(order, dtype=np.uint32)
                                        .tobytes()))
    out.update(checked_sections("tx.nwords", bytes(min(255, t.count(" ") + 1) for t in texts)))
    out.update(strings_sections("tx.ids", ids))
    out.update(strings_sections("tx.texts", texts, FINE))
    out.update(strings_sections("tx.vocab", vocab))
    for name, data in (("tx.kinds", kinds), ("tx.starts", starts), ("tx.pair", pair),
                       ("tx.tokoff", off)):
        out.update(checked_sections(name, bytes(data)))
    out.update(checked_sections("tx.tok", bytes(tok), FINE))
    return out


def _token_chunk(rank: Any, tk: Any, to: Any, fa: int, fb: int, owner: Any) -> tuple[Any, Any]:
    """(token, record) of every token of fields fa..fb-1 (`owner`: each field's record)."""
    import numpy as np

    return rank[tk[to[fa]:to[fb]]], np.repeat(owner, np.diff(to[fa:fb + 1]))


def decode(st: Store, stored: Any, mapped: Callable[..., SearchIndex], *,
           whole: bool = False, low: float | None = None) -> SearchIndex:
    """The index mapped from its sections (`mapped` is SearchIndex.mapped): nothing is
    decoded until a search reads it. `whole`: the ids and the tokens read (and verified)
    at once, for a small index whose candidates are a good share of it (the works: one
    decode and one check, not a Python call per item read); texts and vocabulary are
    still read one by one (the bounds leave few records to score).
    `low`: the level tokens are read from for the bounds (Tables.low)."""
    n = len(stored)
    texts: Sequence[str] = Strings(st, "tx.texts", block=FINE)
    vocab: Sequence[str] = Strings(st, "tx.vocab")
    nt, nv = len(texts), len(vocab)
    tables = Tables(st)
    tables.low = low
    tables.kinds = Checked(st, "tx.kinds", "B", nt).whole()
    tables.vpair = Checked(st, "tx.pair", "B", nv).whole()
    tables.tok = Checked(st, "tx.tok", "I", block=FINE)
    tables.tokoff = Checked(st, "tx.tokoff", "I", nt + 1).whole()
    ids: Sequence[str] = Strings(st, "tx.ids", n)
    if whole:
        ids, tables.tok = list(ids), tables.tok.whole()
    return mapped(
        (ids, texts, tables.kinds,
         Checked(st, "tx.starts", "I", n + 1).whole(), vocab, tables.vpair, tables.tok,
         tables.tokoff), tables)


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
