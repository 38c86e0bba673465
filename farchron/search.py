"""Fuzzy search across scripts: normalisation, transliteration, a token index, ranking.

Both the query and the data go through `normalize`, so "Tōgō", "TOGO" and "Того"
meet as "togo"; the index (plain lists of strings) is built apart from querying,
so a cache can store it.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from farchron.ledger import Event, Source

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


def _tokens(norm: str) -> list[str]:
    """Words plus each pair of neighbours run together ("khalkhin gol" -> "khalkhingol")."""
    words = norm.split()
    return words + [a + b for a, b in itertools.pairwise(words)]


@dataclass
class SearchIndex:
    """Normalised field strings of each record; token postings are derived lazily.

    `fields[i]` holds (kind, normalised text) pairs for record `ids[i]`. Everything
    stored is a plain string, so the index can be cached as JSON or marshal.
    """

    ids: list[str]
    fields: list[list[tuple[str, str]]]
    _vocab: list[str] | None = field(default=None, repr=False)
    _postings: list[list[int]] | None = field(default=None, repr=False)
    _token_ids: list[list[list[int]]] | None = field(default=None, repr=False)
    _pairs: frozenset[int] = field(default=frozenset(), repr=False)
    _flat: list[str] | None = field(default=None, repr=False)
    _owner: list[int] | None = field(default=None, repr=False)

    # ------------------------------------------------------------------ building

    @classmethod
    def build(cls, events: Iterable[Event]) -> SearchIndex:
        """An index over events: title, aliases, actors, places, summary."""
        ids: list[str] = []
        fields: list[list[tuple[str, str]]] = []
        for e in events:
            f = [("title", normalize(e.title))]
            f += [("alias", normalize(a)) for a in e.aliases]
            f += [("actor", normalize(a)) for a in e.actors]
            f += [("place", normalize(p)) for p in e.places]
            if e.summary:
                f.append(("summary", normalize(e.summary)))
            ids.append(e.id)
            fields.append([(k, v) for k, v in f if v])
        return cls(ids, fields)

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
            fields.append([(k, v) for k, v in f if v])
        return cls(ids, fields)

    def _ensure_tokens(self) -> None:
        """Vocabulary of distinct tokens, record postings, and each field's token ids."""
        if self._vocab is not None:
            return
        vocab: dict[str, int] = {}
        postings: list[list[int]] = []
        token_ids: list[list[list[int]]] = []
        words: set[int] = set()
        for i, fs in enumerate(self.fields):
            per_field = []
            for _kind, text in fs:
                tids = []
                single = text.split()
                for n, tok in enumerate(_tokens(text)):
                    t = vocab.get(tok)
                    if t is None:
                        t = vocab[tok] = len(vocab)
                        postings.append([])
                    if not postings[t] or postings[t][-1] != i:
                        postings[t].append(i)
                    if n < len(single):
                        words.add(t)
                    tids.append(t)
                per_field.append(tids)
            token_ids.append(per_field)
        self._pairs = frozenset(range(len(vocab))) - words
        self._flat = [text for fs in self.fields for _k, text in fs]
        self._owner = [i for i, fs in enumerate(self.fields) for _ in fs]
        self._vocab, self._postings, self._token_ids = list(vocab), postings, token_ids

    # ------------------------------------------------------------------ querying

    def search(self, query: str, limit: int | None = 20,
               min_score: float = DEFAULT_MIN_SCORE, *,
               only: Collection[int] | None = None, exhaustive: bool = False) -> list[Hit]:
        """Records scoring at least `min_score`, best first (ties: index order).

        A cheap prefilter keeps only records that can reach `min_score`: some token
        within `min_score` of a query word (from the postings), or a whole field
        within `min_score` of the query (one C-level pass). The final score never
        exceeds those bounds, so the result equals `exhaustive=True`, which scores
        every record.
        """
        from rapidfuzz import fuzz, process

        q = normalize(query)
        if not q:
            return []
        self._ensure_tokens()
        assert self._vocab is not None and self._postings is not None
        qwords = q.split()
        if exhaustive:
            candidates: Iterable[int] = range(len(self.ids))
        else:
            cand: set[int] = set()
            for w in qwords:  # tokens near a query word, found in C
                for _tok, _s, t in process.extract(w, self._vocab, scorer=fuzz.ratio,
                                                   score_cutoff=min_score, limit=None):
                    cand.update(self._postings[t])
            assert self._flat is not None and self._owner is not None
            for _text, _s, pos in process.extract(q, self._flat, scorer=fuzz.ratio,
                                                  score_cutoff=min_score, limit=None):
                cand.add(self._owner[pos])
            candidates = sorted(cand)
        if only is not None:
            allowed = only if isinstance(only, set | frozenset) else set(only)
            candidates = [i for i in candidates if i in allowed]

        sims: list[dict[int, float]] = [{} for _ in qwords]
        hits = []
        for i in candidates:
            score, kind = self._score(i, q, qwords, sims, fuzz.ratio)
            if score >= min_score:
                hits.append(Hit(i, self.ids[i], round(score, 1), kind))
        hits.sort(key=lambda h: (-h.score, h.index))
        return hits if limit is None else hits[:limit]

    def _score(self, i: int, q: str, qwords: Sequence[str], sims: list[dict[int, float]],
               ratio: Any) -> tuple[float, str]:
        """Best weighted field score of record i.

        A field scores the larger of: the whole query against the whole field
        (ratio), and the mean over query words of each word's best token, scaled
        from 90% to 100% by the share of the field's words that were hit, so
        "Khalkhin Gol" as an alias beats it inside a longer title.
        """
        assert self._token_ids is not None and self._vocab is not None
        vocab, pairs = self._vocab, self._pairs
        best, best_kind = 0.0, ""
        for (kind, text), tids in zip(self.fields[i], self._token_ids[i], strict=True):
            w = WEIGHTS.get(kind, 0.85)
            if w * 100 <= best:
                continue
            phrase = ratio(q, text)
            nwords = text.count(" ") + 1
            total, hit_words = 0.0, 0
            for word, memo in zip(qwords, sims, strict=True):
                top, top_t = 0.0, -1
                for t in tids:
                    s = memo.get(t)
                    if s is None:
                        s = memo[t] = ratio(word, vocab[t])
                    if s > top:
                        top, top_t = s, t
                total += top
                if top >= 50:  # a pair run together ("khalkhingol") covers two words
                    hit_words += 2 if top_t in pairs else 1
            token = total / len(qwords)
            if kind != "summary":  # a name hit whole beats one inside a longer name
                token *= 0.9 + 0.1 * min(hit_words, nwords) / nwords
            s = w * max(phrase, token)
            if s > best:
                best, best_kind = s, kind
        return best, best_kind

def nearest(name: str, known: Iterable[str], n: int = 3) -> list[str]:
    """The few known names closest to `name` (for "did you mean")."""
    from rapidfuzz import fuzz, process

    return [m for m, _s, _i in process.extract(name, list(known), scorer=fuzz.WRatio,
                                               limit=n, score_cutoff=50)]
