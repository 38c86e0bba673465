"""Fuzzy search across scripts: normalisation, transliteration, a token index, ranking.

Both the query and the data go through `normalize`, so "Tōgō", "TOGO" and "Того"
meet as "togo"; the index (flat lists of strings and arrays of ints) is built apart
from querying, so a cache can store it.
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from array import array
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from farchron.model import Event, Ledger, Source

#: How much a perfect hit in each kind of field is worth: a title or alias hit
#: outranks an actor or place, which outranks a mention in the summary.
WEIGHTS: dict[str, float] = {
    "title": 1.0, "alias": 1.0, "actor": 0.95, "place": 0.95, "summary": 0.85,
    # sources
    "author": 1.0, "id": 0.95, "container": 0.9, "other": 0.85,
}
DEFAULT_MIN_SCORE = 70.0

_APOSTROPHES = str.maketrans("", "", "'’ʼʹ`´")
# Han ideographs stay as they are: romanised as Mandarin they would turn Japanese
# kanji into short pinyin syllables ("陥" -> "xian") that collide with Latin words.
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_HAN_RUN = re.compile(f"([{_HAN}]+)")
_NON_WORD = re.compile(f"[^0-9a-z{_HAN}]+")


def _ascii(text: str) -> str:
    """Transliterate what is left outside ASCII (Cyrillic, Greek, kana...), han excepted.

    anyascii is imported only here, so a Latin query against a cached index never
    pays for it (about 20 ms, mostly its importlib.resources import).
    """
    from anyascii import anyascii

    parts = _HAN_RUN.split(text)  # odd positions hold the han runs
    return " ".join(p if n % 2 else anyascii(p) for n, p in enumerate(parts) if p)


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
    return " ".join(_NON_WORD.split(text)).strip()


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

    __slots__ = ("_pair", "_tok", "_tok_off", "_vocab", "ids", "kinds", "starts", "texts")

    def __init__(self, ids: list[str], texts: list[str], kinds: bytes, starts: Any) -> None:
        self.ids, self.texts, self.kinds, self.starts = ids, texts, kinds, _uints(starts)
        self._vocab: list[str] | None = None
        self._pair = b""
        self._tok: Any = array("I")
        self._tok_off: Any = array("I", [0])

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
        """An index over events: title, aliases, actors, places, summary."""
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
            f += [("actor", norm(a)) for a in e.actors]
            f += [("place", norm(p)) for p in e.places]
            if e.summary:
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

    # ------------------------------------------------------------------ querying

    def search(self, query: str, limit: int | None = 20,
               min_score: float = DEFAULT_MIN_SCORE, *,
               only: Collection[int] | None = None, exhaustive: bool = False) -> list[Hit]:
        """Records scoring at least `min_score`, best first (ties: index order).

        Only records that can reach `min_score` are scored in full (see `_python` and
        `_vector`); every bound used is at least the final score, so the result equals
        `exhaustive=True`, which scores every record.
        """
        from rapidfuzz import fuzz

        q = normalize(query)
        if not q:
            return []
        self._ensure_tokens()
        assert self._vocab is not None
        qwords = q.split()
        allowed = None
        if only is not None:
            allowed = only if isinstance(only, set | frozenset) else set(only)
        sims = [_Sims(w, self._vocab, fuzz.ratio) for w in qwords]
        starts = self.starts
        if exhaustive:
            groups: Iterable[tuple[int, Iterable[int]]] = (
                (i, range(starts[i], starts[i + 1])) for i in range(len(self.ids)))
        elif len(self.ids) >= VECTOR_MIN and min_score > 0:
            groups = self._vector(q, qwords, min_score)
        else:
            groups = self._python(q, qwords, min_score)
        hits = []
        for i, js in groups:
            if allowed is not None and i not in allowed:
                continue
            score, kind = self._score(js, q, qwords, sims, fuzz.ratio)
            if score >= min_score:
                hits.append(Hit(i, self.ids[i], round(score, 1), kind))
        hits.sort(key=lambda h: (-h.score, h.index))
        return hits if limit is None else hits[:limit]

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
        for w in qwords:
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

    def _vector(self, q: str, qwords: Sequence[str],
                min_score: float) -> Iterator[tuple[int, list[int]]]:
        """Records with the fields that may reach `min_score`, bounded in whole-array passes.

        A field's score is weight * max(phrase, token), where token is the mean over
        query words of each word's best token ratio, scaled by at most 1. numpy takes
        that mean for every field at once (each word's ratio to every distinct token,
        from rapidfuzz.process.cdist, gathered and maxed per field), and cdist gives the
        phrase ratio of every field that reaches `min_score` (below it a phrase cannot
        decide a hit). Fields whose bound is under `min_score` cannot be a record's best
        field when that record is a hit, so only the rest are scored exactly.
        """
        import numpy as np
        from rapidfuzz import fuzz, process

        assert self._vocab is not None
        sims = process.cdist(qwords, self._vocab, scorer=fuzz.ratio, dtype=np.float64,
                             workers=-1)
        tok = np.frombuffer(self._tok, dtype=np.uint32)
        off = np.frombuffer(self._tok_off, dtype=np.uint32).astype(np.int64)
        weight = np.array(_WEIGHT)[np.frombuffer(self.kinds, dtype=np.uint8)]
        cutoff = max(min_score - _EPS, 0.0)
        picked = []
        nf = len(self.texts)
        for a in range(0, nf, _BLOCK):
            b = min(a + _BLOCK, nf)
            lo = off[a]
            t = tok[lo:off[b]]
            firsts = off[a:b] - lo  # every field has a token, so these are increasing
            total = np.zeros(b - a)
            for row in sims:
                total += np.maximum.reduceat(row[t], firsts)
            phrase = process.cdist([q], self.texts[a:b], scorer=fuzz.ratio,
                                   dtype=np.float64, workers=-1, score_cutoff=cutoff)[0]
            bound = weight[a:b] * np.maximum(phrase, total / len(qwords))
            picked.append(np.flatnonzero(bound >= cutoff) + a)
        js = np.concatenate(picked) if picked else np.zeros(0, dtype=np.int64)
        owners = np.searchsorted(np.frombuffer(self.starts, dtype=np.uint32), js,
                                 side="right") - 1
        for i, grp in itertools.groupby(zip(owners.tolist(), js.tolist(), strict=True),
                                        key=lambda p: p[0]):
            yield i, [j for _i, j in grp]

    def _score(self, js: Iterable[int], q: str, qwords: Sequence[str],
               sims: Sequence[Any], ratio: Any) -> tuple[float, str]:
        """Best weighted score over fields `js` of one record, and the kind that won.

        A field scores the larger of: the whole query against the whole field
        (ratio), and the mean over query words of each word's best token, scaled
        from 90% to 100% by the share of the field's words that were hit, so
        "Khalkhin Gol" as an alias beats it inside a longer title.
        """
        texts, kinds, tok, off, pair = self.texts, self.kinds, self._tok, self._tok_off, self._pair
        n = len(qwords)
        best, best_kind = 0.0, ""
        for j in js:
            code = kinds[j]
            w = _WEIGHT[code]
            if w * 100 <= best:
                continue
            text = texts[j]
            phrase = ratio(q, text)
            tids = tok[off[j]:off[j + 1]]
            nwords = text.count(" ") + 1
            total, hit_words = 0.0, 0
            for sim in sims:
                top, top_t = 0.0, -1
                for t in tids:
                    s = sim[t]
                    if s > top:
                        top, top_t = s, t
                total += top
                if top >= 50:  # a pair run together ("khalkhingol") covers two words
                    hit_words += 2 if pair[top_t] else 1
            token = total / n
            if code != _SUMMARY:  # a name hit whole beats one inside a longer name
                token *= 0.9 + 0.1 * min(hit_words, nwords) / nwords
            s = w * max(phrase, token)
            if s > best:
                best, best_kind = s, KINDS[code]
        return best, best_kind


def nearest(name: str, known: Iterable[str], n: int = 3) -> list[str]:
    """The few known names closest to `name` (for "did you mean")."""
    from rapidfuzz import fuzz, process

    return [m for m, _s, _i in process.extract(name, list(known), scorer=fuzz.WRatio,
                                               limit=n, score_cutoff=50)]


def event_index(ledger: Ledger, use_cache: bool = True) -> SearchIndex:
    """The search index of the ledger's events, kept in the cache beside the ledger.

    Normalising every field and numbering the tokens of 100k events costs seconds;
    with the cache warm a search reads them (flat lists of strings and byte arrays,
    ~0.1 s at 100k) instead, and decodes only the events it prints. A cached layout
    that no longer fits SearchIndex is simply rebuilt.
    """
    from farchron.cache import cached_index

    if not use_cache:
        return SearchIndex.build(ledger.events)
    try:
        return SearchIndex.from_plain(cached_index(
            ledger, "search-events-2",
            lambda led: SearchIndex.build(getattr(led.events, "stream", led.events.__iter__)())
            .to_plain()))
    except (TypeError, ValueError):
        return SearchIndex.build(ledger.events)
