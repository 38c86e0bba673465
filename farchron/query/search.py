"""Fuzzy search across scripts: normalisation, transliteration, a token index, ranking.

Both the query and the data go through `normalize`, so "Tōgō", "TOGO" and "Того"
meet as "togo"; the index (flat arrays) is built apart from querying, so a cache can store it.
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from array import array
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from farchron.dates.names import MONTHS, SEASON_WORDS
from farchron.text import TYPOGRAPHY_TABLE

if TYPE_CHECKING:
    from farchron.model.records import Event, Ledger, Source

#: How much a perfect hit in each kind of field is worth: a title or alias hit
#: outranks an actor, a place or the id (its words: "soviet entry into war against
#: japan"), which outrank a mention in the summary.
WEIGHTS: dict[str, float] = {
    "title": 1.0, "alias": 1.0, "actor": 0.95, "place": 0.95, "summary": 0.85,
    "author": 1.0, "id": 0.95, "container": 0.9, "other": 0.85,
}
DEFAULT_MIN_SCORE = 70.0

#: Query words that say little: they count for nothing in the word score (the whole
#: query against a whole field still sees them), unless the query has nothing else.
STOP_WORDS = frozenset((
    "a", "an", "and", "as", "at", "by", "de", "der", "des", "die", "du", "for", "from", "in",
    "into", "is", "it", "its", "la", "le", "les", "of", "on", "or", "the", "to", "und", "von",
    "was", "with"))
#: Once one query word hits a field (HIT), a word the field lacks counts as MISS_FLOOR
#: rather than its chance likeness to some word: an extra word costs little.
HIT, MISS_FLOOR = 80.0, 40.0
#: What a name field loses for each share of the query found only in other fields.
ELSEWHERE = 0.04

_APOSTROPHES = str.maketrans("", "", "'’ʼʹ`´")
# Han ideographs stay as they are: romanised as Mandarin they would turn Japanese
# kanji into short pinyin syllables ("陥" -> "xian") that collide with Latin words.
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_HAN_RUN = f"([{_HAN}]+)"  # compiled (and kept) by re when first used: start-up
_NON_WORD = f"[^0-9a-z{_HAN}]+"


def _ascii(text: str) -> str:
    """Transliterate what is left outside ASCII (Cyrillic, kana...), han excepted: quotes and
    dashes by text.TYPOGRAPHY, the rest by anyascii, imported only here (~20 ms)."""
    if (text := text.translate(TYPOGRAPHY_TABLE)).isascii():
        return text
    from anyascii import anyascii

    parts = re.split(_HAN_RUN, text)  # odd positions hold the han runs
    return " ".join(p if n % 2 else anyascii(p) for n, p in enumerate(parts) if p)


def readings(texts: Iterable[str], japanese: bool | None = None) -> list[str]:
    """Search keys for Japanese texts by their Hepburn readings (シベリア出兵 -> "shiberia
    shuppei"), so a romanised query finds kanji; pykakasi is imported only when a text has
    kana in it (or the work is Japanese)."""
    from farchron.model.romanise import has_kana

    out = []
    for text in texts:
        if text.isascii() or not (japanese or has_kana(text)):
            continue
        from farchron.model.romanise import japanese as reading

        key = normalize(reading(text, macrons=False))
        if key and key not in out:
            out.append(key)
    return out


def normalize(text: str) -> str:
    """The search key: NFKC, casefold, accents folded, transliterated, punctuation to spaces.

    Apostrophes vanish ("Xi'an" = "Xian"); hyphens and other punctuation separate
    words ("Khalkhin-Gol" = "Khalkhin Gol").
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
        if not text.isascii():
            text = _ascii(text).lower()
    text = text.translate(_APOSTROPHES)
    return " ".join(re.split(_NON_WORD, text)).strip()


@dataclass(frozen=True, slots=True)
class Hit:
    """One ranked record: its position in the index, its score 0-100, the field that won."""

    index: int
    id: str
    score: float
    field: str


#: Field kinds, in the order of their one-byte codes in SearchIndex.kinds.
KINDS = ("title", "alias", "actor", "place", "summary", "author", "id", "container", "other")
_CODE = {k: n for n, k in enumerate(KINDS)}
_SUMMARY = _CODE["summary"]
_WEIGHT = tuple(WEIGHTS.get(k, 0.85) for k in KINDS)

#: Indexes of at least this many records are bounded with numpy in whole-array passes;
#: below it, numpy's import (~0.1 s) costs more than scoring the candidates in Python.
VECTOR_MIN = 5_000
_BLOCK = 1 << 18  # fields per numpy pass: bounds the temporaries at a million events
_EPS = 1e-6  # slack for bounds computed in another order of float operations


def _tokens(norm: str) -> list[str]:
    """Words plus each pair of neighbours run together ("khalkhin gol" -> "khalkhingol")."""
    words = norm.split()
    return words + [a + b for a, b in itertools.pairwise(words)]


def _uints(data: Any) -> Any:
    """A flat unsigned 32-bit array: kept as built, or a zero-copy view of cached bytes."""
    return memoryview(data).cast("I") if isinstance(data, bytes) else data


class _Sims(dict[int, float]):
    """ratio(word, vocab[t]), computed the first time token t is asked for."""

    def __init__(self, word: str, vocab: Sequence[str], ratio: Any) -> None:
        super().__init__()
        self._word, self._vocab, self._ratio = word, vocab, ratio

    def __missing__(self, t: int) -> float:
        s = self[t] = self._ratio(self._word, self._vocab[t])
        return s


class SearchIndex:
    """Every field of every record as flat parallel arrays, cacheable as marshal data.

    `texts[j]` is the normalised text of field j, `kinds[j]` its kind (a code into
    KINDS); record `ids[i]` owns fields `starts[i]` to `starts[i+1]`. Tokens (words,
    then neighbours run together) are numbered in `vocab`: field j's are
    `tok[tok_off[j]:tok_off[j+1]]`, and `pair[t]` is 1 when token t never occurs as a
    word. Arrays are array('I') or bytes, which marshal loads as single blocks: 0.1 s
    at 100k events, where lists of lists of token ids took seconds.
    """

    __slots__ = ("_pair", "_tables", "_tok", "_tok_off", "_vocab", "ids", "kinds", "starts",
                 "texts")

    def __init__(self, ids: list[str], texts: list[str], kinds: bytes, starts: Any) -> None:
        self.ids, self.texts, self.kinds, self.starts = ids, texts, kinds, _uints(starts)
        self._vocab: list[str] | None = None
        self._pair = b""
        self._tok: Any = array("I")
        self._tok_off: Any = array("I", [0])
        self._tables: Any = None  # textsearch.Tables of an index mapped from the cache

    # ------------------------------------------------------------------ building

    @classmethod
    def _from_fields(cls, ids: list[str],
                     fields: Iterable[Iterable[tuple[str, str]]]) -> SearchIndex:
        texts: list[str] = []
        kinds = bytearray()
        starts = array("I", [0])
        for fs in fields:
            for kind, text in fs:
                if text:
                    texts.append(text)
                    kinds.append(_CODE[kind])
            starts.append(len(texts))
        return cls(ids, texts, bytes(kinds), starts)

    @classmethod
    def build(cls, events: Iterable[Event]) -> SearchIndex:
        """An index over events: title, aliases, actors, places, summary, id."""
        memo: dict[str, str] = {}  # actors and places recur: normalise each text once

        def norm(text: str) -> str:
            v = memo.get(text)
            if v is None:
                v = memo[text] = normalize(text)
            return v

        ids: list[str] = []
        fields: list[list[tuple[str, str]]] = []
        for e in events:
            f = [("title", norm(e.title))]
            f += [("alias", norm(a)) for a in e.aliases]
            f += [("alias", r) for r in readings((e.title, *e.aliases))]
            f += [("actor", norm(a)) for a in e.actors]
            f += [("place", norm(p)) for p in e.places]
            f.append(("id", e.id.replace("-", " ")))  # ids are already normal: a-z0-9-
            if e.summary:  # last: _score reads it only when the names leave room
                f.append(("summary", norm(e.summary)))
            ids.append(e.id)
            fields.append(f)
        return cls._from_fields(ids, fields)

    @classmethod
    def build_sources(cls, sources: Iterable[Source]) -> SearchIndex:
        """An index over works: titles in every script, names, container, id."""
        ids: list[str] = []
        fields: list[list[tuple[str, str]]] = []
        for s in sources:
            f: list[tuple[str, str]] = [("id", normalize(s.id))]
            for key in ("title", "original-title", "translated-title", "short-title"):
                if s.get(key):
                    f.append(("title", normalize(s.get(key))))
            scripts = [s.get(k) for k in ("title", "original-title") if s.get(k)]
            if any(not t.isascii() for t in scripts):
                from farchron.model.romanise import japanese_work

                f += [("title", r) for r in readings(scripts, japanese_work(s.fields) or None)]
            for key in ("authors", "authors-romanised", "editors", "editors-romanised",
                        "translators", "translators-romanised"):
                f += [("author", normalize(n)) for n in s.get(key, ())]
            for key in ("container-title", "container-original-title",
                        "container-translated-title", "collection-title"):
                if s.get(key):
                    f.append(("container", normalize(s.get(key))))
            for key in ("publisher", "archive", "archive-location", "issued"):
                if s.get(key):
                    f.append(("other", normalize(s.get(key))))
            ids.append(s.id)
            fields.append(f)
        return cls._from_fields(ids, fields)

    @property
    def fields(self) -> list[list[tuple[str, str]]]:
        """(kind, normalised text) pairs of each record."""
        s, t, k = self.starts, self.texts, self.kinds
        return [[(KINDS[k[j]], t[j]) for j in range(s[i], s[i + 1])]
                for i in range(len(self.ids))]

    def _ensure_tokens(self) -> None:
        """Number the distinct tokens and list each field's token ids, words first."""
        if self._vocab is not None:
            return
        vocab: dict[str, int] = {}
        words: set[int] = set()
        tok = array("I")
        off = array("I", [0])
        memo: dict[str, list[int]] = {}  # repeated texts (actors, places) split once
        for text in self.texts:
            tids = memo.get(text)
            if tids is None:
                single = text.split()
                tids = []
                for n, s in enumerate(single + [a + b for a, b in itertools.pairwise(single)]):
                    t = vocab.get(s)
                    if t is None:
                        t = vocab[s] = len(vocab)
                    if n < len(single):
                        words.add(t)
                    tids.append(t)
                memo[text] = tids
            tok.extend(tids)
            off.append(len(tok))
        self._pair = bytes(t not in words for t in range(len(vocab)))
        self._vocab, self._tok, self._tok_off = list(vocab), tok, off

    def to_plain(self) -> tuple[Any, ...]:
        """Lists of str, and bytes: what marshal stores and loads fast."""
        self._ensure_tokens()
        return (self.ids, self.texts, self.kinds, bytes(self.starts), self._vocab,
                self._pair, bytes(self._tok), bytes(self._tok_off))

    @classmethod
    def from_plain(cls, plain: Any) -> SearchIndex:
        """The index `to_plain` gave; ValueError if the layout does not fit."""
        ids, texts, kinds, starts, vocab, pair, tok, off = plain
        ix = cls(ids, texts, kinds, starts)
        ix._vocab, ix._pair, ix._tok, ix._tok_off = vocab, pair, _uints(tok), _uints(off)
        if not (isinstance(ids, list) and isinstance(texts, list) and isinstance(vocab, list)
                and isinstance(kinds, bytes) and isinstance(pair, bytes)
                and len(ix.starts) == len(ids) + 1 and ix.starts[-1] == len(texts)
                and len(kinds) == len(texts) and len(ix._tok_off) == len(texts) + 1
                and ix._tok_off[-1] == len(ix._tok) and len(pair) == len(vocab)):
            raise ValueError("bad search index layout")
        return ix

    @classmethod
    def mapped(cls, parts: Any, tables: Any) -> SearchIndex:
        """An index read piece by piece from the cache, searched through its tables."""
        ix = cls(*parts[:4])
        ix._vocab, ix._pair, ix._tok, ix._tok_off = parts[4:]
        ix._tables, tables.weight = tables, _WEIGHT
        return ix

    # ------------------------------------------------------------------ querying

    def search(self, query: str, limit: int | None = 20,
               min_score: float = DEFAULT_MIN_SCORE, *,
               only: Collection[int] | None = None, exhaustive: bool = False) -> list[Hit]:
        """Records scoring at least `min_score`, best first (ties: index order). Only those
        that can reach it are scored in full (`_python`, `_vector`, textsearch.py); every
        bound is at least the final score, so the result equals `exhaustive=True`."""
        from rapidfuzz import fuzz

        q = normalize(query)
        if not q:
            return []
        self._ensure_tokens()
        assert self._vocab is not None
        qwords = q.split()
        weights = query_weights(qwords)
        allowed = None
        if only is not None:
            allowed = only if isinstance(only, set | frozenset) else set(only)
        sims = [_Sims(w, self._vocab, fuzz.ratio) for w in qwords]
        starts = self.starts
        groups: Iterable[tuple[int, Iterable[int]]]
        bounded: Iterable[Any] | None = None
        if self._tables is not None:  # mapped: through its tables (textsearch.py)
            from farchron.query import textsearch
            bounded = None if exhaustive or min_score <= MISS_FLOOR else (
                textsearch.candidates(starts, self._tables, q, qwords, weights, min_score,
                                      allowed))
            if bounded is None:  # no bound holds, or most records are candidates: a scan
                return SearchIndex.from_plain(textsearch.plain((
                    self.ids, self.texts, self.kinds, starts, self._vocab, self._pair,
                    self._tok, self._tok_off))).search(query, limit, min_score, only=only,
                                                       exhaustive=exhaustive)
        elif exhaustive:
            groups = ((i, range(starts[i], starts[i + 1])) for i in range(len(self.ids)))
        elif len(self.ids) >= VECTOR_MIN and min_score > 0:
            bounded = sorted((g for g in self._vector(q, qwords, weights, min_score)
                              if allowed is None or g[0] in allowed), key=lambda g: (-g[2], g[0]))
        memo: dict[bytes, Any] = {}  # each word's best token by a field's tokens (_score)
        if bounded is not None:
            if limit is not None:
                return self._best_first(bounded, limit, min_score, q, weights, sims, memo)
            groups = ((i, js) for i, js, b in bounded if b >= min_score)
        elif not exhaustive:
            groups = self._python(q, qwords, min_score)
        hits = []
        for i, js in groups:
            if allowed is not None and i not in allowed:
                continue
            score, kind = self._score(js, q, weights, sims, fuzz.ratio, memo)
            if score >= min_score:
                hits.append(Hit(i, self.ids[i], round(score, 1), kind))
        hits.sort(key=lambda h: (-h.score, h.index))
        return hits if limit is None else hits[:limit]

    def _best_first(self, bounded: Iterable[Any], limit: int, min_score: float, q: str,
                    weights: Sequence[float], sims: Sequence[Any], memo: Any) -> list[Hit]:
        """The best `limit` hits, scoring records in the order of their bounds and
        skipping those whose bound, rounded as scores are, cannot pass the `limit`-th hit
        (nor tie it from a lower index), and stopping once no bound left can. The same
        hits as scoring every record."""
        from rapidfuzz import fuzz

        if limit <= 0:
            return []
        hits: list[Hit] = []
        last = (-1.0, -1)  # (score, index) of the limit-th hit, once there are `limit`
        for i, js, b in bounded:  # by falling bound
            top = round(b, 1)  # score <= b, so its rounding <= b's (round is monotone)
            if top < last[0]:
                break
            if top == last[0] and i > last[1]:
                continue  # at best a tie, and ties go to the lower index
            score, kind = self._score(js, q, weights, sims, fuzz.ratio, memo)
            if score >= min_score:
                hits.append(Hit(i, self.ids[i], round(score, 1), kind))
                if len(hits) >= (limit if last[1] < 0 else 2 * limit):  # sort now and then
                    hits.sort(key=lambda h: (-h.score, h.index))
                    del hits[limit:]
                    last = (hits[-1].score, hits[-1].index)
        hits.sort(key=lambda h: (-h.score, h.index))
        return hits[:limit]

    def _python(self, q: str, qwords: Sequence[str],
                min_score: float) -> list[tuple[int, range]]:
        """Records with a token within `min_score` of a query word, or a whole field
        within `min_score` of the query (both found by rapidfuzz in C), with all their
        fields. A field's score never exceeds the better of those two, so no other
        record can reach `min_score`.
        """
        from rapidfuzz import fuzz, process

        assert self._vocab is not None
        starts, tok, off = self.starts, self._tok, self._tok_off
        near: set[int] = set()
        for w in (w for w in qwords if w not in STOP_WORDS or all(x in STOP_WORDS
                                                                   for x in qwords)):
            near.update(t for _s, _sc, t in process.extract(
                w, self._vocab, scorer=fuzz.ratio, score_cutoff=min_score, limit=None))
        cand: set[int] = set()
        if near:
            isdisjoint = near.isdisjoint
            for i in range(len(self.ids)):
                for j in range(starts[i], starts[i + 1]):
                    if not isdisjoint(tok[off[j]:off[j + 1]]):
                        cand.add(i)
                        break
        for _text, _s, j in process.extract(q, self.texts, scorer=fuzz.ratio,
                                            score_cutoff=min_score, limit=None):
            cand.add(bisect.bisect_right(starts, j) - 1)
        return [(i, range(starts[i], starts[i + 1])) for i in sorted(cand)]

    def _vector(self, q: str, qwords: Sequence[str], weights: Sequence[float],
                min_score: float) -> Iterator[tuple[int, list[int], float]]:
        """Records with the fields that may reach `min_score`, bounded in whole-array
        passes, each with a bound of its score (for the best `limit` first).

        A field's score is weight * max(phrase, token). token is a weighted mean of
        each word's support, which is at most the word's best token in the whole
        record (or MISS_FLOOR, when some word hits): numpy takes that mean for every
        record at once (each word's ratio to every distinct token from
        rapidfuzz.process.cdist, maxed per field, then per record), and records that
        reach `min_score` are scored with all their fields. cdist also gives the
        phrase ratio of every field; a field whose phrase alone reaches `min_score`
        is scored too. Any other field scores under `min_score`, whatever the others.
        """
        import numpy as np
        from rapidfuzz import fuzz, process

        assert self._vocab is not None
        words = [(w, wt) for w, wt in zip(qwords, weights, strict=True) if wt]
        sims = process.cdist([w for w, _ in words], self._vocab, scorer=fuzz.ratio,
                             dtype=np.float32, workers=-1)
        tok = np.frombuffer(self._tok, dtype=np.uint32)
        off = np.frombuffer(self._tok_off, dtype=np.uint32).astype(np.int64)
        weight = np.array(_WEIGHT)[np.frombuffer(self.kinds, dtype=np.uint8)]
        starts = np.frombuffer(self.starts, dtype=np.uint32).astype(np.int64)
        cutoff = max(min_score - _EPS, 0.0)
        nf = len(self.texts)
        if not nf:
            return
        picked = []
        best: list[list[Any]] = [[] for _ in words]  # per word: its best token per field
        wbest: list[list[Any]] = [[] for _ in words]  # the same times the field's weight
        phrases = []  # weight * phrase ratio of every field (0 under the cut-off)
        for a in range(0, nf, _BLOCK):
            b = min(a + _BLOCK, nf)
            lo = off[a]
            t = tok[lo:off[b]]
            firsts = off[a:b] - lo  # every field has a token, so these are increasing
            for n, row in enumerate(sims):
                field_best = np.maximum.reduceat(row[t], firsts)
                best[n].append(field_best)
                wbest[n].append(weight[a:b] * field_best)
            phrase = weight[a:b] * process.cdist(
                [q], self.texts[a:b], scorer=fuzz.ratio, dtype=np.float64, workers=-1,
                score_cutoff=cutoff)[0]
            phrases.append(phrase)
            picked.append(np.flatnonzero(phrase >= cutoff) + a)
        first = starts[:-1]
        hit = np.zeros(len(starts) - 1, dtype=bool)
        for parts in best:
            hit |= np.maximum.reduceat(np.concatenate(parts), first) >= HIT
        floor = np.where(hit, MISS_FLOOR, 0.0)
        # A word's support in any field f is at most max(A, floor), A its best token
        # over the record's fields each times its field's weight: w_f * max(top_f, A)
        # <= A, as A >= w_f * top_f and w_f <= 1 (see _score). So summary-only matches
        # are bounded at 85, not 100.
        total = np.zeros(len(starts) - 1)
        for parts, (_w, wt) in zip(wbest, words, strict=True):
            total += wt * np.maximum(np.maximum.reduceat(np.concatenate(parts), first), floor)
        token_bound = total / sum(weights)
        recs = np.flatnonzero(token_bound >= cutoff - 1e-3)  # float32 slack
        bound = np.maximum(token_bound + 1e-3,
                           np.maximum.reduceat(np.concatenate(phrases), first) + _EPS)
        js = np.concatenate(picked)
        if len(recs):
            lens = starts[recs + 1] - starts[recs]
            ends = np.cumsum(lens)
            every = np.repeat(starts[recs] - (ends - lens), lens) + np.arange(ends[-1])
            js = np.union1d(js, every)
        owners = np.searchsorted(starts, js, side="right") - 1
        bounds = bound.tolist()
        for i, grp in itertools.groupby(zip(owners.tolist(), js.tolist(), strict=True),
                                        key=lambda p: p[0]):
            yield i, [j for _i, j in grp], bounds[i]

    def _score(self, js: Iterable[int], q: str, weights: Sequence[float], sims: Sequence[Any],
               ratio: Any, memo: dict[bytes, Any] | None = None) -> tuple[float, str]:
        """Best score of one record over its fields `js`, and the kind of field that won.

        A field scores the larger of: the whole query against the whole field
        (ratio), and the weighted mean over query words of each word's support,
        scaled from 90% to 100% by the share of the field's words that were hit (so
        "Khalkhin Gol" as an alias beats it inside a longer title), and by up to
        ELSEWHERE less for query words the field lacks. A word's support
        is its best token in the field, or in another field of the record at that
        field's weight (the incident's title has "Nomonhan Incident", its summary
        "Mongolian": "Nomonhan Incident Mongolia" finds it above a summary that has all
        three), or MISS_FLOOR once another word hit the field. Stop words weigh nothing.
        """
        kinds, off, pair, memo = self.kinds, self._tok_off, self._pair, {} if memo is None else memo
        seen: list[tuple[int, list[float], list[bool]]] = []
        anywhere = [0.0] * len(weights)  # each word's best weighted token in any field
        summaries: list[int] = []
        js = sorted(js)  # a range or sorted list: the record's tokens in one (checked) read
        tok = self._tok[(lo := off[js[0]] if js else 0):off[js[-1] + 1] if js else 0]
        words = [(n, sim) for n, sim in enumerate(sims) if weights[n]]  # not stop words

        def read(j: int) -> None:
            w = _WEIGHT[kinds[j]]
            tids = tok[off[j] - lo:off[j + 1] - lo]
            if (got := memo.get(key := tids.tobytes())) is None:  # records share actors
                tops, pairs = [0.0] * len(sims), [False] * len(sims)  # a stop word: no part
                for n, sim in words:
                    vals = list(map(sim.__getitem__, tids))
                    top = tops[n] = max(vals)
                    pairs[n] = top >= 50 and bool(pair[tids[vals.index(top)]])
                got = memo[key] = (tops, pairs)
            for n, _sim in words:
                anywhere[n] = max(anywhere[n], w * got[0][n])
            seen.append((j, *got))

        for j in js:
            if kinds[j] == _SUMMARY:
                summaries.append(j)
            else:
                read(j)
        top_summary = 100 * _WEIGHT[_SUMMARY]
        if summaries and any(wt and a < top_summary for wt, a in zip(weights, anywhere,
                                                                      strict=True)):
            for j in summaries:  # it may lend a word to a name field
                read(j)
            summaries = []
        best, best_kind = self._best(seen, q, weights, anywhere, ratio)
        if summaries and best < top_summary:  # only its own score can still count
            seen = []
            for j in summaries:
                read(j)
            s, kind = self._best(seen, q, weights, anywhere, ratio)
            if s > best:
                best, best_kind = s, kind
        return best, best_kind

    def _best(self, seen: Sequence[tuple[int, list[float], list[bool]]], q: str,
              weights: Sequence[float], anywhere: Sequence[float],
              ratio: Any) -> tuple[float, str]:
        """The best field score of a record, given each word's support from any field."""
        texts, kinds = self.texts, self.kinds
        wsum = sum(weights)
        best, best_kind = 0.0, ""
        for j, tops, pairs in seen:
            code = kinds[j]
            w = _WEIGHT[code]
            if w * 100 <= best:
                continue
            floor = MISS_FLOOR if max(tops) >= HIT else 0.0
            token = sum(wt * max(top, other, floor) for wt, top, other
                        in zip(weights, tops, anywhere, strict=True)) / wsum
            text = texts[j]
            if code != _SUMMARY:  # a name hit whole beats one inside a longer name,
                hit_words, own = 0, 0.0  # and one that has the words itself
                for wt, top, other, is_pair in zip(weights, tops, anywhere, pairs, strict=True):
                    if top >= 50 and w * top >= other - _EPS:
                        own += wt
                        hit_words += 2 if is_pair else 1  # "khalkhingol" covers two words
                nwords = text.count(" ") + 1
                token *= ((0.9 + 0.1 * min(hit_words, nwords) / nwords)
                          * (1 - ELSEWHERE * (1 - own / wsum)))
            s = w * max(ratio(q, text), token)
            if s > best:
                best, best_kind = s, KINDS[code]
        return best, best_kind


def query_weights(qwords: Sequence[str]) -> list[float]:
    """1 for each word that says something, 0 for stop words (all 1 if all are)."""
    weights = [0.0 if w in STOP_WORDS else 1.0 for w in qwords]
    return weights if any(weights) else [1.0] * len(qwords)


# English month and season words only (dates/names.py holds every language's): a query's
# words in other scripts are names to search for, not dates.
_MONTHS = {m: n for m, n in MONTHS.items() if m.isascii()}
_SEASONS = SEASON_WORDS
_NAMES = "|".join(sorted([*_MONTHS, *_SEASONS], key=len, reverse=True))
_ONE = r"-?\d{3,4}(?:-\d\d){0,2}[~?%]?"
_DATE_WORDS = (
    rf"(?<![\w.-])(?:(?:(?P<day>\d{{1,2}})\s+)?(?P<month>{_NAMES})\.?\s+(?P<year>\d{{3,4}})"
    rf"|(?P<bc>\d{{1,4}})\s?BC|(?P<edtf>{_ONE}(?:(?:/|\.\.){_ONE})?|\d{{2,3}}XX?))"
    rf"(?![\w.-]|/|\.\.)")


def split_dates(query: str) -> tuple[str, list[str]]:
    """The words of a query apart from the dates in it, and those dates as EDTF.

    "Nomonhan 1939" -> ("Nomonhan", ["1939"]); "Potsdam July 1945" -> ("Potsdam",
    ["1945-07"]); "summer 1945", "23 Aug 1939", "1939-05/1939-09", "216BC" too. A
    word that only looks like a date ("Cannae 216") is the caller's to keep when its
    period holds nothing. Pure string work: the caller parses the EDTF.
    """
    found: list[str] = []

    def take(m: re.Match[str]) -> str:
        if m.group("bc"):
            found.append(m.group("bc") + "BC")
        elif m.group("edtf"):
            found.append(m.group("edtf"))
        else:
            word, year, day = m.group("month").lower(), int(m.group("year")), m.group("day")
            if word in _SEASONS:
                if day:  # "3 summer 1945" is no date: keep the number as a word
                    found.append(f"{year:04d}-{_SEASONS[word]}")
                    return day + " "
                found.append(f"{year:04d}-{_SEASONS[word]}")
            else:
                ym = f"{year:04d}-{_MONTHS[word]:02d}"
                found.append(f"{ym}-{int(day):02d}" if day else ym)
        return " "

    rest = re.sub(_DATE_WORDS, take, query, flags=re.I)
    return " ".join(rest.split()), found


def nearest(name: str, known: Iterable[str], n: int = 3) -> list[str]:
    """The few known names closest to `name` (for "did you mean")."""
    from rapidfuzz import fuzz, process

    return [m for m, _s, _i in process.extract(name, list(known), scorer=fuzz.WRatio,
                                               limit=n, score_cutoff=50)]


def event_index(ledger: Ledger, use_cache: bool = True) -> SearchIndex:
    """The search index of the ledger's events, kept in the cache beside the ledger.

    Normalising every field and numbering the tokens of 100k events costs seconds;
    with the cache warm a search maps them (verified sections of the cache's store)
    instead, and decodes only the events it prints. A damaged or outdated index is
    rebuilt.
    """
    events = ledger.events
    if not use_cache:
        return SearchIndex.build(events)
    return cached_event_index(ledger, lambda: SearchIndex.build(
        getattr(events, "stream", events.__iter__)()))


def cached_event_index(ledger: Ledger, build: Callable[[], SearchIndex]) -> SearchIndex:
    """`build()`'s index, or the one cached beside the ledger's store (textsearch.py)."""
    from farchron.query.textsearch import cached_index
    return cached_index(ledger, build, SearchIndex.mapped)
